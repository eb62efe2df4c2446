"""The visualisation in a real browser: Debian's Chromium driven by Playwright (never a downloaded
browser), with `lealtad viz` running as a separate process. Any failed request, any request that
leaves this machine, any console error or page error fails the test: a classroom has no internet.
Screenshots go to test-artifacts/ for a person to look at."""

import re
import time

import pytest

from browser_support import ARTIFACTS, open_page, server  # noqa: F401 (server is a fixture)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser_page(server):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser, page, problems = open_page(p, height=1700)
        page.goto(server)
        page.get_by_text("Avanzar un día").wait_for(timeout=60_000)
        page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
        yield page, problems
        browser.close()


def day(page) -> int:
    return int(page.locator("#lealtad-day").inner_text())


def wait_for_day(page, predicate, timeout=30):
    deadline = time.monotonic() + timeout
    while not predicate(day(page)):
        assert time.monotonic() < deadline, f"day stayed at {day(page)}"
        page.wait_for_timeout(50)


def shot(page, name):
    page.wait_for_timeout(700)  # let Vuetify's tab transition finish
    page.screenshot(path=str(ARTIFACTS / f"viz-{name}.png"), full_page=True)


def test_page_loads_offline_with_every_view(browser_page):
    page, problems = browser_page
    assert page.locator(".js-plotly-plot").count() >= 1  # the network (the chain is HTML boxes)
    assert page.locator(".lealtad-link").count() == 8
    page.get_by_text("La cadena servicio-beneficio de la empresa").first.wait_for()
    shot(page, "01-start-es")
    assert problems == []


def test_step_and_play(browser_page):
    page, problems = browser_page
    start = day(page)
    latencies = []
    for _ in range(3):
        before = day(page)
        t0 = time.perf_counter()
        page.get_by_role("button", name="Avanzar un día").click()
        wait_for_day(page, lambda d, b=before: d == b + 1)
        latencies.append(time.perf_counter() - t0)
    print(f"\nbrowser: click Step -> day shown, median {sorted(latencies)[1] * 1000:.0f} ms")
    assert day(page) == start + 3
    page.get_by_role("button", name="Reproducir").click()
    wait_for_day(page, lambda d: d >= start + 10)
    page.get_by_role("button", name="Pausa").click()
    page.wait_for_timeout(600)
    paused_at = day(page)
    page.wait_for_timeout(1000)
    assert day(page) == paused_at  # pause really stops
    shot(page, "02-after-play")
    assert problems == []


def test_slider_changes_the_model(browser_page):
    page, problems = browser_page
    control = page.locator(".lealtad-param", has_text="Liderazgo").first
    before = control.locator(".v-label").inner_text()
    control.scroll_into_view_if_needed()
    slider = control.locator(".v-slider")
    box = slider.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.95, box["y"] + box["height"] / 2)
    page.get_by_text("se aplica desde mañana").first.wait_for(timeout=15_000)
    after = control.locator(".v-label").inner_text()
    assert after != before
    assert float(after.split(":")[1].replace(",", ".")) > 0.85  # the value the model now runs with, as Spanish writes it
    page.get_by_role("button", name="Avanzar un día").click()
    shot(page, "03-slider-moved")
    assert problems == []


def test_network_colour_switch_and_click_to_inspect(browser_page):
    page, problems = browser_page
    network = page.locator(".js-plotly-plot").first  # the chain is HTML: the network is the first figure
    points = network.locator(".scatterlayer .trace .point")
    before = page.get_by_text(re.compile(r"^Cliente \d+ · Día")).first.inner_text()
    target = points.nth(points.count() // 2)
    target.scroll_into_view_if_needed()
    target.click(force=True)
    page.wait_for_function("t => ![...document.querySelectorAll('h3')].some(h => h.innerText === t)", arg=before,
                           timeout=15_000)
    page.get_by_role("button", name="Satisfacción").click()
    network.locator(".colorbar").wait_for(timeout=15_000)  # the satisfaction scale appears
    shot(page, "03b-network-satisfaction")
    page.get_by_role("button", name="Estado").click()
    assert problems == []


def test_wrong_typed_value_shows_a_message(browser_page):
    page, problems = browser_page
    page.locator(".v-select", has_text="Grupo de parámetros").click()
    page.locator(".v-menu__content .v-list-item", has_text="Economía").click()
    field = page.locator(".lealtad-param", has_text="Salario diario").locator("input")  # a typed field (0-10,000)
    field.fill("mucho")
    field.press("Enter")
    page.get_by_text("se espera un número").first.wait_for(timeout=15_000)
    shot(page, "04-wrong-value")
    field.fill("135")
    field.press("Enter")
    page.get_by_text("se aplica desde mañana").first.wait_for(timeout=15_000)
    assert problems == []


def test_strike_button_and_time_series(browser_page):
    page, problems = browser_page
    page.get_by_role("button", name="Huelga ahora").click()
    page.get_by_text("Huelga en Empresa desde el día").wait_for(timeout=15_000)
    page.get_by_role("tab", name="Series temporales").click()
    page.get_by_text("La empresa y su competidor").first.wait_for(timeout=30_000)
    page.get_by_role("button", name="Avanzar un día").click()
    page.wait_for_timeout(1000)
    shot(page, "05-series")
    assert problems == []


def test_language_switch_and_about(browser_page):
    page, problems = browser_page
    page.get_by_role("button", name="English").click()
    page.get_by_role("button", name="Step one day").wait_for(timeout=15_000)
    assert page.get_by_role("button", name="Avanzar un día").count() == 0
    page.get_by_role("tab", name="About the model").click()
    page.get_by_text("WHAT IS IT?").wait_for(timeout=15_000)
    shot(page, "06-about-en")
    page.get_by_role("tab", name="Simulation").click()
    page.get_by_text("The company's service-profit chain").first.wait_for(timeout=30_000)
    shot(page, "07-simulation-en")
    assert problems == []
