"""Open data out of the catalogue: the JSON-LD list, the CSV export and the RPDE change feed.

Each exists per network and for the whole installation: on a network's host a feed holds that
network's offers (those placed in its municipalities and those offered to it from outside) and names
the network; ``?network=all`` gives every offer, ``?network=<slug>`` one network's from any host.

The JSON-LD list and the CSV hold every published offer; the change feed is OpenActive's feed of the
offers that are activity opportunities (``catalogue.openactive`` says which and why), so its items
are SessionSeries and FacilityUse opportunities in OpenActive's model.

The change feed follows OpenActive's Realtime Paged Data Exchange (https://openactive.io/realtime-paged-data-exchange/),
"modified timestamp and ID" ordering: items ordered by (modified, id), a page after a position is asked
with ``afterTimestamp`` and ``afterId``, deleted and unpublished offers stay in the feed as "deleted"
tombstones without data.

Why ``modified`` is a change number taken under a lock, not a clock: a follower asks "what changed
after position P" and never asks about P again. If two transactions took numbers 5 and 6 and the one
holding 6 committed first, a follower reading in between would move past 6 and never see 5. Wall time
has the same gap (a timestamp is taken before commit) and can also go backwards between machines. So
every change locks the single ``OfferFeedClock`` row, increments it and writes its item in the same
short transaction: the lock is held until commit, so numbers are handed out in commit order, and any
reader's snapshot holds a gap-free prefix of them. A re-published offer moves to a new, higher number,
so a follower sees its latest state once. The lock is taken in a transaction of its own, after the
publishing transaction has committed (``transaction.on_commit``), so a long import never holds it.
"""

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from organisations.models import Network
from organisations.networks import ALL_NETWORKS

from .csv_export import belgian_csv_lines
from .importing.rows import COLUMNS, EXPORT_ONLY_COLUMNS
from .jsonld import SCHEMA_ORG, offer_jsonld
from .models import FeedState, OfferFeedClock, OfferFeedItem, OfferPage
from .openactive import offer_opportunity
from .selectors import network_offer_ids, public_offers

RPDE_PAGE_SIZE = 500
JSONLD_PAGE_SIZE = 100


