"""Dutch text normalisation for the embedded engine: accent folding and Snowball stemming.

Indexed text and query terms go through the same function, so "zwemmen", "Zwemmers" and
"zwèm" meet on one stem, and a term matches inside a compound ("voetbal" in "zaalvoetbalclub")
because the engines match stems as substrings (SQLite FTS5 trigram) or prefixes (PostgreSQL).
"""

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

_stemmer = snowballstemmer.stemmer("dutch")
_WORD = re.compile(r"[\w]+", re.UNICODE)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# Terms shorter than this carry no meaning for a search and cannot use a trigram index.
MIN_TERM_LENGTH = 3


def _drop_combining(match: re.Match) -> str:
    return "" if unicodedata.combining(match.group()) else match.group()


def fold(text: str) -> str:
    """Lower case without accents: 'Crèche Één' becomes 'creche een'."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    # Only characters outside ASCII can be accents; a reindex folds millions of characters.
    return _NON_ASCII.sub(_drop_combining, decomposed)


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def normalise(text: str) -> str:
    """Indexed form: every word and its stem, so exact words and their inflections both match."""
    tokens = []
    for word in words(text):
        stemmed = stem(word)
        tokens.append(word if stemmed == word else f"{word} {stemmed}")
    return " ".join(tokens)


def query_terms(text: str) -> list[str]:
    """Stems of the words a person typed, long enough to search on, without duplicates."""
    terms: list[str] = []
    for word in words(text):
        stemmed = stem(word)
        if len(stemmed) >= MIN_TERM_LENGTH and stemmed not in terms:
            terms.append(stemmed)
    return terms


def search_words(text: str) -> list[str]:
    """The words worth searching on; like the embedded engine, words with a stem under three letters are left out."""
    return [word for word in words(text) if len(stem(word)) >= MIN_TERM_LENGTH]
