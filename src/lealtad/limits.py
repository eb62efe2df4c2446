"""How large a run or a sweep may be, and what it will cost: checked before anything starts.

Two kinds of limit live here, in one place:

- Fixed bounds on what is asked (days, replications, runs of a sweep, sizes of experiment files and
  their text fields). They apply to the values actually used, whichever door they came through: an
  experiment file, a command-line option or the Python API.
- Estimates of memory and run time, compared with this machine. The cost model is deliberately simple
  (linear in customers, contacts and days; its constants were measured on a 2-core machine with
  Python 3.12, see docs/experiments.md "Limits"):

      memory of one run  = PROCESS_BYTES + n x CUSTOMER_BYTES + n x degree x CONTACT_BYTES
                           + days x DAY_BYTES                  (a network file: FILE_EDGE_BYTES per line)
      seconds of one run = RUN_SECONDS + n x degree x CONTACT_SECONDS
                           + days x (DAY_SECONDS + n x CUSTOMER_DAY_SECONDS)

  A sweep runs ``workers`` runs at a time and then combines every run's table in this process.

Going past an estimate on purpose: ``--allow-large`` on the command line, ``allow_large=True`` in
Python (``run_sweep``), or the environment variable ``LEALTAD_ALLOW_LARGE=1`` (what a model built
directly, ``LoyaltyModel(...)``, reads).
"""

from __future__ import annotations

import contextlib
import functools
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from .core.schema import ParameterError

MAX_STEPS = 100_000            # days of one run (about 270 years)
MAX_REPLICATIONS = 100_000
MAX_RUNS = 1_000_000           # runs of one sweep (scenarios x points x replications)
MAX_FILE_BYTES = 1_000_000     # an experiment file
MAX_TEXT_CHARS = 10_000        # one text field of an experiment file (description, label, path)
MAX_HOURS = 24.0               # estimated wall time of one run or one sweep

PROCESS_BYTES = 250e6          # Python with numpy, numba, pandas and Mesa imported
CUSTOMER_BYTES = 300.0         # the customer arrays and Mesa's views of them
CONTACT_BYTES = 60.0           # one person's contact while the network is built (peak, CSR kept)
FILE_EDGE_BYTES = 1000.0       # one line of a network file while networkx reads it
DAY_BYTES = 2000.0             # one day of recorded outputs
RUN_SECONDS = 0.3              # building a model: imports, arrays, compiled kernels from the cache
CONTACT_SECONDS = 2.5e-7       # building one person's contact
DAY_SECONDS = 6e-4             # fixed cost of one day (Mesa's step, queues, records)
CUSTOMER_DAY_SECONDS = 1.0e-7  # one customer for one day
RESULT_CELL_BYTES = 24.0       # one cell of the combined results (the table, a sorted copy, Parquet)

COST_PARAMETERS = ("n_customers", "network", "network_degree", "network_file")  # what the model reads
ALLOW_ENV = "LEALTAD_ALLOW_LARGE"
HOW_TO_ALLOW = "--allow-large (Python: allow_large=True, or LEALTAD_ALLOW_LARGE=1)"


class LimitError(ParameterError):
    """A request beyond a limit: one line naming the limit, the value or estimate and what is allowed."""


