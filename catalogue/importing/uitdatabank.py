"""UiTdatabank JSON-LD (events and places) into import items, with every field that has a threshold meaning.

The format is publiq's (https://docs.publiq.be/, "Entry API" and "Search API" JSON-LD). Term ids
for event types and themes come from publiq's own facet mapping (cultuurnet/udb3-search-service,
facet_mapping_types.yml and facet_mapping_themes.yml); facility ids come from ``catalogue.facts``.

=========================================  ==================================================
UiTdatabank                                 offer
=========================================  ==================================================
``@id`` (the UUID at its end)               ``external_id``; ``source`` is always uitdatabank
``name`` (nl, else mainLanguage, else any)  ``title``
``description`` (same choice, HTML)         ``description`` as paragraphs; its first 600
                                            characters as ``plain_summary`` (else the title)
``calendarType`` single / multiple          one dated session (``OfferSession``) per ``subEvent``
  with ``startDate``, ``endDate``,          with its own start and real end (past midnight
  ``subEvent``                              too); ``start_date``/``end_date`` from the sessions
                                            that take place; ``commitment`` single
``subEvent[].status`` Unavailable /         the session kept as cancelled / postponed; every
  TemporarilyUnavailable                    one cancelled: as a cancelled document
``subEvent[].bookingAvailability``          the session fully booked; all of them: the offer
                                            ``availability`` fully booked
``subEvent[].childcare``                    the childcare fact
``calendarType`` periodic                   ``start_date``, ``end_date``; ``openingHours`` →
                                            time slots; ``commitment`` series for a course or
                                            camp (price then for the whole), else drop-in
``calendarType`` permanent                  no dates; ``openingHours`` → time slots; drop-in
``openingHoursClosedDays``                  closed days (``OfferClosedDay``), with why
``calendarType`` missing (older documents)  periodic when it has start and end, else permanent
``availableFrom`` / ``availableTo``         not yet shown / ended: not published (ours goes
                                            offline); ``availableTo`` is the page's expiry,
                                            which ``unpublish_ended_offers`` acts on daily
end of the calendar in the past             not published (ours goes offline)
``status.type`` Unavailable,                withdrawn: our offer goes offline (never deleted)
  ``workflowStatus`` DELETED / REJECTED
``status.type`` TemporarilyUnavailable      ``availability`` postponed (the reason in a note)
``bookingAvailability.type`` Unavailable    ``availability`` fully booked; Available: places left;
                                            missing: not stated
``attendanceMode`` online                   refused: the catalogue lists places one goes to
``location.address`` (places: ``address``)  ``street_address``, ``postal_code``, ``city``
``location.geo`` (places: ``geo``)          ``latitude``, ``longitude``; missing, the point is
                                            found from the address in Flanders' address
                                            register (``geocoding``); the neighbourhood and
                                            areas follow from the point; an ``addressLocality``
                                            that is not the point's municipality, deelgemeente
                                            or district is refused, naming both
``priceInfo`` category base                 ``list_price`` (per session unless noted above);
                                            no ``priceInfo``: the price unknown (never free)
``priceInfo`` category uitpas               ``reduced_tariff`` UiTPAS, ``reduced_price``
``priceInfo`` category tariff named as a    ``reduced_tariff`` social (both → both);
  social tariff (kansentarief, sociaal,     ``reduced_price`` is the lowest of them,
  OCMW, verhoogde tegemoetkoming, ...)      ``reduced_price_who`` their names
``audience.audienceType``                   members → registration required; education →
                                            refused (school groups only); everyone → as is
``typicalAgeRange`` "6-12", "18-", "-12"    ``age_min``, ``age_max``
``birthdateRange`` "2015" or "2015-2018"    ``age_min``, ``age_max``: the ages on the first day
                                            (or today), the birth years named in the report
``terms`` domain eventtype                  ``domain`` (a neutral type such as a course falls
                                            back to the theme's domain, then "other")
``terms`` domain theme                      ``themes``, where one of ours matches
``terms`` domain facility (the event's and  the facts of ``catalogue.facts`` by their
  its location's)                           UiTdatabank ids (accessibility, childcare)
``labels`` "UiT met Vlieg"                  ``for_families``
``bookingInfo`` with url, phone or e-mail   ``registration`` required (else walk-in)
``contactPoint`` e-mail and phone,          referral contact; falls back to the bookingInfo
  ``organizer`` name                        e-mail and phone, then the organisation's own
``languages`` other than nl                 ``languages`` (the languages the information is
                                            given in: UiTdatabank has no "languages spoken")
``modified`` (else ``created``)             ``last_confirmed``
=========================================  ==================================================

No UiTdatabank equivalent, so the import leaves them as they are (the default for a new offer,
the admin's value for an existing one): first_visit, for_groups, instalments,
ocmw_participation_funds, free_trial, public_transport_stop, what_to_bring, schedule_note,
welcome_contact_name and _phone, companion_welcome, companion_free, no_experience_needed,
group_size_max, welcome_women_only, welcome_newcomers, welcome_seniors, welcome_families,
dutch_level, pictograms, and the facts without a facility id (lift, low_stimulus, quiet_space).
Extra costs have none either, and since the relations are written whole they are emptied.
Fields with a meaning here that the catalogue cannot hold are named in the report, each with a
warning (``NOT_HELD`` and ``_not_held``): childrenOnly, departurePlaces, openingHoursAdjustedDays,
onlineUrl, the online half of attendanceMode mixed, bookingAvailability capacity and
remainingCapacity, bookingInfo availabilityStarts/availabilityEnds, photos (mediaObject, images).
"""

import html
import json
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from organisations.models import Organisation
from organisations.permissions import can_edit_for

