"""Facet counts on the in-memory columns are the same whether few or many documents match."""

import random
from decimal import Decimal

import numpy as np

from search.engines.columns import LOADED_FIELDS, BoundedCache, Rows, from_rows
from search.filters import COST_BANDS, COST_FILTER
from search.query import BudgetPer, OfferQuery


def _row(offer_id: int, terms: str, **changed) -> tuple:
    values = {
        "offer_id": offer_id,
        "domain": "sport",
        "municipality": "11002",
        "deelgemeente": "11002Z",
        "district": "ANT",
        "wijk": "",
        "neighbourhood": "ANT03",
        "organisation": "buurtwerk-a",
        "latitude": 51.2,
        "longitude": 4.4,
        "cost_regular": 5,
        "cost_uitpas": 5,
        "cost_social": 5,
        "cost_all": 5,
        "age_min": 0,
        "age_max": 120,
        "dutch_level": 0,
        "price_unit": "session",
        "is_free": False,
        "end_date": None,
        "last_confirmed": "2026-11-01",
        "published_at": "2026-11-01 10:00:00",
        "title_text": f"aanbod {offer_id}",
        "terms": terms,
        "text": f"aanbod {offer_id}",
    } | changed
    return tuple(values[name] for name in LOADED_FIELDS)


def test_counting_few_matches_gives_what_counting_every_row_gives():
    rows = [_row(pk, "themes:water weekdays:2" if pk % 3 else "themes:dans weekdays:5") for pk in range(1, 101)]
    columns = from_rows(rows, lineage=None, generation=1)
    few = np.zeros(columns.size, dtype=bool)
    few[[0, 2, 3]] = True  # offers 1, 3 and 4
    many = np.ones(columns.size, dtype=bool)
    assert columns.count_tokens("themes", Rows(few)) == {"water": 2, "dans": 1}
    assert columns.count_tokens("themes", Rows(many)) == {"water": 67, "dans": 33}
    assert columns.count_tokens("weekdays", Rows(few)) == {"2": 2, "5": 1}


def test_token_counts_read_from_each_rows_tokens_are_those_of_every_token_row():
    rng = random.Random(6)
    groups = {"themes": ["water", "dans", "koken"], "facts": ["walk_in", "free_trial"], "weekdays": ["0", "5"]}
    rows = [
        _row(
            pk,
            " ".join(f"{group}:{value}" for group, values in groups.items() for value in values if rng.random() < 0.4),
        )
        for pk in range(1, 301)
    ]
    columns = from_rows(rows, lineage=None, generation=1)
    chosen = np.array([rng.random() < 0.3 for _ in range(columns.size)])
    selection = Rows(chosen)
    for group in groups:
        values, indices = columns.group_tokens(group)
        expected = {
            value: int(np.count_nonzero(columns.token_rows[index] & chosen))
            for value, index in zip(values, indices, strict=True)
        }
        assert columns.count_tokens(group, selection) == {value: count for value, count in expected.items() if count}


def test_the_cost_bands_counted_in_one_pass_are_what_each_band_as_a_budget_keeps():
    rng = random.Random(5)
    prices = [None, 0, 0.5, 3, 5, 7.5, 10, 12, 25, 40, 50, 80]
    rows = [
        _row(pk, "", cost_regular=rng.choice(prices), price_unit=rng.choice(["session", "month", "season", "once"]))
        for pk in range(1, 401)
    ]
    columns = from_rows(rows, lineage=None, generation=1)
    chosen = np.array([rng.random() < 0.5 for _ in range(columns.size)])
    for budget_per in (BudgetPer.SESSION, BudgetPer.MONTH, BudgetPer.TOTAL):
        query = OfferQuery(budget_per=budget_per)
        expected = {
            str(band): int(
                np.count_nonzero(
                    COST_FILTER.db_mask(columns, OfferQuery(max_cost=Decimal(band), budget_per=budget_per)) & chosen
                )
            )
            for band in COST_BANDS
        }
        assert COST_FILTER.db_counts(columns, query, Rows(chosen)) == expected


def test_the_rows_of_a_set_of_areas_kept_with_a_state_are_those_of_its_own_rows():
    rows = [_row(pk, "", municipality="11002" if pk % 2 else "11029") for pk in range(1, 11)]
    columns = from_rows(rows, lineage=None, generation=1)
    first = columns.in_any_area(["11029"])
    first[:] = True  # a caller changing its mask changes nothing kept
    assert np.flatnonzero(columns.in_any_area(["11029"])).tolist() == [1, 3, 5, 7, 9]
    moved = from_rows([_row(2, "", municipality="11002")], lineage=None, generation=2)
    later = columns.caught_up(moved, [4], generation=2)
    assert sorted(later.ids[later.in_any_area(["11029"]) & later.alive].tolist()) == [6, 8, 10]


def test_a_bounded_cache_keeps_at_most_its_limit_of_elements_dropping_the_oldest_first():
    cache = BoundedCache(4)
    for key, size in (("a", 2), ("b", 2), ("c", 1)):
        assert cache.get(key, lambda size=size: np.zeros(size)).size == size
    assert cache.get("b", lambda: np.ones(9)).size == 2  # kept
    assert cache.get("a", lambda: np.ones(3)).size == 3  # dropped for "c", computed again
    assert cache.get("huge", lambda: np.ones(5)).size == 5  # larger than the limit: returned, not kept
    assert cache.get("huge", lambda: np.ones(6)).size == 6
