"""A budget per session, month, season, year or in total: compared like with like on both engines.

A € 5 per-session budget must not silently drop a € 12-per-season class: a price in another unit
stays in with a note, and the results count the offers the budget did leave out.
"""

from decimal import Decimal

import pytest
from elasticsearch import Elasticsearch

from search.engines.database import DatabaseEngine
from search.engines.elasticsearch import ElasticsearchEngine
from search.query import BudgetPer, OfferQuery

from .cases import _costs, make_document

pytestmark = pytest.mark.django_db
pytest_plugins = ["tests.search.conftest_es"]

SEASON_CLASS, CHEAP, DEAR, FREE, UNKNOWN, ONCE = 1, 2, 3, 4, 5, 6
DOCUMENTS = [
    make_document(SEASON_CLASS, price_unit="season", **_costs("12")),
    make_document(CHEAP, **_costs("3")),
    make_document(DEAR, **_costs("8")),
    make_document(FREE, **_costs("0")),
    make_document(UNKNOWN, cost_regular=None, cost_uitpas=None, cost_social=None, cost_all=None, list_price=None),
    make_document(ONCE, price_unit="once", **_costs("40")),
]
CASES = [
    # (budget, per, the ids found, how many the budget left out)
    ("5", BudgetPer.SESSION, {SEASON_CLASS, CHEAP, FREE, ONCE}, 1),
    ("10", BudgetPer.SEASON, {CHEAP, DEAR, FREE, ONCE}, 1),
    ("50", BudgetPer.TOTAL, {SEASON_CLASS, CHEAP, DEAR, FREE, ONCE}, 0),
    ("30", BudgetPer.TOTAL, {SEASON_CLASS, CHEAP, DEAR, FREE}, 1),
    ("0", BudgetPer.SESSION, {FREE}, 4),
]


@pytest.fixture
def database_engine() -> DatabaseEngine:
    engine = DatabaseEngine()
    engine.index_documents(DOCUMENTS)
    return engine


@pytest.fixture(scope="module")
def elasticsearch_engine(es_module_cluster: Elasticsearch) -> ElasticsearchEngine:
    engine = ElasticsearchEngine(es_module_cluster, alias="test_budget_units")
    engine.rebuild(DOCUMENTS, expected=len(DOCUMENTS))
    return engine


@pytest.fixture(params=["database", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)])
def engine(request):
    return request.getfixturevalue(f"{request.param}_engine")


@pytest.mark.parametrize(("budget", "per", "expected", "left_out"), CASES)
def test_the_budget_compares_like_with_like(engine, budget, per, expected, left_out):
    result = engine.search(OfferQuery(max_cost=Decimal(budget), budget_per=per, page_size=50))
    assert {hit.id for hit in result.hits} == expected
    assert result.over_budget == left_out


def test_a_per_season_price_is_kept_with_a_note_under_a_per_session_budget(engine):
    result = engine.search(OfferQuery(max_cost=Decimal("5"), page_size=50))
    notes = {hit.id: hit.incomparable_budget for hit in result.hits}
    assert notes == {SEASON_CLASS: "session", CHEAP: "", FREE: "", ONCE: "session"}


def test_without_a_budget_nothing_is_counted_as_left_out(engine):
    result = engine.search(OfferQuery(page_size=50))
    assert result.over_budget is None
    assert all(not hit.incomparable_budget for hit in result.hits)


def test_the_cost_bands_count_in_the_budgets_unit(engine):
    """ "At most € 5" per session counts the season class too: it cannot be judged, so it is not left out."""
    result = engine.search(OfferQuery(max_cost=Decimal("5")))
    counts = {value.value: value.count for value in result.facets["max_cost"]}
    assert counts["5"] == 4
    assert counts["0"] == 1  # nothing to pay is nothing in every unit
