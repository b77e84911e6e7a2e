"""A local stand-in for Basisregisters Vlaanderen's adresmatch endpoint (v2), over real HTTP, for the tests.

It answers in the register's own response format (``adresMatches`` with identificator, gemeente,
postinfo, straatnaam, huisnummer, volledigAdres, adresPositie as a GML point in Lambert 72, score;
``warnings`` with the register's codes), as documented in Informatievlaanderen/address-registry
(AddressMatchOsloCollection) and seen in its published answers.

The addresses are real streets in Antwerp. Their positions are not the register's own (it cannot be
reached from here): they are OpenStreetMap's positions for those addresses or streets, converted to
Lambert 72 with pyproj, and they lie in the neighbourhood coded beside each. The object ids are made
up. Its matching is a simplification of the register's (exact street name, then postal code): enough
for one answer, none, or one street name in two districts (Turnhoutsebaan is a street of Borgerhout,
2140, and of Deurne, 2100: the register tells them apart by the postal code).
"""

import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from tests.local_http import send_json, serve_in_thread

BASE = "https://api.basisregisters.vlaanderen.be/v2"
ANTWERPEN_NIS = "11002"


@dataclass(frozen=True)
class RegisterAddress:
    street: str
    number: str
    postal_code: str
    x: float  # Lambert 72 (EPSG:31370), metres
    y: float
    neighbourhood: str  # the city's neighbourhood code the point lies in (catalogue/data)

    @property
    def full(self) -> str:
        return f"{self.street} {self.number}, {self.postal_code} Antwerpen"


ADDRESSES: tuple[RegisterAddress, ...] = (
    # Antwerpen-Centraal's address; ANT03 Centraal station.
    RegisterAddress("Koningin Astridplein", "27", "2018", 153664.18, 211917.99, "ANT03"),
    RegisterAddress("Pelikaanstraat", "74", "2018", 153630.27, 211578.29, "ANT03"),
    # Kiel (ANT10), and Volhardingstraat just across the border in Tentoonstellingswijk (ANT21).
    RegisterAddress("Schijfwerpersstraat", "2", "2020", 151176.79, 208245.13, "ANT10"),
    RegisterAddress("Volhardingstraat", "60", "2020", 151602.52, 208875.79, "ANT21"),
    # One street name, two districts.
    RegisterAddress("Turnhoutsebaan", "15", "2140", 155753.38, 212052.28, "BOR02"),
    RegisterAddress("Turnhoutsebaan", "15", "2100", 156794.45, 211876.67, "DEU08"),
)


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c)).strip()


def _name(spelling: str) -> dict:
    return {"geografischeNaam": {"spelling": spelling, "taal": "nl"}}


def match_item(address: RegisterAddress, object_id: int, score: float) -> dict:
    """One entry of ``adresMatches`` as the register writes it."""
    gml = (
        '<gml:Point srsName="https://www.opengis.net/def/crs/EPSG/0/31370" xmlns:gml="http://www.opengis.net/gml/3.2">'
        f"<gml:pos>{address.x:.2f} {address.y:.2f}</gml:pos></gml:Point>"
    )
    return {
        "@type": "Adres",
        "identificator": {
            "id": f"https://data.vlaanderen.be/id/adres/{object_id}",
            "naamruimte": "https://data.vlaanderen.be/id/adres",
            "objectId": str(object_id),
            "versieId": "2025-03-01T10:00:00+01:00",
        },
        "detail": f"{BASE}/adressen/{object_id}",
        "gemeente": {
            "objectId": ANTWERPEN_NIS,
            "detail": f"{BASE}/gemeenten/{ANTWERPEN_NIS}",
            "gemeentenaam": _name("Antwerpen"),
        },
        "postinfo": {"objectId": address.postal_code, "detail": f"{BASE}/postinfo/{address.postal_code}"},
        "straatnaam": {
            "objectId": str(object_id // 10),
            "detail": f"{BASE}/straatnamen/{object_id // 10}",
            "straatnaam": _name(address.street),
        },
        "huisnummer": address.number,
        "volledigAdres": _name(address.full),
        "adresPositie": {
            "geometrie": {"type": "Point", "gml": gml},
            "positieGeometrieMethode": "aangeduidDoorBeheerder",
            "positieSpecificatie": "gebouweenheid",
        },
        "adresStatus": "inGebruik",
        "officieelToegekend": True,
        "score": score,
        "links": [
            {"href": f"{BASE}/percelen?adresobjectid={object_id}", "rel": "percelen", "type": "GET"},
            {"href": f"{BASE}/gebouweenheden?adresobjectid={object_id}", "rel": "gebouweenheden", "type": "GET"},
        ],
    }


def answer(params: dict[str, str]) -> tuple[int, dict]:
    """(HTTP status, body) for one adresmatch query."""
    if not params.get("straatnaam"):
        return 400, {
            "type": "urn:be.vlaanderen.basisregisters.api:validation",
            "title": "Ongeldige parameters",
            "detail": "Gelieve het veld 'Straatnaam' mee te geven.",
            "status": 400,
        }
    warnings = []
    city = params.get("gemeentenaam", "")
    if city and _fold(city) != "antwerpen":
        return 200, {"adresMatches": [], "warnings": [{"code": "6", "message": "Onbekende 'Gemeentenaam'."}]}
    street = [a for a in ADDRESSES if _fold(a.street) == _fold(params["straatnaam"])]
    if not street:
        return 200, {"adresMatches": [], "warnings": [{"code": "10", "message": "'Straatnaam' niet interpreteerbaar."}]}
    numbered = [a for a in street if a.number.casefold() == params.get("huisnummer", "").casefold()]
    postal = params.get("postcode", "")
    in_postal = [a for a in numbered if a.postal_code == postal]
    if postal and numbered and not in_postal:
        warnings.append({"code": "8", "message": "Geen overeenkomst tussen 'Postcode' en 'Gemeentenaam'/'Niscode'."})
    found = in_postal or numbered
    items = [match_item(a, 900000 + 10 * ADDRESSES.index(a), 100.0 if in_postal else 90.0) for a in found]
    return 200, {
        "@context": "https://docs.basisregisters.vlaanderen.be/context/adresmatch/2023-03-13/adresmatch.jsonld",
        "adresMatches": items,
        "warnings": warnings,
    }


class AddressRegister(ThreadingHTTPServer):
    """The server; ``delay`` (seconds) makes every answer late, ``requests`` records each query asked and
    ``api_keys`` the x-api-key header each one carried."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.delay = 0.0
        self.status_override: int | None = None
        self.requests: list[dict[str, str]] = []
        self.api_keys: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v2/adresmatch"


class _Handler(BaseHTTPRequestHandler):
    server: AddressRegister

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        parts = urlsplit(self.path)
        params = {name: values[0] for name, values in parse_qs(parts.query).items()}
        self.server.requests.append(params)
        self.server.api_keys.append(self.headers.get("x-api-key", ""))
        if self.server.delay:
            time.sleep(self.server.delay)
        if parts.path != "/v2/adresmatch":
            status, body = 404, {"title": "Not found", "status": 404}
        elif self.server.status_override:
            status, body = self.server.status_override, {"title": "Service unavailable", "status": 503}
        else:
            status, body = answer(params)
        send_json(self, status, body, "application/json")

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - http.server's signature
        """Quiet: the tests read ``requests`` instead."""


def serve() -> Iterator[AddressRegister]:
    """Start the register on a free port in a thread; stop it when the generator closes."""
    yield from serve_in_thread(AddressRegister())
