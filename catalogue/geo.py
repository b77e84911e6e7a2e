"""Places on the map: loading the city's neighbourhoods and finding the one a point lies in."""

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from shapely import Point, prepare
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

# District names follow from the neighbourhood code's prefix (see catalogue/data/README.md).
DISTRICT_PREFIXES: dict[str, str] = {
    "ANT": "Antwerpen",
    "BER": "Berchem",
    "BEZ": "Berendrecht-Zandvliet-Lillo",
    "DEU": "Deurne",
    "EKE": "Ekeren",
    "HOB": "Hoboken",
    "MER": "Merksem",
    "WIL": "Wilrijk",
}
# BOR is shared: BOR01-03 are Borgerhout, BOR04-06 Borsbeek (a district of Antwerp since 2025).
BORSBEEK_CODES = {"BOR04", "BOR05", "BOR06"}
# Codes in the layer that are not places where people live.
NOT_A_NEIGHBOURHOOD = {"SCH01"}


@dataclass(frozen=True)
class NeighbourhoodFeature:
    code: str
    name: str
    label_prefix: str
    district_code: str
    district_name: str
    geometry: dict
    centroid_latitude: float
    centroid_longitude: float


def district_of(code: str) -> tuple[str, str]:
    """Return (district code, district name) for a neighbourhood code such as 'BOR05'."""
    prefix = code[:3]
    if prefix == "BOR":
        return ("BRS", "Borsbeek") if code in BORSBEEK_CODES else ("BOR", "Borgerhout")
    return prefix, DISTRICT_PREFIXES[prefix]


def neighbourhood_name(raw_name: str) -> str:
    """'Berchem - Oud-Berchem' becomes 'Oud-Berchem'; stray whitespace and line breaks go."""
    name = " ".join(raw_name.split())
    return name.split(" - ", 1)[1] if " - " in name else name


def read_neighbourhoods(path: Path) -> list[NeighbourhoodFeature]:
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    result = []
    for feature in features:
        code = feature["properties"]["wijkcode"].strip()
        if code in NOT_A_NEIGHBOURHOOD:
            continue
        district_code, district_name = district_of(code)
        geometry = shape(feature["geometry"])
        centre = geometry.representative_point()
        result.append(
            NeighbourhoodFeature(
                code=code,
                name=neighbourhood_name(feature["properties"]["wijknaam"]),
                label_prefix=feature["properties"]["wijknaam"].split(" - ", 1)[0].strip(),
                district_code=district_code,
                district_name=district_name,
                geometry=feature["geometry"],
                centroid_latitude=centre.y,
                centroid_longitude=centre.x,
            )
        )
    return result


# The score file spells one neighbourhood differently from the layer ("Kruininge" for "Kuininge").
SCORE_NAME_ALIASES = {"kruininge bremweide": "kuininge bremweide"}


def normalise_place_name(name: str) -> str:
    """A key for matching the same neighbourhood across the city's files: no '&', '-', brackets or case."""
    for mark in "&-()":
        name = name.replace(mark, " ")
    key = " ".join(name.lower().split())
    return SCORE_NAME_ALIASES.get(key, key)


def place_name_keys(feature: NeighbourhoodFeature) -> set[str]:
    """The spellings under which other city files name this neighbourhood, with or without its district."""
    return {
        normalise_place_name(feature.name),
        normalise_place_name(f"{feature.label_prefix} {feature.name}"),
        normalise_place_name(f"{feature.name} {feature.label_prefix}"),
    }


@lru_cache(maxsize=1)
def _prepared_shapes(version: tuple) -> list[tuple[int, BaseGeometry]]:
    from .models import Neighbourhood

    shapes = []
    for pk, geometry in Neighbourhood.objects.values_list("pk", "geometry"):
        polygon = shape(geometry)
        prepare(polygon)
        shapes.append((pk, polygon))
    return shapes


def _shapes_version() -> tuple:
    from .models import Neighbourhood

    return tuple(Neighbourhood.objects.order_by("pk").values_list("pk", flat=True))


def neighbourhood_at(*, latitude: float | None, longitude: float | None):
    """The neighbourhood whose polygon holds the point, or None when it lies outside the network."""
    from .models import Neighbourhood

    if latitude is None or longitude is None:
        return None
    point = Point(longitude, latitude)
    for pk, polygon in _prepared_shapes(_shapes_version()):
        if polygon.contains(point):
            # The polygon is already in hand; reading its GeoJSON again per offer was most of an import's placing.
            return Neighbourhood.objects.select_related("district").defer("geometry").get(pk=pk)
    return None


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) in kilometres."""
    lat1_r, lat2_r = math.radians(lat1), math.radians(lat2)
    d_lat = lat2_r - lat1_r
    d_lon = math.radians(lon2 - lon1)
    a = math.sin(d_lat / 2) ** 2 + math.cos(lat1_r) * math.cos(lat2_r) * math.sin(d_lon / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))
