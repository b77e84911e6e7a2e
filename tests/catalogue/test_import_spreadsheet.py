"""Importing offers from the spreadsheet template: Dutch columns in, threshold facts out, errors per row and column."""

import csv
import io
from datetime import date, datetime, time
from decimal import Decimal

from django.utils import translation

from wagtail.models import Page, Revision

import openpyxl
import pytest

from catalogue.importing.rows import COLUMN_NAMES, COLUMNS
from catalogue.importing.spreadsheet import read_sheet, sheet_import, template_csv, template_xlsx
from catalogue.importing.sync import ItemAction
from catalogue.models import (
    Commitment,
    DutchLevel,
    ExtraCostKind,
    Neighbourhood,
    OfferPage,
    PriceUnit,
    ReducedTariff,
    Registration,
    Source,
)
from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db


def kiel() -> tuple[float, float]:
    neighbourhood = Neighbourhood.objects.get(code="ANT10")
    return neighbourhood.centroid_latitude, neighbourhood.centroid_longitude


def dutch_number(value: float) -> str:
    return str(value).replace(".", ",")


def row(**cells) -> dict:
    """A complete, valid row as an editor fills it in, overridable per column."""
    latitude, longitude = kiel()
    values = {
        "extern_id": "ZWEM-01",
        "titel": "Zwemmen voor beginners",
        "domein": "sport",
        "samenvatting": "Je leert rustig zwemmen in een kleine groep.",
        "beschrijving": "Een lesgever staat altijd bij je.\n\nJe hoeft niets te kunnen.",
        "themas": "Zwemmen; dans",
        "leeftijd_min": "6",
        "leeftijd_max": "12",
        "prijs": "12,50",
        "prijs_per": "maand",
        "kansentarief": "ja",
        "verlaagde_prijs": "2,50",
        "verlaagde_prijs_voor_wie": "UiTPAS met kansenstatuut",
        "extra_kosten": "materiaal 5,00; verzekering 12,50 optioneel",
        "gratis_proberen": "ja",
        "straat": "Sint-Bernardsesteenweg 1",
        "postcode": "2020",
        "breedtegraad": dutch_number(latitude),
        "lengtegraad": dutch_number(longitude),
        "halte": "tram 4, halte Kiel",
        "inschrijven": "nee",
        "engagement": "reeks",
        "startdatum": "01/09/2026",
        "einddatum": "30/06/2027",
        "momenten": "wo 14:00-16:00; za 10:00-12:00",
        "rolstoeltoegankelijk": "ja",
        "aangepast_toilet": "nee",
        "begeleider_welkom": "ja",
        "begeleider_gratis": "ja",
        "max_groep": "12",
        "nederlands_nodig": "basis",
        "talen": "fr; en",
        "contact_naam": "Els",
        "contact_email": "els@example.test",
    }
    values.update(cells)
    return values


def xlsx(*rows: dict) -> bytes:
    """The downloaded template, filled in from row 3 on."""
    workbook = openpyxl.load_workbook(io.BytesIO(template_xlsx()))
    sheet = workbook["Aanbod"]
    for cells in rows:
        sheet.append([cells.get(name) for name in COLUMN_NAMES])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_file(*rows: dict, encoding: str = "utf-8-sig", header: list[str] | None = None, help_row: bool = True) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    names = header or list(COLUMN_NAMES)
    writer.writerow(names)
    if help_row:
        writer.writerow(column.help for column in COLUMNS if column.name in names)
    for cells in rows:
        writer.writerow(cells.get(name, "") for name in names)
    return buffer.getvalue().encode(encoding)


def apply(organisation, content: bytes, filename: str = "aanbod.xlsx", **kwargs):
    feed, report = sheet_import(organisation=organisation, content=content, filename=filename, **kwargs)
    assert not feed.problems, [str(problem) for problem in feed.problems]
    return report


