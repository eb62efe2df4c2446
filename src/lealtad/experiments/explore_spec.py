"""The exploratory-modelling part of an experiment file: ``[levers]``, ``[uncertainties]``,
``[optimize]`` and ``[discover]`` (docs/experiments.md, "Policy search and scenario discovery").

Checked like the rest of the file, before any run: every error is one line naming the file, the line,
the field, the value and what is allowed. Parameter names are opaque strings checked against the
parameter schema through spec.py's checker, so per-firm names work the same way.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .spec import Experiment, ExperimentError, _Checker, from_dict, load

OPTIMIZE_KEYS = ("objectives", "constraints", "evaluations", "population", "replications", "seed", "epsilons",
                 "check_replications", "firm")
DISCOVER_KEYS = ("scenario", "failure", "samples", "threshold", "replications", "seed", "firm")
_OBJECTIVE = re.compile(r"^\s*(max|min)\s+([A-Za-z_][A-Za-z0-9_.]*)\s*$")
_CONDITION = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*(>=|<=|>|<)\s*([-+0-9.eE_]+)\s*$")


@dataclass(frozen=True)
class Parameter:
    """A lever or an uncertainty: a range (low, high) of a number, or a list of choices."""
    name: str
    low: float | None = None
    high: float | None = None
    choices: tuple = ()
    integer: bool = False


@dataclass(frozen=True)
class Condition:
    """'nps >= 30': an output, a comparison and a number."""
    output: str
    op: str
    value: float

    def holds(self, x):
        return {">=": x >= self.value, "<=": x <= self.value, ">": x > self.value, "<": x < self.value}[self.op]

    def violation(self, x) -> float:
        """How far an outcome is from satisfying the condition (0 when it does)."""
        return 0.0 if self.holds(x) else abs(float(x) - self.value) + 1e-12

    def __str__(self):
        return f"{self.output} {self.op} {self.value:g}"


@dataclass(frozen=True)
class Optimize:
    objectives: tuple[tuple[str, str], ...]   # (direction 'max'/'min', output)
    constraints: tuple[Condition, ...] = ()
    evaluations: int = 200
    population: int = 20
    replications: int = 3
    seed: int = 0
    epsilons: tuple[float, ...] = ()
    check_replications: int = 10
    firm: str = "company"


@dataclass(frozen=True)
class Discover:
    scenario: str
    failure: Condition
    samples: int = 200
    threshold: float = 0.8
    replications: int = 1
    seed: int = 0
    firm: str = "company"


@dataclass(frozen=True)
class Exploration:
    experiment: Experiment
    levers: tuple[Parameter, ...] = ()
    uncertainties: tuple[Parameter, ...] = ()
    optimize: Optimize | None = None
    discover: Discover | None = None
    data: dict = field(default_factory=dict, repr=False)


def load_exploration(spec) -> Exploration:
    """An experiment file (path) or dict, with its exploratory-modelling tables checked."""
    if isinstance(spec, (str, Path)):
        exp = load(spec)
        data, text, source = tomllib.loads(exp.text), exp.text, str(spec)
    else:
        exp, data, text, source = from_dict(spec), spec, "", "<dict>"
    return _ExploreChecker(text, source).exploration(exp, data)


class _ExploreChecker(_Checker):
    def exploration(self, exp: Experiment, data: dict) -> Exploration:
        firms = exp.base["firms"]
        levers = self.parameters(data.get("levers", {}), "levers", "lever", firms)
        uncertainties = self.parameters(data.get("uncertainties", {}), "uncertainties", "uncertainty", firms)
        for u in uncertainties:
            if any(lever.name == u.name for lever in levers):
                raise self.fail(f"uncertainties.{u.name}", "is also a lever; a parameter is either controlled "
                                                           "(a lever) or not (an uncertainty)")
        opt = self.optimize(data["optimize"], exp, levers, uncertainties) if "optimize" in data else None
        disc = self.discover(data["discover"], exp, uncertainties) if "discover" in data else None
        return Exploration(exp, tuple(levers), tuple(uncertainties), opt, disc, data)

    def parameters(self, table, where: str, what: str, firms) -> list[Parameter]:
        from ..params import ParameterError, resolve

        if not isinstance(table, dict):
            raise self.fail(where, f"expected a table [{where}] of parameter = {{low = ..., high = ...}}")
        self.firm_list = firms
        out = []
        for name, spec in self.sweep_names(table, firms).items():  # a firm's policy: firms.NAME.PARAM
            at = f"{where}.{'firms.' if '.' in name else ''}{name}"
            try:
                p, _ = resolve(name, firms)
            except ParameterError as exc:
                raise self.fail(at, str(exc)) from None
            if isinstance(spec, list) and len(spec) >= 2 and (p.kind in (str, bool) or len(spec) > 2):
                choices = tuple(self.param_value(name, v, at, firms) for v in spec)
                out.append(Parameter(name, choices=choices))
                continue
            if not (isinstance(spec, dict) or (isinstance(spec, list) and len(spec) == 2)):
                raise self.fail(at, f"{spec!r} is not allowed; a {what} needs a range {{low = ..., high = ...}} "
                                    f"({p.allowed()}) or a list of at least two choices")
            low, high = self.range(name, spec, at, what)
            out.append(Parameter(name, low, high, integer=p.kind is int))
        return out

    def condition(self, text, where: str, exp: Experiment) -> Condition:
        m = _CONDITION.match(text) if isinstance(text, str) else None
        if not m:
            raise self.fail(where, f"{text!r} is not allowed; expected 'OUTPUT >= NUMBER' (or <=, >, <), "
                                   "e.g. 'nps >= 30'")
        self.kept_output(m.group(1), where, exp)
        try:
            value = float(m.group(3).replace("_", ""))
        except ValueError:
            raise self.fail(where, f"{m.group(3)!r} in {text!r} is not a number") from None
        return Condition(m.group(1), m.group(2), value)

    def kept_output(self, name: str, where: str, exp: Experiment):
        if name not in exp.outputs:
            raise self.fail(where, f"{name!r} is not a kept output; expected one of {', '.join(exp.outputs)} "
                                   "(the file's outputs)")

    def optimize(self, table, exp: Experiment, levers, uncertainties) -> Optimize:
        if not isinstance(table, dict):
            raise self.fail("optimize", "expected a table [optimize] with objectives")
        self.unknown(table, OPTIMIZE_KEYS, "optimize", "an optimize field")
        if not levers:
            raise self.fail("optimize", "needs at least one lever: a table [levers] of parameter = {low, high}")
        raw = table.get("objectives")
        raw = [raw] if isinstance(raw, str) else raw
        if not isinstance(raw, list) or not raw:
            raise self.fail("optimize.objectives", f"{raw!r} is not allowed; expected a list like "
                                                   "[\"max cumulative_profit\", \"min costs\"]")
        objectives = []
        for text in raw:
            m = _OBJECTIVE.match(text) if isinstance(text, str) else None
            if not m:
                raise self.fail("optimize.objectives", f"{text!r} is not allowed; expected 'max OUTPUT' or 'min OUTPUT'")
            self.kept_output(m.group(2), "optimize.objectives", exp)
            objectives.append((m.group(1), m.group(2)))
        constraints = table.get("constraints", [])
        if not isinstance(constraints, list):
            raise self.fail("optimize.constraints", f"{constraints!r} is not allowed; expected a list of conditions")
        conds = tuple(self.condition(c, "optimize.constraints", exp) for c in constraints)
        eps = table.get("epsilons", [])
        if not isinstance(eps, list) or (eps and len(eps) != len(objectives)) or \
                not all(isinstance(e, (int, float)) and not isinstance(e, bool) and e > 0 for e in eps):
            raise self.fail("optimize.epsilons", f"{eps!r} is not allowed; expected one positive number per objective")
        return Optimize(tuple(objectives), conds,
                        evaluations=self.integer(table, "evaluations", 200, 4, 1_000_000, "optimize.evaluations"),
                        population=self.integer(table, "population", 20, 2, 10_000, "optimize.population"),
                        replications=self.integer(table, "replications", exp.replications, 1, 10_000,
                                                  "optimize.replications"),
                        seed=self.integer(table, "seed", 0, 0, 2**32 - 1, "optimize.seed"),
                        epsilons=tuple(float(e) for e in eps),
                        check_replications=self.integer(table, "check_replications", max(10, exp.replications), 2,
                                                        10_000, "optimize.check_replications"),
                        firm=self.firm(table, "optimize.firm"))

    def discover(self, table, exp: Experiment, uncertainties) -> Discover:
        if not isinstance(table, dict):
            raise self.fail("discover", "expected a table [discover] with a failure condition")
        self.unknown(table, DISCOVER_KEYS, "discover", "a discover field")
        if not uncertainties:
            raise self.fail("discover", "needs at least one uncertainty: a table [uncertainties] of "
                                        "parameter = {low, high}")
        scenario = table.get("scenario", exp.baseline)
        if scenario not in {s.name for s in exp.scenarios}:
            raise self.fail("discover.scenario", f"{scenario!r} is not allowed; expected one of the scenarios: "
                                                 + ", ".join(s.name for s in exp.scenarios))
        if "failure" not in table:
            raise self.fail("discover.failure", "missing; expected a condition such as 'cumulative_profit < 0'")
        threshold = table.get("threshold", 0.8)
        if not isinstance(threshold, (int, float)) or isinstance(threshold, bool) or not 0 < threshold <= 1:
            raise self.fail("discover.threshold", f"{threshold!r} is not allowed; expected a number above 0 and at "
                                                  "most 1 (the share of failing runs a box must hold)")
        return Discover(scenario, self.condition(table["failure"], "discover.failure", exp),
                        samples=self.integer(table, "samples", 200, 10, 1_000_000, "discover.samples"),
                        threshold=float(threshold),
                        replications=self.integer(table, "replications", 1, 1, 10_000, "discover.replications"),
                        seed=self.integer(table, "seed", 0, 0, 2**32 - 1, "discover.seed"),
                        firm=self.firm(table, "discover.firm"))

    def firm(self, table, where: str) -> str:
        firm = table.get("firm", "company")
        if not isinstance(firm, str) or not firm:
            raise self.fail(where, f"{firm!r} is not allowed; expected the name of a firm")
        return firm


def base_params(exp: Experiment, scenario: str | None = None) -> dict[str, Any]:
    """The base parameters with a scenario's changes (the baseline's by default)."""
    s = exp.scenario(scenario or exp.baseline)
    return {**exp.base, **s.changes}


__all__ = ["Condition", "Discover", "Exploration", "ExperimentError", "Optimize", "Parameter", "base_params",
           "load_exploration"]
