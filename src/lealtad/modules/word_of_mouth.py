"""Link 8: loyalty drives word of mouth. Customers take stock of their firm (commitment, the 0-10
recommend score), some talk to their contacts, and the listeners' images move with what they hear."""

from __future__ import annotations

import numpy as np

from .. import chain
from ..core.plan import Module
from ..core.schema import START, Output, Param, State
from ..kernels import listen, opinions, rules
from ..network import NETWORKS, build
from .employees import ratio
from .segments import SEGMENTS


class WordOfMouth(Module):
    name = "word_of_mouth"
    summary = "customers take stock, some talk to their contacts; listeners' images move with what they hear"
    parameters = (
        Param("network", "small_world", unit="kind", description="Social network of customers", group="network",
              choices=NETWORKS, kind=str, effect=START),
        Param("network_degree", 10, 1, 1000, "contacts", "Mean number of contacts per person", "network", kind=int, effect=START),
        Param("rewiring", 0.1, 0.0, 1.0, "probability", "Small-world rewiring probability", "network", "Watts & Strogatz 1998",
              effect=START),
        Param("network_file", "", unit="path", description="Edge list (.txt/.csv/.edgelist) or GraphML file when network=file",
              group="network", kind=str, effect=START),
        Param("talk_promoter", 0.06, 0.0, 1.0, "per day", "Chance that a promoter talks about the firm on a day", "word_of_mouth",
              "Anderson 1998"),
        Param("talk_passive", 0.01, 0.0, 1.0, "per day", "Chance that a passive customer talks about the firm on a day",
              "word_of_mouth", "Anderson 1998"),
        Param("talk_detractor", 0.1, 0.0, 1.0, "per day", "Chance that a detractor talks about the firm on a day", "word_of_mouth",
              "Anderson 1998; TARP"),
        Param("referral_growth", 1.0, -1.0, 10.0, "x talk_promoter", "Extra recommendations of a promoter who has "
              "fully grown with the firm (talks 1 + referral_growth times as often)", "word_of_mouth",
              "Reichheld & Sasser 1990, HBR 68(5) [A]"),
        Param("image_inertia", 5.0, 0.0, 1000.0, "messages", "Weight of one's current image against new messages", "word_of_mouth"),
    )
    results = (
        Output("customer_satisfaction", "0-1", "Mean cumulative satisfaction of active customers"),
        Output("nps", "points", "Net Promoter Score of active customers (% promoters - % detractors)"),
        Output("active", "customers", "Customers buying from the firm"),
        Output("recommendations", "messages per day", "Recommendations heard (promoters talking x contacts)"),
        Output("warnings", "messages per day", "Warnings heard (detractors talking x contacts)"),
    )
    states = (
        State("heard", "customer x firm x 4", "float", "messages", "Today's news about each firm: valence sum, messages, "
              "recommendations, warnings (filled by the network, which knows whose rows are not zero: to plant news, "
              "assign a new array)", "0"),
        State("segment_active", "firm x segment", "int", "customers", "Today's active customers per firm and segment "
              "(counted in the same pass over everyone)", "0"),
    )

    def init(self, m):
        p = m.p
        m.network = build(p["network"], p["n_customers"], p["network_degree"], p["rewiring"], m.seed, p["network_file"])
        m.heard = np.zeros((p["n_customers"], m.n_firms, 4))
        m.segment_active = np.zeros((m.n_firms, len(SEGMENTS)), dtype=np.int64)

    def step(self, m):
        """One pass over everyone, one over the talkers' ties, one over the listeners (compiled loops)."""
        p, out = m.p, m.today
        tally, satisfaction_sum, reach, speakers, firms, messages, m.segment_active = opinions(
            m.firm, m.satisfaction, m.failure_memory, p["failure_weight"],
            rules.talk_probability(p["talk_promoter"], p["talk_passive"], p["talk_detractor"]),
            np.uint64(m.streams.key("talk")), np.uint64(m.day), m.network.degree, m.n_firms,
            m.joined, p["referral_growth"], p["growth_years"], m.segment, len(SEGMENTS))
        out["active"][:] = tally.sum(axis=1)
        out["customer_satisfaction"][:] = ratio(satisfaction_sum, out["active"])
        out["nps"][:] = chain.nps(tally)
        out["recommendations"][:], out["warnings"][:] = reach[:, 0], reach[:, 1]
        listeners = m.network.tell(speakers, firms, messages, m.heard)
        listen(m.image, m.heard, p["image_inertia"], listeners)
