"""Speed of the browser app.

    python benchmarks/viz_redraw.py              # server side: step + redraw, 2,000 and 10,000 customers
    python benchmarks/viz_redraw.py --browser    # Play's frames per second in Chromium, every tab (ceiling lifted)
    python benchmarks/viz_redraw.py --browser --after 365   # the same with a year of history to draw

Server side: the page rendered in-process with Solara's test renderer (the model's step, the figures
and every widget update sent to the page). Browser: `lealtad viz` started on a free loopback port,
Debian's Chromium (headless, software rendering) at 1366x768 presses Play on each tab and counts the
days shown over a few seconds (one day per frame, Play's frames-per-second slider at its maximum); the target is 4 frames/s at 2,000 customers and 2
at 10,000. Both share the machine with whatever else runs: read them next to `uptime`."""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time

import ipyvuetify as v
import solara

from lealtad.viz import app
from lealtad.viz.i18n import t
from lealtad.viz.runner import Runner


def measure(customers: int, tab: int, clicks: int = 15) -> tuple[float, float]:
    app.reset_state()
    runner = Runner(n_customers=customers, seed=1)
    _, rc = solara.render(app.Page(runner=runner), handle_error=False)
    try:
        if tab:
            rc.find(v.Tabs).widgets[0].v_model = tab
        step = [w for w in rc.find(v.Btn).widgets if t("Step one day", "es") in w.children][0]
        for _ in range(3):
            step.click()
        wall, cpu = [], []
        for _ in range(clicks):
            start, start_cpu = time.perf_counter(), time.process_time()
            step.click()
            wall.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        return statistics.median(wall) * 1000, statistics.median(cpu) * 1000
    finally:
        rc.close()


TABS = ("Simulation", "Time series", "Channels", "Inspect", "About the model")  # every tab where Play runs


def set_slider(page, label: str, key: str):
    """Move the slider labelled ``label`` with the keyboard (End: its maximum, Home: its minimum)."""
    page.locator(f".v-input:has(label:text-is('{label}')) [role=slider]").first.press(key)
    page.wait_for_timeout(300)


def day(page) -> int:
    return int(page.locator("#lealtad-day").inner_text())


def play_for(page, seconds: float) -> float:
    """Press Play, let it warm up, count the days shown over ``seconds`` (frames, at one day a frame)."""
    page.get_by_role("button", name="Play").click()
    page.wait_for_timeout(1500)  # warm up: the first frames compile and lay out
    start, t0 = day(page), time.perf_counter()
    page.wait_for_timeout(seconds * 1000)
    end, t1 = day(page), time.perf_counter()
    page.get_by_role("button", name="Pause").click()
    page.wait_for_timeout(800)
    return (end - start) / (t1 - t0)


def browser_fps(customers: int, seconds: float = 6.0, after_days: int = 0) -> dict[str, float]:
    """Frames per second of Play on each tab, in Chromium, with `lealtad viz --customers N`, Play's
    ceiling at its maximum (so the figure is what the browser and server manage, not the 4 frames/s
    default), starting after ``after_days`` days (a longer history is more to draw)."""
    from playwright.sync_api import sync_playwright

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "lealtad.cli", "viz", "--port", str(port), "--lang", "en",
                               "--customers", str(customers)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        server.stdout.readline()  # the address line: listening
        with sync_playwright() as p:
            chromium = "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None
            browser = p.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            page.goto(f"http://127.0.0.1:{port}/")
            page.get_by_role("button", name="Play").wait_for(timeout=60_000)
            page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
            if after_days:  # fast forward on the About tab, 30 days a frame
                page.get_by_role("tab", name="About the model").click()
                set_slider(page, "Days per frame", "End")
                page.get_by_role("button", name="Play").click()
                page.wait_for_function(f"() => +document.querySelector('#lealtad-day').innerText >= {after_days}",
                                       timeout=120_000)
                page.get_by_role("button", name="Pause").click()
                set_slider(page, "Days per frame", "Home")
            set_slider(page, "Frames per second", "End")
            fps = {}
            for tab in TABS:
                page.get_by_role("tab", name=tab).click()
                page.wait_for_timeout(1500)
                fps[tab] = play_for(page, seconds)
            browser.close()
        return fps
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[2000, 10_000], help="customers (default 2000 10000)")
    parser.add_argument("--browser", action="store_true", help="Play's frames per second in Chromium, per tab")
    parser.add_argument("--after", type=int, default=0, metavar="DAYS",
                        help="with --browser: measure after this many days of history (default 0)")
    args = parser.parse_args()
    for n in args.sizes:
        if args.browser:
            for tab, fps in browser_fps(n, after_days=args.after).items():
                print(f"{n:>7,} customers, from day {args.after:>3}, {tab:<16} Play: {fps:4.1f} frames/s", flush=True)
            continue
        for tab, name in ((0, "simulation (chain + network + inspector)"), (1, "time series")):
            wall, cpu = measure(n, tab)
            print(f"{n:>7,} customers, {name:<42} step + redraw: median {wall:6.1f} ms wall, {cpu:6.1f} ms CPU")
