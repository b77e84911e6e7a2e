"""Background work for imports: stored import jobs, what a bulk-created batch leaves for after its commit, and the
nightly pull from UiTdatabank."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from django_tasks import task

from ..background import schedule_once
from ..feeds import offers_feed_record
from .bulk import wagtail_indexes_update

logger = logging.getLogger(__name__)


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


@task()
def pull_from_uitdatabank(organisation_id: int, full: bool = False) -> int:
    """One organisation's live pull from UiTdatabank (``importing.uitdatabank_api``); returns the run's id."""
    from organisations.models import Organisation

    from .uitdatabank_api import uitdatabank_pull

    return uitdatabank_pull(organisation=Organisation.objects.get(pk=organisation_id), full=full).pk


@task()
def pull_uitdatabank_nightly() -> list[int]:
    """Every linked organisation's pull, one after the other, then the next night's run is queued.

    Incremental, except on UITDATABANK_FULL_PULL_WEEKDAY: ``modifiedFrom`` alone would never ask again for a
    document refused once (say, for an address the register did not know yet) until someone edits it.
    """
    from .uitdatabank_api import organisations_linked_to_uitdatabank, uitdatabank_pull

    full = timezone.localdate().isoweekday() == settings.UITDATABANK_FULL_PULL_WEEKDAY
    runs = []
    try:
        for organisation in organisations_linked_to_uitdatabank():
            try:
                runs.append(uitdatabank_pull(organisation=organisation, full=full).pk)
            except Exception:  # one organisation's failure (recorded on its run) does not stop the others
                logger.exception("UiTdatabank pull for %s failed", organisation.slug)
    finally:
        schedule_uitdatabank_pull()
    return runs


def next_pull_at(now: datetime | None = None) -> datetime:
    """The next UITDATABANK_PULL_HOUR o'clock, local time, after ``now``."""
    local = timezone.localtime(now or timezone.now())
    at = local.replace(hour=settings.UITDATABANK_PULL_HOUR, minute=0, second=0, microsecond=0)
    return at if at > local else at + timedelta(days=1)


def schedule_uitdatabank_pull() -> bool:
    """Queue the nightly pull for the next pull hour, unless one is waiting or the pull is switched off.

    With tasks run inline (development, tests) this does nothing, and ``manage.py pull_uitdatabank`` runs it by hand.
    """
    if not settings.UITDATABANK_SEARCH_URL or not settings.UITDATABANK_API_KEY:
        return False
    return schedule_once(pull_uitdatabank_nightly, run_after=next_pull_at())
