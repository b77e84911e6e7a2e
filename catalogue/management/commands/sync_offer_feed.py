"""Bring the open data change feed in line with every offer: fills it on first deploy, repairs lost records."""

from django.core.management.base import BaseCommand

from catalogue.feeds import offer_feed_sync


class Command(BaseCommand):
    help = "Record every offer's current state in the RPDE change feed; changes nothing when it is up to date."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"{offer_feed_sync()} feed item(s) changed.")
