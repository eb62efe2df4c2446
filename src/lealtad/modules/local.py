"""Local conditions: business units differ in much besides their staff. The market is laid out in
neighbourhoods along the customers' places; each neighbourhood has its own demand (how often its
people buy), its own competition (how many rivals are near, which scales the chance to defect) and
its own expectations (how generously its people rate the same service),
and each site or team has its own manager, whose quality adds to the internal service quality its
employees feel. Harter, Schmidt & Hayes (2002) find moderate unit-level correlations between
engagement and outcomes (.33, -.30, .17) partly because of such differences: a model whose units
differ only in staff overstates them.
"""

from __future__ import annotations

import numpy as np

from ..core.plan import Module
from ..core.schema import START, Param, State
from .channels import CHANNELS

HARTER = "Harter, Schmidt & Hayes 2002 [E: units differ]; [A: spreads]"


class Local(Module):
    name = "local"
    summary = "each neighbourhood's demand and competition; each site's or team's manager"
    daily = False
    parameters = (
        Param("neighbourhoods", 32, 1, 100_000, "neighbourhoods", "Neighbourhoods the market's places fall into "
              "(each with its own demand and competition)", "market", kind=int, effect=START),
        Param("local_demand_spread", 0.3, 0.0, 2.0, "sd of log demand", "How much neighbourhoods differ in how often "
              "their people buy", "market", HARTER, effect=START),
        Param("local_competition_spread", 0.4, 0.0, 2.0, "sd of log defection", "How much neighbourhoods differ in "
              "competition nearby (which scales the chance to defect)", "market", HARTER, effect=START),
        Param("local_leniency_spread", 0.05, 0.0, 0.5, "sd, 0-1 scale", "How much neighbourhoods differ in how "
              "generously their people rate the same service (local expectations)", "market", HARTER, effect=START),
        Param("manager_spread", 0.05, 0.0, 0.5, "sd, internal quality 0-1", "How much site and team managers differ in "
              "the internal quality they add for their employees", "employees", HARTER),
    )
    states = (
        State("local_demand", "customer", "float", "x purchase rate", "Demand of the person's neighbourhood",
              "lognormal with mean 1 and local_demand_spread"),
        State("local_competition", "customer", "float", "x defection chance", "Competition in the person's "
              "neighbourhood", "lognormal with mean 1 and local_competition_spread"),
        State("local_leniency", "customer", "float", "0-1 scale", "How generously the person's neighbourhood rates "
              "service (added to their leniency)", "local_leniency_spread N(0, 1) per neighbourhood"),
    )

    def init(self, m):
        p = m.p
        hood = np.minimum((m.place * p["neighbourhoods"]).astype(np.int64), p["neighbourhoods"] - 1)
        hoods = np.arange(p["neighbourhoods"])
        m.local_demand = lognormal(p["local_demand_spread"], m.streams.normal("local_demand", 0, hoods))[hood]
        m.local_competition = lognormal(p["local_competition_spread"], m.streams.normal("local_competition", 0, hoods))[hood]
        m.local_leniency = p["local_leniency_spread"] * m.streams.normal("local_leniency", 0, hoods)[hood]
        m.manager_cache = (np.zeros(0), None, np.zeros(0))


def lognormal(sd, z):
    """exp(sd z - sd^2 / 2): spread sd on the log scale, mean 1."""
    return np.exp(sd * z - sd * sd / 2.0)


def manager_quality(m) -> np.ndarray:
    """Each position's manager effect on internal quality: one draw per firm, channel and unit (a
    unit keeps its manager while it exists), recomputed only when positions move between units."""
    units, sd, C = m.emp_unit, m.p["manager_spread"], len(CHANNELS)
    cached_units, cached_sd, effect = m.manager_cache
    if cached_sd == sd and cached_units.size == units.size and np.array_equal(cached_units, units):
        return effect
    effect = np.zeros(units.size)
    if sd > 0:
        block = m.emp_firm.astype(np.int64) * C + m.emp_channel
        for b in np.unique(block):
            mine = np.flatnonzero(block == b)
            f, c = divmod(int(b), C)
            effect[mine] = sd * m.streams.normal(f"manager/{m.firms[f]}", c, np.maximum(units[mine], 0))
    m.manager_cache = (units.copy(), sd, effect)
    return effect
