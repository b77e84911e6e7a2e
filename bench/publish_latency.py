"""Publish latency through the API on the production stack, with Elasticsearch absent, refusing or hanging.

Usage, in the environment .ci/production_check sets up (run it once; its database stays), for example:
    PRODUCTION_CHECK_DATABASE=bench_publish bash .ci/production_check   # migrate, load_demo, the scenario
    ... then with the same variables exported:
    .venv/bin/python bench/publish_latency.py --offers 30 --port 8150

For each mode it starts gunicorn (portal.settings.production, 3 workers) and the db_worker as the scenario
does (its ``Stack``), publishes ``--offers`` new offers through the API with a key, three clients at once,
and prints p50/p95/max latency and throughput. Modes: no ELASTICSEARCH_URL (database engine only), a closed
port (connections refused) and a local server that accepts connections and never answers. A real
Elasticsearch cannot run on these machines, so "up" is not measured here.
"""

import argparse
import importlib.util
import os
import socket
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine, percentile  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def scenario_module():
    """The production scenario's process and HTTP helpers, so the bench starts the stack the same way."""
    spec = importlib.util.spec_from_file_location("production_scenario", REPO / ".ci" / "production_scenario.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offers", type=int, default=30)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PRODUCTION_CHECK_PORT", "8100")))
    args = parser.parse_args()
    os.environ["PRODUCTION_CHECK_PORT"] = str(args.port)
    scenario = scenario_module()
    import django

    django.setup()
    key, _totp, _case = scenario.setup()
    print(f"Machine: {machine()}")
    print(f"{args.offers} publishes per mode through POST /api/v1/offers/, 3 clients at once, gunicorn 3 workers")
    hanging = scenario.HangingServer()
    modes = {
        "no Elasticsearch": None,
        "Elasticsearch refusing (closed port)": f"http://127.0.0.1:{closed_port()}",
        "Elasticsearch hanging (accepts, never answers)": f"http://127.0.0.1:{hanging.port}",
    }
    environment = {key: value for key, value in os.environ.items() if key != "ELASTICSEARCH_URL"}
    for number, (label, url) in enumerate(modes.items()):
        stack = scenario.Stack(f"bench{number}", {**environment, **({"ELASTICSEARCH_URL": url} if url else {})})
        stack.start()
        try:
            stamp = int(time.time())
            began = time.perf_counter()
            with ThreadPoolExecutor(max_workers=3) as pool:
                results = list(
                    pool.map(
                        lambda n, stamp=stamp, number=number: scenario.publish(
                            key, f"Bench publish {number}-{n}", f"bench-{stamp}-{number}-{n}"
                        ),
                        range(args.offers),
                    )
                )
            wall = time.perf_counter() - began
        finally:
            stack.stop()
        ms = [elapsed * 1000 for _pk, elapsed in results]
        created = sum(1 for pk, _elapsed in results if pk)
        print(
            f"{label:<48} p50 {statistics.median(ms):6.0f} ms  p95 {percentile(ms, 0.95):6.0f} ms  "
            f"max {max(ms):6.0f} ms  {created / wall:5.1f} publishes/s  ({created}/{args.offers} created)"
        )
    hanging.close()
    if scenario.failures:
        raise SystemExit(f"{len(scenario.failures)} requests failed")


if __name__ == "__main__":
    main()