def errors_of(report) -> list[str]:
    return [str(error) for item in report.items for error in item.errors]


def test_the_xlsx_template_names_and_explains_every_column():
    """Row 1 holds the Dutch column names, row 2 explains each one in plain Dutch; offers start in row 3."""
    sheet = openpyxl.load_workbook(io.BytesIO(template_xlsx()))["Aanbod"]
    names = [cell.value for cell in sheet[1]]
    explanations = [cell.value for cell in sheet[2]]
    assert names == list(COLUMN_NAMES)
    assert {"titel", "domein", "samenvatting", "prijs", "prijs_per", "kansentarief", "verlaagde_prijs"} <= set(names)
    assert {"extern_id", "breedtegraad", "lengtegraad", "momenten", "themas", "talen"} <= set(names)
    assert all(explanations)
    assert explanations[names.index("prijs")].startswith("De gewone prijs in euro")
    assert sheet.max_row == 2


def test_the_csv_template_is_semicolon_separated_utf8_with_a_byte_order_mark():
    """The CSV opens in Belgian Excel: a BOM, semicolons, the column names and their explanations."""
    content = template_csv()
    assert content.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert lines[0] == list(COLUMN_NAMES)
    assert len(lines) == 2 and all(lines[1])


def test_every_threshold_field_has_a_column():
    """Every field an editor fills in has a column: nothing of the thresholds is left out of the spreadsheet."""
    derived = {
        "page_ptr",
        "organisation",
        "neighbourhood",
        "municipality",
        "deelgemeente",
        "wijk",
        "source",
        "last_confirmed",
    }
    derived |= {"reserved_places_held", "places_confirmed", "group_enrolled"}  # counted by the workspace
    derived |= {"served_networks"}  # chosen on the form or through the API; an import leaves them as they are
    own_fields = {f.name for f in OfferPage._meta.get_fields() if f.concrete and f.model is OfferPage} - derived
    relations = {"time_slots", "extra_costs"}  # photos need uploads, not cells
    assert own_fields | relations <= {column.field for column in COLUMNS}


def test_a_filled_in_row_becomes_an_offer_with_its_thresholds(partner_a):
    """ja/nee, decimal commas, weekday slots, themes by name or slug, language codes: all land on the offer."""
    report = apply(partner_a, xlsx(row()))
    (item,) = report.items
    assert item.action == ItemAction.CREATED, errors_of(report)
    offer = OfferPage.objects.get(pk=item.offer_id)
    assert (offer.organisation, offer.source, offer.external_id) == (partner_a, Source.SPREADSHEET, "ZWEM-01")
    assert offer.neighbourhood.code == "ANT10"
    assert (offer.list_price, offer.price_unit) == (Decimal("12.50"), PriceUnit.MONTH)
    assert (offer.reduced_tariff, offer.reduced_price) == (ReducedTariff.UITPAS, Decimal("2.50"))
    assert offer.free_trial and offer.step_free and not offer.adapted_toilet
    assert offer.companion_welcome and offer.companion_free
    assert (offer.age_min, offer.age_max, offer.group_size_max) == (6, 12, 12)
    assert (offer.registration, offer.commitment, offer.dutch_level) == (
        Registration.WALK_IN,
        Commitment.SERIES,
        DutchLevel.BASIC,
    )
    assert (offer.start_date, offer.end_date) == (date(2026, 9, 1), date(2027, 6, 30))
    assert offer.description == "<p>Een lesgever staat altijd bij je.</p><p>Je hoeft niets te kunnen.</p>"
    assert sorted((s.weekday, s.start_time, s.end_time) for s in offer.time_slots.all()) == [
        (2, time(14), time(16)),
        (5, time(10), time(12)),
    ]
    assert sorted(theme.slug for theme in offer.themes.all()) == ["dans", "zwemmen"]
    assert sorted(language.code for language in offer.languages.all()) == ["en", "fr"]
    assert sorted((c.kind, c.amount, c.required) for c in offer.extra_costs.all()) == [
        (ExtraCostKind.INSURANCE, Decimal("12.50"), False),
        (ExtraCostKind.MATERIAL, Decimal("5.00"), True),
    ]


