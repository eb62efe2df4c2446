"""Link 5: the moment of truth. Each contact that ended today is an encounter whose quality the
customer perceives on SERVQUAL's five dimensions, from the employee who served it and the wait
(against what customers expect in its channel). A contact that was not served is a failure with
nobody met: reliability, assurance and empathy score 0, responsiveness counts the time given up. A
contact resolved without an agent (self-service) takes its assurance and empathy from the firm's
tangibles."""

from __future__ import annotations

import numpy as np

from .. import chain
from ..core.plan import Module
from ..core.schema import FIRM, START, Output, Param, State
from ..kernels import group_mean, meet
from .channels import channel_arrays
from .management import POLICIES

WEIGHTS = ("reliability", "responsiveness", "assurance", "empathy", "tangibles")


class Encounter(Module):
    name = "encounter"
    summary = "value of each moment of truth: failures, waits felt, perceived quality"
    parameters = (
        Param("tangibles", 0.7, 0.0, 1.0, "index 0-1", "Facilities, tools and appearance (SERVQUAL tangibles)", POLICIES,
              scope=FIRM),
        Param("failure_rate", 0.03, 0.0, 1.0, "probability", "Chance that an expert's service fails (reliability)", "encounter"),
        Param("novice_failure_rate", 0.15, 0.0, 1.0, "probability", "Extra failure chance of a complete novice", "encounter"),
        Param("encounter_noise", 0.1, 0.0, 0.5, "sd, 0-1 scale", "Idiosyncratic variation in perceived quality", "encounter"),
        Param("weight_reliability", 0.30, 0.0, 1.0, "weight", "Weight of reliability (resolution without failure)", "encounter",
              "Parasuraman et al. 1988"),
        Param("weight_responsiveness", 0.25, 0.0, 1.0, "weight", "Weight of responsiveness (short waits)", "encounter",
              "Parasuraman et al. 1988"),
        Param("weight_assurance", 0.15, 0.0, 1.0, "weight", "Weight of assurance (the employee's competence)", "encounter",
              "Parasuraman et al. 1988"),
        Param("weight_empathy", 0.20, 0.0, 1.0, "weight", "Weight of empathy (the employee's attitude)", "encounter",
              "Parasuraman et al. 1988"),
        Param("weight_tangibles", 0.10, 0.0, 1.0, "weight", "Weight of tangibles (facilities)", "encounter", "Parasuraman et al. 1988"),
        Param("customer_heterogeneity", 0.1, 0.0, 0.5, "sd, 0-1 scale",
              "Spread of customers' lasting leniency: some rate the same service higher than others", "customers",
              "Mittal & Kamakura 2001", effect=START),
    )
    results = (
        Output("encounters", "per day", "Contacts served today (purchases)"),
        Output("failures", "per day", "Served contacts whose service failed"),
        Output("service_quality", "0-1", "Mean perceived quality of today's contacts (served or not)"),
    )
    states = (
        State("leniency", "customer", "float", "0-1 scale", "Lasting leniency (personal and the neighbourhood's) added "
              "to every perceived quality", "customer_heterogeneity N(0, 1) + local_leniency"),
        State("last_quality", "customer", "float", "0-1", "Quality perceived at one's last encounter", "NaN"),
        State("last_wait", "customer", "float", "hours", "Wait at one's last contact (served or not)", "NaN"),
    )

    def init(self, m):
        n = m.p["n_customers"]
        m.leniency = m.p["customer_heterogeneity"] * m.streams.normal("leniency", 0, np.arange(n)) + m.local_leniency
        m.last_quality = np.full(n, np.nan)
        m.last_wait = np.full(n, np.nan)

    def step(self, m):
        p, d, out, F, e = m.p, m.day, m.today, m.n_firms, m.encounters
        buyers, firm_of, waits = e["customer"], e["firm"], e["wait"]
        # who each contact met, and failures (kernels.meet); explained waits feel shorter (the playbook)
        skill, attitude, failed, felt_wait, tolerance, tangibles, counts = meet(
            firm_of, e["channel"], e["served"], e["server"], waits, m.emp_skill, m.emp_satisfaction,
            m.policy["tangibles"], m.events.felt_wait_factor, channel_arrays(p)["wait_tolerance"], buyers,
            np.uint64(m.streams.key("failure")), d, p["failure_rate"], p["novice_failure_rate"], F)
        weights = {k: p[f"weight_{k}"] for k in WEIGHTS}
        noise = m.leniency[buyers] + p["encounter_noise"] * m.streams.normal("perception", d, buyers)
        quality = chain.encounter_quality(failed.astype(float), felt_wait, skill, attitude, tangibles, noise, weights,
                                          tolerance)
        m.last_quality[buyers], m.last_wait[buyers] = quality, waits
        e.update(failed=failed, quality=quality)
        out["encounters"][:], out["failures"][:] = counts
        out["service_quality"][:] = group_mean(quality, firm_of, F)
