"""The offer spreadsheet: its template (XLSX and CSV) and reading an uploaded file into import items.

Row 1 holds the column names, row 2 explains each column in plain Dutch, offers start in row 3.
The CSV is what Excel in Belgium reads and writes: semicolon-separated, UTF-8 with a byte order
mark (files saved by older Excel versions in Windows-1252 are read too).
"""

import csv
import io
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


def _xlsx_rows(content: bytes) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheet = workbook[SHEET_TITLE] if SHEET_TITLE in workbook.sheetnames else workbook.worksheets[0]
        return list(sheet.iter_rows(max_row=MAX_ROWS + 3, values_only=True))
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
        except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
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
    unknown = [name for name in names if name and name not in COLUMN_NAMES]
    if unknown:
        feed.notes.append(_("Columns not in the template are ignored: %(columns)s.") % {"columns": ", ".join(unknown)})
    absent = [name for name in COLUMN_NAMES if name not in names]
    if absent:
        feed.notes.append(
            _("These columns are missing and count as empty: %(columns)s.") % {"columns": ", ".join(absent)}
        )
    refs = References()
    for number, row in enumerate(rows, start=2):
        cells = {name: value for name, value in zip(names, row, strict=False) if name in HELP_BY_COLUMN}
        if all(is_empty(value) for value in cells.values()):
            continue
        if number == 2 and parse_text(cells.get("extern_id")) == HELP_BY_COLUMN["extern_id"]:
            continue  # the template's explanation row
        if len(feed.items) >= MAX_ROWS:
            feed.problems.append(
                _("The file holds more than %(count)s offers; split it into smaller files.") % {"count": MAX_ROWS}
            )
            return feed
        feed.items.append(read_row(cells, row=number, refs=refs))
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
    report = feed_sync(organisation=organisation, source=Source.SPREADSHEET, items=feed.items, by=by, dry_run=dry_run)
    return feed, report