def test_empty_cells_take_the_defaults(partner_a, address_register):
    """Only the required columns filled (no point: it comes from the address): no tariff, per session, and so on."""
    required = {column.name for column in COLUMNS if column.required}
    assert not {"breedtegraad", "lengtegraad"} & required
    cells = row(straat="Schijfwerpersstraat 2")
    report = apply(partner_a, xlsx({name: value for name, value in cells.items() if name in required}))
    offer = OfferPage.objects.get(pk=report.items[0].offer_id)
    assert (offer.reduced_tariff, offer.reduced_price, offer.price_unit) == ("", None, PriceUnit.SESSION)
    assert (offer.registration, offer.commitment, offer.dutch_level) == (
        Registration.REQUIRED,
        Commitment.DROP_IN,
        DutchLevel.NONE,
    )
    assert offer.city == "Antwerpen" and not offer.step_free and not offer.time_slots.exists()


def test_excel_s_own_cell_types_are_read(partner_a):
    """Numbers, whole numbers and dates typed as Excel values read like their text."""
    latitude, longitude = kiel()
    cells = row(
        prijs=12.5,
        verlaagde_prijs=2.5,
        postcode=2020,
        leeftijd_min=6,
        startdatum=datetime(2026, 9, 1),
        breedtegraad=latitude,
        lengtegraad=longitude,
    )
    offer = OfferPage.objects.get(pk=apply(partner_a, xlsx(cells)).items[0].offer_id)
    assert (offer.list_price, offer.postal_code, offer.age_min) == (Decimal("12.50"), "2020", 6)
    assert offer.start_date == date(2026, 9, 1)
    assert apply(partner_a, xlsx(row())).changed == 0  # the same offer typed as text


def test_the_same_sheet_twice_changes_nothing(partner_a):
    """Idempotent: uploading the same spreadsheet again changes 0 offers and makes no revision."""
    content = xlsx(row(), row(extern_id="ZWEM-02", titel="Zwemmen voor gevorderden"))
    assert apply(partner_a, content).totals["created"] == 2
    revisions = Revision.objects.count()
    again = apply(partner_a, content)
    assert again.changed == 0 and again.totals["unchanged"] == 2
    assert Revision.objects.count() == revisions


def test_the_csv_reads_like_the_xlsx(partner_a):
    """The same offer uploaded as CSV after XLSX is unchanged: both formats read to the same values."""
    apply(partner_a, xlsx(row()))
    report = apply(partner_a, csv_file(row()), filename="aanbod.csv")
    assert report.totals["unchanged"] == 1 and report.changed == 0


