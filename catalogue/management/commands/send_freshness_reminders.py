"""Remind each organisation's editors of their stale offers; run daily (cron or the task worker)."""

from django.core.management.base import BaseCommand

from catalogue.freshness import reminders_send, stale_after_days


class Command(BaseCommand):
    help = "E-mail partner editors the offers their organisation has not confirmed within OFFER_STALE_AFTER_DAYS."

    def handle(self, *args, **options) -> None:
        report = reminders_send()
        self.stdout.write(
            f"Stale after {stale_after_days()} days: {report.messages} message(s) to {report.organisations} "
            f"organisation(s) about {report.offers} offer(s)."
        )
        for name in report.without_editors:
            self.stdout.write(self.style.WARNING(f"No editor with an e-mail address: {name}"))
        for name in report.failed:
            self.stdout.write(self.style.ERROR(f"Sending failed, tried again next run: {name}"))
