"""Link 7: customer satisfaction drives loyalty. After a purchase a customer may defect (the zones
of Jones & Sasser 1995, more often where rivals are near, and for a price felt unfair); a defector chooses among the other firms or leaving the market by a
multinomial logit on image (McFadden 1974)."""

from __future__ import annotations

import numpy as np

from .. import chain
from ..core.plan import Module
from ..core.schema import Output, Param
from ..kernels import rules
from .market import PROSPECT


class Loyalty(Module):
    name = "loyalty"
    summary = "defection after a purchase; a defector switches to another firm or leaves the market"
    parameters = (
        Param("churn_max", 0.1, 0.0, 1.0, "per purchase", "Chance of defecting after a contact, deep in the zone of defection",
              "customers", "Jones & Sasser 1995; calibrated to a yearly defection near 25 % (Reichheld & Sasser 1990: "
              "10-30 %)"),
        Param("churn_midpoint", 0.35, 0.0, 1.0, "commitment 0-1", "Commitment at which the defection chance is half its maximum",
              "customers", "Jones & Sasser 1995"),
        Param("churn_width", 0.11, 0.01, 1.0, "commitment 0-1", "Width of the zone of indifference (steepness of loyalty)",
              "customers", "Jones & Sasser 1995"),
        Param("failure_weight", 0.15, 0.0, 1.0, "commitment per failure", "Commitment lost per remembered service failure",
              "customers", "de Matos et al. 2007"),
        Param("choice_noise", 0.0, 0.0, 1.0, "image units (logit scale)",
              "How blurred a defector's choice among the other firms and leaving is: 0 picks the best option, "
              "larger values a multinomial logit with scale choice_noise", "customers", "McFadden 1974"),
    )
    results = (
        Output("won_from_rival", "per day", "Customers who switched in from another firm"),
        Output("lost_to_rival", "per day", "Customers who switched to another firm"),
        Output("exits", "per day", "Customers who left the market (back to prospects)"),
    )

    def step(self, m):
        p, d, out, F, e = m.p, m.day, m.today, m.n_firms, m.encounters
        buyers, f = e["customer"], e["firm"]
        c = m.commitment(buyers)
        defect = m.streams.uniform("defect", d, buyers) < rules.exit_probability(
            chain.defection_probability(c, p["churn_max"], p["churn_midpoint"], p["churn_width"]),
            e["penalty"], p["price_exit"], m.local_competition[buyers])
        leavers, lf = buyers[defect], f[defect]
        target = choose(m, leavers, lf, c[defect])
        switch = target >= 0
        m.firm[leavers] = target.astype(np.int8)
        movers, into = leavers[switch], target[switch]
        m.satisfaction[movers] = m.image[movers, into]
        m.failure_memory[movers] = 0.0
        m.joined[movers] = d
        m.satisfaction[leavers[~switch]] = 0.0
        e.update(defected=defect)
        out["lost_to_rival"][:] = np.bincount(lf[switch], minlength=F)
        out["won_from_rival"][:] = np.bincount(into, minlength=F)
        out["exits"][:] = np.bincount(lf[~switch], minlength=F)


def choose(m, leavers, current, commitment):
    """Where each defector goes: another firm's index, or PROSPECT (leaves the market).

    The options are every other firm, valued at one's image of it, and leaving, valued at one's
    commitment (what one still holds for the known firm). The choice is a multinomial logit with
    scale ``choice_noise`` (McFadden 1974), drawn as the best option after adding Gumbel noise to
    each value (the Gumbel-max form of the logit); each option's noise has its own stream, keyed by
    the firm's name, so adding or changing a firm leaves the others' draws alone. With noise 0 this
    is the best option (firms tied at the best image are chosen between at random); with two firms
    it is "switch if the rival's image beats my commitment".
    """
    rows = np.arange(leavers.size)
    values = m.image[leavers].copy()  # (leavers, firms)
    noise = m.p["choice_noise"]
    draws = [m.streams.uniform(f"choice/{name}", m.day, leavers) for name in m.firms] if m.n_firms > 2 or noise > 0 else []
    if noise > 0:
        for g, u in enumerate(draws):
            values[:, g] += noise * _gumbel(u)
        commitment = commitment + noise * _gumbel(m.streams.uniform("choice/leave", m.day, leavers))
    values[rows, current] = -np.inf  # not the firm one is leaving
    best = np.argmax(values, axis=1)
    if m.n_firms > 2:  # equal images (firms one has never heard of) tie: break ties by a draw, not by order
        tied = values == values[rows, best][:, None]
        best = np.argmax(np.where(tied, np.column_stack(draws), -1.0), axis=1)
    return np.where(values[rows, best] > commitment, best, PROSPECT)


def _gumbel(u):
    return -np.log(-np.log(u))
