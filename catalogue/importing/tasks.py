"""Background work for imports: stored import jobs, and what a bulk-created batch leaves for after its commit."""

from django_tasks import task

from ..feeds import offers_feed_record
from .bulk import wagtail_indexes_update


@task()
def update_wagtail_indexes(offer_ids: list[int]) -> None:
    """Wagtail's search and reference index for a batch of offers created in bulk (see ``importing.bulk``)."""
    wagtail_indexes_update(offer_ids)


@task()
def record_in_feed(offer_ids: list[int]) -> None:
    """The open-data change feed for a batch of offers created in bulk; idempotent, so a retry is harmless."""
    offers_feed_record(offer_ids=offer_ids)


@task()
def run_import_job(job_id: int) -> None:
    """A stored spreadsheet or UiTdatabank import (``importing.jobs``): its preview or its apply."""
    from .jobs import import_job_run

    import_job_run(job_id)
