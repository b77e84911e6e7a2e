"""Importing UiTdatabank JSON-LD: real-format documents in, threshold facts out, refusals that write nothing."""

import copy
import json
import threading
from datetime import date, datetime, time
from decimal import Decimal
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection
from django.utils import translation

from wagtail.models import Page, Revision

import pytest

from catalogue.facts import ACCESSIBILITY_FACTS, search_facts_holding
from catalogue.importing import sync
from catalogue.importing.sync import ItemAction, feed_sync
from catalogue.importing.uitdatabank import read_documents, uitdatabank_import
from catalogue.models import (
    Availability,
    Commitment,
    Domain,
    ImportJob,
    Neighbourhood,
    OfferPage,
    PriceUnit,
    ReducedTariff,
    Registration,
    SessionStatus,
    Source,
)
from catalogue.services import areas_load, ended_offers_unpublish, neighbourhoods_load
from organisations.models import Organisation
from portal.demo import ensure_reference_data, ensure_site
from tests.factories import OrganisationFactory

DATA = Path(__file__).parent / "data" / "uitdatabank"
EVENT_ID = "23017cb7-e515-47b4-87c4-780735acc942"
PLACE_ID = "179c89c5-dba4-417b-ae96-62e7a12c2405"
VALID = [
    "event/original.json",
    "event/original-for-all-ages.json",
    "event/original-periodic-with-opening-hours.json",
    "event/original-permanent-with-opening-hours.json",
    "event/original-with-attendance-mode-mixed.json",
    "event/original-with-languages.json",
    "event/original-with-multiple-dates.json",
    "event/original-with-optional-fields.json",
    "event/original-with-typical-age-range.json",
    "place/original-for-all-ages.json",
    "place/original-with-opening-hours.json",
    "place/original-with-optional-fields.json",
]


BRUSSELS = ZoneInfo("Europe/Brussels")
# The documents' dates lie in April 2017; the imports below happen on the morning of the first of them.
NOW = datetime(2017, 4, 22, 9, 0, tzinfo=BRUSSELS)
# The two documents with optional fields are shown from 25 April 2017 (availableFrom) on.
AVAILABLE_FROM = {"event/original-with-optional-fields.json", "place/original-with-optional-fields.json"}
AFTER_AVAILABLE_FROM = datetime(2017, 4, 26, 9, 0, tzinfo=BRUSSELS)


def load(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def kiel() -> tuple[float, float]:
    neighbourhood = Neighbourhood.objects.get(code="ANT10")
    return neighbourhood.centroid_latitude, neighbourhood.centroid_longitude


def in_antwerp(document: dict, *, uuid: str | None = None) -> dict:
    """The document with its venue moved into Antwerp, point and address (the test documents' venues lie in Leuven)."""
    moved = copy.deepcopy(document)
    latitude, longitude = kiel()
    holder = moved if moved.get("@type") == "Place" else moved["location"]
    holder["geo"] = {"latitude": latitude, "longitude": longitude}
    address = holder.get("address") or {}
    for spelling in [address] if "streetAddress" in address else address.values():
        spelling.update(addressLocality="Antwerpen", postalCode="2020")
    if uuid:
        kind = "place" if moved.get("@type") == "Place" else "event"
        moved["@id"] = f"https://io.uitdatabank.be/{kind}/{uuid}"
    return moved


def uuid(number: int) -> str:
    return f"00000000-0000-4000-8000-{number:012d}"


def event(number: int, **changes) -> dict:
    document = in_antwerp(load("event/original.json"), uuid=uuid(number))
    document["name"] = {"nl": f"Activiteit {number}"}
    document.update(changes)
    return document


def upcoming(document: dict) -> dict:
    """The document with its dates moved from 2017 to next year, for the ways in that judge by the real today."""
    year = date.today().year + 1
    return json.loads(json.dumps(document).replace('"2017-', f'"{year}-'))


def run(organisation, *documents: dict, labels: list[str] | None = None, now: datetime = NOW, **kwargs):
    named = list(zip(labels or [f"document {i}" for i in range(len(documents))], documents, strict=True))
    feed, report = uitdatabank_import(organisation=organisation, documents=named, now=now, **kwargs)
    assert not feed.problems
    return report


def only(report):
    (item,) = [item for item in report.items if item.label]
    return item


@pytest.fixture
def partner(partner_a):
    """Partner A with the e-mail address that documents without a contactPoint fall back to."""
    partner_a.email = "info@zwemclub-a.test"
    partner_a.phone = "03 123 45 67"
    partner_a.save()
    return partner_a


@pytest.mark.django_db
@pytest.mark.parametrize("name", VALID)
def test_every_valid_document_imports(partner, name):
    """Each valid real-format document becomes a live offer of the importing organisation."""
    now = AFTER_AVAILABLE_FROM if name in AVAILABLE_FROM else NOW
    report = run(partner, in_antwerp(load(name)), labels=[name], now=now)
    item = only(report)
    assert item.action == ItemAction.CREATED, [str(error) for error in item.errors]
    offer = OfferPage.objects.get(pk=item.offer_id)
    assert offer.live and offer.organisation == partner
    assert offer.source == Source.UITDATABANK
    assert offer.external_id == (PLACE_ID if name.startswith("place/") else EVENT_ID)
    assert offer.neighbourhood.code == "ANT10"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "event/original-with-wrong-calendar-type.json",
            "original-with-wrong-calendar-type.json, field calendarType: “foobar” is not a calendar type; "
            "expected one of: single, multiple, periodic, permanent.",
        ),
        (
            "event/original-with-wrong-typical-age-range.json",
            "original-with-wrong-typical-age-range.json, field typicalAgeRange: "
            "“4/10” is not an age range such as 6-12, 18- or -12.",
        ),
        (
            "event/original-single-with-invalid-date-range.json",
            "original-single-with-invalid-date-range.json, field endDate: "
            "The end (2017-04-22T02:00+02:00) lies before the start (2017-04-22T20:00+02:00).",
        ),
    ],
)
def test_a_wrong_document_is_refused_with_a_clear_error_and_writes_nothing(partner, name, expected):
    """Error case: the deliberately wrong documents are refused, each naming its field, and write nothing."""
    pages, revisions = Page.objects.count(), Revision.objects.count()
    with translation.override("en"):
        report = run(partner, in_antwerp(load(name)), labels=[Path(name).name])
        item = only(report)
        assert item.action == ItemAction.REFUSED
        assert expected in [str(error) for error in item.errors]
    assert (Page.objects.count(), Revision.objects.count()) == (pages, revisions)


