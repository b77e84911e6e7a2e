"""An offer as schema.org JSON-LD: on its page and in the feeds, valid against the schema.org vocabulary."""

import io
import json
import re
from datetime import date, time
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from wagtail.images import get_image_model

import PIL.Image
import pytest

from catalogue.jsonld import offer_jsonld
from catalogue.models import (
    Availability,
    ExtraCostKind,
    Language,
    OfferExtraCost,
    OfferPage,
    OfferPhoto,
    OfferTimeSlot,
    ReducedTariff,
    Theme,
)
from catalogue.public_urls import public_url
from catalogue.services import OfferInput, offer_create
from tests.catalogue.schemaorg_check import profile_errors, structure_errors, vocabulary_errors
from tests.factories import OfferFactory, offer_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def rich_offer(partner_a):
    """A dated offer with every kind of fact the JSON-LD carries."""
    data = OfferInput(
        values=offer_values(
            title="Zwemmen voor beginners",
            list_price=Decimal("40.00"),
            price_unit="season",
            reduced_tariff=ReducedTariff.UITPAS,
            reduced_price=Decimal("8.00"),
            reduced_price_who="UiTPAS met kansenstatuut",
            age_min=8,
            age_max=14,
            start_date=date(2026, 9, 1),
            end_date=date(2027, 6, 30),
            step_free=True,
            hearing_loop=True,
            low_stimulus=True,
            welcome_newcomers=True,
            group_size_max=12,
            public_transport_stop="Tram 4, halte Kiel",
            welcome_contact_name="Samira Privé",
            referral_contact_email="els.prive@example.test",
        ),
        themes=[Theme.objects.get(name="Zwemmen")],
        languages=[Language.objects.get(code="fr"), Language.objects.get(code="ar")],
        time_slots=[
            OfferTimeSlot(weekday=2, start_time=time(14), end_time=time(15, 30)),
            OfferTimeSlot(weekday=5, start_time=time(10), end_time=time(11)),
        ],
        extra_costs=[OfferExtraCost(kind=ExtraCostKind.MATERIAL, description="badmuts", amount=Decimal("3.50"))],
    )
    return offer_create(parent=partner_a.page, data=data)


def test_a_rich_offer_follows_the_schema_org_vocabulary(rich_offer):
    """A dated offer with reduced tariff, accessibility, languages and ages passes the structure check."""
    assert structure_errors(offer_jsonld(rich_offer)) == []


def test_a_permanent_free_offer_is_a_service_with_opening_hours(partner_a):
    """A permanent offer is a Service: its provider, its place as channel, its weekly hours; and it passes."""
    data = OfferInput(
        values=offer_values(list_price=Decimal("0"), age_min=6),
        languages=[Language.objects.get(code="fr")],
        time_slots=[OfferTimeSlot(weekday=2, start_time=time(14), end_time=time(16))],
    )
    offer = offer_create(parent=partner_a.page, data=data)
    data = offer_jsonld(offer)
    assert structure_errors(data) == []
    assert data["@type"] == "Service"
    assert not {"startDate", "eventSchedule", "eventStatus", "isAccessibleForFree", "organizer"} & set(data)
    assert data["provider"]["name"] == partner_a.name
    channel = data["availableChannel"]
    assert channel["serviceLocation"]["address"]["postalCode"] == "2020"
    assert channel["availableLanguage"] == ["nl", "fr"]
    assert data["areaServed"]["identifier"] == "ANT10"
    assert data["hoursAvailable"] == [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": "https://schema.org/Wednesday",
            "opens": "14:00",
            "closes": "16:00",
        }
    ]
    assert [item["price"] for item in data["offers"]] == [0.0]  # free, said by the price
    assert data["audience"]["suggestedMinAge"] == 6
    assert [term["termCode"] for term in data["category"]] == ["sport"]


def test_a_postponed_permanent_offer_claims_no_availability(partner_a):
    """A Service has no event status: a postponed one says nothing about places on its prices."""
    offer = OfferFactory(organisation=partner_a, availability=Availability.POSTPONED)
    data = offer_jsonld(offer)
    assert all("availability" not in item for item in data["offers"])
    assert structure_errors(data) == []


def test_a_dated_offer_stays_an_event(rich_offer):
    """Only offers without dates become a Service."""
    assert offer_jsonld(rich_offer)["@type"] == "Event"


