"""What the search knows of an offer: one flat document, built once, indexed by either engine."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import time
from types import SimpleNamespace

from django.db.models import F, QuerySet
from django.utils.html import strip_tags

from catalogue.facts import ACCESSIBILITY_FACTS, is_full, search_fact_fields, search_facts_holding
from catalogue.models import OfferExtraCost, OfferPage, OfferTimeSlot
from catalogue.pricing import PRICE_FIELDS, client_costs, costs_extra, free_of_charge

from .query import part_of_day
from .text import normalise

OFFER_FIELDS = (
    "id",
    "title",
    "url_path",
    "plain_summary",
    "description",
    "domain",
    "latitude",
    "longitude",
    *PRICE_FIELDS,
    "price_unit",
    "age_min",
    "age_max",
    "dutch_level",
    "availability",
    "start_date",
    "end_date",
    "first_published_at",
    "last_confirmed",
    "live_revision_id",
    *search_fact_fields(),
    *(fact.field for fact in ACCESSIBILITY_FACTS),
)
RELATED_FIELDS = {
    "organisation_slug": F("organisation__slug"),
    "organisation_name": F("organisation__name"),
    "neighbourhood_code": F("neighbourhood__code"),
    "neighbourhood_name": F("neighbourhood__name"),
    "district_code": F("neighbourhood__district__code"),
    "district_name": F("neighbourhood__district__name"),
    "municipality_code": F("municipality__code"),
    "municipality_name": F("municipality__name"),
    "deelgemeente_code": F("deelgemeente__code"),
    "wijk_code": F("wijk__code"),
}
# An offer's areas, from municipality down to neighbourhood: the area filter matches any of them.
AREA_CODES = ("municipality_code", "deelgemeente_code", "district_code", "wijk_code", "neighbourhood_code")


def _grouped(rows: Iterable[tuple]) -> defaultdict[int, list[tuple]]:
    grouped: defaultdict[int, list[tuple]] = defaultdict(list)
    for offer_id, *values in rows:
        grouped[offer_id].append(tuple(values))
    return grouped


def offer_documents(offers: QuerySet[OfferPage], *, site_roots: Sequence[str]) -> list[dict]:
    """The search documents of these offers, from six queries however many offers there are.

    Plain values rather than page instances with prefetches: a reindex of 100,000 offers would
    spend most of its time building model instances it only reads a few fields of.
    ``site_roots`` are the url_paths of the sites' root pages, longest first.
    """
    rows = [SimpleNamespace(**row) for row in offers.values(*OFFER_FIELDS, **RELATED_FIELDS)]
    ids = [row.id for row in rows]
    themes = _grouped(
        OfferPage.themes.through.objects.filter(offerpage_id__in=ids)
        .order_by("theme__name")
        .values_list("offerpage_id", "theme__slug", "theme__name")
    )
    languages = _grouped(
        OfferPage.languages.through.objects.filter(offerpage_id__in=ids)
        .order_by("language__name")
        .values_list("offerpage_id", "language__code")
    )
    slots = _grouped(
        OfferTimeSlot.objects.filter(offer_id__in=ids)
        .order_by("sort_order", "pk")
        .values_list("offer_id", "weekday", "start_time", "end_time")
    )
    served = _grouped(
        OfferPage.served_networks.through.objects.filter(offerpage_id__in=ids)
        .order_by("network__slug")
        .values_list("offerpage_id", "network__slug")
    )
    extras = _grouped(OfferExtraCost.objects.filter(offer_id__in=ids, required=True).values_list("offer_id", "amount"))
    for row in rows:
        row.compulsory_extras = [amount for (amount,) in extras[row.id]]
        row.served_networks = [slug for (slug,) in served[row.id]]
    return [
        _document(row, themes[row.id], [code for (code,) in languages[row.id]], slots[row.id], site_roots)
        for row in rows
    ]


def _url(url_path: str, site_roots: Sequence[str]) -> str | None:
    """The offer's path on its site, from its url_path, without a URL lookup per offer."""
    for root in site_roots:
        if url_path.startswith(root):
            return "/" + url_path[len(root) :]
    return None


def _document(
    offer: SimpleNamespace,
    themes: list[tuple[str, str]],
    languages: list[str],
    slots: list[tuple[int, time, time]],
    site_roots: Sequence[str],
) -> dict:
    description = strip_tags(offer.description or "")
    theme_names = [name for _slug, name in themes]
    return {
        "id": offer.id,
        "title": offer.title,
        "url": _url(offer.url_path, site_roots),
        "summary": offer.plain_summary,
        "description": description,
        "organisation": offer.organisation_slug,
        "organisation_name": offer.organisation_name,
        "domain": offer.domain,
        "themes": [slug for slug, _name in themes],
        "theme_names": theme_names,
        # Antwerp's own district and neighbourhood; empty for a point elsewhere.
        "district": offer.district_code or "",
        "district_name": offer.district_name or "",
        "neighbourhood": offer.neighbourhood_code or "",
        "neighbourhood_name": offer.neighbourhood_name or "",
        "municipality": offer.municipality_code,
        "municipality_name": offer.municipality_name or "",
        "deelgemeente": offer.deelgemeente_code,
        "wijk": offer.wijk_code,
        "areas": [code for code in (getattr(offer, name) for name in AREA_CODES) if code],
        # The networks its organisation also offers it to, beyond those whose area holds its point (their slugs).
        "networks": offer.served_networks,
        "location": {"lat": offer.latitude, "lon": offer.longitude},
        **client_costs(offer),
        "list_price": offer.list_price,
        "price_unit": offer.price_unit,
        "is_free": free_of_charge(offer.list_price, offer.compulsory_extras),
        # A client whose tariff brings the price to 0 still pays these: "free" for them needs it false.
        "costs_extra": costs_extra(offer.compulsory_extras),
        "age_min": offer.age_min if offer.age_min is not None else 0,
        "age_max": offer.age_max if offer.age_max is not None else 120,
        "dutch_level": offer.dutch_level,
        "availability": offer.availability,
        "languages": languages,
        "accessibility": [fact.search_name for fact in ACCESSIBILITY_FACTS if fact.holds(offer)],
        "facts": search_facts_holding(offer),
        "full": is_full(offer),
        "weekdays": sorted({weekday for weekday, _start, _end in slots}),
        "parts_of_day": sorted({str(part_of_day(start)) for _weekday, start, _end in slots}),
        "slots": sorted({f"{weekday}-{part_of_day(start)}" for weekday, start, _end in slots}),
        "schedule": [
            {"weekday": weekday, "start": start.isoformat("minutes"), "end": end.isoformat("minutes")}
            for weekday, start, end in slots
        ],
        "start_date": offer.start_date,
        "end_date": offer.end_date,
        "published_at": offer.first_published_at,
        "last_confirmed": offer.last_confirmed,
        # Which published version this is: the reconciliation compares it with the offer's (search.indexer.reconcile).
        "revision": offer.live_revision_id,
        # The organiser's name is left out of the words: "zwemmen" must not bring back a swimming club's
        # football and cycling; the organiser filter finds an organiser's offers.
        "text": normalise(
            " ".join([offer.title, offer.plain_summary, description, offer.neighbourhood_name or ""] + theme_names)
        ),
        "title_text": normalise(offer.title),
    }