@pytest.mark.django_db
def test_a_venue_outside_the_network_is_refused_with_the_area_error(partner):
    """Error case: the documents' real point in Leuven lies outside Antwerp and is refused, naming geo."""
    with translation.override("en"):
        document = load("place/original-with-optional-fields.json")
        report = run(partner, document, labels=["leuven.json"], now=AFTER_AVAILABLE_FROM)
        assert [str(error) for error in only(report).errors] == [
            "leuven.json, field geo: This point lies outside the network's area: check latitude and longitude."
        ]
    assert not OfferPage.objects.exists()


@pytest.mark.django_db
def test_a_venue_without_coordinates_is_refused(partner):
    """Error case: without geo there is no neighbourhood, so the document is refused naming location.geo."""
    with translation.override("en"):
        report = run(partner, load("event/original.json"), labels=["original.json"])
        (error,) = only(report).errors
        assert str(error).startswith("original.json, field location.geo: The location has no coordinates")
    assert not OfferPage.objects.exists()


def without_geo(street_address: str, postal_code: str) -> dict:
    """An event in Antwerp whose location gives its address and no point, as many UiTdatabank places do."""
    document = event(1)
    del document["location"]["geo"]
    document["location"]["address"]["nl"].update(
        streetAddress=street_address, postalCode=postal_code, addressLocality="Antwerpen"
    )
    return document


@pytest.mark.django_db
def test_a_venue_without_coordinates_is_placed_from_its_address(partner, address_register):
    """Without geo, Flanders' address register gives the point, and the report says where it came from."""
    with translation.override("en"):
        item = only(run(partner, without_geo("Schijfwerpersstraat 2", "2020")))
    assert item.action == ItemAction.CREATED, [str(error) for error in item.errors]
    assert OfferPage.objects.get().neighbourhood.code == "ANT10"
    assert any(
        "location.geo: missing; the point was found from the address by Flanders' address register "
        "(Schijfwerpersstraat 2, 2020 Antwerpen)" in str(warning)
        for warning in item.warnings
    )


@pytest.mark.django_db
def test_a_venue_without_coordinates_at_an_unknown_address_is_refused_naming_the_fields(partner, address_register):
    """Error case: the register does not know the address, so the document is refused on location.geo."""
    with translation.override("en"):
        (error,) = only(run(partner, without_geo("Nergensstraat 1", "2020"))).errors
        assert str(error) == (
            "document 0, field location.geo: The location has no coordinates (geo) and Flanders' address register "
            "does not know “Nergensstraat 1, 2020 Antwerpen”: correct location.address.streetAddress, or add geo."
        )
    assert not OfferPage.objects.exists()


@pytest.mark.django_db
def test_a_venue_without_coordinates_is_refused_while_the_register_is_down(partner, address_register):
    """Error case: a register that answers 503 leaves the document refused, to be imported again later."""
    address_register.status_override = 503
    with translation.override("nl"):
        (error,) = only(run(partner, without_geo("Schijfwerpersstraat 2", "2020"))).errors
        assert str(error) == (
            "document 0, veld location.geo: De locatie heeft geen coördinaten (geo) en het adressenregister van "
            "Vlaanderen antwoordde niet voor “Schijfwerpersstraat 2, 2020 Antwerpen”: importeer het document later "
            "opnieuw, of voeg geo toe."
        )
    assert not OfferPage.objects.exists()


@pytest.mark.django_db
def test_the_optional_fields_map_onto_thresholds(partner):
    """The richest event: name, description, price, age, audience, type, languages and organizer all land."""
    offer = OfferPage.objects.get(
        pk=only(
            run(partner, in_antwerp(load("event/original-with-optional-fields.json")), now=AFTER_AVAILABLE_FROM)
        ).offer_id
    )
    assert offer.title == "Punkfest"
    assert offer.plain_summary == "Lorem ipsum dolor sit amet"
    assert offer.description == "<p>Lorem ipsum dolor sit amet</p>"
    assert offer.domain == Domain.CULTURE  # 0.7.0.0.0, a guided tour
    assert (offer.list_price, offer.price_unit) == (Decimal("19.99"), PriceUnit.SESSION)
    assert offer.reduced_tariff == ReducedTariff.NONE  # a student tariff is not a low-income tariff
    assert (offer.age_min, offer.age_max) == (None, 4)
    assert offer.registration == Registration.REQUIRED  # audienceType members
    assert sorted(language.code for language in offer.languages.all()) == ["en", "fr"]
    assert offer.referral_contact_name == "PHPLeuven"
    assert offer.referral_contact_email == "info@zwemclub-a.test"
    assert offer.street_address == "Vaartkom 35" and offer.postal_code == "2020" and offer.city == "Antwerpen"
    assert offer.last_confirmed == date(2017, 4, 22)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "dates", "slots", "commitment"),
    [
        ("event/original.json", (date(2017, 4, 22), date(2017, 4, 22)), [], Commitment.SINGLE),
        ("event/original-with-multiple-dates.json", (date(2017, 4, 30), date(2017, 5, 7)), [], Commitment.SINGLE),
        (
            "event/original-periodic-with-opening-hours.json",
            (date(2017, 1, 1), date(2017, 6, 30)),
            [(day, time(9), time(12)) for day in range(5)]
            + [(day, time(13), time(18)) for day in range(5)]
            + [(5, time(10), time(14))],
            Commitment.DROP_IN,
        ),
        (
            "event/original-permanent-with-opening-hours.json",
            (None, None),
            [(day, time(9), time(12)) for day in range(5)]
            + [(day, time(13), time(18)) for day in range(5)]
            + [(5, time(10), time(14)), (5, time(15), time(19)), (6, time(10), time(14))],
            Commitment.DROP_IN,
        ),
        (
            "place/original-with-opening-hours.json",
            (None, None),
            [(day, time(8, 30), time(9, 17)) for day in (0, 2, 4)],
            Commitment.DROP_IN,
        ),
    ],
)
def test_each_calendar_type_gives_dates_and_weekly_slots(partner, name, dates, slots, commitment):
    """single, multiple, periodic and permanent calendars become dates in Brussels time; opening hours weekly slots."""
    offer = OfferPage.objects.get(pk=only(run(partner, in_antwerp(load(name)))).offer_id)
    assert (offer.start_date, offer.end_date) == dates
    assert sorted((s.weekday, s.start_time, s.end_time) for s in offer.time_slots.all()) == sorted(slots)
    assert offer.commitment == commitment


