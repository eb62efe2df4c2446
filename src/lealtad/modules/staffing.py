"""Capacity planning: each firm keeps front-line staff in proportion to its customers.

Positions are never deleted (an id is an index): a closed position stays in the arrays, out of
service. Each position also has a number within its firm (``emp_local``), which keys its random
draws, so that one firm's staffing never changes another firm's employees.
"""

from __future__ import annotations

import numpy as np

from ..core.plan import Module
from ..core.schema import FIRM, REVIEW, Param, State
from .management import POLICIES, internal_quality


class Staffing(Module):
    name = "staffing"
    summary = "staffing reviews: open or close positions to match the staffing ratio"
    parameters = (
        Param("staff_per_1000", 4.3, 0.1, 100.0, "employees per 1,000 active customers",
              "Front-line staffing ratio, kept at each staffing review; capacity to serve, hence response time", POLICIES,
              scope=FIRM, effect=REVIEW),
        Param("hiring_delay", 14, 0, 365, "days", "Days a position stays empty after a quit, or after it is created",
              "employees", kind=int),
        Param("staffing_review", 30, 1, 3650, "days", "Days between reviews that match staff to the customer base",
              "employees", kind=int),
    )
    states = (
        State("emp_firm", "position", "firm index", "", "The firm the position belongs to", "by firm, in firm order"),
        State("emp_local", "position", "int", "", "The position's number within its firm (keys its random draws)", "0, 1, ..."),
        State("emp_open", "position", "bool", "", "Whether the position exists (closed positions are kept, out of service)", "true"),
        State("emp_vacant_until", "position", "int", "day", "Day the holder starts (vacant before)", "-1 (filled)"),
        State("emp_hired_day", "position", "int", "day", "Day the current holder started", "0"),
        State("emp_hires", "position", "int", "", "Holders so far", "1"),
        State("emp_free_at", "position", "float", "hours", "Time the holder is next free to serve", "0"),
        State("new_positions", "firm", "int", "positions", "Positions opened since the last accounts (each costs a hire)", "0"),
        State("positions_made", "firm", "int", "positions", "Positions the firm has ever opened (numbers them)",
              "the initial staff"),
    )

    def init(self, m):
        m.emp_firm = np.zeros(0, dtype=np.int8)
        m.emp_local = np.zeros(0, dtype=np.int64)
        for name in ("satisfaction", "skill", "disposition", "free_at"):
            setattr(m, f"emp_{name}", np.zeros(0))
        for name in ("vacant_until", "hired_day", "hires"):
            setattr(m, f"emp_{name}", np.zeros(0, dtype=np.int64))
        m.emp_open = np.zeros(0, dtype=bool)
        m.new_positions = np.zeros(m.n_firms)  # positions created since the last accounts (each costs a hire)
        m.positions_made = np.zeros(m.n_firms, dtype=np.int64)
        for f in range(m.n_firms):
            add_positions(m, f, staff_target(m, f), initial=True)

    def step(self, m):
        d = m.day
        if d > 0 and d % m.p["staffing_review"] == 0:
            for f in range(m.n_firms):
                review(m, f)


def position_draws(m, name: str, counter: int, positions: np.ndarray) -> np.ndarray:
    """One U(0,1) per employee position, from the stream ``name/FIRM`` of each position's firm, keyed
    by its number within that firm: one firm's staffing never moves another firm's draws."""
    out = np.empty(positions.size)
    firm_of = m.emp_firm[positions]
    for f, firm in enumerate(m.firms):
        mine = np.flatnonzero(firm_of == f)
        if mine.size:
            out[mine] = m.streams.uniform(f"{name}/{firm}", counter, m.emp_local[positions[mine]])
    return out


def staff_target(m, f: int) -> int:
    """Positions that the staffing ratio asks for, given the firm's customers today (at least one)."""
    customers = np.count_nonzero(m.firm == f)
    return max(1, round(m.policy["staff_per_1000"][f] * customers / 1000))


def review(m, f: int):
    """Staffing review: open positions (vacant while hiring) or close them (vacant ones first, then
    the most recent hires) so that staff matches the staffing ratio."""
    target = staff_target(m, f)
    open_ids = np.flatnonzero(m.emp_open & (m.emp_firm == f))
    if target > open_ids.size:
        m.new_positions[f] += target - open_ids.size
        add_positions(m, f, target - open_ids.size)
    elif target < open_ids.size:
        order = np.lexsort((-m.emp_hired_day[open_ids], ~vacant(m)[open_ids]))
        closed = open_ids[order[:open_ids.size - target]]
        m.emp_open[closed] = False
        m.emp_free_at[closed] = np.inf


def vacant(m) -> np.ndarray:
    return m.emp_vacant_until > m.day


def staffed(m) -> np.ndarray:
    """Positions open and filled today."""
    return m.emp_open & ~vacant(m)


def add_positions(m, f: int, k: int, initial: bool = False):
    """Open ``k`` positions at firm ``f``: initial staff are experienced, later ones are new hires."""
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
    m.emp_local = np.append(m.emp_local, local)
    m.emp_satisfaction = np.append(m.emp_satisfaction, np.clip(isq + disposition, 0, 1))
    m.emp_skill = np.append(m.emp_skill, skill)
    m.emp_disposition = np.append(m.emp_disposition, disposition)
    m.emp_free_at = np.append(m.emp_free_at, np.maximum(vacant_until, m.day) * m.hours)
    m.emp_vacant_until = np.append(m.emp_vacant_until, vacant_until)
    m.emp_hired_day = np.append(m.emp_hired_day, np.maximum(vacant_until, 0))
    m.emp_hires = np.append(m.emp_hires, np.ones(k, dtype=np.int64))
    m.emp_open = np.append(m.emp_open, np.ones(k, dtype=bool))
    m.employees.extend(Employee(m, int(i)) for i in ids)
    return ids
