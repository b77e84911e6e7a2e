"""One catalogue, searched per network: an offer is in every network whose area holds its point, and in
those its organisation offers it to from outside; both engines agree, and facets count within the network."""

from wagtail.models import Site

import pytest
from elasticsearch import Elasticsearch

from catalogue.models import Area
from catalogue.network_areas import with_neighbours
from catalogue.services import areas_load
from organisations.models import Network, NetworkKind, SubAreaLevel
from search.engines.database import DatabaseEngine
from search.engines.elasticsearch import ElasticsearchEngine
from search.query import OfferQuery

from .cases import make_document

pytestmark = pytest.mark.django_db
pytest_plugins = ["tests.search.conftest_es"]

API = "/api/v1/search/offers"
# Real NIS codes (catalogue/data): Eeklo, Kaprijke and Sint-Laureins make up Meetjesland here; Maldegem borders
# Eeklo and Sint-Laureins; Gent borders none of the three (Lievegem and Evergem lie between).
EEKLO, KAPRIJKE, SINT_LAUREINS, MALDEGEM, GENT, EVERGEM, ANTWERPEN, WERVIK = (
    "43005",
    "43007",
    "43014",
    "43010",
    "44021",
    "44019",
    "11002",
    "33029",
)
IN_EEKLO, IN_KAPRIJKE, IN_MALDEGEM, IN_GENT, ANTWERP_FOR_MEETJESLAND, IN_WERVIK, IN_EVERGEM = range(1, 8)
DOCUMENTS = [
    make_document(
        IN_EEKLO, areas=[EEKLO, "43005A"], municipality=EEKLO, deelgemeente="43005A", district="", neighbourhood=""
    ),
    make_document(
        IN_KAPRIJKE,
        areas=[KAPRIJKE],
        municipality=KAPRIJKE,
        deelgemeente="",
        domain="culture",
        district="",
        neighbourhood="",
    ),
    make_document(IN_MALDEGEM, areas=[MALDEGEM], municipality=MALDEGEM, deelgemeente="", district="", neighbourhood=""),
    make_document(
        IN_GENT,
        areas=[GENT, "44021W01"],
        municipality=GENT,
        deelgemeente="",
        wijk="44021W01",
        location={"lat": 51.047944, "lon": 3.728982},  # in the wijk Binnenstad
        domain="culture",
        district="",
        neighbourhood="",
    ),
    # An Antwerp organisation's regional activity, offered to Meetjesland from outside.
    make_document(ANTWERP_FOR_MEETJESLAND, networks=["meetjesland"]),
    make_document(
        IN_WERVIK, areas=[WERVIK, "33029B"], municipality=WERVIK, deelgemeente="33029B", district="", neighbourhood=""
    ),
    make_document(IN_EVERGEM, areas=[EVERGEM], municipality=EVERGEM, deelgemeente="", district="", neighbourhood=""),
]
NETWORKS = {
    "meetjesland": (NetworkKind.SUPRALOCAL, [EEKLO, KAPRIJKE, SINT_LAUREINS]),
    "maldegem": (NetworkKind.LOCAL, [MALDEGEM]),
    "gent": (NetworkKind.CITY, [GENT]),
    "antwerpen": (NetworkKind.CITY, [ANTWERPEN]),
    "wervik": (NetworkKind.LOCAL, [WERVIK]),
}


def network(slug: str, kind: str, codes: list[str], **fields) -> Network:
    created = Network.objects.create(name=slug.capitalize(), slug=slug, kind=kind, **fields)
    created.municipalities.set(Area.objects.filter(code__in=codes))
    return created


@pytest.fixture
def networks(db) -> dict[str, Network]:
    areas_load()
    return {slug: network(slug, kind, codes) for slug, (kind, codes) in NETWORKS.items()}


@pytest.fixture
def database_engine() -> DatabaseEngine:
    engine = DatabaseEngine()
    engine.index_documents(DOCUMENTS)
    return engine


@pytest.fixture(scope="module")
def elasticsearch_engine(es_module_cluster: Elasticsearch) -> ElasticsearchEngine:
    engine = ElasticsearchEngine(es_module_cluster, alias="test_networks")
    engine.rebuild(DOCUMENTS, expected=len(DOCUMENTS))
    return engine


