"""The live pull from UiTdatabank: an organisation's events and places from the Search API v3, synced as files are.

The Search API (https://github.com/cultuurnet/search-docs, published at docs.publiq.be) answers
``GET /events/`` and ``GET /places/`` with a hydra ``PagedCollection`` (``itemsPerPage``, ``totalItems``,
``member``), paged with ``start`` (results to skip) and ``limit`` (getting_started/pagination.md: the API may
answer fewer than asked, so the next ``start`` counts what came back). ``embed=true`` puts each full JSON-LD
document in ``member``; ``organizerId`` and ``labels[]`` select the organisation's offers
(url-params-reference.md); ``modifiedFrom``, an ISO 8601 moment with its offset, only what changed since
(searching/created-and-modified.md). The key travels in the ``X-Api-Key`` header
(getting_started/authentication.md). The API's default filters stay on: approved offers, available now.

Every page is read before anything is written, so a server error, an unreadable answer or a timeout on
any page records a failed run that wrote nothing. The first run, and a ``full`` one, is the organisation's
whole UiTdatabank feed: what UiTdatabank no longer answers is taken offline. A later run asks for what
changed since the last successful run began (less a margin for clocks that differ; the sync is
idempotent, so a document read twice changes nothing) and takes nothing offline. A document refused on a
later run is asked for again only when it changes in UiTdatabank, or by a full run.
"""

import json
import logging
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organisations.models import Organisation

from ..models import ImportStatus, OfferPage, Source, UitdatabankPull
from ..signals import offers_published
from .sync import FeedRefused, ItemAction, SyncReport, feed_sync
from .uitdatabank import read_documents

logger = logging.getLogger(__name__)

ENDPOINTS = ("events", "places")
MODIFIED_MARGIN = timedelta(minutes=10)  # later runs ask again for what changed shortly before the last began


class PullRefused(Exception):
    """The pull cannot start: the organisation is not linked, or the API is not configured."""


class SearchApiError(Exception):
    """The Search API did not answer a page as documented; nothing of the run is written."""


