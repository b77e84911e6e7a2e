"""The demo's four networks: each answers on its own host with its own pages, catalogue and coordinators.

``load_demo`` takes a minute, so it runs once for the module, inside a transaction rolled back at the end;
each test runs in a savepoint inside it.
"""

import re
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client

import pytest

from catalogue.models import OfferPage
from organisations.models import Network, Organisation
from portal.demo_networks import CAW, GENT, MEETJESLAND, NETWORKS, WERVIK
from portal.models import VisionNotePage

HOSTS = {
    "antwerpen": "antwerpen.localhost",
    "gent": GENT.hostname,
    "wervik": WERVIK.hostname,
    "meetjesland": MEETJESLAND.hostname,
}
HIT_LINK = re.compile(r'class="hit-title"><a href="([^"]+)"')


# One worker: the module loads the demo once for all its tests.
pytestmark = pytest.mark.xdist_group("demo-networks")


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_output, db) -> str:
    return demo_output


def _client(host: str, port: int = 8000) -> Client:
    return Client(HTTP_HOST=f"{host}:{port}")


def _path(url: str) -> str:
    """An offer's address without its host: an offer listed on another network's site keeps its own site's."""
    return re.sub(r"^http://[^/]+", "", url)


def _offer_paths(client: Client) -> list[str]:
    """The addresses of every offer the host's catalogue lists, page after page."""
    paths, page = [], 1
    while True:
        response = client.get("/aanbod/", {"page": page})
        assert response.status_code == 200
        found = HIT_LINK.findall(response.content.decode())
        if not found:
            return paths
        paths += found
        page += 1


def test_the_demo_makes_four_networks_each_on_its_own_site(demo):
    networks = {network.slug: network for network in Network.objects.select_related("site")}
    assert set(networks) == set(HOSTS)
    assert {slug: network.site.hostname for slug, network in networks.items()} == HOSTS
    assert networks["antwerpen"].site.is_default_site
    assert sorted(networks["meetjesland"].municipalities.values_list("code", flat=True)) == [
        "43005",
        "43007",
        "43010",
        "43014",
    ]
    for spec in NETWORKS:
        assert spec.url in demo
    assert "coordinator-gent" in demo and "network: gent" in demo


@pytest.mark.parametrize(
    ("host", "title", "in_note"),
    [
        ("127.0.0.1", "Vrije tijd voor iedereen in Antwerpen", "iedereen in Antwerpen"),
        ("localhost", "Vrije tijd voor iedereen in Antwerpen", "iedereen in Antwerpen"),
        ("antwerpen.localhost", "Vrije tijd voor iedereen in Antwerpen", "iedereen in Antwerpen"),
        ("gent.localhost", "Vrije tijd voor iedereen in Gent", "het netwerk in Gent"),
        ("wervik.localhost", "Vrije tijd voor iedereen in Wervik en Geluwe", "het netwerk in Wervik en Geluwe"),
        ("meetjesland.localhost", "Vrije tijd voor iedereen in het Meetjesland", "in Eeklo, Kaprijke, Maldegem"),
    ],
)
def test_each_host_answers_with_its_own_home_and_vision_note(demo, host, title, in_note):
    client = _client(host)
    home = client.get("/")
    assert home.status_code == 200
    assert f"<h1>{title}" in home.content.decode()
    note = client.get("/visienota/")
    assert note.status_code == 200
    assert note.context["page"].get_parent().pk == home.context["page"].pk
    assert in_note in note.content.decode()


@pytest.mark.parametrize("slug", ["antwerpen", "gent", "wervik", "meetjesland"])
def test_each_catalogue_lists_exactly_the_offers_in_its_area_and_those_offered_to_it(demo, slug):
    network = Network.objects.get(slug=slug)
    in_area = OfferPage.objects.live().filter(municipality__networks=network)
    if slug != "antwerpen":
        assert 8 <= in_area.count() <= 15
        level = "wijk" if slug == "gent" else "deelgemeente"
        assert not in_area.filter(**{f"{level}__isnull": True}).exists(), "every offer lies in a sub-area"
    offered = OfferPage.objects.live().filter(served_networks=network).exclude(pk__in=in_area.values("pk"))
    assert offered.count() == (1 if slug == "gent" else 0), "only the CAW's regional offer comes from outside"
    listed = _offer_paths(_client(HOSTS[slug]))
    assert len(listed) == in_area.count() + offered.count()
    assert {_path(url) for url in listed} == {_path(offer.get_url(None)) for offer in [*in_area, *offered]}


def test_the_shared_partner_is_in_both_directories_and_its_regional_offer_in_both_catalogues(demo):
    caw = Organisation.objects.get(name=CAW.name)
    assert set(caw.networks.values_list("slug", flat=True)) == {"gent", "meetjesland"}
    offers = OfferPage.objects.live().filter(organisation=caw).select_related("municipality")
    listed = {spec.slug: {_path(url) for url in _offer_paths(_client(spec.hostname))} for spec in (GENT, MEETJESLAND)}
    for spec in (GENT, MEETJESLAND):
        (offer,) = [offer for offer in offers if offer.municipality.code in spec.municipalities]
        assert CAW.name in _client(spec.hostname).get("/partners/").content.decode()
        assert _path(offer.get_url(None)) in listed[spec.slug]
    # The one in Eeklo is offered to Gent too: the same offer in both networks' catalogues.
    (regional,) = offers.filter(served_networks__slug="gent")
    assert regional.municipality.code in MEETJESLAND.municipalities
    assert all(_path(regional.get_url(None)) in paths for paths in listed.values())
    # The Meetjesland offer's page lives in Gent's directory: Meetjesland's catalogue links to it there.
    link = next(url for url in _offer_paths(_client(MEETJESLAND.hostname)) if "/caw-" in url)
    assert link.startswith(f"http://{GENT.hostname}:8000/partners/")
    assert _client(GENT.hostname).get(_path(link)).status_code == 200
    assert CAW.name not in _client("antwerpen.localhost").get("/partners/").content.decode()


def test_a_coordinator_edits_their_own_networks_vision_note_and_not_another(demo):
    coordinator = get_user_model().objects.get(username="coordinator-gent")
    gent_note = VisionNotePage.objects.child_of(Network.objects.get(slug="gent").site.root_page).get()
    antwerp_note = VisionNotePage.objects.child_of(Network.objects.get(slug="antwerpen").site.root_page).get()
    client = _client(GENT.hostname)
    client.force_login(coordinator)
    assert client.get(f"/admin/pages/{gent_note.pk}/edit/").status_code == 200
    refused = client.get(f"/admin/pages/{antwerp_note.pk}/edit/")
    assert refused.status_code in (302, 403)
    # And Antwerp's coordinator the other way round.
    client.force_login(get_user_model().objects.get(username="coordinator"))
    assert client.get(f"/admin/pages/{antwerp_note.pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/{gent_note.pk}/edit/").status_code in (302, 403)


def test_loading_the_demo_again_changes_nothing(demo):
    def state() -> dict:
        from django.apps import apps

        return {
            model._meta.label: model.objects.count()
            for model in apps.get_models()
            if not model._meta.label.startswith(("sessions.", "search."))
        }

    before = state()
    revisions = OfferPage.objects.values_list("pk", "latest_revision_id").order_by("pk")
    revisions_before = list(revisions)
    again = StringIO()
    call_command("load_demo", stdout=again)
    assert state() == before
    assert list(revisions) == revisions_before
    assert "Offers: " in again.getvalue() and "(created now: 0)" in again.getvalue()
