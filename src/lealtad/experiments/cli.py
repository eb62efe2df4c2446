"""`lealtad sweep` and `lealtad compare`."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

# Outputs `lealtad compare` shows when no experiment file says which.
COMPARE_OUTPUTS = ("cumulative_profit", "active", "market_share", "customer_satisfaction", "nps",
                   "employee_satisfaction", "quits", "wait_mean")


def add_parser(sub):
    from ..cli import _positive_int

    p = sub.add_parser("sweep", help="run an experiment file: scenarios x sweep points x replications",
                       description="Run every scenario x sweep point x replication of an experiment file, "
                                   "write results/NAME/ and an HTML report. See docs/experiments.md.")
    p.add_argument("experiment", help="experiment file (experiments/NAME.toml) or just NAME")
    p.add_argument("--replications", type=_positive_int, help="replications per scenario and point (default: the file's)")
    p.add_argument("--steps", type=_positive_int, help="days per run (default: the file's)")
    p.add_argument("--workers", type=_positive_int, help="local processes (default: the number of cores)")
    p.add_argument("--scheduler", metavar="ADDRESS", help="run on a Dask cluster, e.g. tcp://10.0.0.5:8786 "
                                                          "(needs lealtad[cluster])")
    p.add_argument("--out", type=Path, help="results folder (default: results/NAME)")
    p.add_argument("--resume", action="store_true", help="run only the runs missing from --out")
    p.add_argument("--force", action="store_true", help="delete earlier runs in --out and start over")
    p.add_argument("--set", dest="changes", action="append", default=[], metavar="NAME=VALUE",
                   help="change a base parameter for every run (scenarios and sweeps still set theirs)")
    p.add_argument("--allow-large", action="store_true",
                   help="run even if the estimated memory or time is beyond this machine's limits")
    p.add_argument("--no-report", action="store_true", help="do not write report.html at the end")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_sweep)

    c = sub.add_parser("compare", help="quick paired comparison of two scenarios (prints a table, writes nothing)",
                       description="Compare scenario B with scenario A over paired replications (common random "
                                   "numbers) and print the differences with 95% confidence intervals. A and B are "
                                   "scenario names of --experiment, 'defaults', or changes like "
                                   "'in_person_staff_per_1000=3,training=0.5'.")
    c.add_argument("a", metavar="A", help="the reference scenario")
    c.add_argument("b", metavar="B", help="the scenario compared with A")
    c.add_argument("--experiment", help="experiment file whose scenarios, base, steps and outputs to use")
    c.add_argument("--replications", type=_positive_int, help="paired replications (default: the file's, or 10)")
    c.add_argument("--steps", type=_positive_int, help="days per run (default: the file's, or 365)")
    c.add_argument("--workers", type=_positive_int, help="local processes (default: the number of cores)")
    c.add_argument("--scheduler", metavar="ADDRESS", help="run on a Dask cluster")
    c.add_argument("--set", dest="changes", action="append", default=[], metavar="NAME=VALUE",
                   help="change a base parameter for both scenarios")
    c.add_argument("--allow-large", action="store_true",
                   help="run even if the estimated memory or time is beyond this machine's limits")
    c.add_argument("--quiet", action="store_true", help="no progress bar")
    c.set_defaults(func=_compare)


def resolve_path(name: str) -> Path:
    """An experiment file: the path given, or experiments/NAME.toml here or in the source tree."""
    path = Path(name)
    if path.exists() or path.suffix == ".toml" or "/" in name:
        return path
    for folder in (Path("experiments"), Path(__file__).resolve().parents[3] / "experiments"):
        candidate = folder / f"{name}.toml"
        if candidate.exists():
            return candidate
    return path


def _load(name: str, replications=None, steps=None, changes=None):
    from ..io import UserError
    from ..params import parse_assignments
    from .spec import ExperimentError, load

    try:
        exp = load(resolve_path(name))
        return exp.with_overrides(replications, steps, parse_assignments(changes or []))
    except ExperimentError as exc:
        raise UserError(str(exc)) from None


def _sweep(args) -> int:
    from ..io import UserError
    from ..limits import duration, size
    from .runner import check_limits, default_workers, run_sweep

    exp = _load(args.experiment, args.replications, args.steps, args.changes)
    if args.resume and args.force:
        raise UserError("--resume and --force contradict each other; choose one")
    out = args.out or Path("results") / exp.name
    n_points = exp.n_points()
    workers = args.workers or default_workers()
    where = f"Dask scheduler {args.scheduler}" if args.scheduler else f"{workers} local process(es)"
    cost = check_limits(exp, workers, args.scheduler, args.allow_large)
    print(f"{exp.name}: {len(exp.scenarios)} scenario(s) x {n_points} point(s) x {exp.replications} replication(s) "
          f"x {exp.steps} days on {where} -> {out} (estimate: {duration(cost.seconds)}, "
          f"{size(cost.memory)} at the peak)", file=sys.stderr)
    outcome = run_sweep(exp, out, workers=workers, scheduler=args.scheduler, resume=args.resume, force=args.force,
                        progress=not args.quiet, allow_large=args.allow_large)
    rate = f", {60 * outcome.ran / outcome.elapsed:.1f} runs/min" if outcome.ran and outcome.elapsed > 0 else ""
    busy = f", workers busy {100 * outcome.busy:.0f}% of the time" if outcome.busy is not None else ""
    print(f"{outcome.done} of {outcome.done + outcome.missing} runs done in {outcome.elapsed:.1f} s "
          f"({outcome.ran} this time{rate}{busy})")
    if outcome.missing:
        print(f"{outcome.missing} run(s) failed: see {out / 'failures.csv'}; fix and rerun with --resume")
    if outcome.done:
        print(f"results: {out / 'results.parquet'}, {out / 'summary.csv'}, {out / 'paired.csv'}, "
              f"{out / 'manifest.json'}")
        if not args.no_report:
            from ..report import write_report

            path = write_report(out)
            print(f"report: {path}")
    return 1 if outcome.missing else 0


# ------------------------------------------------------------------------------------ compare
def _compare(args) -> int:
    import pandas as pd

    from ..io import UserError
    from ..params import ParameterError, parse_assignments, validate
    from . import stats
    from .runner import default_workers, run_in_memory
    from .spec import Experiment, ExperimentError, Scenario

    base = parse_assignments(args.changes)
    if args.experiment:
        exp = _load(args.experiment, args.replications, args.steps, args.changes)
    else:
        validate(base)
        exp = Experiment(name="compare", description="", steps=365, replications=10,
                         seed=0, outputs=COMPARE_OUTPUTS, headline="cumulative_profit", baseline="A",
                         summary_days=30, base=base, scenarios=(), sweep=None)
        try:  # the same limits as an experiment file's
            exp = exp.with_overrides(args.replications, args.steps)
        except ExperimentError as exc:
            raise UserError(str(exc)) from None
    scenarios = []
    for slot, text in (("A", args.a), ("B", args.b)):
        if "=" in text:
            try:
                changes = parse_assignments([part for part in text.split(",") if part.strip()])
                validate({**exp.base, **changes})
            except ParameterError as exc:
                raise UserError(f"scenario {slot} {text!r}: {exc}") from None
            scenarios.append(Scenario(slot, text, "", changes))
        elif text in ("defaults", "default") and not any(s.name == text for s in exp.scenarios):
            scenarios.append(Scenario(slot, "defaults"))
        elif args.experiment:
            try:
                s = exp.scenario(text)
            except ValueError as exc:
                raise UserError(str(exc)) from None
            scenarios.append(Scenario(slot, s.label, s.description, s.changes))
        else:
            raise UserError(f"scenario {slot} {text!r}: give changes like 'in_person_staff_per_1000=3,training=0.5', "
                            "'defaults', or a scenario name together with --experiment FILE")
    exp = replace(exp, scenarios=tuple(scenarios), baseline="A", sweep=None)
    workers = args.workers or default_workers()
    print(f"comparing B = {scenarios[1].label!r} with A = {scenarios[0].label!r}: {exp.replications} paired "
          f"replications x {exp.steps} days", file=sys.stderr)
    data, failed = run_in_memory(exp, workers=workers, scheduler=args.scheduler, progress=not args.quiet,
                                 allow_large=args.allow_large)
    for f in failed:
        print(f"run {f.task.run_id} failed: {f.error}", file=sys.stderr)
    if data.empty:
        raise UserError("every run failed")
    runs = stats.run_values(data, exp.outputs, exp.summary_days)
    means = runs.groupby("scenario")[list(exp.outputs)].mean()
    diff = stats.paired_differences(runs, exp.outputs, "A").set_index("output")
    rows = []
    for out in exp.outputs:
        d = diff.loc[out] if out in diff.index else None
        rows.append({"output (company)": stats.describe(out, exp.steps, exp.summary_days),
                     "A": stats.fmt(means.loc["A", out]) if "A" in means.index else "n/a",
                     "B": stats.fmt(means.loc["B", out]) if "B" in means.index else "n/a",
                     "B - A": stats.fmt(d["difference"]) if d is not None else "n/a",
                     "95% CI": f"{stats.fmt(d['ci_low'])} .. {stats.fmt(d['ci_high'])}" if d is not None else "n/a",
                     "n": int(d["n"]) if d is not None else 0})
    table = pd.DataFrame(rows)
    print(f"A: {scenarios[0].label}\nB: {scenarios[1].label}\n")
    print(table.to_string(index=False))
    if exp.headline in diff.index:
        print("\n" + stats.sentence(f"B ({scenarios[1].label})", stats.describe(exp.headline, exp.steps, exp.summary_days),
                                    diff.loc[exp.headline].to_dict(), f"A ({scenarios[0].label})", exp.headline))
    return 0
