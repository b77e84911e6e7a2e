"""The embedded engine: the catalogue search on the database itself (SQLite FTS5 or PostgreSQL full-text).

It needs no service, answers every filter and facet of the query model, and is the fallback when
Elasticsearch is down. The database stores the documents and their words, on pre-normalised Dutch
stems (see ``search.text``); the words, filters, facet counts and sorting run on the index's columns
held in memory (see ``columns`` and ``words``), the words as the database would match them.
"""

import json
import time
import uuid
from collections.abc import Iterable
from decimal import Decimal
from functools import reduce

from django.db import connection, transaction
from django.utils import timezone

import numpy as np

from .. import filters as search_filters
from ..models import IndexState, OfferDocument, RemovedDocument
from ..query import OfferQuery, SearchResult, Sort
from ..results import RawCounts, facet_values
from ..text import query_terms
from . import columns as index_columns
from .base import ChangedSince, IndexedVersion, RebuildReport, SearchEngine, build_hit
from .columns import Columns, Rows, day_number, distances_km
from .words import TEXT_SQL

# Multi-valued document fields, stored as "group:value" tokens. The areas are not among them: an offer
# has one per level, kept as the row's level columns (columns.AREA_FIELDS).
TERM_GROUPS = ("accessibility", "facts", "themes", "languages", "weekdays", "parts_of_day", "slots", "networks")
BATCH_SIZE = 1000


def filter_masks(columns: Columns, query: OfferQuery) -> dict[str, np.ndarray]:
    """One mask per filter the query sets, keyed by the filter's name; "live" keeps current offers only."""
    today = day_number(timezone.localdate())
    masks = {"live": columns.alive & (columns.end_day >= today)}
    for search_filter in search_filters.FILTERS:
        mask = search_filter.db_mask(columns, query)
        if mask is not None:
            masks[search_filter.name] = mask
    return masks


def combined(masks: dict[str, np.ndarray]) -> np.ndarray:
    return reduce(np.logical_and, masks.values())


def _without(columns: Columns, query: OfferQuery, masks: dict[str, np.ndarray], left_out) -> np.ndarray:
    """All filters together, with one filter's own selection left out (for that filter's facet).

    The filters that read what it clears (the days and the parts of the day read each other) are
    asked again on the cleared query; every other mask is reused.
    """
    cleared = left_out.cleared(query)
    owned = set(left_out.query_fields)
    rest = {name: mask for name, mask in masks.items() if name != left_out.name}
    for search_filter in search_filters.FILTERS:
        if search_filter is not left_out and owned & set(search_filter.reads):
            mask = search_filter.db_mask(columns, cleared)
            if mask is None:
                rest.pop(search_filter.name, None)
            else:
                rest[search_filter.name] = mask
    return combined(rest)


def facet_counts(columns: Columns, query: OfferQuery, masks: dict[str, np.ndarray], results: np.ndarray) -> RawCounts:
    """Every facet's counts: a facet filter the query sets leaves its own selection out; the rest count ``results``."""
    raw: RawCounts = {}
    shared = Rows(results)
    for search_filter in search_filters.FACET_FILTERS:
        leaves_itself_out = search_filter.placement == "facet" and search_filter.is_set(query)
        rows = Rows(_without(columns, query, masks, search_filter)) if leaves_itself_out else shared
        raw[search_filter.name] = search_filter.db_counts(columns, query, rows)
    return raw


def over_budget(columns: Columns, query: OfferQuery, masks: dict[str, np.ndarray]) -> int | None:
    """How many offers of known price every other filter keeps that the budget leaves out; None without a budget."""
    cost = search_filters.COST_FILTER
    if not cost.is_set(query):
        return None
    known = ~np.isnan(columns.numbers[query.cost_field])
    return int(np.count_nonzero(_without(columns, query, masks, cost) & known & ~masks[cost.name]))


