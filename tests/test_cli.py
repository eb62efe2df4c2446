"""The command line as users meet it: results, and one clear line for every bad input."""

import subprocess
import sys

import pandas as pd
import pytest

from lealtad.cli import main


def lealtad(*args):
    return subprocess.run([sys.executable, "-m", "lealtad.cli", *args], capture_output=True, text=True)


def test_run_prints_headline_and_writes_outputs(tmp_path):
    out, snap = tmp_path / "daily.parquet", tmp_path / "final.csv"
    r = lealtad("run", "--steps", "30", "--quiet", "--set", "n_customers=500", "--out", str(out), "--snapshot", str(snap))
    assert r.returncode == 0, r.stderr
    assert "company" in r.stdout and "competitor" in r.stdout and "profit" in r.stdout
    daily = pd.read_parquet(out)
    assert len(daily) == 60 and set(daily.firm) == {"company", "competitor"}
    assert len(pd.read_csv(snap)) == 500


def test_params_lists_every_parameter_as_json(capsys):
    import json

    from lealtad import PARAMETERS

    assert main(["params", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["name"] for r in rows} == set(PARAMETERS)
    assert all(r["description"] and r["unit"] for r in rows)


@pytest.mark.parametrize("args, words", [
    (["--set", "nope=1"], ["unknown parameter", "nope"]),
    (["--set", "company.staff_per_1000=500"], ["company.staff_per_1000", "500", "from 0.1 to 100"]),
    (["--set", "staff_per_1000=5"], ["staff_per_1000", "set per firm", "company.staff_per_1000"]),
    (["--set", "competitor_training=0.5"], ["competitor_training", "competitor.training"]),
    (["--set", "company.n_customers=500"], ["n_customers", "market-wide"]),
    (["--set", "rival.training=0.5"], ["rival", "not in this market", "company, competitor"]),
    (["--firms", "11"], ["firms", "11", "1 to 10"]),
    (["--firms", "a,b,a"], ["firms", "a", "twice"]),
    (["--firms", "3", "--set", "firm_4.training=0.5"], ["firm_4", "company, competitor, firm_3"]),
    (["--set", "n_customers=ten"], ["n_customers", "ten", "integer"]),
    (["--set", "network=ring"], ["network", "ring", "small_world"]),
    (["--set", "network=file", "--set", "network_file=/no/such.graphml"], ["network_file", "/no/such.graphml"]),
    (["--set", "staff_per_1000"], ["expected name=value"]),
    (["--out", "/no/such/folder/x.csv"], ["/no/such/folder", "does not exist"]),
    (["--out", "results.xlsx"], ["unsupported file type", ".csv, .parquet"]),
])
def test_bad_input_gives_one_clear_line_and_no_output(tmp_path, args, words):
    r = subprocess.run([sys.executable, "-m", "lealtad.cli", "run", "--steps", "5", "--quiet", *args],
                       capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 2
    message = r.stderr.strip()
    assert len(message.splitlines()) == 1 and "Traceback" not in message
    for w in words:
        assert w in message
    assert list(tmp_path.iterdir()) == []


def test_unwritable_output_is_refused_before_running(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        r = lealtad("run", "--steps", "5", "--quiet", "--out", str(locked / "x.csv"))
        if r.returncode == 0:  # root can write anywhere: nothing to test here
            pytest.skip("running as a user who can write to read-only folders")
        assert r.returncode == 2 and "not writable" in r.stderr
    finally:
        locked.chmod(0o700)


def test_bad_steps_and_seed_are_refused():
    for args in (["--steps", "0"], ["--steps", "x"], ["--seed", "-4"]):
        r = lealtad("run", "--quiet", *args)
        assert r.returncode == 2 and ("not allowed" in r.stderr or "not a whole number" in r.stderr)
