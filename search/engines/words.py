"""The words of each offer, for the embedded engine: one narrow table per database, matched in SQL."""

from django.db import connection

import numpy as np

# The words of each offer, in a narrow table per database (migration 0005): SQLite FTS5 with
# trigrams, PostgreSQL a tsvector with a GIN index. "match" gives the matching ids as one text
# ("3,17,42"): handing over a row per match cost SQLite twice what finding them did. "insert"
# copies the words of the documents written at one generation.
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
    """Offers whose text holds every term: as a substring of a word on SQLite (trigram), a word prefix on PostgreSQL."""
    # The SQL is constant; the terms travel as a parameter and hold only word characters (search.text).
    if connection.vendor == "sqlite":
        parameter = " AND ".join(f'"{term}"' for term in terms)
    else:
        parameter = " & ".join(f"{term}:*" for term in terms)
    with connection.cursor() as cursor:
        cursor.execute(TEXT_SQL[connection.vendor]["match"], [parameter])
        (found,) = cursor.fetchone()
    return np.fromstring(found, dtype=np.int64, sep=",") if found else np.empty(0, dtype=np.int64)