def ordered(columns: Columns, positions: np.ndarray, query: OfferQuery) -> tuple[np.ndarray, np.ndarray | None]:
    """The positions in the order asked for, ties broken by offer id; with the scores when by relevance."""
    ids = columns.ids[positions]
    terms = query_terms(query.text)
    scores = None
    if query.sort == Sort.DISTANCE and query.near is not None:
        key = distances_km(columns, positions, query.near.latitude, query.near.longitude)
    elif query.sort == Sort.COST:
        key = columns.numbers[query.cost_field][positions]
    elif query.sort == Sort.NEWEST:
        key = np.nan_to_num(-columns.published[positions], nan=np.inf)
    elif terms:
        # A term in the title weighs three times a term elsewhere; every hit holds every term in its text.
        titles = columns.titles
        scores = np.array(
            [len(terms) + 3 * sum(term in titles[position] for term in terms) for position in positions],
            dtype=np.int64,
        )
        key = -scores
    else:
        key = np.zeros(len(positions))
    order = np.lexsort((ids, key))
    return positions[order], scores[order] if scores is not None else None


class DatabaseEngine(SearchEngine):
    name = "database"

    def search(self, query: OfferQuery) -> SearchResult:
        started = time.perf_counter()
        columns = index_columns.current()
        masks = filter_masks(columns, query)
        results = combined(masks)
        raw = facet_counts(columns, query, masks, results)
        positions, scores = ordered(columns, np.flatnonzero(results), query)
        page = slice(query.offset, query.offset + query.page_size)
        page_ids = [int(pk) for pk in columns.ids[positions[page]]]
        page_scores = [int(score) for score in scores[page]] if scores is not None else [None] * len(page_ids)
        documents = dict(OfferDocument.objects.filter(offer_id__in=page_ids).values_list("offer_id", "document"))
        today = timezone.localdate()
        hits = [
            build_hit(documents[pk], query, score=score, today=today)
            for pk, score in zip(page_ids, page_scores, strict=True)
            if pk in documents
        ]
        return SearchResult(
            hits=hits,
            total=len(positions),
            facets=facet_values(raw, query),
            engine=self.name,
            took_ms=(time.perf_counter() - started) * 1000,
            query=query,
            over_budget=over_budget(columns, query, masks),
        )

    # Indexing: every write raises the index's generation in its own transaction (see IndexState).

    def index_documents(self, documents: Iterable[dict]) -> int:
        written = 0
        batch: list[dict] = []
        for document in documents:
            batch.append(document)
            if len(batch) >= BATCH_SIZE:
                written += self._replace(batch)
                batch = []
        if batch:
            written += self._replace(batch)
        return written

    def indexed_versions(self) -> dict[int, IndexedVersion]:
        rows = OfferDocument.objects.values_list("offer_id", "document__revision", "last_confirmed")
        return {offer_id: (revision, confirmed) for offer_id, revision, confirmed in rows.iterator(chunk_size=5000)}

    @transaction.atomic
    def remove_documents(self, ids: Iterable[int]) -> None:
        present = list(OfferDocument.objects.filter(offer_id__in=list(ids)).values_list("offer_id", flat=True))
        if not present:
            return
        generation = _next_generation()
        OfferDocument.objects.filter(offer_id__in=present).delete()
        _delete_text(present)
        RemovedDocument.objects.bulk_create(
            [RemovedDocument(offer_id=pk, generation=generation) for pk in present],
            update_conflicts=True,
            unique_fields=["offer_id"],
            update_fields=["generation"],
        )

    def rebuild(
        self, documents: Iterable[dict], expected: int, *, changed_since: ChangedSince | None = None
    ) -> RebuildReport:
        """Replace the whole index in one transaction: readers see the old index until it commits.

        Nothing can change beside it meanwhile, so there is nothing to catch up (``changed_since`` is unused).
        """
        started = time.perf_counter()
        with transaction.atomic():
            generation = _next_generation(new_lineage=True)
            OfferDocument.objects.all().delete()
            RemovedDocument.objects.all().delete()
            _clear_text()
            written = 0
            batch: list[dict] = []
            for document in documents:
                batch.append(document)
                if len(batch) >= BATCH_SIZE:
                    written += _insert(batch, generation)
                    batch = []
            written += _insert(batch, generation)
            if written != expected:
                raise RuntimeError(f"Rebuilt {written} documents where the database has {expected}; nothing changed.")
            _insert_text(generation)
        _settle_text_index()
        return RebuildReport(
            engine=self.name,
            index="catalogue_search_offerdocument",
            documents=written,
            seconds=time.perf_counter() - started,
        )

    @transaction.atomic
    def _replace(self, batch: list[dict]) -> int:
        generation = _next_generation()
        ids = [document["id"] for document in batch]
        OfferDocument.objects.filter(offer_id__in=ids).delete()
        RemovedDocument.objects.filter(offer_id__in=ids).delete()
        _delete_text(ids)
        written = _insert(batch, generation)
        _insert_text(generation)
        return written


