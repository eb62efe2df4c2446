"""docs/trace.md: its sensitivity block is the output of `python -m lealtad.trace_tables` for the
parameters of experiments/sensitivity.toml (the screen itself takes a minute or two and is not rerun
here), and the screen is a valid experiment that the Morris analysis accepts."""

import re

import pandas as pd

from lealtad import trace_tables
from lealtad.experiments import sensitivity
from lealtad.experiments.api import to_experiment


def test_the_screen_is_the_sensitivity_file_made_small():
    exp = to_experiment(trace_tables.screen_spec())
    full = to_experiment(trace_tables.SPEC)
    assert exp.sweep.design == "morris" and exp.sweep.points >= sensitivity.minimum_points("morris")
    assert exp.sweep.names == full.sweep.names and exp.sweep.ranges == full.sweep.ranges
    assert exp.base["n_customers"] < full.base["n_customers"]


def test_the_trace_document_carries_the_generated_block_for_those_parameters():
    text = trace_tables.TRACE.read_text(encoding="utf-8")
    block = text[text.index(trace_tables.BEGIN):text.index(trace_tables.END)]
    exp = to_experiment(trace_tables.screen_spec())
    rows = re.findall(r"^\| `([^`]+)` \|", block, flags=re.M)
    assert rows == list(exp.sweep.names), "run `python -m lealtad.trace_tables` to refresh docs/trace.md"
    assert f"{exp.sweep.points} trajectories" in block and f"{exp.base['n_customers']} people" in block


def test_the_block_is_made_from_the_indices_not_typed():
    """`block` writes what the analysis returns: a changed index changes the text."""
    exp = to_experiment(trace_tables.screen_spec())
    rows = [{"parameter": n, "index": i, "value": v, "ci_low": v / 2, "ci_high": 2 * v, "output": o}
            for o in trace_tables.OUTPUTS for k, n in enumerate(exp.sweep.names)
            for i, v in (("mu_star", 1.0 + k), ("sigma", 0.5))]
    made = trace_tables.block(exp, pd.DataFrame(rows), 1.0)
    assert made.startswith(trace_tables.BEGIN) and made.endswith(trace_tables.END)
    last = exp.sweep.names[-1]
    assert f"`{trace_tables.OUTPUTS[0]}`: `{last}`" in made  # the largest mu* is ranked first
    assert trace_tables.refreshed(f"a\n{trace_tables.BEGIN}\nold\n{trace_tables.END}\nb", made) == f"a\n{made}\nb"
