"""Demo catalogue: realistic, varied offers placed at random points inside real neighbourhoods, deelgemeenten or wijken.

Used by ``manage.py load_demo`` and by the benchmarks. The offers are fictional; the places
(districts, neighbourhoods, deelgemeenten, wijken, postal codes) are real. A seeded random generator keeps
every run the same.
"""

import random
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal

from shapely import Point
from shapely.geometry import shape

from .models import (
    Area,
    Availability,
    Commitment,
    Domain,
    DutchLevel,
    ExtraCostKind,
    Neighbourhood,
    OfferExtraCost,
    OfferTimeSlot,
    PriceUnit,
    ReducedTariff,
    Registration,
)

THEMES: dict[str, list[str]] = {
    Domain.SPORT: ["Zwemmen", "Voetbal", "Dans", "Vechtsport", "Wandelen", "Fitness", "Fietsen", "Yoga"],
    Domain.CULTURE: ["Theater", "Muziek", "Museum", "Lezen en schrijven", "Beeldende kunst", "Film", "Fotografie"],
    Domain.YOUTH: ["Speelpleinwerking", "Jeugdhuis", "Jeugdbeweging", "Huiswerk en spel"],
    Domain.OTHER: ["Koken", "Tuinieren", "Handwerk", "Digitale vaardigheden", "Samen op uitstap"],
}

LANGUAGES = [
    ("fr", "Frans"),
    ("en", "Engels"),
    ("ar", "Arabisch"),
    ("tr", "Turks"),
    ("pl", "Pools"),
    ("es", "Spaans"),
    ("ru", "Russisch"),
    ("so", "Somalisch"),
]

# (title, theme, summary); the summary is plain Dutch (B1).
ACTIVITIES: dict[str, list[tuple[str, str, str]]] = {
    Domain.SPORT: [
        (
            "Zwemmen voor beginners",
            "Zwemmen",
            "Je leert rustig zwemmen in een kleine groep. Een lesgever staat altijd bij je.",
        ),
        (
            "Voetbal op het pleintje",
            "Voetbal",
            "Elke week samen voetballen op het plein. Je hoeft niet goed te kunnen voetballen.",
        ),
        ("Zumba voor iedereen", "Dans", "Dansen op vrolijke muziek. Je doet mee zoals je kan, niemand kijkt naar jou."),
        (
            "Boksen voor jongeren",
            "Vechtsport",
            "Je traint je conditie en leert boksen zonder te vechten. De trainer let op veiligheid.",
        ),
        ("Wandelclub in het park", "Wandelen", "We wandelen samen een uur in het park en drinken daarna iets."),
        ("Fitness in de buurt", "Fitness", "Sporten met toestellen in een rustige zaal. Een coach legt alles uit."),
        (
            "Leren fietsen voor volwassenen",
            "Fietsen",
            "Je leert fietsen op een veilige plek. Je krijgt een fiets en een helm van ons.",
        ),
        ("Yoga voor vrouwen", "Yoga", "Rustige yoga in een groep met alleen vrouwen. Je brengt een handdoek mee."),
        ("Badminton op woensdag", "Fitness", "Samen badminton spelen. Rackets en pluimpjes zijn er."),
        (
            "Zwemmen met het hele gezin",
            "Zwemmen",
            "Het zwembad is open voor gezinnen. Er is een redder en een ondiep bad.",
        ),
    ],
    Domain.CULTURE: [
        (
            "Theater voor het hele gezin",
            "Theater",
            "Een vrolijke voorstelling voor kinderen en ouders. Je moet weinig Nederlands kennen.",
        ),
        (
            "Koor van de buurt",
            "Muziek",
            "Samen zingen, ook als je nog nooit gezongen hebt. We zingen liedjes uit veel landen.",
        ),
        (
            "Museumbezoek met gids",
            "Museum",
            "Een gids toont je het museum in eenvoudige taal. We drinken daarna samen koffie.",
        ),
        ("Schrijfatelier", "Lezen en schrijven", "Je schrijft korte verhalen over je eigen leven. Fouten maken mag."),
        ("Voorleesuurtje in de bib", "Lezen en schrijven", "Kinderen luisteren naar verhalen. Ouders mogen blijven."),
        ("Schilderen en tekenen", "Beeldende kunst", "Je maakt tekeningen en schilderijen. Al het materiaal is er."),
        ("Filmavond in het cultuurcentrum", "Film", "We kijken samen naar een film met ondertitels en praten erover."),
        ("Fotografie met je gsm", "Fotografie", "Je leert mooie foto's maken met je eigen gsm."),
        ("Muziekles voor kinderen", "Muziek", "Kinderen leren een instrument spelen in een kleine groep."),
        ("Dansatelier hiphop", "Muziek", "Jongeren leren hiphop dansen en tonen het op het einde van het jaar."),
    ],
    Domain.YOUTH: [
        (
            "Speelpleinwerking in de zomer",
            "Speelpleinwerking",
            "Kinderen spelen elke dag buiten met monitoren. Ze krijgen een vieruurtje.",
        ),
        ("Jeugdhuis open avond", "Jeugdhuis", "Jongeren komen samen om te praten, te gamen en muziek te maken."),
        (
            "Huiswerkklas met spel",
            "Huiswerk en spel",
            "Na school maak je je huiswerk met hulp. Daarna spelen we samen.",
        ),
        (
            "Chiro-namiddag voor nieuwe leden",
            "Jeugdbeweging",
            "Een namiddag spelen in het bos met de leiding. Je mag een vriend meebrengen.",
        ),
        ("Kookclub voor jongeren", "Jeugdhuis", "Jongeren koken samen een gezonde maaltijd en eten die samen op."),
        ("Pleinwerk in de wijk", "Speelpleinwerking", "Jeugdwerkers komen naar jouw plein met spelletjes en sport."),
    ],
    Domain.OTHER: [
        (
            "Moestuin in de buurt",
            "Tuinieren",
            "Samen groenten kweken in een buurttuin. Je neemt wat je oogst mee naar huis.",
        ),
        ("Repair café", "Handwerk", "Breng kapotte spullen mee. Vrijwilligers helpen je ze te herstellen."),
        ("Naaiatelier", "Handwerk", "Je leert kleren herstellen en naaien. Naaimachines zijn er."),
        (
            "Computerles voor beginners",
            "Digitale vaardigheden",
            "Je leert mailen, zoeken op internet en veilig online zijn.",
        ),
        ("Samen koken en eten", "Koken", "Elke week koken we samen een maaltijd uit een ander land."),
        (
            "Daguitstap naar zee",
            "Samen op uitstap",
            "Een dag naar zee met de bus. Je hoeft alleen een lunchpakket mee te brengen.",
        ),
    ],
}

