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

from dataclasses import replace
from datetime import date

from elasticsearch.dsl import A, Q, Search
from elasticsearch.dsl.aggs import Agg
from elasticsearch.dsl.query import Query
from elasticsearch.dsl.response import Response

from catalogue.models import DutchLevel

from ..facets import ACCESSIBILITY_NAMES, COST_BANDS, FACET_GROUPS, THRESHOLD_NAMES, FacetGroup
from ..query import OfferQuery, Sort
from ..results import RawCounts
from ..text import MIN_TERM_LENGTH, stem, words

# Where a text search looks; a match in the title weighs three times a match elsewhere. The organiser's
# name is not among them, as on the embedded engine (search.documents): the organiser filter finds it.
TEXT_FIELDS = ("title^3", "summary", "description", "theme_names", "neighbourhood_name")
# The disjunctive groups and the document field each filters on.
TERMS_FIELDS = {group.name: group.document_field for group in FACET_GROUPS if group.kind == "terms"}
FLAG_NAMES = {"accessibility": ACCESSIBILITY_NAMES, "facts": THRESHOLD_NAMES}
# The most values a terms facet reports: more than the city's neighbourhoods or organisers.
FACET_SIZE = 1000


def build_search(query: OfferQuery, today: date) -> Search:
    """The search for one query, not yet bound to a client or an index."""
    search = Search().query(_query(query, today))
    for group in FACET_GROUPS:
        # Flags count within the current results; every other group leaves its own selection out.
        context = query if group.kind == "flags" else _without(query, group.name)
        search.aggs.bucket(group.name, "filter", filter=Q("bool", filter=_facet_filters(context))).bucket(
            "counts", _counts(group, query)
        )
    post_filters = _facet_filters(query)
    if post_filters:
        search = search.post_filter("bool", filter=post_filters)
    search = search.sort(*_sort(query)).extra(track_total_hits=True)
    return search[query.offset : query.offset + query.page_size]


def raw_counts(response: Response) -> RawCounts:
    """The facet counts of a response, keyed by group and then by value as text, for ``facet_values``."""
    aggregations = response.aggregations.to_dict()
    counts: RawCounts = {}
    for group in FACET_GROUPS:
        buckets = aggregations[group.name]["counts"]["buckets"]
        if isinstance(buckets, dict):  # a filters aggregation: one named bucket per value
            counts[group.name] = {key: bucket["doc_count"] for key, bucket in buckets.items()}
        else:  # a terms aggregation; numeric fields (weekdays) come back with numeric keys
            counts[group.name] = {str(bucket["key"]): bucket["doc_count"] for bucket in buckets}
    return counts


def search_words(text: str) -> list[str]:
    """The words worth searching on; like the embedded engine, words with a stem under three letters are left out."""
    return [word for word in words(text) if len(stem(word)) >= MIN_TERM_LENGTH]


def _query(query: OfferQuery, today: date) -> Query:
    still_running = Q(
        "bool",
        should=[Q("bool", must_not=[Q("exists", field="end_date")]), Q("range", end_date={"gte": today.isoformat()})],
        minimum_should_match=1,
    )
    filters = [still_running]
    if query.free_only:
        filters.append(Q("term", is_free=True))
    if query.confirmed_since is not None:
        filters.append(Q("range", last_confirmed={"gte": query.confirmed_since.isoformat()}))
    filters += [Q("term", accessibility=name) for name in query.accessibility]
    filters += [Q("term", facts=name) for name in query.facts]
    if query.age is not None:
        filters += [Q("range", age_min={"lte": query.age}), Q("range", age_max={"gte": query.age})]
    if query.near is not None and query.within_km is not None:
        filters.append(
            Q(
                "geo_distance",
                distance=f"{query.within_km}km",
                distance_type="arc",
                location={"lat": query.near.latitude, "lon": query.near.longitude},
            )
        )
    terms = search_words(query.text)
    if not terms:
        return Q("bool", filter=filters)
    # cross_fields with "and": every word must occur, each in any of the fields.
    text = Q("multi_match", query=" ".join(terms), type="cross_fields", operator="and", fields=list(TEXT_FIELDS))
    return Q("bool", filter=filters, must=[text])


def _facet_filters(query: OfferQuery) -> list[Query]:
    """The filters of every group that has a facet leaving its own selection out."""
    filters = [
        Q("terms", **{field: list(getattr(query, group))})
        for group, field in TERMS_FIELDS.items()
        if group not in ("weekdays", "parts_of_day") and getattr(query, group)
    ]
    if query.weekdays and query.parts_of_day:
        slots = [f"{day}-{part}" for day in query.weekdays for part in query.parts_of_day]
        filters.append(Q("terms", slots=slots))
    elif query.weekdays:
        filters.append(Q("terms", weekdays=list(query.weekdays)))
    elif query.parts_of_day:
        filters.append(Q("terms", parts_of_day=list(query.parts_of_day)))
    if query.max_cost is not None:
        filters.append(Q("range", **{query.cost_field: {"lte": float(query.max_cost)}}))
    if query.dutch_level is not None:
        filters.append(Q("range", dutch_level={"lte": query.dutch_level}))
    return filters


def _without(query: OfferQuery, group: str) -> OfferQuery:
    """The query with one group's selection cleared, for that group's counts."""
    if group == "max_cost":
        return replace(query, max_cost=None)
    if group == "dutch_level":
        return replace(query, dutch_level=None)
    return replace(query, **{group: ()})


def _counts(group: FacetGroup, query: OfferQuery) -> Agg:
    if group.kind == "flags":
        names = FLAG_NAMES[group.name]
        return A("filters", filters={name: Q("term", **{group.document_field: name}) for name in names})
    if group.kind == "levels":
        # Cumulative: level L counts the offers needing at most L.
        return A("filters", filters={str(level): Q("range", dutch_level={"lte": level}) for level in DutchLevel.values})
    if group.kind == "bands":
        # Cumulative: band B counts the offers this client can join for at most B euro.
        return A("filters", filters={str(band): Q("range", **{query.cost_field: {"lte": band}}) for band in COST_BANDS})
    return A("terms", field=group.document_field, size=FACET_SIZE)


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
