"""The network's places come from Stad Antwerpen's open data, quirks included."""

from pathlib import Path

from django.conf import settings

import pytest

from catalogue.geo import (
    district_of,
    neighbourhood_name,
    normalise_place_name,
    place_name_keys,
    read_neighbourhoods,
)
from catalogue.models import District, Neighbourhood, neighbourhood_at
from catalogue.services import neighbourhoods_load, read_socio_economic_scores

GEOJSON: Path = settings.NETWORK_NEIGHBOURHOODS_GEOJSON
SCORES = GEOJSON.parent / "antwerpen-wijken-sociaaleconomische-score-2025.csv"


def test_every_neighbourhood_of_the_layer_is_read_but_the_river():
    """The layer's 67 features hold 66 neighbourhoods; SCH01 'Schelde' is the river."""
    codes = [feature.code for feature in read_neighbourhoods(GEOJSON)]
    assert len(codes) == 66
    assert "SCH01" not in codes
    assert "ANT17" not in codes


def test_names_lose_their_district_prefix_and_stray_line_breaks():
    """Real quirk: 'Borsbeek - Oost\\r\\n' carries a carriage return and newline."""
    assert neighbourhood_name("Borsbeek - Oost\r\n") == "Oost"
    assert neighbourhood_name("Berchem - Oud-Berchem") == "Oud-Berchem"


@pytest.mark.parametrize(
    ("code", "district"),
    [
        ("ANT10", "Antwerpen"),
        ("BOR01", "Borgerhout"),
        ("BOR03", "Borgerhout"),
        ("BOR04", "Borsbeek"),
        ("BOR06", "Borsbeek"),
        ("BEZ02", "Berendrecht-Zandvliet-Lillo"),
        ("WIL04", "Wilrijk"),
    ],
)
def test_district_follows_from_the_code(code, district):
    """BOR01-03 are Borgerhout and BOR04-06 Borsbeek; 'Bezali' is Berendrecht-Zandvliet-Lillo."""
    assert district_of(code)[1] == district


@pytest.mark.django_db
def test_loaded_places_cover_ten_districts():
    assert District.objects.count() == 10
    assert Neighbourhood.objects.count() == 66
    assert Neighbourhood.objects.get(code="BOR04").name == "Oost"


@pytest.mark.django_db
def test_loading_twice_changes_nothing():
    report = neighbourhoods_load(geojson_path=GEOJSON, scores_path=SCORES)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 66)


def test_score_file_names_are_matched_on_purpose():
    """'Amandus - Atheneum' is 'Amandus & Atheneum', 'Kruininge' is the layer's 'Kuininge'."""
    scores = read_socio_economic_scores(SCORES)
    assert scores["amandus atheneum"] == 37
    assert "kuininge bremweide" in scores


def test_every_name_in_the_score_file_matches_one_neighbourhood():
    """The score file and the layer spell 66 neighbourhoods differently; each name finds exactly one."""
    with SCORES.open(encoding="utf-8-sig") as handle:
        names = [line.split(";")[0].strip('"') for line in handle.read().splitlines()[1:]]
    features = read_neighbourhoods(GEOJSON)
    for name in names:
        if name == "Schelde":
            continue
        matches = [feature.code for feature in features if normalise_place_name(name) in place_name_keys(feature)]
        assert len(matches) == 1, f"{name!r} matches {matches}"


@pytest.mark.django_db
def test_every_neighbourhood_gets_its_socio_economic_score():
    """Borsbeek joined Antwerp in 2025 and has no 2025 score in the file yet."""
    missing = set(Neighbourhood.objects.filter(socio_economic_score__isnull=True).values_list("code", flat=True))
    assert missing == {"BOR04", "BOR05", "BOR06"}
    assert Neighbourhood.objects.get(code="ANT01").socio_economic_score == 37
    assert Neighbourhood.objects.get(code="ANT03").socio_economic_score == 20


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("latitude", "longitude", "code"),
    [
        (51.2172, 4.4211, "ANT03"),  # Antwerpen-Centraal station
        (51.2211, 4.3997, "ANT09"),  # Grote Markt, historic centre
        (51.1993, 4.4325, "BER04"),  # Berchem station, Oud-Berchem
        (51.1760, 4.3490, "HOB01"),  # Kioskplaats, Hoboken centre
    ],
)
def test_a_point_is_placed_in_its_neighbourhood_by_polygon(latitude, longitude, code):
    assert neighbourhood_at(latitude=latitude, longitude=longitude).code == code


@pytest.mark.django_db
def test_a_point_outside_the_network_has_no_neighbourhood():
    """Brussels' Grand-Place lies outside the Antwerp network."""
    assert neighbourhood_at(latitude=50.8467, longitude=4.3525) is None
