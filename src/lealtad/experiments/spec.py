"""Experiment files: TOML in, a validated `Experiment` out.

An experiment is plain data (Covasim's and Starsim's scenarios): base parameters, named scenarios
(each a set of parameter changes), an optional sweep design over parameters, replications, steps and
the outputs to keep. Every field is checked against the parameter schema (`lealtad.params`) before
any run starts; an error names the file, the line where it can be found, the field, the value and
what is allowed. The format is documented field by field in docs/experiments.md.
"""

from __future__ import annotations

import difflib
import math
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from ..events import check_events
from ..limits import MAX_FILE_BYTES, MAX_REPLICATIONS, MAX_RUNS, MAX_STEPS, MAX_TEXT_CHARS, LimitError, whole_number
from ..outputs import OUTPUT_NAMES
from ..params import DEFAULT_FIRMS, PARAMETERS, ParameterError, firm_names, param_of, resolve, validate

DESIGNS = ("grid", "lhs", "sobol", "morris", "fast")
TOP_KEYS = ("name", "description", "steps", "replications", "seed", "outputs", "headline", "baseline",
            "summary_days", "firms", "events", "base", "scenarios", "sweep",
            "levers", "uncertainties", "optimize", "discover")  # the last four: see explore_spec.py
SWEEP_KEYS = ("design", "parameters", "points", "seed", "levels", "second_order", "analysis")
SCENARIO_KEYS = ("label", "label_es", "description", "firms", "events")  # label_es: the app's Spanish preset name
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,99}$")  # names a folder: at most 100 characters
_SCENARIO = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,99}$")  # used in run ids, so no "-" or "__" tricks


class ExperimentError(ValueError):
    """An experiment file is missing, malformed or asks for something the model does not allow."""


@dataclass(frozen=True)
class Scenario:
    name: str
    label: str
    description: str = ""
    changes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Sweep:
    """A design over parameters. ``ranges`` holds (low, high) for lhs/sobol/morris; ``values`` the
    levels of each parameter for a grid."""

    design: str
    names: tuple[str, ...]
    values: dict[str, list] = field(default_factory=dict)
    ranges: dict[str, tuple[float, float]] = field(default_factory=dict)
    points: int = 0
    seed: int = 0
    levels: int = 4
    second_order: bool = False            # sobol: also S2 (runs N x (2k + 2) points)
    analysis: tuple[str, ...] = ()        # sensitivity methods; () = the design's own


@dataclass(frozen=True)
class Experiment:
    name: str
    description: str
    steps: int
    replications: int
    seed: int
    outputs: tuple[str, ...]
    headline: str
    baseline: str
    summary_days: int
    base: dict[str, Any]
    scenarios: tuple[Scenario, ...]
    sweep: Sweep | None = None
    path: str | None = None
    text: str = ""

    def scenario(self, name: str) -> Scenario:
        for s in self.scenarios:
            if s.name == name:
                return s
        raise ExperimentError(f"experiment '{self.name}' has no scenario '{name}'; it has "
                              + ", ".join(s.name for s in self.scenarios))

    def with_overrides(self, replications: int | None = None, steps: int | None = None,
                       base: dict[str, Any] | None = None) -> "Experiment":
        """The same experiment with command-line overrides, held to the same limits as the file."""
        exp = self
        try:
            if replications is not None:
                exp = replace(exp, replications=whole_number(replications, "replications (override)", 1,
                                                             MAX_REPLICATIONS))
            if steps is not None:
                exp = replace(exp, steps=whole_number(steps, "steps (override)", 1, MAX_STEPS))
        except LimitError as exc:
            raise ExperimentError(str(exc)) from None
        runs = exp.n_runs()
        if runs > MAX_RUNS:
            raise ExperimentError(f"replications (override): {runs:,} runs ({exp.describe_size()}) is more than the "
                                  f"{MAX_RUNS:,} allowed")
        if base:
            coerced = {k: _coerce(k, v, exp.base["firms"]) for k, v in base.items()}
            exp = replace(exp, base={**exp.base, **coerced})
            for s in exp.scenarios:  # --set changes must still make valid runs
                _check_params({**exp.base, **s.changes}, f"--set with scenario '{s.name}'")
        return exp

    def n_points(self) -> int:
        """Points of the design, counted without making them (exact integers: a grid can be huge)."""
        if self.sweep is None:
            return 1
        return design_size(self.sweep.design, self.sweep.points, len(self.sweep.names),
                           [len(v) for v in self.sweep.values.values()], self.sweep.second_order)

    def n_runs(self) -> int:
        return self.n_points() * len(self.scenarios) * self.replications

    def describe_size(self) -> str:
        return f"{len(self.scenarios)} scenarios x {self.n_points():,} points x {self.replications:,} replications"

    def point_table(self) -> list[dict[str, Any]]:
        """The sweep points (parameter changes), in design order; one empty point without a sweep."""
        from .designs import points

        return points(self.sweep) if self.sweep else [{}]