@pytest.mark.django_db
def test_uitpas_and_social_tariffs_become_the_reduced_price(partner):
    """priceInfo's uitpas category and a tariff named as a social tariff give 'both', at the lowest price."""
    document = event(
        1,
        priceInfo=[
            {"category": "base", "name": {"nl": "Basistarief"}, "price": 10, "priceCurrency": "EUR"},
            {"category": "tariff", "name": {"nl": "Kinderen"}, "price": 5, "priceCurrency": "EUR"},
            {"category": "tariff", "name": {"nl": "Sociaal tarief"}, "price": 3, "priceCurrency": "EUR"},
            {
                "category": "uitpas",
                "name": {"nl": "Kansentarief met UiTPAS Antwerpen"},
                "price": 2,
                "priceCurrency": "EUR",
            },
        ],
    )
    offer = OfferPage.objects.get(pk=only(run(partner, document)).offer_id)
    assert (offer.list_price, offer.reduced_tariff, offer.reduced_price) == (
        Decimal("10.00"),
        ReducedTariff.BOTH,
        Decimal("2.00"),
    )
    assert offer.reduced_price_who == "Kansentarief met UiTPAS Antwerpen; Sociaal tarief"


@pytest.mark.django_db
def test_an_uitpas_price_alone_is_the_uitpas_tariff(partner):
    """A base price with only an UiTPAS price is the UiTPAS opportunity tariff."""
    document = event(
        1,
        priceInfo=[
            {"category": "base", "name": "Basistarief", "price": 3.1, "priceCurrency": "EUR"},
            {"category": "uitpas", "name": {"nl": "Kansentarief met UiTPAS Pelt"}, "price": 0.62},
        ],
    )
    offer = OfferPage.objects.get(pk=only(run(partner, document)).offer_id)
    assert (offer.reduced_tariff, offer.reduced_price) == (ReducedTariff.UITPAS, Decimal("0.62"))


@pytest.mark.django_db
def test_without_price_info_the_price_is_unknown_not_free(partner):
    """UiTdatabank leaves the price unknown; so does the offer (never € 0), and the report asks to fill it in."""
    with translation.override("en"):
        item = only(run(partner, event(1)))
        assert "priceInfo: UiTdatabank gives no price, so it is stored as unknown (never as free). Fill it in." in [
            str(w) for w in item.warnings
        ]
    offer = OfferPage.objects.get(pk=item.offer_id)
    assert offer.list_price is None and not offer.is_free and offer.price_unknown


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("price_info", "expected"),
    [
        (
            [{"category": "tariff", "name": {"nl": "Student"}, "price": 5, "priceCurrency": "EUR"}],
            "document 0, field priceInfo: priceInfo has no base tariff.",
        ),
        (
            [{"category": "base", "name": {"nl": "Basistarief"}, "price": 5, "priceCurrency": "USD"}],
            "document 0, field priceInfo[0].priceCurrency: Only prices in euro can be imported.",
        ),
        (
            [{"category": "base", "name": {"nl": "Basistarief"}, "price": "vijf", "priceCurrency": "EUR"}],
            "document 0, field priceInfo[0].price: The price is not a number.",
        ),
    ],
)
def test_a_price_that_cannot_be_read_is_refused(partner, price_info, expected):
    """Error case: no base tariff, another currency or a price that is no number: refused, naming the tariff."""
    with translation.override("en"):
        item = only(run(partner, event(1, priceInfo=price_info)))
        assert [str(error) for error in item.errors] == [expected]
    assert not OfferPage.objects.exists()


@pytest.mark.django_db
def test_facility_terms_become_accessibility_facts(partner):
    """Facility ids from catalogue.facts (on the event and on its location) switch the matching facts on."""
    ids = {fact.field: fact.uitdatabank_id for fact in ACCESSIBILITY_FACTS}
    document = event(1, terms=[{"id": ids["step_free"], "label": "Rolstoeltoegankelijk", "domain": "facility"}])
    document["location"]["terms"] = [
        {"id": ids["hearing_loop"], "label": "Ringleiding", "domain": "facility"},
        {"id": "3.9.0.0.0", "label": "Kinderopvang", "domain": "facility"},
    ]
    offer = OfferPage.objects.get(pk=only(run(partner, document)).offer_id)
    assert offer.step_free and offer.hearing_loop and offer.childcare
    assert not offer.adapted_toilet and not offer.sign_language


@pytest.mark.django_db
def test_event_type_and_theme_give_domain_and_themes(partner):
    """A course (a neutral type) about swimming is sport with the theme Zwemmen; a concert is culture with Muziek."""
    swimming = event(
        1,
        terms=[
            {"id": "0.3.1.0.0", "label": "Cursus of workshop", "domain": "eventtype"},
            {"id": "1.51.3.0.0", "label": "Zwemmen en watersport", "domain": "theme"},
        ],
    )
    concert = event(2, terms=[{"id": "0.50.4.0.0", "label": "Concert", "domain": "eventtype"}])
    report = run(partner, swimming, concert)
    offers = {offer.external_id: offer for offer in OfferPage.objects.all()}
    assert offers[uuid(1)].domain == Domain.SPORT
    assert [theme.slug for theme in offers[uuid(1)].themes.all()] == ["zwemmen"]
    assert offers[uuid(2)].domain == Domain.CULTURE
    assert [theme.slug for theme in offers[uuid(2)].themes.all()] == ["muziek"]
    assert report.totals["created"] == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("age_range", "ages"), [("6-12", (6, 12)), ("18-", (18, None)), ("-12", (None, 12)), ("-", (None, None))]
)
def test_typical_age_range_gives_minimum_and_maximum_age(partner, age_range, ages):
    """typicalAgeRange '6-12', '18-', '-12' and '-' become age_min and age_max."""
    offer = OfferPage.objects.get(pk=only(run(partner, event(1, typicalAgeRange=age_range))).offer_id)
    assert (offer.age_min, offer.age_max) == ages


