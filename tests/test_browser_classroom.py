"""Classroom mode in a real browser (Debian's Chromium driven by Playwright, `lealtad viz` as a separate
process): add a team, play two quarters, see the quarterly reports and the debrief; save the game, start a new one and
open the saved game to go on. Any failed request,
request leaving this machine, console error or page error fails the test. Screenshots go to
test-artifacts/."""


from pathlib import Path

import pytest

from browser_support import ARTIFACTS, open_page, server  # noqa: F401 (server is a fixture)

pytestmark = pytest.mark.browser


def test_play_two_quarters_and_see_the_debrief(server):
    from playwright.sync_api import sync_playwright

    from lealtad.viz.classroom import QUARTER_DAYS, Game
    from lealtad.viz.i18n import t

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser, page, problems = open_page(p, height=1000)
        try:
            page.goto(server)
            page.get_by_role("tab", name=t("Classroom", "es")).click(timeout=60_000)
            page.get_by_text(t("Add at least one team to start.", "es")).wait_for(timeout=30_000)
            page.get_by_label(t("Team name", "es")).fill("Azul")
            page.get_by_role("button", name=t("Add team", "es")).click()
            page.get_by_text(t("Quarter {quarter} of {quarters}", "es", quarter=1, quarters=4)).wait_for(timeout=30_000)
            play = page.get_by_role("button", name=t("Close the quarter ({days} days)", "es", days=QUARTER_DAYS))
            play.click()
            page.get_by_text(t("Quarter {quarter} of {quarters}", "es", quarter=2, quarters=4)).wait_for(timeout=30_000)
            page.get_by_text(t("Debrief of the game", "es"), exact=True).wait_for(timeout=30_000)
            page.screenshot(path=str(ARTIFACTS / "classroom-01-quarter1.png"), full_page=True)
            play.click()
            page.get_by_text(t("Quarter {quarter} of {quarters}", "es", quarter=3, quarters=4)).wait_for(timeout=30_000)
            report = page.locator("table.lealtad-classroom")
            report.wait_for(timeout=30_000)
            assert report.locator("tr").count() == 3  # header + two quarters
            debrief = page.locator(".js-plotly-plot").filter(has_text=t("Debrief of the game", "es"))
            debrief.first.wait_for(timeout=30_000)
            page.screenshot(path=str(ARTIFACTS / "classroom-02-debrief.png"), full_page=True)
            # save the game, start another, and open the saved one to go on with it
            with page.expect_download() as download:
                page.get_by_role("button", name=t("Save the game", "es")).click()
            saved = Path(download.value.path()).read_text()
            assert Game.load(saved).team("Azul").quarter == 2
            page.get_by_role("button", name=t("New game", "es")).click()
            page.get_by_text(t("Add at least one team to start.", "es")).wait_for(timeout=30_000)
            with page.expect_file_chooser() as chooser:
                page.get_by_role("button", name=t("Open a saved game", "es")).click()
            chooser.value.set_files(download.value.path())
            page.get_by_text(t("Quarter {quarter} of {quarters}", "es", quarter=3, quarters=4)).wait_for(timeout=30_000)
            assert page.locator("table.lealtad-classroom").locator("tr").count() == 3
        finally:
            browser.close()
    assert problems == []
