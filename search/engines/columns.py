"""The embedded engine's index held in memory as columns, kept in step with the database.

Counting a dozen facet groups over 100,000 offers would cost a dozen scans of the table per
search. Each process therefore holds the filterable fields of ``OfferDocument`` as numpy columns
(about 250 bytes per offer) and the words of their texts (``words.Words``), and answers words,
filters, facet counts and sorting on them; the database stores the documents a page shows.

The columns follow the committed index through ``IndexState``: each search compares the lineage
and generation it holds with the database's, reads only the rows written and removed since, and
loads everything again after a rebuild. A search inside a transaction may see index writes that
are not committed; what it loads then stays private to that search.
"""

import math
import threading
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from functools import cached_property

from django.db import connection

import numpy as np

from ..models import IndexState, OfferDocument, RemovedDocument
from .words import Words

# An offer's area at each level, from municipality down to Antwerp's neighbourhood ("" where it has none).
AREA_FIELDS = ("municipality", "deelgemeente", "district", "wijk", "neighbourhood")
KEYWORD_FIELDS = ("domain", *AREA_FIELDS, "organisation", "price_unit")
FLOAT_FIELDS = ("latitude", "longitude", "cost_regular", "cost_uitpas", "cost_social", "cost_all")
INTEGER_FIELDS = ("age_min", "age_max", "dutch_level")
LOADED_FIELDS = (
    "offer_id",
    *KEYWORD_FIELDS,
    *FLOAT_FIELDS,
    *INTEGER_FIELDS,
    "is_free",
    "end_date",
    "last_confirmed",
    "published_at",
    "title_text",
    "terms",
    "text",
)
NO_END = np.iinfo(np.int64).max
# Below this share of live rows, catching up costs more than loading the index again.
MIN_ALIVE_SHARE = 0.8
READ_CHUNK = 10_000
# The rows a state keeps of the latest sets of areas searched (a network's municipalities, with or without
# its neighbours), as positions in all, per row of the index: every network's rows a few times over.
AREA_POSITIONS_KEPT_PER_ROW = 4


EARTH_RADIUS_KM = 6371.0


def distances_km(columns: "Columns", positions: np.ndarray, latitude: float, longitude: float) -> np.ndarray:
    """Haversine distance from a point to the documents at these positions."""
    lat1, lat2 = math.radians(latitude), np.radians(columns.numbers["latitude"][positions])
    half_dlat = (lat2 - lat1) / 2
    half_dlon = (np.radians(columns.numbers["longitude"][positions]) - math.radians(longitude)) / 2
    inner = np.sin(half_dlat) ** 2 + math.cos(lat1) * np.cos(lat2) * np.sin(half_dlon) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(inner))


def day_number(day: date) -> int:
    """Days since 1970-01-01, the unit of the date columns."""
    return int(np.datetime64(day, "D").astype(np.int64))


@dataclass(frozen=True)
class Keyword:
    """A single-valued field: one code per row and the value each code stands for."""

    values: tuple[str, ...]
    codes: np.ndarray

    @cached_property
    def index(self) -> dict[str, int]:
        return {value: code for code, value in enumerate(self.values)}


class BoundedCache:
    """Computed arrays by key, at most ``limit`` elements in all, the oldest dropped first; thread-safe.

    Bounded by the elements kept rather than the keys: keys come from requests (a set of areas), and
    a few hundred large selections must not grow a process by hundreds of megabytes.
    """

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._kept = 0
        self._values: dict[object, np.ndarray] = {}
        self._lock = threading.Lock()

    def get(self, key: object, compute: Callable[[], np.ndarray]) -> np.ndarray:
        with self._lock:
            if key in self._values:
                return self._values[key]
        value = compute()
        if value.size > self._limit:
            return value
        with self._lock:
            if key not in self._values:
                while self._values and self._kept + value.size > self._limit:
                    self._kept -= self._values.pop(next(iter(self._values))).size
                self._values[key] = value
                self._kept += value.size
        return value


class Rows:
    """A selection of rows of one ``Columns``: a mask, and what every facet counting it shares, computed once."""

    def __init__(self, mask: np.ndarray) -> None:
        self.mask = mask
        self.token_counts: np.ndarray | None = None  # per token, how many of the rows hold it (Columns)

    @cached_property
    def positions(self) -> np.ndarray:
        return np.flatnonzero(self.mask)


