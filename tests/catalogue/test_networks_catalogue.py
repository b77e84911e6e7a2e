"""One catalogue for every network: which municipalities border, where an offer may be placed, the networks
an organisation offers it to from outside, and the open-data feeds per network and for the whole installation."""

from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from wagtail.models import Site

import pytest
from rest_framework.test import APIClient

from catalogue import feeds
from catalogue.models import Area, OfferPage, Theme, bordering_municipalities, placement_error
from catalogue.place_panel import place_context
from catalogue.selectors import recent_offers
from catalogue.services import OfferInput, areas_load, offer_update
from organisations.models import Network, NetworkKind
from organisations.services import api_key_issue
from search.documents import offer_documents
from search.engines.base import build_hit
from search.engines.database import DatabaseEngine
from search.query import OfferQuery
from search.templatetags.search_tags import search_hit
from tests.factories import OfferFactory, offer_values

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


BINNENSTAD_GENT = (51.047944, 3.728982)  # wijk 44021W01 Binnenstad (Gent)
GELUWE = (50.827128, 3.068269)  # deelgemeente 33029B Geluwe (Wervik)
NAMUR = (50.4586, 4.8623)  # Wallonia: in no municipality the files hold


def _names(codes) -> set[str]:
    return set(Area.objects.filter(code__in=codes).values_list("name", flat=True))


def _centre(code: str) -> tuple[float, float]:
    area = Area.objects.get(code=code)
    return area.centroid_latitude, area.centroid_longitude


@pytest.fixture
def areas(db):
    areas_load(wijken_of=["44021"])


def network(slug: str, codes: list[str], *, kind: str = NetworkKind.LOCAL, partners=()) -> Network:
    created = Network.objects.create(name=slug.capitalize(), slug=slug, kind=kind)
    created.municipalities.set(Area.objects.filter(code__in=codes))
    created.partners.set(partners)
    return created


# Borders, from the real polygons


def test_municipalities_border_where_their_polygons_share_a_stretch_of_boundary(areas):
    assert _names(bordering_municipalities(["43005"])) == {"Kaprijke", "Lievegem", "Maldegem", "Sint-Laureins"}
    assert "44021" not in bordering_municipalities(["11002"])  # Antwerpen and Gent lie far apart
    assert "11002" not in bordering_municipalities(["11002"])  # a municipality is not its own neighbour
    # Several together: the neighbours of any of them, themselves left out.
    assert _names(bordering_municipalities(["43005", "43014"])) == {"Kaprijke", "Lievegem", "Maldegem", "Assenede"}


def test_a_municipality_with_no_flemish_neighbour_borders_none(areas):
    """Voeren is an exclave: it touches only Wallonia and the Netherlands, which the files do not hold."""
    voeren = Area.objects.get(name="Voeren").code
    assert bordering_municipalities([voeren]) == set()


# Where an offer may lie


def test_with_networks_a_point_must_lie_in_one_of_their_municipalities(areas):
    network("gent", ["44021"])
    assert placement_error(latitude=BINNENSTAD_GENT[0], longitude=BINNENSTAD_GENT[1]) is None
    assert placement_error(latitude=GELUWE[0], longitude=GELUWE[1]) == (
        "This point lies in Wervik, which no network on this site covers: check latitude and longitude."
    )
    assert placement_error(latitude=NAMUR[0], longitude=NAMUR[1]) == (
        "This point lies outside every network's area: check latitude and longitude."
    )


def test_without_networks_a_point_must_lie_in_antwerps_neighbourhoods_as_before(areas):
    assert placement_error(latitude=BINNENSTAD_GENT[0], longitude=BINNENSTAD_GENT[1]) == (
        "This point lies outside the network's area: check latitude and longitude."
    )


def test_an_offer_outside_every_network_is_refused_on_its_latitude(areas, partner_a):
    network("gent", ["44021"], partners=[partner_a])
    with pytest.raises(ValidationError) as refused:
        OfferFactory(organisation=partner_a, latitude=GELUWE[0], longitude=GELUWE[1])
    assert refused.value.message_dict["latitude"] == [
        "This point lies in Wervik, which no network on this site covers: check latitude and longitude."
    ]


def test_an_offer_in_a_networks_municipality_outside_antwerp_is_placed_and_indexed(areas, partner_a):
    network("gent", ["44021"])
    offer = OfferFactory(organisation=partner_a, latitude=BINNENSTAD_GENT[0], longitude=BINNENSTAD_GENT[1])
    assert (offer.municipality.code, offer.wijk.code, offer.neighbourhood) == ("44021", "44021W01", None)
    (document,) = offer_documents(OfferPage.objects.filter(pk=offer.pk), site_roots=["/"])
    assert (document["district"], document["neighbourhood"], document["areas"]) == (
        "",
        "",
        ["44021", "44021Z", "44021W01"],
    )


