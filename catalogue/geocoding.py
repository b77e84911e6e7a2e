"""Finding a place's point from its address: one small interface, Flanders' address register behind it.

Production asks the "adresmatch" endpoint of Basisregisters Vlaanderen (the v2 API, as UiTdatabank
does): it answers ``adresMatches`` best first, each with its full address (``volledigAdres``), its
score and its position (``adresPositie.geometrie``, a GML point in Belgian Lambert 72, EPSG:31370),
and ``warnings`` about input it could not use. The point is converted to WGS84 with pyproj (EPSG's
"BD72 to WGS 84 (3)", accurate to about a metre).

Every failure is a ``GeocodingError`` whose message names the address fields to check, in the
active language: an address the register does not know, one it finds in more than one place, and a
register that is down, slow or switched off. The caller decides what to do (the admin form keeps the
editor's own point; an import refuses the row); nothing here raises anything else.
"""

import json
import logging
import re
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from math import hypot
from typing import Protocol
from urllib.parse import urlencode

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from pyproj import Transformer

logger = logging.getLogger(__name__)

# Lambert 72 is in metres: register positions closer than this are one place (a building's box numbers).
SAME_PLACE_METRES = 25.0
# Matches scoring below this are the register's guesses at another street, not the address given.
MIN_SCORE = 70.0
# "Sint-Bernardsesteenweg 12 bus 3", "Kerkstraat 5A", "Lange Lobroekstraat 12/3": street, number, box.
STREET_NUMBER = re.compile(r"^(?P<street>.*?\D)\s*,?\s+(?P<number>\d+[A-Za-z]?)(?:\s*(?:bus|/|b)\s*(?P<box>\w+))?$")
GML_POS = re.compile(r"<gml:pos>\s*(?P<x>-?\d+(?:\.\d+)?)\s+(?P<y>-?\d+(?:\.\d+)?)\s*</gml:pos>")
LAMBERT_72 = "EPSG/0/31370"
# The register's warning codes about the input (address-registry, AddressMatch/V2/Matching).
WARNING_FIELDS = {"4": "postal_code", "6": "city", "8": "postal_code", "10": "street_address"}


class Failure(StrEnum):
    UNKNOWN = "unknown"
    AMBIGUOUS = "ambiguous"
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class Address:
    street_address: str  # street and house number, as an offer holds them
    postal_code: str
    city: str

    def __str__(self) -> str:
        return f"{self.street_address}, {self.postal_code} {self.city}".strip(", ")


@dataclass(frozen=True)
class Located:
    """The point of an address (WGS84) and the address as the register writes it."""

    latitude: float
    longitude: float
    full_address: str


class GeocodingError(Exception):
    """Why an address gave no point; ``message`` names the address fields, ``fields`` lists them."""

    def __init__(
        self, failure: Failure, message: Promise | str, *, fields: Sequence[str], candidates: Sequence[str] = ()
    ) -> None:
        super().__init__(str(message))
        self.failure = failure
        self.message = message
        self.fields = tuple(fields)
        self.candidates = tuple(candidates)


class Geocoder(Protocol):
    def locate(self, address: Address) -> Located:
        """The point of ``address``; raises GeocodingError when there is no single one."""
        ...


ADDRESS_FIELDS = ("street_address", "postal_code", "city")


def _unknown(address: Address, fields: Sequence[str] = ADDRESS_FIELDS) -> GeocodingError:
    return GeocodingError(
        Failure.UNKNOWN,
        _(
            "Flanders' address register does not know “%(address)s”. Check the street and number, the postal "
            "code and the municipality, or place the point on the map yourself."
        )
        % {"address": address},
        fields=fields,
    )


def _unavailable() -> GeocodingError:
    return GeocodingError(
        Failure.UNAVAILABLE,
        _(
            "Flanders' address register did not answer, so the point could not be found from the street and "
            "number, postal code and municipality. Try again later, or place the point on the map yourself."
        ),
        fields=ADDRESS_FIELDS,
    )


def split_street_address(street_address: str) -> tuple[str, str, str]:
    """(street, house number, box number) from "Kerkstraat 12 bus 3"; the number is "" when there is none."""
    text = " ".join(street_address.split())
    match = STREET_NUMBER.match(text)
    if match is None:
        return text, "", ""
    return match["street"].strip(" ,"), match["number"], match["box"] or ""


@lru_cache(maxsize=1)
def _to_wgs84() -> Transformer:
    # only_best: never fall back silently to a less accurate operation than EPSG's best for BD72.
    return Transformer.from_crs("EPSG:31370", "EPSG:4326", always_xy=True, only_best=True)


def lambert72_to_wgs84(x: float, y: float) -> tuple[float, float]:
    """(latitude, longitude) in WGS84 of a Belgian Lambert 72 point (EPSG:31370, metres)."""
    longitude, latitude = _to_wgs84().transform(x, y)
    return latitude, longitude


@dataclass(frozen=True)
class _Match:
    full_address: str
    score: float
    x: float
    y: float


