"""The search's background work: index writes to a remote engine, retried, and the periodic reconciliation."""

import logging
from dataclasses import asdict
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from django_tasks import task

from catalogue.background import retry_later, schedule_once

from .indexer import index_offers, reconcile

logger = logging.getLogger(__name__)


@task()
def index_remote(ids: list[int], attempt: int = 1) -> list[str]:
    """Write these offers to the remote engines; an unreachable one is tried again later, then reconciled."""
    unreachable = index_offers(ids, remote=True)
    if unreachable and not retry_later(index_remote, ids, attempt=attempt, delays=settings.SEARCH_INDEX_RETRY_DELAYS):
        logger.warning(
            "Offers %s are not in %s after %s attempts; the reconciliation will add them.",
            ids,
            ", ".join(unreachable),
            attempt,
        )
        schedule_reconciliation()
    return unreachable


@task()
def reconcile_indexes() -> list[dict]:
    """Repair every index against the catalogue, then queue the next run."""
    try:
        return [asdict(report) for report in reconcile()]
    finally:
        schedule_reconciliation()


def schedule_reconciliation(delay: int | None = None) -> bool:
    """Queue a reconciliation in ``delay`` seconds (default ``SEARCH_RECONCILE_INTERVAL``), unless one is waiting.

    With tasks run inline (development, tests) this does nothing, and ``manage.py reconcile_index`` runs it by hand.
    """
    delay = settings.SEARCH_RECONCILE_INTERVAL if delay is None else delay
    return schedule_once(reconcile_indexes, run_after=timezone.now() + timedelta(seconds=delay))
