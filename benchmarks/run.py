"""Model speed: customer-steps per second at 10,000, 100,000 and 1,000,000 customers, peak memory,
the ratio against a plain per-agent Mesa implementation of the same update on the same number of
customers, measured in the same run, and the ratio against the stored reference figures
(benchmarks/baseline.json).

    .venv/bin/python benchmarks/run.py            # full (about 3 minutes)
    .venv/bin/python benchmarks/run.py --quick    # smaller sizes, a smoke run
    .venv/bin/python benchmarks/run.py --save     # also store this run as the new reference

Each size runs in its own process so that its peak memory is its own. Run on an idle machine:
the figures are single-core wall-clock times.
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
n, steps = {n}, {steps}
LoyaltyModel = lealtad.LoyaltyModel
LoyaltyModel(rng=0, n_customers=1000).run(2)   # compile/warm the kernels outside the timing
t0 = time.perf_counter()
model = LoyaltyModel(rng=1, n_customers=n)
t1 = time.perf_counter()
model.run(steps)
model.results()
t2 = time.perf_counter()
# the same update as the plain Mesa model: word of mouth, then images (satisfaction is inside both)
times = []
for _ in range(max(10, 2_000_000 // n)):
    t3 = time.perf_counter()
    model._word_of_mouth(model.today)
    model._image(model.today)
    times.append(time.perf_counter() - t3)
times.sort()  # the median call: robust to other work on a shared machine
print(json.dumps(dict(n=n, steps=steps, init_s=t1 - t0, run_s=t2 - t1, rate=n * steps / (t2 - t1),
                      update_rate=n / times[len(times) // 2],
                      peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)))
"""

MESA_CHILD = """
import json, sys
sys.path.insert(0, {here!r})
from mesa_reference import rate
print(json.dumps(dict(rate=rate(n={n}, steps={steps}))))
"""


def child(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small sizes only (a smoke run)")
    ap.add_argument("--save", action="store_true", help="store this run as the reference")
    args = ap.parse_args()
    sizes = [(2_000, 60), (20_000, 30)] if args.quick else [(10_000, 365), (100_000, 365), (1_000_000, 365)]
    reference = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
    print("customer-steps/s: whole model (all eight links, data collection included); 'WOM update' is the\n"
          "word-of-mouth and satisfaction update alone; 'Mesa' is the same update written as plain per-agent\n"
          "Mesa (benchmarks/mesa_reference.py) on as many customers; 'x Mesa' compares the two like for like.\n")
    print(f"{'customers':>10} {'days':>5} {'set-up s':>9} {'run s':>7} {'customer-steps/s':>17} {'WOM update/s':>13} "
          f"{'Mesa/s':>9} {'x Mesa':>7} {'peak MB':>8} {'x reference':>11}")
    rows = []
    for n, steps in sizes:
        r = child(CHILD.format(n=n, steps=steps))
        mesa_steps = 3 if args.quick else max(3, 100_000 // n * 5)  # about 20 s of Mesa at most
        r["mesa_rate"] = child(MESA_CHILD.format(here=str(HERE), n=n, steps=mesa_steps))["rate"]
        ref = reference.get(str(n), {}).get("rate")
        print(f"{n:>10,} {steps:>5} {r['init_s']:>9.2f} {r['run_s']:>7.2f} {r['rate']:>17,.0f} {r['update_rate']:>13,.0f} "
              f"{r['mesa_rate']:>9,.0f} {r['update_rate'] / r['mesa_rate']:>7.0f} {r['peak_mb']:>8.0f} "
              f"{r['rate'] / ref if ref else float('nan'):>11.2f}", flush=True)
        rows.append(r)
    if args.save:
        BASELINE.write_text(json.dumps({str(r["n"]): r for r in rows}, indent=2) + "\n")
        print(f"\nsaved as the reference: {BASELINE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
