"""Sweep throughput: runs per minute on W cores against W x the single-core rate of the same runs,
measured in the same process, and where a run's time goes.

    python benchmarks/bench_sweep.py                   # the default model (10,000 customers, 365 days), 40 runs
    python benchmarks/bench_sweep.py --runs 40 --workers 2
    python benchmarks/bench_sweep.py --quick           # 1,000 customers, 60 days: a smoke check
    python benchmarks/bench_sweep.py --mesa            # also the same runs through mesa.batch_run

1. Single core, in this process, after a warm-up run: each run's time split into the model (its days,
   with the results store recording each day's outputs), collection (the tidy table of the kept
   outputs) and writing (the run's Parquet file, as `lealtad sweep` writes it).
2. ``lealtad sweep``'s own path (`run_sweep`: process pool start-up, runs, writes, combined tables) on
   W local processes; "efficiency" is its runs/min over W x the single-core rate (1.0 is perfect; the
   target is 0.95). End to end, start-up (the pool's fork server importing lealtad and Mesa and loading
   the compiled kernels) and the final combining are included, as a user waits for them too; in steady
   state (from the first finished runs to the last) they are not: that is the rate of a long sweep.
3. The floor: 295 runs/min at the default size on 2 cores (issue 13). The model alone bounds the
   rate at W x 60 / (model seconds per run); when that bound is below the floor the floor cannot be
   met by the runner and the benchmark says so.

The machine may be shared: rerun before believing a difference of a few percent.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


FLOOR = 295  # runs/min of the default model on 2 cores before the service channels (issue 13)


def experiment_text(runs: int, quick: bool) -> str:
    """An experiment of ``runs`` replications of the default model (one scenario, no sweep)."""
    size = "steps = 60\n[base]\nn_customers = 1000\n" if quick else "steps = 365\n"
    return f'name = "bench"\nreplications = {runs}\nseed = 1\n{size}'


def experiment(runs: int, quick: bool):
    from lealtad.experiments import parse

    return parse(experiment_text(runs, quick))


def single_core(tasks) -> dict:
    """Seconds per run, each part the fastest of the runs (the least disturbed by other work on the
    machine): the model's days (with the results store recording each day), collection (the tidy
    table of the kept outputs, as a sweep takes it) and writing (the run's Parquet file)."""
    from lealtad.experiments.runner import RunResult, _save
    from lealtad.model import LoyaltyModel

    model_s, collect_s, write_s = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for t in tasks:
            start = time.perf_counter()
            model = LoyaltyModel(rng=t.seed, **t.params).run(t.steps)
            model_s.append(time.perf_counter() - start)
            start = time.perf_counter()
            df = model.results()[["day", "firm", *t.outputs]]
            df.insert(0, "seed", t.seed)
            df.insert(0, "replication", t.replication)
            df.insert(0, "point", t.point)
            df.insert(0, "scenario", t.scenario)
            collect_s.append(time.perf_counter() - start)
            start = time.perf_counter()
            _save(Path(tmp), RunResult(t, df, 0.0))
            write_s.append(time.perf_counter() - start)
    model, collection, write = (float(np.min(x)) for x in (model_s, collect_s, write_s))
    return {"model": model, "collection": collection, "writing": write, "run": model + collection + write}


INDEPENDENT = """
import sys, time
from lealtad.experiments import make_tasks, parse
from lealtad.experiments.runner import run_task
tasks = make_tasks(parse(sys.argv[1]))
run_task(tasks[0])
start = time.perf_counter()
for t in tasks:
    run_task(t)
print(time.perf_counter() - start)
"""


def independent_rate(text: str, workers: int) -> float:
    """W separate Python processes each running its share of the runs serially, no runner: what the
    machine gives W models at once (shared memory bandwidth, other users), to tell the runner's
    overhead from the machine's."""
    import subprocess

    procs = [subprocess.Popen([sys.executable, "-c", INDEPENDENT, text], stdout=subprocess.PIPE, text=True)
             for _ in range(workers)]
    seconds = [float(p.communicate()[0]) for p in procs]
    runs = int(text.split("replications = ")[1].split("\n")[0])
    return 60 * workers * runs / max(seconds)


def sweep_rate(exp, workers: int) -> dict:
    """`run_sweep` on ``workers`` processes: runs/min end to end (start to the combined tables), in
    steady state (first finished runs to the last), the start-up before the first run finished (its
    own run time taken off) and the workers' busy share."""
    from lealtad.experiments import run_sweep

    finished: list[tuple[float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        out = run_sweep(exp, Path(tmp) / "out", workers=workers, progress=False,
                        on_result=lambda r: finished.append((time.perf_counter() - start, r.seconds)))
        total = time.perf_counter() - start
    times = sorted(t for t, _ in finished)
    w = min(workers, len(times))
    steady = 60 * (len(times) - w) / (times[-1] - times[w - 1]) if len(times) > w and times[-1] > times[w - 1] else None
    return {"end_to_end": 60 * out.ran / total, "steady": steady, "busy": out.busy,
            "startup": times[0] - min(s for _, s in finished), "combine": total - times[-1]}


def mesa_rate(tasks, workers: int) -> float:
    """The same runs through mesa.batch_run (one call per seed, every parameter set as one value)."""
    import mesa

    from lealtad import LoyaltyModel

    class TaskModel(LoyaltyModel):
        def __init__(self, params: dict, rng: int):
            super().__init__(rng=rng, **params)

    start = time.perf_counter()
    for seed in sorted({t.seed for t in tasks}):
        group = [t for t in tasks if t.seed == seed]
        mesa.batch_run(TaskModel, parameters={"params": [t.params for t in group]}, rng=[seed],
                       max_steps=group[0].steps, number_processes=workers, data_collection_period=-1,
                       display_progress=False)
    return 60 * len(tasks) / (time.perf_counter() - start)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=40, help="runs (default 40)")
    parser.add_argument("--workers", type=int, help="local processes (default: cores)")
    parser.add_argument("--quick", action="store_true", help="1,000 customers and 60 days instead of the defaults")
    parser.add_argument("--mesa", action="store_true", help="also run the same runs through mesa.batch_run")
    args = parser.parse_args(argv)

    from lealtad.experiments import make_tasks
    from lealtad.experiments.runner import default_workers, run_task

    workers = args.workers or default_workers()
    load_before = os.getloadavg()[0]
    exp = experiment(args.runs, args.quick)
    tasks = make_tasks(exp)
    run_task(tasks[0])  # warm-up: imports and compiled kernels loaded
    split = single_core(tasks[: max(3, min(len(tasks), 8))])
    one = 60 / split["run"]
    sweep = sweep_rate(exp, workers)
    rate, busy, steady = sweep["end_to_end"], sweep["busy"], sweep["steady"]
    size = f"{tasks[0].params['n_customers']:,} customers x {tasks[0].steps} days"
    print(f"{len(tasks)} runs of {size}")
    print(f"per run on one core: {split['run']:.3f} s = model {split['model']:.3f} s "
          f"({100 * split['model'] / split['run']:.0f}%) + collection {split['collection']:.3f} s "
          f"({100 * split['collection'] / split['run']:.0f}%) + writing {split['writing']:.3f} s "
          f"({100 * split['writing'] / split['run']:.0f}%)")
    print(f"single core: {one:.1f} runs/min; {workers} x single core: {workers * one:.1f} runs/min")
    print(f"lealtad sweep on {workers} processes, end to end: {rate:.1f} runs/min, efficiency "
          f"{rate / (workers * one):.2f} (target 0.95)"
          + (f", workers busy {100 * busy:.0f}% of the time" if busy is not None else "")
          + f"; start-up {sweep['startup']:.2f} s, combining {sweep['combine']:.2f} s")
    if steady is not None:
        print(f"lealtad sweep on {workers} processes, steady state: {steady:.1f} runs/min, efficiency "
              f"{steady / (workers * one):.2f} (target 0.95)")
    bound = workers * 60 / split["model"]
    if not args.quick:
        best = max(rate, steady or 0.0)
        verdict = "meets" if best >= FLOOR else "misses"
        print(f"floor {FLOOR} runs/min at the default size: this sweep {verdict} it ({best:.1f} runs/min); "
              f"the model alone allows at most {bound:.1f} runs/min on {workers} cores "
              f"({split['model']:.3f} s of model per run)"
              + ("; the floor is out of reach of any runner at this model speed" if bound < FLOOR else ""))
    alone = independent_rate(experiment_text(max(2, args.runs // workers), args.quick), workers)
    print(f"{workers} independent processes (no runner, imports not timed): {alone:.1f} runs/min; the sweep "
          f"reaches {rate / alone:.2f} of that end to end"
          + (f", {steady / alone:.2f} in steady state" if steady is not None else ""))
    print(f"load average (1 min) {load_before:.2f} at the start, {os.getloadavg()[0]:.2f} at the end on "
          f"{os.cpu_count()} cores (this benchmark adds up to {workers}; more is other work sharing the cores, "
          "and then the rates above are a shared machine's)")
    if args.mesa:
        print(f"mesa.batch_run: {mesa_rate(tasks, 1):.1f} runs/min on 1 process, "
              f"{mesa_rate(tasks, workers):.1f} on {workers}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
