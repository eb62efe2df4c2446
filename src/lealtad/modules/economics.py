"""Loyalty drives profit: each firm's revenue, costs and profit of the day."""

from __future__ import annotations

import numpy as np

from ..core.plan import Module
from ..core.schema import Output, Param, State
from .channels import CHANNELS
from .market import PROSPECT


class Economics(Module):
    name = "economics"
    summary = "revenue, costs and profit; shares of the market"
    parameters = (
        Param("price", 15.0, 0.0, 10_000.0, "EUR per purchase", "Gross margin of one purchase", "economics"),
        Param("daily_wage", 120.0, 0.0, 10_000.0, "EUR per employee-day", "Market wage of a front-line employee", "economics"),
        Param("training_cost", 40.0, 0.0, 10_000.0, "EUR per employee-day", "Cost of full training effort (training = 1)",
              "economics"),
        Param("hiring_cost", 3000.0, 0.0, 1e6, "EUR per hire", "Recruiting and onboarding cost of a replacement", "economics"),
        Param("recovery_cost", 50.0, 0.0, 1e5, "EUR per recovery", "Cost of resolving one complaint", "economics"),
        Param("retention_cost", 20.0, 0.0, 1e5, "EUR per customer-year", "Cost of keeping an active customer for a year", "economics"),
        Param("acquisition_cost_ratio", 5.5, 0.0, 50.0, "x retention cost", "Cost of winning a customer as a multiple of retention_cost",
              "economics", "Reichheld & Sasser 1990"),
        Param("advertising_cost", 0.1, 0.0, 1e4, "EUR per person-day at advertising = 0.001",
              "Media cost of advertising intensity 0.001 per person in the market per day", "economics"),
    )
    results = (
        Output("market_share", "share", "Share of all active customers"),
        Output("prospects", "people", "People buying from no firm (the same for every firm's row)"),
        Output("revenue", "EUR per day", "Revenue (gross margin of purchases)"),
        Output("costs", "EUR per day", "Wages, training, contacts, hiring, recovery, retention, acquisition, advertising"),
        Output("profit", "EUR per day", "Revenue - costs"),
        Output("cumulative_profit", "EUR", "Profit since day 0"),
    )
    states = (State("cumulative_profit", "firm", "float", "EUR", "Profit since day 0", "0"),)

    def init(self, m):
        m.cumulative_profit = np.zeros(m.n_firms)

    def step(self, m):
        p, out, pol = m.p, m.today, m.policy
        total = out["active"].sum()
        out["market_share"][:] = out["active"] / total if total else np.nan
        out["prospects"][:] = np.count_nonzero(m.firm == PROSPECT)
        staff = out["staff"]
        out["revenue"][:] = out["encounters"] * p["price"]  # served contacts only
        pay = p["daily_wage"] * (1 + pol["wage_premium"]) + p["training_cost"] * pol["training"]  # per agent at work
        contact_costs = np.zeros(m.n_firms)
        for c in CHANNELS:
            channel_cost = out[f"{c}_contacts"] * p[f"{c}_contact_cost"]
            contact_costs += channel_cost
            out[f"{c}_cost"][:] = out[f"{c}_staff"] * pay + channel_cost
        out["costs"][:] = (staff * pay + contact_costs
                           + (out["quits"] + m.new_positions) * p["hiring_cost"]
                           + out["recoveries"] * p["recovery_cost"]
                           + out["active"] * p["retention_cost"] / 365
                           + (out["acquired"] + out["won_from_rival"]) * p["acquisition_cost_ratio"] * p["retention_cost"]
                           + pol["advertising"] / 0.001 * p["advertising_cost"] * p["n_customers"])
        out["profit"][:] = out["revenue"] - out["costs"]
        m.new_positions[:] = 0
        m.cumulative_profit += out["profit"]
        out["cumulative_profit"][:] = m.cumulative_profit
