"""The app on a projector, in a real browser (Debian's Chromium, `lealtad viz` as a separate process),
at 1366x768 in every language: no horizontal overflow, help, hints, ticks and legends of at least
14 px, the strike and surge shading with a legend, the Channels tab's panels per channel with their
axis titles, Play's frame rate per tab (printed: speed lives in
benchmarks/viz_redraw.py), an untrusted saved game refused with one line. Any failed request, request
leaving the machine, console or page error fails the test; screenshots go to test-artifacts/."""

import time

import pytest

from browser_support import ARTIFACTS, open_page, server  # noqa: F401 (server is a fixture)

pytestmark = pytest.mark.browser
SMALLEST = 14  # px: what reads from the back of a classroom
Y_TITLES = "text[class^=y][class$=title]"  # every y axis title (plotly: ytitle, y2title...)
TEXT = [".lealtad-help", ".v-messages__message", ".xtick text", ".ytick text", ".legendtext", ".lealtad-link .d",
        ".v-label", ".lealtad-kpi", ".annotation-text", Y_TITLES]


def wider_than_the_window(page) -> list[str]:
    return page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > window.innerWidth + 0.5)
        .slice(0, 5).map(e => e.tagName + '.' + String(e.className).slice(0, 50))""")


def smallest_fonts(page) -> dict[str, float]:
    return page.evaluate("""(selectors) => Object.fromEntries(selectors.map(sel => [sel,
        Math.min(...[...document.querySelectorAll(sel)].filter(e => e.getClientRects().length)
                 .map(e => parseFloat(getComputedStyle(e).fontSize)))]))""", TEXT)


def day(page) -> int:
    return int(page.locator("#lealtad-day").inner_text())


def test_projector_view_in_every_language(server):
    from playwright.sync_api import sync_playwright

    from lealtad.locale import LANGUAGES
    from lealtad.viz.i18n import CHANNEL_NAMES, firm_label, t

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser, page, problems = open_page(p, height=768, width=1366)
        try:
            page.goto(server)
            step = page.get_by_role("button", name=t("Step one day", "es"))
            step.wait_for(timeout=60_000)
            for button, days in ((None, 20), (t("Strike now", "es"), 8), (t("Demand surge now", "es"), 8)):
                if button:
                    page.get_by_role("button", name=button).click()
                for _ in range(days):
                    before = day(page)
                    step.click()
                    page.wait_for_function(f"() => +document.querySelector('#lealtad-day').innerText > {before}")
            for lang, name in LANGUAGES.items():
                page.get_by_role("button", name=name, exact=True).click()
                page.get_by_role("tab", name=t("Simulation", lang)).wait_for(timeout=15_000)
                for i, tab in enumerate(("Simulation", "Time series", "Channels", "Classroom")):
                    page.get_by_role("tab", name=t(tab, lang)).click()
                    page.wait_for_timeout(2000)  # the tab's transition and its figures
                    assert page.evaluate("document.documentElement.scrollWidth") <= 1366, (lang, tab)
                    assert wider_than_the_window(page) == [], (lang, tab)
                    small = {k: v for k, v in smallest_fonts(page).items() if v < SMALLEST}
                    assert small == {}, (lang, tab, small)
                    if tab == "Classroom":  # the free simulation's controls are gone and the game has the width
                        assert page.get_by_role("button", name=t("Play", lang), exact=True).count() == 0
                        assert page.locator(".lealtad-main .v-tabs").bounding_box()["width"] > 1200
                    if tab in ("Time series", "Channels"):  # the firms and the contingencies are in the legend
                        legend = page.locator(".legendtext").all_text_contents()
                        assert t("Strike", lang) in legend and t("Demand surge", lang) in legend
                        assert {firm_label(f, lang) for f in ("company", "competitor")} <= set(legend)
                    if tab == "Channels":  # each channel's panels, each axis titled with its unit
                        titles = " ".join(page.locator(".annotation-text").all_text_contents())
                        assert all(t(CHANNEL_NAMES[c], lang) in titles for c in CHANNEL_NAMES), titles
                        axes = page.locator(Y_TITLES).all_text_contents()
                        assert axes.count(t("hours", lang)) == len(CHANNEL_NAMES), axes
                    page.screenshot(path=str(ARTIFACTS / f"projector-{lang}-{i + 1}-{tab.replace(' ', '-').lower()}.png"))
                page.get_by_role("tab", name=t("Simulation", lang)).click()
            assert problems == []
        finally:
            browser.close()


def test_play_frame_rate_on_every_tab(server):
    """Measured and printed, not asserted (a shared machine's load decides it; see the benchmark)."""
    from playwright.sync_api import sync_playwright

    from lealtad.viz.i18n import t

    with sync_playwright() as p:
        browser, page, problems = open_page(p, height=768, width=1366)
        try:
            page.goto(server)
            page.get_by_role("button", name=t("Play", "es")).wait_for(timeout=60_000)
            for tab in ("Simulation", "Time series", "Channels", "Inspect", "About the model"):
                page.get_by_role("tab", name=t(tab, "es")).click()
                page.wait_for_timeout(800)
                page.get_by_role("button", name=t("Play", "es")).click()
                page.wait_for_timeout(1000)
                start, t0 = day(page), time.perf_counter()
                page.wait_for_timeout(3000)
                frames = (day(page) - start) / (time.perf_counter() - t0)
                page.get_by_role("button", name=t("Pause", "es")).click()
                page.wait_for_timeout(600)
                print(f"\nbrowser: Play on {tab}: {frames:.1f} frames/s")
                assert frames > 0
            assert problems == []
        finally:
            browser.close()


def test_an_untrusted_saved_game_is_refused_with_one_line(server, tmp_path):
    from playwright.sync_api import sync_playwright

    from lealtad.viz.i18n import t

    bad = tmp_path / "game.json"
    bad.write_text('{"format": "lealtad classroom game", "version": 1, "seed": 1, "quarters": 2, "budget": NaN,'
                   ' "max_changes": 3, "params": {"network": "file", "network_file": "/etc/passwd"}, "teams": {}}')
    with sync_playwright() as p:
        browser, page, problems = open_page(p, height=768, width=1366)
        try:
            page.goto(server)
            page.get_by_role("tab", name=t("Classroom", "es")).click(timeout=60_000)
            with page.expect_file_chooser() as chooser:
                page.get_by_role("button", name=t("Open a saved game", "es")).click()
            chooser.value.set_files(str(bad))
            message = page.get_by_text("No se puede abrir esa partida: NaN no está permitido")
            message.wait_for(timeout=30_000)
            assert "root:" not in page.content()
            page.screenshot(path=str(ARTIFACTS / "projector-bad-saved-game-es.png"))
            assert problems == []
        finally:
            browser.close()
