"""The demo's networks beyond Antwerp: Gent (25 wijken), Wervik (two deelgemeenten) and the Meetjesland (four
municipalities around Eeklo), each on its own host, with its partners, logins and texts (Dutch, plain language).

The places are real (NIS codes of the 2025 boundary files in ../shared/data); the organisations are not.
"""

from dataclasses import dataclass
from datetime import date

from catalogue.models import Domain
from organisations.models import NetworkKind, OrganisationKind, SubAreaLevel
from organisations.roles import Role

from . import demo_content as content
from .demo_content import section

# The port ``make run`` serves on: the demo's sites say it, so a link from one network's site to another's works.
DEMO_PORT = 8000
ANTWERPEN_HOST = "antwerpen.localhost"


@dataclass(frozen=True)
class DemoOrganisation:
    name: str
    kind: str
    domains: tuple[str, ...]
    offers: int  # in the network that lists it
    phone: str
    city: str


@dataclass(frozen=True)
class DemoNetwork:
    name: str
    slug: str
    kind: str
    hostname: str
    municipalities: tuple[str, ...]  # NIS codes
    sub_area_level: str
    sub_areas: tuple[str, ...]  # the codes of the deelgemeenten or wijken its offers lie in, in turn
    stops: tuple[str, ...]
    home: dict
    directory_intro: str
    texts: content.NetworkTexts
    organisations: tuple[DemoOrganisation, ...]
    mediation_team: str
    first_number: int  # its offers' external ids count on from here, apart from every other network's
    # Partners whose offers here are for the whole region: each name with the networks they are also offered to.
    offered_beyond: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def url(self) -> str:
        return f"http://{self.hostname}:{DEMO_PORT}/"


@dataclass(frozen=True)
class NetworkUser:
    username: str
    password: str
    role: str
    organisation: str
    network: str  # slug


# A deelgemeente's postal code (bpost), for the address of a demo offer that lies in it.
POSTAL_CODES = {
    "44021Z": "9000",  # Gent
    "44021L": "9030",  # Mariakerke
    "44021K": "9031",  # Drongen
    "44021M": "9032",  # Wondelgem
    "44021E": "9040",  # Sint-Amandsberg
    "44021V": "9041",  # Oostakker
    "44021W": "9042",  # Desteldonk
    "44021X": "9042",  # Mendonk
    "44021Y": "9042",  # Sint-Kruis-Winkel
    "44021F": "9050",  # Gentbrugge
    "44021G": "9050",  # Ledeberg
    "44021T": "9051",  # Afsnee
    "44021U": "9051",  # Sint-Denijs-Westrem
    "44021H": "9052",  # Zwijnaarde
    "33029A": "8940",  # Wervik
    "33029B": "8940",  # Geluwe
    "43005A": "9900",  # Eeklo
    "43007A": "9970",  # Kaprijke
    "43007B": "9971",  # Lembeke
    "43010A": "9990",  # Maldegem
    "43010C": "9991",  # Adegem
    "43010B": "9992",  # Middelburg
    "43014A": "9980",  # Sint-Laureins
    "43014B": "9981",  # Sint-Margriete
    "43014C": "9982",  # Sint-Jan-in-Eremo
    "43014D": "9988",  # Waterland-Oudeman
    "43014E": "9988",  # Watervliet
}

CAW = DemoOrganisation(
    "CAW Oost-Vlaanderen (demo)", OrganisationKind.SOCIAL_ORGANISATION, (Domain.OTHER,), 1, "09 000 00 01", "Gent"
)


def _vision_note(*, place: str, partners: str, mediators: str, why: str) -> tuple[dict, tuple[dict, ...]]:
    note = {
        "title": "Visienota",
        "slug": "visienota",
        "intro": (
            f"Waarom werken we samen, en hoe? In deze visienota staat wat de partners van het netwerk in {place} "
            "samen beloven: iedereen moet kunnen sporten, cultuur beleven en meedoen, ook wie weinig geld heeft."
        ),
    }
    version = {
        "version": "2026.1",
        "approved_on": date(2026, 3, 15),
        "sections": [
            section("Waarom dit netwerk bestaat", f"<p>{why}</p>"),
            section(
                "Toeleiding: samen de eerste stap zetten",
                f"<p>{mediators} luisteren eerst: wat wil iemand graag doen, wat kan hij of zij betalen, wat maakt "
                "het moeilijk? Daarna zoeken ze samen een activiteit, en wie dat wil, krijgt iemand mee bij het "
                "eerste bezoek.</p>",
            ),
            section(
                "Drempels wegwerken",
                "<p>Elke partner beschrijft bij zijn aanbod eerlijk en in klare taal wat het kost, hoe je er "
                "geraakt, hoeveel Nederlands je nodig hebt en wie je de eerste keer ontvangt.</p>",
            ),
            section(
                "Samenwerken als netwerk",
                f"<p>{partners} delen hun aanbod in één catalogus en verwijzen naar elkaar door. De coördinatoren "
                "houden deze visienota en de expertisepagina's bij.</p>",
            ),
        ],
    }
    return note, (version,)