@pytest.mark.django_db
def test_booking_info_means_registration_and_contact_point_the_referral_contact(partner):
    """bookingInfo asks for registration; contactPoint gives the referral e-mail and phone."""
    document = event(
        1,
        bookingInfo={"url": "https://tickets.example/punkfest", "urlLabel": {"nl": "Koop tickets"}},
        contactPoint={"email": ["tickets@hungaria.example"], "phone": ["016 12 34 56"], "url": []},
    )
    offer = OfferPage.objects.get(pk=only(run(partner, document)).offer_id)
    assert offer.registration == Registration.REQUIRED
    assert (offer.referral_contact_email, offer.referral_contact_phone) == ("tickets@hungaria.example", "016 12 34 56")
    walk_in = OfferPage.objects.get(pk=only(run(partner, event(1))).offer_id)
    assert walk_in.registration == Registration.WALK_IN


@pytest.mark.django_db
def test_an_offer_for_school_groups_only_is_refused(partner):
    """Error case: audienceType education is for schools only, so it is refused naming the field."""
    with translation.override("en"):
        item = only(run(partner, event(1, audience={"audienceType": "education"})))
        assert item.action == ItemAction.REFUSED
        assert str(item.errors[0]).startswith("document 0, field audience.audienceType: This offer is for school")
    assert not OfferPage.objects.exists()


@pytest.mark.django_db
def test_without_any_email_address_the_document_is_refused(partner_b):
    """Error case: no contactPoint, no bookingInfo e-mail and no organisation e-mail: refused, naming contactPoint."""
    with translation.override("en"):
        item = only(run(partner_b, event(1)))
        assert [error.column for error in item.errors] == ["contactPoint.email"]
    assert not OfferPage.objects.exists()


@pytest.mark.django_db
def test_a_cancelled_event_takes_the_offer_offline(partner):
    """status Unavailable: a new document is skipped, an offer we already have is unpublished (never deleted)."""
    cancelled = in_antwerp(load("event/original-with-unavailable-status.json"))
    assert only(run(partner, cancelled)).action == ItemAction.SKIPPED
    assert not OfferPage.objects.exists()
    available = copy.deepcopy(cancelled)
    del available["status"]
    for sub_event in available["subEvent"]:
        del sub_event["status"]
    assert only(run(partner, available)).action == ItemAction.CREATED
    assert only(run(partner, cancelled)).action == ItemAction.UNPUBLISHED
    assert OfferPage.objects.get().live is False


@pytest.mark.django_db
def test_the_same_feed_twice_changes_nothing(partner):
    """Idempotent: a second run of the same feed reports everything unchanged and makes no revision."""
    documents = [
        event(1),
        event(2, typicalAgeRange="6-12"),
        in_antwerp(load("place/original-with-opening-hours.json")),
    ]
    first = run(partner, *documents)
    assert first.totals["created"] == 3
    revisions = Revision.objects.count()
    second = run(partner, *documents)
    assert second.totals["unchanged"] == 3 and second.changed == 0
    assert Revision.objects.count() == revisions
    assert OfferPage.objects.count() == 3


@pytest.mark.django_db
def test_one_changed_one_new_one_missing(partner):
    """A feed with one changed, one new and one missing offer gives one update, one create and one unpublish."""
    run(partner, event(1), event(2), event(3))
    report = run(partner, event(1), event(2, typicalAgeRange="6-12"), event(4))
    assert {key: value for key, value in report.totals.items() if value} == {
        "created": 1,
        "updated": 1,
        "unchanged": 1,
        "unpublished": 1,
    }
    assert [item.external_id for item in report.of(ItemAction.UNPUBLISHED)] == [uuid(3)]
    assert OfferPage.objects.get(external_id=uuid(3)).live is False
    assert OfferPage.objects.count() == 4  # unpublished, never deleted


@pytest.mark.django_db
def test_partner_as_file_imported_for_partner_b_makes_bs_own_offers(partner, partner_b):
    """Error case: A's feed imported for B creates B's own offers and never touches A's."""
    partner_b.email = "info@theater-b.test"
    partner_b.save()
    run(partner, event(1), event(2))
    a_offers = {offer.pk: offer.latest_revision_id for offer in OfferPage.objects.filter(organisation=partner)}
    report = run(partner_b, event(1, name={"nl": "Overgenomen"}))
    assert report.totals["created"] == 1 and report.totals["unpublished"] == 0
    assert {o.pk: o.latest_revision_id for o in OfferPage.objects.filter(organisation=partner)} == a_offers
    assert all(offer.live for offer in OfferPage.objects.filter(organisation=partner))
    assert OfferPage.objects.get(organisation=partner_b).title == "Overgenomen"


@pytest.mark.django_db
def test_the_same_id_twice_in_one_feed_is_refused_the_second_time(partner):
    """Error case: a feed naming one @id twice writes the first and refuses the second, naming @id."""
    with translation.override("en"):
        report = run(partner, event(1), event(1, name={"nl": "Dubbel"}), labels=["a.json", "b.json"])
        refused = report.of(ItemAction.REFUSED)
        assert [str(error) for error in refused[0].errors] == [
            "b.json, field @id: This external id already appears in a.json; every offer needs its own."
        ]
    assert OfferPage.objects.get().title == "Activiteit 1"