class FeedParameterError(ValueError):
    """Bad query parameters, as {parameter: [messages]}."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


def open_data_offers(network: Network | None = None) -> QuerySet[OfferPage]:
    """Published, public offers (of one network, or all) with everything their JSON-LD and CSV row read, by id."""
    offers = (
        public_offers()
        .select_related("organisation__page", "neighbourhood__district")
        .prefetch_related("languages", "extra_costs", "themes", "time_slots", "photos__image")
        .order_by("pk")
    )
    return offers.filter(pk__in=network_offer_ids(network)) if network is not None else offers


def feed_name(network: Network | None) -> str:
    """What a feed calls itself: the network's, or the whole installation's."""
    return f"{settings.WAGTAIL_SITE_NAME} {network.name}" if network is not None else settings.WAGTAIL_SITE_NAME


def parse_network(params: Mapping[str, str], *, default: Network | None) -> Network | None:
    """The network a feed is asked for: ``network=<slug>``, ``network=all`` (every offer), else the site's.

    Raises FeedParameterError for a network that does not exist.
    """
    slug = params.get("network", "")
    if not slug:
        return default
    if slug == ALL_NETWORKS:
        return None
    network = Network.objects.filter(slug=slug).first()
    if network is None:
        raise FeedParameterError({"network": [str(_("Unknown network: %(values)s.") % {"values": slug})]})
    return network


def _normalised(data: dict) -> dict:
    """The JSON as stored and served, so a comparison with a stored item means 'would it read the same'."""
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


# The change feed


def offer_feed_record(*, offer_id: int) -> OfferFeedItem | None:
    """Bring the offer's feed item in line with its committed state; returns the item when it changed.

    Idempotent: recording an offer whose state and data are already in the feed changes nothing. An
    offer that was never in the feed and is not public gets no tombstone.
    """
    changed = offers_feed_record(offer_ids=[offer_id])
    return changed[0] if changed else None


@transaction.atomic
def offers_feed_record(*, offer_ids: Iterable[int]) -> list[OfferFeedItem]:
    """``offer_feed_record`` for many offers under one hold of the clock (a bulk import's batch); the changed items.

    A public offer that is no activity opportunity is treated as gone: it gets no item, or a tombstone
    when it was one before.
    """
    offer_ids = sorted(set(offer_ids))
    clock, _created = OfferFeedClock.objects.select_for_update().get_or_create(pk=1)
    offers = {offer.pk: offer for offer in open_data_offers().filter(pk__in=offer_ids)}
    items = {item.offer_id: item for item in OfferFeedItem.objects.filter(offer_id__in=offer_ids)}
    changed = []
    for offer_id in offer_ids:
        offer = offers.get(offer_id)
        opportunity = offer_opportunity(offer) if offer else None
        state, data = (FeedState.UPDATED, _normalised(opportunity)) if opportunity else (FeedState.DELETED, None)
        item = items.get(offer_id)
        if item is None and state == FeedState.DELETED:
            continue
        if item is not None and item.state == state and item.data == data:
            continue
        clock.value += 1
        item = item or OfferFeedItem(offer_id=offer_id)
        item.modified, item.state, item.data = clock.value, state, data
        if data is not None:
            item.kind = data["@type"]
        changed.append(item)
    if changed:
        clock.save(update_fields=["value"])
        OfferFeedItem.objects.bulk_create([item for item in changed if item.pk is None])
        updated = [item for item in changed if item.pk is not None]
        OfferFeedItem.objects.bulk_update(updated, ["modified", "state", "kind", "data"])
    return changed


def offer_feed_sync() -> int:
    """Record every offer and every tombstone again; returns how many items changed.

    The repair path for changes whose after-commit recording was lost (a process killed between commit
    and callback) and the way to fill the feed of a database that had offers before it existed.
    """
    changed = 0
    known = set(OfferFeedItem.objects.values_list("offer_id", flat=True))
    for offer_id in sorted(known | set(OfferPage.objects.values_list("pk", flat=True))):
        if offer_feed_record(offer_id=offer_id) is not None:
            changed += 1
    return changed


@dataclass(frozen=True)
class FeedPosition:
    modified: int
    offer_id: int


def parse_rpde_position(params: Mapping[str, str]) -> FeedPosition | None:
    """The position a follower asks to continue after, or None for the start; raises FeedParameterError."""
    allowed = {"afterTimestamp", "afterId"}
    errors: dict[str, list[str]] = {
        name: [str(_("Unknown parameter."))] for name in sorted(set(params) - allowed - {"network"})
    }
    values: dict[str, int] = {}
    for name in sorted(allowed & set(params)):
        raw = params[name]
        if not raw.isdigit():
            errors[name] = [str(_("Give a whole number of zero or more."))]
        else:
            values[name] = int(raw)
    if not errors and len(values) == 1:
        missing = (allowed - set(values)).pop()
        errors[missing] = [str(_("Give afterTimestamp and afterId together."))]
    if errors:
        raise FeedParameterError(errors)
    if not values:
        return None
    return FeedPosition(modified=values["afterTimestamp"], offer_id=values["afterId"])


def rpde_items(*, after: FeedPosition | None, limit: int, network: Network | None = None) -> list[OfferFeedItem]:
    """The next items after a position, in (modified, id) order; of one network's offers, or all.

    A network's feed holds every tombstone: a deleted offer's network is no longer known, and a
    follower drops an id it never had.
    """
    items = OfferFeedItem.objects.order_by("modified", "offer_id")
    if network is not None:
        items = items.filter(Q(state=FeedState.DELETED) | Q(offer_id__in=network_offer_ids(network)))
    if after is not None:
        items = items.filter(Q(modified__gt=after.modified) | Q(modified=after.modified, offer_id__gt=after.offer_id))
    return list(items[:limit])


def rpde_item(item: OfferFeedItem) -> dict:
    entry = {"state": item.state, "kind": item.kind, "id": item.offer_id, "modified": item.modified}
    if item.state == FeedState.UPDATED:
        entry["data"] = item.data
    return entry


def rpde_next_position(items: list[OfferFeedItem], current: FeedPosition | None) -> FeedPosition | None:
    """After the last item of this page; on the last page, the same position, so the follower polls it."""
    if items:
        return FeedPosition(modified=items[-1].modified, offer_id=items[-1].offer_id)
    return current


# The JSON-LD list


def parse_page_number(params: Mapping[str, str]) -> int:
    """The page the list is asked for; raises FeedParameterError."""
    errors = {name: [str(_("Unknown parameter."))] for name in sorted(set(params) - {"page", "network"})}
    raw = params.get("page", "1")
    if not raw.isdigit() or int(raw) < 1:
        errors["page"] = [str(_("Give a page number of 1 or more."))]
    if errors:
        raise FeedParameterError(errors)
    return int(raw)


@dataclass(frozen=True)
class JsonLdPage:
    events: list[dict]
    number: int
    has_next: bool
    has_previous: bool
    last_modified: str | None


def jsonld_page(*, number: int, page_size: int, network: Network | None = None) -> JsonLdPage:
    """One page of the published offers (of one network, or all) as Events; raises EmptyPage past the last page
    (except page 1)."""
    offers = open_data_offers(network)
    page = Paginator(offers, page_size, allow_empty_first_page=True).page(number)
    last = offers.aggregate(last=Max("last_published_at"))["last"]
    return JsonLdPage(
        events=[_normalised(offer_jsonld(offer, with_context=False)) for offer in page.object_list],
        number=page.number,
        has_next=page.has_next(),
        has_previous=page.has_previous(),
        last_modified=last.isoformat() if last else None,
    )


def jsonld_document(page: JsonLdPage, *, url_for_page: Callable[[int], str], network: Network | None = None) -> dict:
    """A schema.org DataFeed of this page's Events, with Hydra paging links (schema.org has none)."""
    view = {"@id": url_for_page(page.number), "@type": "hydra:PartialCollectionView", "hydra:first": url_for_page(1)}
    if page.has_next:
        view["hydra:next"] = url_for_page(page.number + 1)
    if page.has_previous:
        view["hydra:previous"] = url_for_page(page.number - 1)
    document = {
        "@context": [SCHEMA_ORG, {"hydra": "http://www.w3.org/ns/hydra/core#"}],
        "@type": "DataFeed",
        "name": feed_name(network),
        "url": url_for_page(page.number),
        "license": settings.OPEN_DATA_LICENSE,
        "dataFeedElement": page.events,
        "hydra:view": view,
    }
    if page.last_modified:
        document["dateModified"] = page.last_modified
    return document


# The CSV export: the spreadsheet template's columns, then the export's own (``catalogue.importing.rows``).
CSV_COLUMNS: list[tuple[str, Callable[[OfferPage], object]]] = [
    *((column.name, column.export) for column in COLUMNS),
    *EXPORT_ONLY_COLUMNS,
]


def csv_lines(*, chunk_size: int = 1000, network: Network | None = None) -> Iterator[str]:
    """The export (of one network, or all) line by line, starting with a byte order mark so spreadsheet programs
    read UTF-8."""
    offers = open_data_offers(network).iterator(chunk_size=chunk_size)
    rows = ([value(offer) for _name, value in CSV_COLUMNS] for offer in offers)
    return belgian_csv_lines(rows, header=[name for name, _value in CSV_COLUMNS])
