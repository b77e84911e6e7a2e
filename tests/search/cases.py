"""Search cases shared by every engine: hand-made documents and queries with the exact ids expected.

Each engine's test module indexes ``DOCUMENTS`` its own way and runs ``FILTER_CASES``; the sets must
be identical, which is how "both engines give the same sets" is checked.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from search.query import GeoPoint, OfferQuery, Sort
from search.text import normalise

CENTRAAL = GeoPoint(51.2172, 4.4211)  # Antwerpen-Centraal


def make_document(id: int, **overrides) -> dict:
    """A document shaped like ``offer_documents``' output, without a database."""
    today = timezone.localdate()
    document = {
        "id": id,
        "title": f"Aanbod {id}",
        "url": f"/partners/test/aanbod-{id}/",
        "summary": "Een activiteit in de buurt.",
        "description": "",
        "organisation": "buurtwerk-a",
        "organisation_name": "Buurtwerk A",
        "domain": "sport",
        "themes": [],
        "theme_names": [],
        "municipality": "11002",  # Antwerpen
        "municipality_name": "Antwerpen",
        "deelgemeente": "11002Z",  # Antwerpen (Dg.)
        "district": "ANT",
        "district_name": "Antwerpen",
        "wijk": None,
        "neighbourhood": "ANT03",
        "neighbourhood_name": "Centraal station",
        # Municipality Antwerpen, deelgemeente Antwerpen (Dg.), district, neighbourhood (search.documents.AREA_CODES).
        "areas": ["11002", "11002Z", "ANT", "ANT03"],
        "networks": [],
        "location": {"lat": CENTRAAL.latitude, "lon": CENTRAAL.longitude},
        "cost_regular": Decimal("10"),
        "cost_uitpas": Decimal("10"),
        "cost_social": Decimal("10"),
        "cost_all": Decimal("10"),
        "list_price": Decimal("10"),
        "price_unit": "session",
        "is_free": False,
        "costs_extra": False,
        "age_min": 0,
        "age_max": 120,
        "dutch_level": 0,
        "availability": "available",
        "languages": [],
        "accessibility": [],
        "facts": [],
        "full": False,
        "weekdays": [2],
        "parts_of_day": ["afternoon"],
        "slots": ["2-afternoon"],
        "schedule": [{"weekday": 2, "start": "14:00", "end": "16:00"}],
        "start_date": None,
        "end_date": None,
        "published_at": timezone.make_aware(datetime(2026, 1, 1)) + timedelta(days=id),
        "last_confirmed": today,
        "revision": id,
    }
    document.update(overrides)
    # Every level's code, from municipality down to neighbourhood, as search.documents gives them.
    levels = ("municipality", "deelgemeente", "district", "wijk", "neighbourhood")
    document["areas"] = [document[level] for level in levels if document[level]]
    document["text"] = normalise(
        " ".join([document["title"], document["summary"], document["description"], document["neighbourhood_name"]])
        + " "
        + " ".join(document["theme_names"])
    )
    document["title_text"] = normalise(document["title"])
    return document


def _costs(regular: str, uitpas: str | None = None, social: str | None = None) -> dict:
    regular_d = Decimal(regular)
    uitpas_d = Decimal(uitpas) if uitpas is not None else regular_d
    social_d = Decimal(social) if social is not None else regular_d
    return {
        "cost_regular": regular_d,
        "cost_uitpas": uitpas_d,
        "cost_social": social_d,
        "cost_all": min(uitpas_d, social_d),
        "list_price": regular_d,
        "is_free": regular_d == 0,
    }


