"""Accessibility of the public portal in a real browser: axe-core (WCAG 2.1 A and AA) and keyboard use.

Every page is checked at a phone width (320 px) and a desktop width (1280 px), in Dutch (the
browser asks for nl-BE, as a Flemish visitor's does), and the offer page once more in English after
switching language with the header's form; the English and French vision notes are checked with that
Dutch interface. The last test asserts how many page checks ran.
"""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

# The browser tests run on one worker (pytest-xdist): they share one demo database and its servers.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

WIDTHS = [320, 1280]
HEIGHT = 800
LOCALE = "nl-BE"
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
SHOWN_TARGETS = 3

# Page name -> path; None for the pages whose path is read from the demo catalogue (see page_paths).
PAGES: dict[str, str | None] = {
    "home": "/",
    "catalogue": "/aanbod/",
    "catalogue-filtered": "/aanbod/?q=zwemmen",
    "offer": None,
    "organisation": None,
    "partners": "/partners/",
    "admin-login": "/admin/login/",
    "not-found": "/bestaat-niet/",
    "offer-en": None,
    "search-filtered": (
        "/aanbod/?domains=sport&accessibility=step_free&near_neighbourhood=ANT03&within_km=5&sort=distance"
    ),
    "search-no-results": "/aanbod/?q=xyzzyq&domains=sport",
    "search-bad-input": "/aanbod/?age=oud&bogus=1",
    "mediator-search": "/bemiddeling/zoeken/?uitpas=true&max_cost=5&facts=companion_welcome",
    "vision-note": "/visienota/",
    "vision-note-versions": "/visienota/versies/",
    "vision-note-old-version": "/visienota/versies/2025-1/",
    # The translations, read with the Dutch interface: their content region carries lang="en" / lang="fr".
    "vision-note-en": "/en/visienota/",
    "vision-note-fr": "/fr/visienota/",
    "expertise": "/expertise/",
    "expertise-page": "/expertise/eerste-keer-meegaan/",
    "news": "/nieuws/",
    "news-item": "/nieuws/nieuwe-visienota-goedgekeurd/",
    "accessibility-statement": "/toegankelijkheid/",
    "contact": "/contact/",
    "site-search": "/zoeken/?q=zwemmen",
    "cases": "/bemiddeling/dossiers/",
    "case-new": "/bemiddeling/dossiers/nieuw/",
    "case": None,
    "case-narrowed": None,
    "case-bad-narrowing": None,
    "case-edit": None,
    "client-sheet": None,
    "referral": None,
    "second-factor-setup": "/bemiddeling/tweede-stap/instellen/",
    "figures": "/bemiddeling/cijfers/",
    "unmet-needs": "/bemiddeling/signalen/",
    "referral-inbox": "/admin/doorverwijzingen/",
    "import-upload": "/admin/catalogue/import/",
    # Wagtail's editors, with their rich-text fields (named by static/portal/rich_text_labels.js).
    "offer-edit": None,
    "vision-note-edit": None,
}
EXPECTED_STATUS = {"not-found": 404, "search-bad-input": 400, "case-bad-narrowing": 400}
# Pages behind a login: page name -> (username, password) of a demo user (see portal/demo.py).
MEDIATOR = ("mediator", "demo-mediator-2026")
COORDINATOR = ("coordinator", "demo-coordinator-2026")
PARTNER = ("partner-cultuur", "demo-partner-2026")
LOGINS = {
    "mediator-search": MEDIATOR,
    "cases": MEDIATOR,
    "case-new": MEDIATOR,
    "case": MEDIATOR,
    "case-narrowed": MEDIATOR,
    "case-bad-narrowing": MEDIATOR,
    "case-edit": MEDIATOR,
    "client-sheet": MEDIATOR,
    "referral": MEDIATOR,
    "second-factor-setup": MEDIATOR,
    "figures": COORDINATOR,
    "unmet-needs": COORDINATOR,
    "referral-inbox": PARTNER,
    "import-upload": PARTNER,
    "offer-edit": PARTNER,
    "vision-note-edit": COORDINATOR,
}
PARTNER_ORGANISATION = "Cultuurdienst Antwerpen (demo)"
CASE_PATH = re.compile(r"^/bemiddeling/dossiers/\d+/$")
DEMO_CASE_CODE = "DEM-0001"
EXPECTED_CHECKS = {(name, width) for name in PAGES for width in WIDTHS}
OFFER_PATH = re.compile(r"^/partners/[^/]+/[^/]+/$")
ORGANISATION_PATH = re.compile(r"^/partners/[^/]+/$")

