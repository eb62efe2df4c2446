"""Plain-text summaries of a run's tidy results (used by `lealtad run` and others)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def summary(results: pd.DataFrame) -> pd.DataFrame:
    """Headline figures per firm over a run: one row per firm (the firms of the ``firm`` column)."""
    rows = []
    for firm in pd.unique(results["firm"]):
        d = results[results.firm == firm]
        last = d.iloc[-1]
        days = len(d)
        staff = d["staff"].mean()
        rows.append({
            "firm": firm,
            "active customers (end)": int(last["active"]),
            "market share (end)": last["market_share"],
            "customer satisfaction (mean)": d["customer_satisfaction"].mean(),
            "NPS (end)": last["nps"],
            "customer churn per year": (d["lost_to_rival"] + d["exits"]).sum() / max(d["active"].mean(), 1) * 365 / days,
            "mean wait (min)": 60 * np.nansum(d["wait_mean"] * d["encounters"]) / max(d["encounters"].sum(), 1),
            "employee satisfaction (mean)": d["employee_satisfaction"].mean(),
            "employee turnover per year": d["quits"].sum() / max(staff, 1) * 365 / days,
            "image (end)": last["image"],
            "revenue": d["revenue"].sum(),
            "profit": last["cumulative_profit"],
        })
    return pd.DataFrame(rows).set_index("firm")


def headline(results: pd.DataFrame, steps: int, seed: int) -> str:
    table = summary(results).T
    fmt = table.map(lambda v: f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3f}" if isinstance(v, float) else str(v))
    return (f"lealtad: {steps} days, seed {seed}\n\n{fmt.to_string()}\n\n"
            f"One draw (seed {seed}): another seed gives other numbers, and a gap between firms may be noise. "
            f"--seeds 20 gives each figure's mean and 95% interval.")