def test_a_windows_csv_without_the_explanation_row_is_read(partner_a):
    """Older Excel saves Windows-1252; offers may start right under the header (row 2)."""
    report = apply(partner_a, csv_file(row(titel="Zwemmen in de Kielsé"), encoding="cp1252", help_row=False), "a.csv")
    assert report.totals["created"] == 1
    assert OfferPage.objects.get().title == "Zwemmen in de Kielsé"


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("verlaagde_prijs", "twee euro", "Write an amount such as 12,50."),
        ("prijs", "12,505", "Give at most two decimals, e.g. 12,50."),
        ("kansentarief", "misschien", "Write “ja” or “nee”."),
        ("momenten", "woensdag namiddag", "Write moments like “wo 14:00-16:00; za 10:00-12:00”."),
        ("momenten", "wo 16:00-14:00", "“wo 16:00-14:00”: the end time must be after the start time."),
        ("momenten", "wd 14:00-16:00", "“wd 14:00-16:00”: start with a day such as ma, di, wo, do, vr, za or zo."),
        ("themas", "Zwemmen; Paardrijden", "Unknown theme: Paardrijden. Use a theme's name or code from the list."),
        ("talen", "fr; xx", "Unknown language: xx. Use codes such as fr, en, ar."),
        ("startdatum", "2026/31/12", "Write a date as dd/mm/yyyy, e.g. 31/12/2026."),
        ("domein", "kunst", "Choose one of: sport, cultuur, jeugd, jeugdwerk, ander, andere, culture, youth, other."),
        ("leeftijd_min", "zes", "Write a whole number, e.g. 12."),
        ("breedtegraad", "noord", "Write a number such as 51,2194."),
        ("extra_kosten", "snoep 3", "Write extra costs like “materiaal 5,00; verzekering 12,50 optioneel”"),
        ("titel", "", "This column is required."),
    ],
)
def test_a_bad_cell_is_named_by_row_and_column(partner_a, column, value, message):
    """Error case: every cell error names the row and the column, and the row writes nothing."""
    with translation.override("en"):
        report = apply(partner_a, xlsx(row(**{column: value})))
        assert report.items[0].action == ItemAction.REFUSED
        (error,) = errors_of(report)
        assert error.startswith(f"Row 3, column {column}: {message}")
    assert not OfferPage.objects.exists()


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (
            {"prijs": "5,00", "verlaagde_prijs": "7,00"},
            "Row 3, column verlaagde_prijs: The reduced price cannot be above the regular price.",
        ),
        (
            {"breedtegraad": "50,8877", "lengtegraad": "4,7037"},
            "Row 3, column breedtegraad: This point lies outside the network's area: check latitude and longitude.",
        ),
        ({"leeftijd_min": "14", "leeftijd_max": "12"}, "Row 3, column leeftijd_min: The minimum age cannot be above"),
        (
            {"begeleider_welkom": "nee"},
            "Row 3, column begeleider_gratis: A free companion means a companion is welcome",
        ),
        ({"postcode": "20"}, "Row 3, column postcode: A Belgian postal code has four digits."),
        ({"kansentarief": "nee"}, "Row 3, column kansentarief: Say which reduced tariff this reduced price is."),
        ({"contact_email": "els-at-example"}, "Row 3, column contact_email: Enter a valid email address."),
    ],
)
def test_model_level_errors_are_named_by_row_and_column(partner_a, cells, expected):
    """Error case: OfferPage.clean's errors (price, area, ages, companion, postal code) name row and column."""
    pages = Page.objects.count()
    with translation.override("en"):
        report = apply(partner_a, xlsx(row(**cells)))
        assert report.items[0].action == ItemAction.REFUSED
        assert any(error.startswith(expected) for error in errors_of(report)), errors_of(report)
    assert Page.objects.count() == pages


def test_every_problem_of_a_row_is_reported_at_once(partner_a):
    """Error case: two bad cells in one row give two errors, so the editor fixes them in one go."""
    with translation.override("en"):
        report = apply(partner_a, xlsx(row(prijs="gratis?", rolstoeltoegankelijk="soms")))
        assert [error.split(":")[0] for error in errors_of(report)] == [
            "Row 3, column prijs",
            "Row 3, column rolstoeltoegankelijk",
        ]


def test_a_bad_row_writes_nothing_and_the_good_rows_go_ahead(partner_a):
    """Error case: the refused row (the spreadsheet's row 4) writes nothing of itself; rows 3 and 5 are created."""
    content = xlsx(row(), row(extern_id="ZWEM-02", prijs="veel"), row(extern_id="ZWEM-03"))
    with translation.override("en"):
        report = apply(partner_a, content)
        assert [(item.label, item.action) for item in report.items] == [
            ("Row 3", ItemAction.CREATED),
            ("Row 4", ItemAction.REFUSED),
            ("Row 5", ItemAction.CREATED),
        ]
    assert sorted(OfferPage.objects.values_list("external_id", flat=True)) == ["ZWEM-01", "ZWEM-03"]


