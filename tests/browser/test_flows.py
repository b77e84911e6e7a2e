"""People's flows in a real browser: a mediator sets up the second factor by scanning its QR code, prints a
client sheet whose QR code is read back (screen, print and PDF), and a partner publishes an offer from its
address alone and finds it in both searches. Two journeys follow one person through a whole task: a mediator
from a new case to its aftercare, and a coordinator approving a partner's draft and downloading the figures.

Every page a flow visits goes through axe-core at 1280 and at 375 px (``AxeAudit``); a flow fails at its end
with the list of every violation it met, page by page.

Every QR code is read from a screenshot (or the PDF rendered to an image) with a real decoder, zxing-cpp,
and what it encodes is checked: the setup code's secret, fed to an RFC 6238 computation written here,
gives a code the form accepts; the sheet's code is the offer's address on the public host.
"""

import base64
import csv
import hashlib
import hmac
import io
import re
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pypdfium2
import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Browser, Locator, Page, expect

from .conftest import NEW_MEDIATOR_PASSWORD, NEW_MEDIATORS, PUBLIC_BASE_URL
from .test_accessibility import COORDINATOR, MEDIATOR, PARTNER, describe, log_in, run_axe

# The browser tests run on one worker (pytest-xdist): they share one demo database and its servers.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

WIDTHS = [375, 1280]
HEIGHT = 800
LOCALE = "nl-BE"
# Rendering the PDF at 3× gives about 4 px a module for the 35 mm code: well within what a scanner reads.
PDF_SCALE = 3
# The widths every page of a flow is checked at: a desktop, then a phone.
AXE_WIDTHS = (1280, 375)
SPORT_PARTNER = ("partner-sport", "demo-partner-2026")
SPORT_ORGANISATION = "Zwem- en sportclub Schijnpoort (demo)"
# The figures CSV's headings in Dutch (issue 12, item 9).
FIGURES_CSV_HEADINGS = ["Cijfer", "Wat", "Aantal", "Opmerking"]
BYTE_ORDER_MARK = b"\xef\xbb\xbf"


class AxeAudit:
    """axe-core on the page a flow has reached, at each of AXE_WIDTHS; ``assert_clean`` fails with all it found."""

    def __init__(self, axe_script: Path) -> None:
        self.axe_script = axe_script
        self.found: list[str] = []
        self.checked: list[tuple[str, int]] = []

    def check(self, page: Page, step: str) -> None:
        """Check the current page at every width, then give the page back at the width it had."""
        size = page.viewport_size
        for width in AXE_WIDTHS:
            page.set_viewport_size({"width": width, "height": size["height"]})
            violations = run_axe(page, self.axe_script)
            self.checked.append((step, width))
            if violations:
                self.found.append(f"{step} ({page.url}, {width} px):\n{describe(violations)}")
        page.set_viewport_size(size)

    def assert_clean(self) -> None:
        assert self.checked, "no page was checked"
        count = len(self.found)
        assert count == 0, f"axe violations on {count} page check(s):\n" + "\n".join(self.found)


def reveal(target: Locator) -> Locator:
    """Open, as a person would by clicking its summary, each closed <details> the target sits in; the target.

    A target already in view is left as it is: on a wide screen the search filters show without their summary.
    """
    while not target.is_visible():
        summary = target.evaluate_handle(
            """element => {
                let closed = null;
                for (let details = element.parentElement && element.parentElement.closest("details"); details;
                     details = details.parentElement && details.parentElement.closest("details")) {
                    if (!details.open) closed = details;
                }
                return closed && closed.querySelector(":scope > summary");
            }"""
        ).as_element()
        if summary is None:
            break
        summary.click()
    return target


