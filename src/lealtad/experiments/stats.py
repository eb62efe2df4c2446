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

from ..intervals import UNBOUNDED, difference_domain, mean_ci, unit_domain

from ..outputs import UNITS

KEYS = ["scenario", "point", "replication"]


def statistic(output: str) -> str:
    """How a run is summarised for an output: 'end' (last day) for running totals, 'total' (sum
    over the run) for daily flows, 'last' (mean of the final days) for levels."""
    if output.startswith("cumulative_"):
        return "end"
    if "per day" in UNITS.get(output, ""):
        return "total"
    return "last"


def domain(output: str) -> tuple[float, float]:
    """The values an output's run-level value can take, from its unit (`lealtad.intervals.unit_domain`):
    shares and satisfaction 0..1, NPS -100..100, counts, flows and waits 0 and up; money is unbounded
    except costs, revenue and spending (never negative). A run-level total of a flow keeps its flow's domain."""
    if output not in UNITS:  # e.g. a custom reporter: nothing is known
        return UNBOUNDED
    unit = UNITS[output]
    if unit.startswith("EUR") and any(word in output for word in ("cost", "revenue", "spend")):
        return (0.0, float("inf"))
    return unit_domain(unit)


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


def summary_table(runs: pd.DataFrame, outputs) -> pd.DataFrame:
    """Mean, sd and 95% CI over replications per scenario, point and output (long format); each
    interval within the output's domain (`domain`)."""
    rows = []
    for (scenario, point), d in runs.groupby(["scenario", "point"], sort=False, observed=True):
        for out in outputs:
            mean, low, high, n = mean_ci(d[out], domain=domain(out))
            rows.append({"scenario": scenario, "point": point, "output": out, "statistic": statistic(out),
                         "mean": mean, "sd": float(d[out].std(ddof=1)) if n > 1 else np.nan,
                         "ci_low": low, "ci_high": high, "n": n})
    return pd.DataFrame(rows)


def paired_differences(runs: pd.DataFrame, outputs, baseline: str) -> pd.DataFrame:
    """Each scenario minus the baseline, replication by replication (same seed, same point); each
    interval within the domain of a difference of the output (two shares differ by -1..1)."""
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
                mean, low, high, n = mean_ci(diff, domain=difference_domain(domain(out)))
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


def unit(output: str) -> str:
    """The unit of an output's run-level value: a daily flow summed over a run loses its 'per day'."""
    u = UNITS.get(output, "")
    if statistic(output) == "total":
        u = u.removesuffix("per day").strip() or "count"
    return u


def relative_words(difference: float, baseline_mean: float, output: str) -> str:
    """'+8.1 % of the baseline's 152,000 EUR', or '' where a percentage would mislead: a baseline at or
    below zero (profit, NPS) makes a percentage blow up or flip sign, and NPS points are already a scale
    of their own."""
    if not (np.isfinite(difference) and np.isfinite(baseline_mean)) or baseline_mean <= 0 or unit(output) == "points":
        return ""
    return f"{100 * difference / baseline_mean:+.1f} % of the baseline's {fmt(baseline_mean)} {unit(output)}".rstrip()


def point_words(point: dict) -> str:
    """A sweep point as people read it: 'in_person_staff_per_1000 = 3.3, training = 0.8' ('' without a sweep)."""
    return ", ".join(f"{k} = {v:.4g}" if isinstance(v, float) else f"{k} = {v}" for k, v in point.items())


def sentence(label: str, output_words: str, diff: dict, baseline_label: str, output: str | None = None,
             where: str = "") -> str:
    """'At in_person_staff_per_1000 = 3.3, better staff morale raised cumulative_profit on day 365 by 12,300 EUR
    (+8.1 % of the baseline's 152,000 EUR; 95% CI 8,100..16,500) over 30 paired replications, compared
    with current policies; the interval excludes zero.' ``output`` gives the unit and the relative
    change; ``where`` names the sweep point."""
    d, low, high, n = diff["difference"], diff["ci_low"], diff["ci_high"], int(diff["n"])
    at = f"At {where}, " if where else ""
    if n == 0 or not np.isfinite(d):
        return f"{at}{label}: no paired replications with {baseline_label} finished."
    verb = "raised" if d > 0 else "lowered" if d < 0 else "did not change"
    if d < 0:  # say "lowered by 5 (95% CI 2..8)" rather than a negative amount
        low, high = -high, -low
    u = f" {unit(output)}" if output and unit(output) else ""
    rel = relative_words(d, diff.get("baseline_mean", np.nan), output) if output and d != 0 else ""
    ci = f"95% CI {fmt(low)}..{fmt(high)}" if np.isfinite(low) else "one replication: no interval"
    bracket = f" ({rel}; {ci})" if rel else f" ({ci})"
    clear = ""
    if np.isfinite(low):
        clear = "; the interval excludes zero" if (low > 0 or high < 0) and d != 0 else "; the interval includes zero (no clear effect)"
    amount = "" if d == 0 else f" by {fmt(abs(d))}{u}"
    return (f"{at}{label} {verb} {output_words}{amount}{bracket} over {n} "
            f"paired replication{'s' * (n != 1)}, compared with {baseline_label}{clear}.")


def quantile_band(values, q: float = 0.95) -> pd.DataFrame:
    """Median and the central ``q`` share of the replications, per group (e.g. per day within one point).

    Quantiles of what the runs did, not mean +- sd: the band stays in the output's own domain (a count
    or a waiting time never goes below zero, a share never above one) and shows the spread a manager
    would meet in one realisation."""
    lo, hi = (1 - q) / 2, 1 - (1 - q) / 2
    return pd.DataFrame({"median": values.median(), "low": values.quantile(lo), "high": values.quantile(hi),
                         "n": values.count()})