POSTAL_CODES: dict[str, list[str]] = {
    "ANT": ["2000", "2018", "2060", "2020", "2050"],
    "BER": ["2600"],
    "BEZ": ["2040"],
    "BOR": ["2140"],
    "BRS": ["2150"],
    "DEU": ["2100"],
    "EKE": ["2180"],
    "HOB": ["2660"],
    "MER": ["2170"],
    "WIL": ["2610"],
}

STREETS = ["Kerkstraat", "Schoolstraat", "Dorpsstraat", "Statiestraat", "Parkstraat", "Molenstraat", "Kapelstraat"]
STOPS = ["tram 3", "tram 5", "tram 10", "tram 24", "bus 30", "bus 34", "bus 21", "tram 7", "bus 410"]
FIRST_NAMES = ["Fatima", "Jan", "Sara", "Mohamed", "Els", "Koen", "Nadia", "Tom", "Ayse", "Lies"]
# About 50 m: a demo point this far inside its deelgemeente or wijk lies in the same municipality by polygon.
PLACE_MARGIN = 0.0005
BRING = ["Sportkleren en een flesje water", "Niets, alles is er", "Een handdoek en zwemkledij", "Goede schoenen", ""]


@dataclass(frozen=True)
class DraftPlace:
    """Where a demo offer lies: a real area (an Antwerp neighbourhood, a deelgemeente or a wijk), the name its
    title carries, and the city, postal codes and public transport stops of that place."""

    area: Neighbourhood | Area
    name: str
    city: str
    postal_codes: tuple[str, ...]
    stops: tuple[str, ...]


