"""The embedded engine's words in memory against the database's text table, on a bench database left as it is.

Usage (after bench/networks_scale.py made the database; this run only reads it):
    DATABASE=sqlite:////tmp/vrijetijdsnet-networks.sqlite3 .venv/bin/python bench/words_in_memory.py

For every text of ``bench.search_latency.mediator_queries``, alone and within each network that
bench measures: whether the words in memory select the same rows as the database's text table,
and whether the search's total is the same with either; then per term, p50/p95 ms of each lookup.
"""

import argparse
import os
import sys
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import percentile  # noqa: E402
from bench.networks_scale import DEFAULT_DATABASE, measured_networks, network_query  # noqa: E402
from bench.search_latency import mediator_queries, open_catalogue  # noqa: E402

REPEATS = 50


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=os.environ.get("DATABASE", DEFAULT_DATABASE))
    args = parser.parse_args()
    open_catalogue(args.database, fresh=False)
    from search.engines import columns as index_columns
    from search.engines.database import DatabaseEngine
    from search.engines.words import Words, matching_ids
    from search.text import query_terms

    started = time.perf_counter()
    held = index_columns.current()
    words = held.words
    megabytes = (words.rows.nbytes + words.offsets.nbytes) / 2**20
    print(
        f"{held.size} offers, columns loaded in {time.perf_counter() - started:.2f} s; {len(words.vocabulary)} "
        f"distinct words, {len(words.rows)} (word, row) postings, {megabytes:.1f} MB"
    )
    engine = DatabaseEngine()
    texts = [query.text for query in mediator_queries()]
    queries = list(mediator_queries())
    for _role, network, _offers in measured_networks():
        queries += [network_query(network, text) for text in texts]
    differing = 0
    for query in queries:
        terms = query_terms(query.text)
        in_memory = held.words.matching(terms, held.size) & held.alive
        if not (in_memory == held.rows_of(matching_ids(terms))).all():
            differing += 1
            print(f"  rows differ: {query.text!r}")
        total = engine.search(query).total
        with mock.patch.object(Words, "matching", return_value=None):
            total_sql = engine.search(query).total
        if total != total_sql:
            differing += 1
            print(f"  totals differ: {query.text!r} {total} in memory, {total_sql} in SQL")
    print(f"{len(queries)} searches compared (rows and totals): {differing} differ")
    print(f"{'text':<18}{'rows':>8}   {'memory p50':>10} {'p95':>6}   {'SQL p50':>8} {'p95':>6}")
    for text in texts:
        terms = query_terms(text)
        timings: dict[str, list[float]] = {"memory": [], "sql": []}
        for _ in range(REPEATS):
            started = time.perf_counter()
            found = held.words.matching(terms, held.size)
            timings["memory"].append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            held.rows_of(matching_ids(terms))
            timings["sql"].append((time.perf_counter() - started) * 1000)
        spread = {kind: [percentile(samples, f) for f in (0.5, 0.95)] for kind, samples in timings.items()}
        print(
            f"{text:<18}{int(found.sum()):>8}   {spread['memory'][0]:>10.2f} {spread['memory'][1]:>6.2f}"
            f"   {spread['sql'][0]:>8.2f} {spread['sql'][1]:>6.2f}"
        )


if __name__ == "__main__":
    main()
