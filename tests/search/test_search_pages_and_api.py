"""The search page and API: one parser, bad parameters refused by name, the same answer for both."""

import re
from decimal import Decimal

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from catalogue.models import Neighbourhood, ReducedTariff
from search import local_cache
from search.engines.database import DatabaseEngine
from search.models import OfferDocument
from tests.factories import OfferFactory

from .cases import DOCUMENTS, make_document

pytestmark = pytest.mark.django_db
API = "/api/v1/search/offers"


@pytest.fixture
def indexed():
    DatabaseEngine().index_documents(DOCUMENTS)


def test_api_answers_with_hits_facets_and_engine(client, indexed):
    response = client.get(API, {"q": "voetbal", "uitpas": "true", "sort": "cost"})
    assert response.status_code == 200
    body = response.json()
    assert body["engine"] == "database" and body["degraded"] is False
    assert [hit["id"] for hit in body["hits"]] == [4, 1]
    assert body["hits"][0]["cost_for_client"] == "5.00"
    assert set(body["facets"]) >= {"domains", "accessibility", "facts", "max_cost", "neighbourhoods"}


@pytest.mark.parametrize(
    ("params", "bad"),
    [
        ({"bogus": "1"}, "bogus"),
        ({"max_cost": "-1"}, "max_cost"),
        ({"age": "old"}, "age"),
        ({"accessibility": "flying"}, "accessibility"),
        ({"districts": "XYZ"}, "districts"),
        ({"near": "north"}, "near"),
        ({"within_km": "2"}, "within_km"),
        ({"sort": "distance"}, "sort"),
        ({"page": "0"}, "page"),
        ({"near": "51.2,4.4", "near_neighbourhood": "ANT10"}, "near_neighbourhood"),
    ],
)
def test_api_refuses_bad_parameters_by_name(client, params, bad):
    """Error case: each bad or unknown parameter gets a 400 that names it."""
    response = client.get(API, params, headers={"accept-language": "en"})
    assert response.status_code == 400
    assert bad in response.json()["errors"]


def test_api_errors_in_english_or_dutch(client):
    english = client.get(API, {"page": "0"}, headers={"accept-language": "en"}).json()
    dutch = client.get(API, {"page": "0"}, headers={"accept-language": "nl"}).json()
    assert english["errors"]["page"] == ["Ensure this value is greater than or equal to 1."]
    assert dutch["errors"]["page"] == ["Zorg ervoor dat deze waarde groter is dan of gelijk is aan 1."]


def test_page_and_api_give_the_same_answer(client, indexed):
    params = {"accessibility": "step_free", "domains": "sport", "near_neighbourhood": "ANT03", "sort": "distance"}
    api_ids = [hit["id"] for hit in client.get(API, params).json()["hits"]]
    content = client.get(reverse("search:public"), params).content.decode()
    positions = [content.index(f"/partners/test/aanbod-{pk}/") for pk in api_ids]
    assert positions == sorted(positions)
    assert len(api_ids) == 3


def test_page_shows_active_filters_each_removable(client, indexed):
    content = client.get(reverse("search:public"), {"domains": ["sport", "culture"], "free": "true"}).content.decode()
    assert 'href="?domains=culture&amp;free=true"' in content  # removes sport only
    assert 'href="?domains=sport&amp;free=true"' in content  # removes culture only
    assert 'href="?domains=sport&amp;domains=culture"' in content  # removes "free only"


def test_no_results_suggests_which_filter_to_drop(client, indexed):
    content = client.get(reverse("search:public"), {"domains": "youth", "free": "true"}).content.decode()
    assert 'href="?domains=youth"' in content
    assert 'href="?free=true"' in content


def test_page_is_a_get_form_that_works_without_javascript(client, indexed):
    content = client.get(reverse("search:public")).content.decode()
    assert '<form class="search-form" method="get"' in content
    assert "<script" not in content


def test_mediator_page_needs_a_mediator(client, editor_a, mediator):
    assert client.get(reverse("search:mediator")).status_code == 302
    client.force_login(editor_a)
    assert client.get(reverse("search:mediator")).status_code == 403
    client.force_login(mediator)
    assert client.get(reverse("search:mediator")).status_code == 200