@pytest.mark.django_db
def test_the_command_reports_each_document_and_the_totals(partner, tmp_path):
    """manage.py import_uitdatabank reads a file, an array and a search API page, and prints a report."""
    (tmp_path / "one.json").write_text(json.dumps(upcoming(event(1))), encoding="utf-8")
    wrong = load("event/original-with-wrong-calendar-type.json")
    (tmp_path / "array.json").write_text(json.dumps([upcoming(event(2)), wrong]))
    (tmp_path / "page.json").write_text(json.dumps({"@type": "PagedCollection", "member": [upcoming(event(3))]}))
    out = StringIO()
    with translation.override("en"), pytest.raises(CommandError, match="1 document\\(s\\) refused") as refused:
        call_command("import_uitdatabank", "--organisation", partner.slug, str(tmp_path), stdout=out)
    assert refused.value.returncode == 1  # a refused document is a failed run, for cron and CI alike
    output = out.getvalue()
    assert f"one.json: created – Activiteit 1 [{uuid(1)}]" in output
    assert f"page.json[0]: created – Activiteit 3 [{uuid(3)}]" in output
    assert "array.json[1]: refused" in output
    assert "array.json[1], field calendarType:" in output
    assert "created 3, updated 0, unchanged 0, unpublished 0, skipped 0, refused 1" in output
    assert OfferPage.objects.count() == 3


@pytest.mark.django_db
def test_the_command_refuses_an_unknown_organisation_and_unreadable_files(partner, tmp_path):
    """Error case: an unknown slug or a file that is not JSON stops the command before anything is written."""
    with translation.override("en"), pytest.raises(CommandError, match="No organisation with the slug 'nobody'"):
        call_command("import_uitdatabank", "--organisation", "nobody", str(DATA / "event" / "original.json"))
    (tmp_path / "broken.json").write_text("{not json")
    (tmp_path / "fine.json").write_text(json.dumps(event(1)))
    with translation.override("en"), pytest.raises(CommandError, match="broken.json cannot be read as JSON"):
        call_command("import_uitdatabank", "--organisation", partner.slug, str(tmp_path))
    assert not OfferPage.objects.exists()


@pytest.mark.django_db
def test_the_command_can_hand_the_import_to_the_task_worker(partner, tmp_path, django_capture_on_commit_callbacks):
    """--background stores the documents as an import job; the worker (here: when enqueued) applies it."""
    (tmp_path / "one.json").write_text(json.dumps(upcoming(event(1))))
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "import_uitdatabank",
            "--organisation",
            partner.slug,
            "--background",
            "--language",
            "en",
            str(tmp_path),
            stdout=out,
        )
    job = ImportJob.objects.get()
    assert f"Import job {job.pk}: " in out.getvalue()  # queued here: the test's transaction commits only at its end
    assert (job.source, job.dry_run, job.report["totals"]["created"]) == (Source.UITDATABANK, False, 1)
    assert OfferPage.objects.get().external_id == uuid(1)


@pytest.mark.django_db
def test_a_finished_job_run_again_changes_nothing(partner, tmp_path, django_capture_on_commit_callbacks):
    """Idempotence: manage.py import_job on a job whose worker died re-applies it; the offer stays one offer."""
    (tmp_path / "one.json").write_text(json.dumps(upcoming(event(1))))
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "import_uitdatabank", "--organisation", partner.slug, "--background", str(tmp_path), stdout=StringIO()
        )
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(status="running")  # as a kill -9 leaves it
    out = StringIO()
    call_command("import_job", str(job.pk), stdout=out)
    assert f"Import job {job.pk}" in out.getvalue() and "unchanged 1" in out.getvalue()
    job.refresh_from_db()
    assert (job.status, job.runs) == ("done", 2)
    assert OfferPage.objects.count() == 1


@pytest.mark.django_db
def test_a_dry_run_writes_nothing(partner):
    """A preview reports what would be created and leaves the database as it was."""
    pages = Page.objects.count()
    report = run(partner, event(1), dry_run=True)
    assert report.dry_run and report.totals["created"] == 1
    assert Page.objects.count() == pages


@pytest.mark.django_db
@pytest.mark.parametrize(
    "failure",
    [
        IntegrityError("duplicate key value violates unique constraint"),
        ValidationError({NON_FIELD_ERRORS: ["This organisation already has an offer with this external id."]}),
    ],
    ids=["database", "validation"],
)
def test_losing_a_race_to_create_retries_as_an_update(partner, monkeypatch, failure):
    """Concurrency, simulated: our insert loses to another import's; the retry finds its offer unchanged."""
    real_create = sync.offers_create

    def lose_to_another_import(**kwargs):
        real_create(**kwargs)  # the other import's insert, committed while ours was inserting
        if isinstance(failure, IntegrityError):
            raise failure
        return [failure for _ in kwargs["inputs"]]

    monkeypatch.setattr(sync, "offers_create", lose_to_another_import)
    item = only(run(partner, event(1)))
    assert (item.action, item.retried, item.errors) == (ItemAction.UNCHANGED, True, [])
    assert OfferPage.objects.count() == 1


@pytest.mark.django_db
def test_an_invalid_item_is_not_retried(partner):
    """Error case: a validation error for an offer nobody created is refused at once, naming the field."""
    with translation.override("en"):
        item = only(run(partner, event(1, typicalAgeRange="12-6")))
        assert (item.action, item.retried) == (ItemAction.REFUSED, False)
        assert [str(error) for error in item.errors] == [
            "document 0, field typicalAgeRange: The minimum age cannot be above the maximum age."
        ]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite serialises all writers")
