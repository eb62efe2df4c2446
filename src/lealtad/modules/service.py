"""The service operation: each unit (a site or a team of a channel) serves its queue first come,
first served, at its agents on duty; customers who wait longer than their patience abandon, and
some turn away from a long queue. Waits, abandonment and work pressure emerge from demand against
capacity; with infinite patience each unit is the M/M/c queue of Erlang C, with finite patience the
M/M/c+M queue of Erlang A (Garnett, Mandelbaum & Reiman 2002).

A contact ends on the day its wait ends (served or given up): one that is still waiting at the end of
the day (an evening email, a queue left at closing) ends on a later day. An unserved contact is a
failed moment of truth for the encounter and satisfaction modules, earns nothing, and its customer
comes back the next day, perhaps through another channel.
"""

from __future__ import annotations

import numpy as np

from ..core.plan import Module
from ..core.schema import Output, Param, State
from ..kernels import CHANNEL_MEASURES, FIRM_MEASURES, SERVED, serve_day, service_tallies
from .channels import CHANNEL_RESULTS, CHANNELS, channel_arrays, route, switch_channels
from .segments import segment_arrays
from .staffing import at_work

PER_CHANNEL = tuple(f"{c}_{k}" for k in CHANNEL_MEASURES for c in CHANNELS)  # service_tallies' per-channel rows
ROUTED = ("customer", "firm", "channel", "unit", "arrival", "work", "patience")


class Contacts:
    """A batch of contacts, one column each: its whole numbers (customer, firm, channel, unit,
    outcome, server) in one array and its times (arrival, work, patience, waits, end, service hours)
    in another, so that batches are joined and split in two numpy calls, not one per field.
    ``batch["wait"]`` is a field."""

    INTS = ("customer", "firm", "channel", "unit", "outcome", "server")
    FLOATS = ("arrival", "work", "patience", "wait", "wait_working", "ended", "hours")
    _ROW = {**{k: (0, r) for r, k in enumerate(INTS)}, **{k: (1, r) for r, k in enumerate(FLOATS)}}
    __slots__ = ("ints", "floats")

    def __init__(self, ints: np.ndarray, floats: np.ndarray):
        self.ints, self.floats = ints, floats

    @classmethod
    def empty(cls) -> "Contacts":
        return cls(np.zeros((len(cls.INTS), 0), dtype=np.int64), np.zeros((len(cls.FLOATS), 0)))

    @classmethod
    def join(cls, batches: list["Contacts"]) -> "Contacts":
        return cls(np.concatenate([b.ints for b in batches], axis=1), np.concatenate([b.floats for b in batches], axis=1))

    def __getitem__(self, field: str) -> np.ndarray:
        which, row = self._ROW[field]
        return (self.floats if which else self.ints)[row]

    def take(self, which: np.ndarray) -> "Contacts":
        """The contacts where ``which`` is true (np.compress: its rows come out contiguous, as the
        compiled loops and the random streams take them; fancy indexing's do not)."""
        return Contacts(np.compress(which, self.ints, axis=1), np.compress(which, self.floats, axis=1))


