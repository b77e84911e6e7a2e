"""Open data out of the catalogue: the JSON-LD list, the CSV export and the RPDE change feed.

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
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from .csv_export import belgian_csv_lines
from .facts import ACCESSIBILITY_FACTS, FINANCIAL_FACTS, GROUPS_WELCOME, LANGUAGE_FACTS, PRACTICAL_FACTS, SOCIAL_FACTS
from .importing.rows import (
    COMMITMENT_WORDS,
    DOMAIN_WORDS,
    DUTCH_LEVEL_WORDS,
    EXTRA_COST_WORDS,
    PRICE_UNIT_WORDS,
    WEEKDAY_WORDS,
)
from .jsonld import SCHEMA_ORG, offer_jsonld
from .models import FeedState, OfferFeedClock, OfferFeedItem, OfferPage, ReducedTariff, Registration
from .openactive import offer_opportunity
from .public_urls import public_url
from .selectors import public_offers

RPDE_PAGE_SIZE = 500
JSONLD_PAGE_SIZE = 100


class FeedParameterError(ValueError):
    """Bad query parameters, as {parameter: [messages]}."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


def open_data_offers() -> QuerySet[OfferPage]:
    """Published, public offers with everything their JSON-LD and CSV row read, in a stable order."""
    return (
        public_offers()
        .select_related("organisation__page", "neighbourhood__district")
        .prefetch_related("languages", "extra_costs", "themes", "time_slots", "photos__image")
        .order_by("pk")
    )


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
    errors: dict[str, list[str]] = {name: [str(_("Unknown parameter."))] for name in sorted(set(params) - allowed)}
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


def rpde_items(*, after: FeedPosition | None, limit: int) -> list[OfferFeedItem]:
    """The next items after a position, in (modified, id) order."""
    items = OfferFeedItem.objects.order_by("modified", "offer_id")
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
    errors = {name: [str(_("Unknown parameter."))] for name in sorted(set(params) - {"page"})}
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


def jsonld_page(*, number: int, page_size: int) -> JsonLdPage:
    """One page of the published offers as Events; raises EmptyPage past the last page (except page 1)."""
    offers = open_data_offers()
    page = Paginator(offers, page_size, allow_empty_first_page=True).page(number)
    last = offers.aggregate(last=Max("last_published_at"))["last"]
    return JsonLdPage(
        events=[_normalised(offer_jsonld(offer, with_context=False)) for offer in page.object_list],
        number=page.number,
        has_next=page.has_next(),
        has_previous=page.has_previous(),
        last_modified=last.isoformat() if last else None,
    )


def jsonld_document(page: JsonLdPage, *, url_for_page: Callable[[int], str]) -> dict:
    """A schema.org DataFeed of this page's Events, with Hydra paging links (schema.org has none)."""
    view = {"@id": url_for_page(page.number), "@type": "hydra:PartialCollectionView", "hydra:first": url_for_page(1)}
    if page.has_next:
        view["hydra:next"] = url_for_page(page.number + 1)
    if page.has_previous:
        view["hydra:previous"] = url_for_page(page.number - 1)
    document = {
        "@context": [SCHEMA_ORG, {"hydra": "http://www.w3.org/ns/hydra/core#"}],
        "@type": "DataFeed",
        "name": f"{settings.WAGTAIL_SITE_NAME} {settings.NETWORK_NAME}",
        "url": url_for_page(page.number),
        "license": settings.OPEN_DATA_LICENSE,
        "dataFeedElement": page.events,
        "hydra:view": view,
    }
    if page.last_modified:
        document["dateModified"] = page.last_modified
    return document


# The CSV export: the spreadsheet template's columns and words (``catalogue.importing.rows``), so a partner
# can fill in the template from an export; plus columns only an export has (id, organisation, place,
# freshness, link). People's contact details stay out, as in the JSON-LD.


def _word(words: Mapping[str, object], value) -> str:
    """The template's first (Dutch) word for a value: 'cultuur' for Domain.CULTURE."""
    return next((word for word, meaning in words.items() if meaning == value), str(value))


UNKNOWN = "onbekend"  # the CSV is Dutch throughout; a price nobody gave


def _yes_no(value: bool) -> str:
    return "ja" if value else "nee"


def _amount(value) -> str:
    return "" if value is None else f"{value:.2f}".replace(".", ",")


def _number(value) -> str:
    return "" if value is None else str(value).replace(".", ",")


def _date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _moment(value) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def _extra_costs(offer: OfferPage) -> str:
    return "; ".join(
        f"{_word(EXTRA_COST_WORDS, cost.kind)} {_amount(cost.amount)}{'' if cost.required else ' optioneel'}"
        for cost in offer.extra_costs.all()
    )


