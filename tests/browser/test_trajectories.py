"""The trajectory pages in a real browser at 375 and 1280 px: axe-core (WCAG 2.1 A/AA) and keyboard-only use.

Covers the public intake (start, referrer and resident forms, a form with errors, the status page),
the referrer's own pages, the team's queue and triage, the case's trajectory with its evaluation
chart, the step, evaluation, closing and fund forms, the agenda, the funds and the year's figures.
"""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from .test_accessibility import describe, log_in, run_axe

# The browser tests run on one worker (pytest-xdist): they share one demo database and its servers.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

WIDTHS = [375, 1280]
HEIGHT = 800
LOCALE = "nl-BE"
MEDIATOR = ("mediator", "demo-mediator-2026")
COORDINATOR = ("coordinator", "demo-coordinator-2026")
REFERRER = ("referrer", "demo-referrer-2026")
PAGES: dict[str, tuple[str | None, tuple[str, str] | None]] = {
    # name: (path, or None when read from the demo; who signs in, or None)
    "intake-start": ("/aanmelden/", None),
    "intake-referrer": ("/aanmelden/doorverwijzen/", None),
    "intake-resident": ("/aanmelden/zelf/", None),
    "intake-status": (None, REFERRER),
    "referrer-home": ("/bemiddeling/verwijzen/", REFERRER),
    "referrer-new": ("/bemiddeling/verwijzen/nieuw/", REFERRER),
    "intake-queue": ("/bemiddeling/aanmeldingen/", MEDIATOR),
    "intake-triage": (None, MEDIATOR),
    "case-trajectory": (None, MEDIATOR),
    "step-form": (None, MEDIATOR),
    "evaluation-form": (None, MEDIATOR),
    "close-form": (None, MEDIATOR),
    "intervention-form": (None, MEDIATOR),
    "agenda": ("/bemiddeling/agenda/", MEDIATOR),
    "funds": ("/bemiddeling/fondsen/", COORDINATOR),
    "figures": ("/bemiddeling/cijfers/", COORDINATOR),
    "figures-2025-own": ("/bemiddeling/cijfers/?year=2025&scope=ocmw-antwerpen-team-vrije-tijd-demo", COORDINATOR),
}
CASE_PATH = re.compile(r"^/bemiddeling/dossiers/\d+/$")
checked: list[tuple[str, int]] = []


def hrefs(page: Page, selector: str = "main a") -> list[str]:
    return [
        href or "" for href in page.locator(selector).evaluate_all("links => links.map(l => l.getAttribute('href'))")
    ]


@pytest.fixture(scope="module")
def paths(browser: Browser, portal_url: str) -> dict[str, str]:
    """Paths read from the demo: a referrer's status link, an open intake, a case with an open trajectory."""
    context = browser.new_context(viewport={"width": 1280, "height": HEIGHT}, locale=LOCALE)
    try:
        page = context.new_page()
        log_in(page, portal_url, *REFERRER)
        page.goto(f"{portal_url}/bemiddeling/verwijzen/")
        status = next((href for href in hrefs(page) if href.startswith("/aanmelden/status/")), None)
        assert status, "the demo referrer has no referral"
        log_in(page, portal_url, *MEDIATOR)
        page.goto(f"{portal_url}/bemiddeling/aanmeldingen/")
        intake = next((href for href in hrefs(page) if re.match(r"^/bemiddeling/aanmeldingen/\d+/$", href)), None)
        page.goto(f"{portal_url}/bemiddeling/agenda/")
        case = next((href for href in hrefs(page) if CASE_PATH.match(href)), None)
        assert intake and case, "no open intake or agenda case in the demo"
    finally:
        context.close()
    dynamic = {
        "intake-status": status,
        "intake-triage": intake,
        "case-trajectory": case,
        "step-form": f"{case}traject/stap/",
        "evaluation-form": f"{case}traject/evaluatie/",
        "close-form": f"{case}traject/afsluiten/",
        "intervention-form": f"{case}fonds/",
    }
    return {name: path or dynamic[name] for name, (path, _login) in PAGES.items()}


@pytest.fixture
def browser_page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": getattr(request, "param", 1280), "height": HEIGHT}, locale=LOCALE)
    try:
        yield context.new_page()
    finally:
        context.close()


def assert_no_violations(page: Page, axe_script, name: str) -> None:
    violations = run_axe(page, axe_script)
    width = page.viewport_size["width"]
    checked.append((name, width))
    count = len(violations)
    assert count == 0, f"{count} axe violation(s) on {page.url} ({name}, {width} px):\n{describe(violations)}"


