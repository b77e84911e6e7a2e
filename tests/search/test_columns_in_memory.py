"""The embedded engine's in-memory columns follow the committed index, whoever wrote it.

These tests commit (``transaction=True``), like web workers and the import worker do: one process
holds the columns, another writes, and the next search must see the write.
"""

from django.db import transaction

import pytest

from search.engines import columns
from search.engines.database import DatabaseEngine
from search.models import IndexState, RemovedDocument
from search.query import OfferQuery

from .cases import DOCUMENTS, make_document

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _ids(engine: DatabaseEngine, query: OfferQuery | None = None) -> set[int]:
    return {hit.id for hit in engine.search(query or OfferQuery(page_size=50)).hits}


@pytest.fixture
def engine() -> DatabaseEngine:
    engine = DatabaseEngine()
    engine.rebuild(DOCUMENTS, expected=len(DOCUMENTS))
    return engine


def test_a_search_shares_the_columns_of_the_committed_index(engine):
    _ids(engine)
    held = columns.current()
    assert columns.current() is held
    assert (held.lineage, held.generation) == columns.committed_state()


def test_a_write_elsewhere_is_caught_up_without_loading_everything(engine):
    _ids(engine)
    before = columns.current()
    engine.index_documents([make_document(40, domain="youth", themes=["circus"], organisation="nieuw")])
    after = columns.current()
    assert after.lineage == before.lineage and after.generation == before.generation + 1
    assert 40 in _ids(engine, OfferQuery(domains=("youth",), themes=("circus",), organisations=("nieuw",)))
    assert _ids(engine, OfferQuery(page_size=50)) == {1, 2, 3, 4, 5, 40}


def test_an_offer_moved_elsewhere_is_caught_up_in_its_new_areas_only(engine):
    """Gent's wijk Binnenstad: a new area code for the columns, which held only Antwerp's."""
    _ids(engine)
    gent = {"municipality": "44021", "deelgemeente": "44021A", "district": None, "wijk": "44021W01"}
    engine.index_documents([make_document(2, **gent, neighbourhood=None, neighbourhood_name="")])
    assert _ids(engine, OfferQuery(areas=("44021W01",))) == {2}
    assert _ids(engine, OfferQuery(areas=("11002",))) == {1, 3, 4, 5}
    areas = {value.value: value.count for value in engine.search(OfferQuery(page_size=50)).facets["areas"]}
    assert areas == {"11002": 4, "11002Z": 2, "11002T": 1, "11002R": 1, "44021": 1, "44021A": 1, "44021W01": 1}


def test_a_replaced_document_keeps_one_row(engine):
    _ids(engine)
    engine.index_documents([{**DOCUMENTS[1], "domain": "youth", "accessibility": []}])
    assert list(columns.current().ids).count(2) == 1
    assert 2 in _ids(engine, OfferQuery(domains=("youth",)))
    assert _ids(engine, OfferQuery(accessibility=("step_free",))) == {1, 4}


def test_a_removal_elsewhere_is_dropped_and_remembered(engine):
    _ids(engine)
    engine.remove_documents([1, 4, 999])
    assert set(RemovedDocument.objects.values_list("offer_id", flat=True)) == {1, 4}
    assert _ids(engine) == {2, 3, 5}
    engine.index_documents([DOCUMENTS[0]])
    assert _ids(engine) == {1, 2, 3, 5}
    assert not RemovedDocument.objects.filter(offer_id=1).exists()


def test_after_many_removals_the_columns_are_loaded_again_instead_of_carrying_dead_rows(engine):
    _ids(engine)
    engine.remove_documents([1, 2, 3])
    assert _ids(engine) == {4, 5}
    assert columns.current().size == len(DOCUMENTS) - 3


def test_removing_what_is_not_indexed_writes_nothing(engine):
    generation = columns.committed_state()[1]
    engine.remove_documents([999])
    assert columns.committed_state()[1] == generation


def test_a_rebuild_starts_a_new_lineage_and_is_loaded_again(engine):
    _ids(engine)
    lineage = columns.current().lineage
    engine.rebuild(DOCUMENTS[:2], expected=2)
    assert columns.committed_state()[0] != lineage
    assert _ids(engine) == {1, 2}
    assert not RemovedDocument.objects.exists()


def test_a_failed_rebuild_leaves_the_held_columns_valid(engine):
    _ids(engine)
    state = columns.committed_state()
    with pytest.raises(RuntimeError):
        engine.rebuild(DOCUMENTS[:2], expected=6)
    assert columns.committed_state() == state
    assert _ids(engine) == {1, 2, 3, 4, 5}


def test_uncommitted_writes_stay_private_to_their_transaction(engine):
    _ids(engine)
    held = columns.current()
    with transaction.atomic():
        engine.index_documents([make_document(41, domain="youth")])
        assert 41 in _ids(engine)
        transaction.set_rollback(True)
    assert columns.current() is held
    assert 41 not in _ids(engine)


def test_an_index_that_was_never_written_is_empty():
    IndexState.objects.all().delete()
    assert columns.committed_state() == (None, 0)
    assert _ids(DatabaseEngine()) == set()
