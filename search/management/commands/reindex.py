"""Rebuild every search index from the published catalogue, switching over only when complete."""

from django.core.management.base import BaseCommand

from search.indexer import reindex_all


class Command(BaseCommand):
    help = "Rebuild the search indexes (database, and Elasticsearch when configured) without downtime."

    def handle(self, *args, **options) -> None:
        for report in reindex_all():
            previous = f", previous index kept: {report.previous_index}" if report.previous_index else ""
            self.stdout.write(
                f"{report.engine}: {report.documents} offers into {report.index} in {report.seconds:.1f} s{previous}"
            )