@pytest.fixture(params=["database", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)])
def engine(request):
    return request.getfixturevalue(f"{request.param}_engine")


def _ids(result) -> set[int]:
    return {hit.id for hit in result.hits}


@pytest.mark.parametrize(
    ("slugs", "expected"),
    [
        # Placed in one of its municipalities, or offered to it from outside.
        (("meetjesland",), {IN_EEKLO, IN_KAPRIJKE, ANTWERP_FOR_MEETJESLAND}),
        (("gent",), {IN_GENT}),
        # The Antwerp offer lies in Antwerp as well as being offered to Meetjesland.
        (("antwerpen",), {ANTWERP_FOR_MEETJESLAND}),
        (("gent", "wervik"), {IN_GENT, IN_WERVIK}),
        ((), set(range(1, 8))),
    ],
)
def test_the_network_filter_gives_the_same_set_on_both_engines(engine, networks, slugs, expected):
    assert _ids(engine.search(OfferQuery(networks=slugs, page_size=50))) == expected


def test_facets_count_within_the_network(engine, networks):
    result = engine.search(OfferQuery(networks=("meetjesland",)))
    assert {value.value: value.count for value in result.facets["domains"]} == {"sport": 2, "culture": 1}
    assert {value.value: value.count for value in result.facets["areas"]} == {
        EEKLO: 1,
        "43005A": 1,
        KAPRIJKE: 1,
        ANTWERPEN: 1,
        "11002Z": 1,
    }


def test_the_network_and_the_area_filter_combine(engine, networks):
    """Within Meetjesland, only Eeklo: the Antwerp offer served from outside lies elsewhere."""
    assert _ids(engine.search(OfferQuery(networks=("meetjesland",), areas=(EEKLO,)))) == {IN_EEKLO}


def test_neighbouring_networks_are_those_with_a_municipality_across_the_border(networks):
    assert with_neighbours(["meetjesland"]) == ("maldegem", "meetjesland")
    assert with_neighbours(["gent"]) == ("gent",)  # Lievegem and Evergem, between them, are in no network
    assert with_neighbours(["antwerpen", "wervik"]) == ("antwerpen", "wervik")


def test_a_network_added_next_door_becomes_a_neighbour(networks):
    network("evergem", NetworkKind.LOCAL, [EVERGEM])
    assert with_neighbours(["gent"]) == ("evergem", "gent")
    assert with_neighbours(["meetjesland"]) == ("evergem", "maldegem", "meetjesland")  # Evergem borders Kaprijke


# The parameters, on the API


def _api_ids(client, params: dict, **headers) -> set[int]:
    response = client.get(API, params, headers={"accept-language": "en", **headers})
    assert response.status_code == 200, response.content
    return {hit["id"] for hit in response.json()["hits"]}


@pytest.fixture
def indexed(networks):
    DatabaseEngine().index_documents(DOCUMENTS)


def test_the_api_filters_by_network_and_its_neighbours(client, indexed):
    assert _api_ids(client, {"network": "meetjesland"}) == {IN_EEKLO, IN_KAPRIJKE, ANTWERP_FOR_MEETJESLAND}
    assert _api_ids(client, {"network": "meetjesland", "neighbours": "true"}) == {
        IN_EEKLO,
        IN_KAPRIJKE,
        IN_MALDEGEM,
        ANTWERP_FOR_MEETJESLAND,
    }
    assert _api_ids(client, {"network": ["gent", "wervik"]}) == {IN_GENT, IN_WERVIK}
    assert _api_ids(client, {"network": "all"}) == set(range(1, 8))


def test_an_unknown_network_is_refused_by_name_in_the_request_language(client, indexed):
    english = client.get(API, {"network": "atlantis"}, headers={"accept-language": "en"})
    dutch = client.get(API, {"network": "atlantis"}, headers={"accept-language": "nl"})
    assert english.status_code == dutch.status_code == 400
    assert english.json() == {"errors": {"network": ["Unknown network: atlantis."]}}
    assert dutch.json() == {"errors": {"network": ["Onbekend netwerk: atlantis."]}}