# (page name, width) of every page axe has run on, in this module's run.
checked: list[tuple[str, int]] = []


def new_context(browser: Browser, width: int) -> BrowserContext:
    """A fresh browser context at ``width`` that asks for Dutch, like a Flemish visitor's browser."""
    return browser.new_context(viewport={"width": width, "height": HEIGHT}, locale=LOCALE)


@pytest.fixture(scope="module")
def page_paths(browser: Browser, portal_url: str, demo_facts: dict) -> dict[str, str]:
    """All page paths, with the first offer on /aanbod/ and its organisation (from the breadcrumb)."""
    context = new_context(browser, 1280)
    try:
        page = context.new_page()
        page.goto(f"{portal_url}/aanbod/")
        links = page.locator('main a[href^="/partners/"]')
        hrefs = links.evaluate_all("links => links.map(link => link.getAttribute('href'))")
        offer = next((href for href in hrefs if OFFER_PATH.match(href)), None)
        assert offer, f"no offer link like /partners/<org>/<offer>/ on /aanbod/: {hrefs[:5]}"
        page.goto(f"{portal_url}{offer}")
        organisation = page.locator(".breadcrumb a").first.get_attribute("href")
        assert organisation and ORGANISATION_PATH.match(organisation), f"breadcrumb link: {organisation!r}"
        log_in(page, portal_url, *MEDIATOR)
        page.goto(f"{portal_url}/bemiddeling/dossiers/")
        # The demo case with a shortlist and a referral (the demo trajectories' cases have neither).
        demo_case = page.locator("main a", has_text=DEMO_CASE_CODE)
        hrefs = demo_case.evaluate_all("links => links.map(link => link.getAttribute('href'))")
        case = next((href for href in hrefs if CASE_PATH.match(href or "")), None)
        assert case, f"no demo case {DEMO_CASE_CODE} on /bemiddeling/dossiers/: {hrefs[:8]}"
        page.goto(f"{portal_url}{case}")
        hrefs = page.locator("main a").evaluate_all("links => links.map(link => link.getAttribute('href'))")
        sheet = next((href for href in hrefs if href and re.search(r"/fiche/\d+/$", href)), None)
        referral = next((href for href in hrefs if href and re.search(r"/doorverwijzen/\d+/$", href)), None)
        assert sheet and referral, f"no sheet or referral link on {case}: {hrefs[:12]}"
    finally:
        context.close()
    dynamic = {
        "offer": offer,
        "organisation": organisation,
        "offer-en": offer,
        "case": case,
        # The case's offers narrowed to a domain and a weekday, on their first page; and a day that is no day.
        "case-narrowed": f"{case}?domain=sport&day=2&page=1",
        "case-bad-narrowing": f"{case}?day=8",
        "case-edit": f"{case}bewerken/",
        "client-sheet": sheet,
        "referral": referral,
        "offer-edit": f"/admin/pages/{demo_facts['organisation_offers'][PARTNER_ORGANISATION]}/edit/",
        "vision-note-edit": f"/admin/pages/{demo_facts['vision_note']}/edit/",
    }
    return {name: path or dynamic[name] for name, path in PAGES.items()}


