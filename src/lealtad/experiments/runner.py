"""Running an experiment: every scenario x sweep point x replication, serially, on local processes
or on a Dask cluster, with the same numbers in all three.

Replication r of every scenario and point runs with the same seed (common random numbers, see
`lealtad.streams`), so scenario differences are paired. A run is a pure function of its task
(parameters, seed, steps), which is why where it runs does not matter.

Results are written by this process as runs finish, one Parquet file per run in ``OUT/runs/``
(atomically: a temporary file renamed into place), so an interrupted sweep loses only the runs that
were in flight; ``resume=True`` runs only what is missing. A run that raises is recorded in
``OUT/runs/ID.error.json`` and the others go on. At the end the runs are combined into
``results.parquet``, ``summary.csv``, ``paired.csv``, ``points.csv`` and ``manifest.json``.

Before anything starts the sweep's memory and time are estimated (`lealtad.limits`) and ``OUT/.lock``
is taken: it names the process running the sweep, and a second sweep into the same folder (even
with ``force=True``) is refused while that process lives. Local workers are tied to the sweep's
process (Linux's PR_SET_PDEATHSIG, plus a thread that watches the parent everywhere), so they end
with it however it ends, even killed. A run whose worker dies (killed, out of memory) is not taken
as failed at once: it is run again, alone, up to MAX_ATTEMPTS times, as Dask does with its tasks.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import platform
import subprocess
import sys
import threading
import time
import traceback
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import numpy as np
import pandas as pd

from .. import limits
from ..params import PARAMETERS, defaults, validate
from . import stats
from .spec import Experiment

RUN_META = b"lealtad_run"
MAX_ATTEMPTS = 3  # a run whose worker process dies is recorded as failed after dying this often alone


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def replication_seed(seed: int, replication: int) -> int:
    """The seed of replication r: the same for every scenario and point (common random numbers)."""
    state = np.random.SeedSequence([int(seed) & 0xFFFFFFFF, int(seed) >> 32, replication]).generate_state(2, np.uint32)
    return int((int(state[0]) << 31) | (int(state[1]) >> 1))  # 63 bits, non-negative


@dataclass(frozen=True)
class Task:
    run_id: str
    scenario: str
    point: int
    replication: int
    seed: int
    steps: int
    outputs: tuple[str, ...]
    params: dict[str, Any] = field(hash=False)
    allow_large: bool = False  # go past the memory estimate of a network (not part of the fingerprint)
    # (name, function of the model) pairs, recorded after every day like the outputs (Python API)
    reporters: tuple[tuple[str, Callable], ...] = field(default=(), hash=False, compare=False)

    def fingerprint(self) -> str:
        """What the run depends on: a finished run with another fingerprint is stale."""
        extra = {"reporters": [n for n, _ in self.reporters]} if self.reporters else {}
        blob = json.dumps({"params": self.params, "seed": self.seed, "steps": self.steps,
                           "outputs": list(self.outputs), **extra}, sort_keys=True, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()[:20]


def estimate(exp: Experiment, workers: int, scheduler: str | None = None,
             scenarios: Iterable[str] | None = None) -> limits.Cost:
    """Estimated peak memory and wall time of the experiment's runs (see `lealtad.limits`)."""
    wanted = [exp.scenario(s) for s in scenarios] if scenarios else list(exp.scenarios)
    base = {**defaults(exp.base.get("firms")), **exp.base}

    def used(changes: dict) -> dict:  # only what the cost model reads, coerced (compare passes text)
        merged = {**base, **changes}
        return {"firms": merged["firms"], **{k: PARAMETERS[k].coerce(merged[k]) for k in limits.COST_PARAMETERS}}

    runs = ((used({**s.changes, **point}), exp.replications) for s in wanted for point in exp.point_table())
    return limits.sweep_cost(runs, exp.steps, 6 + len(exp.outputs), workers, local=scheduler is None)


