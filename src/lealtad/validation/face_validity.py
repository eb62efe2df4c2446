"""Face validity of the chain: raise internal service quality with one lever, keep the seed (common
random numbers: the two runs differ only in what the policy touches), and the effect must travel down
the chain in its causal order (Heskett et al. 1994): employee satisfaction, retention, service quality,
customer satisfaction, loyalty, profit. Effects are paired differences with 95 % confidence intervals
over replications; the order is read from when each effect first reaches half its peak."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..model import LoyaltyModel
from ..params import PARAMETERS
from .common import Check, fmt_ci, mean_ci

SOURCE = "Heskett et al. 1994, HBR 72(2); Hogreve et al. 2017, J. Marketing 81(3) [E]"

# Policy changes that raise internal service quality (chain.internal_service_quality), one at a time.
LEVERS = {"leadership": 0.3, "training": 0.4, "wage_premium": 0.2}

# The chain in causal order: (label, daily output, sign meaning "better").
LINKS = [
    ("employee satisfaction", "employee_satisfaction", +1),
    ("employee retention (-quits per year)", "quits", -1),
    ("service quality", "service_quality", +1),
    ("customer satisfaction", "customer_satisfaction", +1),
    ("loyalty (active customers)", "active", +1),
    ("revenue per day", "revenue", +1),
]
# Profit = revenue - costs, and training and pay cost money from day one: the chain reaches profit
# through revenue, so the order is timed on revenue; profit must rise only for a lever that costs
# nothing (leadership). For the others the sign of profit is reported (Hogreve et al. 2017:
# maximising employee satisfaction is not always optimal).
COSTLESS = {"leadership"}
# Active customers (a stock) and revenue (their purchases, price x purchase rate x active) move on the
# same day by construction, so loyalty is timed through revenue; retention (a few quits a year) is too
# rare to time and is checked for its sign only.
TIMED = ["employee_satisfaction", "service_quality", "customer_satisfaction", "revenue"]
ORDER_TOLERANCE = 15  # days: half the smoothing window; effects that start within it count as simultaneous
SMOOTH = 30


def company(results: pd.DataFrame) -> pd.DataFrame:
    return results[results.firm == "company"].reset_index(drop=True)


def paired_runs(changes: dict, seeds, days: int, n: int, base: dict | None = None) -> list[pd.DataFrame]:
    """Per seed: the company's daily outputs with ``changes`` (to the company's policies) minus those
    without (same seed)."""
    base = base or {}
    changes = {f"company.{k}": v for k, v in changes.items()}
    diffs = []
    for seed in seeds:
        a = company(LoyaltyModel(rng=seed, n_customers=n, **base).run(days).results())
        b = company(LoyaltyModel(rng=seed, n_customers=n, **{**base, **changes}).run(days).results())
        diffs.append(b.drop(columns="firm") - a.drop(columns="firm"))
    return diffs


def onset(series: np.ndarray) -> int:
    """First day the smoothed effect reaches half its peak (in the direction of the peak)."""
    smooth = pd.Series(series).rolling(SMOOTH, min_periods=1).mean().to_numpy()
    peak = smooth[np.argmax(np.abs(smooth))]
    return int(np.argmax(smooth / peak >= 0.5)) if peak != 0 else -1


def lever_checks(lever: str, step: float, seeds, days: int, n: int) -> list[Check]:
    value = PARAMETERS[lever].default + step
    diffs = paired_runs({lever: value}, seeds, days, n)
    label = f"{lever} {PARAMETERS[lever].default:g} -> {value:g}"
    checks = []
    for name, col, sign in LINKS:
        per_seed = [sign * (d[col].sum() * 365 / days if col == "quits" else d[col].mean()) for d in diffs]
        m, lo, hi = mean_ci(per_seed)
        checks.append(Check(
            f"{label}: {name} rises", "face validity", f"paired diff {fmt_ci(m, lo, hi)}", "95% CI above 0",
            SOURCE, bool(lo > 0),
            f"mean over {days} days of the company's daily difference, {len(diffs)} seeds, n={n}"))
    m, lo, hi = mean_ci([d["profit"].mean() for d in diffs])
    if lever in COSTLESS:
        checks.append(Check(f"{label}: profit per day rises", "face validity", f"paired diff {fmt_ci(m, lo, hi)}",
                            "95% CI above 0", SOURCE, bool(lo > 0), "a costless lever: the chain must pay"))
    else:
        checks[-1].detail += f"; profit per day (net of the lever's cost) {fmt_ci(m, lo, hi)}"
    mean_diff = sum(d[TIMED] for d in diffs) / len(diffs)
    onsets = [onset(mean_diff[col].to_numpy()) for col in TIMED]
    in_order = all(later >= earlier - ORDER_TOLERANCE for earlier, later in zip(onsets, onsets[1:]))
    fig = make_subplots(rows=len(TIMED), cols=1, shared_xaxes=True, subplot_titles=TIMED)
    for k, col in enumerate(TIMED):
        fig.add_trace(go.Scatter(y=mean_diff[col].rolling(SMOOTH, min_periods=1).mean(), name=col), row=k + 1, col=1)
    fig.update_layout(title=f"Paired effect of {label} along the chain (mean over seeds)", height=900, showlegend=False)
    checks.append(Check(
        f"{label}: effects arrive in causal order", "face validity",
        "half-peak day " + " -> ".join(f"{c} {d}" for c, d in zip(TIMED, onsets)),
        f"non-decreasing (ties within {ORDER_TOLERANCE} days)", SOURCE, bool(in_order),
        "day at which the 30-day trailing mean of the paired difference first reaches half its peak", fig))
    return checks


def unhappy_staff_check(seeds, days: int, n: int) -> Check:
    """An unhappy employee makes unhappy customers: cut leadership and pay below the market."""
    changes = {"leadership": 0.2, "wage_premium": -0.2}
    diffs = paired_runs(changes, seeds, days, n)
    es = mean_ci([d["employee_satisfaction"].mean() for d in diffs])
    cs = mean_ci([d["customer_satisfaction"].mean() for d in diffs])
    return Check(
        "unhappy staff -> unhappy customers", "face validity",
        f"employee satisfaction {fmt_ci(*es)}; customer satisfaction {fmt_ci(*cs)}", "both 95% CIs below 0",
        "Heskett et al. 1994; Brown & Lam 2008, J. Retailing 84(3) [E]", bool(es[2] < 0 and cs[2] < 0),
        f"leadership 0.2 and wage premium -0.2 vs defaults; {len(diffs)} seeds, {days} days, n={n}")


def run(quick: bool = False, progress=None) -> list[Check]:
    tick = progress or (lambda label: None)
    seeds = range(4 if quick else 10)
    days, n = (365, 30_000) if quick else (730, 50_000)
    checks = []
    for lever, step in LEVERS.items():
        tick(f"chain: raise {lever}")
        checks += lever_checks(lever, step, seeds, days, n)
    tick("chain: unhappy staff")
    checks.append(unhappy_staff_check(seeds, days, n))
    return checks