def announced(page: Page, text: str) -> None:
    """The page says ``text`` in a status message, which screen readers read out."""
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def totp(secret: str, *, digits: int, period: int, at: float | None = None) -> str:
    """RFC 6238 (HMAC-SHA1), independent of django-otp: the code an authenticator app shows."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // period)
    digest = hmac.new(key, counter.to_bytes(8, "big"), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = (int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF) % 10**digits
    return f"{number:0{digits}d}"


def decode_qr(png: bytes) -> str:
    """The text of the one QR code in an image; fails when the decoder finds none, or more than one."""
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)), formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(results) == 1, f"{len(results)} QR codes found in the image"
    return results[0].text


# The smallest a code is drawn: 12rem on screen; on paper 40 mm (CSS's 96 px an inch).
SCREEN_MINIMUM_PX = 192
PRINT_MINIMUM_PX = 40 / 25.4 * 96


def assert_whole_and_large_enough(page: Page, selector: str, *, minimum: float = SCREEN_MINIMUM_PX) -> None:
    """The code's SVG lies inside the viewport's width, square, and is drawn at least ``minimum`` CSS px wide."""
    box = page.locator(selector).bounding_box()
    width = page.viewport_size["width"]
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, f"QR code box {box} at {width} px"
    assert box["width"] >= minimum and abs(box["width"] - box["height"]) < 1, f"QR code drawn at {box}"


@pytest.fixture
def context_at(browser: Browser, request: pytest.FixtureRequest) -> Iterator:
    context = browser.new_context(viewport={"width": request.param, "height": HEIGHT}, locale=LOCALE)
    try:
        yield context
    finally:
        context.close()


@pytest.mark.parametrize("context_at", WIDTHS, indirect=True, ids=[f"{width}px" for width in WIDTHS])
def test_a_new_mediator_sets_up_the_second_factor_by_scanning_the_code(
    context_at, secured_portal_url: str, axe_script: Path
) -> None:
    """A mediator without an app signs in, scans the QR code, mistypes once, then types the app's code."""
    audit = AxeAudit(axe_script)
    page = context_at.new_page()
    width = page.viewport_size["width"]
    log_in(page, secured_portal_url, NEW_MEDIATORS[width], NEW_MEDIATOR_PASSWORD)
    page.goto(f"{secured_portal_url}/bemiddeling/dossiers/")
    expect(page).to_have_url(re.compile(r"/bemiddeling/tweede-stap/instellen/\?next="))
    audit.check(page, "second factor setup")

    assert_whole_and_large_enough(page, ".qr-box svg")
    uri = decode_qr(page.locator(".qr-box").screenshot())
    parts = urlsplit(uri)
    params = {name: values[0] for name, values in parse_qs(parts.query).items()}
    assert (parts.scheme, parts.netloc) == ("otpauth", "totp")
    assert unquote(parts.path) == f"/Vrijetijdsnet:{NEW_MEDIATORS[width]}"
    assert (params["issuer"], params["digits"], params["period"], params["algorithm"]) == (
        "Vrijetijdsnet",
        "6",
        "30",
        "SHA1",
    )
    typed_key = page.locator(".totp-key").inner_text().replace(" ", "")
    assert typed_key == params["secret"], "the key to type is not the QR code's secret"

    code = totp(params["secret"], digits=6, period=30)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    page.fill("#id_token", wrong)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".error-summary")).to_contain_text("Code")
    audit.check(page, "second factor setup, wrong code")

    page.fill("#id_token", totp(params["secret"], digits=6, period=30))
    with page.expect_navigation():
        page.get_by_role("button", name="Bevestigen").click()
    expect(page).to_have_url(f"{secured_portal_url}/bemiddeling/dossiers/")
    expect(page.get_by_role("button", name="Afmelden")).to_be_visible()
    audit.check(page, "case list")
    with page.expect_navigation():
        page.get_by_role("button", name="Afmelden").click()
    expect(page).to_have_url(re.compile(r"/admin/login/"))
    expect(page.locator("h1")).to_have_text("Inloggen bij Vrijetijdsnet")
    audit.check(page, "signed out")
    audit.assert_clean()


def _sheet_page(page: Page, portal_url: str, demo_facts: dict) -> tuple[str, str]:
    """Open the first shortlisted offer's client sheet from the case page; (sheet URL, expected QR text)."""
    offer_id, offer_path = next(iter(demo_facts["shortlist"].items()))
    page.goto(f"{portal_url}/bemiddeling/dossiers/{demo_facts['case']}/")
    with page.expect_navigation():
        page.locator(f'a[href$="/fiche/{offer_id}/"]').click()
    return page.url, f"{PUBLIC_BASE_URL}{offer_path}"


