"""Statistics over replications: one number per run and output, means with 95% confidence
intervals, and paired differences between scenarios.

Replication r of every scenario runs with the same seed (common random numbers), so the difference
of two scenarios is taken run by run and its confidence interval is a paired t-interval over
replications (Student 1908; see Law 2015, Simulation Modeling and Analysis, 5th ed., ch. 10): the
noise both runs share cancels, which needs far fewer replications than comparing two independent
means.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from ..outputs import OUTPUTS

_UNITS = {o.name: o.unit for o in OUTPUTS}
KEYS = ["scenario", "point", "replication"]


def statistic(output: str) -> str:
    """How a run is summarised for an output: 'end' (last day) for running totals, 'total' (sum
    over the run) for daily flows, 'last' (mean of the final days) for levels."""
    if output.startswith("cumulative_"):
        return "end"
    if "per day" in _UNITS.get(output, ""):
        return "total"
    return "last"


def describe(output: str, steps: int, summary_days: int) -> str:
    """Words for a run-level value, e.g. 'profit (total over 365 days)'."""
    kind = statistic(output)
    if kind == "end":
        return f"{output} on day {steps}"
    if kind == "total":
        return f"{output} (total over {steps} days)"
    return f"{output} (mean of the last {min(summary_days, steps)} days)"


def run_values(results: pd.DataFrame, outputs, summary_days: int, firm: str = "company") -> pd.DataFrame:
    """One row per run (scenario, point, replication) and one column per output: its run-level value."""
    d = results[results["firm"] == firm]
    order = {name: i for i, name in enumerate(pd.unique(d["scenario"]))}  # keep the experiment's order
    d = d.assign(_order=d["scenario"].map(order)).sort_values(["_order", "point", "replication", "day"], kind="stable")
    g = d.groupby(KEYS, sort=False, observed=True)
    cols = {}
    last_day = g["day"].transform("max")
    tail = d[d["day"] > last_day - summary_days].groupby(KEYS, sort=False, observed=True)
    for out in outputs:
        kind = statistic(out)
        if kind == "end":
            cols[out] = g[out].last()
        elif kind == "total":
            cols[out] = g[out].sum()
        else:
            cols[out] = tail[out].mean()
    return pd.DataFrame(cols).reset_index()


def mean_ci(values, level: float = 0.95) -> tuple[float, float, float, int]:
    """Mean, lower and upper bound of a t-interval, and n (NaN bounds below two values)."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    n = x.size
    if n == 0:
        return np.nan, np.nan, np.nan, 0
    mean = float(x.mean())
    if n < 2:
        return mean, np.nan, np.nan, n
    sem = stats.sem(x)
    if sem == 0:
        return mean, mean, mean, n
    low, high = stats.t.interval(level, n - 1, loc=mean, scale=sem)
    return mean, float(low), float(high), n


def summary_table(runs: pd.DataFrame, outputs) -> pd.DataFrame:
    """Mean, sd and 95% CI over replications per scenario, point and output (long format)."""
    rows = []
    for (scenario, point), d in runs.groupby(["scenario", "point"], sort=False, observed=True):
        for out in outputs:
            mean, low, high, n = mean_ci(d[out])
            rows.append({"scenario": scenario, "point": point, "output": out, "statistic": statistic(out),
                         "mean": mean, "sd": float(d[out].std(ddof=1)) if n > 1 else np.nan,
                         "ci_low": low, "ci_high": high, "n": n})
    return pd.DataFrame(rows)


def paired_differences(runs: pd.DataFrame, outputs, baseline: str) -> pd.DataFrame:
    """Each scenario minus the baseline, replication by replication (same seed, same point)."""
    base = runs[runs["scenario"] == baseline].set_index(["point", "replication"])
    rows = []
    for scenario, d in runs.groupby("scenario", sort=False, observed=True):
        if scenario == baseline:
            continue
        d = d.set_index(["point", "replication"])
        common = d.index.intersection(base.index)
        for point in sorted(set(common.get_level_values("point"))):
            idx = common[common.get_level_values("point") == point]
            for out in outputs:
                diff = d.loc[idx, out].to_numpy() - base.loc[idx, out].to_numpy()
                mean, low, high, n = mean_ci(diff)
                b = float(np.nanmean(base.loc[idx, out])) if n else np.nan
                rows.append({"scenario": scenario, "point": point, "output": out, "difference": mean,
                             "ci_low": low, "ci_high": high, "n": n, "baseline_mean": b,
                             "relative": mean / abs(b) if b else np.nan})
    return pd.DataFrame(rows, columns=["scenario", "point", "output", "difference", "ci_low", "ci_high", "n",
                                       "baseline_mean", "relative"])


def fmt(x: float) -> str:
    """A number as people read it: thousands separators for big ones, 3 significant digits else."""
    if not np.isfinite(x):
        return "n/a"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    return f"{x:.3g}"


def sentence(label: str, output_words: str, diff: dict, baseline_label: str) -> str:
    """'better staff morale raised profit (total over 365 days) by 12,300 (95% CI 8,100..16,500) over 30
    paired replications, compared with current policies.'"""
    d, low, high, n = diff["difference"], diff["ci_low"], diff["ci_high"], int(diff["n"])
    if n == 0 or not np.isfinite(d):
        return f"{label}: no paired replications with {baseline_label} finished."
    verb = "raised" if d > 0 else "lowered" if d < 0 else "did not change"
    if d < 0:  # say "lowered by 5 (95% CI 2..8)" rather than a negative amount
        low, high = -high, -low
    ci = f" (95% CI {fmt(low)}..{fmt(high)})" if np.isfinite(low) else " (one replication: no interval)"
    clear = ""
    if np.isfinite(low):
        clear = "; the interval excludes zero" if (low > 0 or high < 0) and d != 0 else "; the interval includes zero (no clear effect)"
    amount = "" if d == 0 else f" by {fmt(abs(d))}"
    return (f"{label} {verb} {output_words}{amount}{ci} over {n} paired replication{'s' * (n != 1)}, "
            f"compared with {baseline_label}{clear}.")