def test_a_hit_outside_antwerp_names_its_municipality_for_its_place(areas, partner_a):
    """No district or neighbourhood there: the result line names the organiser and the municipality."""
    network("gent", ["44021"])
    offer = OfferFactory(organisation=partner_a, latitude=BINNENSTAD_GENT[0], longitude=BINNENSTAD_GENT[1])
    (document,) = offer_documents(OfferPage.objects.filter(pk=offer.pk), site_roots=["/"])
    hit = build_hit(document, OfferQuery(), score=None, today=timezone.localdate())
    assert (hit.municipality, hit.neighbourhood, hit.district) == ("Gent", "", "")
    with translation.override("nl"):
        assert f'<p class="hit-meta">{partner_a.name} · Gent</p>' in search_hit(hit)


# Offered to other networks from outside


@pytest.fixture
def meetjesland(areas, partner_a) -> Network:
    """A supralocal network partner A works in, though A's offers lie in Antwerp."""
    return network("meetjesland", ["43005", "43007", "43014"], kind=NetworkKind.SUPRALOCAL, partners=[partner_a])


@pytest.fixture
def antwerpen(areas, partner_a) -> Network:
    return network("antwerpen", ["11002"], kind=NetworkKind.CITY, partners=[partner_a])


def test_an_organisation_offers_only_to_networks_it_is_a_partner_of(meetjesland, antwerpen, partner_a, partner_b):
    offer = OfferFactory(organisation=partner_a, served_networks=[meetjesland])
    assert list(offer.served_networks.all()) == [meetjesland]
    with pytest.raises(ValidationError) as refused:
        OfferFactory(organisation=partner_b, served_networks=[meetjesland])
    assert refused.value.message_dict["served_networks"] == [
        "Your organisation is not a partner of Meetjesland: it can only offer to its own networks."
    ]


def test_the_networks_it_is_offered_to_are_indexed_and_follow_each_publish(
    meetjesland, antwerpen, partner_a, django_capture_on_commit_callbacks
):
    engine = DatabaseEngine()
    with django_capture_on_commit_callbacks(execute=True):
        offer = OfferFactory(organisation=partner_a)
    assert [hit.id for hit in engine.search(OfferQuery(networks=("meetjesland",))).hits] == []
    with django_capture_on_commit_callbacks(execute=True):
        offer_update(offer=offer, data=OfferInput(values=offer_values(), served_networks=[meetjesland]))
    (document,) = offer_documents(OfferPage.objects.filter(pk=offer.pk), site_roots=["/"])
    assert document["networks"] == ["meetjesland"]
    assert [hit.id for hit in engine.search(OfferQuery(networks=("meetjesland",))).hits] == [offer.pk]
    assert [hit.id for hit in engine.search(OfferQuery(networks=("antwerpen",))).hits] == [offer.pk]


