"""Policy search and scenario discovery through the EMA Workbench (Kwakkel 2017, Environmental
Modelling & Software 96): ``lealtad optimize FILE`` and ``lealtad discover FILE``.

An experiment file becomes a workbench model: its ``[levers]`` are the policies a manager controls,
its ``[uncertainties]`` the parameters nobody controls, and its kept outputs the outcomes (each run
summarised by one number, `stats.statistic`, averaged over replications). Every candidate is run on
the same replication seeds (common random numbers), so two candidates differ only by what they change.

The workbench asks for a batch of candidates at a time (a generation of its evolutionary search, or a
whole sample); `LealtadEvaluator` runs the batch's candidates x replications through the sweep
runner (`runner.execute`), on local processes or a Dask cluster. Search is the workbench's
(epsilon-NSGA-II from platypus; Kollat & Reed 2006, Advances in Water Resources 29(6)); scenario
discovery is its PRIM (Friedman & Fisher 1999, Statistics and Computing 9; Bryant & Lempert 2010,
Technological Forecasting & Social Change 77). Nothing is hand-written here but the plumbing.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..params import validate
from . import stats
from .explore_spec import Exploration, base_params
from .runner import Task, execute, process_pool, replication_seed


def _workbench():
    try:
        with warnings.catch_warnings():  # it warns about optional parallel back-ends it does not need here
            warnings.simplefilter("ignore")
            import ema_workbench
    except ImportError:
        from ..io import UserError

        raise UserError("optimize and discover need the EMA Workbench: pip install 'lealtad[explore]'") from None
    return ema_workbench


# ------------------------------------------------------------------------------ evaluation
@dataclass
class Evaluate:
    """Outcomes of candidates: each candidate's parameter changes on top of ``params``, run on the
    replication seeds ``seeds`` (the same for every candidate), summarised per run for ``firm`` and
    averaged over replications. Called by the workbench with keyword arguments (one candidate), or by
    `LealtadEvaluator` with a batch."""

    params: dict
    steps: int
    outputs: tuple[str, ...]
    summary_days: int
    seeds: tuple[int, ...]
    firm: str = "company"
    workers: int = 1
    scheduler: str | None = None
    pool: Any = None  # a process pool kept for a whole search (one generation is a small batch)

    def __call__(self, **values) -> dict:
        return self.many([values])[0]

    def runs(self, candidates: list[dict]) -> pd.DataFrame:
        """One row per candidate and replication: each output's run-level value."""
        from ..io import UserError

        tasks = []
        for i, values in enumerate(candidates):
            params = validate({**self.params, **_plain(values)})
            tasks += [Task(f"c{i}__r{r}", f"c{i}", 0, r, seed, self.steps, self.outputs, params)
                      for r, seed in enumerate(self.seeds)]
        frames = []
        for result in execute(tasks, self.workers, self.scheduler, pool=self.pool):
            if result.error:
                raise UserError(f"run {result.task.run_id} with {result.task.params} failed: {result.error}")
            frames.append(result.data)
        runs = stats.run_values(pd.concat(frames, ignore_index=True), self.outputs, self.summary_days, self.firm)
        runs["candidate"] = runs["scenario"].str[1:].astype(int)
        return runs.sort_values(["candidate", "replication"]).reset_index(drop=True)

    def many(self, candidates: list[dict]) -> list[dict]:
        means = self.runs(candidates).groupby("candidate")[list(self.outputs)].mean()
        return [{o: float(means.loc[i, o]) for o in self.outputs} for i in range(len(candidates))]


@contextmanager
def _pooled(*evaluates: Evaluate):
    """One process pool for every batch of a search, started once (not per generation)."""
    first = evaluates[0]
    if first.scheduler or first.workers <= 1:
        yield
        return
    pool = process_pool(first.workers)
    for e in evaluates:
        e.pool = pool
    try:
        yield
    finally:
        for e in evaluates:
            e.pool = None
        pool.shutdown(wait=True, cancel_futures=True)


def ident(name: str) -> str:
    """A parameter's name as the workbench wants it, a Python identifier ('firms.a.x' -> 'firms__a__x')."""
    return re.sub(r"\W", "__", name)


def _plain(values) -> dict:
    """Workbench samples: identifiers back to parameter names, numpy numbers to plain ones."""
    return {_names.get(k, k): (v.item() if isinstance(v, np.generic) else v) for k, v in dict(values).items()}


_names: dict[str, str] = {}  # identifier -> parameter name, filled as workbench parameters are made


def evaluator_class():
    ema = _workbench()
    from ema_workbench.em_framework.evaluators import BaseEvaluator

    class LealtadEvaluator(BaseEvaluator):
        """Runs a whole batch of workbench experiments x replications through lealtad's runner."""

        def __init__(self, model, evaluate: Evaluate):
            super().__init__(model)
            self.evaluate = evaluate

        def initialize(self):
            pass

        def finalize(self):
            pass

        def evaluate_experiments(self, experiments, callback, **kwargs):
            experiments = list(experiments)
            outcomes = self.evaluate.many([{**dict(e.scenario), **dict(e.policy)} for e in experiments])
            for experiment, result in zip(experiments, outcomes):
                callback(experiment, result)

    del ema
    return LealtadEvaluator


