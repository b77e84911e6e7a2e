"""The public search page under load: gunicorn with production settings, 20 closed-loop connections, wrk.

Usage (PostgreSQL; the database is created when missing and kept between runs):
    DATABASE=postgres://postgres@127.0.0.1:5432/bench_vrijetijdsnet .venv/bin/python bench/search_page_load.py
    make bench-search-page

Brings the database to ``--offers`` offers with the builder of ``bench/search_latency.py`` (real
neighbourhoods, live Wagtail pages, the embedded index), collects the static files, starts gunicorn
from ``gunicorn.conf.py`` with ``portal.settings.production`` (``--workers`` workers, Redis as the
cache when ``REDIS_URL`` is set), checks every page of the mix answers 200, warms the workers up,
then runs wrk (``--connections`` connections without think time, ``--duration`` seconds) over a mix
of mediator searches on ``/aanbod/``: the 20 queries of the latency bench (text and three or more
filters each) and four ways of browsing (no filter, one domain, a second page, around a
neighbourhood). The browser's ``Accept-Encoding: gzip`` is sent, as a browser does.

Prints requests per second, p50/p95/p99/max latency, errors (non-2xx, timeouts, socket errors), the
page's size as sent and unpacked, the workers' memory, and the machine.
"""

import argparse
import gzip
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import REPO_ROOT, machine, summary  # noqa: E402
from bench.search_latency import mediator_queries, open_catalogue, prepare  # noqa: E402

BROWSING = (
    "/aanbod/",
    "/aanbod/?domains=sport",
    "/aanbod/?q=zwemmen&page=2",
    "/aanbod/?near_neighbourhood=BOR02&within_km=2&sort=distance",
)
WRK_SCRIPT = """
local paths = {%(paths)s}
local next_path = 0
wrk.headers["Accept-Encoding"] = "gzip"
wrk.headers["Accept-Language"] = "nl-BE,nl;q=0.9"

request = function()
  next_path = next_path %% #paths + 1
  return wrk.format("GET", paths[next_path])
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%%d duration_us=%%d bytes=%%d connect=%%d read=%%d write=%%d status=%%d timeout=%%d "
      .. "p50=%%d p95=%%d p99=%%d max=%%d\\n",
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def query_path(query) -> str:
    """The /aanbod/ address a person gets by filling the search form in as ``query`` says."""
    params: list[tuple[str, str]] = []
    if query.text:
        params.append(("q", query.text))
    if query.max_cost is not None:
        params.append(("max_cost", str(query.max_cost)))
    for name, flag in (("uitpas", query.has_uitpas), ("social_tariff", query.social_tariff), ("free", query.free_only)):
        if flag:
            params.append((name, "true"))
    for name in ("accessibility", "facts", "districts", "neighbourhoods", "weekdays", "parts_of_day", "languages"):
        params += [(name, str(value)) for value in getattr(query, name)]
    params += [("domains", value) for value in query.domains]
    if query.near is not None:
        params.append(("near", f"{query.near.latitude},{query.near.longitude}"))
    if query.within_km is not None:
        params.append(("within_km", str(query.within_km)))
    if query.age is not None:
        params.append(("age", str(query.age)))
    if query.dutch_level is not None:
        params.append(("dutch_level", str(query.dutch_level)))
    if query.sort != "relevance":
        params.append(("sort", str(query.sort)))
    return "/aanbod/?" + urlencode(params)


def server_environment(args, static_root: Path) -> dict[str, str]:
    from cryptography.fernet import Fernet

    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "DJANGO_SECRET_KEY": "bench-only-" + Fernet.generate_key().decode(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{args.port}",
        "WORKSPACE_CONTACT_KEYS": Fernet.generate_key().decode(),
        "DATABASE_URL": args.database,
        "DATABASE_CONN_MAX_AGE": "60",  # as docker-compose.yml sets it
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_STATIC_ROOT": str(static_root),
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    if args.redis_url:
        environment["REDIS_URL"] = args.redis_url
    else:
        environment.pop("REDIS_URL", None)
    environment.pop("ELASTICSEARCH_URL", None)
    return environment


def fetch(url: str, *, compressed: bool) -> tuple[int, bytes, int]:
    """(status, unpacked body, bytes on the wire) of one GET."""
    headers = {"Accept-Encoding": "gzip"} if compressed else {}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (our own server on 127.0.0.1)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            body = response.read()
            status, encoding = response.status, response.headers.get("Content-Encoding", "")
    except urllib.error.HTTPError as error:
        body, status, encoding = error.read(), error.code, error.headers.get("Content-Encoding", "")
    wire = len(body)
    if encoding == "gzip":
        body = gzip.decompress(body)
    return status, body, wire


def wait_until_up(base: str, process: subprocess.Popen, *, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode}")
        try:
            fetch(base + "/aanbod/", compressed=False)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer on {base} within {seconds:.0f} s")


def worker_pids(master_pid: int) -> list[int]:
    """The gunicorn workers: the master's children."""
    pids = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master_pid}$", text, re.MULTILINE):
            pids.append(int(status.parent.name))
    return pids


