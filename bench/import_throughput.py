"""Import throughput: a spreadsheet of N realistic offers imported into a fresh database, then imported again.

Usage (the database must be fresh: a new SQLite file, or an empty PostgreSQL database):
    DATABASE_URL=sqlite:////tmp/import-bench.sqlite3 DJANGO_SETTINGS_MODULE=portal.settings.dev \\
        .venv/bin/python bench/import_throughput.py --offers 5000

Migrates the database, loads the real neighbourhoods, themes and languages, and makes one
organisation. The offers come from ``catalogue.demo.offer_draft`` (realistic values on the real
neighbourhoods), written into the XLSX template the way a partner fills it in. The first import
creates and publishes every offer (a Wagtail page with a revision each); the second is the same
file again, which must change nothing. Prints offers per second for both (reading the file
included), the peak memory of the process and the machine.

As in production, the catalogue's search index (the embedded engine) is written after each batch
commits and counts in the import's time, and background tasks go to the database queue
(``django_tasks_db``): Wagtail's own page search and reference index for the new offers are left to
the worker, whose time for them is printed separately (``db_worker --batch`` run afterwards), as
is the open-data change feed's record of the new offers. Besides wall time the bench prints the
process's CPU time and the load average: on a shared machine the wall time says more about the
neighbours than about the import.
``--profile`` prints a pyinstrument profile of the first import.
"""

import argparse
import io
import os
import random
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import fresh_network, machine, peak_memory_mb, setup_django  # noqa: E402

DEFAULT_DATABASE = "sqlite:////tmp/vrijetijdsnet-import-bench.sqlite3"
WEEKDAY_WORDS = ["ma", "di", "wo", "do", "vr", "za", "zo"]


def spreadsheet_cells(draft) -> dict:
    """One demo offer as the cells of the template, in the words a partner writes."""
    from catalogue.importing.rows import COLUMNS, RELATIONS
    from catalogue.models import Commitment, Domain, ExtraCostKind, PriceUnit, ReducedTariff, Registration

    words = {
        "domain": {Domain.SPORT: "sport", Domain.CULTURE: "cultuur", Domain.YOUTH: "jeugd", Domain.OTHER: "ander"},
        "price_unit": {
            PriceUnit.SESSION: "beurt",
            PriceUnit.MONTH: "maand",
            PriceUnit.SEASON: "seizoen",
            PriceUnit.YEAR: "jaar",
            PriceUnit.ONCE: "eenmalig",
        },
        "commitment": {
            Commitment.SINGLE: "eenmalig",
            Commitment.DROP_IN: "vrij",
            Commitment.SERIES: "reeks",
            Commitment.SEASON: "seizoen",
        },
        "dutch_level": {0: "geen", 1: "basis", 2: "goed"},
    }
    kinds = {
        ExtraCostKind.MATERIAL: "materiaal",
        ExtraCostKind.CLOTHING: "kledij",
        ExtraCostKind.MEMBERSHIP: "lidgeld",
        ExtraCostKind.INSURANCE: "verzekering",
        ExtraCostKind.OTHER: "ander",
    }
    values = draft.values
    cells = {}
    for column in COLUMNS:
        value = values.get(column.field)
        if column.field in RELATIONS or column.field == "reduced_tariff":
            continue
        if column.field in words:
            cells[column.name] = words[column.field][value]
        elif column.field == "registration":
            cells[column.name] = "ja" if value == Registration.REQUIRED else "nee"
        elif isinstance(value, bool):
            cells[column.name] = "ja" if value else "nee"
        elif isinstance(value, Decimal):
            cells[column.name] = f"{value:.2f}".replace(".", ",")
        elif isinstance(value, date):
            cells[column.name] = value.strftime("%d/%m/%Y")
        elif value is not None:
            cells[column.name] = value
    tariff = values.get("reduced_tariff", "")
    cells["kansentarief"] = "ja" if tariff in (ReducedTariff.UITPAS, ReducedTariff.BOTH) else "nee"
    cells["sociaal_tarief"] = "ja" if tariff in (ReducedTariff.SOCIAL, ReducedTariff.BOTH) else "nee"
    cells["themas"] = "; ".join(draft.theme_names)
    cells["talen"] = "; ".join(draft.language_codes)
    cells["momenten"] = "; ".join(
        f"{WEEKDAY_WORDS[slot.weekday]} {slot.start_time:%H:%M}-{slot.end_time:%H:%M}" for slot in draft.time_slots
    )
    cells["extra_kosten"] = "; ".join(
        f"{kinds[cost.kind]} {cost.amount:.2f}".replace(".", ",") + ("" if cost.required else " optioneel")
        for cost in draft.extra_costs
    )
    return cells


