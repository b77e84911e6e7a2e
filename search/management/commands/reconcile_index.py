"""Compare every search index with the published catalogue and repair missing, stale and extra documents."""

from django.core.management.base import BaseCommand

from search.indexer import reconcile


class Command(BaseCommand):
    help = (
        "Repair the search indexes against the catalogue: add missing and stale offers, remove extra ones. "
        "The task worker also runs this every SEARCH_RECONCILE_INTERVAL seconds."
    )

    def handle(self, *args, **options) -> None:
        for report in reconcile():
            if report.unreachable:
                self.stdout.write(f"{report.engine}: unreachable, nothing repaired")
            else:
                self.stdout.write(
                    f"{report.engine}: {report.missing} missing, {report.stale} stale, {report.extra} extra repaired"
                )