def check_limits(exp: Experiment, workers: int, scheduler: str | None = None, allow_large: bool = False,
                 scenarios: Iterable[str] | None = None) -> limits.Cost:
    """Refuse an experiment beyond this machine (one line naming the limit and the estimate)."""
    cost = estimate(exp, workers, scheduler, scenarios)
    where = f"the Dask cluster" if scheduler else f"{min(workers, exp.n_runs())} process(es)"
    limits.check(cost, f"this sweep ({exp.describe_size()} x {exp.steps:,} days on {where})", allow_large)
    return cost


def make_tasks(exp: Experiment, scenarios: Iterable[str] | None = None, allow_large: bool = False,
               reporters: dict | None = None) -> list[Task]:
    """Every run of the experiment, in a fixed order: scenario, point, replication."""
    extra = tuple((reporters or {}).items())
    wanted = [exp.scenario(s) for s in scenarios] if scenarios else list(exp.scenarios)
    tasks = []
    for s in wanted:
        for i, point in enumerate(exp.point_table()):
            params = validate({**exp.base, **s.changes, **point})
            for r in range(exp.replications):
                tasks.append(Task(f"{s.name}__p{i:04d}__r{r:04d}", s.name, i, r, replication_seed(exp.seed, r),
                                  exp.steps, exp.outputs, params, allow_large, extra))
    return tasks


@dataclass
class RunResult:
    task: Task
    data: pd.DataFrame | None
    seconds: float
    error: str | None = None
    trace: str | None = None
    saved: bool = False              # written to its runs folder by the worker (data then not sent back)
    save_error: OSError | None = None


def run_and_save(task: Task, runs_dir: Path) -> RunResult:
    """A run that writes its own file, in the worker process: the parent neither unpickles the table
    nor spends its core on Parquet while the workers wait."""
    result = run_task(task)
    try:
        _save(runs_dir, result)
    except OSError as exc:  # reported by the parent, which stops the sweep
        result.save_error = exc
        return result
    result.saved, result.data = True, None
    return result


def run_task(task: Task) -> RunResult:
    """One simulation. Errors are caught and returned, so one bad run does not stop a sweep."""
    from ..model import LoyaltyModel

    start = time.perf_counter()
    try:
        recorded: list = []
        with limits.allowing_large(task.allow_large):
            model = LoyaltyModel(rng=task.seed, **task.params)
            model.run(task.steps, progress=(lambda _: recorded.append([f(model) for _, f in task.reporters]))
                      if task.reporters else None)
        df = model.results()[["day", "firm", *task.outputs]]
        if task.reporters:
            df = _add_reporters(df, task.reporters, recorded)
        df.insert(0, "seed", np.int64(task.seed))
        df.insert(0, "replication", task.replication)
        df.insert(0, "point", task.point)
        df.insert(0, "scenario", task.scenario)
        return RunResult(task, df, time.perf_counter() - start)
    except Exception as exc:  # recorded with its traceback, the sweep goes on
        return RunResult(task, None, time.perf_counter() - start, f"{type(exc).__name__}: {exc}",
                         traceback.format_exc())


def _add_reporters(df: pd.DataFrame, reporters, recorded: list) -> pd.DataFrame:
    """Columns for custom reporters: a number is the same on every firm's row of its day; a dict
    {firm: number} gives each firm its own."""
    df = df.copy()
    for i, (name, _) in enumerate(reporters):
        values = [day[i] for day in recorded]
        if values and isinstance(values[0], dict):
            df[name] = [float(values[d][f]) for d, f in zip(df["day"], df["firm"])]
        else:
            df[name] = np.asarray(values, dtype=float)[df["day"].to_numpy()]
    return df


# ----------------------------------------------------------------------------------- executors
def execute(tasks: list[Task], workers: int = 1, scheduler: str | None = None,
            run: Callable[[Task], RunResult] = run_task, pool=None) -> Iterator[RunResult]:
    """Run tasks and yield results as they finish (any order). ``run`` is the function each task goes
    through (a module-level function or a partial of one, so that worker processes can import it).
    ``pool``: a pool from `process_pool`, reused across calls by callers that run many small batches."""
    if not tasks:
        return iter(())
    if scheduler:
        return _dask(tasks, scheduler, run)
    if pool is not None:
        return _in_pool(tasks, pool, run)
    if workers <= 1 or len(tasks) == 1:
        return map(run, tasks)
    return _processes(tasks, workers, run)