def _coerce(key: str, value, firms):
    try:
        return resolve(key, firms)[0].coerce(value, key)
    except ParameterError as exc:
        raise ExperimentError(f"--set {key}: {exc}") from None


def design_size(design: str, points: int, parameters: int, levels: list[int], second_order: bool = False) -> int:
    """Points of a design in Python integers (never overflows): see designs.py for the definitions."""
    k = parameters
    if design == "grid":
        return math.prod(levels)
    return {"lhs": points, "sobol": points * (2 * k + 2 if second_order else k + 2), "morris": points * (k + 1),
            "fast": points * k}[design]


# ------------------------------------------------------------------------------------ loading
def load(path: str | Path) -> Experiment:
    """Read and validate an experiment file; raises ExperimentError with a clear message."""
    path = Path(path)
    if not path.exists():
        raise ExperimentError(f"experiment file {str(path)!r} does not exist")
    if path.is_dir():
        raise ExperimentError(f"experiment file {str(path)!r} is a folder; give a .toml file")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ExperimentError(f"experiment file {str(path)!r} has {path.stat().st_size:,} bytes, more than the "
                              f"{MAX_FILE_BYTES:,} allowed")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ExperimentError(f"{path}: not a text file (expected TOML in UTF-8)") from None
    return parse(text, source=str(path), stem=path.stem)


def from_dict(data: dict, source: str = "<dict>") -> Experiment:
    """An experiment from a dict with the TOML file's fields (checked the same way)."""
    if not isinstance(data, dict):
        raise ExperimentError(f"{source}: {type(data).__name__} is not allowed; expected a dict of experiment fields")
    return _Checker("", source).experiment(data, str(data.get("name", "experiment")))


def parse(text: str, source: str = "<experiment>", stem: str = "experiment") -> Experiment:
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        raise ExperimentError(f"{source}: more than the {MAX_FILE_BYTES:,} bytes allowed for an experiment file")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ExperimentError(f"{source}: not valid TOML: {exc}") from None
    except RecursionError:  # arrays nested thousands deep
        raise ExperimentError(f"{source}: not valid TOML: nested too deeply") from None
    return _Checker(text, source).experiment(data, stem)


