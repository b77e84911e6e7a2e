"""Files that explode: spreadsheets refused from their zip directory and declared size before they are read,
and offers limited in time slots, extra costs and themes whichever way they come in (issue 11, item 1)."""

import io
import re
import zipfile

from django.core.exceptions import ValidationError
from django.utils import translation

import pytest

from catalogue.importing.spreadsheet import MAX_COLUMNS, MAX_ROWS, read_sheet
from catalogue.models import MAX_PER_OFFER, OfferTimeSlot, Theme
from catalogue.services import OfferInput, offer_create
from tests.catalogue.test_api import body, key_client
from tests.catalogue.test_import_spreadsheet import apply, errors_of, row, xlsx
from tests.factories import offer_values

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _rewritten(content: bytes, change, *, method: int = zipfile.ZIP_DEFLATED, extra: dict | None = None) -> bytes:
    """The workbook with its first sheet's XML changed, other members added, written with another method."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                data = change(data)
            target.writestr(member.filename, data)
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    return buffer.getvalue()


def _dimension(ref: str):
    return lambda xml: re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), xml)


def _problem(content: bytes) -> str:
    feed = read_sheet(content, "aanbod.xlsx")
    assert not feed.items
    (problem,) = feed.problems
    return str(problem)


@pytest.mark.parametrize(
    ("ref", "says"),
    [
        ("A1:XFD1048576", "1048576 rows"),
        (f"A1:BK{MAX_ROWS + 3}", f"{MAX_ROWS + 3} rows"),
        ("A1:ZZ20", f"{26 * 26 + 26} columns"),
    ],
)
def test_a_sheet_declaring_too_many_rows_or_columns_is_refused_before_it_is_read(ref, says):
    """Attack: a small file whose sheet declares a million rows (openpyxl pads every row to it) is refused."""
    assert says in _problem(_rewritten(xlsx(row()), _dimension(ref)))


def test_a_workbook_that_unpacks_too_far_is_refused():
    """Attack: a zip bomb (60 MB of zeros, tens of kilobytes packed) is refused from the zip's directory."""
    content = _rewritten(xlsx(row()), lambda xml: xml, extra={"xl/media/padding.bin": b"\0" * (60 * 1024 * 1024)})
    assert len(content) < 1024 * 1024
    assert "unpacks to more than" in _problem(content)


def test_an_encrypted_or_old_excel_file_is_named():
    """Error case: a password-protected workbook (an OLE file) gets a message saying so."""
    content = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096
    assert "password-protected" in _problem(content)


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_an_unsupported_compression_is_named(method):
    """Error case: a workbook zipped with a method Excel does not write is refused with a message."""
    assert "compression" in _problem(_rewritten(xlsx(row()), lambda xml: xml, method=method))


@pytest.mark.parametrize("cut", [10, 200, 2000])
def test_a_broken_workbook_is_refused_with_a_message(cut):
    """Error case: a truncated .xlsx answers 'cannot be read', not a server error."""
    assert "cannot be read" in _problem(xlsx(row())[:cut])


def test_a_normal_workbook_still_reads():
    """Happy path: the template filled in passes every limit."""
    feed = read_sheet(xlsx(row()), "aanbod.xlsx")
    assert not feed.problems and len(feed.items) == 1


def test_only_the_columns_within_the_limit_are_read():
    """A sheet without a dimension element is still read no wider than the limit."""
    content = _rewritten(xlsx(row()), lambda xml: re.sub(rb"<dimension [^>]*/>", b"", xml))
    feed = read_sheet(content, "aanbod.xlsx")
    assert not feed.problems and MAX_COLUMNS >= 63


SLOTS = "; ".join(
    f"{day} {hour:02d}:00-{hour:02d}:30" for day in ("ma", "di", "wo", "do", "vr", "za", "zo") for hour in range(8, 16)
)


def test_a_spreadsheet_row_with_too_many_time_slots_is_refused(partner_a):
    """Attack: one row with 56 weekly time slots is refused naming the limit; nothing is written."""
    report = apply(partner_a, xlsx(row(momenten=SLOTS)))
    assert any(f"at most {MAX_PER_OFFER['time_slots']}" in error for error in errors_of(report))
    assert not partner_a.page.get_children().exists()


def test_the_api_refuses_too_many_time_slots_and_extra_costs(partner_a, editor_a):
    """Attack: 10,000 time slots or 21 extra costs in one API body are a 400 naming the field."""
    from organisations.services import api_key_issue

    client = key_client(api_key_issue(organisation=partner_a, name="Systeem A", by=editor_a)[1])
    slots = [{"weekday": 1 + index % 7, "start_time": "10:00", "end_time": "11:00"} for index in range(10_000)]
    response = client.post("/api/v1/offers/", body(time_slots=slots), format="json")
    assert response.status_code == 400 and "time_slots" in response.json()
    costs = [{"kind": "material", "amount": "1.00", "description": f"ding {index}"} for index in range(21)]
    response = client.post("/api/v1/offers/", body(extra_costs=costs), format="json")
    assert response.status_code == 400 and "extra_costs" in response.json()


def test_the_model_refuses_too_many_themes_and_slots_for_every_way_in(partner_a):
    """Attack: the service every way in uses (admin, API, spreadsheet, UiTdatabank) refuses 16 themes, 51 slots."""
    themes = [Theme.objects.create(name=f"Thema {index}", slug=f"thema-{index}", domain="sport") for index in range(16)]
    with pytest.raises(ValidationError) as refusal:
        offer_create(parent=partner_a.page, data=OfferInput(values=offer_values(), themes=themes))
    assert "themes" in refusal.value.message_dict
    slots = [
        OfferTimeSlot(weekday=1 + index % 7, start_time=f"{8 + index // 7:02d}:00", end_time="20:00")
        for index in range(51)
    ]
    with pytest.raises(ValidationError) as refusal:
        offer_create(parent=partner_a.page, data=OfferInput(values=offer_values(), time_slots=slots))
    assert "time_slots" in refusal.value.message_dict
