"""The Elasticsearch index definition and the query dicts, checked without a server."""

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.test import override_settings

import pytest

from catalogue.facts import ACCESSIBILITY_FACTS, SEARCH_FACTS
from search.engines.base import build_hit
from search.es.index import COMPOUND_WORDS, alias_name, concrete_index_name, index_body, to_source
from search.es.query_builder import TEXT_FIELDS, build_search
from search.filters import COST_BANDS, FACET_FILTERS
from search.query import BudgetPer, GeoPoint, OfferQuery, Sort
from search.text import fold

from .cases import CENTRAAL, make_document

ACCESSIBILITY_NAMES = [fact.search_name for fact in ACCESSIBILITY_FACTS]
THRESHOLD_NAMES = [fact.search_name for fact in SEARCH_FACTS]

TODAY = date(2026, 11, 23)
MAPPING = index_body("test_offers_1")["mappings"]
PROPERTIES = MAPPING["properties"]
ANALYSIS = index_body("test_offers_1")["settings"]["analysis"]


def body(**query) -> dict:
    return build_search(OfferQuery(**query), TODAY).to_dict()


def query_filters(search: dict) -> list[dict]:
    return search["query"]["bool"]["filter"]


def post_filters(search: dict) -> list[dict]:
    return search.get("post_filter", {}).get("bool", {}).get("filter", [])


def agg_filters(search: dict, group: str) -> list[dict]:
    return search["aggs"][group]["filter"]["bool"].get("filter", [])


def fields_filtered(filters: list[dict]) -> set[str]:
    """The document fields a list of term, terms and range filters touches."""
    return {field for clause in filters for kind, spec in clause.items() if kind != "bool" for field in spec}


# The mapping


def test_mapping_covers_every_document_field():
    """Every field ``offer_documents`` writes is mapped, except the embedded engine's own text."""
    assert set(PROPERTIES) == set(make_document(1)) - {"text", "title_text"}
    assert MAPPING["dynamic"] is False


@pytest.mark.parametrize(
    "field",
    ["domain", "themes", "district", "neighbourhood", "organisation", "languages", "accessibility", "facts"]
    + ["parts_of_day", "slots", "areas"],
)
def test_facet_fields_are_keywords(field):
    assert PROPERTIES[field] == {"type": "keyword"}


def test_numbers_places_and_dates_have_explicit_types():
    assert PROPERTIES["location"] == {"type": "geo_point"}
    for cost in ("cost_regular", "cost_uitpas", "cost_social", "cost_all", "list_price"):
        assert PROPERTIES[cost] == {"type": "scaled_float", "scaling_factor": 100}
    assert PROPERTIES["age_min"]["type"] == PROPERTIES["age_max"]["type"] == "integer"
    assert PROPERTIES["weekdays"]["type"] == PROPERTIES["dutch_level"]["type"] == "byte"
    assert {PROPERTIES[field]["type"] for field in ("start_date", "end_date", "published_at", "last_confirmed")} == {
        "date"
    }
    assert PROPERTIES["schedule"] == {"type": "object", "enabled": False}


def test_texts_use_the_dutch_analyzers():
    for field in ("title", "summary", "description", "theme_names", "organisation_name", "neighbourhood_name"):
        assert PROPERTIES[field]["analyzer"] == "dutch_index"
        assert PROPERTIES[field]["search_analyzer"] == "dutch_search"
    assert PROPERTIES["title"]["fields"]["sort"] == {"type": "keyword", "normalizer": "sort_normalizer"}


def test_dutch_analyzer_folds_stems_and_splits_compounds():
    """Compounds are split at index time only, after folding, and before stemming."""
    analyzers = ANALYSIS["analyzer"]
    assert analyzers["dutch_index"]["filter"] == ["lowercase", "asciifolding", "dutch_compounds", "dutch_stemmer"]
    assert analyzers["dutch_search"]["filter"] == ["lowercase", "asciifolding", "dutch_stemmer"]
    assert ANALYSIS["filter"]["dutch_stemmer"] == {"type": "stemmer", "language": "dutch"}
    compounds = ANALYSIS["filter"]["dutch_compounds"]
    assert compounds["type"] == "dictionary_decompounder"
    assert {"voetbal", "zaal", "club", "zwem", "les", "atelier"} <= set(compounds["word_list"])


