"""What the browser tests share: Debian's Chromium and its flags, the rule for local requests, and a
`lealtad viz` server started as a separate process on a free loopback port."""

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

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LOCAL = re.compile(r"^(https?|wss?)://(127\.0\.0\.1|localhost)(:\d+)?/|^(data|blob|about):")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def needs_a_browser():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium); dev.sh installs it as root")
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed (the 'browser' extra)")
    pytest.importorskip("solara", reason="the 'viz' extra is not installed")


def start_lealtad(*args: str, port: int | None = None) -> tuple[subprocess.Popen, str]:
    """`lealtad ARGS --port PORT` as a separate process, once it answers at the address it printed."""
    port = port or _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "lealtad.cli", *args, "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/"
    printed = []
    while url not in (line := proc.stdout.readline()):
        printed.append(line)
        assert line, f"lealtad {args[0]} should print its address; it printed {''.join(printed)!r}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return proc, url
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"lealtad {args[0]} did not start:\n{proc.stdout.read()}") from None
            time.sleep(0.5)


def stop(proc: subprocess.Popen):
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def server():
    needs_a_browser()
    proc, url = start_lealtad("viz", "--lang", "es", "--customers", "1000")
    try:
        yield url
    finally:
        stop(proc)


def open_page(playwright, height: int, width: int = 1400):
    """Debian's Chromium on a new page that records every console error, page error, failed or
    non-local request and HTTP error in the returned ``problems`` list."""
    problems: list[str] = []
    browser = launch(playwright)
    page = browser.new_page(viewport={"width": width, "height": height})
    return browser, watched(page, problems), problems


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium"),
                                      args=ARGS)


def watched(page, problems: list[str]):
    """``page``, recording in ``problems`` every console error, page error, failed or non-local request
    and HTTP error."""
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    # a request the browser itself cancels (net::ERR_ABORTED: the page navigated or reloaded while it
    # loaded) is not a failure of the server; any other failed request is
    page.on("requestfailed", lambda r: None if "ERR_ABORTED" in str(r.failure)
            else problems.append(f"failed request: {r.url} ({r.failure})"))
    page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    page.on("request", lambda r: None if LOCAL.match(r.url) else problems.append(f"left the machine: {r.url}"))
    return page
