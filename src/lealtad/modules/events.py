"""Today's events take effect: scheduled policy changes, and the emergency playbook of each firm
in crisis (its measures act during the crisis and as long again after it)."""

from __future__ import annotations

import numpy as np

from ..core.plan import Module
from ..events import Timeline


class Events(Module):
    name = "events"
    summary = "scheduled policy changes take effect; playbooks act for firms in crisis"

    def init(self, m):
        m.events = Timeline(m.p["events"], m.firms)

    def step(self, m):
        for changes in m.events.policy_changes(m.day):
            m.set_params(**changes)
        policy, factor = m.base_policy, np.ones(m.n_firms)
        books = m.events.playbooks(m.day)
        crisis = m.events.in_crisis(m.day) if books else None
        acting = {f: book for f, book in books.items() if crisis[f]}
        if acting:  # a playbook's measures replace its firm's own policies for today
            policy = {k: v.copy() for k, v in policy.items()}
            for f, book in acting.items():
                factor[f] = 1.0 - book["crisis_communication"]
                for measure in ("complaint_ease", "recovery"):
                    if book[measure] is not None:
                        policy[measure][f] = book[measure]
        m.policy = policy
        m.events.felt_wait_factor = factor
