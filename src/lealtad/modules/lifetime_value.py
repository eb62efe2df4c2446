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

from ..core.plan import Module
from ..core.schema import Output, Param, State
from ..kernels import lifetime_values, segment_margin
from .channels import channel_arrays
from .economics import pay_per_agent, per_channel, per_segment
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
        m.segment_tallies[:, :, 0] += margin_today(m, e, out)
        m.segment_tallies[:, :, 1] += m.segment_active
        m.segment_tallies[:, :, 2] += np.bincount(e["firm"] * S + e["segment"], weights=e["defected"],
                                                  minlength=F * S).reshape(F, S)
        m.spend_tallies[:, 0] += out["acquisition_spend"]
        m.spend_tallies[:, 1] += out["retention_spend"]
        m.spend_tallies[:, 2] += out["acquired"] + out["won_from_rival"]
        segment_values = np.empty((F, S))
        lifetime_values(m.segment_tallies, m.spend_tallies, p["discount_rate"], out["lifetime_value"],
                        out["cost_to_acquire"], out["cost_to_keep"], out["cost_ratio"], segment_values)
        m.store.row()[m.store.rows(per_segment("lifetime_value"))] = segment_values.T


def margin_today(m, e, out) -> np.ndarray:
    """Today's margin per firm and segment: what it bought, less what serving and keeping it cost
    (every cost of the firm except winning customers; `kernels.segment_margin`)."""
    p = m.p
    staff_cost = m.store.row()[m.store.rows(per_channel("staff"))].T * pay_per_agent(m)[:, None]  # (F, C)
    hiring = (out["quits"] + m.new_positions_today) * p["hiring_cost"]
    contact = channel_arrays(p)["contact_cost"]
    return segment_margin(e["firm"], e["segment"], e["channel"], e["hours"], e["sales"], e["goods"],
                          e["recovered"].astype(np.float64), staff_cost, hiring.astype(np.float64), contact,
                          float(p["recovery_cost"]), p["retention_cost"] / 365, m.segment_active)
