"""What the search knows of an offer: one flat document, built once, indexed by either engine."""

from decimal import Decimal

from django.utils.html import strip_tags

from catalogue.models import OfferPage, ReducedTariff, Registration

from .facets import ACCESSIBILITY_NAMES
from .query import part_of_day
from .text import normalise

UITPAS_TARIFFS = {ReducedTariff.UITPAS, ReducedTariff.BOTH}
SOCIAL_TARIFFS = {ReducedTariff.SOCIAL, ReducedTariff.BOTH}


def client_costs(offer: OfferPage) -> dict[str, Decimal]:
    """The price each kind of client pays: with UiTPAS opportunity tariff, social tariff, both, or neither."""
    regular = offer.list_price
    reduced = offer.reduced_price if offer.reduced_price is not None else regular
    uitpas = min(regular, reduced) if offer.reduced_tariff in UITPAS_TARIFFS else regular
    social = min(regular, reduced) if offer.reduced_tariff in SOCIAL_TARIFFS else regular
    return {"cost_regular": regular, "cost_uitpas": uitpas, "cost_social": social, "cost_all": min(uitpas, social)}


def threshold_flags(offer: OfferPage) -> list[str]:
    flags = {
        "walk_in": offer.registration == Registration.WALK_IN,
        "free_trial": offer.free_trial,
        "companion_welcome": offer.companion_welcome,
        "companion_free": offer.companion_free,
        "welcome_contact": bool(offer.welcome_contact_name),
        "no_experience_needed": offer.no_experience_needed,
        "childcare": offer.childcare,
        "instalments": offer.instalments,
        "ocmw_participation_funds": offer.ocmw_participation_funds,
        "pictograms": offer.pictograms,
        "women_only": offer.welcome_women_only,
        "newcomers": offer.welcome_newcomers,
        "seniors": offer.welcome_seniors,
        "families": offer.welcome_families or offer.for_families,
    }
    return [name for name, holds in flags.items() if holds]


def offer_to_document(offer: OfferPage, *, url: str | None = None) -> dict:
    """The search document of a published offer; expects themes, languages and time slots prefetched.

    ``url`` may be given by a caller that computes it for many offers at once (see ``indexer``).
    """
    slots = list(offer.time_slots.all())
    themes = list(offer.themes.all())
    description = strip_tags(offer.description or "")
    return {
        "id": offer.pk,
        "title": offer.title,
        "url": url or offer.get_url(),
        "summary": offer.plain_summary,
        "description": description,
        "organisation": offer.organisation.slug,
        "organisation_name": offer.organisation.name,
        "domain": offer.domain,
        "themes": [theme.slug for theme in themes],
        "theme_names": [theme.name for theme in themes],
        "district": offer.neighbourhood.district.code,
        "district_name": offer.neighbourhood.district.name,
        "neighbourhood": offer.neighbourhood.code,
        "neighbourhood_name": offer.neighbourhood.name,
        "location": {"lat": offer.latitude, "lon": offer.longitude},
        **client_costs(offer),
        "list_price": offer.list_price,
        "price_unit": offer.price_unit,
        "is_free": offer.list_price == 0,
        "age_min": offer.age_min if offer.age_min is not None else 0,
        "age_max": offer.age_max if offer.age_max is not None else 120,
        "dutch_level": offer.dutch_level,
        "languages": [language.code for language in offer.languages.all()],
        "accessibility": [name for name in ACCESSIBILITY_NAMES if getattr(offer, name)],
        "facts": threshold_flags(offer),
        "weekdays": sorted({slot.weekday for slot in slots}),
        "parts_of_day": sorted({str(part_of_day(slot.start_time)) for slot in slots}),
        "slots": sorted({f"{slot.weekday}-{part_of_day(slot.start_time)}" for slot in slots}),
        "schedule": [
            {
                "weekday": slot.weekday,
                "start": slot.start_time.isoformat("minutes"),
                "end": slot.end_time.isoformat("minutes"),
            }
            for slot in slots
        ],
        "start_date": offer.start_date,
        "end_date": offer.end_date,
        "published_at": offer.first_published_at,
        "last_confirmed": offer.last_confirmed,
        "text": normalise(
            " ".join(
                [offer.title, offer.plain_summary, description, offer.organisation.name, offer.neighbourhood.name]
                + [theme.name for theme in themes]
            )
        ),
        "title_text": normalise(offer.title),
    }