def _moments(offer: OfferPage) -> str:
    return "; ".join(
        f"{_word(WEEKDAY_WORDS, slot.weekday)} {slot.start_time:%H:%M}-{slot.end_time:%H:%M}"
        for slot in offer.time_slots.all()
    )


Column = tuple[str, Callable[[OfferPage], object]]


def _fact_columns(group) -> list[Column]:
    return [(fact.column, lambda offer, field=fact.field: _yes_no(getattr(offer, field))) for fact in group]


CSV_COLUMNS: list[Column] = [
    ("id", lambda offer: offer.pk),
    ("extern_id", lambda offer: offer.external_id),
    ("titel", lambda offer: offer.title),
    ("organisatie", lambda offer: offer.organisation.name),
    ("domein", lambda offer: _word(DOMAIN_WORDS, offer.domain)),
    ("samenvatting", lambda offer: offer.plain_summary),
    ("beschrijving", lambda offer: strip_tags(offer.description or "").strip()),
    ("eerste_bezoek", lambda offer: offer.first_visit),
    ("themas", lambda offer: "; ".join(theme.name for theme in offer.themes.all())),
    ("leeftijd_min", lambda offer: _number(offer.age_min)),
    ("leeftijd_max", lambda offer: _number(offer.age_max)),
    ("voor_gezinnen", lambda offer: _yes_no(offer.for_families)),
    ("voor_groepen", lambda offer: _yes_no(offer.for_groups)),
    ("prijs", lambda offer: UNKNOWN if offer.list_price is None else _amount(offer.list_price)),
    ("prijs_per", lambda offer: _word(PRICE_UNIT_WORDS, offer.price_unit)),
    ("gratis", lambda offer: UNKNOWN if offer.list_price is None else _yes_no(offer.is_free)),
    ("kansentarief", lambda offer: _yes_no(offer.reduced_tariff in (ReducedTariff.UITPAS, ReducedTariff.BOTH))),
    ("sociaal_tarief", lambda offer: _yes_no(offer.reduced_tariff in (ReducedTariff.SOCIAL, ReducedTariff.BOTH))),
    ("verlaagde_prijs", lambda offer: _amount(offer.reduced_price)),
    ("verlaagde_prijs_voor_wie", lambda offer: offer.reduced_price_who),
    ("extra_kosten", _extra_costs),
    *_fact_columns(FINANCIAL_FACTS),
    ("straat", lambda offer: offer.street_address),
    ("postcode", lambda offer: offer.postal_code),
    ("gemeente", lambda offer: offer.city),
    ("breedtegraad", lambda offer: _number(offer.latitude)),
    ("lengtegraad", lambda offer: _number(offer.longitude)),
    ("wijk", lambda offer: offer.neighbourhood.name),
    ("wijkcode", lambda offer: offer.neighbourhood.code),
    ("district", lambda offer: offer.neighbourhood.district.name),
    ("halte", lambda offer: offer.public_transport_stop),
    ("inschrijven", lambda offer: _yes_no(offer.registration == Registration.REQUIRED)),
    *_fact_columns(PRACTICAL_FACTS),
    ("meebrengen", lambda offer: offer.what_to_bring),
    ("engagement", lambda offer: _word(COMMITMENT_WORDS, offer.commitment)),
    ("startdatum", lambda offer: _date(offer.start_date)),
    ("einddatum", lambda offer: _date(offer.end_date)),
    ("momenten", _moments),
    ("planning_opmerking", lambda offer: offer.schedule_note),
    *_fact_columns(ACCESSIBILITY_FACTS),
    *_fact_columns(SOCIAL_FACTS),
    ("max_groep", lambda offer: _number(offer.group_size_max)),
    *_fact_columns(GROUPS_WELCOME),
    ("nederlands_nodig", lambda offer: _word(DUTCH_LEVEL_WORDS, offer.dutch_level)),
    ("talen", lambda offer: "; ".join(sorted(language.code for language in offer.languages.all()))),
    *_fact_columns(LANGUAGE_FACTS),
    ("laatst_bevestigd", lambda offer: _date(offer.last_confirmed)),
    ("laatst_gepubliceerd", lambda offer: _moment(offer.last_published_at)),
    ("link", lambda offer: public_url(offer) or ""),
]


def csv_lines(*, chunk_size: int = 1000) -> Iterator[str]:
    """The export line by line, starting with a byte order mark so spreadsheet programs read UTF-8."""
    offers = open_data_offers().iterator(chunk_size=chunk_size)
    rows = ([value(offer) for _name, value in CSV_COLUMNS] for offer in offers)
    return belgian_csv_lines(rows, header=[name for name, _value in CSV_COLUMNS])
