"""Facet counts on the in-memory columns are the same whether few or many documents match."""

import numpy as np

from search.engines.columns import LOADED_FIELDS, from_rows


def _row(offer_id: int, terms: str) -> tuple:
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
    }
    return tuple(values[name] for name in LOADED_FIELDS)


def test_counting_few_matches_gives_what_counting_every_row_gives():
    rows = [_row(pk, "themes:water weekdays:2" if pk % 3 else "themes:dans weekdays:5") for pk in range(1, 101)]
    columns = from_rows(rows, lineage=None, generation=1)
    few = np.zeros(columns.size, dtype=bool)
    few[[0, 2, 3]] = True  # offers 1, 3 and 4: under one in sixteen rows
    many = np.ones(columns.size, dtype=bool)
    assert columns.count_tokens("themes", few) == {"water": 2, "dans": 1}
    assert columns.count_tokens("themes", many) == {"water": 67, "dans": 33}
    assert columns.count_tokens("weekdays", few) == {"2": 2, "5": 1}
