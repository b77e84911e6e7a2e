"""Networks at scale: 180 networks over every Flemish municipality and 200,000 offers, on the embedded engine.

Usage (one database per run; it is created from scratch):
    DATABASE=sqlite:////tmp/vrijetijdsnet-networks.sqlite3 .venv/bin/python bench/networks_scale.py
    DATABASE=postgres://postgres@127.0.0.1:5432/bench_networks .venv/bin/python bench/networks_scale.py
The searches again on the database such a run left (its offers reindexed first, for a changed index):
    DATABASE=sqlite:////tmp/vrijetijdsnet-networks.sqlite3 .venv/bin/python bench/networks_scale.py --keep
The searches again on the index that run left as it is (the index's format unchanged since):
    DATABASE=sqlite:////tmp/vrijetijdsnet-networks.sqlite3 .venv/bin/python bench/networks_scale.py --keep --as-indexed

Loads every Flemish and Brussels municipality and deelgemeente, Ghent's wijken and Antwerp's
neighbourhoods, and makes ``--networks`` networks that cover the Flemish municipalities: Antwerpen a
city, most others one municipality, and supralocal groups of three to six neighbouring municipalities
enough to make the count. The ``--offers`` offers lie at seeded random points inside the municipalities'
polygons: uniformly over the land (a municipality by its area), and a tenth of them in Antwerpen, the
one city network. They are real pages (``bench.generate``), indexed by the real rebuild.

Prints the machine and database; per network measured (the local networks with the fewest and the
median number of offers, Antwerpen, the largest supralocal one) p50/p95/p99 of a search within it
with every facet, without and with words: as its site asks (``network=<slug>``, the default there),
and with ``areas=`` its municipalities instead (the area facet then leaves its own selection out and
counts every area of Flanders), with their CPU time (on a shared machine the wall clock also holds
waits for a core); the time each filter's mask and each facet's count takes in a search on the
network's site; p50/p95/p99 of ``area_ids_at`` for random points, as a process does (the areas version
read at most every ``AREAS_VERSION_SECONDS``) and with the version read on every lookup; the memory of
the index's columns (their numpy arrays) and of the process; the load average at the start and end.
"""

import argparse
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.area_lookup import points_inside, timed  # noqa: E402
from bench.common import database, machine, peak_memory_mb, percentile, resident_memory_mb  # noqa: E402
from bench.search_latency import mediator_queries, open_catalogue, prepare  # noqa: E402

DEFAULT_DATABASE = "sqlite:////tmp/vrijetijdsnet-networks.sqlite3"
ANTWERPEN, GENT = "11002", "44021"
# Antwerpen's share of the offers: about its share of Flanders' people (8%), a little more for the city.
ANTWERPEN_SHARE = 0.1
BRUSSELS_PREFIX = "21"  # NIS codes 21001-21019
SUPRALOCAL_SIZES = (3, 6)
LOOKUP_POINTS = 10_000


def neighbours(geometries: dict[str, dict]) -> dict[str, set[str]]:
    """The municipalities each one borders (their polygons touch or overlap)."""
    from shapely import STRtree
    from shapely.geometry import shape

    codes = list(geometries)
    polygons = [shape(geometries[code]) for code in codes]
    tree = STRtree(polygons)
    pairs = tree.query(polygons, predicate="intersects")
    found: dict[str, set[str]] = {code: set() for code in codes}
    for left, right in zip(*pairs, strict=True):
        if left != right:
            found[codes[left]].add(codes[right])
    return found


def network_areas(geometries: dict[str, dict], count: int, rng: random.Random) -> list[list[str]]:
    """``count`` sets of Flemish municipality codes that cover them all, each municipality in one set.

    Antwerpen stands alone; supralocal groups grow from a random municipality by random free neighbours
    until the municipalities beyond one per network are used up; the rest are local networks.
    """
    flemish = sorted(code for code in geometries if not code.startswith(BRUSSELS_PREFIX))
    if not 1 <= count <= len(flemish):
        raise SystemExit(f"--networks must lie between 1 and the {len(flemish)} Flemish municipalities.")
    bordering = neighbours({code: geometries[code] for code in flemish})
    extra = len(flemish) - count  # municipalities beyond one per network
    free = set(flemish) - {ANTWERPEN}
    groups = []
    for start in rng.sample(flemish, len(flemish)):
        if extra == 0:
            break
        if start not in free:
            continue
        group = [start]
        free.discard(start)
        size = rng.randint(*SUPRALOCAL_SIZES)
        while len(group) < size and extra > 0:
            candidates = sorted({code for member in group for code in bordering[member]} & free)
            if not candidates:
                break
            chosen = rng.choice(candidates)
            group.append(chosen)
            free.discard(chosen)
            extra -= 1
        if len(group) > 1:
            groups.append(group)
        else:
            free.add(start)
    if extra:
        raise SystemExit(f"Could not group the municipalities into {count} networks.")
    return [[ANTWERPEN], *groups, *([code] for code in sorted(free))]