def test_compound_words_are_folded_and_unique():
    """The decompounder sees folded lower-case tokens, so its words must be written that way."""
    assert all(word == fold(word) for word in COMPOUND_WORDS)
    assert len(set(COMPOUND_WORDS)) == len(COMPOUND_WORDS)


def test_index_names_come_from_the_prefix_setting():
    with override_settings(ELASTICSEARCH_INDEX_PREFIX="test_"):
        alias = alias_name()
    assert alias == "test_offers"
    earlier = concrete_index_name(alias, datetime(2026, 11, 23, 9, 5, 7, 12, tzinfo=UTC))
    later = concrete_index_name(alias, datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    assert re.fullmatch(r"test_offers_\d{20}", earlier)
    assert earlier < later


def test_stored_source_is_json_and_reads_back_as_a_hit():
    """The source keeps what ``build_hit`` needs, with amounts as numbers, and drops the pre-normalised text."""
    document = make_document(
        7, end_date=date(2026, 12, 31), cost_uitpas=Decimal("2.50"), last_confirmed=date(2026, 11, 1)
    )
    source = to_source(document)
    assert "text" not in source
    assert "title_text" not in source
    assert source["cost_uitpas"] == 2.5
    assert source["end_date"] == "2026-12-31"
    assert source["published_at"].startswith("2026-01-08T")
    hit = build_hit(source, OfferQuery(has_uitpas=True), score=None, today=TODAY)
    assert hit.cost_for_client == Decimal("2.5")
    assert hit.next_session == TODAY + timedelta(days=2)  # the next Wednesday


# The query


def test_an_empty_query_keeps_current_offers_only():
    search = body()
    still_running = {
        "bool": {
            "should": [
                {"bool": {"must_not": [{"exists": {"field": "end_date"}}]}},
                {"range": {"end_date": {"gte": "2026-11-23"}}},
            ],
            "minimum_should_match": 1,
        }
    }
    assert search["query"] == {"bool": {"filter": [still_running]}}
    assert "post_filter" not in search
    assert search["sort"] == [{"_score": {"order": "desc"}}, {"id": {"order": "asc"}}]
    assert (search["from"], search["size"], search["track_total_hits"]) == (0, 20, True)


def test_text_needs_every_word_in_any_text_field():
    (text,) = body(text="Zwemmen voor de kinderen")["query"]["bool"]["must"]
    assert text == {
        "multi_match": {
            "query": "zwemmen voor kinderen",
            "type": "cross_fields",
            "operator": "and",
            "fields": list(TEXT_FIELDS),
        }
    }
    assert TEXT_FIELDS[0] == "title^3"


def test_text_leaves_the_organisers_name_out():
    """Case: as on the embedded engine, "zwemmen" does not match a swimming club's name (the organiser filter does)."""
    assert [field.split("^")[0] for field in TEXT_FIELDS] == [
        "title",
        "summary",
        "description",
        "theme_names",
        "neighbourhood_name",
    ]


def test_text_of_only_short_words_searches_nothing():
    """Like the embedded engine, words with a stem under three letters are not searched on."""
    assert "must" not in body(text="de en")["query"]["bool"]


@pytest.mark.parametrize(
    ("has_uitpas", "social_tariff", "field"),
    [
        (False, False, "cost_regular"),
        (True, False, "cost_uitpas"),
        (False, True, "cost_social"),
        (True, True, "cost_all"),
    ],
)
def test_cost_filters_and_bands_use_the_clients_cost(has_uitpas, social_tariff, field):
    search = body(max_cost=Decimal("7.50"), has_uitpas=has_uitpas, social_tariff=social_tariff)
    cost_filter = within_budget(field, 7.5)
    assert post_filters(search) == [cost_filter]
    assert cost_filter not in agg_filters(search, "max_cost")
    assert cost_filter in agg_filters(search, "domains")
    bands = search["aggs"]["max_cost"]["aggs"]["counts"]["filters"]["filters"]
    assert bands == {
        str(band): within_budget(field, band) if band else {"range": {field: {"lte": 0}}} for band in COST_BANDS
    }


def within_budget(field: str, amount: float, units: tuple[str, ...] = ("session",)) -> dict:
    """At most the amount, or a known price in a unit the budget cannot judge (kept, with a note)."""
    elsewhere = {
        "bool": {"filter": [{"exists": {"field": field}}], "must_not": [{"terms": {"price_unit": list(units)}}]}
    }
    return {"bool": {"should": [{"range": {field: {"lte": amount}}}, elsewhere], "minimum_should_match": 1}}


def test_a_budget_in_total_compares_with_prices_for_the_whole_activity():
    search = body(max_cost=Decimal("30"), budget_per=BudgetPer.TOTAL)
    assert post_filters(search) == [within_budget("cost_regular", 30.0, ("once",))]


def test_the_offers_left_out_by_the_budget_are_counted_in_their_own_aggregation():
    search = body(max_cost=Decimal("5"), domains=("sport",))
    over = search["aggs"]["over_budget"]["filter"]["bool"]
    assert over["must_not"] == [within_budget("cost_regular", 5.0)]
    assert {"terms": {"domain": ["sport"]}} in over["filter"]
    assert {"exists": {"field": "cost_regular"}} in over["filter"]
    assert "over_budget" not in body(domains=("sport",))["aggs"]


def test_free_only_means_a_list_price_of_zero():
    search = body(free_only=True, has_uitpas=True)
    assert {"term": {"is_free": True}} in query_filters(search)
    assert "post_filter" not in search


def test_accessibility_and_facts_are_all_required():
    search = body(accessibility=("step_free", "hearing_loop"), facts=("walk_in",))
    assert query_filters(search)[1:] == [
        {"term": {"accessibility": "step_free"}},
        {"term": {"accessibility": "hearing_loop"}},
        {"term": {"facts": "walk_in"}},
    ]


def test_place_free_and_reserved_places_are_required_facts():
    """'Place free' and 'reserved places available' are facts like the others: each a term the query requires."""
    assert {"places_left", "reserved_places"} <= set(THRESHOLD_NAMES)
    search = body(facts=("places_left", "reserved_places"))
    assert query_filters(search)[1:] == [{"term": {"facts": "places_left"}}, {"term": {"facts": "reserved_places"}}]


def test_districts_and_neighbourhoods_are_separate_disjunctive_groups():
    """Any of the districts AND any of the neighbourhoods; each facet leaves only its own group out."""
    search = body(districts=("ANT", "BER"), neighbourhoods=("ANT10",), domains=("sport",))
    districts = {"terms": {"district": ["ANT", "BER"]}}
    neighbourhoods = {"terms": {"neighbourhood": ["ANT10"]}}
    domains = {"terms": {"domain": ["sport"]}}
    assert post_filters(search) == [domains, districts, neighbourhoods]
    assert agg_filters(search, "districts") == [domains, neighbourhoods]
    assert agg_filters(search, "neighbourhoods") == [domains, districts]
    assert agg_filters(search, "domains") == [districts, neighbourhoods]
    assert search["aggs"]["districts"]["aggs"]["counts"] == {"terms": {"field": "district", "size": 1000}}


def test_the_area_filter_matches_any_level_in_the_query():
    """Municipality, deelgemeente, wijk, district or neighbourhood codes go to one keyword list; its facet
    leaves its own selection out and counts the NIS-coded levels only."""
    search = body(areas=("44021", "33029B", "44021W01", "BER", "ANT10"), domains=("sport",))
    areas = {"terms": {"areas": ["44021", "33029B", "44021W01", "BER", "ANT10"]}}
    domains = {"terms": {"domain": ["sport"]}}
    assert post_filters(search) == [domains, areas]
    assert agg_filters(search, "areas") == [domains]
    assert agg_filters(search, "domains") == [areas]
    assert search["aggs"]["areas"]["aggs"]["counts"] == {
        "terms": {"field": "areas", "size": 1000, "include": "[0-9].*"}
    }


@pytest.mark.parametrize(
    ("group", "field"), [("themes", "themes"), ("languages", "languages"), ("organisations", "organisation")]
)
def test_other_disjunctive_groups_match_any_value(group, field):
    search = body(**{group: ("a", "b")})
    assert post_filters(search) == [{"terms": {field: ["a", "b"]}}]
    assert agg_filters(search, group) == []


def test_distance_filters_only_with_a_radius():
    near = GeoPoint(51.2172, 4.4211)
    radius = body(near=near, within_km=2.5)
    assert query_filters(radius)[-1] == {
        "geo_distance": {"distance": "2.5km", "distance_type": "arc", "location": {"lat": 51.2172, "lon": 4.4211}}
    }
    assert "geo_distance" not in str(body(near=near)["query"])


def test_age_lies_within_the_offers_range():
    assert query_filters(body(age=10))[1:] == [{"range": {"age_min": {"lte": 10}}}, {"range": {"age_max": {"gte": 10}}}]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"weekdays": (2, 5)}, {"terms": {"weekdays": [2, 5]}}),
        ({"parts_of_day": ("evening",)}, {"terms": {"parts_of_day": ["evening"]}}),
        (
            {"weekdays": (2, 5), "parts_of_day": ("morning", "evening")},
            {"terms": {"slots": ["2-morning", "2-evening", "5-morning", "5-evening"]}},
        ),
    ],
)
def test_days_and_parts_of_day(query, expected):
    """Both given: the offer must meet on one of those days in one of those parts of the day."""
    assert post_filters(body(**query)) == [expected]