@pytest.mark.parametrize("context_at", WIDTHS, indirect=True, ids=[f"{width}px" for width in WIDTHS])
def test_the_client_sheets_qr_code_reads_as_the_offers_public_address(
    context_at, portal_url: str, demo_facts: dict, axe_script: Path
) -> None:
    """The sheet's QR code, on screen and printed, encodes the offer's address on the public host."""
    audit = AxeAudit(axe_script)
    page = context_at.new_page()
    log_in(page, portal_url, *MEDIATOR)
    _sheet_url, expected = _sheet_page(page, portal_url, demo_facts)
    audit.check(page, "client sheet")
    assert_whole_and_large_enough(page, ".sheet-qr .qr-box svg")
    assert decode_qr(page.locator(".sheet-qr .qr-box").screenshot()) == expected
    expect(page.locator(".sheet-qr")).to_contain_text(expected)

    page.emulate_media(media="print")
    assert_whole_and_large_enough(page, ".sheet-qr .qr-box svg", minimum=PRINT_MINIMUM_PX)
    assert decode_qr(page.locator(".sheet-qr .qr-box").screenshot()) == expected
    page.emulate_media(media="screen")
    audit.assert_clean()


def test_the_client_sheets_pdf_qr_code_reads_as_the_offers_public_address(
    browser: Browser, portal_url: str, demo_facts: dict
) -> None:
    """The PDF's QR code, rendered to an image, encodes the offer's public address (not the Site's localhost)."""
    context = browser.new_context(viewport={"width": 1280, "height": HEIGHT}, locale=LOCALE)
    try:
        page = context.new_page()
        log_in(page, portal_url, *MEDIATOR)
        sheet_url, expected = _sheet_page(page, portal_url, demo_facts)
        with page.expect_download() as download_info:
            page.get_by_role("link", name="Downloaden als pdf").click()
        pdf = pypdfium2.PdfDocument(Path(download_info.value.path()).read_bytes())
        assert len(pdf) == 1, "the sheet is one page"
        image = pdf[0].render(scale=PDF_SCALE).to_pil()
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        assert decode_qr(buffer.getvalue()) == expected
        assert sheet_url.startswith(portal_url)
    finally:
        context.close()


def test_a_partner_publishes_an_offer_from_its_address_and_finds_it_in_both_searches(
    browser: Browser, portal_url: str, demo_facts: dict, axe_script: Path
) -> None:
    """A partner fills in only the visible fields, no coordinates: "Zoek adres" places it in Kiel; it is published
    (the slug followed the title) and found on /aanbod/ and, by a mediator, on /bemiddeling/zoeken/."""
    audit = AxeAudit(axe_script)
    context = browser.new_context(viewport={"width": 1280, "height": HEIGHT}, locale=LOCALE)
    try:
        page = context.new_page()
        log_in(page, portal_url, *PARTNER)
        organisation_page = demo_facts["organisation_pages"]["Cultuurdienst Antwerpen (demo)"]
        page.goto(f"{portal_url}/admin/pages/add/catalogue/offerpage/{organisation_page}/")
        audit.check(page, "new offer form")
        page.fill("#id_title", "Schaakclub voor beginners in de Kiel")
        page.fill("#id_plain_summary", "Je leert schaken in een kleine groep. Iedereen is welkom.")
        page.select_option("#id_domain", "culture")

        page.get_by_role("tab", name="Wanneer en waar").click()
        page.fill("#id_street_address", "Schijfwerpersstraat 2")
        page.fill("#id_postal_code", "2020")
        expect(page.locator("#id_latitude")).to_have_value("")
        page.get_by_role("button", name="Zoek adres").click()
        place = page.locator("[data-derived-place]")
        expect(place).to_contain_text("Kiel")
        expect(place).to_contain_text("Schijfwerpersstraat 2, 2020 Antwerpen")
        expect(page.locator("#id_latitude")).not_to_have_value("")
        expect(page.locator(".derived-place__map .leaflet-marker-icon")).to_be_visible()
        audit.check(page, "new offer form, place found")

        page.get_by_role("tab", name="Drempels").click()
        page.fill("#id_list_price", "0")
        page.get_by_role("tab", name="Contact").click()
        page.fill("#id_referral_contact_name", "Sofie")
        page.fill("#id_referral_contact_email", "sofie@example.test")

        page.locator("footer [data-w-dropdown-target='toggle']").first.click()
        with page.expect_navigation():
            page.locator('button[name="action-publish"]').click()
        expect(page.locator(".messages")).to_contain_text("Schaakclub voor beginners in de Kiel")
        audit.check(page, "offer published")

        page.goto(f"{portal_url}/aanbod/?q=schaakclub")
        hit = page.locator("main .hit-list a", has_text="Schaakclub voor beginners in de Kiel")
        expect(hit).to_have_count(1)
        assert hit.get_attribute("href").endswith("/schaakclub-voor-beginners-in-de-kiel/")
        audit.check(page, "public search")
        with page.expect_navigation():
            hit.click()
        expect(page.locator("main")).to_contain_text("Kiel")
        audit.check(page, "offer page")
    finally:
        context.close()

    context = browser.new_context(viewport={"width": 1280, "height": HEIGHT}, locale=LOCALE)
    try:
        page = context.new_page()
        log_in(page, portal_url, *MEDIATOR)
        page.goto(f"{portal_url}/bemiddeling/zoeken/?q=schaakclub")
        expect(page.locator("main .hit-list a", has_text="Schaakclub voor beginners in de Kiel")).to_have_count(1)
        audit.check(page, "mediator search")
    finally:
        context.close()
    audit.assert_clean()


