"""People's flows in a real browser: a mediator sets up the second factor by scanning its QR code, prints a
client sheet whose QR code is read back (screen, print and PDF), and a partner publishes an offer from its
address alone and finds it in both searches.

Every QR code is read from a screenshot (or the PDF rendered to an image) with a real decoder, zxing-cpp,
and what it encodes is checked: the setup code's secret, fed to an RFC 6238 computation written here,
gives a code the form accepts; the sheet's code is the offer's address on the public host.
"""

import base64
import hashlib
import hmac
import io
import re
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pypdfium2
import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from .conftest import NEW_MEDIATOR_PASSWORD, NEW_MEDIATORS, PUBLIC_BASE_URL
from .test_accessibility import MEDIATOR, PARTNER, describe, log_in, run_axe

pytestmark = pytest.mark.browser

WIDTHS = [375, 1280]
HEIGHT = 800
LOCALE = "nl-BE"
# Rendering the PDF at 3× gives about 4 px a module for the 35 mm code: well within what a scanner reads.
PDF_SCALE = 3


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
    page = context_at.new_page()
    width = page.viewport_size["width"]
    log_in(page, secured_portal_url, NEW_MEDIATORS[width], NEW_MEDIATOR_PASSWORD)
    page.goto(f"{secured_portal_url}/bemiddeling/dossiers/")
    expect(page).to_have_url(re.compile(r"/bemiddeling/tweede-stap/instellen/\?next="))
    violations = run_axe(page, axe_script)
    assert not violations, describe(violations)

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
    violations = run_axe(page, axe_script)
    assert not violations, describe(violations)

    page.fill("#id_token", totp(params["secret"], digits=6, period=30))
    with page.expect_navigation():
        page.get_by_role("button", name="Bevestigen").click()
    expect(page).to_have_url(f"{secured_portal_url}/bemiddeling/dossiers/")
    expect(page.get_by_role("button", name="Afmelden")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Afmelden").click()
    expect(page).to_have_url(re.compile(r"/admin/login/"))
    expect(page.locator("h1")).to_have_text("Inloggen bij Vrijetijdsnet")


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
    page = context_at.new_page()
    log_in(page, portal_url, *MEDIATOR)
    _sheet_url, expected = _sheet_page(page, portal_url, demo_facts)
    assert_whole_and_large_enough(page, ".sheet-qr .qr-box svg")
    assert decode_qr(page.locator(".sheet-qr .qr-box").screenshot()) == expected
    expect(page.locator(".sheet-qr")).to_contain_text(expected)

    page.emulate_media(media="print")
    assert_whole_and_large_enough(page, ".sheet-qr .qr-box svg", minimum=PRINT_MINIMUM_PX)
    assert decode_qr(page.locator(".sheet-qr .qr-box").screenshot()) == expected
    page.emulate_media(media="screen")
    violations = run_axe(page, axe_script)
    assert not violations, describe(violations)


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
    browser: Browser, portal_url: str, demo_facts: dict
) -> None:
    """A partner fills in only the visible fields, no coordinates: "Zoek adres" places it in Kiel; it is published
    (the slug followed the title) and found on /aanbod/ and, by a mediator, on /bemiddeling/zoeken/."""
    context = browser.new_context(viewport={"width": 1280, "height": HEIGHT}, locale=LOCALE)
    try:
        page = context.new_page()
        log_in(page, portal_url, *PARTNER)
        organisation_page = demo_facts["organisation_pages"]["Cultuurdienst Antwerpen (demo)"]
        page.goto(f"{portal_url}/admin/pages/add/catalogue/offerpage/{organisation_page}/")
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

        page.get_by_role("tab", name="Drempels").click()
        page.fill("#id_list_price", "0")
        page.get_by_role("tab", name="Contact").click()
        page.fill("#id_referral_contact_name", "Sofie")
        page.fill("#id_referral_contact_email", "sofie@example.test")

        page.locator("footer [data-w-dropdown-target='toggle']").first.click()
        with page.expect_navigation():
            page.locator('button[name="action-publish"]').click()
        expect(page.locator(".messages")).to_contain_text("Schaakclub voor beginners in de Kiel")

        page.goto(f"{portal_url}/aanbod/?q=schaakclub")
        hit = page.locator("main .hit-list a", has_text="Schaakclub voor beginners in de Kiel")
        expect(hit).to_have_count(1)
        assert hit.get_attribute("href").endswith("/schaakclub-voor-beginners-in-de-kiel/")
        with page.expect_navigation():
            hit.click()
        expect(page.locator("main")).to_contain_text("Kiel")
    finally:
        context.close()

    context = browser.new_context(viewport={"width": 1280, "height": HEIGHT}, locale=LOCALE)
    try:
        page = context.new_page()
        log_in(page, portal_url, *MEDIATOR)
        page.goto(f"{portal_url}/bemiddeling/zoeken/?q=schaakclub")
        expect(page.locator("main .hit-list a", has_text="Schaakclub voor beginners in de Kiel")).to_have_count(1)
    finally:
        context.close()
