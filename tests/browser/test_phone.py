"""A phone shows results first: at 375 px a resident reaches the first result within one screen, searches
with the keyboard in a few Tab presses, and no page a person uses on a phone scrolls sideways.

The pages are the public search, and a mediator's case list, case and client sheet; axe-core checks each at
this width too (the accessibility module checks them at 320 and 1280 px).
"""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from .test_accessibility import DEMO_CASE_CODE, LOCALE, MEDIATOR, describe, log_in, run_axe

# The browser tests run on one worker (pytest-xdist): they share one demo database and its servers.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

# An ordinary phone's screen in CSS pixels (iPhone SE, many Android phones).
PHONE = {"width": 375, "height": 667}
# A result title's first line, in CSS pixels (1.2rem at 18 px with the line height).
TITLE_LINE = 34
# Tab presses from the top of the page to the search button: skip link, header links, site search, language.
MAX_TABS_TO_SEARCH = 12
# Tab presses from the neighbourhood dropdown to the filters' submit button.
MAX_TABS_AFTER_DROPDOWN = 20


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, locale=LOCALE)
    try:
        yield context.new_page()
    finally:
        context.close()


def page_width(page: Page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth")


def assert_fits_and_passes_axe(page: Page, axe_script: Path) -> None:
    width = page_width(page)
    assert width <= PHONE["width"], f"{page.url} is {width} px wide at {PHONE['width']} px: it scrolls sideways"
    violations = run_axe(page, axe_script)
    count = len(violations)
    assert count == 0, f"{count} axe violation(s) on {page.url} at {PHONE['width']} px:\n{describe(violations)}"


def tab_until(page: Page, selector: str, *, limit: int) -> int:
    """Press Tab until the element matching ``selector`` has the focus; how many presses it took."""
    target = page.locator(selector)
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return presses
    pytest.fail(f"{selector} not reached in {limit} Tab presses on {page.url}")


def test_first_result_is_within_one_screen(phone: Page, portal_url: str, axe_script: Path) -> None:
    """At 375 × 667 px the first result's title shows without scrolling, on the landing page and after a search."""
    for path in ("/aanbod/", "/aanbod/?q=zwemmen", "/aanbod/?q=zwemmen&domains=sport"):
        phone.goto(f"{portal_url}{path}")
        first = phone.locator(".hit-title").first
        expect(first).to_be_visible()
        box = first.bounding_box()
        assert box is not None and box["y"] + TITLE_LINE <= PHONE["height"], (
            f"first result's title on {path} starts at {box and box['y']:.0f} px: its first line is below one screen"
        )
        expect(phone.locator("details.filters > summary")).to_be_visible()
        assert_fits_and_passes_axe(phone, axe_script)


def test_filters_open_without_javascript(browser: Browser, portal_url: str) -> None:
    """The Filters control is a details element: with scripts off it opens and the form submits."""
    context = browser.new_context(viewport=PHONE, locale=LOCALE, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{portal_url}/aanbod/")
        expect(page.locator("#id_max_cost")).to_be_hidden()
        page.locator("details.filters > summary").click()
        expect(page.locator("#id_max_cost")).to_be_visible()
        page.locator("#id_max_cost").fill("5")
        with page.expect_navigation():
            page.get_by_role("button", name="Toon het aanbod").click()
        assert "max_cost=5" in page.url
        expect(page.locator(".hit-title").first).to_be_visible()
    finally:
        context.close()


def test_keyboard_only_search_reaches_the_button_in_few_presses(phone: Page, portal_url: str) -> None:
    """From the top of the page: Tab to the text box, type, one Tab to its button, Enter searches."""
    phone.goto(f"{portal_url}/aanbod/")
    tab_until(phone, "#id_q", limit=MAX_TABS_TO_SEARCH)
    phone.keyboard.type("zwemmen")
    phone.keyboard.press("Tab")
    button = phone.locator(".search-bar button[type=submit]")
    expect(button).to_be_focused()
    expect(button).to_be_in_viewport()
    with phone.expect_navigation():
        phone.keyboard.press("Enter")
    assert re.search(r"[?&]q=zwemmen(&|$)", phone.url)


def test_after_a_dropdown_the_submit_button_is_a_few_presses_away(phone: Page, portal_url: str) -> None:
    """Open the filters with the keyboard, choose a neighbourhood, and reach "Toon het aanbod" in a few Tabs."""
    phone.goto(f"{portal_url}/aanbod/")
    tab_until(phone, "details.filters > summary", limit=MAX_TABS_TO_SEARCH + 2)
    phone.keyboard.press("Enter")
    tab_until(phone, "#id_near_neighbourhood", limit=MAX_TABS_AFTER_DROPDOWN)
    phone.keyboard.press("ArrowDown")
    presses = tab_until(phone, ".filters > button[type=submit]", limit=MAX_TABS_AFTER_DROPDOWN)
    assert presses <= MAX_TABS_AFTER_DROPDOWN
    with phone.expect_navigation():
        phone.keyboard.press("Enter")
    assert "near_neighbourhood=" in phone.url


def test_mediator_pages_do_not_scroll_sideways(phone: Page, portal_url: str, axe_script: Path) -> None:
    """The case list, a case and its client sheet fit 375 px and pass axe."""
    log_in(phone, portal_url, *MEDIATOR)
    phone.goto(f"{portal_url}/bemiddeling/dossiers/")
    assert_fits_and_passes_axe(phone, axe_script)
    phone.locator("main a", has_text=DEMO_CASE_CODE).first.click()
    phone.wait_for_url(re.compile(r"/bemiddeling/dossiers/\d+/$"))
    assert_fits_and_passes_axe(phone, axe_script)
    sheet = phone.locator('main a[href*="/fiche/"]').first.get_attribute("href")
    assert sheet, "no client sheet link on the demo case"
    phone.goto(f"{portal_url}{sheet}")
    assert_fits_and_passes_axe(phone, axe_script)


def test_the_case_page_opens_short_with_its_sections_folded(browser: Browser, portal_url: str) -> None:
    """At 375 × 667 px the case page's contents and its first section's summary show within the first screen;
    with scripts off the sections open as details elements, and narrowing the offers is a plain form whose
    count is a status a screen reader hears."""
    context = browser.new_context(viewport=PHONE, locale=LOCALE, java_script_enabled=False)
    try:
        page = context.new_page()
        log_in(page, portal_url, *MEDIATOR)
        page.goto(f"{portal_url}/bemiddeling/dossiers/")
        page.locator("main a", has_text=DEMO_CASE_CODE).first.click()
        page.wait_for_url(re.compile(r"/bemiddeling/dossiers/\d+/$"))
        case_url = page.url
        first = page.locator("details.case-section > summary").first
        box = first.bounding_box()
        assert box is not None and box["y"] + box["height"] <= PHONE["height"], (
            f"the first section's summary ends at {box and box['y'] + box['height']:.0f} px: below the first screen"
        )
        expect(page.locator("nav.case-toc")).to_be_in_viewport()
        referrals = page.locator("details#referrals")
        expect(referrals).not_to_have_attribute("open", "")
        page.locator("details#referrals > summary").click()
        expect(referrals).to_have_attribute("open", "")
        expect(page.locator("details#matches")).to_have_attribute("open", "")
        expect(page.locator("#matches-day")).to_be_hidden()
        page.locator("details.narrow > summary").click()
        page.locator("#matches-day").select_option(value="2")
        with page.expect_navigation():
            page.get_by_role("button", name="Verfijnen").click()
        assert "day=2" in page.url and page.url.startswith(case_url)
        expect(page.locator("#matches-count")).to_have_attribute("role", "status")
        expect(page.locator("#matches-count")).to_contain_text("activiteit")
        expect(page.locator("#matches-day")).to_have_value("2")
    finally:
        context.close()


def test_the_narrowed_case_page_fits_and_passes_axe(phone: Page, portal_url: str, axe_script: Path) -> None:
    """The case's offers narrowed and paged, and a narrowing with a day that is no day (400, the field named),
    fit 375 px and pass axe."""
    log_in(phone, portal_url, *MEDIATOR)
    phone.goto(f"{portal_url}/bemiddeling/dossiers/")
    phone.locator("main a", has_text=DEMO_CASE_CODE).first.click()
    phone.wait_for_url(re.compile(r"/bemiddeling/dossiers/\d+/$"))
    case_url = phone.url
    response = phone.goto(f"{case_url}?q=a&page=1")
    assert response is not None and response.status == 200
    assert_fits_and_passes_axe(phone, axe_script)
    response = phone.goto(f"{case_url}?day=8")
    assert response is not None and response.status == 400
    expect(phone.locator("#matches .error-summary")).to_contain_text("Dag")
    assert_fits_and_passes_axe(phone, axe_script)
