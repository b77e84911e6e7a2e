"""Networks in a real browser: a mediator near a border searches their own network and the neighbouring ones.

The portal serves the demo's networks and Mortsel (``networks_portal_url``, see MAKE_NETWORKS in conftest):
Antwerp on the demo's default site at 127.0.0.1, Mortsel (bordering Antwerp) and the demo's Gent, Wervik and
Meetjesland (none bordering it) on ``<slug>.localhost`` at the same port. The search, the figures of one
network and the figures across networks are checked with axe at a phone width and a desktop width, in Dutch.
"""

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import NETWORKS, PLATFORM_PASSWORD, PLATFORM_USER
from tests.browser.test_accessibility import COORDINATOR, MEDIATOR, WIDTHS, describe, log_in, new_context, run_axe

# The browser tests run on one worker (pytest-xdist): they share one demo database and its servers.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SEARCH = "/bemiddeling/zoeken/"
NEIGHBOURS = "Ook de naburige netwerken"
MORTSEL_PARTNER = "Sportclub Mortsel (test)"
GENT_PARTNER = "Sportdienst Gent (demo)"
MORTSEL_OFFERS = NETWORKS["mortsel"][3]
COUNT = re.compile(r"^(\d+) activiteit(en)?$")


@pytest.fixture
def browser_page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page in a fresh Dutch context at the width the test is parametrized with (default 1280 px)."""
    context = new_context(browser, getattr(request, "param", 1280))
    try:
        yield context.new_page()
    finally:
        context.close()


def result_count(page: Page) -> int:
    heading = page.locator("#results-heading").inner_text().strip()
    match = COUNT.match(heading)
    assert match, f"result heading {heading!r}"
    return int(match.group(1))


def facet_counts(page: Page, name: str) -> dict[str, int]:
    """The facet's values as the form lists them (label -> count), read from the page, opened or not."""
    labels = page.locator(f'input[name="{name}"]').evaluate_all(
        "inputs => inputs.map(input => input.closest('label').textContent)"
    )
    counts = {}
    for text in labels:
        match = re.fullmatch(r"\s*(.*?)\s*\((\d+)\)\s*", text)
        assert match, f"facet value {text!r}"
        counts[match.group(1)] = int(match.group(2))
    return counts


def assert_facets_count_the_hits(page: Page, total: int) -> None:
    """Every offer has one domain: the domain facet's counts add up to the hits, within the networks searched."""
    domains = facet_counts(page, "domains")
    assert sum(domains.values()) == total, f"domains {domains} for {total} offers"


def test_on_a_networks_site_its_network_is_the_default(browser_page: Page, networks_portal_url: str) -> None:
    log_in(browser_page, networks_portal_url, *MEDIATOR)
    browser_page.goto(f"{networks_portal_url}{SEARCH}")
    expect(browser_page.locator("#network-searched")).to_have_text("Je zoekt in het aanbod van: Antwerpen.")
    scope = browser_page.get_by_role("group", name="Netwerk")
    expect(scope.get_by_role("checkbox", name=NEIGHBOURS)).not_to_be_checked()
    expect(scope.get_by_role("checkbox", name="Zoek in elk netwerk")).not_to_be_checked()
    organisers = facet_counts(browser_page, "organisations")
    assert MORTSEL_PARTNER not in organisers and GENT_PARTNER not in organisers, organisers
    assert_facets_count_the_hits(browser_page, result_count(browser_page))
    expect(browser_page.locator(".brand-network")).to_have_text("Antwerpen")


def test_another_networks_site_searches_that_network(browser_page: Page, networks_portal_url: str) -> None:
    """Mortsel's own host: its network by default, its name in the header, its offers without Antwerp's."""
    port = urlsplit(networks_portal_url).port
    browser_page.goto(f"http://mortsel.localhost:{port}/aanbod/")
    expect(browser_page.locator("#network-searched")).to_have_text("Je zoekt in het aanbod van: Mortsel.")
    expect(browser_page.locator(".brand-network")).to_have_text("Mortsel")
    assert result_count(browser_page) == MORTSEL_OFFERS
    assert facet_counts(browser_page, "organisations") == {MORTSEL_PARTNER: MORTSEL_OFFERS}
    # An offer outside Antwerp has no district or neighbourhood: its line names its municipality.
    expect(browser_page.locator(".hit-meta").first).to_have_text(f"{MORTSEL_PARTNER} · Mortsel")