@dataclass(frozen=True)
class Columns:
    """One committed state of the index; never changed in place, so searches may share it."""

    lineage: uuid.UUID | None
    generation: int
    ids: np.ndarray
    alive: np.ndarray
    keywords: dict[str, Keyword]
    numbers: dict[str, np.ndarray]
    is_free: np.ndarray
    end_day: np.ndarray
    confirmed_day: np.ndarray
    published: np.ndarray
    titles: tuple[str, ...]
    # Multi-valued fields as one boolean row per "group:value" token, over all documents.
    tokens: dict[str, int]
    token_rows: np.ndarray
    words: Words

    @property
    def size(self) -> int:
        return len(self.ids)

    @cached_property
    def _id_order(self) -> np.ndarray:
        return np.argsort(self.ids)

    @cached_property
    def _sorted_ids(self) -> np.ndarray:
        return self.ids[self._id_order]

    def positions_of(self, ids: Sequence[int] | np.ndarray) -> np.ndarray:
        """Row positions of these offer ids, in their order, leaving out ids this state does not hold."""
        ids = np.asarray(ids, dtype=np.int64)
        if not self.size:
            return np.empty(0, dtype=np.int64)
        found_at = np.minimum(np.searchsorted(self._sorted_ids, ids), self.size - 1)
        positions = self._id_order[found_at]
        return positions[self.ids[positions] == ids]

    def rows_of(self, ids: Sequence[int] | np.ndarray) -> np.ndarray:
        mask = np.zeros(self.size, dtype=bool)
        mask[self.positions_of(ids)] = True
        return mask

    def group_tokens(self, group: str) -> tuple[list[str], list[int]]:
        """The values of a multi-valued group present in the index, and their token rows."""
        prefix = f"{group}:"
        found = [(token[len(prefix) :], row) for token, row in self.tokens.items() if token.startswith(prefix)]
        return [value for value, _row in found], [row for _value, row in found]

    def has_any(self, group: str, values: Iterable[object]) -> np.ndarray:
        rows = [self.tokens[key] for key in (f"{group}:{value}" for value in values) if key in self.tokens]
        return self.token_rows[rows].any(axis=0) if rows else np.zeros(self.size, dtype=bool)

    def in_any_area(self, codes: Iterable[str]) -> np.ndarray:
        """Rows placed in any of these areas, at any level (municipality down to neighbourhood).

        One code per row and level rather than a token row per area: thousands of areas over
        Flanders would be a boolean row each, over every offer. A network's site asks for the same
        municipalities on every search, so the rows of the latest sets of areas are kept with this state.
        """
        wanted = frozenset(codes)
        mask = np.zeros(self.size, dtype=bool)
        mask[self._area_positions.get(wanted, lambda: self._positions_in_areas(wanted))] = True
        return mask

    @cached_property
    def _area_positions(self) -> "BoundedCache":
        return BoundedCache(AREA_POSITIONS_KEPT_PER_ROW * max(self.size, 1))

    def _positions_in_areas(self, wanted: frozenset[str]) -> np.ndarray:
        mask = np.zeros(self.size, dtype=bool)
        for field in AREA_FIELDS:
            chosen = self._chosen(field, wanted)
            if chosen.any():
                mask |= chosen[self.keywords[field].codes]
        return np.flatnonzero(mask).astype(np.int32)

    def has_all(self, group: str, values: Iterable[object]) -> np.ndarray:
        keys = [f"{group}:{value}" for value in values]
        if any(key not in self.tokens for key in keys):
            return np.zeros(self.size, dtype=bool)
        return self.token_rows[[self.tokens[key] for key in keys]].all(axis=0)

    @cached_property
    def row_tokens(self) -> np.ndarray:
        """Each row's tokens, one row of this table per offer, padded with ``len(tokens)``.

        An offer holds some fifteen of the index's hundred tokens: a selection's token counts are one
        bincount of its rows here, rather than a read of every token row at the selection's positions.
        """
        held = np.count_nonzero(self.token_rows, axis=0)
        padding = len(self.tokens)
        table = np.full((self.size, int(held.max(initial=0))), padding, dtype=np.min_scalar_type(padding))
        filled = np.zeros(self.size, dtype=np.int64)
        for token in range(len(self.tokens)):
            rows = np.flatnonzero(self.token_rows[token])
            table[rows, filled[rows]] = token
            filled[rows] += 1
        return table

    def _token_counts(self, rows: Rows) -> np.ndarray:
        """How many of the rows hold each token, every group at once (the last count is the padding's)."""
        if rows.token_counts is None:
            held = self.row_tokens[rows.positions]
            rows.token_counts = np.bincount(held.ravel(), minlength=len(self.tokens) + 1)
        return rows.token_counts

    def count_tokens(self, group: str, rows: Rows) -> dict[str, int]:
        values, indices = self.group_tokens(group)
        if not indices:
            return {}
        counts = self._token_counts(rows)[indices]
        return {value: int(count) for value, count in zip(values, counts, strict=True) if count}

    def count_keyword(self, field: str, rows: Rows) -> dict[str, int]:
        """Rows per value; a row without one ("", an offer outside Antwerp's districts) counts for none."""
        keyword = self.keywords[field]
        counts = np.bincount(keyword.codes[rows.positions], minlength=len(keyword.values))
        return {keyword.values[code]: int(counts[code]) for code in np.flatnonzero(counts) if keyword.values[code]}

    def _chosen(self, field: str, wanted: set[str]) -> np.ndarray:
        """Per code of a keyword field, whether its value is wanted."""
        keyword = self.keywords[field]
        chosen = np.zeros(len(keyword.values), dtype=bool)
        chosen[[keyword.index[value] for value in wanted if value in keyword.index]] = True
        return chosen

    def keyword_in(self, field: str, values: Iterable[str], positions: np.ndarray | None = None) -> np.ndarray:
        """Whether each row's value is one of these; only the rows at ``positions``, when given."""
        codes = self.keywords[field].codes
        # A lookup per row's code: cheaper than np.isin's sort of every row.
        return self._chosen(field, set(values))[codes if positions is None else codes[positions]]

    def caught_up(self, changed: "Columns", removed_ids: Sequence[int], *, generation: int) -> "Columns":
        """A new state: this one with ``changed`` rows replaced or added and ``removed_ids`` dropped."""
        removed = self.positions_of(removed_ids)
        alive = self.alive.copy()
        alive[removed] = False
        existing = self.positions_of(changed.ids)
        is_new = ~np.isin(changed.ids, self.ids[existing])
        targets = np.empty(changed.size, dtype=np.int64)
        targets[~is_new] = existing
        targets[is_new] = np.arange(self.size, self.size + int(is_new.sum()))
        grown = self.size + int(is_new.sum())

        def place(old: np.ndarray, new: np.ndarray, fill) -> np.ndarray:
            result = np.concatenate([old, np.full(grown - self.size, fill, dtype=old.dtype)])
            result[targets] = new
            return result

        keywords = {}
        for field, keyword in self.keywords.items():
            index = {value: code for code, value in enumerate(keyword.values)}
            incoming = changed.keywords[field]
            translate = np.array([index.setdefault(value, len(index)) for value in incoming.values], dtype=np.int32)
            keywords[field] = Keyword(tuple(index), place(keyword.codes, translate[incoming.codes], 0))

        tokens = dict(self.tokens)
        for token in changed.tokens:
            tokens.setdefault(token, len(tokens))
        token_rows = np.zeros((len(tokens), grown), dtype=bool)
        token_rows[: len(self.tokens), : self.size] = self.token_rows
        token_rows[:, targets] = False
        for token, row in changed.tokens.items():
            token_rows[tokens[token], targets] = changed.token_rows[row]

        titles = list(self.titles) + [""] * (grown - self.size)
        for target, title in zip(targets, changed.titles, strict=True):
            titles[target] = title
        alive = np.concatenate([alive, np.zeros(grown - self.size, dtype=bool)])
        alive[targets] = True
        replaced = np.zeros(self.size, dtype=bool)  # the held rows whose words go: removed or rewritten
        replaced[removed] = True
        replaced[existing] = True
        return Columns(
            lineage=self.lineage,
            generation=generation,
            ids=place(self.ids, changed.ids, 0),
            alive=alive,
            keywords=keywords,
            numbers={name: place(column, changed.numbers[name], 0) for name, column in self.numbers.items()},
            is_free=place(self.is_free, changed.is_free, False),
            end_day=place(self.end_day, changed.end_day, 0),
            confirmed_day=place(self.confirmed_day, changed.confirmed_day, 0),
            published=place(self.published, changed.published, np.nan),
            titles=tuple(titles),
            tokens=tokens,
            token_rows=token_rows,
            words=self.words.caught_up(changed.words, targets, replaced),
        )


