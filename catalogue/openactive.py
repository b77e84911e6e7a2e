"""An offer as an OpenActive opportunity: the data of the RPDE change feed.

OpenActive's Modelling Opportunity Data (https://openactive.io/modelling-opportunity-data/) describes
physical activity opportunities, and every opportunity type it defines requires an ``activity`` from
the OpenActive activity list. So an offer is an opportunity when one of its themes maps to a concept
of that list (``THEME_ACTIVITIES``); a theatre group or a homework club is not, and stays out of the
feed (the JSON-LD list and the CSV export hold the whole catalogue). An offer that stops being one
(its themes changed) leaves the feed as a tombstone.

Two kinds:

- ``SessionSeries``: an activity held at set weekly hours (a swimming course, a choir practice),
  with one ``PartialSchedule`` per weekly time slot: ``byDay`` as schema.org day URLs, start and end
  time, ``duration``, ``repeatFrequency`` P1W and ``scheduleTimezone``; a dated offer's first and last
  day on each schedule. OpenActive's ``PartialSchedule`` is the schedule that does not promise
  individually bookable ``ScheduledSession``\\s, which is what the catalogue knows.
- ``FacilityUse``: a place one walks into when one likes (drop-in, no registration, no end date),
  with its weekly time slots as ``hoursAvailable``.

What is unknown is left out, never defaulted. OpenActive requires an opportunity's ``Offer`` to have
a price, so an offer whose price is unknown stays out of the feed until its organisation fills it in
(rather than claiming € 0). The catalogue has no venue name, so the place is named by its address.
Every URL is on the configured public host (``catalogue.public_urls``).
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from .models import Commitment, OfferPage, OfferSession, Registration, SessionStatus, Weekday
from .pricing import is_free, unit_suffix
from .public_urls import public_url

OPENACTIVE = "https://openactive.io/"
ACTIVITY_LIST = "https://openactive.io/activity-list"
SCHEMA_ORG = "https://schema.org"
DAYS_OF_WEEK = tuple(f"{SCHEMA_ORG}/{day.name.capitalize()}" for day in Weekday)


# Our themes (by slug) and the OpenActive activity list concept each one is: (id fragment, prefLabel).
# Taken from the OpenActive activity list (https://openactive.io/activity-list, SKOS ConceptScheme
# "https://openactive.io/activity-list", concepts "https://openactive.io/activity-list#<uuid>"), as
# published in the list's OPML export; the Cycling and Walking ids also appear in OpenActive's own
# examples. A theme without a concept in the list (culture, youth work, cooking...) has no entry.
# tests/catalogue/openactive_activity_list.jsonld holds the same concepts for the validator.
THEME_ACTIVITIES: dict[str, tuple[str, str]] = {
    "zwemmen": ("2750229d-b725-4171-9276-376be913957c", "Swimming"),
    "voetbal": ("0a5f732d-e806-4e51-ad40-0a7de0239c8c", "Football"),
    "dans": ("6ca15167-51da-4d91-a1ae-8a45dc47b0ea", "Dance"),
    "vechtsport": ("2330f2d4-d0dc-4231-8dd9-07d37a452228", "Martial Arts"),
    "wandelen": ("95092977-5a20-4d6e-b312-8fddabe71544", "Walking"),
    # The list has no plain "fitness" or "gym"; "Multi Fitness" is its concept for mixed fitness training.
    "fitness": ("261395e5-9e11-4348-8bef-e0fafef0e765", "Multi Fitness"),
    "fietsen": ("4a19873e-118e-43f4-b86e-05acba8fb1de", "Cycling"),
    "yoga": ("bf1a5e00-cdcf-465d-8c5a-6f57040b7f7e", "Yoga"),
}

# Belgian postal codes by their first digits (bpost's numbering follows the provinces), as
# (lowest, highest, province or region); the region is the address's ``addressRegion``.
PROVINCES: tuple[tuple[int, int, str], ...] = (
    (1000, 1299, "Brussels Hoofdstedelijk Gewest"),
    (1300, 1499, "Waals-Brabant"),
    (1500, 1999, "Vlaams-Brabant"),
    (2000, 2999, "Antwerpen"),
    (3000, 3499, "Vlaams-Brabant"),
    (3500, 3999, "Limburg"),
    (4000, 4999, "Luik"),
    (5000, 5999, "Namen"),
    (6000, 6599, "Henegouwen"),
    (6600, 6999, "Luxemburg"),
    (7000, 7999, "Henegouwen"),
    (8000, 8999, "West-Vlaanderen"),
    (9000, 9999, "Oost-Vlaanderen"),
)


def activities(offer: OfferPage) -> list[dict]:
    """The offer's themes as OpenActive activity list concepts, in theme order, without repeats."""
    concepts, seen = [], set()
    for theme in offer.themes.all():
        concept = THEME_ACTIVITIES.get(theme.slug)
        if concept is None or concept in seen:
            continue
        seen.add(concept)
        fragment, label = concept
        concepts.append(
            {"@type": "Concept", "@id": f"{ACTIVITY_LIST}#{fragment}", "prefLabel": label, "inScheme": ACTIVITY_LIST}
        )
    return concepts


