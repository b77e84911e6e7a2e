"""CSV for Belgian Excel: UTF-8 with a byte order mark, ``;`` between cells, CRLF, formulas neutralised.

Every CSV the portal writes goes through here. A cell of text that starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return would run as a formula when the file is opened (CSV injection,
https://owasp.org/www-community/attacks/CSV_Injection); such text gets a leading apostrophe, which
Excel and LibreOffice show as plain text. Numbers, and text that is only a number (``-3,5``), are
written as they are.
"""

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")


def neutralise(value: object) -> object:
    """A text cell that a spreadsheet would read as a formula, made plain text; other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return "" if value is None else value


def belgian_csv_lines(rows: Iterable[Sequence[object]], header: Sequence[str] | None = None) -> Iterator[str]:
    """The CSV line by line (for a streamed answer), the first one starting with the byte order mark."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    buffer.write(BOM)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    if header is not None:
        writer.writerow([neutralise(cell) for cell in header])
        yield flush()
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
        yield flush()
    if buffer.tell():
        yield flush()


def belgian_csv(rows: Iterable[Sequence[object]], header: Sequence[str] | None = None) -> str:
    """The rows (after the header, when given) as one CSV text that Belgian Excel opens as it should."""
    return "".join(belgian_csv_lines(rows, header))