def neighbourhood_place(neighbourhood: Neighbourhood) -> DraftPlace:
    return DraftPlace(
        area=neighbourhood,
        name=neighbourhood.name,
        city="Antwerpen",
        postal_codes=tuple(POSTAL_CODES[neighbourhood.district.code]),
        stops=tuple(STOPS),
    )


@dataclass
class OfferDraft:
    values: dict
    theme_names: list[str]
    language_codes: list[str]
    time_slots: list[OfferTimeSlot] = field(default_factory=list)
    extra_costs: list[OfferExtraCost] = field(default_factory=list)


def random_point_in(
    neighbourhood: Neighbourhood | Area, rng: random.Random, *, margin: float = 0.0
) -> tuple[float, float]:
    """A point strictly inside the area's polygon, as (latitude, longitude); with a margin (in degrees), at least
    that far from its edge, so that a polygon of another file drawn from the same sectors places it alike."""
    polygon = shape(neighbourhood.geometry)
    if margin:
        inner = polygon.buffer(-margin)
        polygon = inner if not inner.is_empty else polygon
    min_x, min_y, max_x, max_y = polygon.bounds
    for _attempt in range(1000):
        point = Point(rng.uniform(min_x, max_x), rng.uniform(min_y, max_y))
        if polygon.contains(point):
            return point.y, point.x
    return neighbourhood.centroid_latitude, neighbourhood.centroid_longitude


def _price(rng: random.Random, domain: str) -> dict:
    if rng.random() < 0.3:
        return {
            "list_price": Decimal("0"),
            "price_unit": PriceUnit.SESSION,
            "reduced_tariff": "",
            "reduced_price": None,
        }
    unit = rng.choice([PriceUnit.SESSION, PriceUnit.SESSION, PriceUnit.MONTH, PriceUnit.SEASON, PriceUnit.YEAR])
    base = {
        PriceUnit.SESSION: (2, 15),
        PriceUnit.MONTH: (10, 40),
        PriceUnit.SEASON: (40, 180),
        PriceUnit.YEAR: (60, 250),
    }[unit]
    list_price = Decimal(rng.randint(*base))
    values = {"list_price": list_price, "price_unit": unit, "reduced_tariff": "", "reduced_price": None}
    if rng.random() < 0.65:
        values["reduced_tariff"] = rng.choice(
            [ReducedTariff.UITPAS, ReducedTariff.UITPAS, ReducedTariff.SOCIAL, ReducedTariff.BOTH]
        )
        values["reduced_price"] = (list_price * Decimal("0.2")).quantize(Decimal("0.01"))
        values["reduced_price_who"] = "Mensen met een UiTPAS met kansenstatuut of een verhoogde tegemoetkoming."
    return values


def _places(number: int, values: dict) -> dict:
    """Whether there are places, from the number alone (the random draws stay as they were): most offers say
    places are left, some say nothing, and one in three with registration states its capacity and keeps a few
    places for referred clients (kansenplaatsen), at the reduced price or free."""
    if values["registration"] == Registration.REQUIRED and number % 3 == 1:
        return {
            "capacity": max(values["group_size_max"] or 15, 6),
            "reserved_places": 2 + number % 3,
            "reserved_price": values.get("reduced_price") or Decimal("0"),
            "reserved_until": values["end_date"],
        }
    return {"availability": Availability.UNKNOWN if number % 7 == 0 else Availability.AVAILABLE}