def _next_generation(*, new_lineage: bool = False) -> int:
    """Raise the committed generation; the row lock keeps writers in commit order until this transaction ends."""
    state, _created = IndexState.objects.select_for_update().get_or_create(pk=1)
    state.generation += 1
    if new_lineage:
        state.lineage = uuid.uuid4()
    state.save()
    return state.generation


def _insert(batch: list[dict], generation: int) -> int:
    rows = [_row(document, generation) for document in batch]
    if connection.vendor == "postgresql":
        _copy(rows)
    else:
        OfferDocument.objects.bulk_create(rows)
    return len(rows)


def _copy(rows: list[OfferDocument]) -> None:
    """PostgreSQL's COPY: bulk_create's UNNEST insert quotes every document into a text array in Python."""
    fields = OfferDocument._meta.concrete_fields
    table = connection.ops.quote_name(OfferDocument._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([field.get_db_prep_save(getattr(row, field.attname), connection) for field in fields])


def _row(document: dict, generation: int) -> OfferDocument:
    stored = {key: value for key, value in document.items() if key not in ("text", "title_text")}
    return OfferDocument(
        offer_id=document["id"],
        generation=generation,
        document=json.loads(json.dumps(stored, default=_json_value)),
        title_text=document["title_text"],
        text=document["text"],
        organisation=document["organisation"],
        domain=document["domain"],
        municipality=document["municipality"] or "",
        deelgemeente=document["deelgemeente"] or "",
        district=document["district"] or "",
        wijk=document["wijk"] or "",
        neighbourhood=document["neighbourhood"] or "",
        latitude=document["location"]["lat"],
        longitude=document["location"]["lon"],
        cost_regular=document["cost_regular"],
        cost_uitpas=document["cost_uitpas"],
        cost_social=document["cost_social"],
        cost_all=document["cost_all"],
        price_unit=document["price_unit"],
        is_free=document["is_free"],
        age_min=document["age_min"],
        age_max=document["age_max"],
        dutch_level=document["dutch_level"],
        end_date=document["end_date"],
        last_confirmed=document["last_confirmed"],
        published_at=document["published_at"],
        terms=" ".join(f"{group}:{value}" for group in TERM_GROUPS for value in document[group]),
    )


def _json_value(value: object) -> object:
    """Decimals, dates and times as JSON-safe values, the way Elasticsearch's _source holds them."""
    if isinstance(value, Decimal):
        return float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _insert_text(generation: int) -> None:
    """The words of the documents written at this generation, in one statement."""
    with connection.cursor() as cursor:
        cursor.execute(TEXT_SQL[connection.vendor]["insert"], [generation])


def _delete_text(ids: list[int]) -> None:
    if ids:
        with connection.cursor() as cursor:
            cursor.executemany(TEXT_SQL[connection.vendor]["delete"], [(pk,) for pk in ids])


def _clear_text() -> None:
    with connection.cursor() as cursor:
        cursor.execute(TEXT_SQL[connection.vendor]["clear"])


def _settle_text_index() -> None:
    """After a rebuild, fold PostgreSQL's GIN pending list into the index: searches scan that list whole."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT gin_clean_pending_list('catalogue_search_offertext_vector'::regclass)")
            cursor.execute("ANALYZE catalogue_search_offertext, catalogue_search_offerdocument")
