"""The offer spreadsheet: its template (XLSX and CSV) and reading an uploaded file into import items.

Row 1 holds the column names, row 2 explains each column in plain Dutch, offers start in row 3.
The CSV is what Excel in Belgium reads and writes: semicolon-separated, UTF-8 with a byte order
mark (files saved by older Excel versions in Windows-1252 are read too).
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from organisations.models import Organisation
from organisations.permissions import can_edit_for

from ..csv_export import belgian_csv
from ..models import Language, Source, Theme
from .rows import (
    COLUMN_NAMES,
    COLUMNS,
    EXPORT_ONLY_NAMES,
    YES_NO_COLUMNS,
    ParsedFeed,
    References,
    is_empty,
    mark_duplicates,
    normalise_header,
    parse_text,
    read_row,
)
from .sync import SyncReport, feed_sync

SHEET_TITLE = "Aanbod"
CHOICES_TITLE = "Keuzes"
MAX_ROWS = 5000
# An .xlsx is a zip of XML: a small upload can unpack to gigabytes, or declare a sheet of millions of cells
# that openpyxl would pad every row to. Both are refused before openpyxl reads a cell, from the zip's
# directory and the sheet's <dimension>; reading then stops at the limits whatever the file declares.
MAX_UNPACKED_MB = 40
MAX_COLUMNS = 100
MAX_CELLS = (MAX_ROWS + 2) * MAX_COLUMNS
ZIP_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted workbook, or the old .xls format
DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]+)?(\d+)?(?::([A-Z]+)(\d+))?\"")


class SheetTooLarge(ValueError):
    """The workbook is refused before it is read; the message says why."""


HELP_BY_COLUMN = {column.name: column.help for column in COLUMNS}


def template_csv() -> bytes:
    """The empty template as CSV: column names, then their explanations."""
    return belgian_csv([[HELP_BY_COLUMN[name] for name in COLUMN_NAMES]], header=COLUMN_NAMES).encode("utf-8")


def template_xlsx() -> bytes:
    """The empty template as an Excel workbook, with ja/nee drop-downs and a sheet of allowed values."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append(list(COLUMN_NAMES))
    sheet.append([HELP_BY_COLUMN[name] for name in COLUMN_NAMES])
    for index, _name in enumerate(COLUMN_NAMES, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = 24
        sheet[f"{letter}1"].font = Font(bold=True)
        sheet[f"{letter}2"].font = Font(italic=True, color="555555")
        sheet[f"{letter}2"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[2].height = 90
    sheet.freeze_panes = "B3"
    yes_no = DataValidation(type="list", formula1='"ja,nee"', allow_blank=True)
    sheet.add_data_validation(yes_no)
    for name in YES_NO_COLUMNS:
        letter = get_column_letter(COLUMN_NAMES.index(name) + 1)
        yes_no.add(f"{letter}3:{letter}{MAX_ROWS + 2}")
    choices = workbook.create_sheet(CHOICES_TITLE)
    lists = {
        "domein": ["sport", "cultuur", "jeugd", "ander"],
        "prijs_per": ["beurt", "maand", "seizoen", "jaar", "eenmalig"],
        "engagement": ["eenmalig", "vrij", "reeks", "seizoen"],
        "nederlands_nodig": ["geen", "basis", "goed"],
        "themas": list(Theme.objects.order_by("name").values_list("name", flat=True)),
        "talen": [f"{code} ({name})" for code, name in Language.objects.order_by("code").values_list("code", "name")],
    }
    for index, (name, words) in enumerate(lists.items(), start=1):
        letter = get_column_letter(index)
        choices.column_dimensions[letter].width = 24
        choices[f"{letter}1"] = name
        choices[f"{letter}1"].font = Font(bold=True)
        for row, word in enumerate(words, start=2):
            choices[f"{letter}{row}"] = word
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _check_workbook(content: bytes) -> None:
    """Refuse, from the zip's directory alone, what cannot be read safely; raises ``SheetTooLarge``."""
    if content.startswith(OLE_SIGNATURE):
        raise SheetTooLarge(
            _("This workbook is password-protected or in the old .xls format: save it without a password as .xlsx.")
        )
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        members = archive.infolist()
        if any(member.flag_bits & 0x1 for member in members):
            raise SheetTooLarge(_("This workbook is encrypted: save it without a password as .xlsx."))
        if any(member.compress_type not in ZIP_METHODS for member in members):
            raise SheetTooLarge(_("This workbook uses a compression Excel does not write: save it again as .xlsx."))
        if sum(member.file_size for member in members) > MAX_UNPACKED_MB * 1024 * 1024:
            raise SheetTooLarge(
                _("This workbook unpacks to more than %(size)s MB; keep only the offers sheet, or split the file.")
                % {"size": MAX_UNPACKED_MB}
            )
        for member in members:
            if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
                with archive.open(member) as sheet:
                    _check_dimension(sheet.read(4096))


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number


def _check_dimension(head: bytes) -> None:
    match = DIMENSION.search(head)
    if match is None:
        return
    first_column, first_row, last_column, last_row = match.groups()
    columns = _column_number(last_column or first_column or b"A")
    rows = int(last_row or first_row or 1)
    if rows > MAX_ROWS + 2:
        raise SheetTooLarge(
            _("A sheet has %(rows)s rows; at most %(count)s offers fit in one file, split it.")
            % {"rows": rows, "count": MAX_ROWS}
        )
    if columns > MAX_COLUMNS:
        raise SheetTooLarge(
            _("A sheet has %(columns)s columns; the template has %(template)s, at most %(count)s are read.")
            % {"columns": columns, "template": len(COLUMN_NAMES), "count": MAX_COLUMNS}
        )
    if rows * columns > MAX_CELLS:
        raise SheetTooLarge(_("A sheet has more than %(count)s cells; split it.") % {"count": MAX_CELLS})


def _xlsx_rows(content: bytes) -> list[tuple]:
    _check_workbook(content)
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheet = workbook[SHEET_TITLE] if SHEET_TITLE in workbook.sheetnames else workbook.worksheets[0]
        sheet.reset_dimensions()  # pad rows to what is read, never to what the file declares
        return list(sheet.iter_rows(max_row=MAX_ROWS + 3, max_col=MAX_COLUMNS, values_only=True))
    finally:
        workbook.close()


def _csv_rows(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    first_line = text.split("\n", 1)[0]
    delimiter = "," if ";" not in first_line and "," in first_line else ";"
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def read_sheet(content: bytes, filename: str) -> ParsedFeed:
    """Read an uploaded .xlsx or .csv file; problems with the file as a whole end up in ``problems``."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        try:
            rows: Sequence[Sequence[Any]] = _xlsx_rows(content)
        except SheetTooLarge as refusal:
            return ParsedFeed(problems=[str(refusal)])
        except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, EOFError, NotImplementedError):
            return ParsedFeed(problems=[_("This file cannot be read as an Excel workbook (.xlsx).")])
    elif suffix == ".csv":
        try:
            rows = _csv_rows(content)
        except csv.Error:
            return ParsedFeed(problems=[_("This file cannot be read as a CSV file.")])
        if nul_rows := [number for number, cells in enumerate(rows, start=1) if any("\x00" in cell for cell in cells)]:
            return ParsedFeed(
                problems=[
                    _("Row %(row)s holds a NUL character, which no text may contain; save the file again as CSV.")
                    % {"row": nul_rows[0]}
                ]
            )
    else:
        return ParsedFeed(problems=[_("Upload the template as an .xlsx or .csv file.")])
    return read_rows(rows)


def read_rows(rows: Iterable[Sequence[Any]]) -> ParsedFeed:
    """The template's rows (header first) into items; row numbers are the spreadsheet's own."""
    feed = ParsedFeed()
    rows = iter(rows)
    header = next(rows, None)
    names = [normalise_header(cell) for cell in header or ()]
    missing_required = [column.name for column in COLUMNS if column.required and column.name not in names]
    if missing_required:
        feed.problems.append(
            _("The file lacks the columns %(columns)s. Start from the template.")
            % {"columns": ", ".join(missing_required)}
        )
        return feed
    doubled = sorted({name for name in names if name and names.count(name) > 1})
    if doubled:
        feed.problems.append(_("These columns appear twice: %(columns)s.") % {"columns": ", ".join(doubled)})
        return feed
    unknown = [name for name in names if name and name not in COLUMN_NAMES and name not in EXPORT_ONLY_NAMES]
    if unknown:
        feed.notes.append(_("Columns not in the template are ignored: %(columns)s.") % {"columns": ", ".join(unknown)})
    absent = [name for name in COLUMN_NAMES if name not in names]
    if absent:
        feed.notes.append(
            _("These columns are missing and count as empty: %(columns)s.") % {"columns": ", ".join(absent)}
        )
    refs = References()
    for number, row in enumerate(rows, start=2):
        named = dict(zip(names, row, strict=False))
        cells = {name: value for name, value in named.items() if name in HELP_BY_COLUMN}
        if all(is_empty(value) for value in cells.values()):
            continue
        if number == 2 and parse_text(cells.get("extern_id")) == HELP_BY_COLUMN["extern_id"]:
            continue  # the template's explanation row
        if len(feed.items) >= MAX_ROWS:
            feed.problems.append(
                _("The file holds more than %(count)s offers; split it into smaller files.") % {"count": MAX_ROWS}
            )
            return feed
        item = read_row(cells, row=number, refs=refs)
        item.exported_for = parse_text(named.get("organisatie"))
        feed.items.append(item)
    mark_duplicates(feed.items)
    if not feed.items:
        feed.problems.append(_("The file holds no offers; fill in the template from row 3 on."))
    return feed


def sheet_import(
    *,
    organisation: Organisation,
    content: bytes,
    filename: str,
    by: AbstractBaseUser | None = None,
    dry_run: bool = False,
) -> tuple[ParsedFeed, SyncReport | None]:
    """Read a spreadsheet and apply it for one organisation, or preview it; no report when the file is unusable."""
    if by is not None and not can_edit_for(by, organisation):
        raise PermissionDenied
    feed = read_sheet(content, filename)
    if feed.problems:
        return feed, None
    for item in feed.items:
        if item.exported_for and item.exported_for != organisation.name:
            item.data = None
            item.error(
                "organisatie",
                _("In the open-data export this is an offer of %(name)s: remove the row, only your own offers go in.")
                % {"name": item.exported_for},
            )
    report = feed_sync(organisation=organisation, source=Source.SPREADSHEET, items=feed.items, by=by, dry_run=dry_run)
    return feed, report