def test_day_and_part_facets_each_keep_the_other_selection():
    search = body(weekdays=(2,), parts_of_day=("evening",))
    assert agg_filters(search, "weekdays") == [{"terms": {"parts_of_day": ["evening"]}}]
    assert agg_filters(search, "parts_of_day") == [{"terms": {"weekdays": [2]}}]


def test_dutch_level_is_what_the_offer_needs_at_most():
    search = body(dutch_level=1)
    assert post_filters(search) == [{"range": {"dutch_level": {"lte": 1}}}]
    assert agg_filters(search, "dutch_level") == []
    levels = search["aggs"]["dutch_level"]["aggs"]["counts"]["filters"]["filters"]
    assert levels == {str(level): {"range": {"dutch_level": {"lte": level}}} for level in (0, 1, 2)}


def test_flag_facets_count_within_all_results():
    """Conjunctive flags count inside the current results: every selection applies to them."""
    search = body(domains=("sport",), max_cost=Decimal("5"), accessibility=("step_free",))
    for group, names in (("accessibility", ACCESSIBILITY_NAMES), ("facts", THRESHOLD_NAMES)):
        assert agg_filters(search, group) == post_filters(search)
        flags = search["aggs"][group]["aggs"]["counts"]["filters"]["filters"]
        assert flags == {name: {"term": {group: name}} for name in names}


