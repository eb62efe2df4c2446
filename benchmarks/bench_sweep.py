"""Sweep throughput: runs per minute for the shipped experiments, serial and on W local processes,
and the same runs through Mesa's `mesa.batch_run` (same model class, same parameters, same seeds).

    python benchmarks/bench_sweep.py                      # 8 runs of each experiment, W = cores
    python benchmarks/bench_sweep.py --runs 8 --workers 2 staff_morale strike
    python benchmarks/bench_sweep.py --quick              # 1,000 customers, 60 days: a smoke check

Columns: runs/min serial and parallel for lealtad's runner (`lealtad.experiments.runner.execute`, the
code `lealtad sweep` uses, without writing files) and for `mesa.batch_run`; "ratio" is lealtad's
runs/min divided by batch_run's; "efficiency" is parallel runs/min over W x serial runs/min (1.0 is
perfect scaling; the issue's target is at least 0.9). Pool start-up is included, as a user waits for it
too: with few runs per worker it weighs on the parallel numbers. The machine may be shared: rerun
before believing a difference of a few percent.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from lealtad import LoyaltyModel

ROOT = Path(__file__).resolve().parents[1]
SEVEN = ("faster_response", "staff_morale", "acquire_vs_retain", "service_recovery", "strike",
         "network_structure", "sensitivity")


def sample_tasks(exp, runs: int):
    """``runs`` tasks spread evenly over the experiment's scenarios and points, replication 0 first
    (so that batch_run, which takes one seed list per call, needs few calls)."""
    import numpy as np

    from lealtad.experiments import make_tasks

    tasks = sorted(make_tasks(exp.with_overrides(replications=max(1, runs))),
                   key=lambda t: (t.replication, t.scenario, t.point))
    per_rep = len(tasks) // max(1, runs)
    if per_rep >= runs:  # enough scenario x point combinations in replication 0
        return [tasks[i] for i in np.linspace(0, per_rep - 1, runs).round().astype(int)]
    return tasks[:runs]


def ours(tasks, workers: int) -> float:
    from lealtad.experiments.runner import execute

    start = time.perf_counter()
    results = list(execute(tasks, workers))
    elapsed = time.perf_counter() - start
    failed = [r for r in results if r.error]
    if failed:
        raise SystemExit(f"run {failed[0].task.run_id} failed: {failed[0].error}")
    return 60 * len(tasks) / elapsed


class TaskModel(LoyaltyModel):
    """LoyaltyModel taking its parameters as one dict, so that batch_run can be handed our runs' parameter
    sets as the values of a single parameter (batch_run otherwise crosses every parameter's values)."""

    def __init__(self, params: dict, rng: int):
        super().__init__(rng=rng, **params)


def mesa_batch_run(tasks, workers: int) -> float:
    """The same runs through mesa.batch_run: one call per seed (replication) with every parameter set."""
    import mesa

    start = time.perf_counter()
    for seed in sorted({t.seed for t in tasks}):
        group = [t for t in tasks if t.seed == seed]
        mesa.batch_run(TaskModel, parameters={"params": [t.params for t in group]}, rng=[seed],
                       max_steps=group[0].steps, number_processes=workers, data_collection_period=-1,
                       display_progress=False)
    return 60 * len(tasks) / (time.perf_counter() - start)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("experiments", nargs="*", default=list(SEVEN), help="names in experiments/ (default: all seven)")
    parser.add_argument("--runs", type=int, default=8, help="runs per experiment (default 8)")
    parser.add_argument("--workers", type=int, help="local processes (default: cores)")
    parser.add_argument("--quick", action="store_true", help="1,000 customers and 60 days instead of the files' sizes")
    parser.add_argument("--no-mesa", action="store_true", help="skip the mesa.batch_run comparison")
    args = parser.parse_args(argv)

    from lealtad.experiments import load
    from lealtad.experiments.runner import default_workers

    workers = args.workers or default_workers()
    rows = []
    print(f"{'experiment':<20} {'runs':>4} {'size':>14} {'serial':>8} {'W=' + str(workers):>8} {'effic.':>7} "
          f"{'mesa 1':>8} {'mesa W':>8} {'ratio 1':>8} {'ratio W':>8}   (runs per minute)", flush=True)
    for name in args.experiments:
        exp = load(ROOT / "experiments" / f"{name}.toml")
        if args.quick:
            exp = exp.with_overrides(steps=60, base={"n_customers": 1000})
        tasks = sample_tasks(exp, args.runs)
        ours(tasks[:1], 1)  # warm-up: imports and compiled kernels loaded
        serial = ours(tasks, 1)
        parallel = ours(tasks, workers)
        mesa1 = mesa_w = float("nan")
        if not args.no_mesa:
            mesa1 = mesa_batch_run(tasks, 1)
            mesa_w = mesa_batch_run(tasks, workers)
        size = f"{tasks[0].params['n_customers']:,}x{tasks[0].steps}d"
        row = (name, len(tasks), size, serial, parallel, parallel / (workers * serial), mesa1, mesa_w,
               serial / mesa1, parallel / mesa_w)
        rows.append(row)
        print(f"{row[0]:<20} {row[1]:>4} {row[2]:>14} {row[3]:>8.1f} {row[4]:>8.1f} {row[5]:>7.2f} {row[6]:>8.1f} "
              f"{row[7]:>8.1f} {row[8]:>8.2f} {row[9]:>8.2f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
