"""Customers who grow, and the price they pay. Each served contact is a purchase: its units grow
with the customer's tenure and commitment, and the price, judged against a reference price, sets
the value the customer sees in the encounter (quality for the price paid).

Reichheld & Sasser (1990) name the sources of a retained customer's growing profit: base profit,
more purchases, a lower cost to serve, referrals and a price premium. Here the purchases grow
(`chain.units_bought`), the cost to serve falls (`chain.service_effort`, applied to each contact's
work when it is routed), committed customers refer more (the word-of-mouth module's
``referral_growth``) and grown customers mind the price less (`chain.price_penalty`). Every one of
these can be switched off or turned round (Reinartz & Kumar 2000: long-life customers are not always
the profitable ones), with other values of the same parameters.
"""

from __future__ import annotations

import numpy as np

from ..core.plan import Module
from ..core.schema import FIRM, Param
from ..kernels import purchases
from .management import POLICIES
from .segments import segment_arrays

RS = "Reichheld & Sasser 1990, HBR 68(5) [A]"


class Purchase(Module):
    name = "purchase"
    summary = "what each served contact buys (growing with tenure and commitment) and the value its price leaves"
    parameters = (
        Param("price", 25.0, 0.0, 10_000.0, "EUR per unit", "Price of one unit", POLICIES,
              "Kalyanaram & Winer 1995", scope=FIRM),
        Param("price_clarity", 1.0, 0.0, 1.0, "0-1", "How clear the firm's prices are (1: nothing to puzzle over)",
              POLICIES, "Xia, Monroe & Cox 2004", scope=FIRM),
        Param("reference_price", 25.0, 0.01, 10_000.0, "EUR per unit", "Price customers think fair for one unit "
              "(their reference)", "economics", "Kalyanaram & Winer 1995"),
        Param("unit_cost", 10.0, 0.0, 10_000.0, "EUR per unit", "Cost of the goods in one unit sold", "economics"),
        Param("price_gain_share", 0.5, 0.0, 1.0, "share", "How much a price below the reference helps, as a share of "
              "how much the same gap above it hurts (loss aversion)", "customers", "Kalyanaram & Winer 1995 [E]"),
        Param("price_confusion", 0.2, 0.0, 1.0, "value 0-1", "Value an encounter loses when prices are wholly unclear",
              "customers", "Xia, Monroe & Cox 2004 [S]"),
        Param("price_exit", 0.2, 0.0, 5.0, "per unit of price penalty", "Chance of leaving after a purchase per unit of "
              "value the price took (price as a reason to leave)", "customers", "Xia, Monroe & Cox 2004 [S]"),
        Param("growth_years", 5.0, 0.0, 50.0, "years", "Years with the firm after which a customer has fully grown",
              "customers", RS),
        Param("spend_growth", 0.5, -1.0, 5.0, "share of the basket", "Extra units a fully grown customer buys per "
              "purchase (negative: buys less with tenure)", "customers", RS),
        Param("commitment_spend", 0.4, -2.0, 2.0, "share of the basket per unit commitment", "Extra units per "
              "purchase per unit of commitment above a neutral 0.5", "customers", RS),
        Param("experience_saving", 0.3, -1.0, 0.9, "share of the work", "Service work a fully grown customer saves "
              "(knows the product and the firm; negative: needs more)", "customers", RS),
        Param("price_premium", 0.4, -2.0, 1.0, "share of price sensitivity", "Price sensitivity a fully grown customer "
              "has lost (accepts a premium; negative: expects discounts, Reinartz & Kumar 2002)", "customers", RS),
    )

    def step(self, m):
        p, e = m.p, m.encounters
        seg = segment_arrays(p)
        segment = m.segment[e["customer"]]
        units, sales, goods, penalty, value = purchases(
            e["customer"], e["firm"], e["served"], e["quality"], segment, m.joined, m.satisfaction, m.failure_memory,
            p["failure_weight"], m.day, seg["basket"], seg["price_sensitivity"], m.policy["price"],
            m.policy["price_clarity"], p["reference_price"], p["unit_cost"], p["growth_years"], p["spend_growth"],
            p["commitment_spend"], p["price_premium"], p["price_gain_share"], p["price_confusion"])
        e.update(segment=segment, units=units, sales=sales, goods=goods, penalty=penalty, value=value)