def offer_draft(
    *,
    number: int,
    domain: str,
    rng: random.Random,
    today: date,
    neighbourhood: Neighbourhood | None = None,
    place: DraftPlace | None = None,
) -> OfferDraft:
    """One offer's values, varied across every threshold group; dates count from today so the demo stays current.

    It lies in an Antwerp ``neighbourhood`` or in another real ``place``; a place's point keeps clear of its edge.
    """
    if place is None:
        place = neighbourhood_place(neighbourhood)
        margin = 0.0
    else:
        margin = PLACE_MARGIN
    title, theme, summary = rng.choice(ACTIVITIES[domain])
    latitude, longitude = random_point_in(place.area, rng, margin=margin)
    contact = rng.choice(FIRST_NAMES)
    youth = domain == Domain.YOUTH
    age_min = rng.choice([6, 8, 12, 14]) if youth else rng.choice([None, None, 16, 18, 55])
    age_max = (age_min + rng.choice([4, 6, 10])) if youth else (None if rng.random() < 0.8 else 99)
    step_free = rng.random() < 0.55
    start = today - timedelta(days=rng.randint(0, 120))
    permanent = rng.random() < 0.5
    values = {
        "title": f"{title} – {place.name}",
        "domain": domain,
        "plain_summary": summary,
        "first_visit": (
            f"{contact} wacht je op aan de ingang en stelt je voor aan de groep. De eerste keer mag je gewoon kijken."
        ),
        "age_min": age_min,
        "age_max": age_max,
        "for_families": rng.random() < 0.25,
        "for_groups": rng.random() < 0.15,
        **_price(rng, domain),
        "instalments": rng.random() < 0.3,
        "ocmw_participation_funds": rng.random() < 0.5,
        "free_trial": rng.random() < 0.45,
        "street_address": f"{rng.choice(STREETS)} {rng.randint(1, 180)}",
        "postal_code": rng.choice(place.postal_codes),
        "city": place.city,
        "latitude": latitude,
        "longitude": longitude,
        "public_transport_stop": f"{rng.choice(place.stops)}, halte {place.name}",
        "registration": rng.choice([Registration.REQUIRED, Registration.WALK_IN]),
        "childcare": rng.random() < 0.15,
        "what_to_bring": rng.choice(BRING),
        "commitment": rng.choice(list(Commitment.values)),
        "start_date": None if permanent else start,
        "end_date": None if permanent else start + timedelta(days=rng.choice([180, 270, 365])),
        "step_free": step_free,
        "adapted_toilet": step_free and rng.random() < 0.7,
        "lift": step_free and rng.random() < 0.4,
        "wheelchair_available": step_free and rng.random() < 0.2,
        "hearing_loop": rng.random() < 0.15,
        "sign_language": rng.random() < 0.05,
        "audio_description": rng.random() < 0.05,
        "simplified_information": rng.random() < 0.3,
        "low_stimulus": rng.random() < 0.15,
        "assistance_dogs": rng.random() < 0.4,
        "carer_free": rng.random() < 0.3,
        "quiet_space": rng.random() < 0.2,
        "welcome_contact_name": contact if rng.random() < 0.7 else "",
        "no_experience_needed": rng.random() < 0.7,
        "group_size_max": rng.choice([None, 8, 12, 15, 20, 30]),
        "welcome_women_only": "vrouwen" in title.lower(),
        "welcome_newcomers": rng.random() < 0.35,
        "welcome_seniors": rng.random() < 0.2,
        "welcome_families": rng.random() < 0.25,
        "dutch_level": rng.choice([DutchLevel.NONE, DutchLevel.NONE, DutchLevel.BASIC, DutchLevel.GOOD]),
        "pictograms": rng.random() < 0.25,
        "referral_contact_name": contact,
        "referral_contact_email": f"{contact.lower()}@partner.example",
        "referral_contact_phone": f"03 {rng.randint(200, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
        "last_confirmed": today - timedelta(days=rng.randint(0, 400)),
        "external_id": f"demo-{number:06d}",
    }
    values.update(_places(number, values))
    companion = rng.random() < 0.5
    values["companion_welcome"] = companion
    values["companion_free"] = companion and rng.random() < 0.6
    day = rng.randint(0, 6)
    hour = rng.randint(9, 19)
    slots = [OfferTimeSlot(weekday=day, start_time=time(hour, 0), end_time=time(hour + rng.choice([1, 2]), 0))]
    if rng.random() < 0.3:
        slots.append(OfferTimeSlot(weekday=(day + 3) % 7, start_time=time(hour, 30), end_time=time(hour + 1, 30)))
    extras = []
    if rng.random() < 0.35:
        extras.append(
            OfferExtraCost(
                kind=rng.choice(list(ExtraCostKind.values)),
                amount=Decimal(rng.randint(3, 40)),
                required=rng.random() < 0.6,
                description="",
            )
        )
    languages = rng.sample([code for code, _name in LANGUAGES], k=rng.choice([0, 0, 1, 2]))
    return OfferDraft(
        values=values, theme_names=[theme], language_codes=languages, time_slots=slots, extra_costs=extras
    )
