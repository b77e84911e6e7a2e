"""The RPDE change feed as OpenActive opportunities, judged by OpenActive's own data-model validator."""

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from catalogue import feeds
from catalogue.models import (
    Availability,
    Commitment,
    OfferClosedDay,
    OfferPage,
    OfferSession,
    OfferTimeSlot,
    ReducedTariff,
    Registration,
    SessionStatus,
    Theme,
)
from catalogue.openactive import offer_opportunity
from catalogue.services import OfferInput, offer_create, offer_unpublish
from tests.catalogue.openactive_validator import unavailable_reason, validate_pages
from tests.factories import offer_values

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(unavailable_reason() is not None, reason=unavailable_reason() or ""),
]

RPDE_URL = "/open-data/rpde/offers"


BRUSSELS = ZoneInfo("Europe/Brussels")


def _offer(
    organisation,
    theme: str,
    *,
    slots: list[OfferTimeSlot] | None = None,
    sessions: list[OfferSession] | None = None,
    closed_days: list[OfferClosedDay] | None = None,
    **values,
) -> OfferPage:
    data = OfferInput(
        values=offer_values(**values),
        themes=[Theme.objects.get(name=theme)],
        time_slots=slots if slots is not None else [OfferTimeSlot(weekday=2, start_time=time(14), end_time=time(16))],
        sessions=sessions,
        closed_days=closed_days,
    )
    return offer_create(parent=organisation.page, data=data)


@pytest.fixture
def catalogue(django_capture_on_commit_callbacks, partner_a, partner_b):
    """Offers of every shape the feed carries, and two it does not carry, recorded as real commits record them."""
    with django_capture_on_commit_callbacks(execute=True):
        dated = _offer(
            partner_a,
            "Zwemmen",
            title="Zwemles voor beginners",
            list_price=Decimal("40.00"),
            price_unit="season",
            reduced_tariff=ReducedTariff.UITPAS,
            reduced_price=Decimal("8.00"),
            reduced_price_who="UiTPAS met kansenstatuut",
            start_date=date(2026, 9, 1),
            end_date=date(2027, 6, 30),
            age_min=8,
            age_max=14,
            group_size_max=12,
            slots=[
                OfferTimeSlot(weekday=2, start_time=time(14), end_time=time(15, 30)),
                OfferTimeSlot(weekday=5, start_time=time(10), end_time=time(11)),
            ],
        )
        weekly_free = _offer(partner_a, "Voetbal", title="Voetbal op het pleintje", list_price=Decimal("0"))
        drop_in = _offer(
            partner_b,
            "Fitness",
            title="Fitness in de buurt",
            list_price=Decimal("2.50"),
            commitment=Commitment.DROP_IN,
            registration=Registration.WALK_IN,
            slots=[
                OfferTimeSlot(weekday=0, start_time=time(9), end_time=time(12)),
                OfferTimeSlot(weekday=3, start_time=time(18), end_time=time(21)),
            ],
        )
        priced_walk_in = _offer(
            partner_b,
            "Dans",
            title="Zumba voor iedereen",
            list_price=Decimal("3.00"),
            registration=Registration.WALK_IN,
            commitment=Commitment.SERIES,
        )
        three_dates = _offer(
            partner_a,
            "Zwemmen",
            title="Zwemmen op drie zaterdagen",
            list_price=Decimal("4.00"),
            start_date=date(2026, 10, 3),
            end_date=date(2026, 10, 17),
            availability=Availability.AVAILABLE,
            capacity=12,
            reserved_places=2,
            reserved_price=Decimal("1.00"),
            slots=[],
            sessions=[
                OfferSession(
                    start=datetime(2026, 10, 3, 10, tzinfo=BRUSSELS), end=datetime(2026, 10, 3, 11, tzinfo=BRUSSELS)
                ),
                OfferSession(
                    start=datetime(2026, 10, 10, 10, tzinfo=BRUSSELS),
                    end=datetime(2026, 10, 10, 11, tzinfo=BRUSSELS),
                    status=SessionStatus.FULLY_BOOKED,
                ),
                OfferSession(
                    start=datetime(2026, 10, 17, 10, tzinfo=BRUSSELS),
                    end=datetime(2026, 10, 17, 11, tzinfo=BRUSSELS),
                    status=SessionStatus.CANCELLED,
                ),
            ],
        )
        closed_at_christmas = _offer(
            partner_b,
            "Voetbal",
            title="Zaalvoetbal op dinsdag",
            list_price=Decimal("1.00"),
            start_date=date(2026, 9, 1),
            end_date=date(2027, 6, 30),
            closed_days=[
                OfferClosedDay(start_date=date(2026, 12, 22), end_date=date(2027, 1, 2), description="Kerstvakantie")
            ],
        )
        programme = _offer(
            partner_b,
            "Voetbal",
            title="OpStap: samen sporten",
            list_price=Decimal("0"),
            start_date=date(2026, 10, 5),
            end_date=date(2026, 10, 19),
            capacity=8,
            is_group_programme=True,
            guide_name="Leen Peeters",
            audience_note="Volwassenen in begeleiding",
            slots=[],
            sessions=[
                OfferSession(
                    start=datetime(2026, 10, 5 + 7 * week, 13, tzinfo=BRUSSELS),
                    end=datetime(2026, 10, 5 + 7 * week, 15, tzinfo=BRUSSELS),
                    place="Sporthal Kiel",
                    activity=f"Week {week + 1}",
                )
                for week in range(3)
            ],
        )
        _offer(partner_a, "Theater", title="Theater voor de buurt", list_price=Decimal("0"))
        gone = _offer(partner_b, "Yoga", title="Yoga op zondag", list_price=Decimal("5.00"))
    with django_capture_on_commit_callbacks(execute=True):
        offer_unpublish(offer=gone)
    return {
        "dated": dated,
        "weekly_free": weekly_free,
        "drop_in": drop_in,
        "priced_walk_in": priced_walk_in,
        "three_dates": three_dates,
        "closed_at_christmas": closed_at_christmas,
        "programme": programme,
    }


