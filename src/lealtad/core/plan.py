"""Modules and the plan that runs them (the design of Starsim's modules and loop).

A module is one link of the chain: it declares its parameters, results and state arrays, sets up
its states, and holds its step. The plan is the ordered list of the modules' steps that makes one
day; it times each step, so that `lealtad plan` can say where a run spends its time.
"""

from __future__ import annotations

import time

from .schema import Output, Param, State


class Module:
    """One link of the chain. Subclasses set ``name`` and ``summary``, declare ``parameters``,
    ``results`` and ``states``, and override ``init`` (day-0 states) and ``step`` (one day)."""

    name: str = ""
    summary: str = ""
    parameters: tuple[Param, ...] = ()
    results: tuple[Output, ...] = ()
    states: tuple[State, ...] = ()
    daily: bool = True  # False for a module that only sets up day 0


    def init(self, model) -> None:
        """Create this module's state arrays on ``model`` (day 0)."""

    def step(self, model) -> None:
        """One day of this link."""


class Plan:
    """The day as an ordered list of module steps, each timed."""

    def __init__(self, modules: list[Module]):
        modules = [m for m in modules if m.daily]
        names = [m.name for m in modules]
        if len(set(names)) != len(names):
            raise ValueError(f"module names must be unique: {names}")
        self.modules = list(modules)
        self.seconds = [0.0] * len(modules)
        self.calls = [0] * len(modules)

    def run_day(self, model) -> None:
        clock = time.perf_counter
        for k, module in enumerate(self.modules):
            start = clock()
            module.step(model)
            self.seconds[k] += clock() - start
            self.calls[k] += 1

    def table(self) -> list[dict]:
        """One row per module, in order: name, what it does, calls and share of the time spent."""
        total = sum(self.seconds) or 1.0
        return [{"order": k + 1, "module": m.name, "summary": m.summary, "calls": self.calls[k],
                 "seconds": self.seconds[k], "share": self.seconds[k] / total}
                for k, m in enumerate(self.modules)]