from ..facts import FACTS
from ..geo import NEIGHBOURHOODS_CITY, bare_place_name, normalise_place_name
from ..geocoding import Failure, GeocodingError, locate
from ..models import (
    Area,
    AreaLevel,
    Availability,
    Commitment,
    Domain,
    OfferClosedDay,
    OfferPage,
    OfferSession,
    OfferTimeSlot,
    PriceUnit,
    ReducedTariff,
    Registration,
    SessionStatus,
    Source,
    area_ids_at,
    neighbourhood_at,
)
from ..services import OfferInput
from .rows import CellError, ImportItem, Message, ParsedFeed, References, mark_duplicates, text_to_html
from .sync import SyncReport, feed_sync

UUID_AT_END = re.compile(r"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/?$", re.IGNORECASE)
CALENDAR_TYPES = ("single", "multiple", "periodic", "permanent")
WITHDRAWN_WORKFLOW = {"DELETED", "REJECTED"}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
SUMMARY_LENGTH = OfferPage._meta.get_field("plain_summary").max_length
SOCIAL_TARIFF_WORDS = (
    "kansentarief",
    "kansenstatuut",
    "sociaal",
    "sociale",
    "ocmw",
    "verhoogde tegemoetkoming",
    "omnio",
    "laag inkomen",
)
FAMILY_LABELS = {"uit met vlieg"}
STATUS_TYPES = ("Available", "TemporarilyUnavailable", "Unavailable")
BIRTH_YEARS = re.compile(r"([12]\d{3})(?:-([12]\d{3}))?")
CLOSED_DAY_DESCRIPTION = OfferClosedDay._meta.get_field("description").max_length
# The offer's address fields (``geocoding``) as the document's paths, for a location the register cannot place.
ADDRESS_PATHS = {"street_address": "streetAddress", "postal_code": "postalCode", "city": "addressLocality"}
NOT_PLACED = {
    Failure.UNKNOWN: _(
        "The location has no coordinates (geo) and Flanders' address register does not know “%(address)s”: "
        "correct %(fields)s, or add geo."
    ),
    Failure.AMBIGUOUS: _(
        "The location has no coordinates (geo) and Flanders' address register finds “%(address)s” in more than "
        "one place (%(candidates)s): make %(fields)s more precise, or add geo."
    ),
    Failure.UNAVAILABLE: _(
        "The location has no coordinates (geo) and Flanders' address register did not answer for “%(address)s”: "
        "import the document again later, or add geo."
    ),
}
# Fields publiq's model has that the catalogue cannot hold: each read, and named in the report.
NOT_HELD: dict[str, Any] = {
    "childrenOnly": _("childrenOnly: the offer is for children without their parents; the catalogue cannot say so."),
    "departurePlaces": _("departurePlaces: the catalogue holds one place; the other departure places are left out."),
    "openingHoursAdjustedDays": _(
        "openingHoursAdjustedDays: other opening hours on some days; the catalogue holds only the weekly hours."
    ),
    "onlineUrl": _("onlineUrl: the online part of the offer is not held; the catalogue lists the place."),
    "mediaObject": _("mediaObject: photos are not downloaded; add them in the admin."),
    "images": _("images: photos are not downloaded; add them in the admin."),
}

# Event and place types (publiq's facet_mapping_types.yml) by the domain they belong to here.
SPORT_TYPES = {"0.59.0.0.0", "0.19.0.0.0", "0.17.0.0.0", "eBwaUAAhw0ur0Z02i5ttnw"}
CULTURE_TYPES = {
    "0.50.4.0.0",  # concert
    "0.54.0.0.0",  # dance performance
    "0.5.0.0.0",  # festival
    "0.50.6.0.0",  # film
    "0.3.2.0.0",  # lecture
    "0.55.0.0.0",  # theatre
    "0.0.0.0.0",  # exhibition
    "0.7.0.0.0",  # guided tour
    "0.14.0.0.0",  # monument
    "GnPFp9uvOUyqhOckIFMKmg",  # museum or gallery
    "Yf4aZBfsUEu2NsQqsprngw",  # culture or community centre
    "kI7uAyn2uUu9VV6Z3uWZTA",  # library
    "BtVNd33sR0WntjALVbyp3w",  # cinema
    "3CuHvenJ+EGkcvhXLg9Ykg",  # archaeological site
}
YOUTH_TYPES = {"JCjA0i5COUmdjMwcyjNAFA", "0.57.0.0.0"}  # youth centre; camp or holiday
# Types that say nothing about the domain (course, hall, school, ...): the theme decides.
NEUTRAL_TYPES = {"0.3.1.0.0", "0.3.3.0.0", "OyaPaf64AEmEAYXHeLMAtA", "rJRFUqmd6EiqTD4c7HS90w", "0.12.0.0.0"}
COURSE_TYPES = {"0.3.1.0.0", "0.57.0.0.0"}  # a periodic course or camp is paid for as a whole
SPORT_THEME_PREFIXES = ("1.51.", "1.58.8.")
CULTURE_THEME_PREFIXES = tuple(
    f"{prefix}."
    for prefix in ("1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.7", "1.8", "1.9", "1.10", "1.40", "1.41", "1.49")
) + ("0.52.",)

