"""Model speed: customer-steps per second at 10,000, 100,000 and 1,000,000 customers, peak memory,
the ratio against a plain per-agent Mesa implementation of the same update on the same number of
customers, measured in the same run, and the ratio against the stored reference figures
(benchmarks/baseline.json).

    .venv/bin/python benchmarks/run.py                 # full (about 4 minutes)
    .venv/bin/python benchmarks/run.py --quick         # smaller sizes, a smoke run
    .venv/bin/python benchmarks/run.py --against REV   # also time the default year of commit REV, same run
    .venv/bin/python benchmarks/run.py --save          # also store this run as the new reference

Each size runs in its own process so that its peak memory is its own; up to 100,000 customers the
fastest of three runs is reported (the least disturbed by other work on a shared machine). Run on an
idle machine: the figures are single-core wall-clock times.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
BASELINE = HERE / "baseline.json"

CHILD = """
import json, resource, time
import lealtad
n, steps, firms = {n}, {steps}, {firms}
LoyaltyModel = lealtad.LoyaltyModel
LoyaltyModel(rng=0, n_customers=1000, firms=firms).run(2)   # compile/warm the kernels outside the timing
best = None
for _ in range({repeats}):  # the fastest of a few runs: the one least disturbed by other work on the machine
    t0 = time.perf_counter()
    model = LoyaltyModel(rng=1, n_customers=n, firms=firms)
    t1 = time.perf_counter()
    model.run(steps)
    res = model.results()
    t2 = time.perf_counter()
    if best is None or t2 - t1 < best[2] - best[1]:
        best = (t0, t1, t2)
