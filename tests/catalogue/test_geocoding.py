"""Finding the point from the address: Lambert 72 to WGS84, and the address register over real HTTP."""

import math
import socket

from django.utils import translation

import pytest
from pyproj import Transformer

from catalogue.geocoding import (
    Address,
    BasisregistersGeocoder,
    Failure,
    GeocodingError,
    lambert72_to_wgs84,
    locate,
    located_from_response,
    split_street_address,
)
from catalogue.models import neighbourhood_at
from tests.address_register import ADDRESSES, answer

ARC_SECOND = math.radians(1 / 3600)


def _helmert_bd72_to_wgs84(latitude: float, longitude: float) -> tuple[float, float]:
    """EPSG:15929 "BD72 to WGS 84 (3)" done by hand: Hayford 1924 → geocentric → coordinate frame Helmert → WGS84."""

    def to_xyz(lat, lon, a, f):
        e2 = f * (2 - f)
        phi, lam = math.radians(lat), math.radians(lon)
        n = a / math.sqrt(1 - e2 * math.sin(phi) ** 2)
        return n * math.cos(phi) * math.cos(lam), n * math.cos(phi) * math.sin(lam), n * (1 - e2) * math.sin(phi)

    def to_geodetic(x, y, z, a, f):
        e2 = f * (2 - f)
        p = math.hypot(x, y)
        phi = math.atan2(z, p * (1 - e2))
        for _ in range(10):
            n = a / math.sqrt(1 - e2 * math.sin(phi) ** 2)
            phi = math.atan2(z + e2 * n * math.sin(phi), p)
        return math.degrees(phi), math.degrees(math.atan2(y, x))

    tx, ty, tz = -106.8686, 52.2978, -103.7239
    rx, ry, rz = -0.3366 * ARC_SECOND, 0.457 * ARC_SECOND, -1.8422 * ARC_SECOND
    scale = 1 - 1.2747e-6
    x, y, z = to_xyz(latitude, longitude, 6378388.0, 1 / 297.0)
    return to_geodetic(
        tx + scale * (x + rz * y - ry * z),
        ty + scale * (-rz * x + y + rx * z),
        tz + scale * (ry * x - rx * y + z),
        6378137.0,
        1 / 298.257223563,
    )


def test_the_lambert_72_projection_matches_epsgs_worked_example():
    """Check: EPSG guidance note 7-2's example, E 251763.20 N 153034.13 is 50°40'46.461"N 5°48'26.533"E (BD72).

    The example is worked for the 1972 definition (EPSG:31300); the register's EPSG:31370 differs from
    it by a few centimetres, so the check allows 0.000001° (about 11 cm).
    """
    to_bd72 = Transformer.from_crs("EPSG:31370", "EPSG:4313", always_xy=True)
    longitude, latitude = to_bd72.transform(251763.20, 153034.13)
    assert latitude == pytest.approx(50 + 40 / 60 + 46.461 / 3600, abs=1e-6)
    assert longitude == pytest.approx(5 + 48 / 60 + 26.533 / 3600, abs=1e-6)


@pytest.mark.parametrize(
    ("x", "y"),
    [(251763.20, 153034.13), (105665.73, 192054.51), (153664.18, 211917.99), (22000.0, 200000.0)],
    ids=["epsg-example", "register-bellevue-5-gent", "antwerpen-centraal", "de-panne"],
)
def test_lambert_72_to_wgs84_is_epsgs_bd72_to_wgs84_3(x, y):
    """Check: the conversion agrees within 5 cm with EPSG's published Helmert parameters computed by hand."""
    longitude, latitude = Transformer.from_crs("EPSG:31370", "EPSG:4313", always_xy=True).transform(x, y)
    expected = _helmert_bd72_to_wgs84(latitude, longitude)
    got = lambert72_to_wgs84(x, y)
    assert abs(got[0] - expected[0]) * 111_200 < 0.05
    assert abs(got[1] - expected[1]) * 111_200 * math.cos(math.radians(got[0])) < 0.05


@pytest.mark.parametrize(
    ("typed", "parts"),
    [
        ("Koningin Astridplein 27", ("Koningin Astridplein", "27", "")),
        ("Kerkstraat 12 bus 3", ("Kerkstraat", "12", "3")),
        ("Lange Lobroekstraat 12/3", ("Lange Lobroekstraat", "12", "3")),
        ("Kerkstraat 5A", ("Kerkstraat", "5A", "")),
        ("  Sint-Bernardsesteenweg   1 ", ("Sint-Bernardsesteenweg", "1", "")),
        ("Groenplaats", ("Groenplaats", "", "")),
    ],
)
def test_street_and_number_are_split_as_the_register_asks(typed, parts):
    assert split_street_address(typed) == parts


def test_the_register_answer_for_bus_numbers_at_one_place_is_one_point():
    """Case: "Bellevue 5" gives the address and its box numbers (lower scores, same place): one point, not ambiguous."""
    gml = (
        '<gml:Point srsName="https://www.opengis.net/def/crs/EPSG/0/31370" xmlns:gml="http://www.opengis.net/gml/3.2">'
        "<gml:pos>{x} {y}</gml:pos></gml:Point>"
    )

    def item(full, score, x, y):
        return {
            "volledigAdres": {"geografischeNaam": {"spelling": full, "taal": "nl"}},
            "adresPositie": {"geometrie": {"type": "Point", "gml": gml.format(x=x, y=y)}},
            "score": score,
        }

    body = {
        "adresMatches": [
            item("Bellevue 5, 9050 Gent", 100, 105665.73, 192054.51),
            item("Bellevue 5 bus 0001, 9050 Gent", 88.1244881244881, 105652.79, 192086.26),
        ],
        "warnings": [],
    }
    located = located_from_response(body, Address("Bellevue 5", "9050", "Gent"))
    assert located.full_address == "Bellevue 5, 9050 Gent"
    assert (located.latitude, located.longitude) == pytest.approx(lambert72_to_wgs84(105665.73, 192054.51))