def workbench_parameters(params):
    ema = _workbench()
    out = []
    for p in params:
        name = ident(p.name)
        _names[name] = p.name
        if p.choices:
            out.append(ema.CategoricalParameter(name, list(p.choices)))
        elif p.integer:
            out.append(ema.IntegerParameter(name, int(p.low), int(p.high)))
        else:
            out.append(ema.RealParameter(name, float(p.low), float(p.high)))
    return out


def workbench_model(ex: Exploration, evaluate: Evaluate, levers=True, uncertainties=True, kinds=None):
    """The experiment file as an EMA Workbench model."""
    ema = _workbench()
    model = ema.Model("lealtad", function=evaluate)
    if levers:
        model.levers = workbench_parameters(ex.levers)
    if uncertainties:
        model.uncertainties = workbench_parameters(ex.uncertainties)
    kinds = kinds or {}
    model.outcomes = [ema.ScalarOutcome(o, kind=kinds.get(o, ema.ScalarOutcome.INFO)) for o in evaluate.outputs]
    return model


# -------------------------------------------------------------------------------- optimize
@dataclass
class OptimizeOutcome:
    pareto: pd.DataFrame        # levers and outcomes of the non-dominated policies
    gains: pd.DataFrame         # paired differences of the chosen policies against the baseline
    convergence: pd.DataFrame
    chosen: pd.DataFrame        # the policy best in each objective


def optimize(ex: Exploration, workers: int = 1, scheduler: str | None = None, archive_dir: Path | None = None,
             progress: bool = False) -> OptimizeOutcome:
    """Search the levers for the policies that best meet the objectives under the constraints, then
    measure each chosen policy's paired gain over the baseline on fresh seeds (the search's own seeds
    would flatter the winner: it was chosen on them)."""
    ema = _workbench()
    from platypus import EpsNSGAII  # the workbench's default search (platypus-opt, its dependency)

    exp, opt = ex.experiment, ex.optimize
    seeds = tuple(replication_seed(exp.seed, r) for r in range(opt.replications))
    fresh = tuple(replication_seed(exp.seed, r) for r in range(opt.replications,
                                                                opt.replications + opt.check_replications))
    evaluate = Evaluate(base_params(exp), exp.steps, exp.outputs, exp.summary_days, seeds, opt.firm, workers,
                        scheduler)
    check = Evaluate(evaluate.params, exp.steps, exp.outputs, exp.summary_days, fresh, opt.firm, workers, scheduler)
    kind = {"max": ema.ScalarOutcome.MAXIMIZE, "min": ema.ScalarOutcome.MINIMIZE}
    model = workbench_model(ex, evaluate, uncertainties=False, kinds={o: kind[d] for d, o in opt.objectives})
    constraints = [ema.Constraint(f"constraint_{i}", outcome_names=[c.output], function=c.violation)
                   for i, c in enumerate(opt.constraints)]
    evaluator = evaluator_class()(model, evaluate)
    with _pooled(evaluate, check), tempfile.TemporaryDirectory() as tmp:
        baseline = evaluate.many([{}])[0]
        # epsilon: the resolution at which two policies count as equally good; by default 1% of the
        # baseline's value of each objective
        eps = dict(zip([o for _, o in opt.objectives],
                       list(opt.epsilons) or [max(abs(baseline[o]) * 0.01, 1e-9) for _, o in opt.objectives]))
        eps = [eps[o] for o in evaluate.outputs if o in eps]  # in the workbench's order of outcomes
        with _quiet(progress):
            pareto, convergence = ema.optimize(model, algorithm=EpsNSGAII, nfe=opt.evaluations, searchover="levers",
                                               evaluator=evaluator, constraints=constraints, epsilons=eps,
                                               population_size=opt.population, rng=opt.seed,
                                               convergence_freq=max(opt.population, 1), logging_freq=1,
                                               directory=tmp, filename="archives.tar.gz")
        if archive_dir is not None:
            archive_dir.mkdir(parents=True, exist_ok=True)
            shutil.move(str(Path(tmp) / "archives.tar.gz"), archive_dir / ".partial-archives.tar.gz")
        pareto = pareto.rename(columns=_names)
        chosen = _chosen(pareto, opt.objectives)
        runs = check.runs([{}] + [{p.name: row[p.name] for p in ex.levers} for _, row in chosen.iterrows()])
    names = {0: "baseline", **{i + 1: f"policy_{i + 1}" for i in range(len(chosen))}}
    runs["scenario"] = runs["candidate"].map(names)
    gains = stats.paired_differences(runs, list(exp.outputs), "baseline")
    return OptimizeOutcome(pareto, gains, convergence, chosen.assign(policy=[names[i + 1] for i in range(len(chosen))]))