def _days(values: Sequence[object], *, missing: int) -> np.ndarray:
    days = np.array(values, dtype="datetime64[D]")
    return np.where(np.isnat(days), missing, days.astype(np.int64))


def _timestamp(value: object) -> float:
    """Seconds since the epoch of a stored instant; SQLite hands back text, PostgreSQL a datetime."""
    if value is None:
        return np.nan
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.timestamp()


def _encode(values: Sequence[str]) -> Keyword:
    index: dict[str, int] = {}
    codes = np.fromiter((index.setdefault(value, len(index)) for value in values), dtype=np.int32, count=len(values))
    return Keyword(tuple(index), codes)


def _token_rows(texts: Sequence[str]) -> tuple[dict[str, int], np.ndarray]:
    per_document = [text.split() for text in texts]
    tokens: dict[str, int] = {}
    columns = np.repeat(np.arange(len(per_document)), [len(found) for found in per_document])
    rows = np.fromiter(
        (tokens.setdefault(token, len(tokens)) for found in per_document for token in found),
        dtype=np.int64,
        count=len(columns),
    )
    matrix = np.zeros((len(tokens), len(per_document)), dtype=bool)
    matrix[rows, columns] = True
    return tokens, matrix


def from_rows(rows: list[tuple], *, lineage: uuid.UUID | None, generation: int) -> Columns:
    """Columns from rows of ``LOADED_FIELDS``, as the database returns them."""
    values = dict(zip(LOADED_FIELDS, zip(*rows, strict=True), strict=True)) if rows else {}
    empty: tuple = ()

    def column(name: str) -> Sequence:
        return values.get(name, empty)

    tokens, token_rows = _token_rows(column("terms"))
    return Columns(
        lineage=lineage,
        generation=generation,
        ids=np.array(column("offer_id"), dtype=np.int64),
        alive=np.ones(len(rows), dtype=bool),
        keywords={name: _encode(column(name)) for name in KEYWORD_FIELDS},
        numbers={
            **{name: np.array(column(name), dtype=np.float64) for name in FLOAT_FIELDS},
            **{name: np.array(column(name), dtype=np.int64) for name in INTEGER_FIELDS},
        },
        is_free=np.array(column("is_free"), dtype=bool),
        end_day=_days(column("end_date"), missing=NO_END),
        confirmed_day=_days(column("last_confirmed"), missing=0),
        published=np.array([_timestamp(value) for value in column("published_at")], dtype=np.float64),
        titles=tuple(column("title_text")),
        tokens=tokens,
        token_rows=token_rows,
        words=Words.of(column("text")),
    )


