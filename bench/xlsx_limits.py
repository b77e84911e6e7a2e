"""Peak memory and time to read (or refuse) crafted 5 MB spreadsheets through the import's reading layer.

Usage:
    .venv/bin/python bench/xlsx_limits.py [--size-mb 5]

Each file is read in a fresh process (peak memory is per process): a sheet of 2,000 columns
(rows to reach the size) with an honest dimension, the same without a dimension element, a zip bomb (one member of
zeros), a sheet declaring a million rows, and the largest honest file: 5,000 offers of 63 columns
of varied text. Prints, per file: its size, what it unpacks to, the outcome, the wall time and the
process's peak resident memory (and the part above the interpreter with Django loaded), then the machine.
"""

import argparse
import io
import json
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine, setup_django  # noqa: E402


def high_water_mb() -> float:
    """Peak resident memory of this process image (VmHWM starts afresh at exec; ru_maxrss keeps the parent's)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


KINDS = ["wide_sheet", "wide_sheet_no_dimension", "zip_bomb", "million_rows_declared", "honest_5000_offers"]


def _column(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _workbook(sheet_xml: bytes, extra: dict[str, bytes] | None = None) -> bytes:
    """A valid .xlsx (openpyxl's own skeleton) with its sheet replaced and other members added."""
    from openpyxl import Workbook

    skeleton = io.BytesIO()
    book = Workbook()
    book.active.title = "Aanbod"
    book.save(skeleton)
    source = zipfile.ZipFile(skeleton)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for member in source.infolist():
            data = sheet_xml if member.filename == "xl/worksheets/sheet1.xml" else source.read(member)
            archive.writestr(member.filename, data)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _sheet(rows: int, columns: int, *, dimension: str | None, cell) -> bytes:
    head = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    if dimension:
        head += f'<dimension ref="{dimension}"/>'
    out = [head.encode(), b"<sheetData>"]
    letters = [_column(index) for index in range(1, columns + 1)]
    for number in range(1, rows + 1):
        cells = "".join(cell(letter, number) for letter in letters)
        out.append(f'<row r="{number}">{cells}</row>'.encode())
    out.append(b"</sheetData></worksheet>")
    return b"".join(out)


def craft(kind: str, size_mb: float) -> bytes:
    numbers = lambda letter, number: f'<c r="{letter}{number}"><v>{number}</v></c>'  # noqa: E731
    rows = max(1, round(1050 * size_mb / 5))  # 2,000 columns of numbers pack to about 5 MB per 1,050 rows
    if kind == "wide_sheet":
        return _workbook(_sheet(rows, 2000, dimension=f"A1:{_column(2000)}{rows}", cell=numbers))
    if kind == "wide_sheet_no_dimension":
        return _workbook(_sheet(rows, 2000, dimension=None, cell=numbers))
    if kind == "zip_bomb":
        rng = random.Random(1)
        filler = bytes(rng.getrandbits(8) for _ in range(int(size_mb * 1024 * 1024 * 0.9)))
        return _workbook(
            _sheet(3, 3, dimension="A1:C3", cell=numbers),
            {"xl/media/image1.png": filler, "xl/sharedStrings.xml": b"\0" * (1024 * 1024 * 1024)},
        )
    if kind == "million_rows_declared":
        return _workbook(_sheet(3, 3, dimension="A1:XFD1048576", cell=numbers))
    rng = random.Random(2)
    words = ["zwemmen", "theater", "jeugd", "Kiel", "gratis", "begeleider", "rolstoel", "za", "wo", "ja", "nee"]

    def text(letter, number):
        value = " ".join(rng.choice(words) for _ in range(rng.randint(1, 6))) + f" {rng.randint(0, 10**6)}"
        return f'<c r="{letter}{number}" t="inlineStr"><is><t>{value}</t></is></c>'

    return _workbook(_sheet(5002, 63, dimension="A1:BK5002", cell=text))


def measure(path: str) -> dict:
    setup_django("sqlite:////tmp/vrijetijdsnet-bench-xlsx.sqlite3")
    from catalogue.importing.spreadsheet import SheetTooLarge, _xlsx_rows

    content = Path(path).read_bytes()
    baseline = high_water_mb()
    start = time.perf_counter()
    try:
        outcome = f"read {len(_xlsx_rows(content))} rows"
    except SheetTooLarge as refusal:
        outcome = f"refused: {refusal}"
    elapsed = (time.perf_counter() - start) * 1000
    return {"outcome": outcome, "ms": elapsed, "peak_mb": high_water_mb(), "baseline_mb": baseline}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mb", type=float, default=5.0)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return
    print(f"{'file':<26} {'MB':>6} {'unpacked MB':>12} {'ms':>9} {'peak MB':>8} {'+MB':>6}  outcome")
    with tempfile.TemporaryDirectory() as folder:
        for kind in KINDS:
            content = craft(kind, args.size_mb)
            path = Path(folder) / f"{kind}.xlsx"
            path.write_bytes(content)
            unpacked = sum(member.file_size for member in zipfile.ZipFile(io.BytesIO(content)).infolist())
            result = json.loads(
                subprocess.run(  # noqa: S603 (this interpreter, this script)
                    [sys.executable, __file__, "--measure", str(path)], check=True, capture_output=True, text=True
                ).stdout.splitlines()[-1]
            )
            print(
                f"{kind:<26} {len(content) / 2**20:>6.2f} {unpacked / 2**20:>12.1f} {result['ms']:>9.1f} "
                f"{result['peak_mb']:>8.1f} {result['peak_mb'] - result['baseline_mb']:>6.1f}  {result['outcome'][:70]}"
            )
    print(f"machine: {machine()}")


if __name__ == "__main__":
    main()
