"""Let the reserved-place requests the partner did not answer in time lapse, and tell their mediators."""

from datetime import date

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from portal.workspace.places import places_lapse


class Command(BaseCommand):
    help = "Lapse reserved-place requests unanswered after RESERVED_PLACE_ANSWER_DAYS; the worker runs it nightly."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=date.fromisoformat, help="Act as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"lapsed: {places_lapse(options['date'] or timezone.localdate())}")