class Service(Module):
    name = "service"
    summary = "each site's or team's queue (first come, first served, impatient customers) at its agents on duty"
    parameters = (
        Param("skill_productivity", 0.5, 0.0, 0.95, "0-1", "Productivity lost by a novice compared with an expert", "employees"),
        Param("morale_productivity", 0.3, 0.0, 1.0, "0-1", "Productivity gained from morale (per unit above neutral 0.5)",
              "employees", "Harter et al. 2002"),
    )
    results = (
        Output("contacts", "per day", "Contacts that arrived today (every channel)"),
        Output("abandoned", "per day", "Contacts that gave up waiting today"),
        Output("balked", "per day", "Contacts that turned away from a long queue today"),
        Output("waiting", "contacts", "Contacts still waiting at the end of the day"),
        Output("abandonment", "share", "Share of the contacts ended today that were not served"),
        Output("service_level", "share", "Share of the contacts ended today answered within their channel's target"),
        Output("utilisation", "share", "Busy time over available time of the agents at work (every channel)"),
        Output("wait_mean", "hours", "Mean wait of today's served contacts"),
        Output("wait_p90", "hours", "90th percentile of the waits of today's served contacts"),
    ) + CHANNEL_RESULTS
    states = (
        State("pressure", "position", "float", "contacts waiting per agent", "Yesterday's overdue queue per agent at "
              "work in the position's unit (Little's law: waiting beyond the channel's tolerance / agent hours), felt today",
              "0"),
        State("busy", "position", "float", "hours", "Hours the holder served today, within opening hours "
              "(utilisation: busy over available time)", "0"),
        State("pending", "contact", "mixed", "", "Contacts whose wait ends on a later day (customer, firm, channel, "
              "unit, outcome, waits, place, end)", "none"),
    )

    def init(self, m):
        m.pressure = np.zeros(0)
        m.places = None
        m.busy = np.zeros(0)
        m.pending = Contacts.empty()

    def step(self, m):
        new = route(m, segment_arrays(m.p)["patience"])
        table = channel_arrays(m.p)
        working = at_work(m)  # the agents at work today (who serve, and whose places are kept)
        requeued = self.take_back(m, working)
        parts = [m.pending]
        resolution = table["resolution"][new["channel"]]
        if resolution.any():  # some of today's contacts are in a channel that resolves contacts without an agent
            resolved = m.streams.uniform("self_resolved", m.day, new["customer"]) < resolution
            parts.append(self_served(new, resolved))
            to_agents = {k: new[k][~resolved] for k in ROUTED}
        else:
            to_agents = {k: new[k] for k in ROUTED}
        if requeued["customer"].size:
            to_agents = {k: np.concatenate([to_agents[k], requeued[k]]) for k in ROUTED}
        parts.append(serve(m, to_agents, table, working))
        m.waiting[new["customer"]] = True
        everything = Contacts.join(parts)
        now = everything["ended"] < 24.0 * (m.day + 1)
        m.pending, today = everything.take(~now), everything.take(now)
        m.waiting[today["customer"]] = False
        record(m, new, today, table, working)
        unserved = today["customer"][today["outcome"] != SERVED]
        switch_channels(m, unserved)
        m.encounters = {"customer": today["customer"], "firm": today["firm"], "channel": today["channel"],
                        "unit": today["unit"], "served": today["outcome"] == SERVED, "wait": today["wait"],
                        "server": today["server"], "hours": today["hours"]}

    @staticmethod
    def take_back(m, working) -> dict[str, np.ndarray]:
        """Contacts promised to an agent who is not at work today (on strike, or gone) join their
        unit's queue again, keeping their arrival and patience: nobody is served by an absent agent."""
        pend = m.pending
        promised = (pend["outcome"] == SERVED) & (pend["server"] >= 0)
        if not promised.any():
            return {k: pend[k][:0] for k in ROUTED}
        back = promised & ~working[np.maximum(pend["server"], 0)]
        if not back.any():
            return {k: pend[k][:0] for k in ROUTED}
        out = {k: pend[k][back] for k in ROUTED}
        out["unit"] = np.minimum(out["unit"], m.units[out["firm"], out["channel"]] - 1)  # units may have merged
        m.pending = pend.take(~back)
        return out


class Places:
    """Where today's agents serve: each agent at work has ``concurrency`` places in the queue of its
    unit, laid out unit by unit for the compiled queue. Rebuilt only when who is at work, or the
    units, change (quits, hires, strikes, reviews), not every day."""

    def __init__(self, m, working, table):
        F, C = m.n_firms, len(CHANNELS)
        self.working, self.units = working, m.units.copy()
        per_block = m.units.reshape(-1)
        self.first_unit = np.concatenate([[0], np.cumsum(per_block)])  # unit id of (firm f, channel c, unit u)
        n_units = int(self.first_unit[-1])
        agents = np.flatnonzero(working)
        au = self.first_unit[m.emp_firm[agents].astype(np.int64) * C + m.emp_channel[agents]] + m.emp_unit[agents]
        agents, au = agents[np.argsort(au, kind="stable")], np.sort(au, kind="stable")
        conc = table["concurrency"].astype(np.int64)[m.emp_channel[agents]]
        self.position = np.repeat(agents, conc)
        self.slot = np.arange(self.position.size) - np.repeat(np.cumsum(conc) - conc, conc)  # each agent's places 0, 1, ...
        self.server_first = np.searchsorted(np.repeat(au, conc), np.arange(n_units + 1))
        self.overflow = overflow(per_block, np.bincount(au, minlength=n_units) > 0)
        channel = np.repeat(np.tile(np.arange(C), F), per_block)
        self.unit_table = [table[k][channel] for k in ("opens", "opening_hours", "asynchronous", "balk_queue")]
        self.base_rate = 60.0 / table["service_minutes"][m.emp_channel[self.position]]
        self.n_positions = m.emp_firm.size

    def current(self, m, working) -> bool:
        return (working.shape == self.working.shape and bool((working == self.working).all())
                and bool((m.units == self.units).all()))  # np.array_equal's checks cost more than the comparison here