def test_the_schema_documents_the_search(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/search/offers"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"q", "max_cost", "uitpas", "accessibility", "near", "within_km", "weekdays", "sort", "page"} <= names


def test_publishing_indexes_and_unpublishing_removes(partner_a, django_capture_on_commit_callbacks):
    """Publish, unpublish and delete update the index after the transaction commits."""
    with django_capture_on_commit_callbacks(execute=True):
        offer = OfferFactory(
            organisation=partner_a,
            list_price=Decimal("8"),
            reduced_tariff=ReducedTariff.UITPAS,
            reduced_price=Decimal("2"),
        )
    document = OfferDocument.objects.get(offer_id=offer.pk)
    assert document.cost_uitpas == Decimal("2") and document.cost_regular == Decimal("8")
    with django_capture_on_commit_callbacks(execute=True):
        offer.unpublish()
    assert not OfferDocument.objects.filter(offer_id=offer.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        offer.save_revision().publish()
    assert OfferDocument.objects.filter(offer_id=offer.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        offer.delete()
    assert not OfferDocument.objects.filter(offer_id=offer.pk).exists()


def test_reindex_command_rebuilds_from_published_offers(partner_a, capsys):
    from django.core.management import call_command

    OfferFactory(organisation=partner_a)
    OfferFactory(organisation=partner_a, publish=False)
    call_command("reindex")
    assert OfferDocument.objects.count() == 1
    assert "database: 1 offers" in capsys.readouterr().out


def test_a_hit_says_fully_booked_or_postponed(client):
    """The result list says "Volzet" and "Uitgesteld" on the hit, and nothing on an offer with places left."""
    DatabaseEngine().index_documents(
        [
            make_document(1, title="Vol", availability="fully_booked", full=True),
            make_document(2, title="Later", availability="postponed"),
            make_document(3, title="Plaats"),
        ]
    )
    content = client.get(reverse("search:public"), headers={"accept-language": "nl"}).content.decode()
    hits = {re.search(r">([^<]+)</a>", hit)[1]: hit for hit in content.split('<h3 class="hit-title">')[1:]}
    assert "<strong>Volzet</strong>" in hits["Vol"] and "hit-availability" not in hits["Vol"]
    assert '<p class="hit-availability">Uitgesteld of tijdelijk gesloten</p>' in hits["Later"]
    assert "hit-availability" not in hits["Plaats"]


def test_fresh_leaves_out_offers_not_confirmed_for_long(client, indexed):
    ids = {hit["id"] for hit in client.get(API, {"fresh": "true"}).json()["hits"]}
    assert ids == {1, 2, 3, 4}


def test_dropping_the_neighbourhood_drops_its_distance_and_distance_sort(client, indexed):
    """Regression: "without Near: Kiel" led to a 400 naming within_km; its link now drops the distance too."""
    params = {"q": "theater", "near_neighbourhood": "ANT10", "within_km": "1", "sort": "distance"}
    page = client.get(reverse("search:public"), params)
    assert page.status_code == 200 and page.context["result"].total == 0
    (suggestion,) = [item for item in page.context["suggestions"] if item["name"] == "near_neighbourhood"]
    assert suggestion["total"] == 1
    content = page.content.decode()
    assert 'href="?q=theater"' in content  # the suggestion and the "Near" chip: neither distance nor its sort stays
    followed = client.get(reverse("search:public") + "?q=theater")
    assert followed.status_code == 200 and followed.context["result"].total == 1
    assert 'href="?q=theater&amp;near_neighbourhood=ANT10&amp;sort=distance"' in content  # the distance alone goes


def test_errors_name_the_field_by_its_label_not_its_parameter(client, indexed):
    """Error case: a distance without a centre is refused naming the field by its label, in Dutch or English."""
    english = client.get(reverse("search:public"), {"within_km": "2"}, headers={"accept-language": "en"})
    dutch = client.get(reverse("search:public"), {"within_km": "2"}, headers={"accept-language": "nl"})
    fields = client.get(reverse("search:public"), {"age": "oud", "bogus": "1"}, headers={"accept-language": "nl"})
    assert english.status_code == dutch.status_code == fields.status_code == 400
    assert "<strong>Within (km)</strong>: A distance needs a point or a neighbourhood" in english.content.decode()
    assert "<strong>Binnen (km)</strong>" in dutch.content.decode()
    content = fields.content.decode()
    assert "<strong>Leeftijd</strong>" in content and "<strong>bogus</strong>" in content  # unknown: as it was given
    assert "<strong>within_km</strong>" not in dutch.content.decode() and "<strong>age</strong>" not in content


def _page_queries(client) -> int:
    """SQL queries of the public search page, from empty caches (shared and the process's)."""
    cache.clear()
    local_cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("search:public"), {"domains": ["sport", "culture"], "accessibility": "step_free"})
    assert response.status_code == 200
    return len(queries)


def test_search_page_queries_do_not_grow_with_its_results(client):
    """One hit or a full page of hits (each in its own neighbourhood, domain and organisation): the same queries."""
    engine = DatabaseEngine()
    engine.index_documents([make_document(1, accessibility=["step_free"])])
    one = _page_queries(client)
    neighbourhoods = list(Neighbourhood.objects.values_list("code", "district__code")[:25])
    engine.index_documents(
        [
            make_document(
                id,
                domain=("sport", "culture")[id % 2],
                accessibility=["step_free"],
                organisation=f"partner-{id}",
                organisation_name=f"Partner {id}",
                neighbourhood=code,
                district=district,
                weekdays=[id % 7],
            )
            for id, (code, district) in enumerate(neighbourhoods, start=2)
        ]
    )
    many = _page_queries(client)
    assert client.get(reverse("search:public"), {"domains": ["sport", "culture"]}).context["result"].total == 26
    assert many == one
