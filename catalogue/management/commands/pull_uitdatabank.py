"""``manage.py pull_uitdatabank [--organisation <slug>] [--full]``: the live pull from UiTdatabank, here and now."""

from django.core.management.base import BaseCommand, CommandError

from catalogue.importing.uitdatabank_api import (
    PullRefused,
    organisations_linked_to_uitdatabank,
    search_api,
    uitdatabank_pull,
)
from catalogue.models import ImportStatus, UitdatabankPull
from organisations.models import Organisation


class Command(BaseCommand):
    help = (
        "Pull the events and places of organisations linked to UiTdatabank (organizer id or label) from the "
        "Search API v3 and sync them as an import does; each run is recorded. Without --full only what changed "
        "since the last successful run is asked for. The worker runs this every night at UITDATABANK_PULL_HOUR. "
        "Exits non-zero when a run failed or refused a document."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--organisation", help="The slug of one organisation; all linked ones without it.")
        parser.add_argument(
            "--full",
            action="store_true",
            help="Ask for every event and place, and take offline the offers UiTdatabank no longer holds.",
        )

    def handle(self, *args, organisation: str | None, full: bool, **options) -> None:
        try:
            api = search_api()
            if organisation:
                owner = Organisation.objects.filter(slug=organisation).first()
                if owner is None:
                    raise CommandError(f"No organisation with the slug '{organisation}'.")
                runs = [uitdatabank_pull(organisation=owner, full=full, api=api)]
            else:
                runs = [
                    uitdatabank_pull(organisation=owner, full=full, api=api)
                    for owner in organisations_linked_to_uitdatabank()
                ]
        except PullRefused as error:
            raise CommandError(str(error)) from error
        if not runs:
            self.stdout.write("No organisation is linked to UiTdatabank.")
        for run in runs:
            self._write(run)
        failed = [run for run in runs if run.status == ImportStatus.FAILED or run.refused]
        if failed:
            raise CommandError(
                "Not everything came through: " + ", ".join(f"{run.organisation.slug}" for run in failed) + "."
            )

    def _write(self, run: UitdatabankPull) -> None:
        since = f"changed since {run.modified_from.isoformat(timespec='seconds')}" if run.modified_from else "full"
        if run.status == ImportStatus.FAILED:
            self.stdout.write(self.style.ERROR(f"{run.organisation.slug} ({since}): failed: {run.error}"))
            return
        for refusal in run.refusals:
            self.stdout.write(self.style.ERROR(f"{refusal['label']}: refused – {refusal['title']}"))
            for message in refusal["errors"]:
                self.stdout.write(f"    {message}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{run.organisation.slug} ({since}): received {run.received}, created {run.created}, "
                f"updated {run.updated}, unchanged {run.unchanged}, taken offline {run.unpublished}, "
                f"refused {run.refused} in {run.get_duration_display()}"
            )
        )
