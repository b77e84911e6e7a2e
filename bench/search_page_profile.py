"""One search page at a time, in one process with production settings: where a page's time goes.

Usage (on the database ``bench/search_page_load.py`` built; it is only read):
    DATABASE=postgres://postgres@127.0.0.1:5432/bench_vrijetijdsnet REDIS_URL=redis://127.0.0.1:6379/0 \
        .venv/bin/python bench/search_page_profile.py [--profile]

Renders the load bench's pages of ``/aanbod/`` in turn through Django's test client (no server, no
network), ``--repeat`` rounds after one round of warm-up, and prints each page's median time, its SQL
queries and its size, then p50/p95 over all pages. One request at a time is far less sensitive to
others' load on the machine than the load bench. ``--profile`` adds cProfile's heaviest functions.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import REPO_ROOT, machine  # noqa: E402
from bench.search_latency import mediator_queries  # noqa: E402
from bench.search_page_load import BROWSING, query_path, server_environment  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database", default=os.environ.get("DATABASE", "postgres://postgres@127.0.0.1:5432/bench_vrijetijdsnet")
    )
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", ""))
    parser.add_argument("--repeat", type=int, default=5, help="measured rounds over the pages")
    parser.add_argument("--profile", action="store_true", help="print cProfile's heaviest functions")
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="vrijetijdsnet-page-profile-")
    os.environ.update(server_environment(SimpleNamespace(**vars(args), port=8000), Path(scratch) / "static"))
    os.chdir(REPO_ROOT)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    call_command("collectstatic", "--noinput", verbosity=0)
    client = Client(HTTP_ACCEPT_ENCODING="gzip", HTTP_ACCEPT_LANGUAGE="nl-BE,nl;q=0.9", SERVER_NAME="127.0.0.1")
    paths = [query_path(query) for query in mediator_queries()] + list(BROWSING)

    def get(path: str):
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
        return response

    for path in paths:
        get(path)
    times: dict[str, list[float]] = {path: [] for path in paths}
    profiler = cProfile.Profile() if args.profile else None
    for _ in range(args.repeat):
        for path in paths:
            if profiler:
                profiler.enable()
            start = time.perf_counter()
            get(path)
            times[path].append((time.perf_counter() - start) * 1000)
            if profiler:
                profiler.disable()

    print(f"Machine: {machine()}; load average (1 min) {os.getloadavg()[0]:.2f}")
    print(f"{'ms p50':>7} {'SQL':>4} {'KB':>6} {'KB gz':>6}  page")
    queries: list[str] = []
    for path in paths:
        queries.clear()
        with connection.execute_wrapper(lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)):
            response = get(path)
        unpacked = len(client.get(path, HTTP_ACCEPT_ENCODING="").content)
        print(
            f"{statistics.median(times[path]):7.1f} {len(queries):4d} {unpacked / 1024:6.1f} "
            f"{len(response.content) / 1024:6.1f}  {path[:100]}"
        )
    every = sorted(value for values in times.values() for value in values)
    p95 = every[min(len(every) - 1, round(0.95 * len(every)))]
    print(f"All {len(every)} renders: p50 {statistics.median(every):.1f} ms, p95 {p95:.1f} ms")
    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