def test_a_mediator_takes_a_new_case_from_search_to_aftercare(
    browser: Browser, portal_url: str, axe_script: Path
) -> None:
    """A mediator makes a case, adds a search result to its shortlist, prints the client sheet (its QR code read
    back), refers the client to the partner, and records the aftercare check with a note and the next date."""
    audit = AxeAudit(axe_script)
    context = browser.new_context(viewport={"width": 1280, "height": HEIGHT}, locale=LOCALE)
    try:
        page = context.new_page()
        log_in(page, portal_url, *MEDIATOR)
        page.goto(f"{portal_url}/bemiddeling/dossiers/")
        audit.check(page, "case list")

        # A new case: what the client needs, never who the client is; the portal gives the code.
        with page.expect_navigation():
            page.get_by_role("link", name="Nieuw dossier").first.click()
        audit.check(page, "new case form")
        page.get_by_label("Leeftijden").fill("34, 9")
        with page.expect_navigation():
            page.get_by_role("button", name="Het dossier aanmaken").click()
        announced(page, "is aangemaakt")
        code = page.get_by_role("heading", level=1).inner_text().removeprefix("Dossier ").strip()
        announced(page, f"Dossier {code} is aangemaakt.")
        audit.check(page, "new case")

        # From the mediator search, the first result goes onto this case's shortlist; the page keeps its place.
        with page.expect_navigation():
            page.get_by_role("link", name="Aanbod zoeken").first.click()
        page.get_by_label("Zoeken naar").fill("zwemmen")
        with page.expect_navigation():
            page.get_by_label("Zoeken naar").press("Enter")
        audit.check(page, "mediator search")
        result = page.locator("main .hit-list > li").first
        title = result.get_by_role("heading").first.inner_text().strip()
        result.get_by_label("Dossier").select_option(label=code)
        with page.expect_navigation():
            result.get_by_role("button", name=f"Aan de selectie toevoegen {title}").click()
        announced(page, f"{title} staat op de shortlist van dossier {code}.")
        assert re.search(r"[?&]q=zwemmen\b.*#hit-\d+$", page.url), f"the search did not keep its place: {page.url}"
        audit.check(page, "mediator search, result added")

        with page.expect_navigation():
            page.get_by_role("status").get_by_role("link", name=f"Dossier {code} openen").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Dossier {code}")

        # The client sheet, on screen and as the browser prints it: its QR code reads as the offer's address.
        with page.expect_navigation():
            reveal(page.get_by_role("link", name=f"Fiche {title}", include_hidden=True)).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(title)
        offer_address = page.locator(".sheet-qr").inner_text()
        assert PUBLIC_BASE_URL in offer_address, f"the sheet does not give the public address: {offer_address!r}"
        expected = next(word for word in offer_address.split() if word.startswith(PUBLIC_BASE_URL))
        assert decode_qr(page.locator(".sheet-qr .qr-box").screenshot()) == expected
        page.emulate_media(media="print")
        assert_whole_and_large_enough(page, ".sheet-qr .qr-box svg", minimum=PRINT_MINIMUM_PX)
        assert decode_qr(page.locator(".sheet-qr .qr-box").screenshot()) == expected
        page.emulate_media(media="screen")
        audit.check(page, "client sheet")
        with page.expect_navigation():
            page.get_by_role("link", name=f"Terug naar dossier {code}").click()

        # The referral: the client's consent, the partner calls the mediator at the work phone.
        with page.expect_navigation():
            reveal(page.get_by_role("link", name=f"Doorverwijzen {title}", include_hidden=True)).click()
        audit.check(page, "referral form")
        page.get_by_label("De cliënt gaat ermee akkoord").check()
        page.get_by_label("De partner belt de vrijetijdsbemiddelaar").check()
        page.get_by_label("Je werktelefoon").fill("03 123 45 67")
        page.get_by_label("Wensen voor het eerste bezoek").fill("Liefst op woensdagnamiddag, eerst eens kijken.")
        with page.expect_navigation():
            page.get_by_role("button", name="De doorverwijzing versturen").click()
        announced(page, "De doorverwijzing is verstuurd naar")
        expect(reveal(page.get_by_role("heading", name=f"{title}: Voorgesteld", include_hidden=True))).to_be_visible()
        audit.check(page, "case with its referral")

        # Aftercare: the client went to the regular offer, which plans a check; the mediator records it.
        with page.expect_navigation():
            reveal(page.get_by_role("link", name="Een traject starten", include_hidden=True)).click()
        audit.check(page, "trajectory form")
        page.get_by_label("Kort: een duidelijke vraag").check()
        with page.expect_navigation():
            page.get_by_role("button", name="Traject starten").click()
        announced(page, "Het traject werd bewaard.")
        with page.expect_navigation():
            reveal(page.get_by_role("link", name="Stap toevoegen", include_hidden=True)).click()
        audit.check(page, "step form")
        page.get_by_label("Soort stap").select_option(label="Doorverwijzing naar het reguliere aanbod")
        page.get_by_label("Gedaan", exact=True).check()
        page.get_by_label("Welke doorverwijzing").select_option(label=title)
        with page.expect_navigation():
            page.get_by_role("button", name="Stap bewaren").click()
        announced(page, "De stap werd bewaard.")
        audit.check(page, "case with an aftercare check planned")

        note = reveal(page.get_by_label("Hoe gaat het?"))
        note.fill("Ze gaat elke week zwemmen, het gaat goed.")
        next_check = date.today() + timedelta(days=90)
        page.get_by_label("Volgende nazorgcontact").fill(next_check.isoformat())
        with page.expect_navigation():
            page.get_by_role("button", name="Nazorgcontact bewaren").click()
        announced(page, "Aangeduid als gedaan: Nazorgcontact.")
        announced(page, "Het volgende nazorgcontact is gepland op")
        expect(reveal(page.get_by_text("Ze gaat elke week zwemmen, het gaat goed."))).to_be_visible()
        audit.check(page, "case with the aftercare recorded")
    finally:
        context.close()
    audit.assert_clean()