def process_pool(workers: int):
    """A pool of local worker processes tied to this process. forkserver: safe with threads in this
    process (fork is not), and its server imports lealtad (and warms its compiled kernels) once, so
    that each worker starts in milliseconds."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["lealtad.experiments.runner", "lealtad.model", "lealtad.experiments.warm"])
    else:
        ctx = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=tie_to_parent,
                               initargs=(os.getpid(),))


def _in_pool(tasks: list[Task], pool, run) -> Iterator[RunResult]:
    """Every task on a pool the caller owns (a worker that dies fails its batch: the caller decides)."""
    from concurrent.futures import as_completed

    futures = {pool.submit(run, t): t for t in tasks}
    try:
        for fut in as_completed(futures):
            yield fut.result()
    finally:
        for fut in futures:
            fut.cancel()


def _processes(tasks: list[Task], workers: int, run: Callable[[Task], RunResult]) -> Iterator[RunResult]:
    """A process pool with at most ``workers`` runs in flight. When a worker dies the pool breaks and
    every run in flight is lost with it; those runs are then run again one at a time, so that the
    run that kills its worker is known, and it alone is recorded as failed after MAX_ATTEMPTS."""
    from concurrent.futures import ALL_COMPLETED, FIRST_COMPLETED, wait
    from concurrent.futures.process import BrokenProcessPool

    queue, alone, deaths = deque(tasks), deque(), Counter()
    in_flight: dict = {}
    pool = None
    try:
        while queue or alone or in_flight:
            if pool is None:
                pool = process_pool(min(workers, len(tasks)))
            if not in_flight and alone:
                task = alone.popleft()
                in_flight[pool.submit(run, task)] = task
            while queue and not alone and len(in_flight) < workers:
                task = queue.popleft()
                in_flight[pool.submit(run, task)] = task
            done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            if any(isinstance(f.exception(), BrokenProcessPool) for f in done):
                done, _ = wait(in_flight, return_when=ALL_COMPLETED)  # the pool is gone: all in flight end now
            lost = []
            for fut in done:
                task = in_flight.pop(fut)
                if isinstance(fut.exception(), BrokenProcessPool):
                    lost.append(task)
                    continue
                yield fut.result()
            if not lost:
                continue
            pool.shutdown(wait=True)
            pool = None
            for task in lost:
                deaths[task.run_id] += 1
                if len(lost) == 1 and deaths[task.run_id] >= MAX_ATTEMPTS:
                    yield RunResult(task, None, 0.0, f"worker process died {deaths[task.run_id]} times running this "
                                                     "run (killed, or out of memory?)")
                else:
                    alone.append(task)
    finally:
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)


def tie_to_parent(parent: int):
    """Pool initializer: end this worker when the sweep's process ``parent`` ends, however it ends.
    On Linux the kernel sends SIGKILL when the worker's parent (the fork server, which itself exits
    with the sweep's process) dies (prctl PR_SET_PDEATHSIG); everywhere, a thread checks ``parent``."""
    import signal

    if sys.platform.startswith("linux"):
        import ctypes

        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass

    def watch():
        while True:
            time.sleep(1.0)
            if not _alive(parent):
                os._exit(1)

    threading.Thread(target=watch, name="lealtad-parent-watch", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def _dask(tasks: list[Task], address: str, run: Callable[[Task], RunResult] = run_task) -> Iterator[RunResult]:
    try:
        from dask.distributed import Client, as_completed
    except ImportError:
        from ..io import UserError

        raise UserError("--scheduler needs Dask: pip install 'lealtad[cluster]'") from None
    try:
        client = Client(address, timeout="20s")
    except (OSError, TimeoutError) as exc:
        from ..io import UserError

        raise UserError(f"--scheduler {address!r}: cannot reach a Dask scheduler there ({exc})") from None
    try:
        futures = client.map(run, tasks, pure=False)
        owner = {f.key: t for f, t in zip(futures, tasks)}
        for fut in as_completed(futures):
            try:
                yield fut.result()
            except Exception as exc:  # e.g. KilledWorker: record it, go on with the others
                yield RunResult(owner[fut.key], None, 0.0, f"{type(exc).__name__}: {exc}")
            fut.release()
    finally:
        client.close()


# --------------------------------------------------------------------------------- the sweep
@dataclass
class SweepOutcome:
    out: Path
    done: int
    failed: int
    missing: int
    elapsed: float
    ran: int
    busy: float | None = None  # share of the workers' time spent running models (1.0 = no overhead)


def run_sweep(exp: Experiment, out: Path, workers: int | None = None, scheduler: str | None = None,
              resume: bool = False, force: bool = False, progress: bool = True,
              on_result: Callable[[RunResult], None] | None = None, allow_large: bool = False,
              run: Callable[[Task], RunResult] = run_task) -> SweepOutcome:
    """Run an experiment into ``out``; see the module docstring for what is written. ``allow_large``
    goes past the memory and time estimates; ``run`` replaces `run_task` (tests inject faults)."""
    from ..io import UserError

    out = Path(out)
    workers = default_workers() if workers is None else workers
    check_limits(exp, workers, scheduler, allow_large)
    tasks = make_tasks(exp, allow_large=allow_large)
    if not tasks:
        raise UserError("the experiment has no runs")
    runs_dir = out / "runs"
    lock = _prepare(out, runs_dir, resume, force)
    try:
        return _sweep(exp, out, tasks, workers, scheduler, resume, progress, on_result, run)
    finally:
        _unlock(lock)


def _sweep(exp, out, tasks, workers, scheduler, resume, progress, on_result, run) -> SweepOutcome:
    from tqdm import tqdm

    from ..io import UserError

    runs_dir = out / "runs"
    finished = _finished(runs_dir, tasks) if resume else {}
    todo = [t for t in tasks if t.run_id not in finished]
    started = time.time()
    manifest = _manifest(exp, tasks, workers, scheduler, started)
    _write_json(out / "manifest.json", {**manifest, "status": "running"})
    failed = 0
    ran = 0
    run_seconds = 0.0
    n_workers = None if scheduler else min(workers, len(todo)) or 1
    status = "interrupted"
    bar = tqdm(total=len(todo), desc=exp.name, unit="run", disable=not progress or None, file=sys.stderr,
               smoothing=0.1)
    try:
        if resume and finished:
            bar.write(f"resuming: {len(finished)} of {len(tasks)} runs already done", file=sys.stderr)
        saving = functools.partial(run_and_save, runs_dir=runs_dir) if run is run_task and not scheduler else run
        for result in execute(todo, workers, scheduler, saving):
            try:
                if result.save_error is not None:
                    raise result.save_error
                if not result.saved:
                    _save(runs_dir, result)
            except OSError as exc:  # e.g. a full disk: what was written before is intact
                raise UserError(f"cannot write to {str(runs_dir)!r} ({exc.strerror or exc}); the runs already "
                                "written are kept: fix it and rerun with --resume") from None
            ran += 1
            run_seconds += result.seconds
            if result.error:
                failed += 1
                bar.set_postfix(failed=failed, refresh=False)
            bar.update(1)
            if on_result is not None:
                on_result(result)
        status = "complete"
    finally:
        bar.close()
        elapsed = time.time() - started
        busy = run_seconds / (n_workers * elapsed) if n_workers and elapsed > 0 and ran else None
        try:
            combined = combine(out, exp, tasks)  # also after an interruption: what finished is usable
            done = combined["done"]
            missing = len(tasks) - done
            if status == "complete" and missing:
                status = "incomplete"
            timings = {**_timings(runs_dir, tasks, started, elapsed, ran),
                       "workers_busy": None if busy is None else round(busy, 3)}
            counts = {"total": len(tasks), "done": done, "not_done": missing, "ran_this_time": ran,
                      "failed_this_time": failed}
            _write_json(out / "manifest.json", {**manifest, "status": status, "timings": timings, "runs": counts})
        except OSError as exc:
            if status == "complete":  # otherwise the first error is the one to report
                raise UserError(f"cannot write the combined tables to {str(out)!r} ({exc.strerror or exc}); "
                                "the runs are kept: fix it and rerun with --resume") from None
    return SweepOutcome(out, done, failed, missing, elapsed, ran, busy)


def _prepare(out: Path, runs_dir: Path, resume: bool, force: bool) -> int:
    """Check ``out``, take its lock (returned), and clear what a killed sweep left behind."""
    from ..io import UserError

    if out.exists() and not out.is_dir():
        raise UserError(f"--out {str(out)!r} is a file; give a folder")
    try:
        runs_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"--out {str(out)!r}: cannot create it ({exc.strerror})") from None
    if not os.access(runs_dir, os.W_OK):
        raise UserError(f"--out {str(out)!r}: not writable")
    lock = _lock(out)
    try:
        existing = [p for p in runs_dir.glob("*.parquet") if not p.name.startswith(".")]
        if existing and not (resume or force):
            raise UserError(f"{str(out)!r} already holds {len(existing)} finished runs; add --resume to run only "
                            "what is missing, or --force to start over")
        for folder in (out, runs_dir):
            for f in folder.iterdir():
                # half-written files of a killed sweep (runs or combined tables); with --force, every run too
                if f.name.startswith(".partial-") or (force and folder == runs_dir and f.suffix in (".parquet", ".json")):
                    f.unlink()
    except BaseException:
        _unlock(lock)
        raise
    return lock