def test_a_changed_a_new_and_a_removed_row(partner_a):
    """One changed row, one new row and one removed row: one update, one create, one unpublish (never a delete)."""
    apply(partner_a, xlsx(row(), row(extern_id="ZWEM-02"), row(extern_id="ZWEM-03")))
    report = apply(partner_a, xlsx(row(prijs="13,00"), row(extern_id="ZWEM-02"), row(extern_id="ZWEM-04")))
    assert {action: count for action, count in report.totals.items() if count} == {
        "created": 1,
        "updated": 1,
        "unchanged": 1,
        "unpublished": 1,
    }
    assert not OfferPage.objects.get(external_id="ZWEM-03").live
    assert OfferPage.objects.count() == 4


def test_a_refused_row_keeps_its_published_offer_online(partner_a):
    """A typo in a row that was imported before refuses the row but does not take its offer offline."""
    apply(partner_a, xlsx(row()))
    report = apply(partner_a, xlsx(row(prijs="twaalf")))
    assert report.totals["refused"] == 1 and report.totals["unpublished"] == 0
    assert OfferPage.objects.get().live


def test_offers_from_the_admin_or_another_source_are_never_taken_offline(partner_a):
    """The removal of offers missing from the sheet only reaches the organisation's spreadsheet offers."""
    from_admin = OfferFactory(organisation=partner_a)
    from_feed = OfferFactory(organisation=partner_a, source=Source.UITDATABANK, external_id="ZWEM-99")
    report = apply(partner_a, xlsx(row()))
    assert report.totals["unpublished"] == 0
    assert OfferPage.objects.get(pk=from_admin.pk).live and OfferPage.objects.get(pk=from_feed.pk).live


def test_partner_as_sheet_for_partner_b_creates_bs_own_offers(partner_a, partner_b):
    """Error case: the same file imported for B makes B's offers under B and leaves A's as they were."""
    content = xlsx(row())
    apply(partner_a, content)
    offer_a = OfferPage.objects.get(organisation=partner_a)
    report = apply(partner_b, xlsx(row(titel="Van B")))
    assert report.totals == {**report.totals, "created": 1, "unpublished": 0}
    assert OfferPage.objects.get(pk=offer_a.pk).title == "Zwemmen voor beginners"
    assert OfferPage.objects.get(organisation=partner_b).get_parent().specific.organisation == partner_b


def test_the_same_external_id_twice_refuses_the_second_row(partner_a):
    """Error case: two rows with one extern_id: the second is refused and names the first."""
    with translation.override("en"):
        report = apply(partner_a, xlsx(row(), row(titel="Dubbel")))
        assert errors_of(report) == [
            "Row 4, column extern_id: This external id already appears in Row 3; every offer needs its own."
        ]


@pytest.mark.parametrize(
    ("content", "filename", "problem"),
    [
        (b"not a zip file", "aanbod.xlsx", "This file cannot be read as an Excel workbook (.xlsx)."),
        (b"titel;domein\r\n", "aanbod.csv", "The file lacks the columns extern_id, samenvatting, prijs"),
        (template_csv, "aanbod.csv", "The file holds no offers; fill in the template from row 3 on."),
        (b"%PDF-1.4", "aanbod.pdf", "Upload the template as an .xlsx or .csv file."),
    ],
)
def test_an_unusable_file_is_refused_as_a_whole(partner_a, content, filename, problem):
    """Error case: a broken, foreign or empty file is refused with one clear message and writes nothing."""
    with translation.override("en"):
        feed, report = sheet_import(
            organisation=partner_a, content=content() if callable(content) else content, filename=filename
        )
        assert report is None
        assert str(feed.problems[0]).startswith(problem)
    assert not OfferPage.objects.exists()