def _texts(*, site: str, phone: str, slug: str, **vision: str) -> content.NetworkTexts:
    note, versions = _vision_note(**vision)
    return content.NetworkTexts(
        vision_note=note,
        vision_note_versions=versions,
        accessibility_statement={
            **content.ACCESSIBILITY_STATEMENT,
            "scope": (
                f"Deze verklaring geldt voor de website {site}: de publieke pagina's, de catalogus met "
                "vrijetijdsaanbod en de zoekpagina's. We toetsen aan de richtlijnen WCAG 2.1, niveau AA."
            ),
        },
        contact={
            **content.CONTACT,
            "contact_details": f"<p>Coördinatie {site} (demo)<br>Telefoon: {phone}, op werkdagen van 9 tot 12 uur</p>",
        },
        coordinator_email=f"coordinatie-{slug}@vrijetijdsnet.example",
    )


def _home(*, title: str, intro: str, guidance: str) -> dict:
    return {
        "title": title,
        "intro": intro,
        "track_guidance": guidance,
        "track_thresholds": (
            "Partners maken hun aanbod goedkoper, dichterbij en toegankelijker, en zeggen duidelijk wat het kost."
        ),
        "track_cooperation": "Partners delen kennis, leren van elkaar en maken armoede bespreekbaar in hun werking.",
    }


GENT = DemoNetwork(
    name="Gent",
    slug="gent",
    kind=NetworkKind.LOCAL,
    hostname="gent.localhost",
    municipalities=("44021",),
    sub_area_level=SubAreaLevel.WIJK,
    # Binnenstad, Sluizeken - Tolhuis - Ham, Brugse Poort - Rooigem, Rabot - Blaisantvest, Bloemekenswijk,
    # Muide - Meulestede - Afrikalaan, Dampoort, Sint-Amandsberg, Moscou - Vogelhoek, Ledeberg, Nieuw Gent - UZ,
    # Drongen.
    sub_areas=tuple(f"44021W{number:02d}" for number in (1, 2, 4, 7, 9, 10, 13, 14, 15, 18, 20, 25)),
    stops=("tram 1", "tram 2", "tram 4", "bus 3", "bus 5"),
    home=_home(
        title="Vrije tijd voor iedereen in Gent",
        intro=(
            "Sporten, cultuur en jeugdwerk zijn er voor iedereen. In de 25 Gentse wijken helpen de "
            "vrijetijdsbemiddelaars van het OCMW, de sportdienst en het CAW mensen met weinig geld om een "
            "activiteit te vinden die bij hen past."
        ),
        guidance="Vrijetijdsbemiddelaars van het OCMW zoeken samen met mensen een activiteit in hun wijk.",
    ),
    directory_intro="Wie zit er in het Gentse netwerk en wie kan je bellen?",
    texts=_texts(
        site="Vrijetijdsnet Gent",
        phone="09 000 00 00",
        slug="gent",
        place="Gent",
        partners="De sportdienst, het OCMW en het CAW",
        mediators="Vrijetijdsbemiddelaars van het OCMW Gent",
        why=(
            "Vrije tijd is een recht, geen luxe. In Gent wonen veel mensen die in armoede leven, in de wijken "
            "rond de binnenstad en verder. Het netwerk brengt het aanbod naar hun wijk en de mensen naar het aanbod."
        ),
    ),
    organisations=(
        DemoOrganisation(
            "OCMW Gent – vrijetijdsbemiddeling (demo)",
            OrganisationKind.OCMW,
            (Domain.OTHER, Domain.CULTURE),
            4,
            "09 000 00 00",
            "Gent",
        ),
        DemoOrganisation(
            "Sportdienst Gent (demo)", OrganisationKind.CITY_SPORT, (Domain.SPORT,), 6, "09 000 00 02", "Gent"
        ),
        CAW,
    ),
    mediation_team="OCMW Gent – vrijetijdsbemiddeling (demo)",
    first_number=100_000,
)