def _spelling(value: dict | None) -> str:
    return ((value or {}).get("geografischeNaam") or {}).get("spelling", "")


def _positioned_matches(body: dict) -> list[_Match]:
    """The matches that are addresses with a position; street- or municipality-level matches have none."""
    matches = []
    for item in body.get("adresMatches") or []:
        geometry = (item.get("adresPositie") or {}).get("geometrie") or {}
        gml = geometry.get("gml") or ""
        position = GML_POS.search(gml)
        if position is None or LAMBERT_72 not in gml:
            continue
        matches.append(
            _Match(
                full_address=_spelling(item.get("volledigAdres")),
                score=float(item.get("score") or 0),
                x=float(position["x"]),
                y=float(position["y"]),
            )
        )
    return matches


def located_from_response(body: dict, address: Address) -> Located:
    """The one point an adresmatch answer gives for ``address``, or the GeocodingError saying why not."""
    codes = [str(warning.get("code")) for warning in body.get("warnings") or []]
    warned = [WARNING_FIELDS[code] for code in codes if code in WARNING_FIELDS]
    matches = [match for match in _positioned_matches(body) if match.score >= MIN_SCORE]
    if not matches:
        raise _unknown(address, fields=warned or ADDRESS_FIELDS)
    best = max(match.score for match in matches)
    top = [match for match in matches if match.score >= best - 0.5]
    first = top[0]
    places = [match for match in top if hypot(match.x - first.x, match.y - first.y) > SAME_PLACE_METRES]
    if places:
        candidates = list(dict.fromkeys(match.full_address for match in top))
        raise GeocodingError(
            Failure.AMBIGUOUS,
            _(
                "Flanders' address register finds “%(address)s” in more than one place: %(candidates)s. Make the "
                "street and number, the postal code or the municipality more precise."
            )
            % {"address": address, "candidates": "; ".join(candidates)},
            fields=warned or ADDRESS_FIELDS,
            candidates=candidates,
        )
    latitude, longitude = lambert72_to_wgs84(first.x, first.y)
    return Located(latitude=latitude, longitude=longitude, full_address=first.full_address)


class BasisregistersGeocoder:
    """The adresmatch endpoint of Basisregisters Vlaanderen (https://docs.basisregisters.vlaanderen.be/)."""

    def __init__(self, *, url: str, timeout: float, api_key: str = "") -> None:
        self.url = url
        self.timeout = timeout
        self.api_key = api_key

    def _params(self, address: Address) -> dict[str, str]:
        street, number, box = split_street_address(address.street_address)
        params = {"straatnaam": street, "huisnummer": number, "busnummer": box}
        params.update(postcode=address.postal_code.strip(), gemeentenaam=address.city.strip())
        return {name: value for name, value in params.items() if value}

    def locate(self, address: Address) -> Located:
        _street, number, _box = split_street_address(address.street_address)
        if not number:
            raise GeocodingError(
                Failure.UNKNOWN,
                _("Give the house number with the street (for example Kerkstraat 12), so the point can be found."),
                fields=("street_address",),
            )
        headers = {"Accept": "application/json"}
        if self.api_key:
            headers["x-api-key"] = self.api_key
        request = urllib.request.Request(f"{self.url}?{urlencode(self._params(address))}", headers=headers)  # noqa: S310 - the configured https URL
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                body = json.load(response)
        except urllib.error.HTTPError as error:
            if error.code == 400:  # the register refused the input itself (a problem+json naming a parameter)
                raise _unknown(address) from error
            logger.warning("Address register answered %s for %s", error.code, self.url)
            raise _unavailable() from error
        except (urllib.error.URLError, TimeoutError, ConnectionError, ValueError) as error:
            logger.warning("Address register unreachable at %s: %s", self.url, error)
            raise _unavailable() from error
        if not isinstance(body, dict):
            raise _unavailable()
        return located_from_response(body, address)


class SwitchedOffGeocoder:
    """No address register configured (GEOCODER_URL empty): every address asks for the point by hand."""

    def locate(self, address: Address) -> Located:
        raise GeocodingError(
            Failure.UNAVAILABLE,
            _(
                "Finding the point from the street and number, postal code and municipality is switched off "
                "on this portal: place the point on the map yourself."
            ),
            fields=ADDRESS_FIELDS,
        )


def geocoder() -> Geocoder:
    """The configured geocoder (settings GEOCODER_URL, GEOCODER_TIMEOUT, GEOCODER_API_KEY)."""
    if not settings.GEOCODER_URL:
        return SwitchedOffGeocoder()
    return BasisregistersGeocoder(
        url=settings.GEOCODER_URL, timeout=settings.GEOCODER_TIMEOUT, api_key=settings.GEOCODER_API_KEY
    )


def locate(*, street_address: str, postal_code: str, city: str) -> Located:
    """The point of an address through the configured geocoder; for offers, UiTdatabank places and rows."""
    return geocoder().locate(Address(street_address=street_address, postal_code=postal_code, city=city))
