"""An offer as schema.org JSON-LD: the one description used on its page and in the open data list.

The RPDE change feed speaks OpenActive's model instead (``catalogue.openactive``).

Why an ``Event`` with an ``eventSchedule``: an offer is an activity that happens at set hours in a
place (a swimming lesson on Wednesdays, a choir on Saturdays), mostly without an end date. schema.org
models exactly that as an Event whose ``eventSchedule`` holds one ``Schedule`` per weekly time slot
(``byDay``, ``startTime``, ``endTime``, ``repeatFrequency`` P1W); OpenActive's SessionSeries and
UiTdatabank's "periodic" and "permanent" calendars are the same shape, so aggregators read it without a
mapping. A dated offer adds ``startDate``/``endDate``: its first session's start and its last
session's end in local time with their offset (Google's Event rules ask a time); a permanent one leaves
them out. The place is named (by its address; the catalogue has no venue names) and the offer's photos
are its ``image``, on the public host. A Place-based description (``Place`` with
``openingHoursSpecification``) would describe when a building is open, not when an activity happens,
and has no ``offers``, ``organizer`` or ``audience``.

Where the brief's property names are not defined for an Event in schema.org, the same fact goes where
the vocabulary puts it (``tests/catalogue/schemaorg_check.py`` holds the output to the vocabulary):

- accessibility: ``accessibilityFeature`` is defined for CreativeWork only, so the facts are the
  Place's ``amenityFeature`` (LocationFeatureSpecification): ``name`` is the schema.org
  accessibilityFeature term from ``catalogue.facts`` (the field name where schema.org has none),
  ``propertyID`` the UiTdatabank facility id where there is one;
- ``dateModified`` is defined for CreativeWork, so it sits on ``mainEntityOfPage`` (the WebPage), with
  ``lastReviewed``: the day the organisation last confirmed the offer;
- ``availableLanguage`` is not defined for Event; ``inLanguage`` lists Dutch and every other
  language spoken;
- the reduced tariff is a second ``Offer`` whose ``description`` says who qualifies:
  ``eligibleCustomerType`` only takes GoodRelations business entity types (Business, Enduser, ...),
  which cannot say "UiTPAS with opportunity status".

People's names, e-mail addresses and phone numbers (welcome and referral contacts) stay out: open
data is harvested in bulk; the organiser's own contact details are given instead.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from .facts import ACCESSIBILITY_FACTS, GROUPS_WELCOME
from .models import Availability, OfferPage, PriceUnit, Weekday
from .openactive import first_session, last_session_end, organisation
from .openactive import place as openactive_place
from .pricing import is_free, unit_suffix
from .public_urls import public_url

SCHEMA_ORG = "https://schema.org"
# schema.org DayOfWeek members in the order of ``Weekday`` (0 is Monday).
DAYS_OF_WEEK = tuple(f"{SCHEMA_ORG}/{day.name.capitalize()}" for day in Weekday)
DUTCH = "nl"


def public_image(image) -> str:
    """A photo's original file on the configured public host."""
    url = image.file.url
    return url if url.startswith(("http://", "https://")) else settings.PUBLIC_BASE_URL.rstrip("/") + url


def _money(amount) -> float | None:
    return None if amount is None else float(amount)


def _schedule(offer: OfferPage) -> list[dict]:
    schedules = []
    for slot in offer.time_slots.all():
        schedule = {
            "@type": "Schedule",
            "byDay": DAYS_OF_WEEK[slot.weekday],
            "startTime": slot.start_time.isoformat("minutes"),
            "endTime": slot.end_time.isoformat("minutes"),
            "repeatFrequency": "P1W",
            "scheduleTimezone": settings.TIME_ZONE,
        }
        if offer.start_date:
            schedule["startDate"] = offer.start_date.isoformat()
        if offer.end_date:
            schedule["endDate"] = offer.end_date.isoformat()
        schedules.append(schedule)
    return schedules


def _place(offer: OfferPage) -> dict:
    """OpenActive's place (name, address with region, point), with the neighbourhood and accessibility."""
    neighbourhood = offer.neighbourhood
    place = openactive_place(offer)
    place["containedInPlace"] = {
        "@type": "Place",
        "name": neighbourhood.name,
        "identifier": neighbourhood.code,
        "containedInPlace": {
            "@type": "AdministrativeArea",
            "name": neighbourhood.district.name,
            "identifier": neighbourhood.district.code,
        },
    }
    features = [
        {
            "@type": "LocationFeatureSpecification",
            "name": fact.schema_org or fact.field,
            "value": True,
            **({"propertyID": fact.uitdatabank_id} if fact.uitdatabank_id else {}),
        }
        for fact in ACCESSIBILITY_FACTS
        if getattr(offer, fact.field)
    ]
    if features:
        place["amenityFeature"] = features
    return place


EVENT_STATUS = {Availability.POSTPONED: f"{SCHEMA_ORG}/EventPostponed"}


# UN/CEFACT common codes where one exists for what a price buys (a session or a season has none).
UNIT_CODES = {PriceUnit.MONTH: "MON", PriceUnit.YEAR: "ANN"}


def price_specification(price, unit: str) -> dict:
    """What one amount buys: one session, month, season or year, or the whole activity ("once")."""
    quantity = {"@type": "QuantitativeValue", "value": 1, "unitText": unit}
    if unit in UNIT_CODES:
        quantity["unitCode"] = UNIT_CODES[unit]
    return {
        "@type": "UnitPriceSpecification",
        "price": _money(price),
        "priceCurrency": "EUR",
        "unitText": unit,
        "referenceQuantity": quantity,
        "description": unit_suffix(unit),
    }


