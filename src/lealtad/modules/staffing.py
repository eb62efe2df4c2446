"""Capacity planning: each firm serves each channel in units (sites for the in-person channel,
teams for the others), one for every ``unit_customers`` customers who use the channel, and staffs
each unit in proportion to its customers. A larger firm has more units of the same size, not
bigger queues: per-capita service does not depend on the size of the market.

A staffing review plans for the customers expected when new hires arrive: today's users of the
channel plus their growth since the last review, carried forward over the review interval and the
hiring delay (firms staff up for growth; they do not cut ahead of a decline); each unit gets
ceil(ratio x expected users per unit / 1000) agents, at least one while the ratio is positive and
the channel has users.

Positions are never deleted (an id is an index): a closed position stays in the arrays, out of
service. Each position also has a number within its firm (``emp_local``), which keys its random
draws, so that one firm's staffing never changes another firm's employees.
"""

from __future__ import annotations

import math

import numpy as np

from ..core.plan import Module
from ..core.schema import Param, State
from ..kernels import position_uniform
from .channels import CHANNELS
from .management import internal_quality


class Staffing(Module):
    name = "staffing"
    summary = "staffing reviews: open or close positions to match the staffing ratio"
    parameters = (
        Param("hiring_delay", 14, 0, 365, "days", "Days a position stays empty after a quit, or after it is created",
              "employees", kind=int),
        Param("staffing_review", 30, 1, 3650, "days", "Days between reviews that match staff to the customer base",
              "employees", kind=int),
    )
    states = (
        State("emp_firm", "position", "firm index", "", "The firm the position belongs to", "by firm, in firm order"),
        State("emp_channel", "position", "channel index", "", "The channel the position serves", "by channel"),
        State("emp_unit", "position", "int", "", "The site or team of its channel the position works in", "spread evenly"),
        State("emp_local", "position", "int", "", "The position's number within its firm (keys its random draws)", "0, 1, ..."),
        State("emp_open", "position", "bool", "", "Whether the position exists (closed positions are kept, out of service)", "true"),
        State("emp_vacant_until", "position", "int", "day", "Day the holder starts (vacant before)", "-1 (filled)"),
        State("emp_hired_day", "position", "int", "day", "Day the current holder started", "0"),
        State("emp_hires", "position", "int", "", "Holders so far", "1"),
        State("emp_free_at", "position x concurrency", "float", "working hours of its channel",
              "When each of the holder's places (one per concurrent contact) is next free", "0"),
        State("emp_striking", "position", "bool", "", "Whether the holder is on strike today", "false"),
        State("new_positions", "firm", "int", "positions", "Positions opened since the last accounts (each costs a hire)", "0"),
        State("positions_made", "firm", "int", "positions", "Positions the firm has ever opened (numbers them)",
              "the initial staff"),
        State("units", "firm x channel", "int", "units", "Sites (in person) or teams each firm runs in each channel", "1+"),
        State("users_at_review", "firm x channel", "int", "customers", "Users of the channel at the last review "
              "(their growth since is carried forward)", "the day-0 users"),
    )

    def init(self, m):
        m.emp_firm = np.zeros(0, dtype=np.int8)
        m.emp_channel = np.zeros(0, dtype=np.int8)
        m.emp_unit = np.zeros(0, dtype=np.int32)
        m.emp_local = np.zeros(0, dtype=np.int64)
        for name in ("satisfaction", "skill", "disposition"):
            setattr(m, f"emp_{name}", np.zeros(0))
        m.concurrency = max(int(m.p[f"{c}_concurrency"]) for c in CHANNELS)
        m.emp_free_at = np.zeros((0, m.concurrency))
        for name in ("vacant_until", "hired_day", "hires"):
            setattr(m, f"emp_{name}", np.zeros(0, dtype=np.int64))
        m.emp_open = np.zeros(0, dtype=bool)
        m.emp_striking = np.zeros(0, dtype=bool)
        m.new_positions = np.zeros(m.n_firms)  # positions created since the last accounts (each costs a hire)
        m.positions_made = np.zeros(m.n_firms, dtype=np.int64)
        m.units = np.ones((m.n_firms, len(CHANNELS)), dtype=np.int64)
        m.users_at_review = users(m)
        for f in range(m.n_firms):
            for c in range(len(CHANNELS)):
                units, per_unit = unit_plan(m, f, c)
                add_positions(m, f, c, units * per_unit, initial=True)
                assign_units(m, f, c, units, per_unit)

    def step(self, m):
        d = m.day
        if d > 0 and d % m.p["staffing_review"] == 0:
            for f in range(m.n_firms):
                review(m, f)
            m.users_at_review = users(m)
        m.emp_striking = striking(m)


def users(m) -> np.ndarray:
    """Customers of each firm (rows) who use each channel (columns)."""
    active = m.firm >= 0
    F, C = m.n_firms, len(CHANNELS)
    return np.bincount(m.firm[active].astype(np.int64) * C + m.channel[active], minlength=F * C).reshape(F, C)


def position_draws(m, name: str, counter: int, positions: np.ndarray) -> np.ndarray:
    """One U(0,1) per employee position, from the stream ``name/FIRM`` of each position's firm, keyed
    by its number within that firm: one firm's staffing never moves another firm's draws."""
    keys = m.streams.keys(tuple(f"{name}/{firm}" for firm in m.firms))
    return position_uniform(keys, m.emp_firm, m.emp_local, positions, np.uint64(int(counter) & 2**64 - 1))