def _read(after_generation: int | None, *, lineage: uuid.UUID | None, generation: int) -> Columns:
    """Columns of the index rows, or of those written after a generation, read a chunk at a time.

    Chunks keep a full load's Python objects to one chunk's worth; the columns grow chunk by chunk.
    """
    table = connection.ops.quote_name(OfferDocument._meta.db_table)
    fields = ", ".join(connection.ops.quote_name(OfferDocument._meta.get_field(name).column) for name in LOADED_FIELDS)
    # Names come from the model; the generation travels as a parameter.
    sql = f"SELECT {fields} FROM {table}"  # noqa: S608
    parameters: list[int] = []
    if after_generation is not None:
        sql += " WHERE generation > %s"
        parameters.append(after_generation)
    result = from_rows([], lineage=lineage, generation=generation)
    with connection.cursor() as cursor:
        cursor.execute(sql, parameters)
        while rows := cursor.fetchmany(READ_CHUNK):
            part = from_rows(rows, lineage=lineage, generation=generation)
            result = result.caught_up(part, [], generation=generation) if result.size else part
    return result


def committed_state() -> tuple[uuid.UUID | None, int]:
    """The index's lineage and generation as this connection sees them; no row yet means empty."""
    state = IndexState.objects.filter(pk=1).values_list("lineage", "generation").first()
    return state if state is not None else (None, 0)


def load(lineage: uuid.UUID | None, generation: int) -> Columns:
    return _read(None, lineage=lineage, generation=generation)


def catch_up(held: Columns, generation: int) -> Columns:
    changed = _read(held.generation, lineage=held.lineage, generation=generation)
    removed = list(RemovedDocument.objects.filter(generation__gt=held.generation).values_list("offer_id", flat=True))
    if not changed.size and not removed:
        return replace(held, generation=generation)
    result = held.caught_up(changed, removed, generation=generation)
    if result.alive.mean() < MIN_ALIVE_SHARE:
        return load(held.lineage, generation)
    return result


_lock = threading.Lock()
_held: Columns | None = None


def current() -> Columns:
    """The columns of the index as this connection sees it, shared between searches when committed."""
    global _held
    lineage, generation = committed_state()
    held = _held
    if held is not None and held.lineage == lineage and held.generation == generation:
        return held
    if connection.in_atomic_block:
        if held is not None and held.lineage == lineage and held.generation < generation:
            return catch_up(held, generation)
        return load(lineage, generation)
    with _lock:
        held = _held
        if held is None or held.lineage != lineage or held.generation > generation:
            _held = load(lineage, generation)
        elif held.generation < generation:
            _held = catch_up(held, generation)
        return _held