def test_a_mediator_near_the_border_includes_the_neighbouring_networks_with_the_keyboard(
    browser_page: Page, networks_portal_url: str
) -> None:
    """From the search field: Tab past the button to the labelled box, Space ticks it, the button submits."""
    log_in(browser_page, networks_portal_url, *MEDIATOR)
    browser_page.goto(f"{networks_portal_url}{SEARCH}")
    own_network = result_count(browser_page)
    neighbours = browser_page.get_by_role("checkbox", name=NEIGHBOURS)
    browser_page.locator("#id_q").focus()
    browser_page.keyboard.press("Tab")
    expect(browser_page.locator(".search-form .query-row button")).to_be_focused()
    browser_page.keyboard.press("Tab")
    expect(neighbours).to_be_focused()
    browser_page.keyboard.press("Space")
    expect(neighbours).to_be_checked()
    browser_page.keyboard.press("Shift+Tab")
    with browser_page.expect_navigation():
        browser_page.keyboard.press("Enter")

    assert parse_qs(urlsplit(browser_page.url).query).get("neighbours") == ["true"], browser_page.url
    expect(browser_page.locator("#network-searched")).to_have_text("Je zoekt in het aanbod van: Antwerpen, Mortsel.")
    expect(browser_page.get_by_role("checkbox", name=NEIGHBOURS)).to_be_checked()
    # Mortsel borders Antwerp, Gent does not: Mortsel's offers come in, Gent's stay out.
    with_neighbours = result_count(browser_page)
    assert with_neighbours == own_network + MORTSEL_OFFERS
    organisers = facet_counts(browser_page, "organisations")
    assert organisers.get(MORTSEL_PARTNER) == MORTSEL_OFFERS and GENT_PARTNER not in organisers, organisers
    assert_facets_count_the_hits(browser_page, with_neighbours)
    assert "Mortsel" in facet_counts(browser_page, "areas")


@pytest.mark.parametrize("browser_page", WIDTHS, indirect=True, ids=[f"{width}px" for width in WIDTHS])
@pytest.mark.parametrize(
    ("name", "path", "login", "heading"),
    [
        ("search-with-neighbours", f"{SEARCH}?neighbours=true", MEDIATOR, "Zoeken voor een cliënt"),
        ("mortsel-search-with-neighbours", "/aanbod/?neighbours=true", None, "Vrijetijdsaanbod"),
        ("figures-mortsel", "/bemiddeling/cijfers/?network=mortsel", COORDINATOR, "Cijfers voor het netwerk Mortsel"),
        (
            "figures-antwerpen",
            "/bemiddeling/cijfers/?network=antwerpen",
            COORDINATOR,
            "Cijfers voor het netwerk Antwerpen",
        ),
        (
            "platform-figures",
            "/bemiddeling/cijfers/netwerken/",
            (PLATFORM_USER, PLATFORM_PASSWORD),
            "Cijfers over de netwerken heen",
        ),
    ],
)
def test_network_pages_have_no_axe_violations(
    browser_page: Page,
    networks_portal_url: str,
    axe_script: Path,
    name: str,
    path: str,
    login: tuple[str, str] | None,
    heading: str,
) -> None:
    """Signed in on Antwerp's site; the public search on Mortsel's own host."""
    if login:
        log_in(browser_page, networks_portal_url, *login)
        url = f"{networks_portal_url}{path}"
    else:
        url = f"http://mortsel.localhost:{urlsplit(networks_portal_url).port}{path}"
    response = browser_page.goto(url)
    assert response is not None and response.status == 200, f"{url} answered {response and response.status}"
    assert (browser_page.locator("html").get_attribute("lang") or "").startswith("nl"), f"{url} is not in Dutch"
    expect(browser_page.locator("h1")).to_have_text(heading)
    expect(browser_page).to_have_title(f"{heading} – Vrijetijdsnet")

    violations = run_axe(browser_page, axe_script)
    width = browser_page.viewport_size["width"]
    count = len(violations)
    assert count == 0, f"{count} axe violation(s) on {url} ({name}, {width} px):\n{describe(violations)}"


def test_the_platform_figures_list_every_network(browser_page: Page, networks_portal_url: str) -> None:
    log_in(browser_page, networks_portal_url, PLATFORM_USER, PLATFORM_PASSWORD)
    browser_page.goto(f"{networks_portal_url}/bemiddeling/cijfers/netwerken/")
    table = browser_page.get_by_role("table", name="De netwerken")
    expect(table.get_by_role("rowheader")).to_have_text(["Antwerpen", "Gent", "Meetjesland", "Mortsel", "Wervik"])
    expect(table.get_by_role("columnheader")).to_have_text(
        ["Netwerk", "Gemeenten", "Partners", "Aanbod", "Doorverwijzingen", "Ontbrekend aanbod"]
    )


def test_a_coordinator_of_two_networks_chooses_between_them(browser_page: Page, networks_portal_url: str) -> None:
    log_in(browser_page, networks_portal_url, *COORDINATOR)
    browser_page.goto(f"{networks_portal_url}/bemiddeling/cijfers/?network=mortsel")
    choice = browser_page.get_by_label("Netwerk", exact=True)
    expect(choice).to_have_value("mortsel")
    expect(choice.locator("option")).to_have_text(["Antwerpen", "Mortsel"])
