"""Group programmes in the browser: a mediator enrols the demo case in a full programme, the guide records
attendance on a phone (375 px), every page checked by axe-core."""

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from .test_accessibility import MEDIATOR, PARTNER, log_in
from .test_flows import HEIGHT, LOCALE, AxeAudit, announced, reveal

# The browser tests run on one worker (pytest-xdist): they share one demo database and its servers.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
PHONE = 375
OPSTAPJE = "OpStapje (demo): met je kinderen op stap"


def test_a_full_programme_puts_the_case_on_the_waiting_list_and_the_guide_records_attendance_on_a_phone(
    browser: Browser, portal_url: str, demo_facts: dict, axe_script: Path
) -> None:
    audit = AxeAudit(axe_script)
    context = browser.new_context(viewport={"width": PHONE, "height": HEIGHT}, locale=LOCALE)
    try:
        page = context.new_page()
        log_in(page, portal_url, *MEDIATOR)
        page.goto(f"{portal_url}/bemiddeling/dossiers/{demo_facts['case']}/")
        reveal(page.get_by_label("Groepsprogramma", exact=True)).select_option(label=f"{OPSTAPJE} (volzet: wachtlijst)")
        with page.expect_navigation():
            page.get_by_role("button", name="Inschrijven", exact=True).click()
        announced(page, "op de wachtlijst")
        audit.check(page, "case with a waiting list place")
        context.clear_cookies()

        log_in(page, portal_url, *PARTNER)
        page.goto(f"{portal_url}/bemiddeling/groepen/")
        audit.check(page, "guide's programmes")
        programme = page.get_by_role("region", name=OPSTAPJE)
        with page.expect_navigation():
            programme.get_by_role("link").first.click()
        audit.check(page, "attendance form")
        groups = page.locator("fieldset.attendance-choice")
        assert groups.count() == 2  # the two enrolled cases, by code; the waiting ones are not on the roll
        for index in range(groups.count()):
            groups.nth(index).get_by_label("verontschuldigd").check()
        with page.expect_navigation():
            page.get_by_role("button", name="Aanwezigheid bewaren").click()
        announced(page, "Aanwezigheid bewaard voor 2 deelnemers.")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE, f"the attendance page scrolls sideways at {PHONE} px ({width} px wide)"
        audit.check(page, "attendance saved")
        audit.assert_clean()
    finally:
        context.close()