# UiTdatabank theme ids (facet_mapping_themes.yml) -> the slug of our theme; only unambiguous matches.
THEME_SLUGS: dict[str, str] = {
    "1.51.3.0.0": "zwemmen",
    "1.9.1.0.0": "dans",
    "1.9.2.0.0": "dans",
    "1.9.3.0.0": "dans",
    "1.9.5.0.0": "dans",
    "1.3.1.0.0": "theater",
    "1.3.4.0.0": "theater",
    "1.3.5.0.0": "theater",
    "1.3.10.0.0": "theater",
    "1.4.0.0.0": "theater",
    "1.0.1.0.0": "beeldende-kunst",
    "1.0.2.0.0": "beeldende-kunst",
    "1.0.3.0.0": "beeldende-kunst",
    "1.0.4.0.0": "beeldende-kunst",
    "1.0.9.0.0": "beeldende-kunst",
    "1.0.6.0.0": "fotografie",
    "1.21.0.0.0": "digitale-vaardigheden",
}
THEME_PREFIX_SLUGS = {"1.8.": "muziek", "1.7.": "film", "1.10.": "lezen-en-schrijven"}
# Event types that name one of our themes as well.
TYPE_THEME_SLUGS = {
    "0.55.0.0.0": "theater",
    "0.50.4.0.0": "muziek",
    "0.50.6.0.0": "film",
    "0.54.0.0.0": "dans",
    "GnPFp9uvOUyqhOckIFMKmg": "museum",
    "JCjA0i5COUmdjMwcyjNAFA": "jeugdhuis",
}

FACILITY_FIELDS: dict[str, str] = {term: fact.field for fact in FACTS for term in fact.uitdatabank_ids}
FACILITY_FACT_FIELDS = sorted(set(FACILITY_FIELDS.values()))


def _local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def localized(value: Any, main_language: str = "nl") -> str:
    """A multilingual value in Dutch, else the document's main language, else any; plain strings as they are."""
    if isinstance(value, str):
        return value.strip()
    if not isinstance(value, Mapping):
        return ""
    for language in ("nl", main_language, *sorted(value)):
        text = value.get(language)
        if isinstance(text, str) and text.strip():
            return text.strip()
    return ""


def _plain_text(markup: str) -> str:
    """HTML as plain text with its paragraphs kept."""
    marked = re.sub(r"(?i)<br\s*/?>", "\n", markup)
    marked = re.sub(r"(?i)</(p|div|li|h\d)>", "\n\n", marked)
    text = html.unescape(strip_tags(marked))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _summary(text: str) -> str:
    flat = " ".join(text.split())
    if len(flat) <= SUMMARY_LENGTH:
        return flat
    return flat[: SUMMARY_LENGTH - 1].rsplit(" ", 1)[0] + "…"


def _moment(value: Any) -> datetime:
    if not isinstance(value, str):
        raise CellError(_("Expected a date and time such as 2026-04-22T10:00:00+02:00."))
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise CellError(_("Expected a date and time such as 2026-04-22T10:00:00+02:00.")) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_local_zone())
    return moment.astimezone(_local_zone())


def _day(value: Any) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise CellError(_("Expected a date such as 2026-04-06.")) from None


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _clock(value: Any) -> time:
    try:
        hour, minute = str(value).split(":")[:2]
        return time(int(hour), int(minute))
    except ValueError:
        raise CellError(_("Expected a time such as 14:00.")) from None


def _time_slots(slots: set[tuple[int, time, time]]) -> list[OfferTimeSlot]:
    return [OfferTimeSlot(weekday=day, start_time=start, end_time=end) for day, start, end in sorted(slots)]


