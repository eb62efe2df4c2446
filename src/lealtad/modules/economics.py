"""Loyalty drives profit: each firm's revenue, costs and profit of the day."""

from __future__ import annotations

import functools

import numpy as np

from ..core.plan import Module
from ..core.schema import Output, Param, State
from .channels import CHANNELS, channel_arrays
from .segments import SEGMENT_RESULTS, SEGMENTS


class Economics(Module):
    name = "economics"
    summary = "revenue, costs and profit; shares of the market"
    parameters = (
        Param("daily_wage", 120.0, 0.0, 10_000.0, "EUR per employee-day", "Market wage of a front-line employee", "economics"),
        Param("training_cost", 6.0, 0.0, 10_000.0, "EUR per employee-day", "Cost of full training effort (training = 1): "
              "5 % of the wage, so the default effort spends 2 % of payroll", "economics",
              "ATD State of the Industry (training spend 1-3 % of payroll) [A]"),
        Param("hiring_cost", 7000.0, 0.0, 1e6, "EUR per hire", "Recruiting and onboarding cost of a replacement: 16 % "
              "of a year's pay (120 EUR x 365 days)", "economics", "Boushey & Glynn 2012 (16 % for jobs under $30k) [A]"),
        Param("recovery_cost", 30.0, 0.0, 1e5, "EUR per recovery", "Cost of resolving one complaint: half an hour of "
              "staff time and a goodwill credit of about one unit's price", "economics", "[A: built from the wage and price]"),
        Param("retention_cost", 20.0, 0.0, 1e5, "EUR per customer-year", "Cost of keeping an active customer for a year "
              "(loyalty programme, account care)", "economics"),
        Param("onboarding_cost", 50.0, 0.0, 1e5, "EUR per customer won", "Cost of signing up a new customer (account "
              "opening, welcome offer, first visit), besides advertising", "economics"),
        Param("advertising_cost", 0.1, 0.0, 1e4, "EUR per person-day at advertising = 0.001",
              "Media cost of advertising intensity 0.001 per person in the market per day", "economics"),
    )
    results = (
        Output("market_share", "share", "Share of all active customers"),
        Output("prospects", "people", "People buying from no firm (the same for every firm's row)"),
        Output("revenue", "EUR per day", "Sales: units of served purchases x price"),
        Output("costs", "EUR per day", "Goods, wages, training, contacts, hiring, recovery, retention, onboarding, advertising"),
        Output("acquisition_spend", "EUR per day", "Spent on winning customers: advertising and onboarding"),
        Output("retention_spend", "EUR per day", "Spent on keeping customers: retention programme and complaint recovery"),
        Output("profit", "EUR per day", "Revenue - costs"),
        Output("cumulative_profit", "EUR", "Profit since day 0"),
    ) + tuple(o for o in SEGMENT_RESULTS if not o.name.endswith("_lifetime_value"))
    states = (State("cumulative_profit", "firm", "float", "EUR", "Profit since day 0", "0"),
              State("new_positions_today", "firm", "int", "positions", "Positions opened since the last accounts, as "
                    "today's accounts paid for them (the lifetime-value margin shares their hiring cost)", "0"))

    def init(self, m):
        m.cumulative_profit = np.zeros(m.n_firms)
        m.new_positions_today = np.zeros(m.n_firms, dtype=np.int64)

    def step(self, m):
        p, out, pol, e, F = m.p, m.today, m.policy, m.encounters, m.n_firms
        total = out["active"].sum()
        out["market_share"][:] = out["active"] / total if total else np.nan
        out["prospects"][:] = m.firm.size - total  # everyone not active at a firm (counted by word of mouth's survey)
        firm_of = e["firm"]
        out["revenue"][:] = np.bincount(firm_of, weights=e["sales"], minlength=F)  # served contacts only
        goods = np.bincount(firm_of, weights=e["goods"], minlength=F)
        pay = pay_per_agent(m)
        row, rows = m.store.row(), m.store.rows
        channel_cost = row[rows(per_channel("contacts"))] * channel_arrays(p)["contact_cost"][:, None]  # (channel, firm)
        contact_costs = channel_cost.sum(axis=0)
        row[rows(per_channel("cost"))] = row[rows(per_channel("staff"))] * pay + channel_cost
        won = out["acquired"] + out["won_from_rival"]
        out["acquisition_spend"][:] = won * p["onboarding_cost"] + pol["advertising"] / 0.001 * p["advertising_cost"] * p["n_customers"]
        out["retention_spend"][:] = out["active"] * p["retention_cost"] / 365 + out["recoveries"] * p["recovery_cost"]
        out["costs"][:] = (goods + out["staff"] * pay + contact_costs + (out["quits"] + m.new_positions) * p["hiring_cost"]
                           + out["retention_spend"] + out["acquisition_spend"])
        out["profit"][:] = out["revenue"] - out["costs"]
        m.new_positions_today = m.new_positions.copy()
        m.new_positions[:] = 0
        m.cumulative_profit += out["profit"]
        out["cumulative_profit"][:] = m.cumulative_profit
        S = len(SEGMENTS)
        sales = np.bincount(firm_of * S + e["segment"], weights=e["sales"], minlength=F * S).reshape(F, S)
        row[rows(per_segment("active"))] = m.segment_active.T  # customers per segment: counted by the word-of-mouth survey
        row[rows(per_segment("revenue"))] = sales.T


@functools.cache
def per_channel(measure: str) -> tuple[str, ...]:
    """The output of ``measure`` for each channel, in CHANNELS order ('phone_staff', ...)."""
    return tuple(f"{c}_{measure}" for c in CHANNELS)


@functools.cache
def per_segment(measure: str) -> tuple[str, ...]:
    """The output of ``measure`` for each segment, in SEGMENTS order ('households_active', ...)."""
    return tuple(f"{s}_{measure}" for s in SEGMENTS)


def pay_per_agent(m) -> np.ndarray:
    """What each firm pays a day for one agent at work: the wage with its premium, and training."""
    p, pol = m.p, m.policy
    return p["daily_wage"] * (1 + pol["wage_premium"]) + p["training_cost"] * pol["training"]