def province(postal_code: str) -> str | None:
    """The province (or Brussels region) of a Belgian postal code; None when it is not one."""
    if not (len(postal_code) == 4 and postal_code.isdigit()):
        return None
    number = int(postal_code)
    return next((name for low, high, name in PROVINCES if low <= number <= high), None)


def iso_duration(start: time, end: time) -> str | None:
    """The ISO 8601 duration from one time of day to a later one ("PT1H30M"); None when end is not later."""
    return minutes_duration((end.hour * 60 + end.minute) - (start.hour * 60 + start.minute))


def minutes_duration(minutes: int) -> str | None:
    """A number of minutes as an ISO 8601 duration ("PT1H30M"); None when it is not positive."""
    if minutes <= 0:
        return None
    hours, minutes = divmod(minutes, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")


def local_datetime(day: date, moment: time) -> str:
    """A day and time in the site's time zone, with its offset that day ("2026-09-02T14:00:00+02:00")."""
    return datetime.combine(day, moment, tzinfo=ZoneInfo(settings.TIME_ZONE)).isoformat()


def _going_sessions(offer: OfferPage) -> list[OfferSession]:
    return sorted(
        (session for session in offer.sessions.all() if session.status != SessionStatus.CANCELLED),
        key=lambda session: session.start,
    )


def _local(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).isoformat()


def first_session(offer: OfferPage) -> str | None:
    """When a dated offer's first session starts (local time with offset); None without dates or slots.

    Dated sessions (UiTdatabank's subEvents) say it themselves; otherwise the first weekly slot on or after
    the start date does.
    """
    going = _going_sessions(offer)
    if going:
        return _local(going[0].start)
    slots = list(offer.time_slots.all())
    if offer.start_date is None or not slots:
        return None
    for days in range(7):
        day = offer.start_date + timedelta(days=days)
        starts = [slot.start_time for slot in slots if slot.weekday == day.weekday()]
        if starts:
            if offer.end_date is not None and day > offer.end_date:
                return None
            return local_datetime(day, min(starts))
    return None


def last_session_end(offer: OfferPage) -> str | None:
    """When a dated offer's last session ends (local time with offset); None without dates or slots."""
    going = _going_sessions(offer)
    if going:
        return _local(max(session.end for session in going))
    slots = list(offer.time_slots.all())
    if offer.end_date is None or not slots:
        return None
    for days in range(7):
        day = offer.end_date - timedelta(days=days)
        ends = [slot.end_time for slot in slots if slot.weekday == day.weekday()]
        if ends:
            if offer.start_date is not None and day < offer.start_date:
                return None
            return local_datetime(day, max(ends))
    return None


def place_name(offer: OfferPage) -> str:
    """The place's name: the catalogue has no venue names, so its address names it."""
    return f"{offer.street_address}, {offer.postal_code} {offer.city}"


def is_facility_use(offer: OfferPage) -> bool:
    """A place one walks into when one likes: drop-in, no registration, no start or end date."""
    return (
        offer.commitment == Commitment.DROP_IN
        and offer.registration == Registration.WALK_IN
        and offer.start_date is None
        and offer.end_date is None
    )


def place(offer: OfferPage) -> dict:
    """The offer's location with the name, address (with region) and point OpenActive asks for."""
    address = {
        "@type": "PostalAddress",
        "streetAddress": offer.street_address,
        "addressLocality": offer.city,
        "postalCode": offer.postal_code,
        "addressCountry": "BE",
    }
    region = province(offer.postal_code)
    if region:
        address["addressRegion"] = region
    location = {
        "@type": "Place",
        "name": place_name(offer),
        "address": address,
        "geo": {"@type": "GeoCoordinates", "latitude": offer.latitude, "longitude": offer.longitude},
    }
    if offer.public_transport_stop:
        location["description"] = offer.public_transport_stop
    return location


def organisation(offer: OfferPage) -> dict:
    """The organisation as an Organization identified by its public page."""
    owner = offer.organisation
    data = {"@type": "Organization", "name": owner.name}
    page = getattr(owner, "page", None)
    url = public_url(page) if page is not None else None
    if url:
        data["@id"] = url
        data["url"] = url
    if owner.email:
        data["email"] = owner.email
    if owner.phone:
        data["telephone"] = owner.phone
    if owner.website:
        data["sameAs"] = [owner.website]
    return data


def _price_offer(identifier: str, name: str, price, unit: str, url: str | None) -> dict:
    # OpenActive's Offer has no unit; schema.org's, prefixed as OpenActive asks of other vocabularies.
    specification = {
        "@type": "schema:UnitPriceSpecification",
        "schema:price": float(price),
        "schema:priceCurrency": "EUR",
        "schema:unitText": unit,
        "schema:description": unit_suffix(unit),
    }
    item = {
        "@type": "Offer",
        "identifier": identifier,
        "name": name,
        "price": float(price),
        "priceCurrency": "EUR",
        "schema:priceSpecification": specification,
    }
    if url:
        item["@id"] = f"{url}#offer-{identifier}"
        item["url"] = url
    return item


def offers(offer: OfferPage, url: str | None) -> list[dict]:
    """The regular price and the reduced one where there is one."""
    items = [_price_offer("regular", _("Regular price"), offer.list_price, offer.price_unit, url)]
    if offer.reduced_tariff and offer.reduced_price is not None:
        reduced = _price_offer(
            "reduced", str(offer.get_reduced_tariff_display()), offer.reduced_price, offer.price_unit, url
        )
        if offer.reduced_price_who:
            reduced["description"] = offer.reduced_price_who
        items.append(reduced)
    return items


def _schedules(offer: OfferPage) -> list[dict]:
    schedules = []
    for slot in offer.time_slots.all():
        schedule = {
            "@type": "PartialSchedule",
            "repeatFrequency": "P1W",
            "byDay": [DAYS_OF_WEEK[slot.weekday]],
            "startTime": slot.start_time.isoformat("minutes"),
            "endTime": slot.end_time.isoformat("minutes"),
            "scheduleTimezone": settings.TIME_ZONE,
        }
        duration = iso_duration(slot.start_time, slot.end_time)
        if duration:
            schedule["duration"] = duration
        if offer.start_date:
            schedule["startDate"] = offer.start_date.isoformat()
        if offer.end_date:
            schedule["endDate"] = offer.end_date.isoformat()
        closed = _closed_dates(offer)
        if closed:
            schedule["exceptDate"] = closed
        schedules.append(schedule)
    return schedules


def _closed_dates(offer: OfferPage) -> list[str]:
    """Every day the offer is closed (its closed-day periods, day by day), as the schedule's exceptDate."""
    days = set()
    for closed in offer.closed_days.all():
        day = closed.start_date
        while day <= closed.end_date:
            days.add(day)
            day += timedelta(days=1)
    return [day.isoformat() for day in sorted(days)]


SESSION_STATUS = {
    SessionStatus.SCHEDULED: f"{SCHEMA_ORG}/EventScheduled",
    SessionStatus.FULLY_BOOKED: f"{SCHEMA_ORG}/EventScheduled",
    SessionStatus.POSTPONED: f"{SCHEMA_ORG}/EventPostponed",
    SessionStatus.CANCELLED: f"{SCHEMA_ORG}/EventCancelled",
}


def _scheduled_sessions(offer: OfferPage, url: str | None) -> list[dict]:
    """Dated sessions as OpenActive ScheduledSessions; a fully booked one has no place left."""
    sessions = []
    for session in sorted(offer.sessions.all(), key=lambda session: session.start):
        item = {
            "@type": "ScheduledSession",
            "identifier": f"{offer.pk}-{session.pk}",
            "startDate": _local(session.start),
            "endDate": _local(session.end),
            "eventStatus": SESSION_STATUS[session.status],
        }
        if url:
            item["@id"] = f"{url}#session-{session.pk}"
        duration = minutes_duration(int((session.end - session.start).total_seconds() // 60))
        if duration:
            item["duration"] = duration
        if offer.capacity is not None:
            item["maximumAttendeeCapacity"] = offer.capacity
        if session.status == SessionStatus.FULLY_BOOKED or offer.is_full:
            item["remainingAttendeeCapacity"] = 0
        elif offer.capacity is not None:
            item["remainingAttendeeCapacity"] = offer.capacity - offer.places_confirmed - offer.group_enrolled
        sessions.append(item)
    return sessions


def _hours(offer: OfferPage) -> list[dict]:
    return [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": [DAYS_OF_WEEK[slot.weekday]],
            "opens": slot.start_time.isoformat("minutes"),
            "closes": slot.end_time.isoformat("minutes"),
        }
        for slot in offer.time_slots.all()
    ]


def _age_range(offer: OfferPage) -> dict | None:
    if offer.age_min is None and offer.age_max is None:
        return None
    age_range = {"@type": "QuantitativeValue"}
    if offer.age_min is not None:
        age_range["minValue"] = offer.age_min
    if offer.age_max is not None:
        age_range["maxValue"] = offer.age_max
    return age_range


def offer_opportunity(offer: OfferPage) -> dict | None:
    """The offer as an OpenActive SessionSeries or FacilityUse, or None when it is no activity opportunity.

    In the site's default language whoever asks, as the change feed stores it at publish time.
    """
    concepts = activities(offer)
    if not concepts or offer.list_price is None:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        return _opportunity(offer, concepts)


def _opportunity(offer: OfferPage, concepts: list[dict]) -> dict:
    url = public_url(offer)
    facility = is_facility_use(offer)
    data: dict = {"@context": [OPENACTIVE], "@type": "FacilityUse" if facility else "SessionSeries"}
    if url:
        data["@id"] = f"{url}#opportunity"
        data["url"] = url
    data.update(
        {
            "identifier": str(offer.pk),
            "name": offer.title,
            "description": offer.plain_summary,
            "activity": concepts,
            "location": place(offer),
            "offers": offers(offer, url),
        }
    )
    data["provider" if facility else "organizer"] = organisation(offer)
    if offer.schedule_note:
        data["schedulingNote"] = offer.schedule_note
    # Freshness has no OpenActive property; schema.org's, prefixed as OpenActive asks of other vocabularies.
    page = {"@type": "schema:WebPage", "schema:lastReviewed": offer.last_confirmed.isoformat()}
    if url:
        page["schema:url"] = url
    if offer.last_published_at:
        page["schema:dateModified"] = offer.last_published_at.isoformat()
    data["schema:mainEntityOfPage"] = page
    if facility:
        hours = _hours(offer)
        if hours:
            data["hoursAvailable"] = hours
        return data
    data["isAccessibleForFree"] = is_free(offer)  # an Event's; a FacilityUse says it with its price
    schedules = _schedules(offer)
    if schedules:
        data["eventSchedule"] = schedules
    sessions = _scheduled_sessions(offer, url)
    if sessions:
        data["subEvent"] = sessions
    age_range = _age_range(offer)
    if age_range:
        data["ageRange"] = age_range
    if offer.is_group_programme and offer.guide_name:
        data["leader"] = [{"@type": "Person", "name": offer.guide_name}]
    if offer.capacity is not None or offer.group_size_max:
        data["maximumAttendeeCapacity"] = offer.capacity if offer.capacity is not None else offer.group_size_max
    return data