def test_every_facet_group_has_an_aggregation():
    assert set(body()["aggs"]) == {group.name for group in FACET_FILTERS}


def test_every_removable_selection_is_a_post_filter():
    """All groups selected at once: none of them narrows the facet counts through the main query."""
    search = body(
        max_cost=Decimal("5"),
        districts=("ANT",),
        neighbourhoods=("ANT10",),
        weekdays=(1,),
        dutch_level=0,
        languages=("fr",),
        domains=("sport",),
        themes=("voetbal",),
        organisations=("sportdienst",),
    )
    assert len(query_filters(search)) == 1
    assert fields_filtered(post_filters(search)) == {
        "district",
        "neighbourhood",
        "weekdays",
        "dutch_level",
        "languages",
        "domain",
        "themes",
        "organisation",
    }
    assert within_budget("cost_regular", 5.0) in post_filters(search)


# Sorting and paging


def test_distance_sort_uses_arc_distance_from_the_point():
    search = body(near=CENTRAAL, sort=Sort.DISTANCE)
    assert search["sort"] == [
        {
            "_geo_distance": {
                "location": {"lat": CENTRAAL.latitude, "lon": CENTRAAL.longitude},
                "order": "asc",
                "unit": "km",
                "distance_type": "arc",
            }
        },
        {"id": {"order": "asc"}},
    ]


def test_distance_sort_without_a_point_falls_back_to_relevance():
    assert body(sort=Sort.DISTANCE)["sort"][0] == {"_score": {"order": "desc"}}


@pytest.mark.parametrize(("has_uitpas", "field"), [(False, "cost_regular"), (True, "cost_uitpas")])
def test_cost_sort_uses_the_clients_cost_then_the_id(has_uitpas, field):
    """Equal costs keep the offer-id order, as in the embedded engine."""
    assert body(sort=Sort.COST, has_uitpas=has_uitpas)["sort"] == [{field: {"order": "asc"}}, {"id": {"order": "asc"}}]


def test_newest_sort():
    assert body(sort=Sort.NEWEST)["sort"] == [
        {"published_at": {"order": "desc", "missing": "_last"}},
        {"id": {"order": "asc"}},
    ]


def test_paging():
    search = body(page=3, page_size=10)
    assert (search["from"], search["size"]) == (20, 10)