LOCK = ".lock"


def _lock(out: Path) -> int:
    """Take ``out/.lock`` and write this process's id in it; refuse if a live process holds it.
    Where fcntl exists the kernel's flock is held too, so a lock left by a process that died (a
    stale lock) is free at once; elsewhere the id in the file is checked for a live process."""
    from ..io import UserError

    path = out / LOCK
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    holder = _lock_holder(fd)
    try:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        taken = True
    except ImportError:
        taken = holder is None or holder == os.getpid() or not _alive(holder)
    except OSError:
        taken = False
    if not taken:
        os.close(fd)
        raise UserError(f"--out {str(out)!r} is in use by another sweep (process {holder or '?'}, named in {path}); "
                        "wait for it to end or stop it first (--force does not override this)")
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, f"{os.getpid()}\n".encode())
    return fd


def _lock_holder(fd: int) -> int | None:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        return int(os.read(fd, 32).decode().strip() or "x")
    except ValueError:
        return None


def _unlock(fd: int):
    """Release the lock: the file stays (removing it would race with a sweep opening it), emptied."""
    try:
        os.ftruncate(fd, 0)
    finally:
        os.close(fd)


def _finished(runs_dir: Path, tasks: list[Task]) -> dict[str, dict]:
    """Runs already on disk for these tasks; a run made with other settings is an error, not reused."""
    from ..io import UserError

    done = {}
    for t in tasks:
        path = runs_dir / f"{t.run_id}.parquet"
        if not path.exists():
            continue
        meta = _run_meta(path)
        if meta is None:  # unreadable (e.g. disk full while writing): run it again
            continue
        if meta.get("fingerprint") != t.fingerprint():
            raise UserError(f"{path} was made with other settings (parameters, steps, seed or outputs changed "
                            "since); use a new --out, or --force to start over")
        done[t.run_id] = meta
    return done