@pytest.fixture
def gent_host(settings, networks) -> str:
    """Gent's own site on gent.localhost, beside the default site."""
    settings.ALLOWED_HOSTS = [".localhost", "testserver"]
    default = Site.objects.get(is_default_site=True)
    networks["gent"].site = Site.objects.create(hostname="gent.localhost", port=80, root_page=default.root_page)
    networks["gent"].save()
    return "gent.localhost"


def test_on_a_networks_host_the_search_runs_within_that_network(client, indexed, gent_host):
    assert _api_ids(client, {}, host=gent_host) == {IN_GENT}
    assert _api_ids(client, {"network": "all"}, host=gent_host) == set(range(1, 8))
    assert _api_ids(client, {"network": "wervik"}, host=gent_host) == {IN_WERVIK}
    assert _api_ids(client, {}) == set(range(1, 8))  # a host no network owns: every network


def test_the_search_page_says_which_network_it_searches_and_offers_the_neighbours_and_all(client, indexed, gent_host):
    page = client.get("/aanbod/", headers={"accept-language": "en", "host": gent_host})
    content = page.content.decode()
    assert page.status_code == 200
    assert "Searching the offers of: Gent." in content
    assert 'name="neighbours"' in content and 'name="network" value="all"' in content
    assert [hit.id for hit in page.context["result"].hits] == [IN_GENT]
    everything = client.get("/aanbod/", {"network": "all"}, headers={"accept-language": "en", "host": gent_host})
    assert "Searching the offers of every network." in everything.content.decode()
    assert everything.context["result"].total == 7


def test_near_offers_the_places_of_the_sites_network_and_measures_from_any_of_them(client, indexed, gent_host):
    areas_load(wijken_of=[GENT])
    Network.objects.filter(slug="gent").update(sub_area_level=SubAreaLevel.WIJK)
    page = client.get("/aanbod/", headers={"accept-language": "en", "host": gent_host}).content.decode()
    assert '<label for="id_near_neighbourhood">Near wijk</label>' in page
    assert '<option value="44021W01">Binnenstad (Gent)</option>' in page
    assert "ANT10" not in page  # Antwerp's neighbourhoods are Antwerp's
    near = {"near_neighbourhood": "44021W01", "within_km": "3", "network": "all"}
    assert _api_ids(client, near, host=gent_host) == {IN_GENT}


def test_the_search_page_gives_the_networks_own_tariff_rules(client, indexed, gent_host):
    Network.objects.filter(slug="gent").update(reduced_tariff_rules="Met de UiTPAS Gent betaal je 80% minder.")
    page = client.get("/aanbod/", headers={"accept-language": "nl", "host": gent_host}).content.decode()
    assert "UiTPAS en verminderde tarieven in Gent: Met de UiTPAS Gent betaal je 80% minder." in page
    assert 'aria-describedby="network-tariff-rules"' in page
    assert "network-tariff-rules" not in client.get("/aanbod/").content.decode()  # Antwerp has no rules of its own


def test_the_box_that_adds_the_neighbouring_networks_names_them(client, settings, indexed, networks):
    settings.ALLOWED_HOSTS = [".localhost", "testserver"]
    default = Site.objects.get(is_default_site=True)
    networks["meetjesland"].site = Site.objects.create(
        hostname="meetjesland.localhost", port=80, root_page=default.root_page
    )
    networks["meetjesland"].save()
    page = client.get("/aanbod/", headers={"accept-language": "en", "host": "meetjesland.localhost"})
    assert '<label for="id_neighbours">Also the neighbouring networks (Maldegem)</label>' in page.content.decode()


def test_near_an_unknown_place_is_refused_by_name(client, indexed):
    response = client.get(API, {"near_neighbourhood": "99999X"}, headers={"accept-language": "nl"})
    assert response.status_code == 400
    assert response.json() == {"errors": {"near_neighbourhood": ["Geen wijk of gebied heeft de code 99999X."]}}


def test_without_networks_the_search_form_says_nothing_of_them(client):
    content = client.get("/aanbod/", headers={"accept-language": "en"}).content.decode()
    assert "network-scope" not in content
