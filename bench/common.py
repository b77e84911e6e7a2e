"""Shared benchmark helpers: Django set up on a chosen database, a fresh network in it, machine facts, percentiles."""

import os
import platform
import resource
import statistics
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from organisations.models import Organisation

REPO_ROOT = Path(__file__).resolve().parent.parent


def setup_django(database_url: str, *, search_auto_index: bool = False) -> None:
    """Point Django at the benchmark database before anything imports models."""
    sys.path.insert(0, str(REPO_ROOT))
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    os.environ["DJANGO_DEBUG"] = "false"  # no query log in memory
    os.environ["SEARCH_AUTO_INDEX"] = "true" if search_auto_index else "false"
    import django

    django.setup()


def fresh_network(database: str) -> "Organisation":
    """Migrate an empty database and give it the real neighbourhoods, the site and one partner organisation.

    ``database`` names the database in the refusal when it is not empty (a benchmark writes into it).
    """
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from catalogue.services import neighbourhoods_load
    from organisations.models import OrganisationKind
    from organisations.services import organisation_create
    from portal.demo import ensure_reference_data, ensure_site

    if connection.introspection.table_names():
        raise SystemExit(f"{database} is not empty; give a fresh database (this benchmark writes into it).")
    call_command("migrate", "--noinput", verbosity=0)
    geojson = settings.NETWORK_NEIGHBOURHOODS_GEOJSON
    neighbourhoods_load(
        geojson_path=geojson, scores_path=geojson.parent / "antwerpen-wijken-sociaaleconomische-score-2025.csv"
    )
    _home, index = ensure_site()
    ensure_reference_data()
    return organisation_create(
        index=index, name="Benchmark partner", kind=OrganisationKind.LEISURE_PROVIDER, email="bench@partner.example"
    )


def machine() -> str:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        f"{platform.node()}: {cpu}, {os.cpu_count()} cores, load average {load}, "
        f"Python {platform.python_version()}, {platform.platform()}"
    )


def database() -> str:
    """The database Django is connected to, with its version."""
    from django.db import connection

    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version}"
    major, rest = divmod(connection.pg_version, 10000)
    return f"{connection.display_name} {major}.{rest % 100}" if major >= 10 else connection.display_name


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def summary(samples: list[float]) -> tuple[float, float, float]:
    """(p50, p95, mean) in milliseconds."""
    return percentile(samples, 0.5), percentile(samples, 0.95), statistics.fmean(samples)


def peak_memory_mb() -> float:
    """Peak resident set size of this process (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def resident_memory_mb() -> float:
    """Resident set size of this process now."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")
