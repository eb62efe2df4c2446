"""Plain-text summaries of a run's tidy results (used by `lealtad run` and others)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .modules.channels import CHANNELS

# Waits differ by orders of magnitude between channels (minutes on the phone, hours for email), so
# each channel's is reported on its own, never pooled into one firm-wide mean.
WAIT_UNITS = {"in_person": ("min", 60), "phone": ("min", 60), "chat": ("min", 60), "email": ("h", 1),
              "self_service": ("min", 60)}


def summary(results: pd.DataFrame) -> pd.DataFrame:
    """Headline figures per firm over a run: one row per firm (the firms of the ``firm`` column)."""
    rows = []
    used = [c for c in CHANNELS if results[f"{c}_contacts"].sum() > 0]  # channels nobody used get no line
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
            **{f"mean wait, {c.replace('_', ' ')} ({WAIT_UNITS[c][0]})": WAIT_UNITS[c][1] * channel_wait(d, c)
               for c in used},
            "employee satisfaction (mean)": d["employee_satisfaction"].mean(),
            "employee turnover per year": d["quits"].sum() / max(staff, 1) * 365 / days,
            "image (end)": last["image"],
            "revenue": d["revenue"].sum(),
            "profit": last["cumulative_profit"],
            "lifetime value per customer (end)": last["lifetime_value"],
            "cost to win / cost to keep (end)": last["cost_ratio"],
        })
    return pd.DataFrame(rows).set_index("firm")


def channel_wait(d: pd.DataFrame, channel: str) -> float:
    """A channel's mean wait over the run, in hours, weighted by its contacts (NaN if it had none)."""
    weights = d[f"{channel}_contacts"] * d[f"{channel}_wait_mean"].notna()
    total = weights.sum()
    return float(np.nansum(d[f"{channel}_wait_mean"] * weights) / total) if total else float("nan")


def headline(results: pd.DataFrame, steps: int, seed: int) -> str:
    table = summary(results).T
    fmt = table.map(lambda v: f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3f}" if isinstance(v, float) else str(v))
    return (f"lealtad: {steps} days, seed {seed}\n\n{fmt.to_string()}\n\n"
            f"One draw (seed {seed}): another seed gives other numbers, and a gap between firms may be noise. "
            f"--seeds 20 gives each figure's mean and 95% interval.")

