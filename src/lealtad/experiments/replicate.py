"""`lealtad run --seeds K`: one set of parameters run with K seeds (in parallel, like a sweep), and each
headline figure's mean and 95% t-interval over the seeds, per firm.

One run is one draw of a stochastic model: two firms with identical policies can differ by several
points in one run and not at all on average. Seeds are ``seed, seed + 1, ..., seed + K - 1``, so any
one draw can be rerun alone with ``lealtad run --seed S``.
"""

from __future__ import annotations

import sys

import pandas as pd

from ..intervals import UNBOUNDED, difference_domain
from ..outputs import OUTPUT_NAMES
from ..report_text import WAIT_UNITS, summary
from . import stats
from .runner import Task, execute


# The values each headline figure (`lealtad.report_text.summary`) can take: its interval stays inside.
POSITIVE = (0.0, float("inf"))

DOMAINS = {
    "active customers (end)": POSITIVE, "market share (end)": (0.0, 1.0),
    "customer satisfaction (mean)": (0.0, 1.0), "NPS (end)": (-100.0, 100.0),
    "customer churn per year": POSITIVE,
    **{f"mean wait, {c.replace('_', ' ')} ({unit})": POSITIVE for c, (unit, _) in WAIT_UNITS.items()},
    "employee satisfaction (mean)": (0.0, 1.0), "employee turnover per year": POSITIVE,
    "image (end)": (0.0, 1.0), "revenue": POSITIVE, "profit": UNBOUNDED,
    "lifetime value per customer (end)": UNBOUNDED, "cost to win / cost to keep (end)": POSITIVE,
}


def domain(measure: str, difference: bool = False) -> tuple[float, float]:
    """The domain of a headline figure, or of a difference of two firms' values of it."""
    d = DOMAINS.get(measure, UNBOUNDED)
    return difference_domain(d) if difference else d


def seeds_of(seed: int, k: int) -> list[int]:
    return [seed + r for r in range(k)]


def run_seeds(params: dict, steps: int, seed: int, k: int, workers: int = 1, progress: bool = False) -> pd.DataFrame:
    """Daily results of the K runs, tidy, with a ``seed`` column; raises if a run fails."""
    from tqdm import tqdm

    tasks = [Task(f"seed{s}", "run", 0, r, s, steps, OUTPUT_NAMES, params) for r, s in enumerate(seeds_of(seed, k))]
    frames = []
    with tqdm(total=len(tasks), desc="simulating", unit="run", disable=not progress or None, file=sys.stderr) as bar:
        for result in execute(tasks, workers):
            if result.error:
                raise RuntimeError(f"seed {result.task.seed} failed: {result.error}")
            frames.append(result.data)
            bar.update(1)
    data = pd.concat(frames, ignore_index=True)
    return data.sort_values(["seed", "day", "firm"], kind="stable").drop(columns=["scenario", "point"]) \
        .reset_index(drop=True)


def per_seed(data: pd.DataFrame) -> pd.DataFrame:
    """The headline figures (`lealtad.report_text.summary`) of every seed and firm: one row each."""
    return pd.concat([summary(d).reset_index().assign(seed=s) for s, d in data.groupby("seed", sort=True)],
                     ignore_index=True)


def intervals(data: pd.DataFrame) -> pd.DataFrame:
    """Per firm and headline figure: mean, 95% t-interval and n over seeds. Then, for every firm after
    the first, its difference from the first firm, seed by seed (both firms live in the same run, so
    the difference is paired), as rows whose ``firm`` is 'B - A'. Every interval stays in the figure's
    domain (`DOMAINS`: a share within 0..1, a count or a wait not below 0)."""
    table = per_seed(data)
    measures = [c for c in table.columns if c not in ("firm", "seed")]
    firms = list(pd.unique(table["firm"]))
    groups = {f: table[table["firm"] == f].set_index("seed")[measures] for f in firms}
    for other in firms[1:]:
        groups[f"{other} - {firms[0]}"] = groups[other] - groups[firms[0]]
    rows = []
    for firm, d in groups.items():
        for measure in measures:
            mean, low, high, n = stats.mean_ci(d[measure], domain=domain(measure, " - " in firm))
            rows.append({"firm": firm, "measure": measure, "mean": mean, "ci_low": low, "ci_high": high, "n": n})
    return pd.DataFrame(rows)


def text(table: pd.DataFrame, steps: int, seeds: list[int]) -> str:
    f = stats.fmt
    cells = table.assign(cell=[f"{f(m)} ({f(lo)}..{f(hi)})"
                               for m, lo, hi in zip(table["mean"], table["ci_low"], table["ci_high"])])
    wide = cells.pivot(index="measure", columns="firm", values="cell")
    wide = wide.reindex(index=list(pd.unique(table["measure"])), columns=list(pd.unique(table["firm"])))
    wide.index.name, wide.columns.name = None, None
    note = ""
    if any(" - " in c for c in wide.columns):
        note = ("\n\nA difference between firms is taken seed by seed (paired); where its interval includes zero, "
                f"{len(seeds)} seeds cannot tell the firms apart.")
    return (f"lealtad: {steps} days, {len(seeds)} seeds ({seeds[0]}..{seeds[-1]}): mean (95% t-interval of the mean "
            f"over seeds)\n\n{wide.to_string()}{note}")
