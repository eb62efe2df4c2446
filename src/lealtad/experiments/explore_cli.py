"""`lealtad optimize FILE` and `lealtad discover FILE` (the EMA Workbench adapter, `explore.py`)."""

from __future__ import annotations

import sys
from pathlib import Path


def add_parser(sub):
    from ..cli import _positive_int

    for name, helptext, func in (
            ("optimize", "search the levers for the best policy mix under constraints (EMA Workbench)", _optimize),
            ("discover", "find the conditions under which a policy fails (PRIM, EMA Workbench)", _discover)):
        p = sub.add_parser(name, help=helptext, description=helptext + ". See docs/experiments.md.")
        p.add_argument("experiment", help="experiment file with [levers]/[uncertainties] and "
                                          f"[{name}] tables, or just NAME")
        p.add_argument("--workers", type=_positive_int, help="local processes (default: the number of cores)")
        p.add_argument("--scheduler", metavar="ADDRESS", help="run on a Dask cluster (needs lealtad[cluster])")
        p.add_argument("--out", type=Path, help=f"results folder (default: results/NAME/{name})")
        p.add_argument("--quiet", action="store_true", help="no progress bars")
        if name == "optimize":
            p.add_argument("--evaluations", type=_positive_int, help="policies to evaluate (default: the file's)")
        else:
            p.add_argument("--samples", type=_positive_int, help="sampled conditions (default: the file's)")
        p.set_defaults(func=func)


def _load(args, table: str):
    from dataclasses import replace

    from ..io import UserError
    from .cli import resolve_path
    from .explore_spec import ExperimentError, load_exploration

    try:
        ex = load_exploration(resolve_path(args.experiment))
    except ExperimentError as exc:
        raise UserError(str(exc)) from None
    part = getattr(ex, table)
    if part is None:
        raise UserError(f"{args.experiment}: no [{table}] table; see docs/experiments.md, 'Policy search and "
                        "scenario discovery'")
    if table == "optimize" and args.evaluations:
        ex = replace(ex, optimize=replace(part, evaluations=max(args.evaluations, 4)))
    if table == "discover" and args.samples:
        ex = replace(ex, discover=replace(part, samples=args.samples))
    out = args.out or Path("results") / ex.experiment.name / table
    _check_folder(out)
    return ex, out


def _check_folder(out: Path):
    """Refuse a folder that cannot take the results before any run."""
    import os

    from ..io import UserError

    if out.exists() and not out.is_dir():
        raise UserError(f"--out {str(out)!r} is a file; give a folder")
    parent = next((p for p in [out, *out.parents] if p.exists()), Path("."))
    if not os.access(parent, os.W_OK):
        raise UserError(f"--out {str(out)!r}: not writable")


def _workers(args) -> int:
    from .runner import default_workers

    return args.workers or default_workers()


def _optimize(args) -> int:
    import pandas as pd

    from ..io import write_table
    from . import explore, stats

    ex, out = _load(args, "optimize")
    exp, opt = ex.experiment, ex.optimize
    levers = [p.name for p in ex.levers]
    print(f"{exp.name}: searching {', '.join(levers)} for "
          f"{', '.join(f'{d} {o}' for d, o in opt.objectives)}"
          + (f" subject to {', '.join(map(str, opt.constraints))}" if opt.constraints else "")
          + f": {opt.evaluations} policies x {opt.replications} replication(s) x {exp.steps} days, "
            f"the same seeds for every policy", file=sys.stderr)
    res = explore.optimize(ex, _workers(args), args.scheduler, archive_dir=out, progress=not args.quiet)
    objectives = [o for _, o in opt.objectives]
    print(f"\nPareto set ({len(res.pareto)} polic{'y' if len(res.pareto) == 1 else 'ies'}; outcomes are means over "
          f"the search's {opt.replications} replication(s)):")
    print(res.pareto.to_string(index=False, float_format=lambda v: stats.fmt(v)))
    print(f"\nChecked against the baseline on {opt.check_replications} fresh paired replications:")
    for _, row in res.chosen.iterrows():
        policy = ", ".join(f"{n} = {row[n]:.4g}" if isinstance(row[n], float) else f"{n} = {row[n]}" for n in levers)
        gains = res.gains[res.gains["scenario"] == row["policy"]].set_index("output")
        for o in objectives:
            print("- " + stats.sentence(f"{row['policy']} ({policy})", stats.describe(o, exp.steps, exp.summary_days),
                                        gains.loc[o].to_dict(), f"the baseline ({exp.baseline})", o))
        for c in opt.constraints:
            b = gains.loc[c.output, "baseline_mean"] + gains.loc[c.output, "difference"]
            print(f"  constraint {c}: {stats.fmt(b)} on the fresh seeds, "
                  + ("met" if c.holds(b) else "NOT met"))
    out.mkdir(parents=True, exist_ok=True)
    for name, table in (("pareto", res.pareto), ("chosen", res.chosen), ("gains", res.gains),
                        ("convergence", pd.DataFrame(res.convergence))):
        write_table(table, out / f"{name}.csv")
    archive = out / ".partial-archives.tar.gz"
    if archive.exists():
        archive.replace(out / "archives.tar.gz")
    print(f"\nresults: {out}/ (pareto.csv, chosen.csv, gains.csv, convergence.csv, archives.tar.gz)")
    return 0


def _discover(args) -> int:
    from ..io import write_table
    from . import explore, stats

    ex, out = _load(args, "discover")
    exp, disc = ex.experiment, ex.discover
    label = exp.scenario(disc.scenario).label
    print(f"{exp.name}: policy '{label}' on {disc.samples} Latin-hypercube samples of "
          f"{', '.join(p.name for p in ex.uncertainties)} x {disc.replications} replication(s) x {exp.steps} days; "
          f"failure: {disc.failure}", file=sys.stderr)
    res = explore.discover(ex, _workers(args), args.scheduler, progress=not args.quiet)
    n, k = res.stats["samples"], res.stats["failures"]
    print(f"\nThe policy '{label}' failed ({disc.failure}) in {k} of {n} sampled conditions.")
    if 0 < k < n:
        where = "; ".join(f"{r['uncertainty']} from {stats.fmt(r['low'])} to {stats.fmt(r['high'])} (of "
                          f"{stats.fmt(r['full_low'])}..{stats.fmt(r['full_high'])})" for _, r in res.box.iterrows())
        print(f"PRIM: it fails in {100 * res.stats['density']:.0f}% of the conditions where {where or 'anywhere'}; "
              f"that box holds {100 * res.stats['coverage']:.0f}% of all failures and "
              f"{100 * res.stats['mass']:.0f}% of the samples.")
        if not res.stats["meets_threshold"]:
            print(f"No box reaches the density asked for ({disc.threshold:.0%}); this is the densest.")
    elif k == n:
        print("It fails everywhere in the sampled ranges: there is no region to separate.")
    else:
        print("It never fails in the sampled ranges.")
    out.mkdir(parents=True, exist_ok=True)
    write_table(res.experiments, out / "experiments.csv")
    write_table(res.box, out / "box.csv")
    if not res.trajectory.empty:
        write_table(res.trajectory, out / "trajectory.csv")
    print(f"\nresults: {out}/ (experiments.csv, box.csv" + (", trajectory.csv)" if not res.trajectory.empty else ")"))
    return 0
