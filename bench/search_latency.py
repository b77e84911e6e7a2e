"""Search latency at 10k and 100k offers: the embedded engine against Wagtail's own database search.

Usage (one database per run; it is created from scratch):
    DATABASE=sqlite:////tmp/bench.sqlite3 .venv/bin/python bench/search_latency.py --sizes 10000 100000
    DATABASE=postgres://postgres@127.0.0.1:5432/bench_vrijetijdsnet .venv/bin/python bench/search_latency.py
The embedded engine alone again, on the database such a run left (``--sizes`` of at least its size):
    DATABASE=sqlite:////tmp/bench.sqlite3 .venv/bin/python bench/search_latency.py --sizes 100000 --embedded-only

Prints, per size: the time to generate and to reindex the offers, then p50/p95/mean latency of 20
fixed mediator queries (text, three or more filters, all facets) on the embedded engine and on the
baseline peer, and their ratio; how long the embedded engine's in-memory columns take to load,
the process's memory once they are, and the first search after one offer changed (it catches the
columns up); finally the process's peak memory and the machine it ran on.
The baseline is what a team would build with Wagtail alone: Wagtail's database search for the
words, ORM filters for the rest (the client's cost computed with a CASE expression), and ORM
aggregates for the same facet groups.
"""

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine, peak_memory_mb, resident_memory_mb, setup_django, summary  # noqa: E402

if TYPE_CHECKING:
    from bench.generate import Place

REPEATS = 5
BASELINE_FULL_RUNS_UP_TO = 10_000


def mediator_queries():
    from search.query import GeoPoint, OfferQuery, Sort

    centraal, kiel, deurne = GeoPoint(51.2172, 4.4211), GeoPoint(51.1935, 4.3875), GeoPoint(51.2100, 4.4600)
    return [
        OfferQuery(
            text="zwemmen", max_cost=Decimal("5"), has_uitpas=True, accessibility=("step_free",), domains=("sport",)
        ),
        OfferQuery(text="voetbal", age=12, districts=("ANT", "BOR"), facts=("free_trial",)),
        OfferQuery(text="theater", dutch_level=0, max_cost=Decimal("10"), social_tariff=True, weekdays=(5, 6)),
        OfferQuery(text="koken samen", near=centraal, within_km=3, free_only=True, sort=Sort.DISTANCE),
        OfferQuery(
            text="dans",
            parts_of_day=("evening",),
            accessibility=("step_free", "adapted_toilet"),
            domains=("sport", "culture"),
        ),
        OfferQuery(text="museum", languages=("fr",), max_cost=Decimal("2"), has_uitpas=True, sort=Sort.COST),
        OfferQuery(text="jeugdhuis", age=15, neighbourhoods=("BOR02", "BOR03", "ANT20"), facts=("walk_in",)),
        OfferQuery(text="fietsen", dutch_level=1, near=kiel, within_km=5, facts=("companion_welcome",)),
        OfferQuery(text="yoga vrouwen", facts=("women_only",), max_cost=Decimal("5"), weekdays=(0, 1, 2)),
        OfferQuery(text="huiswerk", domains=("youth",), age=10, parts_of_day=("afternoon",), districts=("DEU",)),
        OfferQuery(text="moestuin", domains=("other",), accessibility=("step_free",), facts=("no_experience_needed",)),
        OfferQuery(text="koor", dutch_level=0, facts=("companion_free",), max_cost=Decimal("5"), has_uitpas=True),
        OfferQuery(text="boksen", age=16, facts=("free_trial", "walk_in"), sort=Sort.COST),
        OfferQuery(text="schilderen", near=deurne, within_km=4, accessibility=("quiet_space",), max_cost=Decimal("10")),
        OfferQuery(text="film", weekdays=(4,), parts_of_day=("evening",), domains=("culture",), sort=Sort.NEWEST),
        OfferQuery(
            text="zwemmen gezin", facts=("families",), max_cost=Decimal("3"), social_tariff=True, has_uitpas=True
        ),
        OfferQuery(text="computerles", dutch_level=1, languages=("ar", "tr"), facts=("pictograms",)),
        OfferQuery(text="speelplein", age=8, districts=("HOB", "WIL", "MER"), free_only=True),
        OfferQuery(
            text="wandelen", accessibility=("assistance_dogs",), facts=("ocmw_participation_funds",), domains=("sport",)
        ),
        OfferQuery(
            text="naaiatelier",
            near=centraal,
            within_km=8,
            facts=("childcare",),
            max_cost=Decimal("10"),
            sort=Sort.DISTANCE,
        ),
    ]


