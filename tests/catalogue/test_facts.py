"""The threshold fact registry: one declaration per fact, read by the model, the spreadsheet and the search."""

from django.db import models

from catalogue.facts import FACTS, SEARCH_FACTS
from catalogue.importing.rows import COLUMNS
from catalogue.models import OfferPage


def test_every_fact_is_a_yes_no_field_of_the_offer_named_after_it():
    """Each fact's model field is found by its name and carries the fact's label."""
    for fact in FACTS:
        field = OfferPage._meta.get_field(fact.field)
        assert isinstance(field, models.BooleanField)
        assert field.verbose_name == fact.label
        assert field.default is False


def test_every_fact_has_its_own_spreadsheet_column_asking_its_question():
    """The spreadsheet template asks each fact's question under the fact's own column."""
    columns = {column.name: column for column in COLUMNS}
    for fact in FACTS:
        assert columns[fact.column].field == fact.field
        assert fact.question in columns[fact.column].help


def test_names_are_unique_per_vocabulary():
    """No two facts share a field, a column, a search name or a UiTdatabank id."""
    for names in (
        [fact.field for fact in FACTS],
        [fact.column for fact in FACTS],
        [fact.search_name for fact in SEARCH_FACTS],
        [term for fact in FACTS for term in fact.uitdatabank_ids],
    ):
        assert len(names) == len(set(names))