def test_unknown_and_missing_columns_are_noted():
    """A column not in the template is ignored and a missing optional column counts as empty, both said."""
    header = [*(column.name for column in COLUMNS if column.required), "opmerking"]
    with translation.override("en"):
        feed = read_sheet(csv_file(row(), header=header, help_row=False), "aanbod.csv")
        assert not feed.problems
        assert str(feed.notes[0]) == "Columns not in the template are ignored: opmerking."
        assert str(feed.notes[1]).startswith("These columns are missing and count as empty: beschrijving, ")


def test_the_error_speaks_the_editor_s_language(partner_a):
    """The same error reads differently in Dutch and in English."""
    content = xlsx(row(prijs="5,00", verlaagde_prijs="7,00"))
    with translation.override("en"):
        english = errors_of(apply(partner_a, content, dry_run=True))
    with translation.override("nl"):
        dutch = errors_of(apply(partner_a, content, dry_run=True))
    assert english != dutch


def test_a_preview_then_the_import_in_one_go(partner_a):
    """A preview leaves nothing behind, not even in memory: applying right after it creates the offers."""
    content = xlsx(row(), row(extern_id="ZWEM-02"))
    assert apply(partner_a, content, dry_run=True).totals["created"] == 2
    assert not OfferPage.objects.exists()
    assert apply(partner_a, content).totals["created"] == 2
    assert OfferPage.objects.count() == 2


def test_a_row_with_an_address_and_no_point_is_placed_through_the_register(partner_a, address_register):
    """Case: breedtegraad and lengtegraad left empty: the row is placed from straat, postcode, gemeente (Kiel)."""
    cells = row(straat="Schijfwerpersstraat 2", postcode="2020", breedtegraad="", lengtegraad="")
    report = apply(partner_a, xlsx(cells))
    assert [item.action for item in report.items] == [ItemAction.CREATED], errors_of(report)
    offer = OfferPage.objects.get()
    assert offer.neighbourhood.code == "ANT10"
    assert address_register.requests == [
        {"straatnaam": "Schijfwerpersstraat", "huisnummer": "2", "postcode": "2020", "gemeentenaam": "Antwerpen"}
    ]


@pytest.mark.parametrize(
    ("cells", "status", "expected"),
    [
        (
            {"straat": "Bestaatnietstraat 3"},
            None,
            "Row 3, column straat: Flanders' address register does not know “Bestaatnietstraat 3, 2020 Antwerpen”: "
            "check the columns straat, or fill in breedtegraad and lengtegraad.",
        ),
        (
            {"straat": "Turnhoutsebaan 15", "postcode": "2000"},
            None,
            "Row 3, column postcode: Flanders' address register finds “Turnhoutsebaan 15, 2000 Antwerpen” in more than "
            "one place (Turnhoutsebaan 15, 2140 Antwerpen; Turnhoutsebaan 15, 2100 Antwerpen)",
        ),
        (
            {"straat": "Schijfwerpersstraat 2"},
            503,
            "Row 3, column straat: Flanders' address register did not answer, so the point could not be found from "
            "the columns straat, postcode, gemeente",
        ),
        (
            {"straat": "Schijfwerpersstraat 2", "breedtegraad": "51,19"},
            None,
            "Row 3, column lengtegraad: Fill in both breedtegraad and lengtegraad, or neither",
        ),
    ],
    ids=["unknown", "ambiguous", "register-down", "half-a-point"],
)
def test_a_row_the_register_cannot_place_is_refused_naming_the_address_columns(
    partner_a, address_register, cells, status, expected
):
    """Error case: the row's error names the address columns; the row writes nothing."""
    address_register.status_override = status
    pages = Page.objects.count()
    with translation.override("en"):
        report = apply(partner_a, xlsx(row(**{"breedtegraad": "", "lengtegraad": "", **cells})))
        assert report.items[0].action == ItemAction.REFUSED
        assert any(error.startswith(expected) for error in errors_of(report)), errors_of(report)
    assert Page.objects.count() == pages
