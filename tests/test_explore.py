"""Policy search and scenario discovery through the EMA Workbench, on tiny cases whose answers are
known by construction: a lever that only costs money, and a failure planted in one region."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("ema_workbench")

from lealtad.cli import main  # noqa: E402
from lealtad.experiments import explore  # noqa: E402
from lealtad.experiments.explore_spec import load_exploration  # noqa: E402

DATA = Path(__file__).parent / "data"


def test_a_lever_that_only_costs_money_ends_at_its_minimum_with_a_paired_gain():
    ex = load_exploration(DATA / "tiny_optimize.toml")
    res = explore.optimize(ex)
    best = res.chosen.iloc[0]
    assert best["training_cost"] < 5  # of 0..100: common random numbers make profit fall strictly in it
    gain = res.gains.set_index("output").loc["cumulative_profit"]
    # against the default training_cost of 40, on fresh seeds: a clear gain, and only in costs
    assert gain["ci_low"] > 0 and gain["n"] == 3
    costs = res.gains.set_index("output").loc["costs"]
    assert costs["difference"] == pytest.approx(-gain["difference"])


def test_a_constraint_moves_the_optimum_to_its_edge(tmp_path):
    """'costs >= c' with c the costs at training_cost = 50: the cheapest feasible policy is 50."""
    ex = load_exploration(DATA / "tiny_optimize.toml")
    evaluate = explore.Evaluate(explore.base_params(ex.experiment), ex.experiment.steps, ex.experiment.outputs,
                                ex.experiment.summary_days, (explore.replication_seed(4, 0),
                                                             explore.replication_seed(4, 1)))
    c = evaluate.many([{"training_cost": 50.0}])[0]["costs"]
    text = (DATA / "tiny_optimize.toml").read_text().replace(
        'objectives = ["max cumulative_profit"]', f'objectives = ["max cumulative_profit"]\nconstraints = ["costs >= {c}"]')
    path = tmp_path / "constrained.toml"
    path.write_text(text)
    res = explore.optimize(load_exploration(path))
    assert 50 <= res.chosen.iloc[0]["training_cost"] < 56


def test_discover_finds_the_planted_failure_region(tmp_path):
    ex = load_exploration(DATA / "tiny_discover.toml")
    evaluate = explore.Evaluate(explore.base_params(ex.experiment), ex.experiment.steps, ex.experiment.outputs,
                                ex.experiment.summary_days, (explore.replication_seed(4, 0),))
    # profit falls linearly in the wage (it only adds costs): fail above a wage of 200
    edge = evaluate.many([{"daily_wage": 200.0, "recovery_cost": 0.0}])[0]["cumulative_profit"]
    path = tmp_path / "planted.toml"
    path.write_text((DATA / "tiny_discover.toml").read_text().replace(
        'failure = "cumulative_profit < -6100"', f'failure = "cumulative_profit < {edge}"'))
    res = explore.discover(load_exploration(path))
    assert list(res.box["uncertainty"]) == ["daily_wage"]  # recovery_cost does nothing: never restricted
    box = res.box.iloc[0]
    assert 190 <= box["low"] <= 205 and box["high"] == pytest.approx(box["full_high"])
    assert res.stats["coverage"] >= 0.9 and res.stats["density"] >= 0.8
    failed = res.experiments["failed"]
    assert (failed == (res.experiments["daily_wage"] > 200)).mean() > 0.97


def test_batches_run_the_same_on_processes_and_dask_as_in_this_process():
    ex = load_exploration(DATA / "tiny_optimize.toml")
    args = (explore.base_params(ex.experiment), 5, ex.experiment.outputs, 30, (1, 2))
    candidates = [{"training_cost": v} for v in (0.0, 30.0, 90.0)]
    serial = explore.Evaluate(*args).many(candidates)
    parallel = explore.Evaluate(*args, workers=2)
    with explore._pooled(parallel):
        assert parallel.many(candidates) == serial
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, host="127.0.0.1",
                                  protocol="tcp://", dashboard_address=None) as cluster:
        assert explore.Evaluate(*args, scheduler=cluster.scheduler_address).many(candidates) == serial


@pytest.mark.parametrize("change,fragments", [
    (('objectives = ["max cumulative_profit"]', 'objectives = ["max profitt"]'),
     ["optimize.objectives", "'profitt' is not a kept output", "cumulative_profit, costs, nps"]),
    (('objectives = ["max cumulative_profit"]', 'objectives = ["maximise cumulative_profit"]'),
     ["optimize.objectives", "expected 'max OUTPUT' or 'min OUTPUT'"]),
    (('evaluations = 40', 'evaluations = 40\nconstraints = ["satisfaction >= 0.5"]'),
     ["optimize.constraints", "'satisfaction' is not a kept output"]),
    (('evaluations = 40', 'evaluations = 40\nconstraints = ["nps is high"]'),
     ["optimize.constraints", "expected 'OUTPUT >= NUMBER'"]),
    (("training_cost = {low = 0.0, high = 100.0}", "training_cost = 40.0"),
     ["levers.training_cost", "40.0 is not allowed", "a lever needs a range"]),
    (("training_cost = {low = 0.0, high = 100.0}", "training_costs = {low = 0.0, high = 100.0}"),
     ["levers.training_costs", "unknown parameter"]),
    (("training_cost = {low = 0.0, high = 100.0}", "training_cost = {low = 50.0, high = 10.0}"),
     ["levers.training_cost", "low 50.0 must be below high 10.0"]),
])
def test_bad_input_is_refused_in_one_line_and_nothing_is_written(change, fragments, tmp_path, capsys):
    path = tmp_path / "bad.toml"
    path.write_text((DATA / "tiny_optimize.toml").read_text().replace(*change))
    out = tmp_path / "out"
    assert main(["optimize", str(path), "--out", str(out), "--quiet", "--workers", "1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    for fragment in fragments:
        assert fragment in err, err
    assert not out.exists()


def test_a_file_without_the_table_is_refused(capsys, tmp_path):
    assert main(["discover", str(DATA / "tiny_optimize.toml"), "--out", str(tmp_path / "o")]) == 2
    assert "no [discover] table" in capsys.readouterr().err
    assert main(["optimize", str(DATA / "tiny.toml"), "--out", str(tmp_path / "o")]) == 2
    assert "no [optimize] table" in capsys.readouterr().err and not (tmp_path / "o").exists()


def test_the_commands_print_and_write_their_results(tmp_path, capsys):
    out = tmp_path / "opt"
    assert main(["optimize", str(DATA / "tiny_optimize.toml"), "--out", str(out), "--quiet", "--workers", "1",
                 "--evaluations", "16"]) == 0
    printed = capsys.readouterr()
    text = printed.out
    assert "Pareto set" in text and "fresh paired replications" in text and "raised cumulative_profit" in text
    assert "%|" not in printed.err  # --quiet: no progress bar, the workbench's own included
    assert {p.name for p in out.iterdir()} == {"pareto.csv", "chosen.csv", "gains.csv", "convergence.csv",
                                               "archives.tar.gz"}
    out = tmp_path / "disc"
    assert main(["discover", str(DATA / "tiny_discover.toml"), "--out", str(out), "--quiet", "--workers", "1",
                 "--samples", "40"]) == 0
    text = capsys.readouterr().out
    assert "sampled conditions" in text and "PRIM" in text
    assert (out / "experiments.csv").exists() and (out / "box.csv").exists()


def test_two_opposed_objectives_give_a_pareto_set_spanning_the_lever(tmp_path):
    """Profit and costs move in opposite directions with a lever that only costs money: every value is
    a trade-off, so the Pareto set spreads over the range and each objective's best sits at one end."""
    text = (DATA / "tiny_optimize.toml").read_text().replace(
        'objectives = ["max cumulative_profit"]', 'objectives = ["max cumulative_profit", "max costs"]')
    path = tmp_path / "two.toml"
    path.write_text(text)
    res = explore.optimize(load_exploration(path))
    pareto = res.pareto.sort_values("training_cost")
    assert len(pareto) >= 3
    assert pareto["cumulative_profit"].is_monotonic_decreasing and pareto["costs"].is_monotonic_increasing
    chosen = res.chosen.set_index("policy")["training_cost"]
    assert len(chosen) == 2 and chosen.iloc[0] < 10 and chosen.iloc[1] > 90