t0, t1, t2 = best
late = res[res.day >= min(60, steps // 2)]  # per-capita outcomes, after the first reviews: the same at every size (scale invariance)
outcomes = dict(nps=late["nps"].mean(), satisfaction=late["customer_satisfaction"].mean(),
                abandonment=late["abandonment"].mean(), share=late["market_share"].mean(),
                profit_per_customer=late["profit"].sum() / late["active"].sum())
# the same update as the plain Mesa model: word of mouth, then images (satisfaction is inside both)
modules = {{m.name: m for m in model.modules}}
times = []
for _ in range(max(10, 2_000_000 // n)):
    t3 = time.perf_counter()
    modules["word_of_mouth"].step(model)
    modules["image"].step(model)
    times.append(time.perf_counter() - t3)
times.sort()  # the median call: robust to other work on a shared machine
print(json.dumps(dict(n=n, steps=steps, firms=firms, init_s=t1 - t0, run_s=t2 - t1, rate=n * steps / (t2 - t1),
                      update_rate=n / times[len(times) // 2],
                      peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, outcomes=outcomes)))
"""

# The default year (10,000 customers, two firms, 365 days, results included), median of several runs:
# written against the public API every version has, so that another commit can run it too.
DEFAULT_YEAR = """
import json, statistics, time
from lealtad import LoyaltyModel
LoyaltyModel(rng=0, n_customers=1000).run(2)
times = []
for seed in range({repeats}):
    t = time.perf_counter()
    LoyaltyModel(rng=seed).run(365).results()
    times.append(time.perf_counter() - t)
print(json.dumps(dict(median=statistics.median(times), best=min(times))))
"""

MESA_CHILD = """
import json, sys
sys.path.insert(0, {here!r})
from mesa_reference import rate
print(json.dumps(dict(rate=rate(n={n}, steps={steps}))))
"""


def child(code: str, src: Path | None = None) -> dict:
    env = None
    if src is not None:  # another commit's source tree, imported instead of the installed package
        import os

        env = {**os.environ, "PYTHONPATH": str(src)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout
    return json.loads(out.strip().splitlines()[-1])


def compare_default_year(rev: str, repeats: int = 7) -> None:
    """The default year of this tree and of commit ``rev``, alternated in the same run."""
    import tempfile

    root = HERE.parent
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["git", "-C", str(root), "worktree", "add", "--detach", tmp, rev], check=True,
                       capture_output=True)
        try:
            ours, theirs = [], []
            for _ in range(3):  # alternate, so that load on the machine hits both alike
                ours.append(child(DEFAULT_YEAR.format(repeats=repeats))["median"])
                theirs.append(child(DEFAULT_YEAR.format(repeats=repeats), Path(tmp) / "src")["median"])
        finally:
            subprocess.run(["git", "-C", str(root), "worktree", "remove", "--force", tmp], capture_output=True)
    a, b = min(ours), min(theirs)
    print(f"\ndefault year (10,000 customers, 2 firms, 365 days, results): this tree {a:.3f} s, {rev} {b:.3f} s, "
          f"ratio {a / b:.2f} (median of {repeats} runs, best of 3 alternations)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small sizes only (a smoke run)")
    ap.add_argument("--save", action="store_true", help="store this run as the reference")
    ap.add_argument("--against", metavar="REV", help="also time the default year of git commit REV, in the same run")
    args = ap.parse_args()
    sizes = [(2_000, 60, 2), (20_000, 30, 2)] if args.quick else \
        [(10_000, 365, 2), (100_000, 365, 2), (100_000, 365, 6), (1_000_000, 365, 2)]
    reference = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
    print("customer-steps/s: whole model (all eight links, data collection included); 'WOM update' is the\n"
          "word-of-mouth and satisfaction update alone; 'Mesa' is the same update written as plain per-agent\n"
          "Mesa (benchmarks/mesa_reference.py) on as many customers; 'x Mesa' compares the two like for like.\n")
    print(f"{'customers':>10} {'firms':>5} {'days':>5} {'set-up s':>9} {'run s':>7} {'customer-steps/s':>17} {'WOM update/s':>13} "
          f"{'Mesa/s':>9} {'x Mesa':>7} {'peak MB':>8} {'x reference':>11}")
    rows = []
    for n, steps, firms in sizes:
        r = child(CHILD.format(n=n, steps=steps, firms=firms, repeats=3 if n <= 100_000 else 1))
        mesa_steps = 3 if args.quick else max(3, 100_000 // n * 5)  # about 20 s of Mesa at most
        r["mesa_rate"] = child(MESA_CHILD.format(here=str(HERE), n=n, steps=mesa_steps))["rate"]
        key = str(n) if firms == 2 else f"{n}x{firms}"
        ref = reference.get(key, {}).get("rate")
        print(f"{n:>10,} {firms:>5} {steps:>5} {r['init_s']:>9.2f} {r['run_s']:>7.2f} {r['rate']:>17,.0f} {r['update_rate']:>13,.0f} "
              f"{r['mesa_rate']:>9,.0f} {r['update_rate'] / r['mesa_rate']:>7.0f} {r['peak_mb']:>8.0f} "
              f"{r['rate'] / ref if ref else float('nan'):>11.2f}", flush=True)
        rows.append(r)
    print("\nper-capita outcomes by size (days 60 on, mean over firms and days): a larger market has more sites\n"
          "and teams of the same size, so these should agree up to noise")
    print(f"{'customers':>10} {'firms':>5} {'NPS':>7} {'satisfaction':>13} {'abandonment':>12} {'share':>6} {'profit/customer-day':>20}")
    for r in rows:
        o = r["outcomes"]
        print(f"{r['n']:>10,} {r['firms']:>5} {o['nps']:>7.1f} {o['satisfaction']:>13.3f} {o['abandonment']:>12.3f} "
              f"{o['share']:>6.3f} {o['profit_per_customer']:>20.3f}")
    if args.save:
        BASELINE.write_text(json.dumps({str(r["n"]) if r["firms"] == 2 else f"{r['n']}x{r['firms']}": r
                                        for r in rows}, indent=2) + "\n")
        print(f"\nsaved as the reference: {BASELINE}")
    if args.against:
        compare_default_year(args.against)
    return 0


if __name__ == "__main__":
    sys.exit(main())
