"""A CSV that comes back: the open-data export, edited in a spreadsheet and imported again, loses nothing."""

import csv
import io
from datetime import date, time
from decimal import Decimal

from django.urls import reverse

import openpyxl
import pytest

from catalogue.importing.rows import COLUMN_NAMES, EXPORT_ONLY_NAMES, html_to_text, text_to_html
from catalogue.importing.spreadsheet import sheet_import
from catalogue.models import ExtraCostKind, OfferExtraCost, OfferPage, OfferTimeSlot, Source, Theme
from catalogue.services import OfferInput, offer_create
from tests.factories.catalogue import offer_values

pytestmark = pytest.mark.django_db

RICH = (
    '<p>Zwem mee in <a href="https://example.test/bad">het bad</a>.</p>'
    "<p>Breng &quot;zwemkledij&quot; &amp; een handdoek mee<br/>en kom op tijd.</p>"
    "<ul><li>badmuts</li><li>zwembril</li></ul>"
)
READABLE = 'Zwem mee in het bad.\n\nBreng "zwemkledij" & een handdoek mee\nen kom op tijd.\n\n• badmuts\n• zwembril'


@pytest.fixture
def offer(partner_a) -> OfferPage:
    """An offer as a partner's spreadsheet brought it in, with everything that used to get lost."""
    data = OfferInput(
        values=offer_values(
            title="Zwemmen voor beginners",
            description=RICH,
            source=Source.SPREADSHEET,
            external_id="ZWEM-01",
            last_confirmed=date(2026, 3, 1),
            referral_contact_phone="+32 3 123 45 67",
            welcome_contact_name="Karim",
            welcome_contact_phone="0470 12 34 56",
        ),
        themes=[Theme.objects.get(slug="zwemmen")],
        time_slots=[OfferTimeSlot(weekday=2, start_time=time(14), end_time=time(16))],
        extra_costs=[
            OfferExtraCost(kind=ExtraCostKind.MATERIAL, amount=Decimal("5.00"), description="Badmuts; Zwembril"),
            OfferExtraCost(kind=ExtraCostKind.INSURANCE, amount=Decimal("12.50"), required=False),
        ],
    )
    return offer_create(parent=partner_a.page, data=data)


def export(client) -> bytes:
    response = client.get(reverse("open_data_offers_csv"))
    return b"".join(response.streaming_content)


