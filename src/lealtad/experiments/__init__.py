"""Experiments: policy comparisons and parameter sweeps (``lealtad sweep``, ``lealtad compare``).

    from lealtad.experiments import load, run_sweep
    exp = load("experiments/staff_morale.toml").with_overrides(replications=5)
    run_sweep(exp, "results/staff_morale")

    from lealtad.experiments import run          # in memory, tidy DataFrames (notebooks)
    res = run("experiments/staff_morale.toml")   # or a dict with the file's fields

The file format, the commands and the outputs are described in docs/experiments.md.
"""

from .api import Results, run
from .runner import make_tasks, replication_seed, run_in_memory, run_sweep, run_task
from .spec import Experiment, ExperimentError, Scenario, Sweep, from_dict, load, parse

__all__ = ["Experiment", "ExperimentError", "Results", "Scenario", "Sweep", "from_dict", "load", "parse", "run", "make_tasks", "replication_seed",
           "run_in_memory", "run_sweep", "run_task"]