# --------------------------------------------------------------------------------- validation
class _Checker:
    """Validates the parsed TOML, with the file text at hand to point at lines."""

    def __init__(self, text: str, source: str):
        self.lines = text.splitlines()
        self.text = text
        self.source = source

    # errors ---------------------------------------------------------------------------------
    def fail(self, where: str, message: str) -> ExperimentError:
        line = self.line_of(where)
        at = f"{self.source}:{line}" if line else self.source
        return ExperimentError(f"{at}: {where}: {message}")

    def line_of(self, where: str) -> int | None:
        """Line of field ``where`` ("sweep.parameters.training", "scenarios.x.leadership"):
        the last part as a key inside a table whose header ends with the other parts."""
        parts = where.split(".")
        key, table = parts[-1], parts[:-1]
        header = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
        current: list[str] = []
        key_re = re.compile(rf"^\s*(\"?){re.escape(key)}\1\s*=")
        candidates = []
        for i, line in enumerate(self.lines, 1):
            m = header.match(line)
            if m:
                current = [p.strip().strip('"') for p in m.group(1).split(".")]
                if current == parts:
                    return i
                continue
            rel = parts[len(current):] if parts[:len(current)] == current else None
            if rel and len(rel) > 1 and re.match(r"^\s*" + r"\s*\.\s*".join(map(re.escape, rel)) + r"\s*=", line):
                return i  # a dotted key such as `scenarios.a = 3`
            if key_re.match(line) or re.search(rf"[{{,]\s*{re.escape(key)}\s*=", line):
                candidates.append((i, current))
        for i, cur in candidates:  # best: key directly in the named table (or a dotted parent)
            if cur == table or (table and cur == table[:len(cur)] and cur):
                return i
        for i, cur in candidates:
            if not table or (cur and cur[-1] == table[-1]):
                return i
        return candidates[0][0] if candidates else None

    # fields ---------------------------------------------------------------------------------
    def experiment(self, data: dict, stem: str) -> Experiment:
        self.unknown(data, TOP_KEYS, "", "a top-level field")
        name = data.get("name", stem)
        if not isinstance(name, str) or not _NAME.match(name):
            raise self.fail("name", f"{name!r} is not allowed; expected letters, digits, '_' or '-', "
                                    "starting with a letter (it names the results folder)")
        description = self.text_field(data, "description")
        steps = self.integer(data, "steps", 365, 1, MAX_STEPS)
        replications = self.integer(data, "replications", 10, 1, MAX_REPLICATIONS)
        seed = self.integer(data, "seed", 0, 0, 2**63 - 1)
        summary_days = self.integer(data, "summary_days", 30, 1, 100_000)
        outputs = self.outputs(data.get("outputs", list(OUTPUT_NAMES)))
        default_headline = "cumulative_profit" if "cumulative_profit" in outputs else outputs[0]
        headline = data.get("headline", default_headline)
        if not isinstance(headline, str) or headline not in outputs:
            raise self.fail("headline", f"{headline!r} is not allowed; expected one of the kept outputs: "
                                        + ", ".join(outputs))
        firms, firm_changes = self.firms(data.get("firms"))
        base = {"firms": firms, **firm_changes, **self.params(data.get("base", {}), "base", firms)}
        if "events" in data:
            base["events"] = self.events(data["events"], "events", firms, steps)
        _check_params(base, "base", self)
        scenarios = self.scenarios(data.get("scenarios", {}), base, steps)
        baseline = data.get("baseline", scenarios[0].name)
        if not isinstance(baseline, str) or baseline not in {s.name for s in scenarios}:
            raise self.fail("baseline", f"{baseline!r} is not allowed; expected one of the scenarios: "
                                        + ", ".join(s.name for s in scenarios))
        sweep = self.sweep(data["sweep"], base, scenarios) if "sweep" in data else None
        exp = Experiment(name=name, description=description, steps=steps, replications=replications, seed=seed,
                         outputs=tuple(outputs), headline=headline, baseline=baseline, summary_days=summary_days,
                         base=base, scenarios=tuple(scenarios), sweep=sweep, path=self.source, text=self.text)
        if exp.n_runs() > MAX_RUNS:
            raise self.fail("replications", f"{exp.n_runs():,} runs ({exp.describe_size()}) is more than the "
                                            f"{MAX_RUNS:,} allowed")
        return exp

    def unknown(self, table: dict, allowed, where: str, what: str, extra=()):
        for key in table:
            if key not in allowed and key not in extra:
                close = difflib.get_close_matches(key, list(allowed) + list(extra), n=3)
                hint = f" (did you mean {', '.join(close)}?)" if close else ""
                field_name = f"{where}.{key}" if where else key
                raise self.fail(field_name, f"unknown field; expected {what}: {', '.join(allowed)}{hint}")

    def text_field(self, data: dict, key: str, where: str | None = None) -> str:
        value = data.get(key, "")
        if not isinstance(value, str):
            raise self.fail(where or key, f"{value!r} is not allowed; expected a text value in quotes")
        self.text_size(value, where or key)
        return value.strip()

    def text_size(self, value: str, where: str):
        if len(value) > MAX_TEXT_CHARS:
            raise self.fail(where, f"{len(value):,} characters is more than the {MAX_TEXT_CHARS:,} allowed")

    def integer(self, data: dict, key: str, default: int, low: int, high: int, where: str | None = None) -> int:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self.fail(where or key, f"{value!r} is not allowed; expected a whole number from {low:,} to {high:,}")
        return value

    def outputs(self, value) -> list[str]:
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise self.fail("outputs", f"{value!r} is not allowed; expected a list of output names in quotes")
        for v in value:
            if v not in OUTPUT_NAMES:
                close = difflib.get_close_matches(v, OUTPUT_NAMES, n=3)
                hint = f" (did you mean {', '.join(close)}?)" if close else ""
                raise self.fail("outputs", f"{v!r} is not an output{hint}; expected any of {', '.join(OUTPUT_NAMES)}")
        if len(set(value)) != len(value):
            raise self.fail("outputs", "an output is listed twice")
        return list(value)

    def firms(self, table) -> tuple[tuple[str, ...], dict[str, Any]]:
        """The market's firms, from ``[firms.NAME]`` tables (in order; none: the default two), and
        their policy changes as ``NAME.PARAM`` keys."""
        if table is None:
            return firm_names(None), {}
        if not isinstance(table, dict) or not table:
            raise self.fail("firms", "expected tables like [firms.NAME] (one per firm, with its policy changes)")
        try:
            names = firm_names(list(table))
        except ParameterError as exc:
            raise self.fail("firms", str(exc).removeprefix("firms: ")) from None
        changes = {}
        for name in names:
            body = table[name]
            if not isinstance(body, dict):
                raise self.fail(f"firms.{name}", f"{body!r} is not allowed; expected a table [firms.{name}] of policy = value")
            changes.update(self.firm_changes(body, f"firms.{name}", name, names))
        return names, changes

    def firm_changes(self, body: dict, where: str, firm: str, firms) -> dict[str, Any]:
        out = {}
        for name, value in body.items():
            param = PARAMETERS.get(name)
            if param is not None and param.scope != "firm":
                raise self.fail(f"{where}.{name}", f"'{name}' is market-wide; set it in [base] or a scenario, not for one firm")
            out[f"{firm}.{name}"] = self.param_value(f"{firm}.{name}", value, f"{where}.{name}", firms)
        return out

    def params(self, table, where: str, firms) -> dict[str, Any]:
        """Market-wide parameter changes: names known, values of the right type and range."""
        if not isinstance(table, dict):
            raise self.fail(where, f"{table!r} is not allowed; expected a table of parameter = value")
        out = {}
        for name, value in table.items():
            if name == "firms":
                raise self.fail(f"{where}.firms", "firms' policies for every scenario go in [firms.NAME] tables "
                                                  "(and a scenario's in [scenarios.S.firms.NAME])")
            out[name] = self.param_value(name, value, f"{where}.{name}", firms)
        return out

    def firm_tables(self, table, where: str, firms) -> dict[str, Any]:
        if not isinstance(table, dict):
            raise self.fail(where, f"expected tables like [{where}.NAME] naming firms of the market: {', '.join(firms)}")
        out = {}
        for firm, body in table.items():
            if firm not in firms:
                raise self.fail(f"{where}.{firm}", f"'{firm}' is not a firm of this market; expected one of {', '.join(firms)}")
            if not isinstance(body, dict):
                raise self.fail(f"{where}.{firm}", f"{body!r} is not allowed; expected a table of policy = value")
            out.update(self.firm_changes(body, f"{where}.{firm}", firm, firms))
        return out

    def events(self, value, where: str, firms, steps: int) -> list[dict]:
        try:
            return list(check_events(value, firms, steps, where))
        except ParameterError as exc:
            field_name, _, message = str(exc).partition(": ")
            raise self.fail(where, f"{field_name.removeprefix(where)}: {message}".lstrip(": ")) from None

    def param_value(self, name: str, value, where: str, firms=DEFAULT_FIRMS):
        try:
            param, _ = resolve(name, firms)
        except ParameterError as exc:
            raise self.fail(where, str(exc)) from None
        # strict TOML types: a number is written as a number, true/false without quotes, text in quotes
        wanted = {bool: (bool,), str: (str,)}.get(param.kind, (int, float))
        if not isinstance(value, wanted) or (param.kind is not bool and isinstance(value, bool)):
            shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."
            kind = {bool: "true or false without quotes", str: "text in quotes"}.get(param.kind, "a number without quotes")
            raise self.fail(where, f"{shown} is not allowed; expected {param.allowed()}, written as {kind}")
        if isinstance(value, str):
            self.text_size(value, where)
        try:
            return param.coerce(value)
        except ParameterError:
            raise self.fail(where, f"{value!r} is not allowed; expected {param.allowed()}") from None

    def scenarios(self, table, base, steps: int) -> list[Scenario]:
        if not isinstance(table, dict):
            raise self.fail("scenarios", "expected tables like [scenarios.NAME] with parameter = value lines")
        if not table:
            return [Scenario("baseline", "baseline")]
        out = []
        for name, body in table.items():
            where = f"scenarios.{name}"
            if not _SCENARIO.match(name):
                raise self.fail(where, f"scenario name {name!r} is not allowed; expected letters, digits and '_', "
                                       "starting with a letter")
            if not isinstance(body, dict):
                raise self.fail(where, f"{body!r} is not allowed; expected a table [scenarios.{name}]")
            label = self.text_field(body, "label", f"{where}.label") or name.replace("_", " ")
            description = self.text_field(body, "description", f"{where}.description")
            self.text_field(body, "label_es", f"{where}.label_es")
            changes = self.params({k: v for k, v in body.items() if k not in SCENARIO_KEYS}, where, base["firms"])
            changes.update(self.firm_tables(body["firms"], f"{where}.firms", base["firms"]) if "firms" in body else {})
            if "events" in body:  # a scenario's events come on top of the base timeline
                changes["events"] = [*base.get("events", ()), *self.events(body["events"], f"{where}.events",
                                                                            base["firms"], steps)]
            _check_params({**base, **changes}, where, self)
            out.append(Scenario(name, label, description, changes))
        return out

    def sweep(self, table, base, scenarios) -> Sweep:
        if not isinstance(table, dict):
            raise self.fail("sweep", "expected a table [sweep] with design and parameters")
        self.unknown(table, SWEEP_KEYS, "sweep", "a sweep field")
        design = table.get("design", "grid")
        if design not in DESIGNS:
            raise self.fail("sweep.design", f"{design!r} is not allowed; expected one of {', '.join(DESIGNS)}")
        params = table.get("parameters")
        if not isinstance(params, dict) or not params:
            raise self.fail("sweep.parameters", "expected a table [sweep.parameters] naming at least one parameter")
        params = self.sweep_names(params, base["firms"])
        self.firm_list = base["firms"]
        values, ranges = {}, {}
        for name, spec in params.items():
            where = f"sweep.parameters.{'firms.' if '.' in name else ''}{name}"
            try:
                resolve(name, base["firms"])
            except ParameterError as exc:
                raise self.fail(where, str(exc)) from None
            for s in scenarios:
                if name in s.changes:
                    raise self.fail(where, f"also set by scenario '{s.name}'; a parameter is either swept or "
                                           "set by scenarios, not both")
            if design == "grid":
                values[name] = self.grid_values(name, spec, where)
            else:
                ranges[name] = self.range(name, spec, where, design)
        seed = self.integer(table, "seed", 0, 0, 2**32 - 1, "sweep.seed")
        levels = self.integer(table, "levels", 4, 2, 100, "sweep.levels")
        if design == "grid":
            if "points" in table:
                raise self.fail("sweep.points", "not used by a grid design (its points are the combinations of "
                                                "the listed values); remove it")
            points = math.prod(len(v) for v in values.values())
        else:
            points = self.integer(table, "points", None, 2, 100_000, "sweep.points") \
                if "points" in table else None
            if points is None:
                raise self.fail("sweep.points", f"missing; a {design} design needs the number of "
                                + {"lhs": "samples", "sobol": "base samples N (runs N x (parameters + 2))",
                                   "morris": "trajectories (runs trajectories x (parameters + 1))",
                                   "fast": "samples per parameter N (runs N x parameters)"}[design])
        k = len(params)
        second_order, analysis = self.analysis_fields(table, design)
        n_points = design_size(design, points, k, [len(v) for v in values.values()], second_order)
        from .sensitivity import size_problem

        if (problem := size_problem(design, points, n_points, analysis)) is not None:
            raise self.fail("sweep.points", problem)
        if n_points * len(scenarios) > MAX_RUNS:  # checked before any point is made (a grid can explode)
            raise self.fail("sweep.parameters", f"{n_points:,} points x {len(scenarios)} scenarios is more than the "
                                                f"{MAX_RUNS:,} runs allowed")
        sweep = Sweep(design, tuple(params), values, ranges, points, seed, levels, second_order, analysis)
        from .designs import points as design_points

        for i, point in enumerate(design_points(sweep)):
            for s in scenarios:
                _check_params({**base, **s.changes, **point}, f"sweep point {i} ({point}) with scenario '{s.name}'",
                              self, anchor="sweep.parameters")
        return sweep

    def sweep_names(self, params: dict, firms) -> dict[str, Any]:
        """Swept parameters by their keys: ``firms.NAME.PARAM`` (a nested table) becomes ``NAME.PARAM``."""
        out = {}
        for name, spec in params.items():
            if name != "firms":
                out[name] = spec
                continue
            if not isinstance(spec, dict):
                raise self.fail("sweep.parameters.firms", "expected firms.NAME.PARAM = values")
            for firm, table in spec.items():
                if firm not in firms:
                    raise self.fail(f"sweep.parameters.firms.{firm}",
                                    f"'{firm}' is not a firm of this market; expected one of {', '.join(firms)}")
                if not isinstance(table, dict):
                    raise self.fail(f"sweep.parameters.firms.{firm}", "expected firms.NAME.PARAM = values")
                out.update({f"{firm}.{k}": v for k, v in table.items()})
        return out
    def analysis_fields(self, table, design: str) -> tuple[bool, tuple[str, ...]]:
        """``second_order`` (sobol only) and ``analysis`` (the sensitivity methods the design allows)."""
        from .sensitivity import ANALYSES

        second = table.get("second_order", False)
        if not isinstance(second, bool):
            raise self.fail("sweep.second_order", f"{second!r} is not allowed; expected true or false")
        if second and design != "sobol":
            raise self.fail("sweep.second_order", f"only a sobol design has second-order indices, not {design}")
        analysis = table.get("analysis", [])
        analysis = [analysis] if isinstance(analysis, str) else analysis
        allowed = ANALYSES[design]
        if not isinstance(analysis, list) or any(a not in allowed for a in analysis) or len(set(analysis)) != len(analysis):
            raise self.fail("sweep.analysis", f"{table.get('analysis')!r} is not allowed; a {design} design allows "
                                              + (", ".join(allowed) if allowed else "no sensitivity analysis"))
        return second, tuple(analysis)

    def grid_values(self, name: str, spec, where: str) -> list:
        if isinstance(spec, dict):  # {low, high, num}: evenly spaced levels
            self.unknown(spec, ("low", "high", "num"), where, "low, high and num")
            low, high = self.range(name, {k: spec.get(k) for k in ("low", "high")}, where, "grid")
            num = self.integer(spec, "num", 5, 2, 10_000, f"{where}.num")
            levels = np.linspace(low, high, num)
            if param_of(name).kind is int:
                levels = np.unique(np.round(levels).astype(int))
            return [self.param_value(name, v.item(), where, self.firm_list) for v in levels]
        if not isinstance(spec, list) or not spec:
            raise self.fail(where, f"{spec!r} is not allowed; a grid needs a list of values "
                                   f"({param_of(name).allowed()}) or {{low, high, num}}")
        out = [self.param_value(name, v, where, self.firm_list) for v in spec]
        if len(set(out)) != len(out):
            raise self.fail(where, f"{spec!r} lists a value twice")
        return out

    def range(self, name: str, spec, where: str, design: str) -> tuple[float, float]:
        p = param_of(name)
        if p.kind in (str, bool):
            raise self.fail(where, f"{p.allowed()} cannot be sampled by a {design} design; use design = \"grid\" "
                                   "or scenarios")
        if isinstance(spec, list) and len(spec) == 2:
            spec = {"low": spec[0], "high": spec[1]}
        if not isinstance(spec, dict) or set(spec) != {"low", "high"}:
            raise self.fail(where, f"{spec!r} is not allowed; a {design} design needs a range "
                                   f"{{low = ..., high = ...}} within {p.low:g} to {p.high:g}")
        low = self.param_value(name, spec["low"], where, self.firm_list)
        high = self.param_value(name, spec["high"], where, self.firm_list)
        if not low < high:
            raise self.fail(where, f"low {low!r} must be below high {high!r}")
        return float(low), float(high)


def _check_params(changes: dict, where: str, checker: _Checker | None = None, anchor: str | None = None):
    """Cross-parameter rules of the schema (shares sum to at most 1, a network file exists, ...)."""
    try:
        validate(changes)
    except ParameterError as exc:
        if checker is None:
            raise ExperimentError(f"{where}: {exc}") from None
        err = checker.fail(anchor or where, str(exc))
        if anchor:
            err = ExperimentError(f"{err}; in {where}")
        raise err from None
