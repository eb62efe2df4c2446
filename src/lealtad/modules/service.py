"""The service operation: each firm's requests queue first come, first served, at its working
staff; strikes and outages take staff out. Waiting emerges from demand against capacity."""

from __future__ import annotations

import numpy as np

from .. import chain
from ..core.plan import Module
from ..core.schema import Output, Param, State
from ..kernels import serve_fcfs
from .staffing import staffed


class Service(Module):
    name = "service"
    summary = "each firm's queue (first come, first served) at its working staff; strikes"
    parameters = (
        Param("service_minutes", 20.0, 1.0, 480.0, "minutes", "Mean service time of a fully skilled employee of neutral morale",
              "employees"),
        Param("skill_productivity", 0.5, 0.0, 0.95, "0-1", "Productivity lost by a novice compared with an expert", "employees"),
        Param("morale_productivity", 0.3, 0.0, 1.0, "0-1", "Productivity gained from morale (per unit above neutral 0.5)",
              "employees", "Harter et al. 2002"),
        Param("opening_hours", 8.0, 1.0, 24.0, "hours per day", "Working hours in a day; queues carry over to the next day",
              "employees"),
    )
    results = (
        Output("utilisation", "share", "Busy time over working time of the staff"),
        Output("wait_mean", "hours", "Mean waiting time of today's encounters"),
        Output("wait_p90", "hours", "90th percentile of today's waiting times"),
    )
    states = (State("pressure", "firm", "float", "requests per employee", "Today's waiting per working employee, "
                    "felt by the staff tomorrow (Little's law: total wait / working hours of the staff)", "0"),)

    def init(self, m):
        m.pressure = np.zeros(m.n_firms)  # waiting per working employee, felt by the staff tomorrow

    def step(self, m):
        p, d, out = m.p, m.day, m.today
        buyers = m.encounters["customer"]
        n = buyers.size
        waits, server = np.zeros(n), np.zeros(n, dtype=np.int64)
        firm_of = m.firm[buyers]
        rates = chain.service_rate(m.emp_skill, m.emp_satisfaction, 60.0 / p["service_minutes"],
                                   p["skill_productivity"], p["morale_productivity"])
        arrival = (d + m.streams.uniform("arrival", d, buyers)) * m.hours
        work = m.streams.exponential("service", d, buyers)
        apply_strikes(m)
        working = staffed(m)
        for f in range(m.n_firms):
            req = np.flatnonzero(firm_of == f)
            req = req[np.argsort(arrival[req], kind="stable")]
            pos = np.flatnonzero(m.emp_open & (m.emp_firm == f))
            free = m.emp_free_at[pos].copy()
            w, s = serve(arrival[req], work[req], rates[pos], free)
            m.emp_free_at[pos] = free
            waits[req], server[req] = w, pos[s]
            on_duty = max(1, int(np.sum(working[pos])))
            m.pressure[f] = w.sum() / (m.hours * on_duty)
            busy = np.sum(work[req] / rates[pos][s]) if req.size else 0.0
            out["utilisation"][f] = busy / (m.hours * on_duty)
            out["wait_mean"][f] = w.mean() if w.size else np.nan
            out["wait_p90"][f] = p90(w)
        m.encounters.update(firm=firm_of.astype(np.int64), wait=waits, server=server)


def apply_strikes(m):
    """Strikers are "busy" until their strike ends (an outage is the same)."""
    for f, first, last, capacity in m.events.strikes_today(m.day):
        ids = np.flatnonzero(m.emp_open & (m.emp_firm == f))
        out = ids[m.streams.uniform(f"strike/{m.firms[f]}", first, m.emp_local[ids]) >= capacity]
        m.emp_free_at[out] = np.maximum(m.emp_free_at[out], (last + 1) * m.hours)


def serve(arrivals, work, rates, free_at):
    if arrivals.size == 0 or free_at.size == 0:
        return np.full(arrivals.size, np.inf), np.zeros(arrivals.size, dtype=np.int64)
    return serve_fcfs(arrivals, work, rates, free_at)


def p90(values) -> float:
    """90th percentile by linear interpolation (numpy's quantile, without its overhead on small arrays)."""
    if values.size == 0:
        return np.nan
    x = np.sort(values)
    pos = 0.9 * (x.size - 1)
    lo = int(pos)
    return float(x[lo] + (pos - lo) * (x[min(lo + 1, x.size - 1)] - x[lo]))
