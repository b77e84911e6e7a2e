"""Turning an ``OfferQuery`` into one Elasticsearch search: filters, facet aggregations, sorting and paging.

Filters that a facet must be able to leave out (the disjunctive "terms" groups, the client's
Dutch level and the cost band) go into ``post_filter``, which narrows the hits only after the
aggregations ran; each facet is then a ``filter`` aggregation holding every other group's filter,
so a facet's counts ignore its own selection (the pattern of richie's and Read the Docs' faceted
search). Filters no facet leaves out (still running, text, free only, the accessibility and
threshold flags, age, distance) go into the query, so they narrow the hits and every count.

The semantics are those of the embedded engine (``search.engines.database``), so both answer
with the same sets and counts.
"""

from datetime import date

from elasticsearch.dsl import Q, Search
from elasticsearch.dsl.query import Query
from elasticsearch.dsl.response import Response

from .. import filters as search_filters
from ..query import OfferQuery, Sort
from ..results import RawCounts

# Where a text search looks, from the text filter's definition (tests and the engine's docs name it here).
TEXT_FIELDS = search_filters.TextFilter.TEXT_FIELDS
OVER_BUDGET = "over_budget"


def build_search(query: OfferQuery, today: date) -> Search:
    """The search for one query, not yet bound to a client or an index."""
    search = Search().query(_query(query, today))
    for search_filter in search_filters.FACET_FILTERS:
        # A facet filter's counts leave its own selection out; the others count within the current results.
        context = search_filter.cleared(query) if search_filter.placement == "facet" else query
        search.aggs.bucket(search_filter.name, "filter", filter=Q("bool", filter=_facet_filters(context))).bucket(
            "counts", search_filter.es_counts(query)
        )
    cost = search_filters.COST_FILTER
    if cost.is_set(query):
        # The offers of known price every other filter keeps that the budget leaves out ("3 fall outside the budget").
        search.aggs.bucket(
            OVER_BUDGET,
            "filter",
            filter=Q(
                "bool",
                filter=[*_facet_filters(cost.cleared(query)), Q("exists", field=query.cost_field)],
                must_not=cost.es_filters(query),
            ),
        )
    post_filters = _facet_filters(query)
    if post_filters:
        search = search.post_filter("bool", filter=post_filters)
    search = search.sort(*_sort(query)).extra(track_total_hits=True)
    return search[query.offset : query.offset + query.page_size]


def over_budget(response: Response) -> int | None:
    aggregation = response.aggregations.to_dict().get(OVER_BUDGET)
    return None if aggregation is None else aggregation["doc_count"]


def raw_counts(response: Response) -> RawCounts:
    """The facet counts of a response, keyed by facet and then by value as text, for ``facet_values``."""
    aggregations = response.aggregations.to_dict()
    counts: RawCounts = {}
    for search_filter in search_filters.FACET_FILTERS:
        buckets = aggregations[search_filter.name]["counts"]["buckets"]
        if isinstance(buckets, dict):  # a filters aggregation: one named bucket per value
            counts[search_filter.name] = {key: bucket["doc_count"] for key, bucket in buckets.items()}
        else:  # a terms aggregation; numeric fields (weekdays) come back with numeric keys
            counts[search_filter.name] = {str(bucket["key"]): bucket["doc_count"] for bucket in buckets}
    return counts


def _query(query: OfferQuery, today: date) -> Query:
    still_running = Q(
        "bool",
        should=[Q("bool", must_not=[Q("exists", field="end_date")]), Q("range", end_date={"gte": today.isoformat()})],
        minimum_should_match=1,
    )
    filters = [still_running]
    must = []
    for search_filter in search_filters.FILTERS:
        if search_filter.placement == "query":
            filters += search_filter.es_filters(query)
        must += search_filter.es_must(query)
    return Q("bool", filter=filters, must=must) if must else Q("bool", filter=filters)


def _facet_filters(query: OfferQuery) -> list[Query]:
    """The clauses of every filter whose facet leaves its own selection out."""
    return [
        clause
        for search_filter in search_filters.FILTERS
        if search_filter.placement == "facet"
        for clause in search_filter.es_filters(query)
    ]


def _sort(query: OfferQuery) -> list:
    """The sort keys, always ending on the offer id so equal keys keep a stable order across pages."""
    if query.sort == Sort.DISTANCE and query.near is not None:
        point = {"lat": query.near.latitude, "lon": query.near.longitude}
        keys = [{"_geo_distance": {"location": point, "order": "asc", "unit": "km", "distance_type": "arc"}}]
    elif query.sort == Sort.COST:
        keys = [{query.cost_field: {"order": "asc"}}]
    elif query.sort == Sort.NEWEST:
        keys = [{"published_at": {"order": "desc", "missing": "_last"}}]
    else:
        keys = [{"_score": {"order": "desc"}}]
    return [*keys, {"id": {"order": "asc"}}]
