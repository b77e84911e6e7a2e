"""The embedded engine: the catalogue search on the database itself (SQLite FTS5 or PostgreSQL full-text).

It needs no service, answers every filter and facet of the query model, and is the fallback when
Elasticsearch is down. Text matching works on pre-normalised Dutch stems (see ``search.text``).
"""

import math
import time
from collections.abc import Iterable
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import ASin, Cos, Power, Radians, Sin, Sqrt
from django.utils import timezone

from ..facets import ACCESSIBILITY_NAMES, COST_BANDS, THRESHOLD_NAMES
from ..models import OfferDocument, OfferTerm
from ..query import OfferQuery, SearchResult, Sort
from ..results import RawCounts, facet_values
from ..text import query_terms
from .base import ChangedSince, RebuildReport, SearchEngine, build_hit

EARTH_RADIUS_KM = 6371.0
KM_PER_DEGREE = 111.2
TERM_GROUPS = ("themes", "languages", "weekdays", "parts_of_day", "slots")
FACET_TERM_GROUPS = ("themes", "languages", "weekdays", "parts_of_day")
COLUMN_GROUPS = {
    "domains": "domain",
    "districts": "district",
    "neighbourhoods": "neighbourhood",
    "organisations": "organisation",
}
FLAG_NAMES = ACCESSIBILITY_NAMES + THRESHOLD_NAMES
BATCH_SIZE = 1000


def _has_term(group: str, values: Iterable[str]) -> Exists:
    return Exists(OfferTerm.objects.filter(document=OuterRef("pk"), group=group, value__in=[str(v) for v in values]))


def _distance_km(latitude: float, longitude: float):
    """Haversine distance from a point to each document, in the database."""
    lat1, lat2 = Radians(Value(latitude)), Radians(F("latitude"))
    half_dlat = (lat2 - lat1) / 2
    half_dlon = (Radians(F("longitude")) - Radians(Value(longitude))) / 2
    inner = Power(Sin(half_dlat), 2) + Cos(lat1) * Cos(lat2) * Power(Sin(half_dlon), 2)
    return Value(2 * EARTH_RADIUS_KM) * ASin(Sqrt(inner))


FTS_MATCH_SQL = "SELECT rowid FROM catalogue_search_offertext WHERE catalogue_search_offertext MATCH %s"
TSQUERY_SQL = (
    "SELECT offer_id FROM catalogue_search_offerdocument WHERE to_tsvector('simple', text) @@ to_tsquery('simple', %s)"
)


def _text_filter(terms: list[str]) -> Q:
    """Every term must match: as a substring of a word on SQLite (trigram), as a word prefix on PostgreSQL."""
    # The SQL is constant; the terms travel as a parameter and hold only word characters (search.text).
    if connection.vendor == "sqlite":
        match = " AND ".join(f'"{term}"' for term in terms)
        return Q(offer_id__in=RawSQL(FTS_MATCH_SQL, [match]))  # noqa: S611
    tsquery = " & ".join(f"{term}:*" for term in terms)
    return Q(offer_id__in=RawSQL(TSQUERY_SQL, [tsquery]))  # noqa: S611


def _relevance(terms: list[str]):
    """A title match weighs three times a match elsewhere; the same on SQLite and PostgreSQL."""
    score = Value(0)
    for term in terms:
        score = score + Case(
            When(title_text__contains=term, then=Value(3)), default=Value(0), output_field=IntegerField()
        )
        score = score + Case(When(text__contains=term, then=Value(1)), default=Value(0), output_field=IntegerField())
    return score