def _availability(offer: OfferPage) -> str | None:
    """schema.org's ItemAvailability when it is known; a postponed offer says so in its eventStatus instead."""
    if offer.is_full:
        return f"{SCHEMA_ORG}/SoldOut"
    return f"{SCHEMA_ORG}/InStock" if offer.place_free else None


def _offers(offer: OfferPage, url: str | None) -> list[dict]:
    regular = {
        "@type": "Offer",
        "name": _("Regular price"),
        "price": _money(offer.list_price),
        "priceCurrency": "EUR",
        "priceSpecification": price_specification(offer.list_price, offer.price_unit),
    }
    if offer.list_price is None:  # unknown: an offer without a price, never a price of 0
        regular = {"@type": "Offer", "name": _("Regular price"), "priceCurrency": "EUR"}
    offers = [regular]
    if offer.reduced_tariff and offer.reduced_price is not None:
        reduced = {
            "@type": "Offer",
            "name": str(offer.get_reduced_tariff_display()),
            "category": offer.reduced_tariff,
            "price": _money(offer.reduced_price),
            "priceCurrency": "EUR",
            "priceSpecification": price_specification(offer.reduced_price, offer.price_unit),
        }
        if offer.reduced_price_who:
            reduced["description"] = offer.reduced_price_who
        offers.append(reduced)
    add_ons = [
        {
            "@type": "Offer",
            "name": f"{cost.get_kind_display()}: {cost.description}" if cost.description else cost.get_kind_display(),
            "description": _("required") if cost.required else _("optional"),
            "price": _money(cost.amount),
            "priceCurrency": "EUR",
        }
        for cost in offer.extra_costs.all()
    ]
    availability = _availability(offer)
    for item in offers:
        if url:
            item["url"] = url
        if availability:
            item["availability"] = availability
        if add_ons:
            item["addOn"] = add_ons
    return offers


def _audience(offer: OfferPage) -> dict:
    audience: dict = {"@type": "PeopleAudience"}
    if offer.age_min is not None:
        audience["suggestedMinAge"] = offer.age_min
    if offer.age_max is not None:
        audience["suggestedMaxAge"] = offer.age_max
    groups = [str(fact.label) for fact in GROUPS_WELCOME if getattr(offer, fact.field)]
    if offer.for_families:
        groups.append(_("for families"))
    if offer.for_groups:
        groups.append(_("for groups"))
    if groups:
        audience["audienceType"] = groups
    return audience


def _age_range(offer: OfferPage) -> str | None:
    if offer.age_min is None and offer.age_max is None:
        return None
    low = "" if offer.age_min is None else str(offer.age_min)
    high = "" if offer.age_max is None else str(offer.age_max)
    return f"{low}-{high}"


def offer_jsonld(offer: OfferPage, *, with_context: bool = True) -> dict:
    """The offer as one schema.org Event, in the site's default language whoever asks.

    The change feed stores this at publish time, so it must not depend on the language of the request
    that happened to trigger the publish. Expects organisation (with its page), neighbourhood with
    district, themes, languages, time slots and extra costs to be loaded or loadable.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return _event(offer, with_context=with_context)


def _event(offer: OfferPage, *, with_context: bool) -> dict:
    url = public_url(offer)
    event: dict = {}
    if with_context:
        event["@context"] = SCHEMA_ORG
    if url:
        event["@id"] = f"{url}#offer"
    event.update(
        {
            "@type": "Event",
            "identifier": str(offer.pk),
            "name": offer.title,
            "description": offer.plain_summary,
            "eventStatus": EVENT_STATUS.get(offer.availability, f"{SCHEMA_ORG}/EventScheduled"),
            "eventAttendanceMode": f"{SCHEMA_ORG}/OfflineEventAttendanceMode",
            "location": _place(offer),
            "organizer": organisation(offer),
            "offers": _offers(offer, url),
            "inLanguage": [DUTCH, *sorted(language.code for language in offer.languages.all())],
            "about": [
                {"@type": "DefinedTerm", "name": str(offer.get_domain_display()), "termCode": offer.domain},
                *[{"@type": "DefinedTerm", "name": theme.name, "termCode": theme.slug} for theme in offer.themes.all()],
            ],
        }
    )
    if offer.list_price is not None:  # an unknown price says nothing about being free
        event["isAccessibleForFree"] = is_free(offer)
    if url:
        event["url"] = url
    schedule = _schedule(offer)
    if schedule:
        event["eventSchedule"] = schedule
    # A dated offer starts at its first session and ends with its last (local time with offset);
    # without weekly slots only the days are known.
    start, end = first_session(offer), last_session_end(offer)
    if start or offer.start_date:
        event["startDate"] = start or offer.start_date.isoformat()
    if end or offer.end_date:
        event["endDate"] = end or offer.end_date.isoformat()
    images = [public_image(photo.image) for photo in offer.photos.all()]
    if images:
        event["image"] = images
    audience = _audience(offer)
    if len(audience) > 1:
        event["audience"] = audience
    age_range = _age_range(offer)
    if age_range:
        event["typicalAgeRange"] = age_range
    if offer.group_size_max:
        event["maximumAttendeeCapacity"] = offer.group_size_max
    page = {"@type": "WebPage", "lastReviewed": offer.last_confirmed.isoformat()}
    if url:
        page["url"] = url
    if offer.last_published_at:
        page["dateModified"] = offer.last_published_at.isoformat()
    event["mainEntityOfPage"] = page
    return event
