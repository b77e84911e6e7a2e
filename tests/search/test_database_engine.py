"""The embedded engine answers every shared case, with facets that count as a mediator expects."""

from decimal import Decimal

import pytest

from search.engines.database import DatabaseEngine
from search.query import OfferQuery

from .cases import DOCUMENTS, FILTER_CASES, ORDER_CASES, Case, make_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def engine() -> DatabaseEngine:
    engine = DatabaseEngine()
    engine.index_documents(DOCUMENTS)
    return engine


def _facet(result, group: str) -> dict[str, int]:
    return {value.value: value.count for value in result.facets[group]}


@pytest.mark.parametrize("case", FILTER_CASES, ids=[case.name for case in FILTER_CASES])
def test_filters_give_the_expected_set(engine, case: Case):
    result = engine.search(case.query)
    assert {hit.id for hit in result.hits} == case.expected
    assert result.total == len(case.expected)
    assert result.engine == "database"


@pytest.mark.parametrize(("name", "query", "expected"), ORDER_CASES, ids=[case[0] for case in ORDER_CASES])
def test_sorting(engine, name, query, expected):
    assert [hit.id for hit in engine.search(query).hits] == expected


def test_disjunctive_facets_ignore_their_own_selection(engine):
    """Picking 'sport' still shows how many culture offers there are, so a second domain can be added."""
    result = engine.search(OfferQuery(domains=("sport",)))
    assert _facet(result, "domains") == {"sport": 3, "culture": 1, "youth": 1}
    assert next(value for value in result.facets["domains"] if value.value == "sport").selected


def test_conjunctive_facets_count_within_the_results(engine):
    result = engine.search(OfferQuery(accessibility=("step_free",)))
    assert _facet(result, "accessibility") == {"step_free": 3, "adapted_toilet": 2, "hearing_loop": 2}


def test_cost_bands_count_what_this_client_pays(engine):
    regular = _facet(engine.search(OfferQuery()), "max_cost")
    with_uitpas = _facet(engine.search(OfferQuery(has_uitpas=True)), "max_cost")
    assert regular == {"0": 1, "5": 3, "10": 3, "25": 4, "50": 4}
    assert with_uitpas == {"0": 1, "5": 4, "10": 4, "25": 5, "50": 5}


def test_dutch_levels_count_cumulatively(engine):
    assert _facet(engine.search(OfferQuery(dutch_level=0)), "dutch_level") == {"0": 3, "1": 4, "2": 5}


def test_hits_show_cost_for_this_client_and_distance(engine):
    from .cases import CENTRAAL

    result = engine.search(OfferQuery(has_uitpas=True, near=CENTRAAL, domains=("sport",), themes=("voetbal",)))
    hits = {hit.id: hit for hit in result.hits}
    assert hits[1].cost_for_client == Decimal("12")
    assert hits[1].list_price == Decimal("60")
    assert 3 < hits[1].distance_km < 4


def test_pages(engine):
    first = engine.search(OfferQuery(page_size=2, sort="newest"))
    second = engine.search(OfferQuery(page_size=2, page=2, sort="newest"))
    assert [hit.id for hit in first.hits] == [5, 4]
    assert [hit.id for hit in second.hits] == [3, 2]
    assert first.total == second.total == 5
    assert first.pages == 3


def test_reindexing_a_document_replaces_it(engine):
    engine.index_documents([{**DOCUMENTS[2], "domain": "youth"}])
    assert {hit.id for hit in engine.search(OfferQuery(domains=("youth",))).hits} == {3, 5}


def test_removed_documents_are_not_found(engine):
    engine.remove_documents([1, 4])
    assert {hit.id for hit in engine.search(OfferQuery(text="voetbal")).hits} == set()


def test_rebuild_refuses_a_short_count_and_keeps_the_old_index(engine):
    """Error case: a rebuild that wrote fewer documents than the catalogue holds changes nothing."""
    with pytest.raises(RuntimeError):
        engine.rebuild(DOCUMENTS[:2], expected=6)
    assert engine.search(OfferQuery(page_size=50)).total == 5


def test_hits_say_when_their_information_is_stale(engine):
    """Offer 5 was last confirmed two years ago: the result list marks it."""
    stale = {hit.id: hit.stale for hit in engine.search(OfferQuery()).hits}
    assert stale == {1: False, 2: False, 3: False, 4: False, 5: True}


def test_place_free_and_reserved_places_are_filters_and_a_full_offer_says_so():
    """'Place free' and 'reserved places available' each narrow the results; a full offer's hit says it is full."""
    engine = DatabaseEngine()
    engine.index_documents(
        [
            make_document(1, facts=["places_left", "reserved_places"]),
            make_document(2, facts=["places_left"]),
            make_document(3, full=True),
            make_document(4),
        ]
    )
    assert {hit.id for hit in engine.search(OfferQuery(facts=("places_left",))).hits} == {1, 2}
    assert {hit.id for hit in engine.search(OfferQuery(facts=("reserved_places",))).hits} == {1}
    assert _facet(engine.search(OfferQuery()), "facts") == {"places_left": 2, "reserved_places": 1}
    assert {hit.id: hit.full for hit in engine.search(OfferQuery()).hits} == {1: False, 2: False, 3: True, 4: False}
