"""The words of each offer, for the embedded engine: held in memory beside the columns, and in the database.

Each process holds the distinct words of every document's text (``Words``, part of ``columns.Columns``)
and matches a search's terms on them with the database's own semantics: on SQLite a term is a
substring of a word (FTS5 trigram), on PostgreSQL a word prefix (tsvector 'simple'). The database's
narrow text table (migration 0005) is still written with every document; ``matching_ids`` asks it,
for the terms the vocabulary cannot answer alike and to check the two agree (tests, bench).
"""

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from django.db import connection

import numpy as np

# "match" gives the matching ids as one text ("3,17,42"): handing over a row per match cost SQLite
# twice what finding them did. "insert" copies the words of the documents written at one generation.
TEXT_SQL = {
    "sqlite": {
        "match": "SELECT group_concat(rowid) FROM catalogue_search_offertext WHERE catalogue_search_offertext MATCH %s",
        "insert": "INSERT INTO catalogue_search_offertext (rowid, text) "
        "SELECT offer_id, text FROM catalogue_search_offerdocument WHERE generation = %s",
        "delete": "DELETE FROM catalogue_search_offertext WHERE rowid = %s",
        "clear": "DELETE FROM catalogue_search_offertext",
    },
    "postgresql": {
        "match": "SELECT string_agg(offer_id::text, ',') FROM catalogue_search_offertext "
        "WHERE vector @@ to_tsquery('simple', %s)",
        "insert": "INSERT INTO catalogue_search_offertext (offer_id, vector) "
        "SELECT offer_id, to_tsvector('simple', text) FROM catalogue_search_offerdocument WHERE generation = %s",
        "delete": "DELETE FROM catalogue_search_offertext WHERE offer_id = %s",
        "clear": "DELETE FROM catalogue_search_offertext",
    },
}


def matching_ids(terms: list[str]) -> np.ndarray:
    """Offers whose text holds every term, as the database's text table answers."""
    # The SQL is constant; the terms travel as a parameter and hold only word characters (search.text).
    if connection.vendor == "sqlite":
        parameter = " AND ".join(f'"{term}"' for term in terms)
    else:
        parameter = " & ".join(f"{term}:*" for term in terms)
    with connection.cursor() as cursor:
        cursor.execute(TEXT_SQL[connection.vendor]["match"], [parameter])
        (found,) = cursor.fetchone()
    return np.fromstring(found, dtype=np.int64, sep=",") if found else np.empty(0, dtype=np.int64)


def _prefix_match() -> bool:
    return connection.vendor == "postgresql"


@dataclass(frozen=True)
class Words:
    """The distinct words of the rows' texts and the rows holding each (CSR postings).

    Word ``code``'s rows are ``rows[offsets[code]:offsets[code + 1]]``. A word no row holds any more
    (its rows rewritten or removed) keeps its code with no rows, until the columns are loaded again.
    """

    vocabulary: tuple[str, ...]
    rows: np.ndarray
    offsets: np.ndarray

    @classmethod
    def of(cls, texts: Sequence[str]) -> "Words":
        # The words the database sees in a normalised text: PostgreSQL's parser also splits at "_".
        if _prefix_match():
            texts = [text.replace("_", " ") for text in texts]
        per_row = [set(text.split()) for text in texts]
        index: dict[str, int] = {}
        count = sum(len(found) for found in per_row)
        codes = np.fromiter(
            (index.setdefault(word, len(index)) for found in per_row for word in found), dtype=np.int32, count=count
        )
        rows = np.repeat(np.arange(len(per_row), dtype=np.int32), [len(found) for found in per_row])
        return cls._from_pairs(tuple(index), codes, rows)

    @classmethod
    def _from_pairs(cls, vocabulary: tuple[str, ...], codes: np.ndarray, rows: np.ndarray) -> "Words":
        # Stable and run-aware: a catch-up's pairs are the held ones, already in order, and a few new ones.
        order = np.argsort(codes, kind="stable")
        offsets = np.zeros(len(vocabulary) + 1, dtype=np.int64)
        np.cumsum(np.bincount(codes, minlength=len(vocabulary)), out=offsets[1:])
        return cls(vocabulary, rows[order], offsets)

    def _codes(self) -> np.ndarray:
        """The word of each entry of ``rows``."""
        return np.repeat(np.arange(len(self.vocabulary), dtype=np.int32), np.diff(self.offsets))

    def caught_up(self, changed: "Words", targets: np.ndarray, replaced: np.ndarray) -> "Words":
        """These words without the ``replaced`` held rows (a mask), with ``changed``'s rows placed at ``targets``."""
        index = {word: code for code, word in enumerate(self.vocabulary)}
        translate = np.array([index.setdefault(word, len(index)) for word in changed.vocabulary], dtype=np.int32)
        codes, rows = self._codes(), self.rows
        if replaced.any():
            kept = ~replaced[rows]
            codes, rows = codes[kept], rows[kept]
        return Words._from_pairs(
            tuple(index),
            np.concatenate([codes, translate[changed._codes()]]),
            np.concatenate([rows, targets[changed.rows].astype(np.int32)]),
        )

    @cached_property
    def _joined(self) -> tuple[str, np.ndarray]:
        """The vocabulary as one text, a word a line, and where each word starts in it."""
        lengths = np.fromiter((len(word) + 1 for word in self.vocabulary), dtype=np.int64, count=len(self.vocabulary))
        return "\n".join(self.vocabulary), np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)

    @cached_property
    def _sorted(self) -> tuple[list[str], np.ndarray]:
        order = sorted(range(len(self.vocabulary)), key=self.vocabulary.__getitem__)
        return [self.vocabulary[code] for code in order], np.array(order, dtype=np.int64)

    def _containing(self, term: str) -> np.ndarray:
        joined, starts = self._joined
        found = [match.start() for match in re.finditer(re.escape(term), joined)]
        return np.unique(np.searchsorted(starts, found, side="right") - 1)

    def _starting_with(self, term: str) -> np.ndarray:
        ordered, order = self._sorted
        # Words starting with the term sort from the term up to the term with its last character the next one.
        after = term[:-1] + chr(ord(term[-1]) + 1)
        return order[bisect_left(ordered, term) : bisect_left(ordered, after)]

    def _rows_of(self, codes: np.ndarray, size: int) -> np.ndarray:
        mask = np.zeros(size, dtype=bool)
        for code in codes:
            mask[self.rows[self.offsets[code] : self.offsets[code + 1]]] = True
        return mask

    def matching(self, terms: list[str], size: int) -> np.ndarray | None:
        """Rows whose text holds every term, as the database would answer; None where it cannot tell alike.

        PostgreSQL reads a term with "_" as a phrase ("a_b:*" is 'a':* <-> 'b':*), which needs word positions.
        """
        prefix = _prefix_match()
        if prefix and any("_" in term for term in terms):
            return None
        mask = np.ones(size, dtype=bool)
        for term in terms:
            mask &= self._rows_of(self._starting_with(term) if prefix else self._containing(term), size)
        return mask