@dataclass(frozen=True)
class SearchApi:
    url: str
    api_key: str
    timeout: float
    page_size: int

    def offers(self, *, organisation: Organisation, modified_from: datetime | None) -> list[tuple[str, Any]]:
        """Every event and place the organisation's link selects, changed since ``modified_from`` if given."""
        selection: list[tuple[str, str]] = [("embed", "true")]
        if organisation.uitdatabank_organizer_id:
            selection.append(("organizerId", organisation.uitdatabank_organizer_id))
        if organisation.uitdatabank_label:
            selection.append(("labels[]", organisation.uitdatabank_label))
        if modified_from is not None:
            selection.append(("modifiedFrom", modified_from.isoformat(timespec="seconds")))
        documents: list[tuple[str, Any]] = []
        for endpoint in ENDPOINTS:
            documents.extend(self._all(endpoint, selection))
        return documents

    def _all(self, endpoint: str, selection: list[tuple[str, str]]) -> list[tuple[str, Any]]:
        documents: list[tuple[str, Any]] = []
        start = 0
        while True:
            total, members = self._page(endpoint, [*selection, ("start", str(start)), ("limit", str(self.page_size))])
            for index, member in enumerate(members, start=start):
                name = member.get("@id") if isinstance(member, Mapping) else None
                documents.append((name if isinstance(name, str) and name else f"{endpoint}[{index}]", member))
            start += len(members)
            if start >= total:
                return documents
            if not members:
                raise SearchApiError(
                    _("UiTdatabank answered no documents from %(start)s on while it counts %(total)s (%(endpoint)s).")
                    % {"start": start, "total": total, "endpoint": endpoint}
                )

    def _page(self, endpoint: str, params: list[tuple[str, str]]) -> tuple[int, list]:
        address = f"{self.url.rstrip('/')}/{endpoint}/?{urlencode(params)}"
        request = urllib.request.Request(  # noqa: S310 - the configured https URL
            address, headers={"Accept": "application/ld+json, application/json", "X-Api-Key": self.api_key}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                body = json.load(response)
        except urllib.error.HTTPError as error:
            raise SearchApiError(
                _("UiTdatabank answered HTTP %(status)s to %(endpoint)s; nothing was changed.")
                % {"status": error.code, "endpoint": endpoint}
            ) from error
        except (urllib.error.URLError, TimeoutError, ConnectionError, ValueError) as error:
            reason = getattr(error, "reason", error)
            raise SearchApiError(
                _("UiTdatabank could not be read (%(endpoint)s: %(reason)s); nothing was changed.")
                % {"endpoint": endpoint, "reason": reason or type(error).__name__}
            ) from error
        if not isinstance(body, Mapping) or body.get("@type") != "PagedCollection":
            raise SearchApiError(
                _("UiTdatabank's answer to %(endpoint)s is not a paged collection.") % {"endpoint": endpoint}
            )
        total, members = body.get("totalItems"), body.get("member", [])
        if not isinstance(total, int) or isinstance(total, bool) or total < 0 or not isinstance(members, list):
            raise SearchApiError(
                _("UiTdatabank's answer to %(endpoint)s lacks a number totalItems or a list member.")
                % {"endpoint": endpoint}
            )
        return total, members


def search_api() -> SearchApi:
    """The configured Search API (UITDATABANK_SEARCH_URL, UITDATABANK_API_KEY, UITDATABANK_TIMEOUT, …_PAGE_SIZE)."""
    if not settings.UITDATABANK_SEARCH_URL or not settings.UITDATABANK_API_KEY:
        raise PullRefused(
            _("The UiTdatabank pull is switched off: set UITDATABANK_SEARCH_URL and UITDATABANK_API_KEY.")
        )
    return SearchApi(
        url=settings.UITDATABANK_SEARCH_URL,
        api_key=settings.UITDATABANK_API_KEY,
        timeout=settings.UITDATABANK_TIMEOUT,
        page_size=settings.UITDATABANK_PAGE_SIZE,
    )


def organisations_linked_to_uitdatabank():
    return Organisation.objects.exclude(uitdatabank_organizer_id="", uitdatabank_label="").order_by("slug")


def uitdatabank_pull(
    *, organisation: Organisation, full: bool = False, api: SearchApi | None = None
) -> UitdatabankPull:
    """Pull one organisation's events and places and record the run; a failed run is recorded, not raised."""
    if not organisation.pulls_from_uitdatabank:
        raise PullRefused(
            _(
                "%(organisation)s is not linked to UiTdatabank: fill in its UiTdatabank organizer id "
                "(uitdatabank_organizer_id) or label (uitdatabank_label)."
            )
            % {"organisation": organisation}
        )
    api = api or search_api()
    last = None
    if not full:
        last = (
            UitdatabankPull.objects.filter(organisation=organisation, status=ImportStatus.DONE)
            .order_by("-started_at")
            .first()
        )
    modified_from = last.started_at - MODIFIED_MARGIN if last else None
    run = UitdatabankPull.objects.create(
        organisation=organisation, full=modified_from is None, modified_from=modified_from, started_at=timezone.now()
    )
    try:
        documents = api.offers(organisation=organisation, modified_from=modified_from)
        run.received = len(documents)
        report = _sync(organisation, documents, complete=run.full)
    except (SearchApiError, FeedRefused) as error:
        logger.warning("UiTdatabank pull for %s failed: %s", organisation.slug, error)
        _finish(run, status=ImportStatus.FAILED, error=str(error))
        return run
    except Exception as error:
        _finish(run, status=ImportStatus.FAILED, error=str(error) or type(error).__name__)
        raise
    totals = report.totals
    for action in ("created", "updated", "unchanged", "unpublished", "refused"):
        setattr(run, action, totals[action])
    run.refusals = [
        {
            "label": item.label,
            "external_id": item.external_id,
            "title": item.title,
            "errors": [str(error) for error in item.errors],
        }
        for item in report.of(ItemAction.REFUSED)
    ]
    _finish(run, status=ImportStatus.DONE)
    return run


def _sync(organisation: Organisation, documents: list[tuple[str, Any]], *, complete: bool) -> SyncReport:
    if not documents and not complete:
        return SyncReport(organisation=organisation, source=Source.UITDATABANK)
    feed = read_documents(documents, organisation=organisation)
    if feed.problems:
        raise FeedRefused(feed.problems[0])
    report = feed_sync(organisation=organisation, source=Source.UITDATABANK, items=feed.items, complete=complete)
    named = [item.offer_id for item in report.items if item.offer_id and item.action != ItemAction.REFUSED]
    with transaction.atomic():  # search indexes and the open-data feed in line with every offer the pull named
        offers_published.send(sender=OfferPage, ids=named)
    return report


def _finish(run: UitdatabankPull, *, status: str, error: str = "") -> None:
    run.status = status
    run.error = error
    run.finished_at = timezone.now()
    run.save()
