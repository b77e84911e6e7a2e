"""Concurrent editors on SQLite (`make run`): N offers published again at the same moment, each by its own thread.

Usage:
    .venv/bin/python bench/sqlite_concurrent_writes.py --writers 32 --rounds 3
    .venv/bin/python bench/sqlite_concurrent_writes.py --writers 32 --rounds 3 --plain   # SQLite's defaults
    .venv/bin/python bench/sqlite_concurrent_writes.py --writers 32 --rounds 3 --reuse   # the same database again

Makes a fresh SQLite database (migrated, the real neighbourhoods, one organisation with one offer per
writer), then in each round starts every writer at once behind a barrier: each changes its offer's
title, saves a revision, publishes it and writes the search index after commit, as an editor's publish
in the admin does, on its own database connection. Prints per round the writes that failed (by
error), p50/p95 latency and throughput, then the settings used and the machine. ``--plain`` opens the
database with SQLite's defaults (rollback journal, deferred transactions, 5 s timeout): the setting
this benchmark was written against.
"""

import argparse
import random
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import fresh_network, machine, percentile, setup_django  # noqa: E402


def publish_again(offer_id: int, round_number: int) -> None:
    from django.db import transaction

    from catalogue.models import OfferPage

    with transaction.atomic():
        offer = OfferPage.objects.get(pk=offer_id)
        offer.title = f"{offer.title.split(' #')[0]} #{round_number}"
        offer.save_revision().publish()


def run_round(offer_ids: list[int], round_number: int) -> tuple[list[float], Counter[str], float]:
    """Every writer at once; (seconds of each successful write, failures by message, wall-clock seconds)."""
    from django.db import connections

    barrier = threading.Barrier(len(offer_ids))
    latencies: list[float] = []
    failures: Counter[str] = Counter()
    lock = threading.Lock()

    def writer(offer_id: int) -> None:
        barrier.wait()
        began = time.perf_counter()
        try:
            publish_again(offer_id, round_number)
        except Exception as error:  # noqa: BLE001 - every failure is counted by its message
            with lock:
                failures[f"{type(error).__name__}: {error}"] += 1
        else:
            with lock:
                latencies.append(time.perf_counter() - began)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(pk,)) for pk in offer_ids]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, failures, time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--plain", action="store_true", help="SQLite's defaults instead of the portal's options")
    parser.add_argument("--database", default="/tmp/vrijetijdsnet-sqlite-writes.sqlite3")  # noqa: S108
    parser.add_argument("--reuse", action="store_true", help="Keep a database an earlier run set up")
    args = parser.parse_args()
    path = Path(args.database)
    if not args.reuse:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    setup_django(f"sqlite:///{path}")

    from django.conf import settings
    from django.db import connection

    from catalogue.models import OfferPage

    if args.plain:
        settings.DATABASES["default"]["OPTIONS"] = {}
    settings.SEARCH_AUTO_INDEX = True  # a publish writes the search index after commit, as in `make run`

    started = time.perf_counter()
    if args.reuse:
        offer_ids = list(OfferPage.objects.live().order_by("pk").values_list("pk", flat=True)[: args.writers])
    else:
        offer_ids = set_up(path, args.writers)
    journal = connection.cursor().execute("PRAGMA journal_mode").fetchone()[0]
    connection.close()
    print(f"Machine: {machine()}")
    print(f"Database: {path}, journal_mode={journal}, options={settings.DATABASES['default'].get('OPTIONS', {})}")
    print(f"Set up in {time.perf_counter() - started:.1f} s; {len(offer_ids)} writers, {args.rounds} rounds")

    for round_number in range(1, args.rounds + 1):
        latencies, failures, wall = run_round(offer_ids, round_number)
        ms = [latency * 1000 for latency in latencies]
        figures = f"p50 {percentile(ms, 0.5):.0f} ms, p95 {percentile(ms, 0.95):.0f} ms" if ms else "no write succeeded"
        print(
            f"round {round_number}: {len(latencies)}/{len(offer_ids)} writes succeeded, "
            f"{sum(failures.values())} failed; {figures}; {len(latencies) / wall:.1f} writes/s over {wall:.1f} s"
        )
        for message, count in failures.most_common():
            print(f"    {count} x {message}")


def set_up(database: Path, writers: int) -> list[int]:
    """A fresh network (bench.common.fresh_network) and one published offer per writer."""
    from django.utils import timezone

    from catalogue.demo import offer_draft
    from catalogue.models import Domain, Neighbourhood
    from catalogue.services import OfferInput, offer_create

    organisation = fresh_network(str(database))
    rng = random.Random(2026)
    neighbourhoods = list(Neighbourhood.objects.order_by("code"))
    offer_ids = []
    for number in range(1, writers + 1):
        draft = offer_draft(
            number=number,
            domain=list(Domain.values)[number % len(Domain.values)],
            neighbourhood=neighbourhoods[(number * 7) % len(neighbourhoods)],
            rng=rng,
            today=timezone.localdate(),
        )
        data = OfferInput(values=draft.values, time_slots=draft.time_slots, extra_costs=draft.extra_costs)
        offer_ids.append(offer_create(parent=organisation.page, data=data, publish=True).pk)
    return offer_ids


if __name__ == "__main__":
    main()
