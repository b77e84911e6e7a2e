"""Round trips over HTTP to an Elasticsearch-compatible server (osmem-server): mapping, filters, facets, reindexing.

osmem-server accepts our index settings but ignores the compound-word filter, does not know the
Dutch stemmer, and its ``match`` queries return documents without the term, so no text behaviour
is asserted here. A real Elasticsearch 8 cluster must prove these (the text cases in
``tests.search.cases``, which the embedded engine passes):

- "voetbal" finds "Voetbalclub De Kiel" and "Zaalvoetbal in Deurne" (dictionary_decompounder);
- "zwem" finds "Zwemmen voor beginners" (Dutch Snowball stemmer);
- "théâter" finds "Theater voor het hele gezin" (asciifolding at index and search time);
- every word of a search must occur, each in any of the text fields (cross_fields, operator "and");
- a match in the title ranks above a match elsewhere (title^3);
- titles sort without regard to case or accents (the ``title.sort`` normalizer);
- and, worth one run though expected, that what passes here against osmem-server (filters and
  filters aggregations, arc distances, ``scaled_float`` ranges, ``require_alias``, the alias swap)
  holds on Elasticsearch 8 too.
"""

from datetime import UTC, datetime
from decimal import Decimal
from unittest import mock

from django.utils import timezone

import pytest
from elasticsearch import Elasticsearch

from search.engines.base import EngineUnavailable
from search.engines.elasticsearch import ElasticsearchEngine
from search.es.index_manager import IndexManager, RebuildRefused
from search.es.query_builder import build_search, raw_counts
from search.query import OfferQuery, Sort

from .cases import CENTRAAL, DOCUMENTS, FILTER_CASES, ORDER_CASES, Case

pytestmark = pytest.mark.elasticsearch
pytest_plugins = ["tests.search.conftest_es"]

ALIAS = "test_vrijetijdsnet_offers"
# The shared cases without a text search: the server's text matching cannot be trusted (see above).
NON_TEXT_CASES = [case for case in FILTER_CASES if not case.query.text]


@pytest.fixture(scope="module")
def loaded(es_module_cluster: Elasticsearch) -> ElasticsearchEngine:
    """The shared documents, indexed once through a full rebuild, for the tests that only search."""
    engine = ElasticsearchEngine(es_module_cluster, alias=ALIAS)
    engine.rebuild(DOCUMENTS, expected=len(DOCUMENTS))
    return engine


def execute(engine: ElasticsearchEngine, query: OfferQuery):
    return build_search(query, timezone.localdate()).using(engine.client).index(engine.alias).execute()


def ids(engine: ElasticsearchEngine, query: OfferQuery) -> list[int]:
    return [hit.id for hit in execute(engine, query)]


def counts(engine: ElasticsearchEngine, query: OfferQuery, group: str) -> dict[str, int]:
    """One facet's non-zero counts, as ``facet_values`` would show them."""
    return {value: count for value, count in raw_counts(execute(engine, query))[group].items() if count}


# The index


def test_the_index_is_created_with_our_mapping(loaded):
    (index,) = loaded.client.indices.get_alias(name=ALIAS)
    properties = loaded.client.indices.get_mapping(index=ALIAS)[index]["mappings"]["properties"]
    assert properties["location"]["type"] == "geo_point"
    assert properties["cost_uitpas"]["type"] == "scaled_float"
    assert properties["title"]["analyzer"] == "dutch_index"
    assert loaded.client.count(index=ALIAS)["count"] == len(DOCUMENTS)


# Filters, sorting and facets: the same answers as the embedded engine


@pytest.mark.parametrize("case", NON_TEXT_CASES, ids=[case.name for case in NON_TEXT_CASES])
def test_filters_give_the_expected_set(loaded, case: Case):
    response = execute(loaded, case.query)
    assert {hit.id for hit in response} == case.expected
    assert response.hits.total.value == len(case.expected)


@pytest.mark.parametrize(("name", "query", "expected"), ORDER_CASES, ids=[case[0] for case in ORDER_CASES])
def test_sorting(loaded, name, query, expected):
    assert ids(loaded, query) == expected


def test_pages(loaded):
    first = execute(loaded, OfferQuery(page_size=2, sort=Sort.NEWEST))
    second = execute(loaded, OfferQuery(page_size=2, page=2, sort=Sort.NEWEST))
    assert ([hit.id for hit in first], [hit.id for hit in second]) == ([5, 4], [3, 2])
    assert first.hits.total.value == second.hits.total.value == 5


def test_disjunctive_facets_ignore_their_own_selection(loaded):
    """Picking 'sport' still shows how many culture offers there are, so a second domain can be added."""
    query = OfferQuery(domains=("sport",))
    assert counts(loaded, query, "domains") == {"sport": 3, "culture": 1, "youth": 1}
    assert counts(loaded, query, "districts") == {"ANT": 2, "DEU": 1}
    assert ids(loaded, query) == [1, 2, 4]


def test_day_and_part_facets_keep_the_other_selection(loaded):
    """Wednesday evening: the days count evening offers, the parts of the day count Wednesday offers."""
    query = OfferQuery(weekdays=(2,), parts_of_day=("evening",))
    assert counts(loaded, query, "weekdays") == {"2": 1, "4": 1, "6": 1}
    assert counts(loaded, query, "parts_of_day") == {"afternoon": 2, "evening": 1}


def test_conjunctive_facets_count_within_the_results(loaded):
    query = OfferQuery(accessibility=("step_free",))
    assert counts(loaded, query, "accessibility") == {"step_free": 3, "adapted_toilet": 2, "hearing_loop": 2}
    assert counts(loaded, query, "facts") == {
        "walk_in": 1,
        "free_trial": 1,
        "companion_welcome": 1,
        "companion_free": 1,
    }