WERVIK = DemoNetwork(
    name="Wervik",
    slug="wervik",
    kind=NetworkKind.LOCAL,
    hostname="wervik.localhost",
    municipalities=("33029",),
    sub_area_level=SubAreaLevel.DEELGEMEENTE,
    sub_areas=("33029A", "33029B"),  # Wervik, Geluwe
    stops=("bus",),
    home=_home(
        title="Vrije tijd voor iedereen in Wervik en Geluwe",
        intro=(
            "Sporten, cultuur en jeugdwerk zijn er voor iedereen. Het Sociaal Huis en de sport- en jeugddienst "
            "helpen mensen in Wervik en Geluwe met weinig geld om een activiteit te vinden die bij hen past."
        ),
        guidance="Het Sociaal Huis zoekt samen met mensen een activiteit en gaat de eerste keer mee.",
    ),
    directory_intro="Wie zit er in het netwerk van Wervik en wie kan je bellen?",
    texts=_texts(
        site="Vrijetijdsnet Wervik",
        phone="056 00 00 00",
        slug="wervik",
        place="Wervik en Geluwe",
        partners="Het Sociaal Huis en de sport- en jeugddienst",
        mediators="De maatschappelijk werkers van het Sociaal Huis",
        why=(
            "Vrije tijd is een recht, geen luxe. In een kleine stad kent iedereen elkaar, en net daarom is de "
            "eerste stap naar een club of de academie soms groot. Het netwerk maakt die stap kleiner."
        ),
    ),
    organisations=(
        DemoOrganisation(
            "Sociaal Huis Wervik (demo)",
            OrganisationKind.OCMW,
            (Domain.OTHER, Domain.CULTURE),
            4,
            "056 00 00 00",
            "Wervik",
        ),
        DemoOrganisation(
            "Sport- en jeugddienst Wervik (demo)",
            OrganisationKind.CITY_SPORT,
            (Domain.SPORT, Domain.YOUTH),
            5,
            "056 00 00 01",
            "Wervik",
        ),
    ),
    mediation_team="Sociaal Huis Wervik (demo)",
    first_number=200_000,
)

MEETJESLAND = DemoNetwork(
    name="Meetjesland",
    slug="meetjesland",
    kind=NetworkKind.SUPRALOCAL,
    hostname="meetjesland.localhost",
    municipalities=("43005", "43007", "43010", "43014"),  # Eeklo, Kaprijke, Maldegem, Sint-Laureins
    sub_area_level=SubAreaLevel.DEELGEMEENTE,
    # Eeklo, Maldegem, Kaprijke, Adegem, Sint-Laureins, Lembeke, Middelburg, Watervliet, Sint-Jan-in-Eremo.
    sub_areas=("43005A", "43010A", "43007A", "43010C", "43014A", "43007B", "43010B", "43014E", "43014C"),
    stops=("bus",),
    home=_home(
        title="Vrije tijd voor iedereen in het Meetjesland",
        intro=(
            "Sporten, cultuur en jeugdwerk zijn er voor iedereen. In Eeklo, Kaprijke, Maldegem en Sint-Laureins "
            "werken de gemeenten, de welzijnsregio en het CAW samen, zodat mensen met weinig geld een "
            "activiteit vinden die bij hen past, ook als die in het dorp ernaast is."
        ),
        guidance="Bemiddelaars van de welzijnsregio zoeken samen met mensen een activiteit, ook over de gemeentegrens.",
    ),
    directory_intro="Wie zit er in het netwerk van het Meetjesland en wie kan je bellen?",
    texts=_texts(
        site="Vrijetijdsnet Meetjesland",
        phone="09 000 00 10",
        slug="meetjesland",
        place="Eeklo, Kaprijke, Maldegem en Sint-Laureins",
        partners="De welzijnsregio, de cultuurregio en het CAW",
        mediators="Bemiddelaars van de welzijnsregio",
        why=(
            "Vrije tijd is een recht, geen luxe. Op het platteland is de afstand vaak de grootste drempel: de "
            "bus rijdt weinig en het aanbod ligt in een andere gemeente. Vier gemeenten werken daarom samen als "
            "één netwerk."
        ),
    ),
    organisations=(
        DemoOrganisation(
            "Welzijnsregio Meetjesland (demo)",
            OrganisationKind.SOCIAL_ORGANISATION,
            (Domain.OTHER, Domain.YOUTH),
            5,
            "09 000 00 10",
            "Eeklo",
        ),
        DemoOrganisation(
            "Cultuurregio Meetjesland (demo)",
            OrganisationKind.CITY_CULTURE,
            (Domain.CULTURE, Domain.SPORT),
            6,
            "09 000 00 11",
            "Maldegem",
        ),
        CAW,
    ),
    mediation_team="Welzijnsregio Meetjesland (demo)",
    first_number=300_000,
    # The CAW's activity in the Meetjesland is open to Gent's clients too: it appears in both catalogues.
    offered_beyond=((CAW.name, ("gent",)),),
)

NETWORKS = (GENT, WERVIK, MEETJESLAND)

NETWORK_USERS = (
    NetworkUser("coordinator-gent", "demo-coordinator-2026", Role.COORDINATOR, GENT.mediation_team, "gent"),
    NetworkUser("mediator-gent", "demo-mediator-2026", Role.MEDIATOR, GENT.mediation_team, "gent"),
    NetworkUser("coordinator-wervik", "demo-coordinator-2026", Role.COORDINATOR, WERVIK.mediation_team, "wervik"),
    NetworkUser(
        "coordinator-meetjesland", "demo-coordinator-2026", Role.COORDINATOR, MEETJESLAND.mediation_team, "meetjesland"
    ),
)