def test_two_imports_of_the_same_feed_at_once_make_no_duplicates(django_db_setup, monkeypatch):
    """Concurrency: both imports find no offer and insert; the constraint stops one, which retries as an update."""
    # A transactional test starts from whatever the previous one left; load what the session fixture loads.
    geojson = settings.NETWORK_NEIGHBOURHOODS_GEOJSON
    neighbourhoods_load(
        geojson_path=geojson, scores_path=geojson.parent / "antwerpen-wijken-sociaaleconomische-score-2025.csv"
    )
    ensure_site()
    ensure_reference_data()
    organisation = OrganisationFactory(name="Gelijktijdig", email="info@gelijktijdig.test")
    feed = [(f"{number}.json", event(number)) for number in (1, 2)]

    real_create = sync.offers_create
    both_looked = threading.Barrier(2, timeout=20)
    waited: set[int] = set()

    def create_after_both_looked(**kwargs):
        if threading.get_ident() not in waited:  # only the first batch of each import races
            waited.add(threading.get_ident())
            both_looked.wait()
        return real_create(**kwargs)

    monkeypatch.setattr(sync, "offers_create", create_after_both_looked)
    reports, failures = [], []

    def import_once():
        try:
            own = Organisation.objects.get(pk=organisation.pk)  # each import loads its own, as two processes do
            items = read_documents(feed, organisation=own, now=NOW).items
            reports.append(feed_sync(organisation=own, source=Source.UITDATABANK, items=items))
        except Exception as error:  # noqa: BLE001 - reported to the test thread below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=import_once) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures
    offers = OfferPage.objects.filter(organisation=organisation)
    assert sorted(offers.values_list("external_id", flat=True)) == [uuid(1), uuid(2)]
    first = [item for report in reports for item in report.items if item.external_id == uuid(1)]
    assert sorted(item.action for item in first) == [ItemAction.CREATED, ItemAction.UNCHANGED]
    (loser,) = [item for item in first if item.action == ItemAction.UNCHANGED]
    assert loser.retried and not loser.errors
    assert all(not item.errors for report in reports for item in report.items)


# Calendars, availability, audience and place: publiq's fields read in full ---------------------------------


def multiple_dates(number: int = 1) -> dict:
    """publiq's document with three separate dates (30 April, 1 and 7 May 2017), placed in Antwerp."""
    return in_antwerp(load("event/original-with-multiple-dates.json"), uuid=uuid(number))


def shown(client, offer) -> str:
    """The public offer page, as the site serves it: in Dutch."""
    return client.get(offer.url).content.decode()


@pytest.mark.django_db
def test_three_separate_dates_stay_three_sessions_not_one_period(partner, client):
    """calendarType multiple: each subEvent is its own dated session; the page lists the dates, not a period."""
    offer = OfferPage.objects.get(pk=only(run(partner, multiple_dates())).offer_id)
    assert [(s.start.astimezone(BRUSSELS).date(), s.status) for s in offer.sessions.order_by("start")] == [
        (date(2017, 4, 30), SessionStatus.SCHEDULED),
        (date(2017, 5, 1), SessionStatus.SCHEDULED),
        (date(2017, 5, 7), SessionStatus.SCHEDULED),
    ]
    assert not offer.time_slots.exists()  # three dates are no weekly habit
    page = shown(client, offer)
    assert "zondag 30 april 2017" in page and "maandag 1 mei 2017" in page and "zondag 7 mei 2017" in page
    assert "Van 30 april 2017 tot 7 mei 2017" not in page


@pytest.mark.django_db
def test_a_cancelled_date_is_kept_and_shown_as_cancelled(partner, client):
    """subEvent status Unavailable: that date stays, marked cancelled; the other dates still take place."""
    document = multiple_dates()
    document["subEvent"][1]["status"] = {"type": "Unavailable", "reason": {"nl": "Zaal onbeschikbaar"}}
    document["subEvent"][2]["status"] = {"type": "TemporarilyUnavailable"}
    offer = OfferPage.objects.get(pk=only(run(partner, document)).offer_id)
    assert [s.status for s in offer.sessions.order_by("start")] == [
        SessionStatus.SCHEDULED,
        SessionStatus.CANCELLED,
        SessionStatus.POSTPONED,
    ]
    page = shown(client, offer)
    assert "maandag 1 mei 2017, 00:00–00:00: <strong>afgelast</strong>" in page
    assert offer.end_date == date(2017, 5, 7)


@pytest.mark.django_db
def test_a_session_past_midnight_keeps_its_real_end(partner):
    """A subEvent from 20:00 to 02:00 the next night keeps its end on the next day."""
    document = event(1, calendarType="single", startDate="2017-04-22T20:00:00+02:00")
    document["endDate"] = "2017-04-23T02:00:00+02:00"
    document["availableTo"] = "2017-04-23T02:00:00+02:00"
    document["subEvent"] = [
        {"@type": "Event", "startDate": "2017-04-22T20:00:00+02:00", "endDate": "2017-04-23T02:00:00+02:00"}
    ]
    offer = OfferPage.objects.get(pk=only(run(partner, document)).offer_id)
    (session,) = offer.sessions.all()
    assert session.end.astimezone(BRUSSELS) == datetime(2017, 4, 23, 2, 0, tzinfo=BRUSSELS)
    assert (offer.start_date, offer.end_date) == (date(2017, 4, 22), date(2017, 4, 23))


@pytest.mark.django_db
def test_closed_days_are_kept_and_shown(partner, client):
    """openingHoursClosedDays of a periodic offer: each closed period stays, with why, on the offer page."""
    document = in_antwerp(load("event/original-periodic-with-opening-hours.json"))
    document["openingHoursClosedDays"] = [
        {"startDate": "2017-04-17", "endDate": "2017-04-17", "description": {"nl": "Paasmaandag"}},
        {"startDate": "2017-05-01", "endDate": "2017-05-02"},
    ]
    offer = OfferPage.objects.get(pk=only(run(partner, document)).offer_id)
    assert [(d.start_date, d.end_date, d.description) for d in offer.closed_days.order_by("start_date")] == [
        (date(2017, 4, 17), date(2017, 4, 17), "Paasmaandag"),
        (date(2017, 5, 1), date(2017, 5, 2), ""),
    ]
    page = shown(client, offer)
    assert "Gesloten op maandag 17 april 2017 (Paasmaandag)" in page
    assert "Gesloten van 1 mei 2017 tot en met 2 mei 2017" in page
    assert only(run(partner, document)).action == ItemAction.UNCHANGED  # idempotent with its closed days