@pytest.fixture
def browser_page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page in a fresh context at the width the test is parametrized with (default 1280 px)."""
    context = new_context(browser, getattr(request, "param", 1280))
    try:
        yield context.new_page()
    finally:
        context.close()


def log_in(page: Page, portal_url: str, username: str, password: str) -> None:
    """Sign in through the admin login form, as a person would."""
    page.goto(f"{portal_url}/admin/login/")
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', password)
    with page.expect_navigation():
        page.keyboard.press("Enter")


# Finite animations still running (a message fading in); axe measures colours as they are at that moment.
ANIMATIONS_RUNNING = """() => document.getAnimations().some(
    animation => animation.playState === "running" && animation.effect.getComputedTiming().iterations !== Infinity
)"""


def run_axe(page: Page, axe_script: Path) -> list[dict[str, Any]]:
    """Inject axe-core into the loaded page and return its WCAG 2.1 A/AA violations, once the page is still."""
    page.wait_for_function(f"() => !({ANIMATIONS_RUNNING})()")
    page.add_script_tag(path=axe_script)
    return page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)["violations"]


def describe(violations: list[dict[str, Any]]) -> str:
    """One line per violation: rule id, impact, help text and the first few target selectors."""
    lines = []
    for violation in violations:
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
        more = f" (+{len(targets) - SHOWN_TARGETS} more)" if len(targets) > SHOWN_TARGETS else ""
        shown = ", ".join(targets[:SHOWN_TARGETS]) + more
        lines.append(f"- {violation['id']} [{violation['impact']}] {violation['help']}: {shown}")
    return "\n".join(lines)


@pytest.mark.parametrize("browser_page", WIDTHS, indirect=True, ids=[f"{width}px" for width in WIDTHS])
@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_axe_violations(
    browser_page: Page, name: str, page_paths: dict[str, str], portal_url: str, axe_script: Path
) -> None:
    url = f"{portal_url}{page_paths[name]}"
    if name in LOGINS:
        log_in(browser_page, portal_url, *LOGINS[name])
    response = browser_page.goto(url)
    assert response is not None
    assert response.status == EXPECTED_STATUS.get(name, 200), f"{url} answered {response.status}"
    assert (browser_page.locator("html").get_attribute("lang") or "").startswith("nl"), f"{url} is not in Dutch"
    if name == "offer-en":
        with browser_page.expect_navigation():
            browser_page.locator('.language-switch button[name="language"][value="en"]').click()
        assert browser_page.locator("html").get_attribute("lang") == "en", "the language switch did not give English"

    violations = run_axe(browser_page, axe_script)
    width = browser_page.viewport_size["width"]
    checked.append((name, width))
    count = len(violations)  # compared as a number, so pytest does not print the raw axe results
    assert count == 0, f"{count} axe violation(s) on {url} ({name}, {width} px):\n{describe(violations)}"


def test_skip_link_is_first_and_moves_focus_to_main(browser_page: Page, portal_url: str) -> None:
    """The first Tab stop is the visible skip link; Enter on it puts the focus on <main>."""
    browser_page.goto(f"{portal_url}/aanbod/")
    browser_page.keyboard.press("Tab")
    expect(browser_page.locator("a.skip-link")).to_be_focused()
    expect(browser_page.locator("a.skip-link")).to_be_in_viewport()
    browser_page.keyboard.press("Enter")
    expect(browser_page.locator("main")).to_be_focused()


def test_search_form_submits_with_keyboard_only(browser_page: Page, portal_url: str) -> None:
    """Typing in the search field and pressing Enter submits the filter form."""
    browser_page.goto(f"{portal_url}/aanbod/")
    browser_page.locator("#id_q").focus()
    browser_page.keyboard.type("zwemmen")
    browser_page.keyboard.press("Enter")
    browser_page.wait_for_url(re.compile(r"/aanbod/\?q=zwemmen(&|$)"))
    expect(browser_page.locator("#id_q")).to_have_value("zwemmen")


def test_every_page_was_checked() -> None:
    """Runs last (pytest keeps definition order): every page at every width went through axe."""
    assert set(checked) == EXPECTED_CHECKS, f"missing: {sorted(EXPECTED_CHECKS - set(checked))}"
    assert len(checked) == len(EXPECTED_CHECKS), f"a page was checked twice: {checked}"
