"""The market at day 0: who buys from which firm, and how satisfied they start.

Customers are never deleted: a person's id is their index in every customer array.
"""

from __future__ import annotations

import numpy as np

from ..core.plan import Module
from ..core.schema import FIRM, START, Param, State

PROSPECT = -1  # the firm index of a person who buys from no firm


class Market(Module):
    name = "market"
    summary = "day 0: each person's firm (or none), satisfaction and image"
    daily = False
    parameters = (
        Param("n_customers", 10_000, 10, 5_000_000, "people", "People in the market (prospects and customers of every firm)",
              "market", kind=int, effect=START),
        Param("initial_share", None, 0.0, 1.0, "share of market",
              "Share of the market buying from the firm on day 0 (default: an equal part of 60 %)", "market",
              scope=FIRM, effect=START),
        Param("initial_satisfaction", 0.8, 0.0, 1.0, "0-1", "Mean satisfaction of initial customers", "market",
              effect=START),
        Param("initial_tenure", 3.0, 0.0, 50.0, "years", "Mean time initial customers have been with their firm "
              "(exponential)", "market", effect=START),
    )
    states = (
        State("firm", "customer", "firm index", "", "The firm the person buys from", "drawn by initial_share; -1 (prospect) otherwise"),
        State("satisfaction", "customer", "float", "0-1", "Cumulative satisfaction with one's firm",
              "initial_satisfaction + N(0, 0.1), clipped; 0 for prospects"),
        State("image", "customer x firm", "float", "0-1", "One's image of each firm (the expectation)",
              "image_prior; one's own firm: the initial satisfaction"),
        State("joined", "customer", "int", "day", "Day the person last joined a firm (tenure: today - joined)",
              "initial customers: minus an exponential tenure of mean initial_tenure years; 0 for prospects"),
    )

    def init(self, m):
        p, n = m.p, m.p["n_customers"]
        ids = np.arange(n)
        u = m.streams.uniform("initial_firm", 0, ids)
        bounds = np.cumsum([p[f"{firm}.initial_share"] for firm in m.firms])
        choice = np.searchsorted(bounds, u, side="right")  # u < bounds[0]: firm 0, and so on
        m.firm = np.where(choice < m.n_firms, choice, PROSPECT).astype(np.int8)
        start = np.clip(p["initial_satisfaction"] + 0.1 * m.streams.normal("initial_satisfaction", 0, ids), 0, 1)
        active = m.firm >= 0
        m.satisfaction = np.where(active, start, 0.0)
        m.image = np.full((n, m.n_firms), p["image_prior"], order="F")  # column-major: each firm's images contiguous
        m.image[active, m.firm[active]] = start[active]
        tenure = 365 * p["initial_tenure"] * m.streams.exponential("initial_tenure", 0, ids)
        m.joined = np.where(active, -np.floor(tenure), 0).astype(np.int32)