def _run_meta(path: Path) -> dict | None:
    import pyarrow.parquet as pq

    try:
        meta = pq.read_schema(path).metadata or {}
        return json.loads(meta[RUN_META])
    except Exception:  # noqa: BLE001 - any unreadable file counts as not finished
        return None


def _save(runs_dir: Path, result: RunResult):
    """Write one finished run atomically (or its error), so a crash never leaves half a file."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    t = result.task
    error_path = runs_dir / f"{t.run_id}.error.json"
    if result.error:
        _write_json(error_path, {"run_id": t.run_id, "scenario": t.scenario, "point": t.point,
                                 "replication": t.replication, "seed": t.seed, "error": result.error,
                                 "traceback": result.trace, "seconds": result.seconds})
        return
    table = pa.Table.from_pandas(result.data, preserve_index=False)
    meta = {"run_id": t.run_id, "fingerprint": t.fingerprint(), "seconds": round(result.seconds, 4),
            "finished": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), RUN_META: json.dumps(meta).encode()})
    tmp = runs_dir / f".partial-{t.run_id}-{os.getpid()}.tmp"  # not *.parquet: never taken for a run
    try:
        pq.write_table(table, tmp)
        os.replace(tmp, runs_dir / f"{t.run_id}.parquet")
    finally:
        tmp.unlink(missing_ok=True)
    error_path.unlink(missing_ok=True)


def _write_json(path: Path, data: dict):
    tmp = path.with_name(f".partial-{path.name}")
    tmp.write_text(json.dumps(data, indent=2, default=_json_default) + "\n")
    os.replace(tmp, path)


def _json_default(x):
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (np.floating,)):
        return float(x)
    if isinstance(x, Path):
        return str(x)
    return str(x)


# ---------------------------------------------------------------------------------- combining
def combine(out: Path, exp: Experiment, tasks: list[Task] | None = None) -> dict:
    """Gather finished runs into the tables of ``out``; returns counts."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from ..io import write_table

    tasks = make_tasks(exp) if tasks is None else tasks
    runs_dir = out / "runs"
    frames, failures = [], []
    for t in tasks:
        path = runs_dir / f"{t.run_id}.parquet"
        if path.exists() and _run_meta(path) is not None:
            frames.append(pq.read_table(path))  # Arrow tables, made one DataFrame at once (4x faster)
            continue
        err = runs_dir / f"{t.run_id}.error.json"
        info = json.loads(err.read_text()) if err.exists() else {"error": "not run (interrupted)"}
        failures.append({"run_id": t.run_id, "scenario": t.scenario, "point": t.point,
                         "replication": t.replication, "seed": t.seed, "error": info.get("error")})
    points = pd.DataFrame(exp.point_table())
    points.insert(0, "point", range(len(points)))
    write_table(points, out / "points.csv")
    failures_path = out / "failures.csv"
    if failures:
        write_table(pd.DataFrame(failures), failures_path)
    else:
        failures_path.unlink(missing_ok=True)
    if not frames:
        return {"done": 0, "failed": len(failures)}
    results = sort_results(pa.concat_tables(frames).replace_schema_metadata(None).to_pandas(), exp)
    write_table(results, out / "results.parquet")
    _, summary, paired = analyse(results, exp)
    write_table(summary, out / "summary.csv")
    write_table(paired, out / "paired.csv")
    return {"done": len(frames), "failed": len(failures)}