def make_networks(count: int, rng: random.Random) -> None:
    """The networks as records: a name, a kind, a set of municipalities, the level of sub-areas it uses."""
    from django.utils.text import slugify

    from catalogue.models import Area, AreaLevel
    from organisations.models import Network, NetworkKind, SubAreaLevel

    municipalities = {area.code: area for area in Area.objects.filter(level=AreaLevel.MUNICIPALITY)}
    areas = network_areas({code: area.geometry for code, area in municipalities.items()}, count, rng)
    for codes in areas:
        first = municipalities[codes[0]]
        if codes[0] == ANTWERPEN:
            kind, level, name = NetworkKind.CITY, SubAreaLevel.DISTRICT, first.name
        elif len(codes) > 1:
            kind, level, name = NetworkKind.SUPRALOCAL, SubAreaLevel.DEELGEMEENTE, f"Regio {first.name}"
        else:
            level = SubAreaLevel.WIJK if codes[0] == GENT else SubAreaLevel.DEELGEMEENTE
            kind, name = NetworkKind.LOCAL, first.name
        network = Network.objects.create(
            name=f"Vrijetijdsnet {name}", slug=slugify(name), kind=kind, sub_area_level=level
        )
        network.municipalities.set([municipalities[code] for code in codes])


def offer_places(count: int, rng: random.Random) -> list:
    """``count`` points inside the municipalities' polygons: a tenth in Antwerpen, the rest spread by area."""
    from shapely.geometry import shape

    from bench.generate import Place
    from catalogue.models import Area, AreaLevel

    municipalities = list(Area.objects.filter(level=AreaLevel.MUNICIPALITY).values_list("code", "name", "geometry"))
    in_antwerpen = round(count * ANTWERPEN_SHARE)
    per_municipality = Counter(
        rng.choices(
            range(len(municipalities)),
            weights=[shape(geometry).area for _code, _name, geometry in municipalities],
            k=count - in_antwerpen,
        )
    )
    for position, (code, _name, _geometry) in enumerate(municipalities):
        if code == ANTWERPEN:
            per_municipality[position] += in_antwerpen
    places = [
        Place(latitude, longitude, name)
        for position, (_code, name, geometry) in enumerate(municipalities)
        for latitude, longitude in points_inside([geometry], per_municipality[position], rng)
    ]
    rng.shuffle(places)
    return places


def network_offers() -> list[tuple[object, int]]:
    """Every network with the number of offers in its area."""
    from django.db.models import Count

    from catalogue.models import OfferPage
    from organisations.models import Network

    per_municipality = dict(
        OfferPage.objects.live().values_list("municipality_id").annotate(count=Count("pk")).order_by()
    )
    return [
        (network, sum(per_municipality.get(pk, 0) for pk in network.municipalities.values_list("pk", flat=True)))
        for network in Network.objects.all()
    ]