@pytest.mark.django_db
def test_a_malformed_closed_day_is_refused_naming_it(partner):
    """Error case: a closed day that is no date is refused, naming openingHoursClosedDays[0].startDate."""
    document = in_antwerp(load("event/original-periodic-with-opening-hours.json"))
    document["openingHoursClosedDays"] = [{"startDate": "Pasen", "endDate": "2017-04-17"}]
    with translation.override("en"):
        assert [str(error) for error in only(run(partner, document)).errors] == [
            "document 0, field openingHoursClosedDays[0].startDate: Expected a date such as 2026-04-06."
        ]


@pytest.mark.django_db
def test_birthdate_range_becomes_the_age_range_with_its_meaning_in_the_report(partner):
    """birthdateRange 2009-2011: the ages those children have on the first day (5 to 8), not all ages."""
    with translation.override("en"):
        item = only(run(partner, event(1, birthdateRange="2009-2011")))
        assert "birthdateRange 2009-2011: for those born in 2009 to 2011, ages 5 to 8 on 2017-04-22." in [
            str(warning) for warning in item.warnings
        ]
    offer = OfferPage.objects.get(pk=item.offer_id)
    assert (offer.age_min, offer.age_max) == (5, 8)


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["2011-2009", "vanaf 2010", "1850-"])
def test_a_malformed_birthdate_range_is_refused_naming_it(partner, value):
    """Error case: birthdateRange must be a year or a rising pair of years; otherwise refused, naming it."""
    with translation.override("en"):
        item = only(run(partner, event(1, birthdateRange=value)))
        assert [str(error) for error in item.errors] == [
            f"document 0, field birthdateRange: “{value}” is not a range of birth years such as 2015 or 2015-2018."
        ]


@pytest.mark.django_db
def test_fully_booked_is_shown_and_filterable_not_walk_in(partner, client):
    """bookingAvailability Unavailable: the offer is fully booked (page, search fact), never published as walk-in."""
    offer = OfferPage.objects.get(pk=only(run(partner, event(1, bookingAvailability={"type": "Unavailable"}))).offer_id)
    assert offer.availability == Availability.FULLY_BOOKED
    assert offer.registration == Registration.WALK_IN  # how one gets in is a separate fact; places left is this one
    assert "places_left" not in search_facts_holding(offer)
    assert "<strong>Volzet</strong>" in shown(client, offer)
    other = OfferPage.objects.get(pk=only(run(partner, event(2, bookingAvailability={"type": "Available"}))).offer_id)
    assert other.availability == Availability.AVAILABLE and "places_left" in search_facts_holding(other)
    unsaid = OfferPage.objects.get(pk=only(run(partner, event(3))).offer_id)
    assert unsaid.availability == Availability.UNKNOWN and "places_left" not in search_facts_holding(unsaid)


@pytest.mark.django_db
def test_every_date_fully_booked_makes_the_offer_fully_booked(partner):
    """subEvent bookingAvailability: one full date is marked on its session; all of them make the offer full."""
    document = multiple_dates()
    document["subEvent"][0]["bookingAvailability"] = {"type": "Unavailable", "capacity": 20, "remainingCapacity": 0}
    with translation.override("en"):
        item = only(run(partner, document))
        assert "bookingAvailability capacity: the number of places is not held, only whether places are left." in [
            str(warning) for warning in item.warnings
        ]
    offer = OfferPage.objects.get(pk=item.offer_id)
    assert offer.sessions.order_by("start")[0].status == SessionStatus.FULLY_BOOKED
    assert offer.availability == Availability.UNKNOWN  # one date full, the others not said either way
    for sub_event in document["subEvent"]:
        sub_event["bookingAvailability"] = {"type": "Unavailable"}
    offer = OfferPage.objects.get(pk=only(run(partner, document)).offer_id)
    assert offer.availability == Availability.FULLY_BOOKED


@pytest.mark.django_db
def test_temporarily_unavailable_is_shown_as_postponed(partner, client):
    """status TemporarilyUnavailable: published, and shown as postponed or temporarily closed."""
    document = event(1, status={"type": "TemporarilyUnavailable", "reason": {"nl": "Uitgesteld"}})
    offer = OfferPage.objects.get(pk=only(run(partner, document)).offer_id)
    assert offer.availability == Availability.POSTPONED and offer.live
    assert "<strong>Uitgesteld of tijdelijk gesloten</strong>" in shown(client, offer)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["availableTo", "availableFrom"])
def test_a_malformed_available_date_is_refused_naming_it(partner, name):
    """Error case: availableFrom/availableTo that is no date and time is refused, naming the field."""
    with translation.override("en"):
        item = only(run(partner, event(1, **{name: "2017-13-45T00:00:00+02:00"})))
        assert item.action == ItemAction.REFUSED
        assert [str(error) for error in item.errors] == [
            f"document 0, field {name}: Expected a date and time such as 2026-04-22T10:00:00+02:00."
        ]
    assert not OfferPage.objects.exists()


@pytest.mark.django_db
def test_an_ended_offer_is_not_published_and_ours_goes_offline(partner):
    """An event that ended (2017) is not written live: a new one is skipped, one we have is taken offline."""
    later = datetime(2017, 5, 1, 9, 0, tzinfo=BRUSSELS)
    with translation.override("en"):
        item = only(run(partner, event(1), now=later))
        assert item.action == ItemAction.SKIPPED
        assert "Ended on 2017-04-22: not published (an offer we had goes offline)." in map(str, item.warnings)
    assert not OfferPage.objects.exists()
    assert only(run(partner, event(1))).action == ItemAction.CREATED
    assert only(run(partner, event(1), now=later)).action == ItemAction.UNPUBLISHED
    assert OfferPage.objects.get().live is False


@pytest.mark.django_db
def test_available_to_before_the_end_takes_the_offer_offline_then(partner):
    """availableTo is kept as the offer's expiry; the daily job takes it offline at that moment."""
    document = in_antwerp(load("event/original-periodic-with-opening-hours.json"))
    document["availableTo"] = "2017-05-31T23:59:59+02:00"
    offer = OfferPage.objects.get(pk=only(run(partner, document)).offer_id)
    assert offer.expire_at == datetime(2017, 5, 31, 23, 59, 59, tzinfo=BRUSSELS)
    assert ended_offers_unpublish(now=datetime(2017, 5, 31, 12, 0, tzinfo=BRUSSELS)) == []
    assert [o.pk for o in ended_offers_unpublish(now=datetime(2017, 6, 1, 0, 0, tzinfo=BRUSSELS))] == [offer.pk]
    offer.refresh_from_db()
    assert offer.live is False


