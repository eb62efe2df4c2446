"""The sensitivity results of docs/trace.md (section 7, model analysis), made by a command so that no
figure there is typed by hand: `python -m lealtad.trace_tables` runs a small Morris screen of the
parameters of experiments/sensitivity.toml (one per link of the chain) and writes its table into
docs/trace.md between markers. The full analysis is the file itself, a Sobol design on a larger
market: `lealtad sweep experiments/sensitivity.toml` (its report shows the indices)."""

from __future__ import annotations

import argparse
import re
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TRACE = ROOT / "docs" / "trace.md"
SPEC = ROOT / "experiments" / "sensitivity.toml"
BEGIN = "<!-- sensitivity:begin (made by `python -m lealtad.trace_tables`) -->"
END = "<!-- sensitivity:end -->"
OUTPUTS = ("cumulative_profit", "active", "customer_satisfaction", "employee_satisfaction")

# The small screen: Morris with the fewest trajectories its analysis accepts, on a small market.
SCREEN = {"design": "morris", "points": 10, "levels": 4, "n_customers": 2000, "steps": 365}


def screen_spec() -> dict:
    """experiments/sensitivity.toml with its design replaced by the small Morris screen."""
    spec = tomllib.loads(SPEC.read_text(encoding="utf-8"))
    spec["name"] = "sensitivity_screen"
    spec["steps"] = SCREEN["steps"]
    spec["base"] = {**spec.get("base", {}), "n_customers": SCREEN["n_customers"]}
    spec["sweep"] = {**spec["sweep"], "design": SCREEN["design"], "points": SCREEN["points"], "levels": SCREEN["levels"]}
    spec["outputs"] = list(OUTPUTS)
    return spec


def screen(workers: int = 2):
    """Run the screen; returns (the experiment, a table of mu* and sigma per output, seconds taken)."""
    import pandas as pd

    from .experiments import sensitivity
    from .experiments.api import run, to_experiment
    from .experiments.designs import matrix

    exp = to_experiment(screen_spec())
    start = time.perf_counter()
    res = run(exp, workers=workers)
    seconds = time.perf_counter() - start
    X = matrix(exp.sweep)
    per_point = res.runs.groupby("point")[list(OUTPUTS)].mean().sort_index()
    tables = [sensitivity.analyze(exp.sweep, X, per_point[o].to_numpy(dtype=float), "morris").assign(output=o)
              for o in OUTPUTS]
    return exp, pd.concat(tables, ignore_index=True), seconds


def block(exp, table, seconds) -> str:
    n_runs = len(exp.point_table()) * exp.replications
    rows = ["| parameter | " + " | ".join(f"`{o}` mu* (95 % CI) | sigma" for o in OUTPUTS) + " |",
            "|---|" + "---:|---:|" * len(OUTPUTS)]
    for name in exp.sweep.names:
        cells = []
        for o in OUTPUTS:
            t = table[(table.output == o) & (table.parameter == name)].set_index("index")
            mu, sigma = t.loc["mu_star"], t.loc["sigma"]
            cells.append(f"{_g(mu.value)} ({_g(mu.ci_low)}..{_g(mu.ci_high)}) | {_g(sigma.value)}")
        rows.append(f"| `{name}` | " + " | ".join(cells) + " |")
    ranking = {o: table[(table.output == o) & (table["index"] == "mu_star")].sort_values("value", ascending=False)
               .parameter.tolist() for o in OUTPUTS}
    order = "; ".join(f"`{o}`: " + " > ".join(f"`{p}`" for p in ranking[o][:3]) for o in OUTPUTS)
    return (f"{BEGIN}\n\nMorris screen (Morris 1991; Campolongo, Cariboni & Saltelli 2007): {exp.sweep.points} "
            f"trajectories × {len(exp.sweep.names) + 1} points = {n_runs} runs of {exp.steps} days, "
            f"{exp.base.get('n_customers')} people, {exp.sweep.levels} levels, design seed {exp.sweep.seed}, run seed "
            f"{exp.seed}; the company's run-level value of each output (`lealtad.experiments.stats`). "
            f"mu* is the mean absolute elementary effect over the parameter's whole range, sigma their spread "
            f"(interactions or nonlinearity); intervals from resampling whole trajectories. "
            f"Took {seconds:.0f} s on this machine.\n\n" + "\n".join(rows)
            + f"\n\nLargest mu* first — {order}.\n\n{END}")


def _g(x: float) -> str:
    return f"{x:.3g}"


def refreshed(text: str, made: str) -> str:
    pattern = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), flags=re.S)
    if not pattern.search(text):
        raise ValueError(f"{TRACE.name} has no sensitivity section (markers {BEGIN!r} ... {END!r})")
    return pattern.sub(lambda _: made, text)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Run the small sensitivity screen and write it into docs/trace.md.")
    ap.add_argument("--workers", type=int, default=2, help="local processes (default 2)")
    ap.add_argument("--print", action="store_true", help="print the table instead of writing docs/trace.md")
    args = ap.parse_args(argv)
    made = block(*screen(args.workers))
    if args.print:
        print(made)
    else:
        TRACE.write_text(refreshed(TRACE.read_text(encoding="utf-8"), made), encoding="utf-8")
        print(f"wrote the sensitivity screen into {TRACE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
