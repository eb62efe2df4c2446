"""Experiments: policy comparisons and parameter sweeps (``lealtad sweep``, ``lealtad compare``).

    from lealtad.experiments import load, run_sweep
    exp = load("experiments/staff_morale.toml").with_overrides(replications=5)
    run_sweep(exp, "results/staff_morale")

The file format, the commands and the outputs are described in docs/experiments.md.
"""

from .runner import make_tasks, replication_seed, run_in_memory, run_sweep, run_task
from .spec import Experiment, ExperimentError, Scenario, Sweep, load, parse

__all__ = ["Experiment", "ExperimentError", "Scenario", "Sweep", "load", "parse", "make_tasks", "replication_seed",
           "run_in_memory", "run_sweep", "run_task"]