class _Document:
    """Reads one document into an item; every problem is recorded with the field it comes from."""

    def __init__(
        self, document: Mapping, *, label: str, organisation: Organisation, refs: References, now: datetime
    ) -> None:
        self.doc = document
        self.now = now
        self.organisation = organisation
        self.refs = refs
        self.language = document.get("mainLanguage") or "nl"
        self.is_place = document.get("@type") == "Place" or "/place/" in str(document.get("@id", ""))
        location = document if self.is_place else document.get("location")
        self.location: Mapping = location if isinstance(location, Mapping) else {}
        self.prefix = "" if self.is_place else "location."
        match = UUID_AT_END.search(str(document.get("@id", "")))
        self.item = ImportItem(
            external_id=match.group(1).lower() if match else "",
            document=label,
            name=localized(document.get("name"), self.language),
            columns={
                "external_id": "@id",
                "title": "name",
                "plain_summary": "description",
                "description": "description",
                "start_date": "startDate",
                "end_date": "endDate",
                "street_address": f"{self.prefix}address.streetAddress",
                "postal_code": f"{self.prefix}address.postalCode",
                "city": f"{self.prefix}address.addressLocality",
                "latitude": f"{self.prefix}geo",
                "longitude": f"{self.prefix}geo",
                "neighbourhood": f"{self.prefix}geo",
                "list_price": "priceInfo",
                "reduced_tariff": "priceInfo",
                "reduced_price": "priceInfo",
                "reduced_price_who": "priceInfo",
                "age_min": "birthdateRange" if document.get("birthdateRange") else "typicalAgeRange",
                "age_max": "birthdateRange" if document.get("birthdateRange") else "typicalAgeRange",
                "availability": "bookingAvailability",
                "expire_at": "availableTo",
                "domain": "terms",
                "registration": "bookingInfo",
                "referral_contact_name": "organizer.name",
                "referral_contact_email": "contactPoint.email",
                "referral_contact_phone": "contactPoint.phone",
                "last_confirmed": "modified",
            },
        )
        if not match:
            self.item.error("@id", _("The document has no @id ending in a UUID."))

    def read(self) -> ImportItem:
        if self.item.errors:
            return self.item
        if self._withdrawn():
            self.item.withdrawn = True
            return self.item
        values: dict[str, Any] = {"source": Source.UITDATABANK, "external_id": self.item.external_id}
        values.update(self._what())
        values.update(self._where())
        calendar = self._calendar()
        values.update(self._price(calendar))
        values.update(self._audience(calendar))
        values.update(self._facilities())
        values.update(self._contact())
        confirmed = self.doc.get("modified") or self.doc.get("created")
        if confirmed:
            moment = self.item.read("modified", lambda: _moment(confirmed))
            if moment:
                values["last_confirmed"] = moment.date()
        available = self._available()
        self._not_held()
        if self.item.errors or calendar is None:
            return self.item
        if self._over(calendar, available):
            self.item.withdrawn = True
            return self.item
        values.update(calendar["values"])
        values["expire_at"] = available[1]
        values["availability"] = self._availability(calendar["sessions"])
        members_only = values.pop("_members_only")
        values["registration"] = (
            Registration.REQUIRED if members_only or self._booking_needed() else Registration.WALK_IN
        )
        if any(isinstance(event, Mapping) and event.get("childcare") for event in self.doc.get("subEvent") or []):
            values["childcare"] = True  # subEvent.childcare: opvang before and after, with its hours
        self.item.data = OfferInput(
            values=values,
            themes=self._themes(),
            languages=self._languages(),
            time_slots=calendar["slots"],
            sessions=calendar["sessions"],
            closed_days=calendar["closed"],
        )
        return self.item

    # Parts of the document -------------------------------------------------------------------

    def _withdrawn(self) -> bool:
        status = self.doc.get("status")
        cancelled = isinstance(status, Mapping) and status.get("type") == "Unavailable"
        return cancelled or self.doc.get("workflowStatus") in WITHDRAWN_WORKFLOW

    def _available(self) -> tuple[datetime | None, datetime | None]:
        """availableFrom and availableTo: when UiTdatabank shows the offer; a malformed one is refused."""
        moments = []
        for name in ("availableFrom", "availableTo"):
            value = self.doc.get(name)
            moments.append(None if value in (None, "") else self.item.read(name, lambda v=value: _moment(v)))
        start, end = moments
        if start and end and end < start:
            self._reversed("availableTo", start, end)
        return start, end

    def _over(self, calendar: dict, available: tuple[datetime | None, datetime | None]) -> bool:
        """Whether not to publish it now: ended, or not shown yet (ours goes offline; a new one is not written)."""
        start, end = available
        ends = [moment for moment in (end, calendar.get("ends")) if moment is not None]
        if ends and min(ends) < self.now:
            self.item.warnings.append(
                _("Ended on %(date)s: not published (an offer we had goes offline).")
                % {"date": min(ends).date().isoformat()}
            )
            return True
        if start and start > self.now:
            self.item.warnings.append(
                _("availableFrom: shown only from %(date)s; not published before an import on or after that day.")
                % {"date": start.date().isoformat()}
            )
            return True
        return False

    def _availability(self, sessions: list[OfferSession]) -> str:
        """Fully booked (bookingAvailability Unavailable, or every session that takes place), or postponed."""
        status = self.doc.get("status")
        if isinstance(status, Mapping) and status.get("type") == "TemporarilyUnavailable":
            reason = localized(status.get("reason"), self.language)
            self.item.warnings.append(
                _("status TemporarilyUnavailable: shown as postponed or temporarily closed%(reason)s.")
                % {"reason": f" ({reason})" if reason else ""}
            )
            return Availability.POSTPONED
        booking = self.doc.get("bookingAvailability")
        if isinstance(booking, Mapping) and booking.get("type") == "Unavailable":
            return Availability.FULLY_BOOKED
        going = [session for session in sessions if session.status != SessionStatus.CANCELLED]
        if going and all(session.status == SessionStatus.FULLY_BOOKED for session in going):
            return Availability.FULLY_BOOKED
        if going and all(session.status == SessionStatus.POSTPONED for session in going):
            return Availability.POSTPONED
        if isinstance(booking, Mapping) and booking.get("type") == "Available":
            return Availability.AVAILABLE
        return Availability.UNKNOWN

    def _not_held(self) -> None:
        """A named warning for every field with a meaning here that the catalogue cannot hold."""
        for name, message in NOT_HELD.items():
            if self.doc.get(name):
                self.item.warnings.append(message)
        if self.doc.get("attendanceMode") == "mixed":
            self.item.warnings.append(
                _("attendanceMode mixed: imported as the place one goes to; the online part is not held.")
            )
        booking = self.doc.get("bookingAvailability")
        capacity = [booking] if isinstance(booking, Mapping) else []
        capacity += [e.get("bookingAvailability") for e in self.doc.get("subEvent") or [] if isinstance(e, Mapping)]
        if any(isinstance(b, Mapping) and ("capacity" in b or "remainingCapacity" in b) for b in capacity):
            self.item.warnings.append(
                _("bookingAvailability capacity: the number of places is not held, only whether places are left.")
            )
        booking_info = self.doc.get("bookingInfo")
        if isinstance(booking_info, Mapping) and (
            booking_info.get("availabilityStarts") or booking_info.get("availabilityEnds")
        ):
            self.item.warnings.append(
                _("bookingInfo availabilityStarts/availabilityEnds: when booking opens and closes is not held.")
            )
        status = self.doc.get("status")
        if isinstance(status, Mapping) and status.get("type") not in (None, *STATUS_TYPES):
            self.item.error(
                "status.type",
                _("“%(value)s” is not a status; expected Available, TemporarilyUnavailable or Unavailable.")
                % {"value": status.get("type")},
            )
        if self.doc.get("birthdateRange") and self.doc.get("typicalAgeRange"):
            self.item.warnings.append(_("typicalAgeRange: left aside, birthdateRange gives the ages."))

    def _terms(self, domain: str, *, with_location: bool = False) -> list[str]:
        terms = list(self.doc.get("terms") or [])
        if with_location and not self.is_place:
            terms += list(self.location.get("terms") or [])
        return [str(term.get("id")) for term in terms if isinstance(term, Mapping) and term.get("domain") == domain]

    def _what(self) -> dict:
        title = localized(self.doc.get("name"), self.language)
        if not title:
            self.item.error("name", _("The document has no name in any language."))
        description = _plain_text(localized(self.doc.get("description"), self.language))
        if not description:
            self.item.warnings.append(_("No description in UiTdatabank: the summary repeats the title."))
        labels = {str(label).strip().lower() for label in self.doc.get("labels") or []}
        return {
            "title": title,
            "plain_summary": _summary(description or title),
            "description": text_to_html(description),
            "domain": self._domain(),
            "for_families": bool(labels & FAMILY_LABELS),
        }

    def _domain(self) -> str:
        for type_id in self._terms("eventtype"):
            if type_id in SPORT_TYPES:
                return Domain.SPORT
            if type_id in CULTURE_TYPES:
                return Domain.CULTURE
            if type_id in YOUTH_TYPES:
                return Domain.YOUTH
            if type_id not in NEUTRAL_TYPES:
                return Domain.OTHER
        for theme_id in self._terms("theme"):
            if theme_id.startswith(SPORT_THEME_PREFIXES):
                return Domain.SPORT
            if theme_id.startswith(CULTURE_THEME_PREFIXES):
                return Domain.CULTURE
        return Domain.OTHER

    def _themes(self) -> list:
        slugs = [TYPE_THEME_SLUGS.get(type_id) for type_id in self._terms("eventtype")]
        for theme_id in self._terms("theme"):
            slugs.append(THEME_SLUGS.get(theme_id))
            slugs += [slug for prefix, slug in THEME_PREFIX_SLUGS.items() if theme_id.startswith(prefix)]
        themes = [self.refs.themes[slug] for slug in slugs if slug and slug in self.refs.themes]
        return list({theme.pk: theme for theme in themes}.values())

    def _languages(self) -> list:
        codes = [str(code).lower() for code in self.doc.get("languages") or [] if str(code).lower() != "nl"]
        languages = [self.refs.languages[code] for code in codes if code in self.refs.languages]
        return list({language.pk: language for language in languages}.values())

    def _where(self) -> dict:
        if self.doc.get("attendanceMode") == "online":
            self.item.error("attendanceMode", _("An online-only offer has no place to go to; it cannot be imported."))
            return {}
        if not self.location:
            self.item.error("location", _("The event has no location."))
            return {}
        address = self.location.get("address") or {}
        if isinstance(address, Mapping) and "streetAddress" not in address:
            address = address.get("nl") or address.get(self.language) or next(iter(address.values()), {})
        if not isinstance(address, Mapping) or not address.get("streetAddress"):
            self.item.error(f"{self.prefix}address", _("The location has no street address."))
            return {}
        values = {
            "street_address": str(address.get("streetAddress", "")).strip(),
            "postal_code": str(address.get("postalCode", "")).strip(),
            "city": str(address.get("addressLocality", "")).strip(),
        }
        geo = self.location.get("geo")
        if not isinstance(geo, Mapping) or geo.get("latitude") is None or geo.get("longitude") is None:
            self._place_from_address(values)
            return values
        try:
            values["latitude"], values["longitude"] = float(geo["latitude"]), float(geo["longitude"])
        except (TypeError, ValueError):
            self.item.error(f"{self.prefix}geo", _("Latitude and longitude must be numbers."))
            return values
        self._same_municipality(values)
        return values

    def _place_from_address(self, values: dict) -> None:
        """A location without ``geo`` is placed through Flanders' address register, as a spreadsheet row is."""
        try:
            located = locate(
                street_address=values["street_address"], postal_code=values["postal_code"], city=values["city"]
            )
        except GeocodingError as error:
            fields = ", ".join(f"{self.prefix}address.{ADDRESS_PATHS[name]}" for name in error.fields)
            address = f"{values['street_address']}, {values['postal_code']} {values['city']}"
            message = NOT_PLACED[error.failure] % {
                "address": address,
                "fields": fields,
                "candidates": "; ".join(error.candidates),
            }
            self.item.error(f"{self.prefix}geo", message)
            return
        values["latitude"], values["longitude"] = located.latitude, located.longitude
        self.item.warnings.append(
            _("%(path)s: missing; the point was found from the address by Flanders' address register (%(address)s).")
            % {"path": f"{self.prefix}geo", "address": located.full_address}
        )

    def _same_municipality(self, values: dict) -> None:
        """Refuse an address in one municipality with a point in another (a Leuven address, an Antwerp point).

        The address's locality may name the municipality or the deelgemeente the point lies in (for
        Antwerp also its district): "Berchem" and "Antwerpen" both fit a point in Berchem.
        """
        if not values["city"]:
            return
        latitude, longitude = values["latitude"], values["longitude"]
        neighbourhood = neighbourhood_at(latitude=latitude, longitude=longitude)
        area_ids = [pk for pk in area_ids_at(latitude=latitude, longitude=longitude).values() if pk]
        areas = list(Area.objects.filter(pk__in=area_ids).only("name", "level"))
        if neighbourhood is None and not areas:
            return  # outside every loaded area: the model refuses the point itself
        names = {bare_place_name(area.name) for area in areas if area.level != AreaLevel.WIJK}
        if neighbourhood is not None:
            district = neighbourhood.district.name
            names |= {NEIGHBOURHOODS_CITY, district, *district.split("-")}
        if normalise_place_name(values["city"]) in {normalise_place_name(name) for name in names}:
            return
        municipality = next((area.name for area in areas if area.level == AreaLevel.MUNICIPALITY), None)
        place = municipality or NEIGHBOURHOODS_CITY
        if neighbourhood is not None:
            place = f"{place}, {neighbourhood.district.name}"
        self.item.error(
            f"{self.prefix}address.addressLocality",
            _(
                "The address lies in %(city)s (%(postal_code)s) but the point (geo) lies in %(place)s: correct the "
                "address or the point."
            )
            % {
                "city": values["city"],
                "postal_code": values["postal_code"],
                "place": place,
            },
        )

    def _calendar(self) -> dict | None:
        """Dates, weekly time slots and commitment from the calendar; None when it cannot be read."""
        kind = self.doc.get("calendarType")
        if kind is None:
            # Older documents leave it out; their dates, if any, are then one period.
            kind = "periodic" if self.doc.get("startDate") and self.doc.get("endDate") else "permanent"
            self.item.warnings.append(_("No calendarType: read as %(kind)s.") % {"kind": kind})
        if kind not in CALENDAR_TYPES:
            self.item.error(
                "calendarType",
                _("“%(value)s” is not a calendar type; expected one of: %(types)s.")
                % {"value": kind, "types": ", ".join(CALENDAR_TYPES)},
            )
            return None
        course = bool(set(self._terms("eventtype")) & COURSE_TYPES)
        if kind in ("single", "multiple"):
            return self._sessions(kind)
        slots = self._opening_hours()
        closed = self._closed_days()
        series = kind == "periodic" and course
        values: dict[str, Any] = {"commitment": Commitment.SERIES if series else Commitment.DROP_IN}
        end = None
        if kind == "periodic":
            start = self.item.read("startDate", lambda: _moment(self.doc.get("startDate")))
            end = self.item.read("endDate", lambda: _moment(self.doc.get("endDate")))
            if start and end and end < start:
                self._reversed("endDate", start, end)
            values.update(start_date=start.date() if start else None, end_date=end.date() if end else None)
        else:
            values.update(start_date=None, end_date=None)
        if slots is None or self.item.errors:
            return None
        return {"values": values, "slots": slots, "course": series, "sessions": [], "closed": closed, "ends": end}

    def _closed_days(self) -> list[OfferClosedDay]:
        """openingHoursClosedDays: the dates an offer with opening hours is closed, with why."""
        days = []
        for index, closed in enumerate(self.doc.get("openingHoursClosedDays") or []):
            path = f"openingHoursClosedDays[{index}]"
            if not isinstance(closed, Mapping):
                self.item.error(path, _("Expected startDate and endDate."))
                continue
            first = self.item.read(f"{path}.startDate", lambda c=closed: _day(c.get("startDate")))
            last = self.item.read(f"{path}.endDate", lambda c=closed: _day(c.get("endDate")))
            if first and last and last < first:
                self.item.error(f"{path}.endDate", _("The end date cannot be before the start date."))
            elif first and last:
                why = localized(closed.get("description"), self.language)[:CLOSED_DAY_DESCRIPTION]
                days.append(OfferClosedDay(start_date=first, end_date=last, description=why))
        return days

    def _reversed(self, field: str, start: datetime, end: datetime) -> None:
        self.item.error(
            field,
            _("The end (%(end)s) lies before the start (%(start)s).")
            % {"end": end.isoformat(timespec="minutes"), "start": start.isoformat(timespec="minutes")},
        )

    def _sessions(self, kind: str) -> dict | None:
        """Each subEvent its own dated session, with its real end (past midnight too) and its status."""
        sub_events = self.doc.get("subEvent") or []
        if kind == "multiple" and not sub_events:
            self.item.error("subEvent", _("A calendar of type multiple needs its dates in subEvent."))
            return None
        start = self.item.read("startDate", lambda: _moment(self.doc.get("startDate")))
        end = self.item.read("endDate", lambda: _moment(self.doc.get("endDate")))
        if start and end and end < start:
            self._reversed("endDate", start, end)
        sessions: list[OfferSession] = []
        for index, sub_event in enumerate(sub_events):
            path = f"subEvent[{index}]"
            if not isinstance(sub_event, Mapping):
                self.item.error(path, _("Expected a session with startDate and endDate."))
                continue
            sub_start = self.item.read(f"{path}.startDate", lambda e=sub_event: _moment(e.get("startDate")))
            sub_end = self.item.read(f"{path}.endDate", lambda e=sub_event: _moment(e.get("endDate")))
            if sub_start and sub_end and sub_end < sub_start:
                self._reversed(f"{path}.endDate", sub_start, sub_end)
            elif sub_start and sub_end:
                status = self._session_status(sub_event, path)
                sessions.append(OfferSession(start=sub_start, end=sub_end, status=status))
        if not sub_events and start and end:
            sessions.append(OfferSession(start=start, end=end, status=self._session_status(self.doc, "")))
        if self.item.errors:
            return None
        going = [session for session in sessions if session.status != SessionStatus.CANCELLED]
        if not going:
            self.item.withdrawn = True  # every date is cancelled
            return None
        sessions.sort(key=lambda session: session.start)
        return {
            "values": {
                "start_date": going[0].start.date(),
                "end_date": max(session.end for session in going).date(),
                "commitment": Commitment.SINGLE,
            },
            "slots": [],
            "course": False,
            "sessions": sessions,
            "closed": [],
            "ends": max(session.end for session in going),
        }

    def _session_status(self, event: Mapping, path: str) -> str:
        prefix = f"{path}." if path else ""
        status = event.get("status") if path else None
        kind = status.get("type") if isinstance(status, Mapping) else None
        if kind == "Unavailable":
            return SessionStatus.CANCELLED
        if kind == "TemporarilyUnavailable":
            return SessionStatus.POSTPONED
        if kind not in (None, "Available"):
            self.item.error(
                f"{prefix}status.type",
                _("“%(value)s” is not a status; expected Available, TemporarilyUnavailable or Unavailable.")
                % {"value": kind},
            )
        booking = event.get("bookingAvailability")
        booked = booking.get("type") if isinstance(booking, Mapping) else None
        if booked not in (None, "Available", "Unavailable"):
            self.item.error(
                f"{prefix}bookingAvailability.type",
                _("“%(value)s” is not a booking availability; expected Available or Unavailable.") % {"value": booked},
            )
        return SessionStatus.FULLY_BOOKED if booked == "Unavailable" else SessionStatus.SCHEDULED

    def _opening_hours(self) -> list[OfferTimeSlot] | None:
        slots = set()
        for index, hours in enumerate(self.doc.get("openingHours") or []):
            path = f"openingHours[{index}]"
            if not isinstance(hours, Mapping):
                self.item.error(path, _("Expected dayOfWeek, opens and closes."))
                continue
            opens = self.item.read(f"{path}.opens", lambda h=hours: _clock(h.get("opens")))
            closes = self.item.read(f"{path}.closes", lambda h=hours: _clock(h.get("closes")))
            if opens is None or closes is None:
                continue
            if closes <= opens:
                closes = time(23, 59)
                self.item.warnings.append(_("Opening hours past midnight end at 23:59 here."))
            for day in hours.get("dayOfWeek") or []:
                name = str(day).rsplit("/", 1)[-1].lower()
                if name not in WEEKDAYS:
                    self.item.error(f"{path}.dayOfWeek", _("“%(day)s” is not a day of the week.") % {"day": day})
                    continue
                slots.add((WEEKDAYS[name], opens, closes))
        if self.item.errors:
            return None
        return _time_slots(slots)

    def _price(self, calendar: dict | None) -> dict:
        prices = self.doc.get("priceInfo") or []
        unit = PriceUnit.ONCE if calendar and calendar["course"] else PriceUnit.SESSION
        if not prices:
            self.item.warnings.append(
                _("priceInfo: UiTdatabank gives no price, so it is stored as unknown (never as free). Fill it in.")
            )
            return {
                "list_price": None,
                "price_unit": unit,
                "reduced_tariff": ReducedTariff.NONE,
                "reduced_price": None,
                "reduced_price_who": "",
            }
        entries = []
        for index, entry in enumerate(prices):
            path = f"priceInfo[{index}]"
            if not isinstance(entry, Mapping):
                self.item.error(path, _("Expected a tariff with category, name and price."))
                continue
            if entry.get("priceCurrency", "EUR") != "EUR":
                self.item.error(f"{path}.priceCurrency", _("Only prices in euro can be imported."))
                continue
            try:
                amount = Decimal(str(entry.get("price"))).quantize(Decimal("0.01"))
            except InvalidOperation:
                amount = None
            if amount is None or not amount.is_finite():
                self.item.error(f"{path}.price", _("The price is not a number."))
                continue
            entries.append((entry.get("category"), localized(entry.get("name"), self.language), amount))
        base = [amount for category, _name, amount in entries if category == "base"]
        if not base and len(entries) == len(prices):
            self.item.error("priceInfo", _("priceInfo has no base tariff."))
        uitpas = [(name, amount) for category, name, amount in entries if category == "uitpas"] + [
            (name, amount) for category, name, amount in entries if category == "tariff" and "uitpas" in name.lower()
        ]
        social = [
            (name, amount)
            for category, name, amount in entries
            if category == "tariff"
            and "uitpas" not in name.lower()
            and any(word in name.lower() for word in SOCIAL_TARIFF_WORDS)
        ]
        reduced = uitpas + social
        tariff = {
            (True, True): ReducedTariff.BOTH,
            (True, False): ReducedTariff.UITPAS,
            (False, True): ReducedTariff.SOCIAL,
            (False, False): ReducedTariff.NONE,
        }[(bool(uitpas), bool(social))]
        return {
            "list_price": base[0] if base else None,
            "price_unit": unit,
            "reduced_tariff": tariff,
            "reduced_price": min(amount for _name, amount in reduced) if reduced else None,
            "reduced_price_who": "; ".join(dict.fromkeys(name for name, _amount in reduced if name))[:300],
        }

    def _audience(self, calendar: dict | None) -> dict:
        audience = self.doc.get("audience") or {}
        kind = audience.get("audienceType", "everyone") if isinstance(audience, Mapping) else None
        if kind == "education":
            self.item.error(
                "audience.audienceType", _("This offer is for school groups only, not for the public; not imported.")
            )
        elif kind not in ("everyone", "members"):
            self.item.error(
                "audience.audienceType",
                _("“%(value)s” is not an audience type; expected everyone, members or education.") % {"value": kind},
            )
        values = {"_members_only": kind == "members"}
        if self.doc.get("birthdateRange"):
            return {**values, **self._birth_years(calendar)}
        age_range = self.doc.get("typicalAgeRange")
        if age_range in (None, "", "-"):
            return {**values, "age_min": None, "age_max": None}
        match = re.fullmatch(r"(\d{0,3})-(\d{0,3})", str(age_range).strip())
        if not match:
            self.item.error(
                "typicalAgeRange",
                _("“%(value)s” is not an age range such as 6-12, 18- or -12.") % {"value": age_range},
            )
            return values
        low, high = match.groups()
        return {**values, "age_min": int(low) if low else None, "age_max": int(high) if high else None}

    def _birth_years(self, calendar: dict | None) -> dict:
        """birthdateRange "2015" or "2015-2018": the ages those born then have on the first day, both ends kept."""
        value = self.doc.get("birthdateRange")
        match = BIRTH_YEARS.fullmatch(str(value).strip())
        if not match or (match.group(2) and match.group(2) < match.group(1)):
            self.item.error(
                "birthdateRange",
                _("“%(value)s” is not a range of birth years such as 2015 or 2015-2018.") % {"value": value},
            )
            return {}
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
        start = calendar["values"].get("start_date") if calendar else None
        on = max(start, self.now.date()) if start else self.now.date()
        age_min, age_max = max(0, _age(date(last, 12, 31), on)), max(0, _age(date(first, 1, 1), on))
        self.item.warnings.append(
            _("birthdateRange %(range)s: for those born in %(first)s to %(last)s, ages %(min)s to %(max)s on %(on)s.")
            % {"range": value, "first": first, "last": last, "min": age_min, "max": age_max, "on": on.isoformat()}
        )
        return {"age_min": age_min, "age_max": age_max}

    def _facilities(self) -> dict:
        terms = self._terms("facility", with_location=True)
        present = {FACILITY_FIELDS[term] for term in terms if term in FACILITY_FIELDS}
        return {name: name in present for name in FACILITY_FACT_FIELDS}

    def _booking_needed(self) -> bool:
        booking = self.doc.get("bookingInfo") or {}
        return isinstance(booking, Mapping) and any(booking.get(key) for key in ("url", "phone", "email"))

    def _contact(self) -> dict:
        contact = self.doc.get("contactPoint") or {}
        booking = self.doc.get("bookingInfo") or {}
        contact = contact if isinstance(contact, Mapping) else {}
        booking = booking if isinstance(booking, Mapping) else {}

        def first(values: Any) -> str:
            values = [values] if isinstance(values, str) else values or []
            return next((str(value).strip() for value in values if str(value).strip()), "")

        email = first(contact.get("email")) or first(booking.get("email")) or self.organisation.email
        if not email:
            self.item.error(
                "contactPoint.email",
                _("No e-mail address for referrals: add one to contactPoint in UiTdatabank or to the organisation."),
            )
        organizer = self.doc.get("organizer") or {}
        name = localized(organizer.get("name"), self.language) if isinstance(organizer, Mapping) else ""
        return {
            "referral_contact_name": (name or self.organisation.name)[:200],
            "referral_contact_email": email,
            "referral_contact_phone": (
                first(contact.get("phone")) or first(booking.get("phone")) or self.organisation.phone
            )[:40],
        }


