"""Send the referral reminders and aftercare prompts that are due; safe to run many times a day."""

from datetime import date

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from portal.workspace.referrals import send_reminders


class Command(BaseCommand):
    help = "Remind partners (6 working days), tell coordinators (9), mark no response (14 days), prompt aftercare."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=date.fromisoformat, help="Act as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, **options) -> None:
        counts = send_reminders(options["date"] or timezone.localdate())
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")