def test_a_coordinator_approves_a_partners_draft_and_downloads_the_figures(
    browser: Browser, portal_url: str, demo_facts: dict, axe_script: Path
) -> None:
    """A partner sends a changed offer for review; the coordinator approves it from the dashboard's review panel,
    the change is live, and the figures CSV opens as Belgian Excel reads it: `;`, UTF-8 with BOM, Dutch headings."""
    audit = AxeAudit(axe_script)
    offer_id = demo_facts["organisation_offers"][SPORT_ORGANISATION]
    context = browser.new_context(viewport={"width": 1280, "height": HEIGHT}, locale=LOCALE)
    try:
        page = context.new_page()
        log_in(page, portal_url, *SPORT_PARTNER)
        page.goto(f"{portal_url}/admin/pages/{offer_id}/edit/")
        audit.check(page, "offer editor")
        title_field = page.get_by_role("textbox", name=re.compile(r"^Titel"))
        new_title = f"{title_field.input_value()} – nieuw seizoen"
        title_field.fill(new_title)
        page.get_by_role("button", name="Meer acties").click()
        with page.expect_navigation():
            page.get_by_role("button", name=re.compile(r"^Stuur door naar")).click()
        announced(page, "is ter goedkeuring ingediend")
        audit.check(page, "offer sent for review")
    finally:
        context.close()

    context = browser.new_context(viewport={"width": 1280, "height": HEIGHT}, locale=LOCALE)
    try:
        page = context.new_page()
        log_in(page, portal_url, *COORDINATOR)
        expect(page).to_have_url(f"{portal_url}/admin/")
        audit.check(page, "coordinator's dashboard")
        panel = page.get_by_role("region", name="In afwachting van jouw beoordeling")
        waiting = panel.get_by_role("row").filter(has_text=new_title)
        waiting.get_by_role("button", name="Acties").click()
        with page.expect_navigation():
            waiting.get_by_role("button", name="Goedkeuren", exact=True).click()
        expect(
            page.get_by_role("region", name="In afwachting van jouw beoordeling")
            .get_by_role("row")
            .filter(has_text=new_title)
        ).to_have_count(0)
        audit.check(page, "coordinator's dashboard, draft approved")

        page.goto(f"{portal_url}/aanbod/?q=seizoen")
        expect(page.locator("main .hit-list a", has_text=new_title)).to_have_count(1)

        page.goto(f"{portal_url}/bemiddeling/cijfers/")
        audit.check(page, "figures")
        with page.expect_download() as download_info:
            page.get_by_role("link", name="Downloaden als CSV", exact=True).click()
        content = Path(download_info.value.path()).read_bytes()
    finally:
        context.close()
    assert content.startswith(BYTE_ORDER_MARK), "the CSV does not start with UTF-8's byte order mark"
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0] == FIGURES_CSV_HEADINGS
    assert len(rows) > 1 and all(len(row) == len(FIGURES_CSV_HEADINGS) for row in rows), rows[:5]
    for figure, what, number, note in rows[1:]:
        assert figure and what, f"a row without its figure or label: {[figure, what, number, note]}"
        assert number.isdigit() or (number == "" and note), f"count {number!r} is neither a number nor explained"
    audit.assert_clean()