def analyse(results: pd.DataFrame, exp: Experiment, columns=None, firm: str = "company"):
    """Run-level values (one row per run), the summary per scenario and point, and the paired
    differences with the baseline per point, as `lealtad sweep` writes them (points' values joined)."""
    columns = list(exp.outputs) if columns is None else list(columns)
    points = pd.DataFrame(exp.point_table())
    points.insert(0, "point", range(len(points)))
    runs = stats.run_values(results, columns, exp.summary_days, firm)
    summary = stats.summary_table(runs, columns)
    paired = stats.paired_differences(runs, columns, exp.baseline)
    if len(points.columns) > 1:
        runs, summary, paired = (t.merge(points, on="point", how="left") for t in (runs, summary, paired))
    return runs, summary, paired


def sort_results(results: pd.DataFrame, exp: Experiment) -> pd.DataFrame:
    order = {s.name: i for i, s in enumerate(exp.scenarios)}
    key = results["scenario"].map(order)
    return (results.assign(_order=key).sort_values(["_order", "point", "replication", "day", "firm"], kind="stable")
            .drop(columns="_order").reset_index(drop=True))


# ----------------------------------------------------------------------------------- manifest
def _manifest(exp: Experiment, tasks: list[Task], workers: int, scheduler: str | None, started: float) -> dict:
    from .. import __version__

    scenarios = {s.name: {"label": s.label, "description": s.description, "changes": s.changes,
                          "parameters": validate({**exp.base, **s.changes})} for s in exp.scenarios}
    return {
        "experiment": {"name": exp.name, "description": exp.description, "file": exp.path,
                       "sha256": hashlib.sha256(exp.text.encode()).hexdigest(), "text": exp.text},
        "settings": {"steps": exp.steps, "replications": exp.replications, "seed": exp.seed,
                     "outputs": list(exp.outputs), "headline": exp.headline, "baseline": exp.baseline,
                     "summary_days": exp.summary_days, "base": exp.base},
        "scenarios": scenarios,
        "sweep": None if exp.sweep is None else {
            "design": exp.sweep.design, "parameters": list(exp.sweep.names), "values": exp.sweep.values,
            "ranges": exp.sweep.ranges, "points": len(exp.point_table()), "seed": exp.sweep.seed,
            "levels": exp.sweep.levels, "base_samples": exp.sweep.points,
            "second_order": exp.sweep.second_order, "analysis": list(exp.sweep.analysis)},
        "seeds": [replication_seed(exp.seed, r) for r in range(exp.replications)],
        "execution": {"workers": workers if not scheduler else None, "scheduler": scheduler},
        "package": {"name": "lealtad", "version": __version__, "git_commit": _git_commit()},
        "platform": _platform(),
        "started": datetime.fromtimestamp(started, timezone.utc).isoformat(timespec="seconds"),
    }


