"""Link 8 (growth) and the day's demand: prospects adopt a firm (advertising and word of mouth,
Bass 1969 on a network), and customers come to buy."""

from __future__ import annotations

import numpy as np

from ..core.plan import Module
from ..core.schema import FIRM, Output, Param, State
from .management import POLICIES
from ..kernels import adopt, due_customers
from .segments import segment_arrays


class Demand(Module):
    name = "demand"
    summary = "prospects adopt a firm (advertising, word of mouth); customers come to buy; surges"
    parameters = (
        Param("purchase_rate", 1 / 14, 0.001, 1.0, "per day", "Chance that an active customer buys (has an encounter) on a day",
              "market"),
        Param("advertising", 0.0005, 0.0, 0.2, "per day", "Daily chance that advertising wins a prospect (Bass p)", POLICIES,
              "Bass 1969", scope=FIRM),
        Param("wom_effect", 0.02, 0.0, 1.0, "per day", "Adoption chance from a fully recommending neighbourhood (Bass q)",
              "word_of_mouth", "Bass 1969"),
        Param("warning_effect", 1.0, 0.0, 5.0, "relative to a recommendation", "Deterrence of a warning relative to a recommendation",
              "word_of_mouth"),
        Param("image_attraction", 1.0, 0.0, 5.0, "elasticity", "How strongly a prospect's image of a firm scales its chance to adopt it",
              "word_of_mouth"),
    )
    results = (Output("acquired", "per day", "Prospects who became customers"),)
    states = (
        State("next_purchase", "customer", "int", "day", "Day of the person's next purchase",
              "geometric gap with purchase_rate, minus one"),
    )

    def init(self, m):
        m.next_purchase = purchase_gaps(m, np.arange(m.p["n_customers"]), -1).astype(np.int32) - 1

    def step(self, m):
        p, d, F = m.p, m.day, m.n_firms
        # one compiled pass over the prospects: each firm's hazard (chain.adoption_hazard), then one
        # draw that picks a firm in proportion to the hazards (if several are sure, the odds split)
        adopters, chosen = adopt(m.firm, m.heard, m.network.has_news(m.heard), m.image, m.network.degree,
                                 m.policy["advertising"], p["wom_effect"], p["warning_effect"], p["image_prior"],
                                 p["image_attraction"], np.uint64(m.streams.key("adopt")), np.uint64(d))
        adopted = chosen.astype(np.int8)
        m.firm[adopters] = adopted
        m.satisfaction[adopters] = m.image[adopters, adopted]
        m.failure_memory[adopters] = 0.0
        m.joined[adopters] = d
        m.next_purchase[adopters] = d
        m.today["acquired"][:] = np.bincount(adopted, minlength=F)
        m.demand_today = due_customers(m.next_purchase, m.firm, d)
        surges = list(m.events.surges_today(d))
        if surges:  # extra demand at the firm in a surge
            due = np.zeros(m.firm.size, dtype=bool)
            due[m.demand_today] = True
            for f, factor in surges:
                theirs = np.flatnonzero((m.firm == f) & ~due)
                extra = m.streams.uniform("surge", d, theirs) < (factor - 1) * purchase_rates(m, theirs)
                due[theirs[extra]] = True
            m.demand_today = np.flatnonzero(due)


def purchase_rates(m, ids):
    """Each person's daily chance to buy: the market's rate, times their segment's frequency and
    their neighbourhood's demand (at most 1)."""
    frequency = segment_arrays(m.p)["frequency"][m.segment[ids]]
    return np.minimum(m.p["purchase_rate"] * frequency * m.local_demand[ids], 1.0)


def purchase_gaps(m, ids, counter):
    """Days until the next purchase: geometric with the person's daily purchase rate."""
    log_stay, every_day = gap_table(m)
    u = m.streams.uniform("purchase_gap", counter, ids)
    with np.errstate(divide="ignore"):  # a rate of 0: never again (capped below)
        gaps = 1 + np.floor(np.log(u) / log_stay[ids])
    return np.where(every_day[ids], 1, np.minimum(gaps, 10**9)).astype(np.int64)


def gap_table(m):
    """Each person's log(1 - daily purchase rate) and whether they buy every day: fixed while the
    parameters are (computed once, not for each day's buyers)."""
    cached = getattr(m, "_gap_table", None)
    if cached is None or cached[0] is not m.p:
        r = purchase_rates(m, np.arange(m.segment.size))
        log_stay = np.log1p(-np.minimum(r, 1 - 1e-12))
        cached = m._gap_table = (m.p, log_stay, r >= 1)
    return cached[1:]
