"""Link 6: service value drives customer satisfaction (expectation-disconfirmation: the value of the
encounter, its quality for the price paid, against the image of the firm), with complaints and
service recovery; customers remember satisfaction, failures and what to expect."""

from __future__ import annotations

import numpy as np

from ..core.plan import Module
from ..core.schema import FIRM, Output, Param, State
from ..kernels import satisfy
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
        p, e, out = m.p, m.encounters, m.today
        buyers = e["customer"]
        # one compiled pass (kernels.satisfy): satisfaction against the image of the firm; few of the
        # dissatisfied complain (TARP), some complaints are recovered; memory of satisfaction, failures
        # and one's image; an unserved contact may be tried again tomorrow, otherwise at the next need
        expectation, s, complained, recovered, counts = satisfy(
            buyers, e["firm"], e["value"], e["quality"], e["failed"], e["served"], purchase_gaps(m, buyers, m.day),
            m.image, m.satisfaction, m.failure_memory, m.joined, m.purchases, m.next_purchase,
            m.policy["complaint_ease"], m.policy["recovery"], m.streams.keys(("complain", "recover", "retry")), m.day,
            p["gain_sensitivity"], p["loss_sensitivity"], p["recovery_boost"], p["satisfaction_memory"],
            p["expectation_learning"], 1.0 - p["failure_forgetting"], p["retry"], m.n_firms)
        out["dissatisfied"][:], out["complaints"][:], out["recoveries"][:] = counts
        e.update(expectation=expectation, satisfaction=s, complained=complained, recovered=recovered)