def _timings(runs_dir: Path, tasks: list[Task], started: float, elapsed: float, ran: int) -> dict:
    seconds = [m["seconds"] for t in tasks if (p := runs_dir / f"{t.run_id}.parquet").exists()
               and (m := _run_meta(p)) is not None]
    return {"started": datetime.fromtimestamp(started, timezone.utc).isoformat(timespec="seconds"),
            "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "elapsed_seconds": round(elapsed, 3),
            "runs_per_minute": round(60 * ran / elapsed, 2) if elapsed > 0 and ran else None,
            "run_seconds_mean": round(float(np.mean(seconds)), 4) if seconds else None,
            "run_seconds_total": round(float(np.sum(seconds)), 3) if seconds else None}


def _git_commit() -> str | None:
    here = Path(__file__).resolve().parent
    try:
        res = subprocess.run(["git", "rev-parse", "HEAD"], cwd=here, capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    if res.returncode != 0:
        return None
    return res.stdout.strip() or None


def _platform() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    versions = {}
    for pkg in ("numpy", "pandas", "mesa", "numba", "scipy", "dask", "distributed", "SALib"):
        try:
            versions[pkg] = version(pkg)
        except PackageNotFoundError:
            pass
    return {"python": sys.version.split()[0], "platform": platform.platform(), "machine": platform.machine(),
            "processor": platform.processor(), "cpus": os.cpu_count(), "node": platform.node(),
            "packages": versions}


# ------------------------------------------------------------------------------ in memory
def run_in_memory(exp: Experiment, scenarios: list[str] | None = None, workers: int = 1,
                  scheduler: str | None = None, progress: bool = True,
                  allow_large: bool = False) -> tuple[pd.DataFrame, list[RunResult]]:
    """Run an experiment without writing anything (for `lealtad compare`): results and failures."""
    from tqdm import tqdm

    check_limits(exp, workers, scheduler, allow_large, scenarios)
    tasks = make_tasks(exp, scenarios, allow_large)
    frames, failed = [], []
    with tqdm(total=len(tasks), desc=exp.name, unit="run", disable=not progress or None, file=sys.stderr) as bar:
        for result in execute(tasks, workers, scheduler):
            (frames.append(result.data) if result.error is None else failed.append(result))
            bar.update(1)
    data = sort_results(pd.concat(frames, ignore_index=True), exp) if frames else pd.DataFrame()
    return data, failed
