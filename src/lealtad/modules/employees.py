"""Links 2-4: internal quality and work pressure drive employee satisfaction; satisfaction drives
retention; tenure and training drive skill."""

from __future__ import annotations

import numpy as np
from scipy.special import ndtri

from .. import chain
from ..core.plan import Module
from ..core.schema import Output, Param, State
from ..kernels import employee_day, firm_means
from .local import manager_quality
from .staffing import at_work, position_draws, staffed


class Employees(Module):
    name = "employees"
    summary = "satisfaction (internal quality, yesterday's work pressure), learning, quits and vacancies"
    parameters = (
        Param("pressure_sensitivity", 0.5, 0.0, 2.0, "satisfaction per unit pressure",
              "How much work pressure (waiting requests per employee) lowers employee satisfaction", "employees",
              "Oliva & Sterman 2001"),
        Param("satisfaction_adjustment", 0.05, 0.0, 1.0, "per day", "Speed at which employee satisfaction moves to its target",
              "employees"),
        Param("employee_heterogeneity", 0.1, 0.0, 0.5, "sd, 0-1 scale", "Spread of employees' personal disposition", "employees"),
        Param("turnover_satisfied", 0.08, 0.0, 5.0, "per year", "Quit rate of a fully satisfied employee", "employees",
              "Harter et al. 2002"),
        Param("turnover_dissatisfied", 1.0, 0.0, 5.0, "per year", "Quit rate of a fully dissatisfied employee", "employees",
              "Harter et al. 2002"),
        Param("new_hire_skill", 0.4, 0.0, 1.0, "0-1", "Skill of a new hire (start of the learning curve)", "employees"),
        Param("learning_rate", 0.01, 0.0, 1.0, "per day", "Share of the skill gap closed per day without training", "employees"),
    )
    results = (
        Output("employee_satisfaction", "0-1", "Mean satisfaction of working employees"),
        Output("employee_skill", "0-1", "Mean skill of working employees"),
        Output("staff", "employees", "Positions filled (vacancies excluded)"),
        Output("quits", "employees per day", "Employees who quit today"),
    )
    states = (
        State("emp_satisfaction", "position", "float", "0-1", "The holder's job satisfaction",
              "internal quality + disposition, clipped"),
        State("emp_skill", "position", "float", "0-1", "The holder's skill",
              "new_hire_skill + (1 - new_hire_skill) U(0, 1) for initial staff; new_hire_skill for hires"),
        State("emp_disposition", "position", "float", "0-1 scale", "The holder's lasting personal disposition",
              "employee_heterogeneity N(0, 1)"),
    )

    def step(self, m):
        p, d, out, F = m.p, m.day, m.today, m.n_firms
        working = staffed(m)
        f = m.emp_firm
        pressure = np.zeros(f.size)  # positions opened since yesterday felt no queue yet
        pressure[:m.pressure.size] = m.pressure
        employee_day(working, m.emp_satisfaction, m.emp_skill, m.isq[f] + manager_quality(m), pressure, m.emp_disposition,
                     m.policy["training"][f], p["pressure_sensitivity"], p["satisfaction_adjustment"], p["learning_rate"])
        ids = np.flatnonzero(working)
        quit_p = chain.daily_quit_probability(m.emp_satisfaction[ids], p["turnover_satisfied"], p["turnover_dissatisfied"])
        quits = ids[position_draws(m, "quit", d, ids) < quit_p]
        if quits.size:  # the position stays empty for hiring_delay days, then a novice takes it
            back = d + p["hiring_delay"]
            m.emp_vacant_until[quits] = back
            m.emp_skill[quits] = p["new_hire_skill"]
            m.emp_disposition[quits] = p["employee_heterogeneity"] * ndtri(position_draws(m, "disposition", d + 1, quits))
            m.emp_satisfaction[quits] = np.clip(m.isq[f[quits]] + manager_quality(m)[quits] + m.emp_disposition[quits], 0, 1)
            m.emp_hires[quits] += 1
            m.emp_hired_day[quits] = back
        out["quits"][:] = np.bincount(f[quits], minlength=F)
        out["staff"][:], out["employee_satisfaction"][:], out["employee_skill"][:] = firm_means(
            at_work(m), f, m.emp_satisfaction, m.emp_skill, F)


def ratio(total, count) -> np.ndarray:
    """A mean from its sum and count (NaN where the count is zero)."""
    return np.divide(total, count, out=np.full(len(count), np.nan), where=count > 0)