def test_cost_bands_count_what_this_client_pays(loaded):
    assert counts(loaded, OfferQuery(), "max_cost") == {"0": 1, "5": 3, "10": 3, "25": 4, "50": 4}
    assert counts(loaded, OfferQuery(has_uitpas=True), "max_cost") == {"0": 1, "5": 4, "10": 4, "25": 5, "50": 5}
    # The band selection itself is left out, the free-only filter is not.
    assert counts(loaded, OfferQuery(max_cost=Decimal("5")), "max_cost") == {"0": 1, "5": 3, "10": 3, "25": 4, "50": 4}
    assert counts(loaded, OfferQuery(free_only=True), "max_cost") == {"0": 1, "5": 1, "10": 1, "25": 1, "50": 1}


def test_dutch_levels_count_cumulatively(loaded):
    assert counts(loaded, OfferQuery(dutch_level=0), "dutch_level") == {"0": 3, "1": 4, "2": 5}


def test_a_text_search_is_accepted_and_keeps_the_filters(loaded):
    """Only the request's shape is checked; which offers match the text is for a real cluster (see above)."""
    assert set(ids(loaded, OfferQuery(text="voetbal", districts=("DEU",)))) <= {4}


@pytest.mark.django_db
def test_the_engine_answers_with_hits_and_labelled_facets(loaded):
    result = loaded.search(OfferQuery(has_uitpas=True, near=CENTRAAL, sort=Sort.DISTANCE, domains=("sport",)))
    assert (result.engine, result.total) == ("elasticsearch", 3)
    assert [hit.id for hit in result.hits] == [2, 4, 1]
    assert result.hits[2].cost_for_client == Decimal("12")
    assert 3 < result.hits[2].distance_km < 4
    sport = next(value for value in result.facets["domains"] if value.value == "sport")
    assert (sport.label, sport.count, sport.selected) == ("Sport", 3, True)


# Keeping the index up to date


def test_indexing_before_any_rebuild_creates_no_stray_index(es_cluster: Elasticsearch):
    """Error case: with no index behind the alias, a write is refused instead of creating a guessed mapping."""
    engine = ElasticsearchEngine(es_cluster, alias=ALIAS)
    with pytest.raises(EngineUnavailable):
        engine.index_documents(DOCUMENTS[:1])
    assert not es_cluster.indices.exists(index=ALIAS)


def test_documents_are_replaced_and_removed_through_the_alias(es_cluster: Elasticsearch):
    engine = ElasticsearchEngine(es_cluster, alias=ALIAS)
    engine.rebuild(DOCUMENTS, expected=len(DOCUMENTS))
    assert engine.index_documents([{**DOCUMENTS[2], "domain": "youth"}]) == 1
    engine.remove_documents([1, 4, 999])  # 999 was never indexed
    es_cluster.indices.refresh(index=ALIAS)
    assert ids(engine, OfferQuery(domains=("youth",))) == [3, 5]
    assert ids(engine, OfferQuery()) == [2, 3, 5]


# Rebuilding without downtime


def test_rebuild_moves_the_alias_in_one_step_and_keeps_the_previous_index(es_cluster: Elasticsearch):
    manager = IndexManager(es_cluster, ALIAS)
    first = manager.rebuild(DOCUMENTS, expected=len(DOCUMENTS))
    assert first.previous_index is None
    assert set(es_cluster.indices.get_alias(name=ALIAS)) == {first.index}

    with mock.patch.object(es_cluster.indices, "update_aliases", wraps=es_cluster.indices.update_aliases) as swap:
        second = manager.rebuild(DOCUMENTS, expected=len(DOCUMENTS))
    swap.assert_called_once_with(
        actions=[{"remove": {"index": first.index, "alias": ALIAS}}, {"add": {"index": second.index, "alias": ALIAS}}]
    )
    assert set(es_cluster.indices.get_alias(name=ALIAS)) == {second.index}
    assert second.previous_index == first.index
    assert es_cluster.count(index=ALIAS)["count"] == second.documents == len(DOCUMENTS)

    third = manager.rebuild(DOCUMENTS, expected=len(DOCUMENTS))
    assert manager.timestamped_indices() == [second.index, third.index]
    assert third.previous_index == second.index


def test_rebuild_refuses_a_wrong_count_and_keeps_the_live_index(es_cluster: Elasticsearch):
    """Error case: a new index with fewer documents than the catalogue holds is deleted, the alias stays."""
    manager = IndexManager(es_cluster, ALIAS)
    live = manager.rebuild(DOCUMENTS, expected=len(DOCUMENTS))
    with pytest.raises(RebuildRefused):
        manager.rebuild(DOCUMENTS[:2], expected=len(DOCUMENTS))
    assert set(es_cluster.indices.get_alias(name=ALIAS)) == {live.index}
    assert manager.timestamped_indices() == [live.index]
    assert es_cluster.count(index=ALIAS)["count"] == len(DOCUMENTS)


def test_rebuild_catches_up_offers_changed_during_the_build(es_cluster: Elasticsearch):
    changed = mock.Mock(return_value=[{**DOCUMENTS[0], "title": "Voetbalclub De Kiel, nieuw uur"}])
    before = datetime.now(UTC)
    report = IndexManager(es_cluster, ALIAS).rebuild(DOCUMENTS, expected=len(DOCUMENTS), changed_since=changed)
    (moment,) = changed.call_args.args
    assert before <= moment <= datetime.now(UTC)
    assert es_cluster.get(index=ALIAS, id="1")["_source"]["title"] == "Voetbalclub De Kiel, nieuw uur"
    assert report.documents == len(DOCUMENTS)