def test_the_offers_carry_the_regular_and_the_reduced_price(rich_offer):
    """The reduced tariff is a second Offer that says who qualifies."""
    regular, reduced = offer_jsonld(rich_offer)["offers"]
    assert (regular["price"], regular["priceCurrency"]) == (40.0, "EUR")
    assert regular["priceSpecification"]["unitText"] == "season"
    assert (reduced["price"], reduced["priceCurrency"], reduced["category"]) == (8.0, "EUR", "uitpas")
    assert reduced["description"] == "UiTPAS met kansenstatuut"
    (extra,) = regular["addOn"]
    assert (extra["price"], extra["priceCurrency"]) == (3.5, "EUR")
    assert extra["name"].endswith(": badmuts")  # the kind's label is in the site's language


def test_the_place_carries_address_point_neighbourhood_and_accessibility(rich_offer):
    """Location: address, coordinates, the neighbourhood within its district, the accessibility facts."""
    place = offer_jsonld(rich_offer)["location"]
    assert place["address"]["postalCode"] == "2020"
    assert place["geo"]["latitude"] == rich_offer.latitude
    assert place["containedInPlace"]["identifier"] == "ANT10"
    assert place["containedInPlace"]["containedInPlace"]["@type"] == "AdministrativeArea"
    assert place["amenityFeature"] == [
        {
            "@type": "LocationFeatureSpecification",
            "name": "wheelchairAccessible",
            "value": True,
            "propertyID": "3.27.0.0.0",
        },
        {"@type": "LocationFeatureSpecification", "name": "inductionLoop", "value": True, "propertyID": "3.17.1.0.0"},
        {"@type": "LocationFeatureSpecification", "name": "low_stimulus", "value": True},
    ]
    assert place["description"] == "Tram 4, halte Kiel"


def test_audience_languages_dates_and_freshness(rich_offer):
    """Ages, groups welcome, languages, dates and the day the organisation last confirmed the offer."""
    data = offer_jsonld(rich_offer)
    assert data["audience"]["suggestedMinAge"] == 8
    assert data["audience"]["suggestedMaxAge"] == 14
    assert data["typicalAgeRange"] == "8-14"
    assert data["inLanguage"] == ["nl", "ar", "fr"]
    # The first session (Wednesday 2 September) and the end of the last (Wednesday 30 June), Brussels time.
    assert (data["startDate"], data["endDate"]) == ("2026-09-02T14:00:00+02:00", "2027-06-30T15:30:00+02:00")
    assert data["maximumAttendeeCapacity"] == 12
    assert data["mainEntityOfPage"]["lastReviewed"] == rich_offer.last_confirmed.isoformat()
    assert data["mainEntityOfPage"]["dateModified"] == rich_offer.last_published_at.isoformat()
    assert data["organizer"]["name"] == rich_offer.organisation.name
    assert data["url"] == public_url(rich_offer)


def _photo(offer) -> None:
    buffer = io.BytesIO()
    PIL.Image.new("RGB", (4, 3), "teal").save(buffer, format="PNG")
    image = get_image_model().objects.create(
        title="Het zwembad", file=SimpleUploadedFile("zwembad.png", buffer.getvalue(), content_type="image/png")
    )
    OfferPhoto.objects.create(offer=offer, image=image, alt_text="Het ondiepe bad")


def test_a_dated_offer_has_what_google_asks_of_an_event(rich_offer, settings):
    """Google's Event: start with time and offset, a named place with its address and region, status, mode, photo."""
    _photo(rich_offer)
    data = offer_jsonld(OfferPage.objects.get(pk=rich_offer.pk))
    assert data["startDate"] == "2026-09-02T14:00:00+02:00"
    assert data["location"]["name"] == "Sint-Bernardsesteenweg 1, 2020 Antwerpen"
    assert data["location"]["address"]["addressRegion"] == "Antwerpen"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    (image,) = data["image"]
    assert image.startswith(settings.PUBLIC_BASE_URL.rstrip("/") + "/") and image.endswith(".png")
    assert structure_errors(data) == []