@pytest.mark.parametrize("context_at", WIDTHS, indirect=True, ids=[f"{width}px" for width in WIDTHS])
def test_a_mediator_sets_a_budget_per_session_and_sees_what_it_leaves_out(
    context_at, portal_url: str, axe_script: Path
) -> None:
    """A € 5 budget per session: prices carry their unit, a price per season stays in with a note instead of
    being dropped, the results say how many activities the budget leaves out, and one link shows them too."""
    audit = AxeAudit(axe_script)
    page = context_at.new_page()
    page.goto(f"{portal_url}/aanbod/")
    reveal(page.get_by_label("Hoogstens (euro)")).fill("5")
    page.get_by_label("Budget per").select_option(label="per keer")
    with page.expect_navigation():
        page.get_by_role("button", name="Toon het aanbod").click()
    assert "budget_per=session" in page.url and "max_cost=5" in page.url
    left_out = page.locator(".over-budget")
    expect(left_out).to_contain_text(re.compile(r"\d+ activiteit(en)? (valt|vallen) buiten het budget"))
    total_with_budget = int(re.search(r"\d+", page.locator("#results-heading").inner_text())[0])
    prices = page.locator("main .hit-list").inner_text()
    assert re.search(r"€\s?\d+,\d\d (per keer|per maand|per seizoen|per jaar|in totaal)", prices), prices
    audit.check(page, "search with a budget per session")

    with page.expect_navigation():
        left_out.get_by_role("link", name="Toon ze ook").click()
    assert "max_cost" not in page.url
    total_without = int(re.search(r"\d+", page.locator("#results-heading").inner_text())[0])
    assert total_without > total_with_budget
    audit.check(page, "search without the budget")
    audit.assert_clean()