def build_spreadsheet(count: int, *, seed: int) -> bytes:
    """The template filled with ``count`` demo offers spread over the real neighbourhoods and all domains."""
    from django.utils import timezone

    import openpyxl

    from catalogue.demo import offer_draft
    from catalogue.importing.rows import COLUMN_NAMES
    from catalogue.importing.spreadsheet import template_xlsx
    from catalogue.models import Domain, Neighbourhood

    rng = random.Random(seed)
    neighbourhoods = list(Neighbourhood.objects.select_related("district").order_by("code"))
    domains = list(Domain.values)
    today = timezone.localdate()
    workbook = openpyxl.load_workbook(io.BytesIO(template_xlsx()))
    sheet = workbook["Aanbod"]
    for number in range(1, count + 1):
        draft = offer_draft(
            number=number,
            domain=domains[number % len(domains)],
            neighbourhood=neighbourhoods[(number * 7) % len(neighbourhoods)],
            rng=rng,
            today=today,
        )
        cells = spreadsheet_cells(draft)
        sheet.append([cells.get(name) for name in COLUMN_NAMES])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def timed_import(organisation, content: bytes) -> tuple[float, float, dict]:
    """(seconds reading the file, seconds writing, totals) for one import of the spreadsheet."""
    from catalogue.importing.spreadsheet import read_sheet
    from catalogue.importing.sync import ItemAction, feed_sync
    from catalogue.models import Source

    started, cpu_started = time.perf_counter(), time.process_time()
    feed = read_sheet(content, "aanbod.xlsx")
    read_s = time.perf_counter() - started
    if feed.problems:
        raise SystemExit(f"The generated file was refused: {[str(problem) for problem in feed.problems]}")
    started = time.perf_counter()
    report = feed_sync(organisation=organisation, source=Source.SPREADSHEET, items=feed.items)
    write_s = time.perf_counter() - started
    totals = {**report.totals, "cpu_s": time.process_time() - cpu_started}
    refused = report.of(ItemAction.REFUSED)
    if refused:
        print(f"  refused, first of {len(refused)}: {[str(error) for error in refused[0].errors]}")
    return read_s, write_s, totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offers", type=int, default=5000, help="How many offers the spreadsheet holds (max 5000).")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--profile", action="store_true", help="Print a pyinstrument profile of the first import.")
    args = parser.parse_args()
    database = os.environ.get("DATABASE_URL", DEFAULT_DATABASE)
    if database == DEFAULT_DATABASE:
        Path(database.removeprefix("sqlite:///")).unlink(missing_ok=True)
    os.environ["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
    setup_django(database, search_auto_index=True)

    from django.core.management import call_command
    from django.db import connection

    from catalogue.importing.spreadsheet import MAX_ROWS
    from catalogue.models import OfferPage
    from search.models import OfferDocument

    if args.offers > MAX_ROWS:
        raise SystemExit(f"One spreadsheet holds at most {MAX_ROWS} offers.")
    organisation = fresh_network(database)

    started = time.perf_counter()
    content = build_spreadsheet(args.offers, seed=args.seed)
    print(f"Machine: {machine()}")
    print(f"Database: {connection.vendor} ({database})")
    print(
        f"Spreadsheet: {args.offers} offers, {len(content) / 1e6:.1f} MB XLSX, "
        f"generated in {time.perf_counter() - started:.1f} s"
    )
    for label in ("first import (creates)", "second import (same file)"):
        profiler = None
        if args.profile and label.startswith("first"):
            from pyinstrument import Profiler

            profiler = Profiler()
            profiler.start()
        read_s, write_s, totals = timed_import(organisation, content)
        if profiler:
            profiler.stop()
            print(profiler.output_text(color=False, show_all=False))
        cpu_s = totals.pop("cpu_s")
        rate = args.offers / (read_s + write_s)
        counts = ", ".join(f"{action} {count}" for action, count in totals.items() if count)
        print(
            f"{label:<28} {rate:8.1f} offers/s   (read {read_s:.1f} s + write {write_s:.1f} s; {counts}); "
            f"CPU {cpu_s:.1f} s = {args.offers / cpu_s:.0f} offers per CPU-second; "
            f"load average {os.getloadavg()[0]:.1f}"
        )
    started = time.perf_counter()
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    background_s = time.perf_counter() - started
    print(f"Background work left to the worker (Wagtail's page search, reference index): {background_s:.1f} s")
    print(f"Live offers: {OfferPage.objects.live().filter(organisation=organisation).count()}")
    print(f"Searchable (catalogue index rows): {OfferDocument.objects.count()}")
    print(f"Peak memory of this process: {peak_memory_mb():.0f} MB resident (getrusage)")


if __name__ == "__main__":
    main()