def test_availability_is_said_on_every_price_and_a_postponed_offer_in_its_status(rich_offer):
    """Places left is InStock, fully booked SoldOut, unstated nothing; a postponed offer is EventPostponed."""
    offer = OfferPage.objects.get(pk=rich_offer.pk)
    assert all("availability" not in item for item in offer_jsonld(offer)["offers"])
    offer.availability = Availability.AVAILABLE
    assert {item["availability"] for item in offer_jsonld(offer)["offers"]} == {"https://schema.org/InStock"}
    offer.availability = Availability.FULLY_BOOKED
    assert {item["availability"] for item in offer_jsonld(offer)["offers"]} == {"https://schema.org/SoldOut"}
    offer.availability = Availability.POSTPONED
    data = offer_jsonld(offer)
    assert data["eventStatus"] == "https://schema.org/EventPostponed"
    assert all("availability" not in item for item in data["offers"])
    assert structure_errors(data) == []


def test_people_s_contact_details_stay_out_of_open_data(rich_offer):
    """Privacy: welcome and referral contacts' names and addresses are not in the JSON-LD."""
    text = json.dumps(offer_jsonld(rich_offer))
    assert "Samira" not in text
    assert "els.prive@example.test" not in text


def test_the_json_ld_does_not_depend_on_the_visitor_s_language(rich_offer):
    """The change feed stores what a publish produced, so an English request yields the same JSON-LD."""
    with translation.override("en"):
        english = offer_jsonld(rich_offer)
    with translation.override("nl-be"):
        dutch = offer_jsonld(rich_offer)
    assert english == dutch


def test_the_offer_page_embeds_its_json_ld(client, rich_offer):
    """The page's head holds one application/ld+json script with the offer's Event."""
    content = client.get(rich_offer.url).content.decode()
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)
    assert len(scripts) == 1
    assert content.index(scripts[0]) < content.index("</head>")
    embedded = json.loads(scripts[0])
    assert embedded == json.loads(json.dumps(offer_jsonld(rich_offer)))
    assert structure_errors(embedded) == []


def test_markup_in_a_title_cannot_break_out_of_the_script(client, partner_a):
    """Error case: a title with '</script>' is escaped inside the JSON-LD."""
    offer = OfferFactory(organisation=partner_a, title="Kook </script><script>alert(1)</script> mee")
    content = client.get(offer.url).content.decode()
    head = content[: content.index("</head>")]
    assert "<script>alert(1)" not in head
    assert "\\u003C/script\\u003E" in head


@pytest.mark.parametrize(
    ("document", "complaint"),
    [
        (
            {"@context": "https://schema.org", "@type": "Event", "accessibilityFeature": "signLanguage"},
            "'accessibilityFeature' is not a property of Event",
        ),
        ({"@context": "https://schema.org", "@type": "Event", "dateModified": "2026-01-01"}, "not a property of Event"),
        ({"@context": "https://schema.org", "@type": "Evnt"}, "'Evnt' is not a schema.org type"),
        ({"@context": "https://schema.org", "@type": "Event", "colour": "red"}, "not a schema.org property"),
        (
            {"@context": "https://schema.org", "@type": "Event", "eventStatus": "https://schema.org/Wednesday"},
            "is not a member of ['EventStatusType']",
        ),
        ({"@context": "https://schema.org", "@type": "Event", "startDate": "1 september"}, "does not fit"),
        ({"@context": "https://schema.org", "@type": "Event", "isAccessibleForFree": "yes"}, "does not fit"),
        (
            {"@context": "https://schema.org", "@type": "Event", "location": {"@type": "Offer"}},
            "a Offer where",
        ),
        ({"@context": "https://schema.org", "@type": "Event", "hydra:next": "x"}, "prefix not declared"),
        ({"@context": "https://example.org", "@type": "Event"}, "@context must start with https://schema.org"),
    ],
)
def test_the_structure_check_refuses_what_schema_org_does_not_define(document, complaint):
    """Error case: the check is not vacuous; each mistake is named."""
    errors = vocabulary_errors(document)
    assert any(complaint in error for error in errors), errors


def test_the_profile_asks_what_aggregators_need():
    """Error case: an Event without location, offers or schedule is named by the profile check."""
    errors = profile_errors({"@context": "https://schema.org", "@type": "Event", "name": "x"})
    assert "$: a Event needs 'location'" in errors
    assert "$: an Event needs 'eventSchedule' or 'startDate'" in errors