DOCUMENTS: list[dict] = [
    make_document(
        1,
        title="Voetbalclub De Kiel",
        summary="Voetballen op zaterdag voor jongeren.",
        domain="sport",
        themes=["voetbal"],
        theme_names=["Voetbal"],
        neighbourhood="ANT10",
        neighbourhood_name="Kiel",
        location={"lat": 51.1935, "lon": 4.3875},
        organisation="zwem-en-sportclub",
        organisation_name="Zwem- en sportclub",
        age_min=12,
        age_max=18,
        weekdays=[5],
        parts_of_day=["morning"],
        slots=["5-morning"],
        schedule=[{"weekday": 5, "start": "10:00", "end": "12:00"}],
        accessibility=["step_free", "adapted_toilet"],
        facts=["walk_in", "free_trial"],
        **_costs("60", uitpas="12"),
    ),
    make_document(
        2,
        title="Zwemmen voor beginners",
        summary="Rustig leren zwemmen in een kleine groep.",
        domain="sport",
        themes=["zwemmen"],
        theme_names=["Zwemmen"],
        accessibility=["step_free", "hearing_loop"],
        facts=["companion_welcome", "companion_free"],
        dutch_level=1,
        languages=["fr", "ar"],
        **_costs("5", social="1"),
    ),
    make_document(
        3,
        title="Theater voor het hele gezin",
        summary="Een vrolijke voorstelling.",
        domain="culture",
        themes=["theater"],
        theme_names=["Theater"],
        district="BER",
        district_name="Berchem",
        neighbourhood="BER04",
        neighbourhood_name="Oud-Berchem",
        deelgemeente="11002T",  # Berchem
        location={"lat": 51.1993, "lon": 4.4325},
        weekdays=[6],
        parts_of_day=["evening"],
        slots=["6-evening"],
        schedule=[{"weekday": 6, "start": "19:00", "end": "21:00"}],
        facts=["families"],
        **_costs("0"),
    ),
    make_document(
        4,
        title="Zaalvoetbal in Deurne",
        summary="Sporten in de zaal.",
        domain="sport",
        themes=["voetbal"],
        theme_names=["Voetbal"],
        district="DEU",
        district_name="Deurne",
        neighbourhood="DEU05",
        neighbourhood_name="Zuidwest",
        deelgemeente="11002R",  # Deurne
        location={"lat": 51.2100, "lon": 4.4600},
        dutch_level=2,
        weekdays=[2, 4],
        parts_of_day=["evening"],
        slots=["2-evening", "4-evening"],
        schedule=[{"weekday": 2, "start": "19:00", "end": "20:00"}, {"weekday": 4, "start": "19:00", "end": "20:00"}],
        accessibility=["step_free", "adapted_toilet", "hearing_loop"],
        organisation="sportdienst",
        organisation_name="Sportdienst",
        **_costs("25", uitpas="5", social="5"),
    ),
    make_document(
        5,
        title="Jeugdhuis open avond",
        summary="Gamen en muziek maken.",
        domain="youth",
        themes=["jeugdhuis"],
        theme_names=["Jeugdhuis"],
        age_min=14,
        age_max=25,
        languages=["fr"],
        facts=["walk_in", "welcome_contact"],
        last_confirmed=timezone.localdate() - timedelta(days=700),
        **_costs("2"),
    ),
    make_document(
        6,
        title="Afgelopen schrijfatelier",
        summary="Dit atelier is voorbij.",
        domain="culture",
        start_date=date(2020, 1, 1),
        end_date=date(2020, 6, 1),
        **_costs("0"),
    ),
]


@dataclass(frozen=True)
class Case:
    name: str
    query: OfferQuery
    expected: set[int]


