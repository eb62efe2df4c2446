"""Link 1: leadership and the management's policies set each firm's internal service quality."""

from __future__ import annotations

from .. import chain
from ..core.plan import Module
from ..core.schema import FIRM, Output, Param

POLICIES = "policies"


class Management(Module):
    name = "management"
    summary = "internal service quality of each firm from its policies"
    parameters = (
        Param("wage_premium", 0.0, -0.3, 1.0, "fraction of market wage", "Pay above (or below) the market wage", POLICIES,
              scope=FIRM),
        Param("training", 0.4, 0.0, 1.0, "share of best practice", "Training effort: raises internal quality and speeds learning",
              POLICIES, scope=FIRM),
        Param("leadership", 0.6, 0.0, 1.0, "index 0-1", "Quality of leadership and empowerment (the base of the chain)",
              POLICIES, "Heskett et al. 1994", scope=FIRM),
    )
    results = (Output("internal_quality", "0-1", "Internal service quality set by the firm's policies"),)

    def step(self, m):
        m.isq = internal_quality(m.policy)
        m.today["internal_quality"][:] = m.isq


def internal_quality(policy):
    """Each firm's internal service quality from its policies (an array over firms)."""
    return chain.internal_service_quality(policy["leadership"], policy["training"], policy["wage_premium"])
