"""Kill -9 in the middle of a background import, then run the job again: database and index must agree.

Usage (a fresh database, as for ``bench/import_throughput.py``):
    DATABASE_URL=sqlite:////tmp/import-crash.sqlite3 .venv/bin/python bench/import_crash.py --offers 1000

Stores a spreadsheet of real-place offers as an import job, starts ``manage.py db_worker`` as a
subprocess on the database task queue, kills it with SIGKILL once ``--kill-after`` rows are done,
and prints what the database and the search index hold. Then ``manage.py import_job --resume``
and a worker run (``--batch``) finish the job, and the same job is run a third time to show that
it changes nothing. After each step: live offers in the database, rows in the embedded engine's
index, and live offers a search finds (the engine's own answer, not a table count).
"""

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import REPO_ROOT, fresh_network, machine, setup_django  # noqa: E402

DEFAULT_DATABASE = "sqlite:////tmp/vrijetijdsnet-import-crash.sqlite3"


def manage(*arguments: str) -> subprocess.Popen:
    """``manage.py`` in a process of its own, on the same database and settings (our own arguments only)."""
    return subprocess.Popen([sys.executable, str(REPO_ROOT / "manage.py"), *arguments], env=os.environ.copy())  # noqa: S603


def state(organisation) -> str:
    from catalogue.models import OfferPage
    from search.engines.database import DatabaseEngine
    from search.models import OfferDocument
    from search.query import OfferQuery

    live = set(OfferPage.objects.live().filter(organisation=organisation).values_list("pk", flat=True))
    indexed = set(OfferDocument.objects.values_list("offer_id", flat=True))
    found = DatabaseEngine().search(OfferQuery(page_size=1)).total
    return (
        f"live offers in the database {len(live)}, index rows {len(indexed)}, live offers a search finds {found}; "
        f"live but not indexed {len(live - indexed)}, indexed but not live {len(indexed - live)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offers", type=int, default=1000)
    parser.add_argument("--kill-after", type=int, default=350, help="Kill the worker once this many rows are done.")
    args = parser.parse_args()
    database = os.environ.get("DATABASE_URL", DEFAULT_DATABASE)
    if database == DEFAULT_DATABASE:
        Path(database.removeprefix("sqlite:///")).unlink(missing_ok=True)
    os.environ["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    setup_django(database, search_auto_index=True)

    from django.db import connection, transaction

    from bench.import_throughput import build_spreadsheet
    from catalogue.importing.jobs import import_job_start
    from catalogue.models import ImportJob, Source

    organisation = fresh_network(database)
    content = build_spreadsheet(args.offers, seed=2026)
    print(f"Machine: {machine()}")
    print(f"Database: {connection.vendor} ({database}); {args.offers} offers; kill after {args.kill_after} rows")
    with transaction.atomic():
        job = import_job_start(
            organisation=organisation, source=Source.SPREADSHEET, filename="aanbod.xlsx", content=content, dry_run=False
        )
    connection.close()

    worker = manage("db_worker", "--no-startup-delay", "--interval", "0.2")
    started = time.perf_counter()
    while True:
        job.refresh_from_db()
        if job.done >= args.kill_after or job.finished or time.perf_counter() - started > 600:
            break
        time.sleep(0.05)
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    job.refresh_from_db()
    print(f"Killed the worker (SIGKILL) at {job.done} of {job.total} rows, job {job.status}:")
    print(f"  {state(organisation)}")

    connection.close()
    manage("import_job", "--resume").wait()
    manage("db_worker", "--batch", "--no-startup-delay").wait()
    job.refresh_from_db()
    print(f"Job run again by the worker: {job.status} after {job.runs} runs, totals {job.report['totals']}:")
    print(f"  {state(organisation)}")

    ImportJob.objects.filter(pk=job.pk).update(status="queued")
    manage("import_job", str(job.pk)).wait()
    job.refresh_from_db()
    print(f"The same job a third time: totals {job.report['totals']}:")
    print(f"  {state(organisation)}")


if __name__ == "__main__":
    main()
