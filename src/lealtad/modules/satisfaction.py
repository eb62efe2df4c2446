"""Link 6: service value drives customer satisfaction (expectation-disconfirmation: the value of the
encounter, its quality for the price paid, against the image of the firm), with complaints and
service recovery; customers remember satisfaction, failures and what to expect."""

from __future__ import annotations

import numpy as np

from .. import chain
from ..core.plan import Module
from ..core.schema import FIRM, Output, Param, State
from ..kernels import rules
from .demand import purchase_gaps
from .management import POLICIES


class Satisfaction(Module):
    name = "satisfaction"
    summary = "satisfaction against expectation; complaints and recovery; memory of satisfaction, failures, image"
    parameters = (
        Param("complaint_ease", 0.04, 0.0, 1.0, "probability",
              "Chance that a dissatisfied customer complains (easy channels raise it)", POLICIES, "TARP/Goodman 1979-86",
              scope=FIRM),
        Param("recovery", 0.3, 0.0, 1.0, "probability", "Chance that a complaint is resolved well (service recovery)", POLICIES,
              "de Matos et al. 2007", scope=FIRM),
        Param("gain_sensitivity", 1.0, 0.0, 2.0, "per unit disconfirmation", "Satisfaction gained per unit of positive surprise",
              "customers", "Oliver 1980; Mittal et al. 1998"),
        Param("loss_sensitivity", 2.0, 0.0, 3.0, "per unit disconfirmation", "Satisfaction lost per unit of negative surprise",
              "customers", "Oliver 1980; Mittal et al. 1998"),
        Param("satisfaction_memory", 0.3, 0.01, 1.0, "weight", "Weight of the latest encounter in cumulative satisfaction",
              "customers"),
        Param("expectation_learning", 0.3, 0.0, 1.0, "weight", "Weight of the latest encounter in one's image of the firm",
              "customers"),
        Param("failure_forgetting", 0.01, 0.0, 1.0, "per day", "Rate at which failures are forgotten", "customers"),
        Param("recovery_boost", 0.15, 0.0, 1.0, "0-1", "How far a good recovery lifts satisfaction above expectation (first failure)",
              "customers", "Maxham & Netemeyer 2002"),
    )
    results = (
        Output("dissatisfied", "per day", "Encounters that left the customer dissatisfied (score 0-6)"),
        Output("complaints", "per day", "Dissatisfied customers who complained"),
        Output("recoveries", "per day", "Complaints resolved well"),
    )
    states = (
        State("failure_memory", "customer", "float", "failures", "Remembered service failures (fading)", "0"),
        State("purchases", "customer", "int", "", "Contacts served so far", "0"),
    )

    def init(self, m):
        n = m.p["n_customers"]
        m.failure_memory = np.zeros(n)
        m.purchases = np.zeros(n, dtype=np.int32)

    def step(self, m):
        p, d, out, F, e = m.p, m.day, m.today, m.n_firms, m.encounters
        buyers, f, quality = e["customer"], e["firm"], e["quality"]
        expectation = m.image[buyers, f]  # of the service: the value for the price is judged against it
        s = rules.transaction_satisfaction(e["value"], expectation, p["gain_sensitivity"], p["loss_sensitivity"])
        first_failure = m.failure_memory[buyers] < 0.5
        # complaints and recovery: few dissatisfied customers complain (TARP)
        dissatisfied = rules.recommend_score(s) <= chain.DETRACTOR
        complained = dissatisfied & (m.streams.uniform("complain", d, buyers) < m.policy["complaint_ease"][f])
        recovered = complained & (m.streams.uniform("recover", d, buyers) < m.policy["recovery"][f])
        s = np.where(recovered, np.maximum(s, rules.recovered_satisfaction(expectation, first_failure, p["recovery_boost"])), s)
        out["dissatisfied"][:] = np.bincount(f[dissatisfied], minlength=F)
        out["complaints"][:] = np.bincount(f[complained], minlength=F)
        out["recoveries"][:] = np.bincount(f[recovered], minlength=F)
        # memory: satisfaction, failures and one's image of the firm
        new = m.joined[buyers] == d
        m.satisfaction[buyers] = np.where(new, s, rules.cumulative(m.satisfaction[buyers], s, p["satisfaction_memory"]))
        m.failure_memory *= 1.0 - p["failure_forgetting"]
        m.failure_memory[buyers] += e["failed"]
        m.image[buyers, f] = rules.cumulative(expectation, quality, p["expectation_learning"])
        served = e["served"]
        m.purchases[buyers[served]] += 1
        # a customer whose contact went unserved may try again tomorrow; otherwise at the next need
        retry = ~served & (m.streams.uniform("retry", d, buyers) < p["retry"])
        m.next_purchase[buyers] = np.where(retry, d + 1, d + purchase_gaps(m, buyers, d))
        e.update(expectation=expectation, satisfaction=s, complained=complained, recovered=recovered)