def measured_networks() -> list[tuple[str, object, int]]:
    """The local networks with the fewest and the median number of offers, Antwerpen and the largest supralocal."""
    from organisations.models import NetworkKind

    counted = network_offers()
    local = sorted((entry for entry in counted if entry[0].kind == NetworkKind.LOCAL), key=lambda entry: entry[1])
    supralocal = [entry for entry in counted if entry[0].kind == NetworkKind.SUPRALOCAL]
    chosen = [("small", local[0]), ("medium", local[len(local) // 2])]
    chosen += [("largest", max(counted, key=lambda entry: entry[1]))]
    if supralocal:
        chosen.append(("supralocal", max(supralocal, key=lambda entry: entry[1])))
    return [(role, network, offers) for role, (network, offers) in chosen]


def network_query(network, text: str = "", *, by_areas: bool = False):
    """A search within the network, read by the search's own parser: as the network's site asks it.

    ``by_areas`` asks ``areas=`` its municipalities instead: the same rows, but the area facet leaves
    that selection out and counts the areas of the whole installation.
    """
    from django.http import QueryDict

    from search.params import parse_search

    params = QueryDict(mutable=True)
    if by_areas:
        params.setlist("areas", network.municipality_codes())
    if text:
        params["q"] = text
    query, errors = parse_search(params, network=None if by_areas else network.slug)
    if errors:
        raise SystemExit(f"The parser refused {params.urlencode()}: {errors}")
    return query


def latencies(engine, queries: list, searches: int, *, cpu: list[float] | None = None) -> list[float]:
    """``searches`` searches in ms, going round the queries, after one warm-up search of each.

    Each search's CPU time in this thread (SQLite's included) goes into ``cpu`` when given: on a
    shared machine the wall clock also holds the waits for a free core.
    """
    for query in queries:
        engine.search(query)
    samples = []
    for number in range(searches):
        started, started_cpu = time.perf_counter(), time.thread_time()
        engine.search(queries[number % len(queries)])
        samples.append((time.perf_counter() - started) * 1000)
        if cpu is not None:
            cpu.append((time.thread_time() - started_cpu) * 1000)
    return samples


def spread(samples: list[float]) -> str:
    return " ".join(f"{percentile(samples, fraction):>8.2f}" for fraction in (0.5, 0.95, 0.99))


def step_costs(queries: list, runs: int) -> dict[str, float]:
    """The mean ms each filter's mask and each facet's count take in these searches (the engine's own steps).

    As in the engine, the facets that count the results share one ``Rows`` (its positions and token
    counts are computed by the first facet that needs them and charged to it).
    """
    from django.utils import timezone

    from search import filters as search_filters
    from search.engines import columns as index_columns
    from search.engines.columns import Rows, day_number
    from search.engines.database import _without, combined

    columns = index_columns.current()
    spent: Counter[str] = Counter()
    for number in range(runs):
        query = queries[number % len(queries)]
        masks = {"live": columns.alive & (columns.end_day >= day_number(timezone.localdate()))}
        for search_filter in search_filters.FILTERS:
            started = time.perf_counter()
            mask = search_filter.db_mask(columns, query)
            spent[f"mask {search_filter.name}"] += time.perf_counter() - started
            if mask is not None:
                masks[search_filter.name] = mask
        results = Rows(combined(masks))
        for search_filter in search_filters.FACET_FILTERS:
            started = time.perf_counter()
            leaves_itself_out = search_filter.placement == "facet" and search_filter.is_set(query)
            rows = Rows(_without(columns, query, masks, search_filter)) if leaves_itself_out else results
            search_filter.db_counts(columns, query, rows)
            spent[f"facet {search_filter.name}"] += time.perf_counter() - started
    return {step: seconds * 1000 / runs for step, seconds in spent.items()}


def columns_nbytes(columns) -> dict[str, int]:
    """Bytes of the numpy arrays the columns hold, by field, with the table of each row's tokens the
    token facets count on (the titles and the words' vocabulary are Python strings, left out)."""
    import dataclasses

    import numpy as np

    sizes = {"row_tokens": columns.row_tokens.nbytes, "words": columns.words.rows.nbytes + columns.words.offsets.nbytes}
    for field in dataclasses.fields(columns):
        value = getattr(columns, field.name)
        if isinstance(value, np.ndarray):
            sizes[field.name] = value.nbytes
        elif isinstance(value, dict):
            arrays = [getattr(item, "codes", item) for item in value.values()]
            sizes[field.name] = sum(array.nbytes for array in arrays if isinstance(array, np.ndarray))
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=os.environ.get("DATABASE", DEFAULT_DATABASE))
    parser.add_argument("--offers", type=int, default=200_000)
    parser.add_argument("--networks", type=int, default=180)
    parser.add_argument("--searches", type=int, default=200, help="searches per network and kind (at least 200)")
    parser.add_argument("--keep", action="store_true", help="keep the database of an earlier run and its networks")
    parser.add_argument("--as-indexed", action="store_true", help="with --keep: search the index as it is, not rebuilt")
    args = parser.parse_args()
    rng = random.Random(17)

    open_catalogue(args.database, fresh=not args.keep)
    from django.conf import settings
    from django.test import override_settings

    from catalogue.models import Area, AreaLevel, area_ids_at, areas_changed
    from catalogue.services import areas_load
    from organisations.models import Network
    from search.engines import columns as index_columns
    from search.engines.database import DatabaseEngine

    print(f"Machine: {machine()}")
    print(f"Database: {database()}")
    started = time.perf_counter()
    areas_load(wijken_of=[GENT])
    if not Network.objects.exists():
        make_networks(args.networks, rng)
    print(
        "Areas: "
        + ", ".join(f"{level} {Area.objects.filter(level=level).count()}" for level in AreaLevel.values)
        + f"; {Network.objects.count()} networks; loaded and made in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    if args.keep and args.as_indexed:
        started = time.perf_counter()
        held = index_columns.current()
        print(
            f"{held.size} offers as indexed before; columns loaded in {time.perf_counter() - started:.2f} s, "
            f"process RSS then {resident_memory_mb():.0f} MB",
            flush=True,
        )
    else:
        timings = prepare(args.offers, wagtail_index=False, places=lambda count: offer_places(count, rng))
        print(
            f"{timings['reindexed']} offers: generated in {timings['generate_s']:.1f} s, "
            f"reindexed in {timings['reindex_s']:.1f} s"
            + (f", VACUUM ANALYZE {timings['vacuum_s']:.1f} s" if "vacuum_s" in timings else "")
            + f"; columns loaded in {timings['columns_load_s']:.2f} s, process RSS then {timings['rss_mb']:.0f} MB",
            flush=True,
        )
    started = time.perf_counter()
    sizes = columns_nbytes(index_columns.current())
    print(
        f"Columns (numpy arrays): {sum(sizes.values()) / 2**20:.1f} MB, of which "
        + ", ".join(f"{name} {size / 2**20:.1f}" for name, size in sorted(sizes.items(), key=lambda item: -item[1]))
        + f"; the row tokens made in {time.perf_counter() - started:.2f} s"
    )
    print()

    engine = DatabaseEngine()
    words = [query.text for query in mediator_queries()]
    print(f"Search within one network, every facet: ms over {args.searches} searches each, after a warm-up")
    print(
        f"{'network':<36}{'kind':<12}{'munic.':>7}{'offers':>8}  {'search':<18}{'p50':>8} {'p95':>8} {'p99':>8}"
        f"   {'CPU p50':>8} {'p95':>8}"
    )
    profiled = []
    for role, network, offers in measured_networks():
        municipalities = network.municipalities.count()
        label = f"{role}: {network.name}"[:35]
        for scope, by_areas in (("network", False), ("areas", True)):
            browse = [network_query(network, by_areas=by_areas)]
            text = [network_query(network, word, by_areas=by_areas) for word in words]
            for kind, queries in (("no words", browse), ("words", text)):
                cpu: list[float] = []
                samples = latencies(engine, queries, args.searches, cpu=cpu)
                cpu_spread = " ".join(f"{percentile(cpu, fraction):>8.2f}" for fraction in (0.5, 0.95))
                search = f"{scope}, {kind}"
                print(
                    f"{label:<36}{network.kind:<12}{municipalities:>7}{offers:>8}  {search:<18}{spread(samples)}"
                    f"   {cpu_spread}",
                    flush=True,
                )
            if not by_areas:
                profiled.append((role, browse + text))
    print()
    print("Mean ms per step of a search on the network's site (mask: the filter's own rows; facet: its counts),")
    print("no words / words:")
    for role, queries in profiled:
        browse, text = step_costs(queries[:1], 50), step_costs(queries[1:], 50)
        steps = sorted(browse, key=lambda step: -(browse[step] + text[step]))
        print(f"  {role}: " + ", ".join(f"{step} {browse[step]:.2f}/{text[step]:.2f}" for step in steps[:8]))
    print()

    municipalities = list(Area.objects.filter(level=AreaLevel.MUNICIPALITY).values_list("geometry", flat=True))
    points = points_inside(municipalities, LOOKUP_POINTS, rng)
    area_ids_at(latitude=points[0][0], longitude=points[0][1])  # builds the process's index
    every = settings.AREAS_VERSION_SECONDS
    samples = timed(area_ids_at, points)
    print(f"area_ids_at (3 levels; areas version read at most every {every:g} s), {len(points)} random points:")
    print(f"  p50/p95/p99 ms {spread(samples)}")
    with override_settings(AREAS_VERSION_SECONDS=0):
        areas_changed()  # forget the version read and when to read it again
        samples = timed(area_ids_at, points)
    print(f"area_ids_at with the version query on every lookup: p50/p95/p99 ms {spread(samples)}")
    rss, peak = resident_memory_mb(), peak_memory_mb()
    print(f"Process memory (acts as one web worker): RSS now {rss:.0f} MB, peak {peak:.0f} MB")
    print(f"Machine at the end: {machine()}")


if __name__ == "__main__":
    main()