class DatabaseEngine(SearchEngine):
    name = "database"

    def filtered(self, query: OfferQuery, *, without: str | None = None) -> QuerySet[OfferDocument]:
        """Documents matching the query; ``without`` leaves one filter group out, for its facet counts."""
        today = timezone.localdate()
        documents = OfferDocument.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        terms = query_terms(query.text)
        if terms:
            documents = documents.filter(_text_filter(terms))
        if query.max_cost is not None and without != "max_cost":
            documents = documents.filter(**{f"{query.cost_field}__lte": query.max_cost})
        if query.free_only:
            documents = documents.filter(is_free=True)
        if query.confirmed_since is not None:
            documents = documents.filter(last_confirmed__gte=query.confirmed_since)
        for flag in (*query.accessibility, *query.facts):
            documents = documents.filter(**{flag: True})
        for group, column in COLUMN_GROUPS.items():
            values = getattr(query, group)
            if values and without != group:
                documents = documents.filter(**{f"{column}__in": values})
        for group in ("themes", "languages"):
            values = getattr(query, group)
            if values and without != group:
                documents = documents.filter(_has_term(group, values))
        days = query.weekdays if without != "weekdays" else ()
        parts = query.parts_of_day if without != "parts_of_day" else ()
        if days and parts:
            documents = documents.filter(_has_term("slots", [f"{day}-{part}" for day in days for part in parts]))
        elif days:
            documents = documents.filter(_has_term("weekdays", days))
        elif parts:
            documents = documents.filter(_has_term("parts_of_day", parts))
        if query.dutch_level is not None and without != "dutch_level":
            documents = documents.filter(dutch_level__lte=query.dutch_level)
        if query.age is not None:
            documents = documents.filter(age_min__lte=query.age, age_max__gte=query.age)
        if query.near is not None and query.within_km is not None:
            documents = self._within(documents, query)
        return documents

    def _within(self, documents: QuerySet[OfferDocument], query: OfferQuery) -> QuerySet[OfferDocument]:
        latitude, longitude, radius = query.near.latitude, query.near.longitude, query.within_km
        # A bounding box on indexed columns first, then the exact distance on what is left.
        delta_lat = radius / KM_PER_DEGREE
        delta_lon = radius / (KM_PER_DEGREE * max(math.cos(math.radians(latitude)), 0.01))
        documents = documents.filter(
            latitude__range=(latitude - delta_lat, latitude + delta_lat),
            longitude__range=(longitude - delta_lon, longitude + delta_lon),
        )
        return documents.annotate(distance=_distance_km(latitude, longitude)).filter(distance__lte=radius)

    def _ordered(self, documents: QuerySet[OfferDocument], query: OfferQuery) -> QuerySet[OfferDocument]:
        terms = query_terms(query.text)
        if query.sort == Sort.DISTANCE and query.near is not None:
            distance = _distance_km(query.near.latitude, query.near.longitude)
            return documents.annotate(sort_distance=distance).order_by("sort_distance", "offer_id")
        if query.sort == Sort.COST:
            return documents.order_by(query.cost_field, "offer_id")
        if query.sort == Sort.NEWEST:
            return documents.order_by(F("published_at").desc(nulls_last=True), "offer_id")
        if terms:
            return documents.annotate(score=_relevance(terms)).order_by("-score", "offer_id")
        return documents.order_by("offer_id")

    def facet_counts(self, query: OfferQuery, documents: QuerySet[OfferDocument]) -> tuple[int, RawCounts]:
        """The total and every group's counts in few queries.

        Groups the query does not filter on are all counted over the same result set, together:
        the flags, levels and bands in one aggregate, the column groups in one GROUP BY over their
        combinations, the multi-valued groups in one GROUP BY over the terms. A group the query
        filters on is counted separately, without its own filter.
        """
        cost = query.cost_field
        aggregates = {"total": Count("pk"), **{name: Count("pk", filter=Q(**{name: True})) for name in FLAG_NAMES}}
        if query.dutch_level is None:
            aggregates |= {f"level_{level}": Count("pk", filter=Q(dutch_level__lte=level)) for level in range(3)}
        if query.max_cost is None:
            aggregates |= {f"band_{band}": Count("pk", filter=Q(**{f"{cost}__lte": band})) for band in COST_BANDS}
        counts = documents.aggregate(**aggregates)
        total = counts["total"]
        raw: RawCounts = {
            "accessibility": {name: counts[name] for name in ACCESSIBILITY_NAMES},
            "facts": {name: counts[name] for name in THRESHOLD_NAMES},
        }
        if query.dutch_level is None:
            raw["dutch_level"] = {str(level): counts[f"level_{level}"] for level in range(3)}
        else:
            base = self.filtered(query, without="dutch_level")
            raw["dutch_level"] = base.aggregate(
                **{str(level): Count("pk", filter=Q(dutch_level__lte=level)) for level in range(3)}
            )
        if query.max_cost is None:
            raw["max_cost"] = {str(band): counts[f"band_{band}"] for band in COST_BANDS}
        else:
            base = self.filtered(query, without="max_cost")
            raw["max_cost"] = base.aggregate(
                **{str(band): Count("pk", filter=Q(**{f"{cost}__lte": band})) for band in COST_BANDS}
            )

        shared_columns = [group for group in COLUMN_GROUPS if not getattr(query, group)]
        for group in shared_columns:
            raw[group] = {}
        if shared_columns:
            columns = [COLUMN_GROUPS[group] for group in shared_columns]
            for row in documents.values(*columns).annotate(n=Count("pk")).order_by():
                for group, column in zip(shared_columns, columns, strict=True):
                    raw[group][row[column]] = raw[group].get(row[column], 0) + row["n"]
        for group in COLUMN_GROUPS.keys() - set(shared_columns):
            column = COLUMN_GROUPS[group]
            rows = self.filtered(query, without=group).values(column).annotate(n=Count("pk")).order_by()
            raw[group] = {row[column]: row["n"] for row in rows}

        shared_terms = [group for group in FACET_TERM_GROUPS if not getattr(query, group)]
        for group in FACET_TERM_GROUPS:
            raw[group] = {}
        if shared_terms:
            rows = OfferTerm.objects.filter(group__in=shared_terms, document__in=documents.values("pk"))
            for row in rows.values("group", "value").annotate(n=Count("document")).order_by():
                raw[row["group"]][row["value"]] = row["n"]
        for group in set(FACET_TERM_GROUPS) - set(shared_terms):
            rows = OfferTerm.objects.filter(group=group, document__in=self.filtered(query, without=group).values("pk"))
            raw[group] = {
                row["value"]: row["n"] for row in rows.values("value").annotate(n=Count("document")).order_by()
            }
        return total, raw

    def search(self, query: OfferQuery) -> SearchResult:
        started = time.perf_counter()
        documents = self.filtered(query)
        total, raw = self.facet_counts(query, documents)
        page = self._ordered(documents, query)[query.offset : query.offset + query.page_size]
        today = timezone.localdate()
        rows = page.values_list(
            "document", *(["score"] if query_terms(query.text) and query.sort == Sort.RELEVANCE else [])
        )
        hits = [build_hit(row[0], query, score=row[1] if len(row) > 1 else None, today=today) for row in rows]
        return SearchResult(
            hits=hits,
            total=total,
            facets=facet_values(raw, query),
            engine=self.name,
            took_ms=(time.perf_counter() - started) * 1000,
            query=query,
        )

    # Indexing

    def index_documents(self, documents: Iterable[dict]) -> int:
        written = 0
        batch: list[dict] = []
        for document in documents:
            batch.append(document)
            if len(batch) >= BATCH_SIZE:
                written += self._write(batch)
                batch = []
        if batch:
            written += self._write(batch)
        return written

    def remove_documents(self, ids: Iterable[int]) -> None:
        ids = list(ids)
        with transaction.atomic():
            OfferDocument.objects.filter(offer_id__in=ids).delete()
            _delete_text(ids)

    def rebuild(
        self, documents: Iterable[dict], expected: int, *, changed_since: ChangedSince | None = None
    ) -> RebuildReport:
        """Replace the whole index in one transaction: readers see the old index until it commits.

        Nothing can change beside it meanwhile, so there is nothing to catch up (``changed_since`` is unused).
        """
        started = time.perf_counter()
        with transaction.atomic():
            OfferTerm.objects.all().delete()
            OfferDocument.objects.all().delete()
            _clear_text()
            written = self.index_documents(documents)
            if written != expected:
                raise RuntimeError(f"Rebuilt {written} documents where the database has {expected}; nothing changed.")
        return RebuildReport(
            engine=self.name,
            index="catalogue_search_offerdocument",
            documents=written,
            seconds=time.perf_counter() - started,
        )

    @transaction.atomic
    def _write(self, batch: list[dict]) -> int:
        ids = [document["id"] for document in batch]
        OfferDocument.objects.filter(offer_id__in=ids).delete()
        _delete_text(ids)
        OfferDocument.objects.bulk_create([_row(document) for document in batch])
        _insert_terms(batch)
        _insert_text(batch)
        return len(batch)


