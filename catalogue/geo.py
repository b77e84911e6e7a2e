"""Places on the map: reading the boundary files and finding the shape a point lies in."""

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from shapely import Point, STRtree, prepare
from shapely.geometry import shape

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


def bare_place_name(name: str) -> str:
    """A deelgemeente as an address names it: 'Ekeren (Antwerpen)' and 'Aartselaar (Dg.)' lose their brackets."""
    return name.split(" (", 1)[0].strip()


def place_name_keys(feature: NeighbourhoodFeature) -> set[str]:
    """The spellings under which other city files name this neighbourhood, with or without its district."""
    return {
        normalise_place_name(feature.name),
        normalise_place_name(f"{feature.label_prefix} {feature.name}"),
        normalise_place_name(f"{feature.name} {feature.label_prefix}"),
    }


@dataclass(frozen=True)
class AreaFeature:
    """A municipality, deelgemeente or wijk from the Flemish boundary files (``geoitem`` and ``naam``)."""

    code: str
    name: str
    geometry: dict
    centroid_latitude: float
    centroid_longitude: float


def read_areas(path: Path) -> list[AreaFeature]:
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    result = []
    for feature in features:
        centre = shape(feature["geometry"]).representative_point()
        result.append(
            AreaFeature(
                code=feature["properties"]["geoitem"].strip(),
                name=" ".join(feature["properties"]["naam"].split()),
                geometry=feature["geometry"],
                centroid_latitude=centre.y,
                centroid_longitude=centre.x,
            )
        )
    return result


class ShapeIndex:
    """Polygons with their ids in an R-tree, each prepared, so finding the one holding a point reads few."""

    def __init__(self, rows: Iterable[tuple[int, dict]]) -> None:
        self.ids: list[int] = []
        polygons = []
        for pk, geometry in rows:
            polygon = shape(geometry)
            prepare(polygon)
            self.ids.append(pk)
            polygons.append(polygon)
        self.polygons = polygons
        self.tree = STRtree(polygons)

    def containing(self, *, latitude: float, longitude: float) -> int | None:
        """The id of the shape holding the point; the tree gives the few whose bounding box does."""
        point = Point(longitude, latitude)
        for position in sorted(self.tree.query(point)):
            if self.polygons[position].contains(point):
                return self.ids[position]
        return None


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) in kilometres."""
    lat1_r, lat2_r = math.radians(lat1), math.radians(lat2)
    d_lat = lat2_r - lat1_r
    d_lon = math.radians(lon2 - lon1)
    a = math.sin(d_lat / 2) ** 2 + math.cos(lat1_r) * math.cos(lat2_r) * math.sin(d_lon / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def _rings(geometry: dict) -> Iterable[list]:
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    for polygon in polygons:
        yield from polygon


def bordering(rows: Iterable[tuple[str, dict]]) -> dict[str, frozenset[str]]:
    """Which shapes border which, by code: those whose boundaries share at least two vertices.

    Shapes from one boundary file share their common boundary vertex for vertex, so a shared
    stretch of border is a shared pair of vertices; touching at a single corner is not bordering.
    Exact coordinates, no tolerance: shapes from different files are not compared.
    """
    owners: dict[tuple[float, float], set[str]] = {}
    for code, geometry in rows:
        for ring in _rings(geometry):
            for vertex in ring:
                owners.setdefault((vertex[0], vertex[1]), set()).add(code)
    shared: dict[tuple[str, str], int] = {}
    for codes in owners.values():
        if len(codes) > 1:
            ordered = sorted(codes)
            for position, first in enumerate(ordered):
                for second in ordered[position + 1 :]:
                    shared[first, second] = shared.get((first, second), 0) + 1
    neighbours: dict[str, set[str]] = {}
    for (first, second), count in shared.items():
        if count >= 2:
            neighbours.setdefault(first, set()).add(second)
            neighbours.setdefault(second, set()).add(first)
    return {code: frozenset(codes) for code, codes in neighbours.items()}


# Antwerp's own districts and neighbourhoods (``read_neighbourhoods``) are the city's: the city a point in one lies in.
NEIGHBOURHOODS_CITY = "Antwerpen"
