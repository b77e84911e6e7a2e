"""The offer index in Elasticsearch: Dutch analysis, an explicit mapping, index names and the stored source.

The mapping follows ``search.documents.offer_documents`` field by field. Facet fields are
keywords, costs are scaled floats in cents, and the texts go through a Dutch analyzer that folds
accents, stems and splits compound words, so "voetbal" finds "zaalvoetbal" and "voetbalclub".
"""

from datetime import date, datetime
from decimal import Decimal

from django.conf import settings

from elasticsearch.dsl import (
    Boolean,
    Byte,
    Date,
    Document,
    GeoPoint,
    Index,
    Integer,
    Keyword,
    MetaField,
    Object,
    ScaledFloat,
    Text,
    analyzer,
    normalizer,
    token_filter,
)

# Dutch leisure words that start or end compounds ("zaalvoetbal", "zwemles", "buurtatelier").
# Lower case and without accents: the decompounder runs after lowercase and asciifolding.
# https://www.elastic.co/guide/en/elasticsearch/reference/8.19/analysis-dict-decomp-tokenfilter.html
COMPOUND_WORDS: tuple[str, ...] = (
    # sport and movement
    "voetbal", "basketbal", "volleybal", "handbal", "korfbal", "hockey", "tennis", "badminton",
    "zwem", "dans", "ballet", "turn", "gym", "yoga", "fitness", "sport", "atletiek", "loop",
    "wandel", "fiets", "klim", "judo", "karate", "box", "schaak", "petanque", "zaal", "bad",
    # culture and making
    "kunst", "muziek", "zang", "koor", "theater", "toneel", "film", "foto", "teken", "schilder",
    "atelier", "naai", "brei", "knutsel", "lees", "boek", "verhaal", "circus", "museum",
    # learning, food and nature
    "les", "cursus", "workshop", "taal", "computer", "kook", "bak", "tuin", "natuur",
    # who, where and when
    "club", "jeugd", "kinder", "kind", "tiener", "senior", "gezin", "vrouw", "buurt",
    "wijk", "huis", "school", "werk", "speel", "spel", "plein", "park", "kamp", "vakantie",
    "ontmoeting", "groep", "namiddag", "avond", "weekend",
)  # fmt: skip

dutch_stemmer = token_filter("dutch_stemmer", "stemmer", language="dutch")
dutch_compounds = token_filter(
    "dutch_compounds",
    "dictionary_decompounder",
    word_list=list(COMPOUND_WORDS),
    min_subword_size=3,
    only_longest_match=False,
)
# Compounds are split when indexing only: a search for "voetbalclub" then asks for that word
# (which the index holds whole as well as split), not for any offer that mentions "club".
dutch_index = analyzer(
    "dutch_index",
    tokenizer="standard",
    filter=["lowercase", "asciifolding", dutch_compounds, dutch_stemmer],
)
dutch_search = analyzer(
    "dutch_search",
    tokenizer="standard",
    filter=["lowercase", "asciifolding", dutch_stemmer],
)
sort_normalizer = normalizer("sort_normalizer", filter=["lowercase", "asciifolding"])


def dutch_text(**kwargs) -> Text:
    return Text(analyzer=dutch_index, search_analyzer=dutch_search, **kwargs)


def money() -> ScaledFloat:
    """Euro amounts, stored in cents so ranges and sorting are exact."""
    return ScaledFloat(scaling_factor=100)


class OfferDocument(Document):
    """The mapping of ``offer_documents``; fields outside it are kept in _source but not indexed."""

    id = Integer()
    title = dutch_text(fields={"sort": Keyword(normalizer=sort_normalizer)})
    url = Keyword(index=False)
    summary = dutch_text()
    description = dutch_text()
    organisation = Keyword()
    organisation_name = dutch_text()
    domain = Keyword()
    themes = Keyword()
    theme_names = dutch_text()
    # The area at each level; the area filter and its facet use ``areas``, which holds them all.
    municipality = Keyword()
    municipality_name = Keyword(index=False)
    deelgemeente = Keyword()
    district = Keyword()
    district_name = Keyword(index=False)
    wijk = Keyword()
    neighbourhood = Keyword()
    neighbourhood_name = dutch_text()
    areas = Keyword()
    networks = Keyword()
    location = GeoPoint()
    cost_regular = money()
    cost_uitpas = money()
    cost_social = money()
    cost_all = money()
    list_price = money()
    price_unit = Keyword()
    is_free = Boolean()
    costs_extra = Boolean(index=False)
    age_min = Integer()
    age_max = Integer()
    dutch_level = Byte()
    availability = Keyword()
    languages = Keyword()
    accessibility = Keyword()
    facts = Keyword()
    # Fully booked: the result list says so; "place free" is searched as a fact.
    full = Boolean(index=False)
    weekdays = Byte()
    parts_of_day = Keyword()
    slots = Keyword()
    schedule = Object(enabled=False)
    start_date = Date()
    end_date = Date()
    published_at = Date()
    last_confirmed = Date()
    # The live revision the document was built from: the reconciliation compares it, nothing searches it.
    revision = Integer(index=False)

    class Meta:
        dynamic = MetaField(False)


def alias_name() -> str:
    """The name searches and updates use; it always points at one complete concrete index."""
    return f"{getattr(settings, 'ELASTICSEARCH_INDEX_PREFIX', 'vrijetijdsnet_')}offers"


def concrete_index_name(alias: str, moment: datetime) -> str:
    """``<alias>_<UTC timestamp>``, ordered by creation when sorted as text."""
    return f"{alias}_{moment:%Y%m%d%H%M%S%f}"


def offers_index(name: str) -> Index:
    """A concrete offer index with our analysis settings and mapping, not yet created."""
    index = Index(name)
    # One shard: the catalogue is small, and one shard keeps relevance scores comparable.
    index.settings(number_of_shards=1)
    index.document(OfferDocument)
    return index


def index_body(name: str) -> dict:
    """The settings and mappings sent when creating an index, as a plain dict."""
    return offers_index(name).to_dict()


def to_source(document: dict) -> dict:
    """What Elasticsearch stores of a document: all of it but the embedded engine's pre-normalised text.

    Decimals become numbers and dates ISO strings, so ``build_hit`` reads back what it wrote.
    """
    return {key: _jsonable(value) for key, value in document.items() if key not in ("text", "title_text")}


def _jsonable(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    return value