@pytest.mark.django_db
@pytest.mark.parametrize("address", ADDRESSES[:4], ids=lambda address: address.full)
def test_real_antwerp_addresses_land_in_their_neighbourhood(address_register, address):
    """Case: through the register (local, over HTTP), each address lands in the neighbourhood it lies in."""
    located = locate(
        street_address=f"{address.street} {address.number}", postal_code=address.postal_code, city="Antwerpen"
    )
    assert located.full_address == address.full
    assert neighbourhood_at(latitude=located.latitude, longitude=located.longitude).code == address.neighbourhood
    (request,) = address_register.requests
    assert request == {
        "straatnaam": address.street,
        "huisnummer": address.number,
        "postcode": address.postal_code,
        "gemeentenaam": "Antwerpen",
    }


def _failure(**address) -> GeocodingError:
    with pytest.raises(GeocodingError) as raised:
        locate(**{"city": "Antwerpen", **address})
    return raised.value


@pytest.mark.django_db
def test_an_unknown_street_names_the_address_fields(address_register):
    """Error case: a street the register does not know is refused with a message naming what to check."""
    with translation.override("en"):
        error = _failure(street_address="Bestaatnietstraat 3", postal_code="2020")
        message = str(error.message)
    assert error.failure == Failure.UNKNOWN and error.fields == ("street_address",)
    assert "“Bestaatnietstraat 3, 2020 Antwerpen”" in message and "street and number" in message


@pytest.mark.django_db
def test_one_street_name_in_two_districts_is_ambiguous_without_the_right_postal_code(address_register):
    """Error case: Turnhoutsebaan 15 with postal code 2000 is in Borgerhout and in Deurne: both are named."""
    with translation.override("nl-be"):
        error = _failure(street_address="Turnhoutsebaan 15", postal_code="2000")
        message = str(error.message)
    assert error.failure == Failure.AMBIGUOUS and error.fields == ("postal_code",)
    assert error.candidates == ("Turnhoutsebaan 15, 2140 Antwerpen", "Turnhoutsebaan 15, 2100 Antwerpen")
    assert "Turnhoutsebaan 15, 2140 Antwerpen; Turnhoutsebaan 15, 2100 Antwerpen" in message
    located = locate(street_address="Turnhoutsebaan 15", postal_code="2100", city="Antwerpen")
    assert neighbourhood_at(latitude=located.latitude, longitude=located.longitude).code == "DEU08"


@pytest.mark.django_db
def test_a_missing_house_number_is_asked_for_without_asking_the_register(address_register):
    """Error case: "Groenplaats" alone has no point to find; the street field is named and no request is sent."""
    error = _failure(street_address="Groenplaats", postal_code="2000")
    assert error.failure == Failure.UNKNOWN and error.fields == ("street_address",)
    assert address_register.requests == []


@pytest.mark.django_db
def test_a_slow_register_is_given_up_after_the_timeout(address_register, settings):
    """Error case: a register slower than GEOCODER_TIMEOUT counts as unavailable, with a clear message."""
    settings.GEOCODER_TIMEOUT = 0.2
    address_register.delay = 1.0
    error = _failure(street_address="Koningin Astridplein 27", postal_code="2018")
    assert error.failure == Failure.UNAVAILABLE and error.fields == ("street_address", "postal_code", "city")


@pytest.mark.django_db
def test_a_failing_or_unreachable_register_is_unavailable(address_register, settings):
    """Error case: a 503 from the register, and a port where nothing listens, both say the register is down."""
    address_register.status_override = 503
    assert _failure(street_address="Koningin Astridplein 27", postal_code="2018").failure == Failure.UNAVAILABLE
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        free_port = sock.getsockname()[1]
    geocoder = BasisregistersGeocoder(url=f"http://127.0.0.1:{free_port}/v2/adresmatch", timeout=0.5)
    with pytest.raises(GeocodingError) as raised:
        geocoder.locate(Address("Koningin Astridplein 27", "2018", "Antwerpen"))
    assert raised.value.failure == Failure.UNAVAILABLE


@pytest.mark.django_db
def test_switched_off_asks_for_the_point_by_hand(settings):
    """Case: with GEOCODER_URL empty no request is made and the editor is asked to place the point."""
    settings.GEOCODER_URL = ""
    error = _failure(street_address="Koningin Astridplein 27", postal_code="2018")
    assert error.failure == Failure.UNAVAILABLE


def test_the_stand_in_answers_like_the_register_without_a_street():
    """The local register refuses a query without straatnaam with a 400, as the register's validator does."""
    status, body = answer({"postcode": "2018"})
    assert status == 400 and "Straatnaam" in body["detail"]


@pytest.mark.django_db
def test_an_api_key_is_sent_in_the_registers_header(address_register, settings):
    """Case: GEOCODER_API_KEY goes in the x-api-key header the register reads; none is sent without one."""
    locate(street_address="Koningin Astridplein 27", postal_code="2018", city="Antwerpen")
    settings.GEOCODER_API_KEY = "sleutel-123"
    locate(street_address="Koningin Astridplein 27", postal_code="2018", city="Antwerpen")
    assert address_register.api_keys == ["", "sleutel-123"]