def _chosen(pareto: pd.DataFrame, objectives) -> pd.DataFrame:
    """The policy best in each objective (one row per distinct policy)."""
    rows = []
    for direction, out in objectives:
        i = pareto[out].idxmax() if direction == "max" else pareto[out].idxmin()
        if i not in rows:
            rows.append(i)
    return pareto.loc[rows].reset_index(drop=True)


class _quiet:
    """The workbench logs at INFO level; keep it to warnings unless progress is asked for. Its
    optimiser draws a progress bar with no switch to turn it off: without progress, its tracker is
    replaced by a silent one for as long as this lasts."""

    def __init__(self, progress: bool):
        self.progress = progress

    def __enter__(self):
        import logging

        from ema_workbench.em_framework import optimization

        self.logger = logging.getLogger("EMA")
        self.level = self.logger.level
        self.tracker = optimization.ProgressTrackingMixIn
        if not self.progress:
            self.logger.setLevel(logging.WARNING)
            optimization.ProgressTrackingMixIn = _muted(self.tracker)
        return self

    def __exit__(self, *exc):
        from ema_workbench.em_framework import optimization

        self.logger.setLevel(self.level)
        optimization.ProgressTrackingMixIn = self.tracker
        return False


def _muted(tracker):
    """The workbench's progress tracker, its bar made but never drawn."""
    from tqdm import tqdm

    class Muted(tracker):
        def __init__(self, total, interval, logger, *args, **kwargs):
            super().__init__(total, interval, logger, log_progress=True)  # no bar drawn on creation
            self.log_progress, self.pbar = False, tqdm(total=total, disable=True)

    return Muted


# -------------------------------------------------------------------------------- discover
@dataclass
class DiscoverOutcome:
    experiments: pd.DataFrame   # sampled uncertainties, outcomes and whether the policy failed
    box: pd.DataFrame           # the restricted uncertainties: low and high of the box
    stats: dict                 # coverage, density, mass of the box; failures and samples
    trajectory: pd.DataFrame    # PRIM's peeling trajectory


def discover(ex: Exploration, workers: int = 1, scheduler: str | None = None, progress: bool = False) -> DiscoverOutcome:
    """Sample the uncertainties (Latin hypercube), run the chosen policy on each sample (on the same
    replication seeds), and let PRIM find the box of uncertainties where the failure condition holds."""
    ema = _workbench()
    from ema_workbench.analysis import prim

    exp, disc = ex.experiment, ex.discover
    seeds = tuple(replication_seed(exp.seed, r) for r in range(disc.replications))
    evaluate = Evaluate(base_params(exp, disc.scenario), exp.steps, exp.outputs, exp.summary_days, seeds, disc.firm,
                        workers, scheduler)
    model = workbench_model(ex, evaluate, levers=False)
    evaluator = evaluator_class()(model, evaluate)
    with _pooled(evaluate), _quiet(progress):
        experiments, outcomes = ema.perform_experiments(model, scenarios=disc.samples, evaluator=evaluator,
                                                        uncertainty_sampling=ema.Samplers.LHS,
                                                        uncertainty_sampling_kwargs={"rng": disc.seed},
                                                        log_progress=not progress)  # quiet: a log line, muted
    names = [p.name for p in ex.uncertainties]
    x = experiments[[ident(n) for n in names]].rename(columns=_names).reset_index(drop=True)
    failed = np.asarray(disc.failure.holds(np.asarray(outcomes[disc.failure.output], dtype=float)))
    table = pd.concat([x, pd.DataFrame({o: np.asarray(v) for o, v in outcomes.items()})], axis=1).assign(failed=failed)
    info = {"samples": int(len(failed)), "failures": int(failed.sum())}
    empty = pd.DataFrame(columns=["uncertainty", "low", "high", "full_low", "full_high"])
    if failed.sum() == 0 or failed.all():
        return DiscoverOutcome(table, empty, info, pd.DataFrame())
    with _quiet(progress):
        p = prim.Prim(x, failed, peel_alpha=0.05, mass_min=0.05)
        box = p.find_box()
    trajectory = box.peeling_trajectory.copy()
    dense = trajectory[trajectory["density"] >= disc.threshold]
    # the box holding most failures among those dense enough (ties: the denser)
    pick = dense if not dense.empty else trajectory[trajectory["density"] == trajectory["density"].max()]
    i = int(pick.sort_values(["coverage", "density"], ascending=False).index[0])
    box.select(i)
    limits, full = box.box_lims[i], p.box_init
    rows = [{"uncertainty": n, "low": float(limits.loc[0, n]), "high": float(limits.loc[1, n]),
             "full_low": float(full.loc[0, n]), "full_high": float(full.loc[1, n])}
            for n in names if limits.loc[0, n] != full.loc[0, n] or limits.loc[1, n] != full.loc[1, n]]
    info.update({"coverage": float(box.coverage), "density": float(box.density), "mass": float(box.mass),
                 "box": i, "meets_threshold": not dense.empty})
    return DiscoverOutcome(table, pd.DataFrame(rows, columns=empty.columns), info, trajectory)