def worker_memory_mb(master_pid: int) -> list[float]:
    """Resident memory of each gunicorn worker."""
    sizes = []
    for pid in worker_pids(master_pid):
        text = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"^VmRSS:\s+(\d+)", text, re.MULTILINE).group(1)) / 1024)
    return sorted(sizes)


def workers_cpu_seconds(master_pid: int) -> float:
    """User and system CPU time the workers have used so far."""
    ticks = 0
    for pid in worker_pids(master_pid):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime and stime, the 14th and 15th fields of stat
    return ticks / os.sysconf("SC_CLK_TCK")


def run_wrk(
    base: str, paths: list[str], *, connections: int, seconds: int, script: Path, nice: int = 0
) -> dict[str, int]:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is missing: apt-get install wrk (make bench-search-page installs it)")
    script.write_text(WRK_SCRIPT % {"paths": ", ".join(f'"{path}"' for path in paths)})
    # One wrk thread keeps the load generator off the two cores the workers need; 20 connections need no more.
    command = [wrk, "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script), base]
    output = subprocess.run(  # noqa: S603
        command, capture_output=True, text=True, check=True, preexec_fn=lambda: os.nice(nice)
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    return {key: int(value) for key, value in (item.split("=") for item in line.split()[1:])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database", default=os.environ.get("DATABASE", "postgres://postgres@127.0.0.1:5432/bench_vrijetijdsnet")
    )
    parser.add_argument("--offers", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--duration", type=int, default=30, help="seconds of measured load")
    parser.add_argument("--warm-up", type=int, default=5, help="seconds of load before measuring")
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8765")))
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", ""))
    parser.add_argument("--gunicorn-config", default=str(REPO_ROOT / "gunicorn.conf.py"))
    parser.add_argument("--fresh", action="store_true", help="drop the database's tables first")
    parser.add_argument(
        "--nice",
        type=int,
        default=0,
        help="gunicorn's and wrk's niceness (e.g. -15, as root): others' work on a shared machine weighs less",
    )
    args = parser.parse_args()
    if not args.database.startswith("postgres"):
        raise SystemExit("the page bench runs on PostgreSQL, as production does")

    open_catalogue(args.database, fresh=args.fresh)
    from catalogue.models import OfferPage

    if OfferPage.objects.live().count() > args.offers:
        raise SystemExit(f"the database holds more than {args.offers} offers: use --fresh or another database")
    from search.models import OfferDocument

    if OfferPage.objects.live().count() == OfferDocument.objects.count() == args.offers:
        timings = {"reindexed": args.offers}  # an earlier run left the catalogue and its index as asked
    else:
        timings = prepare(args.offers, wagtail_index=False)
    from django.db import connections

    connections.close_all()

    paths = [query_path(query) for query in mediator_queries()] + list(BROWSING)
    base = f"http://127.0.0.1:{args.port}"
    with tempfile.TemporaryDirectory(prefix="vrijetijdsnet-page-bench-") as scratch:
        environment = server_environment(args, Path(scratch) / "static")
        python = str(Path(sys.executable))
        subprocess.run(  # noqa: S603
            [python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=REPO_ROOT, env=environment, check=True
        )
        gunicorn = [
            python,
            "-m",
            "gunicorn",
            "--config",
            args.gunicorn_config,
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "portal.wsgi:application",
        ]
        server = subprocess.Popen(gunicorn, cwd=REPO_ROOT, env=environment, preexec_fn=lambda: os.nice(args.nice))  # noqa: S603
        try:
            wait_until_up(base, server)
            sizes, wire_sizes = [], []
            for path in paths:
                status, body, wire = fetch(base + path, compressed=True)
                if status != 200:
                    raise SystemExit(f"{path} answered {status}: {body[:500]!r}")
                sizes.append(len(body))
                wire_sizes.append(wire)
            if args.warm_up:
                run_wrk(
                    base,
                    paths,
                    connections=args.connections,
                    seconds=args.warm_up,
                    script=Path(scratch) / "w.lua",
                    nice=args.nice,
                )
            load_before = os.getloadavg()[0]
            cpu_before = workers_cpu_seconds(server.pid)
            figures = run_wrk(
                base,
                paths,
                connections=args.connections,
                seconds=args.duration,
                script=Path(scratch) / "w.lua",
                nice=args.nice,
            )
            cpu_seconds = workers_cpu_seconds(server.pid) - cpu_before
            memory = worker_memory_mb(server.pid)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)

    seconds = figures["duration_us"] / 1e6
    errors = sum(figures[key] for key in ("connect", "read", "write", "status", "timeout"))
    unpacked = summary([size / 1024 for size in sizes])
    sent = summary([size / 1024 for size in wire_sizes])
    print(f"Machine: {machine()}")
    built = ""
    if "reindex_s" in timings:
        built = f" (added in {timings['generate_s']:.1f} s, reindexed in {timings['reindex_s']:.1f} s)"
    print(f"Catalogue: {timings['reindexed']} live offers on PostgreSQL{built}")
    load_after = os.getloadavg()[0]
    print(f"Load average (1 min) before and after: {load_before:.2f}, {load_after:.2f} on {os.cpu_count()} cores")
    print(
        f"Server: gunicorn, {args.workers} workers, portal.settings.production, config {args.gunicorn_config}, "
        f"cache {'Redis ' + args.redis_url if args.redis_url else 'local memory'}, niceness {args.nice}"
    )
    print(
        f"Load: wrk, {args.connections} connections without think time, {args.duration} s after {args.warm_up} s "
        f"of warm-up, {len(paths)} pages of /aanbod/ in turn"
    )
    print(
        f"Page size: unpacked p50 {unpacked[0]:.1f} KB (max {max(sizes) / 1024:.1f} KB), "
        f"sent p50 {sent[0]:.1f} KB (max {max(wire_sizes) / 1024:.1f} KB)"
    )
    print(
        f"Throughput: {figures['requests'] / seconds:.1f} pages/s ({figures['requests']} requests, "
        f"{figures['bytes'] / seconds / 1024:.0f} KB/s)"
    )
    print(
        f"Latency ms: p50 {figures['p50'] / 1000:.1f}, p95 {figures['p95'] / 1000:.1f}, "
        f"p99 {figures['p99'] / 1000:.1f}, max {figures['max'] / 1000:.1f}"
    )
    print(
        f"Errors: {errors} (non-2xx {figures['status']}, timeouts {figures['timeout']}, "
        f"connect {figures['connect']}, read {figures['read']}, write {figures['write']})"
    )
    # CPU time does not grow when other processes share the cores, so it compares runs on a busy machine.
    print(f"Workers' CPU time per page: {cpu_seconds * 1000 / max(1, figures['requests']):.1f} ms")
    print("Worker memory after the run: " + ", ".join(f"{size:.0f} MB" for size in memory))


if __name__ == "__main__":
    main()
