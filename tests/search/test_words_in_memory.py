"""The words held in memory match exactly what the database's text table matches, on either database."""

import random

import numpy as np
import pytest

from search.engines import columns
from search.engines.columns import from_rows
from search.engines.database import DatabaseEngine
from search.engines.words import matching_ids
from search.query import OfferQuery
from search.text import normalise, query_terms

from .cases import make_document
from .test_columns_counts import _row

pytestmark = pytest.mark.django_db

PHRASES = [
    "Zwemmen voor het hele gezin in het Sportoase zwembad",
    "Zaalvoetbalclub De Speelpleinwerking zoekt spelers",
    "Speelplein in de zomer: kinderen spelen buiten",
    "Crèche Één, café en naïeve reünie met überleuke coördinatie",
    "Søren's straße-feest met æbleskiver en Ærø",
    "Huiswerkbegeleiding 2026 voor 6-12 jarigen, lokaal 3B en 12a",
    "Yoga voor vrouwen 50+ en meditatie in de moskee",
    "Naailes: kleding herstellen, stof kiezen, patronen tekenen",
    "Computerles voor senioren: e-mail, internet en smartphone",
    "Koken samen in het buurthuis, daarna samen eten",
    "Boksen en kickboksen voor jongeren vanaf 14 jaar",
    "Theatervoorstelling en filmvertoning in cultuurcentrum De Kern",
    "Moestuin en volkstuintjes, groenten kweken in de stad",
    "Koor en zanggroep: zingen in het Nederlands, Frans en Arabisch مرحبا",
    "Fietsen leren voor volwassenen, fietsles op het plein",
    "Schilderen en tekenen in het atelier, ook aquarel",
    "Dansen: hiphop, salsa en volksdans voor iedereen",
    "Jeugdhuis 't Ros, open op woensdag en zaterdag",
    "foo_bar en een_twee met liggende streepjes",
]
QUERY_WORDS = [
    "zwemmen",
    "zwem",
    "voetbal",
    "speelplein",
    "speelpleinwerking",
    "creche",
    "één",
    "cafe",
    "reunie",
    "über",
    "coordinatie",
    "søren",
    "straße",
    "ærø",
    "2026",
    "202",
    "12a",
    "3b",
    "jarigen",
    "yoga",
    "vrouwen",
    "naailes",
    "kleding",
    "computerles",
    "smartphone",
    "koken",
    "samen",
    "buurthuis",
    "boksen",
    "kickboks",
    "theater",
    "film",
    "moestuin",
    "tuin",
    "groent",
    "koor",
    "zingen",
    "arabisch",
    "مرحبا",
    "fiets",
    "schilder",
    "dans",
    "hiphop",
    "jeugdhuis",
    "ros",
    "woensdag",
    "aquarel",
    "foo_bar",
    "bar",
    "een_twee",
    "twee",
    "ele",
    "eer",
    "xyz",
    "plein",
    "werking",
    "ster",
]
# Substrings across a word boundary of the texts ("het hele" -> "thel"): never a match.
ACROSS_WORDS = ["thel", "npleinwerking", "dezomer", "ensamen", "voorhet", "ogavoor"]


@pytest.fixture
def held() -> columns.Columns:
    rng = random.Random(6)
    documents = []
    for pk in range(1, 301):
        picked = rng.sample(PHRASES, 3)
        documents.append(make_document(pk, title=picked[0], summary=picked[1], description=picked[2]))
    DatabaseEngine().index_documents(documents)
    return columns.current()


def _memory_ids(held: columns.Columns, terms: list[str]) -> set[int]:
    mask = held.words.matching(terms, held.size)
    assert mask is not None
    return set(held.ids[mask & held.alive].tolist())


def _terms(held: columns.Columns) -> list[list[str]]:
    """Each query word's terms; each vocabulary word, its prefixes and inner parts; the terms across words."""
    single = {term for word in QUERY_WORDS for term in query_terms(word)} | set(ACROSS_WORDS)
    for word in held.words.vocabulary:
        single |= {word, word[:3], word[1:4], word[-3:], word[: max(3, len(word) - 1)]}
    single = {term for term in single if len(term) >= 3}
    pairs = [query_terms(f"{left} {right}") for left, right in zip(QUERY_WORDS, QUERY_WORDS[7:], strict=False)]
    return [[term] for term in sorted(single)] + pairs


def test_the_words_in_memory_match_what_the_database_matches(held):
    compared = 0
    for terms in _terms(held):
        if held.words.matching(terms, held.size) is None:
            continue  # PostgreSQL's phrase of "a_b": the database answers it
        assert _memory_ids(held, terms) == set(matching_ids(terms).tolist()), terms
        compared += 1
    assert compared > 300


def test_a_term_across_two_words_matches_nothing(held):
    texts = " ".join(held.words.vocabulary)
    for term in ACROSS_WORDS:
        assert term not in texts
        assert not _memory_ids(held, [term])
        assert not len(matching_ids([term]))


def test_replaced_and_removed_documents_match_their_words_only(held):
    engine = DatabaseEngine()
    engine.index_documents([make_document(1, title="Trampoline springen", summary="", description="")])
    engine.remove_documents([2])
    after = columns.current()
    for terms in (["trampolin"], ["zwem"], ["speelplein"], ["dans"]):
        assert _memory_ids(after, terms) == set(matching_ids(terms).tolist())
    assert _memory_ids(after, ["trampolin"]) == {1}
    assert not np.isin([2], after.ids[after.words.matching(["ros"], after.size)]).any()


def test_a_search_with_words_finds_what_the_database_finds(held):
    engine = DatabaseEngine()
    for text in ("zwemmen", "speelplein samen", "foo_bar", "Crèche reünie", "2026"):
        result = engine.search(OfferQuery(text=text, page_size=1))
        assert result.total == len(matching_ids(query_terms(text))), text


def test_a_catch_up_holds_the_words_a_fresh_load_holds():
    """Rewritten, removed and added rows: the caught-up words match as those loaded from the final rows."""
    rng = random.Random(3)

    def rows(ids: range) -> list[tuple]:
        return [_row(pk, "", text=normalise(" ".join(rng.sample(PHRASES, 2)))) for pk in ids]

    before, changed = rows(range(1, 41)), rows(range(30, 51))
    removed = [3, 4, 5, 12]
    caught_up = from_rows(before, lineage=None, generation=1).caught_up(
        from_rows(changed, lineage=None, generation=2), removed, generation=2
    )
    final = {row[0]: row for row in before + changed if row[0] not in removed}
    fresh = from_rows(list(final.values()), lineage=None, generation=2)
    for terms in filter(None, map(query_terms, QUERY_WORDS)):
        found, expected = caught_up.words.matching(terms, caught_up.size), fresh.words.matching(terms, fresh.size)
        if expected is None:
            continue
        assert set(caught_up.ids[found & caught_up.alive]) == set(fresh.ids[expected]), terms
        assert not (found & ~caught_up.alive).any()