def rows_of(raw: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def with_cell(raw: bytes, column: str, value: str) -> bytes:
    """The export as a spreadsheet saves it after one cell of the first offer was edited."""
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    lines[1][lines[0].index(column)] = value
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(lines)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def import_csv(organisation, raw: bytes, filename: str = "aanbod.csv"):
    feed, report = sheet_import(organisation=organisation, content=raw, filename=filename)
    assert feed.problems == []
    return feed, report


def test_the_export_writes_the_template_columns_in_order_then_its_own(client, offer):
    """One column definition: the template's columns first, in its order, then the export-only ones."""
    header = rows_of(export(client))[0].keys()
    assert list(header)[: len(COLUMN_NAMES)] == list(COLUMN_NAMES)
    assert set(list(header)[len(COLUMN_NAMES) :]) == EXPORT_ONLY_NAMES


def test_the_export_holds_what_the_offer_page_shows(client, offer):
    """Text: rich text becomes paragraphs of readable text; extra costs keep their descriptions; contacts are in."""
    (row,) = rows_of(export(client))
    assert row["beschrijving"] == READABLE
    assert row["extra_kosten"] == "materiaal 5,00 (Badmuts; Zwembril); verzekering 12,50 optioneel"
    assert row["laatst_bevestigd"] == "01/03/2026"
    assert (row["contact_naam"], row["contact_email"]) == ("Els", "els@example.test")
    assert row["contact_telefoon"] == "'+32 3 123 45 67"  # a formula start, neutralised for the spreadsheet
    assert (row["onthaal_naam"], row["onthaal_telefoon"]) == ("Karim", "0470 12 34 56")
    assert row["beschikbaarheid"] == ""  # not stated


def test_an_unchanged_export_imports_as_unchanged(client, offer, partner_a):
    """Round trip: export, import for the organisation, nothing changes and the next export is identical."""
    first = export(client)
    feed, report = import_csv(partner_a, first)
    assert feed.notes == []
    assert report.changed == 0
    assert report.totals["unchanged"] == 1
    offer.refresh_from_db()
    assert offer.description == RICH  # the links stay
    assert offer.last_confirmed == date(2026, 3, 1)
    assert export(client) == first


def test_an_offer_entered_in_the_admin_re_imports_unchanged(client, offer, partner_a):
    """Round trip: the demo's offers were entered in the admin; their export re-imported is no change either."""
    OfferPage.objects.filter(pk=offer.pk).update(source=Source.ADMIN)
    revision = OfferPage.objects.get(pk=offer.pk).latest_revision_id
    _feed, report = import_csv(partner_a, export(client))
    assert (report.changed, report.totals["unchanged"]) == (0, 1)
    offer.refresh_from_db()
    assert (offer.latest_revision_id, offer.source) == (revision, Source.ADMIN)


def test_an_edited_cell_changes_only_that(client, offer, partner_a):
    """Round trip: one edited cell changes that field; the markup, costs and confirmation date stay."""
    before = rows_of(export(client))[0]
    _feed, report = import_csv(partner_a, with_cell(export(client), "prijs", "6,00"))
    assert report.changed == 1
    (item,) = report.items
    assert [change["label"] for change in item.changes] == ["Gewone prijs (EUR)"]
    offer.refresh_from_db()
    assert offer.list_price == Decimal("6.00")
    assert offer.description == RICH
    assert offer.last_confirmed == date(2026, 3, 1)
    assert [(cost.description, cost.required) for cost in offer.extra_costs.order_by("pk")] == [
        ("Badmuts; Zwembril", True),
        ("", False),
    ]
    after = rows_of(export(client))[0]
    changed = {name for name in before if before[name] != after[name]}
    assert changed - {"laatst_gepubliceerd"} == {"prijs"}  # published again, within the same minute or not


def test_an_edited_cost_description_is_a_change(client, offer, partner_a):
    """Extra costs: a description is part of the cost, and the report shows it changed."""
    raw = with_cell(export(client), "extra_kosten", "materiaal 5,00 (Badmuts); verzekering 12,50 optioneel")
    _feed, report = import_csv(partner_a, raw)
    (change,) = report.items[0].changes
    assert "Badmuts; Zwembril" in change["old"]
    assert "Badmuts" in change["new"] and "Zwembril" not in change["new"]
    assert "(optioneel)" in change["new"]
    assert offer.extra_costs.order_by("pk").first().description == "Badmuts"


def test_an_edited_description_comes_back_as_paragraphs(client, offer, partner_a):
    """Text to rich text: blank lines become paragraphs, and that text exports as it was written."""
    text = 'Nieuw: "zwemmen" & spelen.\n\nTweede alinea\nmet een tweede regel.'
    import_csv(partner_a, with_cell(export(client), "beschrijving", text))
    offer.refresh_from_db()
    assert offer.description == (
        "<p>Nieuw: &quot;zwemmen&quot; &amp; spelen.</p><p>Tweede alinea<br/>met een tweede regel.</p>"
    )
    again = export(client)
    assert rows_of(again)[0]["beschrijving"] == text
    _feed, report = import_csv(partner_a, again)
    assert report.changed == 0


def test_a_new_organisation_keeps_the_confirmation_date_and_costs(client, offer, partner_b):
    """Import elsewhere: a created offer takes the file's last-confirmed date and extra-cost descriptions."""
    raw = with_cell(export(client), "organisatie", partner_b.name)
    _feed, report = import_csv(partner_b, raw)
    assert report.totals["created"] == 1
    created = OfferPage.objects.get(organisation=partner_b, external_id="ZWEM-01")
    assert created.last_confirmed == date(2026, 3, 1)
    assert created.extra_costs.order_by("pk").first().description == "Badmuts; Zwembril"
    assert html_to_text(created.description) == READABLE


def test_another_organisations_rows_are_refused(client, offer, partner_b):
    """Safety: the export holds every organisation's offers; a row of another one is not copied in."""
    _feed, report = import_csv(partner_b, export(client))
    assert report.totals["refused"] == 1
    assert "Zwemclub A" in str(report.items[0].errors[0])
    assert not OfferPage.objects.filter(organisation=partner_b).exists()


def test_the_export_saved_as_a_workbook_imports_unchanged(client, offer, partner_a):
    """The other path: open the CSV in a spreadsheet, save it as .xlsx, upload that."""
    lines = list(csv.reader(io.StringIO(export(client).decode("utf-8-sig")), delimiter=";"))
    workbook = openpyxl.Workbook()
    for line in lines:
        workbook.active.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    _feed, report = import_csv(partner_a, buffer.getvalue(), filename="aanbod.xlsx")
    assert report.changed == 0


def test_a_future_confirmation_date_is_refused(client, offer, partner_a):
    """Error case: nobody confirmed an offer on a day still to come."""
    _feed, report = import_csv(partner_a, with_cell(export(client), "laatst_bevestigd", "01/01/2099"))
    assert report.totals["refused"] == 1
    assert "laatst_bevestigd" in str(report.items[0].errors[0])


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("<p>Een link.</p><p>Tweede</p>", "Een link.\n\nTweede"),
        ('<p>Zie <a linktype="page" id="3">hier</a>.Tweede &amp;&nbsp;derde</p>', "Zie hier.Tweede & derde"),
        ("<h2>Kop</h2><ol><li>een</li><li>twee</li></ol><p></p>", "Kop\n\n• een\n• twee"),
        ("", ""),
    ],
)
def test_rich_text_reads_as_text_and_back(markup, text):
    """Rich text to text: entities decoded, paragraphs on blank lines; that text survives the way back."""
    assert html_to_text(markup) == text
    assert html_to_text(text_to_html(text)) == text
