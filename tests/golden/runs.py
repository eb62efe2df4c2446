"""Golden runs: the default run and every shipped experiment, small, reduced to a few numbers.

A structural change of the model must not move these (Starsim's baseline file). Where a change is
meant to move numbers, regenerate the file in that change's own commit and say why:

    .venv/bin/python tests/golden/runs.py --update
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
BASELINE = HERE / "baseline.json"
SMALL = {"n_customers": 2000}
STEPS = 150


def _reduce(results) -> dict:
    """Per firm and output: the mean over days and the last day's value."""
    out = {}
    for firm, rows in results.groupby("firm", sort=False):
        out[str(firm)] = {c: [_num(rows[c].mean()), _num(rows[c].iloc[-1])]
                          for c in rows.columns if c not in ("day", "firm")}
    return out


def _num(x) -> float | None:
    x = float(x)
    return None if math.isnan(x) else x


def golden() -> dict:
    from lealtad.experiments.runner import make_tasks
    from lealtad.experiments.spec import load
    from lealtad.model import LoyaltyModel

    runs = {"default": _reduce(LoyaltyModel(rng=42).run(365).results())}
    for path in sorted((ROOT / "experiments").glob("*.toml")):
        exp = load(path).with_overrides(replications=1, steps=STEPS, base=SMALL)
        points = {0, len(exp.point_table()) - 1}
        for task in make_tasks(exp):
            if task.point in points:
                model = LoyaltyModel(rng=task.seed, **task.params).run(task.steps)
                runs[f"{path.stem}/{task.scenario}/p{task.point}"] = _reduce(model.results())
    return runs


def compare(new: dict, old: dict, rel: float = 1e-9) -> list[str]:
    """Differences beyond floating-point summation, as readable lines."""
    problems = []
    for key in sorted(old.keys() | new.keys()):
        if key not in new or key not in old:
            problems.append(f"{key}: only in {'the baseline' if key in old else 'this run'}")
            continue
        for firm, outputs in old[key].items():
            for name, values in outputs.items():
                got = new[key].get(firm, {}).get(name)
                if got is None:
                    problems.append(f"{key} {firm} {name}: missing")
                    continue
                for which, a, b in zip(("mean", "last"), values, got):
                    if a is None or b is None:
                        if a is not b:
                            problems.append(f"{key} {firm} {name} {which}: {a} -> {b}")
                    elif abs(a - b) > rel * max(1.0, abs(a)):
                        problems.append(f"{key} {firm} {name} {which}: {a:.10g} -> {b:.10g}")
    return problems


if __name__ == "__main__":
    runs = golden()
    if "--update" in sys.argv:
        BASELINE.write_text(json.dumps(runs, indent=1, sort_keys=True) + "\n")
        print(f"wrote {BASELINE} ({len(runs)} runs)")
    else:
        problems = compare(runs, json.loads(BASELINE.read_text()))
        print("\n".join(problems[:60]) or f"all {len(runs)} golden runs unchanged")
        print(f"{len(problems)} differences")