def document_item(
    document: Any, *, label: str, organisation: Organisation, refs: References, now: datetime | None = None
) -> ImportItem:
    """One event or place document into an item with its offer input, or its errors; ``now`` decides what ended."""
    if not isinstance(document, Mapping):
        item = ImportItem(external_id="", document=label)
        item.error("@type", _("Expected a JSON object for an event or a place."))
        return item
    moment = (now or timezone.now()).astimezone(_local_zone())
    return _Document(document, label=label, organisation=organisation, refs=refs, now=moment).read()


def documents_in(data: Any, *, name: str) -> list[tuple[str, Any]]:
    """The documents in one JSON value: a single document, an array, or a search API page with ``member``."""
    if isinstance(data, Mapping) and isinstance(data.get("member"), list):
        data = data["member"]
    if isinstance(data, list):
        return [(f"{name}[{index}]", document) for index, document in enumerate(data)]
    return [(name, data)]


def load_paths(paths: Iterable[Path]) -> tuple[list[tuple[str, Any]], list[Message]]:
    """Every document in these files and directories (``*.json``, recursively), or why a file cannot be read."""
    documents: list[tuple[str, Any]] = []
    problems: list[Message] = []
    for path in paths:
        files = sorted(path.rglob("*.json")) if path.is_dir() else [path]
        for file in files:
            name = str(file.relative_to(path)) if path.is_dir() else file.name
            try:
                data = json.loads(file.read_text(encoding="utf-8-sig"))  # a byte order mark is no error
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
                problems.append(_("%(file)s cannot be read as JSON: %(error)s") % {"file": name, "error": error})
                continue
            documents.extend(documents_in(data, name=name))
    return documents, problems


def read_documents(
    documents: Iterable[tuple[str, Any]], *, organisation: Organisation, now: datetime | None = None
) -> ParsedFeed:
    """Documents (label, parsed JSON) into a feed for one organisation."""
    refs = References()
    feed = ParsedFeed(
        items=[
            document_item(document, label=label, organisation=organisation, refs=refs, now=now)
            for label, document in documents
        ]
    )
    mark_duplicates(feed.items)
    if not feed.items:
        feed.problems.append(_("The feed holds no documents."))
    return feed


def uitdatabank_import(
    *,
    organisation: Organisation,
    documents: Iterable[tuple[str, Any]],
    by: AbstractBaseUser | None = None,
    dry_run: bool = False,
    now: datetime | None = None,
) -> tuple[ParsedFeed, SyncReport | None]:
    """Apply UiTdatabank documents as one feed for one organisation, or preview them (``now``: the moment to
    judge what has ended by, the current one unless given)."""
    if by is not None and not can_edit_for(by, organisation):
        raise PermissionDenied
    feed = read_documents(documents, organisation=organisation, now=now)
    if feed.problems:
        return feed, None
    report = feed_sync(organisation=organisation, source=Source.UITDATABANK, items=feed.items, by=by, dry_run=dry_run)
    return feed, report
