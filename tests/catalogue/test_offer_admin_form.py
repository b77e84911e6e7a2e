"""The offer's admin form: the point is found from the address, shown with its neighbourhood, and can be moved."""

from django.urls import reverse

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

import pytest

from catalogue.geocoding import lambert72_to_wgs84
from catalogue.models import OfferPage
from tests.address_register import ADDRESSES
from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db
KIEL = next(address for address in ADDRESSES if address.neighbourhood == "ANT10")
TENTOONSTELLINGSWIJK = next(address for address in ADDRESSES if address.neighbourhood == "ANT21")


def _form(**overrides) -> dict:
    """What a partner fills in on the offer form, with the visible fields only: no point, no slug."""
    values = {
        "title": "Zwemmen in de Kiel",
        "slug": "",
        "plain_summary": "Rustig leren zwemmen in een kleine groep.",
        "description": rich_text(""),
        "domain": "sport",
        "list_price": "5",
        "price_unit": "session",
        "street_address": f"{KIEL.street} {KIEL.number}",
        "postal_code": KIEL.postal_code,
        "city": "Antwerpen",
        "latitude": "",
        "longitude": "",
        "registration": "required",
        "availability": "available",
        "commitment": "drop_in",
        "dutch_level": "0",
        "referral_contact_name": "Els",
        "referral_contact_email": "els@example.test",
        "last_confirmed": "2026-11-01",
        "time_slots": inline_formset([{"weekday": "2", "start_time": "14:00", "end_time": "16:00"}]),
        "extra_costs": inline_formset([]),
        "sessions": inline_formset([]),
        "closed_days": inline_formset([]),
        "photos": inline_formset([]),
        "comments": inline_formset([]),
    }
    values.update(overrides)
    return nested_form_data(values)


def _add_url(organisation) -> str:
    return reverse("wagtailadmin_pages:add", args=["catalogue", "offerpage", organisation.page.pk])


def test_an_offer_is_published_from_its_address_alone(client, editor_a, partner_a, address_register):
    """Case: no coordinates and no slug typed: the register places it in Kiel and the slug follows the title."""
    client.force_login(editor_a)
    response = client.post(_add_url(partner_a), _form(**{"action-publish": "1"}))
    assert response.status_code == 302, response.content.decode()[:3000]
    offer = OfferPage.objects.get(title="Zwemmen in de Kiel")
    assert offer.live and offer.slug == "zwemmen-in-de-kiel"
    assert (offer.latitude, offer.longitude) == pytest.approx(lambert72_to_wgs84(KIEL.x, KIEL.y))
    assert offer.neighbourhood.code == "ANT10"
    assert address_register.requests[-1]["straatnaam"] == KIEL.street


def test_an_unknown_address_is_refused_naming_the_fields_and_nothing_is_saved(
    client, editor_a, partner_a, address_register
):
    """Error case: the register does not know the street; the form says which fields to check, no page is made."""
    client.force_login(editor_a)
    response = client.post(
        _add_url(partner_a),
        _form(street_address="Bestaatnietstraat 3", **{"action-publish": "1"}),
        headers={"accept-language": "en"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "does not know “Bestaatnietstraat 3, 2020 Antwerpen”" in body and "street and number" in body
    assert not OfferPage.objects.filter(title="Zwemmen in de Kiel").exists()


def test_a_register_that_is_down_never_gives_a_500_and_a_typed_point_still_saves(
    client, editor_a, partner_a, address_register
):
    """Error case: with the register down the form says so; the editor places the point by hand and publishes."""
    address_register.status_override = 503
    client.force_login(editor_a)
    refused = client.post(_add_url(partner_a), _form(**{"action-publish": "1"}), headers={"accept-language": "en"})
    assert refused.status_code == 200 and "did not answer" in refused.content.decode()
    latitude, longitude = lambert72_to_wgs84(KIEL.x, KIEL.y)
    typed = client.post(
        _add_url(partner_a), _form(latitude=str(latitude), longitude=str(longitude), **{"action-publish": "1"})
    )
    assert typed.status_code == 302
    assert OfferPage.objects.get(title="Zwemmen in de Kiel").neighbourhood.code == "ANT10"


def test_find_address_without_javascript_saves_a_draft_that_shows_the_place(
    client, editor_a, partner_a, address_register
):
    """Case: "Find address" (no JavaScript) saves a draft; its edit page shows point, neighbourhood and district."""
    client.force_login(editor_a)
    response = client.post(_add_url(partner_a), _form(geocode="1"))
    assert response.status_code == 302
    offer = OfferPage.objects.get(title="Zwemmen in de Kiel")
    assert not offer.live
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[offer.pk]), headers={"accept-language": "nl"})
    body = edit.content.decode()
    assert "<dt>Wijk</dt><dd>Kiel</dd>" in body and "<dt>District</dt><dd>Antwerpen</dd>" in body
    assert 'name="geocode"' in body and "vendor/leaflet/leaflet.js" in body