def no_horizontal_scroll(page: Page) -> bool:
    """Nothing but a scroll region makes the page wider than the phone (WCAG 1.4.10 reflow)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("browser_page", WIDTHS, indirect=True, ids=[f"{width}px" for width in WIDTHS])
@pytest.mark.parametrize("name", list(PAGES))
def test_trajectory_page_has_no_axe_violations(browser_page: Page, name, paths, portal_url, axe_script) -> None:
    login = PAGES[name][1]
    if login:
        log_in(browser_page, portal_url, *login)
    response = browser_page.goto(f"{portal_url}{paths[name]}")
    assert response is not None and response.status == 200, f"{paths[name]} answered {response and response.status}"
    assert (browser_page.locator("html").get_attribute("lang") or "").startswith("nl")
    if name == "case-trajectory":
        expect(browser_page.locator("#trajectory-heading")).to_be_visible()
        expect(browser_page.locator('svg[aria-labelledby="chart-title"]')).to_have_count(1)
    assert no_horizontal_scroll(browser_page), f"{name} scrolls sideways at {browser_page.viewport_size['width']} px"
    assert_no_violations(browser_page, axe_script, name)


@pytest.mark.parametrize("browser_page", WIDTHS, indirect=True, ids=[f"{width}px" for width in WIDTHS])
def test_public_form_with_errors_names_the_fields(browser_page: Page, portal_url, axe_script) -> None:
    """An empty public form comes back with an error summary whose links lead to the fields; axe finds nothing."""
    browser_page.goto(f"{portal_url}/aanmelden/doorverwijzen/")
    with browser_page.expect_navigation():
        browser_page.get_by_role("button", name="Doorverwijzing versturen").click()
    summary = browser_page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Wat wil de cliënt graag?")
    assert_no_violations(browser_page, axe_script, "intake-referrer-errors")


def test_resident_asks_for_help_with_the_keyboard_only(browser_page: Page, portal_url) -> None:
    """A resident fills in and sends the form with Tab, typing and Space only, and gets a status link."""
    browser_page.goto(f"{portal_url}/aanmelden/zelf/")
    browser_page.locator("#id_question").focus()
    browser_page.keyboard.type("Ik wil graag zwemmen met mijn dochter.")
    browser_page.locator("#id_household_ages").focus()
    browser_page.keyboard.type("36, 8")
    browser_page.locator("#id_first_contact_way_0").focus()
    browser_page.keyboard.press("Space")
    browser_page.locator("#id_resident_contact").focus()
    browser_page.keyboard.type("Bel me op 0470 00 00 00 na 17 uur")
    browser_page.locator("#id_client_agreed").focus()
    browser_page.keyboard.press("Space")
    browser_page.keyboard.press("Tab")
    expect(browser_page.get_by_role("button", name="Mijn vraag versturen")).to_be_focused()
    with browser_page.expect_navigation():
        browser_page.keyboard.press("Enter")
    expect(browser_page.locator("h1")).to_have_text("Bedankt")
    expect(browser_page.locator('main a[href^="/aanmelden/status/"]')).to_have_count(1)


def test_mediator_records_an_evaluation_with_the_keyboard_only(browser_page: Page, paths, portal_url) -> None:
    """On a phone-width page the mediator answers the evaluation with arrows and Space, and sees it on the case."""
    log_in(browser_page, portal_url, *MEDIATOR)
    browser_page.goto(f"{portal_url}{paths['evaluation-form']}")
    for name in ("intrapersonal", "interpersonal", "other_domains", "independence"):
        browser_page.locator(f"#id_{name}_0").focus()
        browser_page.keyboard.press("ArrowDown")  # the second answer
    browser_page.get_by_role("button", name="Evaluatie bewaren").focus()
    with browser_page.expect_navigation():
        browser_page.keyboard.press("Enter")
    assert CASE_PATH.match(browser_page.url.split(portal_url)[1].split("#")[0])
    expect(browser_page.locator(".messages")).to_contain_text("evaluatie")


def test_every_trajectory_page_was_checked() -> None:
    """Runs last: every page at both widths, and the form with errors at both widths, went through axe."""
    expected = {(name, width) for name in [*PAGES, "intake-referrer-errors"] for width in WIDTHS}
    assert set(checked) == expected, f"missing: {sorted(expected - set(checked))}"
    assert len(checked) == len(expected) == 36
