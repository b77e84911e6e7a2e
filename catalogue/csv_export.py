"""CSV for Belgian Excel: UTF-8 with a byte order mark, ``;`` between cells, CRLF, formulas neutralised.

A cell of text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would run as
a formula when the file is opened (CSV injection, OWASP); such text gets a leading apostrophe.
Numbers are written as they are.
"""

import csv
import io
from collections.abc import Iterable, Sequence

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """A text cell that a spreadsheet would read as a formula, made plain text; other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


def belgian_csv(rows: Iterable[Sequence[object]], header: Sequence[str] | None = None) -> str:
    """The rows (after the header, when given) as one CSV text that Belgian Excel opens as it should."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    if header is not None:
        writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return BOM + buffer.getvalue()