def test_a_changed_address_moves_the_point_and_a_moved_point_is_kept(client, editor_a, partner_a, address_register):
    """Case: a new address re-places the offer (Kiel to Tentoonstellingswijk); a point moved by hand stays."""
    offer = OfferFactory(organisation=partner_a)
    client.force_login(editor_a)
    edit_url = reverse("wagtailadmin_pages:edit", args=[offer.pk])
    old = {"title": offer.title, "slug": offer.slug, "latitude": str(offer.latitude), "longitude": str(offer.longitude)}
    new_address = {
        "street_address": f"{TENTOONSTELLINGSWIJK.street} {TENTOONSTELLINGSWIJK.number}",
        "postal_code": TENTOONSTELLINGSWIJK.postal_code,
    }
    assert client.post(edit_url, _form(**old, **new_address, **{"action-publish": "1"})).status_code == 302
    offer.refresh_from_db()
    assert offer.neighbourhood.code == "ANT21"

    moved = {**old, **new_address, "latitude": "51.1935", "longitude": "4.3875"}  # by hand, back in Kiel
    moved_address = {**moved, "street_address": f"{KIEL.street} {KIEL.number}", "postal_code": KIEL.postal_code}
    requests_before = len(address_register.requests)
    assert client.post(edit_url, _form(**moved_address, **{"action-publish": "1"})).status_code == 302
    offer.refresh_from_db()
    assert (offer.latitude, offer.longitude) == (51.1935, 4.3875) and offer.neighbourhood.code == "ANT10"
    assert len(address_register.requests) == requests_before  # a point moved by hand is not looked up again


def test_half_a_point_is_refused(client, editor_a, partner_a, address_register):
    """Error case: a latitude without a longitude is refused on the longitude field."""
    client.force_login(editor_a)
    response = client.post(
        _add_url(partner_a), _form(latitude="51.19", **{"action-publish": "1"}), headers={"accept-language": "en"}
    )
    assert response.status_code == 200 and "Give both latitude and longitude, or neither" in response.content.decode()


def test_the_map_scripts_views_find_the_address_and_the_place(client, editor_a, address_register):
    """Case: the JSON views behind the map: an address gives its point and place; an unknown one a 400 message."""
    client.force_login(editor_a)
    found = client.get(
        reverse("catalogue_geocode_address"),
        {"street_address": "Koningin Astridplein 27", "postal_code": "2018", "city": "Antwerpen"},
        headers={"accept-language": "nl"},
    )
    assert found.status_code == 200
    body = found.json()
    assert (body["latitude"], body["longitude"]) == pytest.approx(lambert72_to_wgs84(153664.18, 211917.99))
    assert "<dd>Centraal station</dd>" in body["html"] and "Koningin Astridplein 27, 2018 Antwerpen" in body["html"]
    unknown = client.get(
        reverse("catalogue_geocode_address"),
        {"street_address": "Turnhoutsebaan 15", "postal_code": "2000", "city": "Antwerpen"},
        headers={"accept-language": "en"},
    )
    assert unknown.status_code == 400 and unknown.json()["fields"] == ["postal_code"]
    place = client.get(reverse("catalogue_derived_place"), {"latitude": "51.1935", "longitude": "4.3875"})
    assert "<dd>Kiel</dd>" in place.json()["html"]


def test_the_map_views_are_for_admin_users_only(client, address_register):
    """Error case: without signing in, the geocoding view sends to the login page and asks nothing of the register."""
    response = client.get(reverse("catalogue_geocode_address"), {"street_address": "Koningin Astridplein 27"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert address_register.requests == []
