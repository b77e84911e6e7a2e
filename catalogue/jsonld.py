"""An offer as schema.org JSON-LD: the one description used on its page and in the open data list.

The RPDE change feed speaks OpenActive's model instead (``catalogue.openactive``).

A dated offer (a start or an end date) is an ``Event`` with an ``eventSchedule``: an activity that
happens at set hours in a place between two days (a swimming course from September to June).
``eventSchedule`` holds one ``Schedule`` per weekly time slot (``byDay``, ``startTime``, ``endTime``,
``repeatFrequency`` P1W), the shape of OpenActive's SessionSeries and UiTdatabank's "periodic"
calendar; ``startDate``/``endDate`` are its first session's start and its last session's end in local
time with their offset (Google's Event rules ask a time).

A permanent offer (no dates: a homework class, an open studio) is no event: it is a ``Service`` the
organisation (``provider``) offers at a place (``availableChannel``: a ``ServiceChannel`` whose
``serviceLocation`` is the place, with the languages spoken), in its neighbourhood (``areaServed``),
at weekly hours (``hoursAvailable``: one ``OpeningHoursSpecification`` per time slot). A ``Place``
with opening hours would describe when a building is open, and has no ``offers`` or ``audience``.
A Service has no ``isAccessibleForFree``, ``typicalAgeRange``, ``inLanguage`` or ``eventStatus``:
the price of 0, the audience's ages and the channel's languages say the same; a postponed permanent
offer claims no availability on its prices. The domain and themes are the Event's ``about`` and the
Service's ``category``.

Both name their place by its address (the catalogue has no venue names), and the offer's photos are
their ``image``, on the public host.

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
    if neighbourhood is not None:
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
    elif offer.municipality is not None:
        # Outside Antwerp: the municipality (NIS code) the point lies in.
        place["containedInPlace"] = {
            "@type": "AdministrativeArea",
            "name": offer.municipality.name,
            "identifier": offer.municipality.code,
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
    """The offer as one schema.org Event (dated) or Service (permanent), in the site's default language.

    The change feed stores this at publish time, so it must not depend on the language of the request
    that happened to trigger the publish. Expects organisation (with its page), neighbourhood with
    district, themes, languages, time slots and extra costs to be loaded or loadable.
    """
    with translation.override(settings.LANGUAGE_CODE):
        node = _service(offer) if offer.is_permanent else _event(offer)
        return _with_page(offer, node, with_context=with_context)


def _languages(offer: OfferPage) -> list[str]:
    return [DUTCH, *sorted(language.code for language in offer.languages.all())]


def _terms(offer: OfferPage) -> list[dict]:
    return [
        {"@type": "DefinedTerm", "name": str(offer.get_domain_display()), "termCode": offer.domain},
        *[{"@type": "DefinedTerm", "name": theme.name, "termCode": theme.slug} for theme in offer.themes.all()],
    ]


def _with_page(offer: OfferPage, node: dict, *, with_context: bool) -> dict:
    """What an Event and a Service share: identity, name, link, prices, photos, audience and its page."""
    url = public_url(offer)
    shared: dict = {"@context": SCHEMA_ORG} if with_context else {}
    if url:
        shared["@id"] = f"{url}#offer"
    shared.update(
        {
            "@type": node.pop("@type"),
            "identifier": str(offer.pk),
            "name": offer.title,
            "description": offer.plain_summary,
            **node,
            "offers": _offers(offer, url),
        }
    )
    if url:
        shared["url"] = url
    images = [public_image(photo.image) for photo in offer.photos.all()]
    if images:
        shared["image"] = images
    audience = _audience(offer)
    if len(audience) > 1:
        shared["audience"] = audience
    page = {"@type": "WebPage", "lastReviewed": offer.last_confirmed.isoformat()}
    if url:
        page["url"] = url
    if offer.last_published_at:
        page["dateModified"] = offer.last_published_at.isoformat()
    shared["mainEntityOfPage"] = page
    return shared


def _service(offer: OfferPage) -> dict:
    place = _place(offer)
    service = {
        "@type": "Service",
        "provider": organisation(offer),
        "availableChannel": {
            "@type": "ServiceChannel",
            "serviceLocation": place,
            "availableLanguage": _languages(offer),
        },
        "areaServed": place["containedInPlace"],
        "category": _terms(offer),
    }
    hours = [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": DAYS_OF_WEEK[slot.weekday],
            "opens": slot.start_time.isoformat("minutes"),
            "closes": slot.end_time.isoformat("minutes"),
        }
        for slot in offer.time_slots.all()
    ]
    if hours:
        service["hoursAvailable"] = hours
    return service


def _event(offer: OfferPage) -> dict:
    event: dict = {
        "@type": "Event",
        "eventStatus": EVENT_STATUS.get(offer.availability, f"{SCHEMA_ORG}/EventScheduled"),
        "eventAttendanceMode": f"{SCHEMA_ORG}/OfflineEventAttendanceMode",
        "location": _place(offer),
        "organizer": organisation(offer),
        "inLanguage": _languages(offer),
        "about": _terms(offer),
    }
    if offer.list_price is not None:  # an unknown price says nothing about being free
        event["isAccessibleForFree"] = is_free(offer)
    if offer.capacity or offer.group_size_max:
        event["maximumAttendeeCapacity"] = offer.capacity or offer.group_size_max
    age_range = _age_range(offer)
    if age_range:
        event["typicalAgeRange"] = age_range
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
    return event
