"""Lifetime value and the cost of winning against keeping a customer, measured as the run goes.

Each firm's margin is split over its segments: sales less goods, less the wages (with training and
hiring) of each channel in proportion to the service hours its customers took, less contact costs,
complaint recoveries and the retention programme where they happened. From the margin, the
customer-years and the defections since day 0 come each segment's yearly margin per customer and
its retention rate, and so its lifetime value (Gupta, Lehmann & Stuart 2004). Winning a customer
costs the advertising and onboarding spent per customer won; keeping one costs the retention
programme and recoveries per customer kept for a year; their ratio is the course's "about six
times", here a figure of the run, not an input.
"""

from __future__ import annotations

import numpy as np

from .. import chain
from ..core.plan import Module
from ..core.schema import Output, Param, State
from .channels import CHANNELS
from .segments import SEGMENT_RESULTS, SEGMENTS

GLS = "Gupta, Lehmann & Stuart 2004, J. Marketing Research 41(1)"


class LifetimeValue(Module):
    name = "lifetime_value"
    summary = "margin and retention per firm and segment since day 0; lifetime value; cost to win vs keep"
    parameters = (
        Param("discount_rate", 0.10, 0.0, 1.0, "per year", "Yearly discount rate of future margins", "economics", GLS),
    )
    results = (
        Output("lifetime_value", "EUR", "Customer lifetime value: yearly margin per customer m and retention r since day "
               "0, m (1 + i) / (1 + i - r), less the cost to win a customer"),
        Output("cost_to_acquire", "EUR per customer won", "Acquisition spend since day 0 per customer won"),
        Output("cost_to_keep", "EUR per customer-year kept", "Retention spend since day 0 per customer kept for a year"),
        Output("cost_ratio", "x", "Cost to win a customer over the cost to keep one for a year (measured)"),
    ) + tuple(o for o in SEGMENT_RESULTS if o.name.endswith("_lifetime_value"))
    states = (
        State("segment_tallies", "firm x segment x 3", "float", "EUR, customer-days, customers",
              "Since day 0, per firm and segment: margin, customer-days, defections", "0"),
        State("spend_tallies", "firm x 3", "float", "EUR, EUR, customers",
              "Since day 0, per firm: acquisition spend, retention spend, customers won", "0"),
    )

    def init(self, m):
        m.segment_tallies = np.zeros((m.n_firms, len(SEGMENTS), 3))
        m.spend_tallies = np.zeros((m.n_firms, 3))

    def step(self, m):
        p, out, e = m.p, m.today, m.encounters
        F, S = m.n_firms, len(SEGMENTS)
        m.segment_tallies[:, :, 0] += segment_margin(m, e, out)
        m.segment_tallies[:, :, 1] += m.segment_active
        m.segment_tallies[:, :, 2] += np.bincount(e["firm"] * S + e["segment"], weights=e["defected"],
                                                  minlength=F * S).reshape(F, S)
        m.spend_tallies += np.column_stack([out["acquisition_spend"], out["retention_spend"],
                                            out["acquired"] + out["won_from_rival"]])
        margin, days, defections = (m.segment_tallies[:, :, k] for k in range(3))
        t = {"margin": margin, "days": days, "defections": defections, "acquisition": m.spend_tallies[:, 0],
             "retention": m.spend_tallies[:, 1], "won": m.spend_tallies[:, 2]}
        years = t["days"].sum(axis=1) / 365
        kept = np.maximum(years - t["defections"].sum(axis=1), 0)
        with np.errstate(invalid="ignore", divide="ignore"):
            to_win = np.where(t["won"] > 0, t["acquisition"] / t["won"], np.nan)
            to_keep = np.where(kept > 0, t["retention"] / kept, np.nan)
            out["cost_to_acquire"][:], out["cost_to_keep"][:] = to_win, to_keep
            out["cost_ratio"][:] = to_win / to_keep
            acquisition = np.nan_to_num(to_win)
            out["lifetime_value"][:] = value(t["margin"].sum(axis=1), t["days"].sum(axis=1),
                                             t["defections"].sum(axis=1), p["discount_rate"], acquisition)
            per_segment = value(t["margin"], t["days"], t["defections"], p["discount_rate"], acquisition[:, None])
        for s, name in enumerate(SEGMENTS):
            out[f"{name}_lifetime_value"][:] = per_segment[:, s]


def value(margin, days, defections, discount_rate, acquisition_cost):
    """Lifetime value from tallies: yearly margin per customer and retention per year (NaN before
    the first customer-day)."""
    years = days / 365
    with np.errstate(invalid="ignore", divide="ignore"):
        per_year = np.where(years > 0, margin / years, np.nan)
        retention = np.clip(1 - np.where(years > 0, defections / years, np.nan), 0, 1)
    return chain.lifetime_value(per_year, retention, discount_rate, acquisition_cost)


def segment_margin(m, e, out) -> np.ndarray:
    """Today's margin per firm and segment: what it bought, less what serving and keeping it cost
    (every cost of the firm except winning customers)."""
    p, pol, F, S, C = m.p, m.policy, m.n_firms, len(SEGMENTS), len(CHANNELS)
    f, seg, ch = e["firm"], e["segment"], e["channel"]
    pay = p["daily_wage"] * (1 + pol["wage_premium"]) + p["training_cost"] * pol["training"]
    staff_cost = np.stack([out[f"{c}_staff"] for c in CHANNELS], axis=1) * pay[:, None]  # (F, C)
    hiring = (out["quits"] + m.new_positions_today) * p["hiring_cost"]
    hours = np.bincount(f * C + ch, weights=e["hours"], minlength=F * C).reshape(F, C)
    firm_hours = hours.sum(axis=1)
    # each channel's wages, and the firm's hiring, shared by the service hours its customers took
    per_hour = np.divide(staff_cost, hours, out=np.zeros((F, C)), where=hours > 0)
    idle = np.where(hours > 0, 0.0, staff_cost).sum(axis=1)  # a channel that served nobody: shared by the firm's hours
    hire_per_hour = np.divide(hiring + idle, firm_hours, out=np.zeros(F), where=firm_hours > 0)
    contact = np.array([p[f"{c}_contact_cost"] for c in CHANNELS])
    cost = e["hours"] * (per_hour[f, ch] + hire_per_hour[f]) + contact[ch] + e["recovered"] * p["recovery_cost"]
    key = f * S + seg
    margin = np.bincount(key, weights=e["sales"] - e["goods"] - cost, minlength=F * S).reshape(F, S)
    return margin - m.segment_active * p["retention_cost"] / 365