FILTER_CASES: list[Case] = [
    Case("everything current, the ended offer left out", OfferQuery(page_size=50), {1, 2, 3, 4, 5}),
    Case("at most 5 euro at the regular price", OfferQuery(max_cost=Decimal("5")), {2, 3, 5}),
    Case("at most 5 euro with UiTPAS", OfferQuery(max_cost=Decimal("5"), has_uitpas=True), {2, 3, 4, 5}),
    Case("at most 1 euro with a social tariff", OfferQuery(max_cost=Decimal("1"), social_tariff=True), {2, 3}),
    Case(
        "at most 12 euro with UiTPAS and social tariff",
        OfferQuery(max_cost=Decimal("12"), has_uitpas=True, social_tariff=True),
        {1, 2, 3, 4, 5},
    ),
    Case("free only", OfferQuery(free_only=True), {3}),
    Case(
        "confirmed within the last 180 days",
        OfferQuery(confirmed_since=timezone.localdate() - timedelta(days=180)),
        {1, 2, 3, 4},
    ),
    Case("step-free", OfferQuery(accessibility=("step_free",)), {1, 2, 4}),
    Case("step-free and hearing loop, both", OfferQuery(accessibility=("step_free", "hearing_loop")), {2, 4}),
    Case("walk-in and free trial, both", OfferQuery(facts=("walk_in", "free_trial")), {1}),
    Case("sport or culture", OfferQuery(domains=("sport", "culture")), {1, 2, 3, 4}),
    Case("district Berchem or Deurne", OfferQuery(districts=("BER", "DEU")), {3, 4}),
    Case("neighbourhood Kiel", OfferQuery(neighbourhoods=("ANT10",)), {1}),
    Case("area: municipality Antwerpen", OfferQuery(areas=("11002",)), {1, 2, 3, 4, 5}),
    Case("area: deelgemeente Berchem or Deurne", OfferQuery(areas=("11002T", "11002R")), {3, 4}),
    Case("area: district Berchem", OfferQuery(areas=("BER",)), {3}),
    Case("area: neighbourhood Kiel", OfferQuery(areas=("ANT10",)), {1}),
    Case("area: a municipality and a neighbourhood of another", OfferQuery(areas=("44021", "DEU05")), {4}),
    Case("area: Gent holds none of them", OfferQuery(areas=("44021",)), set()),
    Case("theme voetbal", OfferQuery(themes=("voetbal",)), {1, 4}),
    Case("French spoken", OfferQuery(languages=("fr",)), {2, 5}),
    Case("organiser", OfferQuery(organisations=("sportdienst",)), {4}),
    Case("age 15", OfferQuery(age=15), {1, 2, 3, 4, 5}),
    Case("age 10", OfferQuery(age=10), {2, 3, 4}),
    Case("age 20", OfferQuery(age=20), {2, 3, 4, 5}),
    Case("Wednesday", OfferQuery(weekdays=(2,)), {2, 4, 5}),
    Case("evening", OfferQuery(parts_of_day=("evening",)), {3, 4}),
    Case("Wednesday evening", OfferQuery(weekdays=(2,), parts_of_day=("evening",)), {4}),
    Case("Saturday or Sunday afternoon", OfferQuery(weekdays=(5, 6), parts_of_day=("afternoon",)), set()),
    Case("client speaks no Dutch", OfferQuery(dutch_level=0), {1, 3, 5}),
    Case("client speaks basic Dutch", OfferQuery(dutch_level=1), {1, 2, 3, 5}),
    Case("within 1 km of Centraal", OfferQuery(near=CENTRAAL, within_km=1), {2, 5}),
    Case("within 3 km of Centraal", OfferQuery(near=CENTRAAL, within_km=3), {2, 3, 4, 5}),
    Case("text 'voetbal' finds 'voetbalclub' and 'zaalvoetbal'", OfferQuery(text="voetbal"), {1, 4}),
    Case("text 'zwem' finds 'zwemmen' through the stem", OfferQuery(text="zwem"), {2}),
    Case("text with accents folded", OfferQuery(text="théâter"), {3}),
    Case("text 'zwemmen' leaves out the swimming club's football", OfferQuery(text="zwemmen"), {2}),
    Case("an organiser's name is not among the words", OfferQuery(text="sportdienst"), set()),
    Case("the neighbourhood's name is among the words", OfferQuery(text="berchem"), {3}),
    Case(
        "everything at once",
        OfferQuery(max_cost=Decimal("5"), has_uitpas=True, accessibility=("step_free",), domains=("sport",), age=16),
        {2, 4},
    ),
]

ORDER_CASES: list[tuple[str, OfferQuery, list[int]]] = [
    ("nearest first", OfferQuery(near=CENTRAAL, sort=Sort.DISTANCE), [2, 5, 3, 4, 1]),
    ("cheapest first for a UiTPAS client", OfferQuery(has_uitpas=True, sort=Sort.COST), [3, 5, 2, 4, 1]),
    ("newest first", OfferQuery(sort=Sort.NEWEST), [5, 4, 3, 2, 1]),
]