def unit_plan(m, f: int, c: int, now=None) -> tuple[int, int]:
    """(units, agents per unit) of channel ``c`` at firm ``f``: one unit (site or team) for every
    ``unit_customers`` users (at least one), each staffed by the channel's ratio for the users
    expected when hires arrive (at least one agent while the ratio is positive and anyone uses it)."""
    now = users(m) if now is None else now
    name = CHANNELS[c]
    n, before = now[f, c], m.users_at_review[f, c]
    units = max(1, round(n / m.p[f"{name}_unit_customers"]))
    horizon = (m.p["staffing_review"] + m.p["hiring_delay"]) / m.p["staffing_review"]
    expected = n + max(0, n - before) * horizon
    ratio = m.policy[f"{name}_staff_per_1000"][f]
    if ratio <= 0 or expected <= 0:
        return units, 0
    return units, max(1, math.ceil(ratio * expected / units / 1000 - 1e-9))


def review(m, f: int):
    """Staffing review of firm ``f``: in each channel, run the units the users need and open
    positions (vacant while hiring) or close them (vacant ones first, then the most recent hires)
    so that each unit has its agents."""
    now = users(m)
    for c in range(len(CHANNELS)):
        units, per_unit = unit_plan(m, f, c, now)
        target = units * per_unit
        open_ids = np.flatnonzero(m.emp_open & (m.emp_firm == f) & (m.emp_channel == c))
        if target > open_ids.size:
            m.new_positions[f] += target - open_ids.size
            add_positions(m, f, c, target - open_ids.size)
        elif target < open_ids.size:
            order = np.lexsort((-m.emp_hired_day[open_ids], ~vacant(m)[open_ids]))
            closed = open_ids[order[:open_ids.size - target]]
            m.emp_open[closed] = False
        assign_units(m, f, c, units, per_unit)


def assign_units(m, f: int, c: int, units: int, per_unit: int):
    """Spread the channel's open positions over its units, ``per_unit`` each; a position stays in
    its unit while that unit has room (it moves only when units open or close)."""
    m.units[f, c] = units
    ids = np.flatnonzero(m.emp_open & (m.emp_firm == f) & (m.emp_channel == c))
    room = np.full(units, per_unit)
    homeless = []
    for i in ids:
        u = m.emp_unit[i]
        if 0 <= u < units and room[u] > 0:
            room[u] -= 1
        else:
            homeless.append(i)
    if homeless:
        m.emp_unit[homeless] = np.repeat(np.arange(units), room)[:len(homeless)]


def vacant(m) -> np.ndarray:
    return m.emp_vacant_until > m.day


def staffed(m) -> np.ndarray:
    """Positions open and filled today."""
    return m.emp_open & ~vacant(m)


def at_work(m) -> np.ndarray:
    """Positions open, filled and not on strike today: the staff who serve (and are paid)."""
    return staffed(m) & ~m.emp_striking


def striking(m) -> np.ndarray:
    """Holders on strike today: a strike (or outage) at a firm takes out the positions whose draw,
    made once on the strike's first day, is at or above its capacity, for the whole strike."""
    out = np.zeros(m.emp_firm.size, dtype=bool)
    for f, first, _last, capacity in m.events.strikes_today(m.day):
        ids = np.flatnonzero(m.emp_open & (m.emp_firm == f))
        out[ids[m.streams.uniform(f"strike/{m.firms[f]}", first, m.emp_local[ids]) >= capacity]] = True
    return out


def add_positions(m, f: int, c: int, k: int, initial: bool = False):
    """Open ``k`` positions of channel ``c`` at firm ``f``: initial staff are experienced, later ones
    are new hires (their unit is set by `assign_units`)."""
    from ..agents import Employee

    p, firm = m.p, m.firms[f]
    start = m.emp_firm.size
    ids = np.arange(start, start + k)
    local = m.positions_made[f] + np.arange(k)
    m.positions_made[f] += k
    disposition = p["employee_heterogeneity"] * m.streams.normal(f"disposition/{firm}", m.day, local)
    if initial:
        skill = p["new_hire_skill"] + (1 - p["new_hire_skill"]) * m.streams.uniform(f"initial_skill/{firm}", 0, local)
        vacant_until = np.full(k, -1)
    else:
        skill = np.full(k, p["new_hire_skill"])
        vacant_until = np.full(k, m.day + p["hiring_delay"])
    isq = internal_quality(m.policy)[f]
    m.emp_firm = np.append(m.emp_firm, np.full(k, f, dtype=np.int8))
    m.emp_channel = np.append(m.emp_channel, np.full(k, c, dtype=np.int8))
    m.emp_unit = np.append(m.emp_unit, np.full(k, -1, dtype=np.int32))
    m.emp_local = np.append(m.emp_local, local)
    m.emp_satisfaction = np.append(m.emp_satisfaction, np.clip(isq + disposition, 0, 1))
    m.emp_skill = np.append(m.emp_skill, skill)
    m.emp_disposition = np.append(m.emp_disposition, disposition)
    m.emp_free_at = np.vstack([m.emp_free_at, np.zeros((k, m.concurrency))])
    m.emp_vacant_until = np.append(m.emp_vacant_until, vacant_until)
    m.emp_hired_day = np.append(m.emp_hired_day, np.maximum(vacant_until, 0))
    m.emp_hires = np.append(m.emp_hires, np.ones(k, dtype=np.int64))
    m.emp_open = np.append(m.emp_open, np.ones(k, dtype=bool))
    m.emp_striking = np.append(m.emp_striking, np.zeros(k, dtype=bool))
    m.employees.extend(Employee(m, int(i)) for i in ids)
    return ids
