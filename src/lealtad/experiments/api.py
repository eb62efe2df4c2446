"""The Python API for notebooks: ``lealtad.experiments.run(spec)`` returns tidy DataFrames.

    from lealtad.experiments import run
    res = run({"steps": 90, "replications": 5, "base": {"n_customers": 2000},
               "scenarios": {"baseline": {}, "training": {"firms": {"company": {"training": 0.8}}}}})
    res.paired                      # per scenario, point and output: paired difference, 95% CI

``spec`` is a dict with the TOML file's fields (docs/experiments.md), a path to a file, or a loaded
`Experiment`; it is checked exactly like a file. Nothing is written. The tables are those `lealtad
sweep` writes (results.parquet, summary.csv, paired.csv), computed by the same functions, so the same
spec gives the same numbers from Python and from the command line.
"""

from __future__ import annotations

import keyword
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from ..outputs import OUTPUT_NAMES
from .runner import RunResult, analyse, default_workers, execute, make_tasks, sort_results
from .spec import Experiment, ExperimentError, from_dict, load


@dataclass
class Results:
    """What `run` returns. ``daily``: one row per run, day and firm (scenario, point, replication, seed,
    day, firm, outputs, reporters); ``runs``: one row per run, each output's run-level value (for the
    company; see `stats.statistic`); ``summary``: mean, sd and 95% CI per scenario, point and output;
    ``paired``: each scenario minus the baseline per point and output, with its 95% CI; ``points``: the
    sweep points; ``failures``: runs that raised."""

    experiment: Experiment
    daily: pd.DataFrame
    runs: pd.DataFrame
    summary: pd.DataFrame
    paired: pd.DataFrame
    points: pd.DataFrame
    failures: list[RunResult] = field(default_factory=list)


def to_experiment(spec) -> Experiment:
    if isinstance(spec, Experiment):
        return spec
    if isinstance(spec, (str, Path)):
        return load(spec)
    return from_dict(spec)


def check_reporters(reporters: dict | None, workers: int) -> dict[str, Callable]:
    """Reporters are {name: function(model) -> number or {firm: number}}; names must not hide outputs,
    and with worker processes each function must be importable there."""
    reporters = dict(reporters or {})
    for name, fn in reporters.items():
        if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
            raise ExperimentError(f"reporters: {name!r} is not allowed; expected a name of letters, digits and '_'")
        if name in OUTPUT_NAMES or name in ("scenario", "point", "replication", "seed", "day", "firm"):
            raise ExperimentError(f"reporters.{name}: is already an output or a key column; choose another name")
        if not callable(fn):
            raise ExperimentError(f"reporters.{name}: {fn!r} is not allowed; expected a function of the model")
        if workers > 1:
            try:
                pickle.dumps(fn)
                importable = getattr(fn, "__module__", "__main__") != "__main__"
            except Exception:  # noqa: BLE001 - lambdas, closures
                importable = False
            if not importable:
                raise ExperimentError(f"reporters.{name}: worker processes cannot import {fn!r} (a lambda, or defined "
                                      "in a notebook or script); use workers=1, or define it in a module")
    return reporters


def run(spec, reporters: dict | None = None, workers: int = 1, scheduler: str | None = None,
        progress: bool = False, firm: str = "company") -> Results:
    """Run every scenario x point x replication of ``spec`` in memory and return tidy tables.

    ``reporters`` are extra daily columns, {name: function(model)}, called after every day (a number,
    the same for every firm, or {firm: number}); they are summarised like levels (mean of the last
    ``summary_days`` days). ``workers`` local processes (1: this process), or a Dask ``scheduler``.
    ``firm`` is the firm whose run-level values are summarised.
    """
    from tqdm import tqdm

    exp = to_experiment(spec)
    workers = default_workers() if workers is None else int(workers)
    reporters = check_reporters(reporters, 1 if scheduler is None and workers <= 1 else 2)
    tasks = make_tasks(exp, reporters=reporters)
    frames, failed = [], []
    with tqdm(total=len(tasks), desc=exp.name, unit="run", disable=not progress or None) as bar:
        for result in execute(tasks, workers, scheduler):
            (frames.append(result.data) if result.error is None else failed.append(result))
            bar.update(1)
    points = pd.DataFrame(exp.point_table())
    points.insert(0, "point", range(len(points)))
    if not frames:
        raise ExperimentError(f"{exp.name}: every run failed; the first error: {failed[0].error}")
    daily = sort_results(pd.concat(frames, ignore_index=True), exp)
    runs, summary, paired = analyse(daily, exp, [*exp.outputs, *reporters], firm)
    return Results(exp, daily, runs, summary, paired, points, failed)
