"""The default run and every shipped experiment (small) give the stored golden numbers.

A structural change must not move them; a change meant to move numbers regenerates
tests/golden/baseline.json in its own commit (see tests/golden/runs.py)."""

import json

from golden.runs import BASELINE, compare, golden


def test_golden_runs_unchanged():
    problems = compare(golden(), json.loads(BASELINE.read_text()))
    assert not problems, f"{len(problems)} golden numbers moved, first: " + "; ".join(problems[:5])