@pytest.mark.django_db
def test_the_daily_job_takes_offers_offline_at_their_end_date(partner):
    """manage.py unpublish_ended_offers: an offer whose end date passed goes offline; a running one stays."""
    run(partner, event(1), in_antwerp(load("event/original-periodic-with-opening-hours.json")))
    ended, running = OfferPage.objects.get(external_id=uuid(1)), OfferPage.objects.get(external_id=EVENT_ID)
    gone = ended_offers_unpublish(now=datetime(2017, 4, 23, 3, 0, tzinfo=BRUSSELS))
    assert [offer.pk for offer in gone] == [ended.pk]
    assert OfferPage.objects.get(pk=running.pk).live and not OfferPage.objects.get(pk=ended.pk).live
    out = StringIO()
    call_command("unpublish_ended_offers", stdout=out)  # today is long after 2017: the other one ends too
    assert "1 ended offer(s) taken offline." in out.getvalue()


@pytest.mark.django_db
def test_an_address_in_another_municipality_than_its_point_is_refused(partner):
    """Error case: a Leuven address with an Antwerp point is refused, naming both municipalities."""
    document = event(1)
    document["location"]["address"]["nl"].update(addressLocality="Leuven", postalCode="3000")
    with translation.override("en"):
        assert [str(error) for error in only(run(partner, document)).errors] == [
            "document 0, field location.address.addressLocality: The address lies in Leuven (3000) but the point "
            "(geo) lies in Antwerpen, Antwerpen: correct the address or the point."
        ]
    assert not OfferPage.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("locality", ["Antwerpen", "antwerpen", "Berchem"])
def test_an_address_in_the_network_or_a_district_of_it_is_accepted(partner, locality):
    """The point's municipality (Antwerpen) and its district are both fine as addressLocality."""
    document = event(1)
    berchem = Neighbourhood.objects.filter(district__name="Berchem").order_by("code").first()
    document["location"]["geo"] = {"latitude": berchem.centroid_latitude, "longitude": berchem.centroid_longitude}
    document["location"]["address"]["nl"]["addressLocality"] = locality
    item = only(run(partner, document))
    assert item.action == ItemAction.CREATED, [str(error) for error in item.errors]


@pytest.mark.django_db
@pytest.mark.parametrize(("locality", "accepted"), [("Antwerpen", True), ("Berchem", True), ("Mortsel", False)])
def test_with_the_flemish_areas_loaded_the_locality_is_checked_against_the_points_municipality(
    partner, locality, accepted
):
    """The address may name the municipality or the deelgemeente the point lies in; a neighbour is refused."""
    areas_load(wijken_of=[])
    document = event(1)
    berchem = Neighbourhood.objects.filter(district__name="Berchem").order_by("code").first()
    document["location"]["geo"] = {"latitude": berchem.centroid_latitude, "longitude": berchem.centroid_longitude}
    document["location"]["address"]["nl"]["addressLocality"] = locality
    with translation.override("en"):
        item = only(run(partner, document))
        assert (item.action == ItemAction.CREATED) is accepted
        if not accepted:
            assert [str(error) for error in item.errors] == [
                "document 0, field location.address.addressLocality: The address lies in Mortsel (2020) but the "
                "point (geo) lies in Antwerpen, Berchem: correct the address or the point."
            ]


@pytest.mark.django_db
def test_fields_the_catalogue_cannot_hold_are_named_in_the_report(partner):
    """childrenOnly, departurePlaces, adjusted opening hours, booking windows, mixed attendance: each a named note."""
    document = event(
        1,
        childrenOnly=True,
        departurePlaces=[{"name": {"nl": "Station"}}],
        attendanceMode="mixed",
        bookingInfo={"email": "x@example.test", "availabilityStarts": "2017-04-01T00:00:00+02:00"},
        mediaObject=[{"contentUrl": "https://example.test/foto.jpg"}],
    )
    with translation.override("en"):
        warnings = [str(warning) for warning in only(run(partner, document)).warnings]
    for name in (
        "childrenOnly:",
        "departurePlaces:",
        "attendanceMode mixed:",
        "bookingInfo availabilityStarts",
        "mediaObject:",
    ):
        assert any(warning.startswith(name) for warning in warnings), (name, warnings)


@pytest.mark.django_db
def test_the_command_reads_a_file_with_a_byte_order_mark(partner, tmp_path):
    """A file saved with a UTF-8 BOM (as Windows tools do) is read, not refused."""
    (tmp_path / "bom.json").write_text(json.dumps(upcoming(event(1))), encoding="utf-8-sig")
    out = StringIO()
    with translation.override("en"):
        call_command("import_uitdatabank", "--organisation", partner.slug, str(tmp_path), stdout=out)
    assert f"bom.json: created – Activiteit 1 [{uuid(1)}]" in out.getvalue()


@pytest.mark.django_db
def test_the_command_speaks_one_language_per_run(partner, tmp_path):
    """--language nl: every line of the report is Dutch, the documents' messages included."""
    (tmp_path / "one.json").write_text(json.dumps([upcoming(event(1)), upcoming(event(2, typicalAgeRange="4/10"))]))
    out = StringIO()
    with translation.override("en"), pytest.raises(CommandError, match="1 document\\(en\\) geweigerd"):
        call_command(
            "import_uitdatabank", "--organisation", partner.slug, "--language", "nl", str(tmp_path), stdout=out
        )
    output = out.getvalue()
    assert f"one.json[0]: aangemaakt – Activiteit 1 [{uuid(1)}]" in output
    assert "one.json[1]: geweigerd" in output
    assert "veld typicalAgeRange" in output
    assert "opmerking: priceInfo: UiTdatabank geeft geen prijs" in output
    assert "aangemaakt 1, bijgewerkt 0, ongewijzigd 0, offline gehaald 0, overgeslagen 0, geweigerd 1" in output
