"""Area lookup: how long placing one point at every level takes (municipality, deelgemeente, wijk).

Usage (the database must be fresh: a new SQLite file, or an empty PostgreSQL database):
    DATABASE_URL=sqlite:////tmp/area-bench.sqlite3 DJANGO_SETTINGS_MODULE=portal.settings.dev \\
        .venv/bin/python bench/area_lookup.py --points 5000

Migrates the database and loads the real areas (every Flemish and Brussels municipality and
deelgemeente, Ghent's wijken) and Antwerp's neighbourhoods. The points are real places: a seeded
random point inside a randomly chosen municipality's polygon, so they spread over Flanders and
Brussels as offers would. Prints the time to build the process's index once, then per lookup the
p50, p95 and mean of ``area_ids_at`` (the index plus the one query that checks it is current), of
the index alone, and of ``neighbourhood_at`` for points in Antwerp, with the machine.
"""

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine, setup_django, summary  # noqa: E402

DEFAULT_DATABASE = "sqlite:////tmp/vrijetijdsnet-area-bench.sqlite3"


def points_inside(rows: list[dict], count: int, rng: random.Random) -> list[tuple[float, float]]:
    """``count`` (latitude, longitude) points, each inside a randomly chosen one of these polygons."""
    from shapely import Point, prepare
    from shapely.geometry import shape

    polygons = [shape(geometry) for geometry in rows]
    for polygon in polygons:
        prepare(polygon)
    points = []
    while len(points) < count:
        polygon = rng.choice(polygons)
        west, south, east, north = polygon.bounds
        point = Point(rng.uniform(west, east), rng.uniform(south, north))
        if polygon.contains(point):
            points.append((point.y, point.x))
    return points


def timed(lookup, points: list[tuple[float, float]]) -> list[float]:
    samples = []
    for latitude, longitude in points:
        start = time.perf_counter()
        lookup(latitude=latitude, longitude=longitude)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def report(name: str, samples: list[float]) -> None:
    p50, p95, mean = summary(samples)
    print(f"{name:<46} p50 {p50:.3f} ms  p95 {p95:.3f} ms  mean {mean:.3f} ms  ({len(samples)} points)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--points", type=int, default=5000)
    arguments = parser.parse_args()
    setup_django(arguments.database)

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from catalogue.models import (
        Area,
        AreaLevel,
        Neighbourhood,
        _area_indexes,
        area_ids_at,
        areas_version,
        neighbourhood_at,
    )
    from catalogue.services import areas_load, neighbourhoods_load

    if connection.introspection.table_names():
        raise SystemExit(f"{arguments.database} is not empty; give a fresh database (this benchmark writes into it).")
    call_command("migrate", "--noinput", verbosity=0)
    neighbourhoods_load(geojson_path=settings.NETWORK_NEIGHBOURHOODS_GEOJSON)
    areas_load(wijken_of=["44021"])
    print(f"Machine: {machine()}")
    print(
        "Areas: "
        + ", ".join(f"{level} {Area.objects.filter(level=level).count()}" for level in AreaLevel.values)
        + f"; neighbourhoods {Neighbourhood.objects.count()}"
    )

    rng = random.Random(17)
    municipalities = list(Area.objects.filter(level=AreaLevel.MUNICIPALITY).values_list("geometry", flat=True))
    points = points_inside(municipalities, arguments.points, rng)
    antwerp = points_inside(list(Neighbourhood.objects.values_list("geometry", flat=True)), arguments.points, rng)

    start = time.perf_counter()
    indexes = _area_indexes(areas_version())
    print(f"Building the index once per process: {(time.perf_counter() - start) * 1000:.0f} ms")
    area_ids_at(latitude=points[0][0], longitude=points[0][1])  # warm the query path

    def index_only(*, latitude: float, longitude: float) -> list[int | None]:
        return [index.containing(latitude=latitude, longitude=longitude) for index in indexes.values()]

    report("area_ids_at (3 levels + version query)", timed(area_ids_at, points))
    report("index alone (3 levels)", timed(index_only, points))
    report("neighbourhood_at (Antwerp points)", timed(neighbourhood_at, antwerp))


if __name__ == "__main__":
    main()