def _pages(client) -> list[dict]:
    """Every page of the feed from the start, following 'next' up to and with the empty last page."""
    pages, url = [], RPDE_URL
    for _page in range(100):
        page = client.get(url).json()
        pages.append(page)
        if not page["items"]:
            return pages
        url = page["next"]
    raise AssertionError("the feed never ended")


def test_every_page_of_the_feed_passes_openactives_validator(client, catalogue, monkeypatch):
    """OpenActive's validator finds no failure in any item of the feed, walked to its end, offline."""
    monkeypatch.setattr(feeds, "RPDE_PAGE_SIZE", 2)
    pages = _pages(client)
    report = validate_pages(pages)
    assert report.items == 8  # seven opportunities and the unpublished one's tombstone; no theatre
    assert report.failures == [], "\n".join(["OpenActive's validator:", *report.failures])
    assert report.empty_last_page == 1  # RPDE requires the empty last page the validator flags
    assert report.fetch_notices == []  # the items' only context is OpenActive's, which the validator has


def test_the_feed_holds_activity_opportunities_of_the_right_kind(client, catalogue):
    """Kinds: weekly activities are SessionSeries, a walk-in place without dates is a FacilityUse, theatre is absent."""
    (page, _last) = _pages(client)
    assert len(page["items"]) == 8
    kinds = {item["id"]: (item["state"], item["kind"]) for item in page["items"]}
    assert kinds[catalogue["dated"].pk] == ("updated", "SessionSeries")
    assert kinds[catalogue["weekly_free"].pk] == ("updated", "SessionSeries")
    assert kinds[catalogue["priced_walk_in"].pk] == ("updated", "SessionSeries")
    assert kinds[catalogue["drop_in"].pk] == ("updated", "FacilityUse")
    assert kinds[catalogue["programme"].pk] == ("updated", "SessionSeries")
    assert sorted(state for state, _kind in kinds.values()) == ["deleted", *["updated"] * 7]
    assert all(item["data"]["name"] != "Theater voor de buurt" for item in page["items"] if "data" in item)


def test_an_offer_of_unknown_price_is_no_opportunity_until_its_price_is_known(catalogue):
    """Unknown price: OpenActive requires a price, so the offer stays out rather than claiming one."""
    offer = OfferPage.objects.get(pk=catalogue["dated"].pk)
    offer.list_price = None  # what the catalogue holds once it can say "price unknown"
    assert offer_opportunity(offer) is None


def test_dated_sessions_are_scheduled_sessions_with_their_own_status_and_places(catalogue):
    """UiTdatabank's separate dates stay separate: each a ScheduledSession, a full one with no place left."""
    series = offer_opportunity(OfferPage.objects.get(pk=catalogue["three_dates"].pk))
    sessions = series["subEvent"]
    assert [session["startDate"] for session in sessions] == [
        "2026-10-03T10:00:00+02:00",
        "2026-10-10T10:00:00+02:00",
        "2026-10-17T10:00:00+02:00",
    ]
    assert [session["duration"] for session in sessions] == ["PT1H"] * 3
    assert [session["eventStatus"].rsplit("/", 1)[1] for session in sessions] == [
        "EventScheduled",
        "EventScheduled",
        "EventCancelled",
    ]
    assert [session.get("remainingAttendeeCapacity") for session in sessions] == [12, 0, 12]
    assert [session["maximumAttendeeCapacity"] for session in sessions] == [12] * 3
    assert series["maximumAttendeeCapacity"] == 12
    assert "eventSchedule" not in series  # no weekly habit is made of three dates


def test_confirmed_places_lower_the_remaining_capacity_and_a_full_offer_has_none(catalogue):
    """Places confirmed to referred clients are taken: fewer remain; all of them taken, none remains."""
    offer = OfferPage.objects.get(pk=catalogue["three_dates"].pk)
    offer.places_confirmed = 2
    remaining = [session.get("remainingAttendeeCapacity") for session in offer_opportunity(offer)["subEvent"]]
    assert remaining == [10, 0, 10]
    offer.places_confirmed = 12
    remaining = [session.get("remainingAttendeeCapacity") for session in offer_opportunity(offer)["subEvent"]]
    assert remaining == [0, 0, 0]


def test_closed_days_are_the_schedules_exceptions(catalogue):
    """A closed period is listed day by day as each weekly schedule's exceptDate."""
    series = offer_opportunity(OfferPage.objects.get(pk=catalogue["closed_at_christmas"].pk))
    (schedule,) = series["eventSchedule"]
    assert schedule["exceptDate"][0] == "2026-12-22"
    assert schedule["exceptDate"][-1] == "2027-01-02"
    assert len(schedule["exceptDate"]) == 12


def test_a_group_programme_is_a_session_series_of_its_sessions_led_by_its_guide(catalogue):
    """A group programme: its dated sessions as ScheduledSessions, its guide as leader, places left after enrolments."""
    offer = OfferPage.objects.get(pk=catalogue["programme"].pk)
    offer.group_enrolled = 3
    series = offer_opportunity(offer)
    assert series["@type"] == "SessionSeries" and series["leader"] == [{"@type": "Person", "name": "Leen Peeters"}]
    assert [session["remainingAttendeeCapacity"] for session in series["subEvent"]] == [5, 5, 5]