def open_catalogue(database_url: str, *, fresh: bool) -> None:
    """Set Django up on the database, migrated, with the real neighbourhoods, the site and its organisations.

    ``fresh`` starts from an empty database; otherwise what an earlier run left is kept.
    """
    if database_url.startswith("sqlite:///") and fresh:
        Path(database_url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    setup_django(database_url)
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql" and fresh:
        # From scratch, like the SQLite file: flush would also take the root page Wagtail's migrations made.
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", "--noinput", verbosity=0)
    from django.conf import settings

    from catalogue.services import neighbourhoods_load
    from portal.demo import ensure_organisations, ensure_reference_data, ensure_site

    neighbourhoods_load(geojson_path=settings.NETWORK_NEIGHBOURHOODS_GEOJSON)
    _home, index = ensure_site()
    ensure_reference_data()
    ensure_organisations(index)


def prepare(size: int, *, wagtail_index: bool, places: "Callable[[int], Sequence[Place]] | None" = None) -> dict:
    """Bring the database to ``size`` offers and both indexes up to date; returns timings.

    ``places(count)`` gives the points of the offers it adds; without it they lie in Antwerp's neighbourhoods.
    """
    from wagtail.search.backends import get_search_backend

    from bench.generate import generate_offers
    from catalogue.models import OfferPage
    from search.indexer import published_offers, reindex_all

    timings = {}
    missing = size - OfferPage.objects.count()
    started = time.perf_counter()
    if missing > 0:
        generate_offers(missing, seed=size, places=places(missing) if places is not None else None)
    timings["generate_s"] = time.perf_counter() - started

    started = time.perf_counter()
    reports = reindex_all()
    timings["reindex_s"] = time.perf_counter() - started
    timings["reindexed"] = reports[0].documents
    from django.db import connection

    if connection.vendor == "postgresql":
        # What autovacuum does after a rebuild left 100k dead rows (it is off on some machines, this one too).
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE catalogue_search_offertext, catalogue_search_offerdocument")
        timings["vacuum_s"] = time.perf_counter() - started

    from search.engines import columns

    started = time.perf_counter()
    columns.current()
    timings["columns_load_s"] = time.perf_counter() - started
    timings["rss_mb"] = resident_memory_mb()

    if not wagtail_index:
        return timings
    started = time.perf_counter()
    backend = get_search_backend()
    index = backend.get_index_for_model(OfferPage)
    offers = published_offers()
    last = 0
    while True:
        chunk = list(offers.filter(pk__gt=last).order_by("pk")[:2000])
        if not chunk:
            break
        index.add_items(OfferPage, chunk)
        last = chunk[-1].pk
    timings["wagtail_index_s"] = time.perf_counter() - started
    return timings


def _distance_km(latitude: float, longitude: float):
    """Haversine distance from a point to each offer, as an ORM expression."""
    from django.db.models import F, Value
    from django.db.models.functions import ASin, Cos, Power, Radians, Sin, Sqrt

    lat1, lat2 = Radians(Value(latitude)), Radians(F("latitude"))
    half_dlat = (lat2 - lat1) / 2
    half_dlon = (Radians(F("longitude")) - Radians(Value(longitude))) / 2
    inner = Power(Sin(half_dlat), 2) + Cos(lat1) * Cos(lat2) * Power(Sin(half_dlon), 2)
    return Value(2 * 6371.0) * ASin(Sqrt(inner))


def baseline_search(query) -> int:
    """The peer: Wagtail's search for the words, then ORM filters and ORM facet counts."""
    from django.db.models import Case, Count, DecimalField, F, Q, When
    from django.db.models.functions import Least

    from catalogue.models import OfferPage, Registration

    offers = OfferPage.objects.live()
    if query.text:
        ids = [page.pk for page in OfferPage.objects.live().search(query.text, operator="and")]
        offers = offers.filter(pk__in=ids)
    tariffs = []
    if query.has_uitpas:
        tariffs += ["uitpas", "both"]
    if query.social_tariff:
        tariffs += ["social", "both"]
    cost = Case(
        When(reduced_tariff__in=tariffs, reduced_price__isnull=False, then=Least(F("list_price"), F("reduced_price"))),
        default=F("list_price"),
        output_field=DecimalField(),
    )
    offers = offers.annotate(client_cost=cost)
    if query.max_cost is not None:
        offers = offers.filter(client_cost__lte=query.max_cost)
    if query.free_only:
        offers = offers.filter(list_price=0)
    for name in query.accessibility:
        offers = offers.filter(**{name: True})
    fact_filters = {
        "walk_in": Q(registration=Registration.WALK_IN),
        "welcome_contact": ~Q(welcome_contact_name=""),
        "women_only": Q(welcome_women_only=True),
        "newcomers": Q(welcome_newcomers=True),
        "seniors": Q(welcome_seniors=True),
        "families": Q(welcome_families=True) | Q(for_families=True),
    }
    for name in query.facts:
        offers = offers.filter(fact_filters.get(name, Q(**{name: True})))
    if query.districts:
        offers = offers.filter(neighbourhood__district__code__in=query.districts)
    if query.neighbourhoods:
        offers = offers.filter(neighbourhood__code__in=query.neighbourhoods)
    if query.domains:
        offers = offers.filter(domain__in=query.domains)
    if query.languages:
        offers = offers.filter(languages__code__in=query.languages)
    if query.weekdays:
        offers = offers.filter(time_slots__weekday__in=query.weekdays)
    if query.dutch_level is not None:
        offers = offers.filter(dutch_level__lte=query.dutch_level)
    if query.age is not None:
        offers = offers.filter(Q(age_min__isnull=True) | Q(age_min__lte=query.age)).filter(
            Q(age_max__isnull=True) | Q(age_max__gte=query.age)
        )
    if query.near is not None and query.within_km is not None:
        offers = offers.annotate(distance=_distance_km(query.near.latitude, query.near.longitude)).filter(
            distance__lte=query.within_km
        )
    offers = offers.distinct()
    list(offers.order_by("pk")[:20].values_list("pk", "title"))
    total = offers.count()
    ids = offers.values("pk")
    base = OfferPage.objects.filter(pk__in=ids)
    for column in (
        "domain",
        "neighbourhood__district__code",
        "neighbourhood__code",
        "organisation__slug",
        "themes__slug",
        "languages__code",
        "time_slots__weekday",
    ):
        list(base.values(column).annotate(n=Count("pk", distinct=True)).order_by())
    from catalogue.facts import ACCESSIBILITY_FACTS

    base.aggregate(
        **{name: Count("pk", filter=Q(**{name: True})) for name in (fact.field for fact in ACCESSIBILITY_FACTS)}
    )
    return total


def search_after_one_change(engine, query) -> float:
    """The first search after an offer was re-published elsewhere, which catches the columns up."""
    from search.indexer import index_offers, published_offers

    index_offers([published_offers().order_by("pk").values_list("pk", flat=True).first()])
    started = time.perf_counter()
    engine.search(query)
    return (time.perf_counter() - started) * 1000


def measure(run, queries, *, repeats: int = REPEATS, warm_up: bool = True) -> list[float]:
    samples = []
    for query in queries:
        if warm_up:
            run(query)
        for _ in range(repeats):
            started = time.perf_counter()
            run(query)
            samples.append((time.perf_counter() - started) * 1000)
    return samples


def row(engine: str, vendor: str, size: int, figures: tuple[float, float, float], ratio: str) -> str:
    p50, p95, mean = figures
    return f"{engine:<22}{vendor:<12}{size:>8}{p50:>9.1f}{p95:>9.1f}{mean:>9.1f}{ratio:>11}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=os.environ.get("DATABASE", "sqlite:////tmp/vrijetijdsnet-bench.sqlite3"))
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument(
        "--embedded-only",
        action="store_true",
        help="keep the database of an earlier run, add offers only up to each size, skip the Wagtail baseline",
    )
    args = parser.parse_args()

    open_catalogue(args.database, fresh=not args.embedded_only)
    from django.db import connection

    from search.engines.database import DatabaseEngine

    engine = DatabaseEngine()
    queries = mediator_queries()
    print(f"Machine: {machine()}")
    print(f"Database: {connection.vendor}; {len(queries)} queries x {REPEATS} runs after one warm-up each")
    print()
    print(f"{'engine':<22}{'db':<12}{'offers':>8}{'p50 ms':>9}{'p95 ms':>9}{'mean ms':>9}{'p95 ratio':>11}")
    for size in sorted(args.sizes):
        timings = prepare(size, wagtail_index=not args.embedded_only)
        embedded = summary(measure(engine.search, queries))
        catch_up_ms = search_after_one_change(engine, queries[0])
        print(row("embedded (search/)", connection.vendor, size, embedded, ""), flush=True)
        if not args.embedded_only:
            # The baseline takes tens of seconds a query at 100k offers: there, each query runs once.
            slow = size > BASELINE_FULL_RUNS_UP_TO
            baseline = summary(measure(baseline_search, queries, repeats=1 if slow else REPEATS, warm_up=not slow))
            runs = "  1 run per query, no warm-up" if slow else ""
            ratio = f"{baseline[1] / embedded[1]:.1f}x"
            print(row("Wagtail search + ORM", connection.vendor, size, baseline, ratio) + runs)
        wagtail_index = f", Wagtail index in {timings['wagtail_index_s']:.1f} s" if "wagtail_index_s" in timings else ""
        print(
            f"  {size} offers: generated in {timings['generate_s']:.1f} s, "
            f"embedded reindex of {timings['reindexed']} offers in {timings['reindex_s']:.1f} s{wagtail_index}"
            + (f", then VACUUM ANALYZE of the index in {timings['vacuum_s']:.1f} s" if "vacuum_s" in timings else "")
        )
        print(
            f"  in-memory columns: first load {timings['columns_load_s']:.2f} s, process RSS after it "
            f"{timings['rss_mb']:.0f} MB; a search right after one offer changed: {catch_up_ms:.1f} ms",
            flush=True,
        )
    print(f"Peak memory of this process (acts as one web worker): {peak_memory_mb():.0f} MB")


if __name__ == "__main__":
    main()
