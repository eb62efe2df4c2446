"""Classroom mode in a real browser (Debian's Chromium driven by Playwright, `lealtad viz` as a separate
process): add a team, play two quarters, see the quarterly reports and the debrief. Any failed request,
request leaving this machine, console error or page error fails the test. Screenshots go to
test-artifacts/."""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LOCAL = re.compile(r"^(https?|wss?)://(127\.0\.0\.1|localhost)(:\d+)?/|^(data|blob|about):")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed (the 'browser' extra)")
    pytest.importorskip("solara", reason="the 'viz' extra is not installed")
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "lealtad.cli", "viz", "--port", str(port), "--lang", "es",
                             "--customers", "1000"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        first = proc.stdout.readline()
        assert url in first, f"lealtad viz should print its address; it printed {first!r}"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url, timeout=2).read()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"lealtad viz did not start:\n{proc.stdout.read()}") from None
                time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_play_two_quarters_and_see_the_debrief(server):
    from playwright.sync_api import sync_playwright

    from lealtad.viz.classroom import QUARTER_DAYS
    from lealtad.viz.i18n import t

    ARTIFACTS.mkdir(exist_ok=True)
    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium"),
                                    args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: problems.append(f"failed request: {r.url} ({r.failure})"))
        page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
        page.on("request", lambda r: None if LOCAL.match(r.url) else problems.append(f"left the machine: {r.url}"))
        try:
            page.goto(server)
            page.get_by_role("tab", name=t("tab_classroom", "es")).click(timeout=60_000)
            page.get_by_text(t("cls_no_teams", "es")).wait_for(timeout=30_000)
            page.get_by_label(t("cls_team_name", "es")).fill("Azul")
            page.get_by_role("button", name=t("cls_add_team", "es")).click()
            page.get_by_text(t("cls_quarter_of", "es", quarter=1, quarters=4)).wait_for(timeout=30_000)
            play = page.get_by_role("button", name=t("cls_play", "es", days=QUARTER_DAYS))
            play.click()
            page.get_by_text(t("cls_quarter_of", "es", quarter=2, quarters=4)).wait_for(timeout=30_000)
            page.get_by_text(t("cls_debrief", "es"), exact=True).wait_for(timeout=30_000)
            page.screenshot(path=str(ARTIFACTS / "classroom-01-quarter1.png"), full_page=True)
            play.click()
            page.get_by_text(t("cls_quarter_of", "es", quarter=3, quarters=4)).wait_for(timeout=30_000)
            report = page.locator("table.lealtad-classroom")
            report.wait_for(timeout=30_000)
            assert report.locator("tr").count() == 3  # header + two quarters
            debrief = page.locator(".js-plotly-plot").filter(has_text=t("cls_debrief", "es"))
            debrief.first.wait_for(timeout=30_000)
            page.screenshot(path=str(ARTIFACTS / "classroom-02-debrief.png"), full_page=True)
        finally:
            browser.close()
    assert problems == []
