"""Take offline the offers whose end date has passed; run daily (cron or the task worker), like the reminders."""

from django.core.management.base import BaseCommand

from catalogue.services import ended_offers_unpublish


class Command(BaseCommand):
    help = "Unpublish published offers whose end date lies in the past or whose expiry (UiTdatabank availableTo) came."

    def handle(self, *args, **options) -> None:
        gone = ended_offers_unpublish()
        for offer in gone:
            self.stdout.write(f"{offer.pk}: {offer.title} ({offer.end_date or offer.expire_at})")
        self.stdout.write(f"{len(gone)} ended offer(s) taken offline.")
