"""Step + redraw time of the browser app, measured on the server side (the page rendered in-process
with Solara's test renderer: the model's step, the figures, and every widget update sent to the page).

    python benchmarks/viz_redraw.py            # 2,000 and 10,000 customers, Simulation and Time series tabs

The browser's own drawing time is measured by tests/test_browser.py (click Step -> day shown)."""

import statistics
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


if __name__ == "__main__":
    sizes = [int(a) for a in sys.argv[1:]] or [2000, 10_000]
    for n in sizes:
        for tab, name in ((0, "simulation (chain + network + inspector)"), (1, "time series")):
            wall, cpu = measure(n, tab)
            print(f"{n:>7,} customers, {name:<42} step + redraw: median {wall:6.1f} ms wall, {cpu:6.1f} ms CPU")