def serve(m, contacts, table, working) -> Contacts:
    """Serve today's new contacts in every unit: one compiled pass (`kernels.serve_day`)."""
    if m.places is None or not m.places.current(m, working):
        m.places = Places(m, working, table)
    pl = m.places
    ints, floats, busy = serve_day(
        contacts["customer"], contacts["firm"], contacts["channel"], contacts["unit"], contacts["arrival"],
        contacts["work"], contacts["patience"], np.argsort(contacts["arrival"], kind="stable"), pl.first_unit,
        pl.overflow, pl.server_first, pl.position, pl.slot, pl.base_rate, *pl.unit_table, m.emp_skill,
        m.emp_satisfaction, m.emp_free_at, m.p["skill_productivity"], m.p["morale_productivity"], m.day, len(CHANNELS))
    m.busy = np.bincount(pl.position, weights=busy, minlength=m.emp_firm.size)  # each agent's busy hours today
    return Contacts(ints, floats)


def self_served(new, resolved) -> Contacts:
    """Contacts resolved without an agent (self-service, an answering machine): served on arrival,
    by nobody, in no agent's time."""
    k = int(resolved.sum())
    ints = np.stack([new["customer"][resolved], new["firm"][resolved], new["channel"][resolved], new["unit"][resolved],
                     np.full(k, SERVED, dtype=np.int64), np.full(k, -1, dtype=np.int64)])
    arrival = new["arrival"][resolved]
    floats = np.stack([arrival, new["work"][resolved], new["patience"][resolved], np.zeros(k), np.zeros(k), arrival,
                       np.zeros(k)])
    return Contacts(ints, floats)


def overflow(units_per_block, staffed_unit) -> np.ndarray:
    """For each unit, the unit of the same firm and channel whose queue its contacts join: itself
    if someone is at work there, else the next unit (in order, round) that has someone; a channel
    with nobody at work keeps its contacts where they are (and they wait or give up)."""
    target = np.arange(staffed_unit.size) - np.repeat(np.cumsum(units_per_block) - units_per_block, units_per_block)
    if staffed_unit.all():
        return target
    start = 0
    for k in units_per_block:
        have = np.flatnonzero(staffed_unit[start:start + k])
        if have.size and have.size < k:
            nxt = np.searchsorted(have, np.arange(k))
            target[start:start + k] = have[nxt % have.size]
        start += k
    return target


def record(m, new, today, table, working):
    """Today's outputs per firm (every channel) and per firm and channel, and tomorrow's pressure
    (`kernels.service_tallies`: overdue waiting, beyond what customers of the channel tolerate, per
    agent hour at work in the unit; Little's law: people waiting longer than they expect, per agent.
    A morning's pile of emails is not pressure; a queue that customers find long is)."""
    per_firm, per_channel, m.pressure = service_tallies(
        today["firm"], today["channel"], today["unit"], today["outcome"], today["wait"], today["wait_working"],
        new["firm"], new["channel"], m.pending["firm"], working, m.emp_firm, m.emp_channel, m.emp_unit, m.busy,
        table["target_wait"], table["opening_hours"], table["concurrency"], table["wait_tolerance"],
        m.places.first_unit, m.units.reshape(-1), m.places.unit_table[1], m.n_firms)
    row = m.store.row()
    row[m.store.rows(FIRM_MEASURES)] = per_firm
    row[m.store.rows(PER_CHANNEL)] = per_channel.reshape(len(PER_CHANNEL), -1)