def whole_number(value: Any, name: str, low: int, high: int) -> int:
    """``value`` as an int within [low, high], or LimitError naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise LimitError(f"{name}: {value!r} is not allowed; expected a whole number from {low:,} to {high:,}")
    return value


# ------------------------------------------------------------------------------ cost model
@dataclass(frozen=True)
class Cost:
    memory: float   # bytes at the peak
    seconds: float  # wall time


def contacts(params: dict[str, Any]) -> float:
    """Contacts the network stores, summed over people (twice the ties): n x degree."""
    n = params["n_customers"]
    if params["network"] == "complete":
        return 0.0  # handled without storing the n^2 ties
    if params["network"] == "file":
        return 2.0 * _file_edges(params["network_file"])
    return float(n) * min(params["network_degree"], n - 1)


def run_cost(params: dict[str, Any], steps: int) -> Cost:
    """Estimated peak memory and wall time of one run with these (validated) parameters."""
    n, ties = float(params["n_customers"]), contacts(params)
    memory = PROCESS_BYTES + n * CUSTOMER_BYTES + steps * DAY_BYTES
    if params["network"] == "file":
        memory += ties / 2 * FILE_EDGE_BYTES + ties * CONTACT_BYTES
    else:
        memory += ties * CONTACT_BYTES
    seconds = RUN_SECONDS + ties * CONTACT_SECONDS + steps * (DAY_SECONDS + n * CUSTOMER_DAY_SECONDS)
    return Cost(memory, seconds)


def sweep_cost(runs: Iterable[tuple[dict[str, Any], int]], steps: int, columns: int, workers: int,
               local: bool = True) -> Cost:
    """Estimated cost of a sweep: ``runs`` yields (parameters, how many runs use them). ``workers``
    runs at a time; afterwards this process combines every table (runs x days x firms x columns).
    ``local=False`` (a Dask cluster): the runs' memory is the cluster's, only the combining is here."""
    total_runs, seconds, peak, cells = 0, 0.0, 0.0, 0
    for params, count in runs:
        cost = run_cost(params, steps)
        total_runs += count
        cells += count * len(params.get("firms", (0, 0)))
        seconds += count * cost.seconds
        peak = max(peak, cost.memory)
    combining = PROCESS_BYTES + cells * steps * columns * RESULT_CELL_BYTES  # runs x firms x days x columns
    memory = max(combining, min(workers, total_runs) * peak) if local else combining
    return Cost(memory, seconds / max(1, min(workers, total_runs)))


# -------------------------------------------------------------------------------- the machine
def machine_memory(available: bool = True) -> float:
    """Memory this process may use: what is free now (or in total), capped by a container's limit."""
    try:
        import psutil

        vm = psutil.virtual_memory()
        memory = float(vm.available if available else vm.total)
    except ImportError:
        pages = os.sysconf("SC_AVPHYS_PAGES" if available else "SC_PHYS_PAGES")
        memory = float(pages * os.sysconf("SC_PAGE_SIZE"))
    cgroup = Path("/sys/fs/cgroup")  # cgroup v2: a container may have far less than the machine
    try:
        limit = (cgroup / "memory.max").read_text().strip()
        if limit != "max":
            used = float((cgroup / "memory.current").read_text()) if available else 0.0
            memory = min(memory, float(limit) - used)
    except (OSError, ValueError):
        pass
    return memory


def allow_large() -> bool:
    return os.environ.get(ALLOW_ENV, "") not in ("", "0")


@contextlib.contextmanager
def allowing_large(allow: bool = True):
    """Within this block, models built here go past the estimates (what --allow-large does)."""
    if not allow:
        yield
        return
    before = os.environ.get(ALLOW_ENV)
    os.environ[ALLOW_ENV] = "1"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(ALLOW_ENV, None)
        else:
            os.environ[ALLOW_ENV] = before


def check(cost: Cost, what: str, allow: bool = False, memory: float | None = None, available: bool = True):
    """Refuse ``what`` if its estimate is beyond the machine's memory or MAX_HOURS, unless ``allow``."""
    if allow or allow_large():
        return
    memory = machine_memory(available) if memory is None else memory
    free = "free" if available else "in total"
    if cost.memory > memory:
        raise LimitError(f"{what} needs about {size(cost.memory)} of memory (estimate), more than the "
                         f"{size(memory)} this machine has {free}; ask for less, or pass {HOW_TO_ALLOW} to try anyway")
    if cost.seconds > MAX_HOURS * 3600:
        raise LimitError(f"{what} would take about {duration(cost.seconds)} (estimate), more than the limit of "
                         f"{MAX_HOURS:g} hours; ask for less, or pass {HOW_TO_ALLOW} to run it anyway")


def check_network(params: dict[str, Any]):
    """Before a network is built: refuse one that cannot fit in this machine's memory at all."""
    cost = run_cost(params, 0)
    check(Cost(cost.memory, 0.0), f"a network of {params['n_customers']:,} people x {params['network_degree']:,} "
          "contacts" if params["network"] != "file" else f"network_file {params['network_file']!r}",
          available=False)


# ------------------------------------------------------------------------------------ helpers
def _file_edges(path: str) -> int:
    """Edges in a network file, counted without parsing: lines of an edge list, <edge of GraphML."""
    p = Path(path)
    if not p.is_file():
        return 0
    stat = p.stat()
    return _count_edges(str(p), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=64)  # a sweep asks once per point; the file changes rarely
def _count_edges(path: str, mtime_ns: int, nbytes: int) -> int:
    p = Path(path)
    graphml = p.suffix.lower() in (".graphml", ".xml")
    count = 0
    with p.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            count += block.count(b"<edge") if graphml else block.count(b"\n")
    return count + 1


def size(nbytes: float) -> str:
    for unit, factor in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6)):
        if nbytes >= factor:
            return f"{nbytes / factor:.1f} {unit}"
    return f"{nbytes / 1e3:.0f} kB"


def duration(seconds: float) -> str:
    if not math.isfinite(seconds):
        return "forever"
    for unit, factor in (("days", 86400), ("hours", 3600), ("minutes", 60)):
        if seconds >= 2 * factor:
            return f"{seconds / factor:.1f} {unit}"
    return f"{seconds:.0f} s"