def test_the_api_reads_and_writes_the_networks_as_slugs(meetjesland, antwerpen, partner_a, editor_a):
    offer = OfferFactory(organisation=partner_a)
    client = APIClient()
    _key, plaintext = api_key_issue(organisation=partner_a, name="Systeem A", by=editor_a)
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {plaintext}", HTTP_ACCEPT_LANGUAGE="en")
    url = f"/api/v1/offers/{offer.pk}/"
    assert client.get(url).json()["served_networks"] == []
    response = client.patch(url, {"served_networks": ["meetjesland"]}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["served_networks"] == ["meetjesland"]
    assert list(OfferPage.objects.get(pk=offer.pk).served_networks.values_list("slug", flat=True)) == ["meetjesland"]
    refused = client.patch(url, {"served_networks": ["atlantis"]}, format="json")
    assert refused.status_code == 400
    assert "served_networks" in refused.json()


# The open-data feeds


@pytest.fixture
def two_networks(settings, areas, partner_a, partner_b):
    """Gent on gent.localhost with one offer there; Antwerpen with one offer, another offered to Gent too."""
    settings.ALLOWED_HOSTS = [".localhost", "testserver"]
    gent = network("gent", ["44021"], kind=NetworkKind.CITY, partners=[partner_b])
    network("antwerpen", ["11002"], kind=NetworkKind.CITY, partners=[partner_a, partner_b])
    gent.site = Site.objects.create(
        hostname="gent.localhost", port=80, root_page=Site.objects.get(is_default_site=True).root_page
    )
    gent.save()
    swimming = [Theme.objects.get(slug="zwemmen")]
    return {
        "in_gent": OfferFactory(
            organisation=partner_b,
            title="Zwemmen in Gent",
            themes=swimming,
            latitude=BINNENSTAD_GENT[0],
            longitude=BINNENSTAD_GENT[1],
        ),
        "in_antwerp": OfferFactory(organisation=partner_a, title="Zwemmen in Antwerpen", themes=swimming),
        "for_gent": OfferFactory(
            organisation=partner_b, title="Zwemmen ook voor Gent", themes=swimming, served_networks=[gent]
        ),
    }


def test_a_networks_latest_offers_are_those_in_its_area_and_those_offered_to_it(two_networks):
    gent = Network.objects.get(slug="gent")
    titles = {offer.title for offer in recent_offers(limit=10, network=gent)}
    assert titles == {"Zwemmen in Gent", "Zwemmen ook voor Gent"}


def _titles(document: dict) -> set[str]:
    return {event["name"] for event in document["dataFeedElement"]}


def test_on_a_networks_host_the_json_ld_list_holds_its_offers_and_names_it(client: Client, two_networks):
    on_gent = client.get("/open-data/offers.jsonld", headers={"host": "gent.localhost"}).json()
    assert _titles(on_gent) == {"Zwemmen in Gent", "Zwemmen ook voor Gent"}
    assert on_gent["name"] == "Vrijetijdsnet Gent"
    everything = client.get("/open-data/offers.jsonld", {"network": "all"}, headers={"host": "gent.localhost"}).json()
    assert _titles(everything) == {"Zwemmen in Gent", "Zwemmen in Antwerpen", "Zwemmen ook voor Gent"}
    assert everything["name"] == "Vrijetijdsnet"
    antwerpen = client.get("/open-data/offers.jsonld", {"network": "antwerpen"}).json()
    assert _titles(antwerpen) == {"Zwemmen in Antwerpen", "Zwemmen ook voor Gent"}
    assert antwerpen["hydra:view"]["@id"].endswith("/open-data/offers.jsonld?network=antwerpen&page=1")


def test_the_csv_export_per_network(client: Client, two_networks):
    response = client.get("/open-data/offers.csv", headers={"host": "gent.localhost"})
    text = b"".join(response.streaming_content).decode()
    assert response["Content-Disposition"] == 'attachment; filename="aanbod-gent.csv"'
    assert "Zwemmen in Gent" in text and "Zwemmen ook voor Gent" in text and "Zwemmen in Antwerpen" not in text
    everything = b"".join(client.get("/open-data/offers.csv", {"network": "all"}).streaming_content).decode()
    assert "Zwemmen in Antwerpen" in everything


def test_the_change_feed_per_network_keeps_its_parameter_in_next(
    client: Client, two_networks, django_capture_on_commit_callbacks
):
    feeds.offers_feed_record(offer_ids=[offer.pk for offer in two_networks.values()])
    body = client.get("/open-data/rpde/offers", {"network": "gent"}).json()
    assert {item["id"] for item in body["items"]} == {two_networks["in_gent"].pk, two_networks["for_gent"].pk}
    assert "network=gent" in body["next"] and "afterTimestamp=" in body["next"]
    last = client.get(body["next"].removeprefix(feeds.settings.PUBLIC_BASE_URL)).json()
    assert last["items"] == [] and "network=gent" in last["next"]
    on_host = client.get("/open-data/rpde/offers", headers={"host": "gent.localhost"}).json()
    assert {item["id"] for item in on_host["items"]} == {two_networks["in_gent"].pk, two_networks["for_gent"].pk}
    assert len(client.get("/open-data/rpde/offers").json()["items"]) == 3


@pytest.mark.parametrize("url", ["/open-data/offers.jsonld", "/open-data/offers.csv", "/open-data/rpde/offers"])
def test_an_unknown_network_is_refused_by_name(client: Client, two_networks, url):
    response = client.get(url, {"network": "atlantis"}, headers={"accept-language": "en"})
    assert response.status_code == 400
    assert response.json() == {"network": ["Unknown network: atlantis."]}


def test_the_offer_editor_sees_why_a_point_will_be_refused(areas):
    network("gent", ["44021"])
    assert place_context(latitude=GELUWE[0], longitude=GELUWE[1])["problem"] == (
        "This point lies in Wervik, which no network on this site covers: check latitude and longitude."
    )
    assert place_context(latitude=BINNENSTAD_GENT[0], longitude=BINNENSTAD_GENT[1])["problem"] is None


def test_the_offer_form_offers_only_the_organisations_own_networks(client, meetjesland, partner_a, editor_a):
    network("gent", ["44021"])  # partner A is no partner of Gent
    client.force_login(editor_a)
    response = client.get(reverse("wagtailadmin_pages:add", args=["catalogue", "offerpage", partner_a.page.pk]))
    assert response.status_code == 200
    field = response.context["form"].fields["served_networks"]
    assert list(field.queryset) == [meetjesland]
    assert "served_networks" in response.content.decode()  # the panel is on the form