def _row(document: dict) -> OfferDocument:
    stored = {key: value for key, value in document.items() if key not in ("text", "title_text")}
    return OfferDocument(
        offer_id=document["id"],
        document=_jsonable(stored),
        title_text=document["title_text"],
        text=document["text"],
        organisation=document["organisation"],
        domain=document["domain"],
        district=document["district"],
        neighbourhood=document["neighbourhood"],
        latitude=document["location"]["lat"],
        longitude=document["location"]["lon"],
        cost_regular=document["cost_regular"],
        cost_uitpas=document["cost_uitpas"],
        cost_social=document["cost_social"],
        cost_all=document["cost_all"],
        is_free=document["is_free"],
        age_min=document["age_min"],
        age_max=document["age_max"],
        dutch_level=document["dutch_level"],
        end_date=document["end_date"],
        last_confirmed=document["last_confirmed"],
        published_at=document["published_at"],
        **{name: name in document["accessibility"] for name in ACCESSIBILITY_NAMES},
        **{name: name in document["facts"] for name in THRESHOLD_NAMES},
    )


def _jsonable(value):
    """Decimals, dates and times as JSON-safe values, the way Elasticsearch's _source holds them."""
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, Decimal):
        return float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _insert_terms(batch: list[dict]) -> None:
    """Terms in one executemany: tens of thousands of tiny rows per batch, too many for model instances."""
    table = connection.ops.quote_name(OfferTerm._meta.db_table)
    group = connection.ops.quote_name("group")
    rows = [
        (document["id"], name, str(value)) for document in batch for name in TERM_GROUPS for value in document[name]
    ]
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} (document_id, {group}, value) VALUES (%s, %s, %s)", rows)  # noqa: S608


def _insert_text(batch: list[dict]) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO catalogue_search_offertext (rowid, title_text, text) VALUES (%s, %s, %s)",
            [(document["id"], document["title_text"], document["text"]) for document in batch],
        )


def _delete_text(ids: list[int]) -> None:
    if connection.vendor != "sqlite" or not ids:
        return
    with connection.cursor() as cursor:
        cursor.executemany("DELETE FROM catalogue_search_offertext WHERE rowid = %s", [(pk,) for pk in ids])


def _clear_text() -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM catalogue_search_offertext")
