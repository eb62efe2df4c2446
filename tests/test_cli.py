"""The command line as users meet it: results, and one clear line for every bad input."""

import contextlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from lealtad.params import PARAMETERS
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from lealtad.cli import main, one_line
from lealtad.params import PARAMETERS, ParameterError, parse_assignments, validate


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
    (["--set", "company.in_person_staff_per_1000=500"], ["company.in_person_staff_per_1000", "500", "from 0 to 100"]),
    (["--set", "in_person_staff_per_1000=5"], ["in_person_staff_per_1000", "set per firm", "company.in_person_staff_per_1000"]),
    (["--set", "competitor_training=0.5"], ["competitor_training", "competitor.training"]),
    (["--set", "company.n_customers=500"], ["n_customers", "market-wide"]),
    (["--set", "rival.training=0.5"], ["rival", "not in this market", "company, competitor"]),
    (["--firms", "11"], ["firms", "11", "1 to 10"]),
    (["--firms", "a,b,a"], ["firms", "a", "twice"]),
    (["--firms", "3", "--set", "firm_4.training=0.5"], ["firm_4", "company, competitor, firm_3"]),
    (["--set", "n_customers=ten"], ["n_customers", "ten", "integer"]),
    (["--set", "network=ring"], ["network", "ring", "small_world"]),
    (["--set", "network=file", "--set", "network_file=/no/such.graphml"], ["network_file", "/no/such.graphml"]),
    (["--set", "in_person_staff_per_1000"], ["expected name=value"]),
    (["--out", "/no/such/folder/x.csv"], ["/no/such/folder", "does not exist"]),
    (["--out", "results.xlsx"], ["unsupported file type", ".csv, .parquet"]),
    (["--steps", "1000000000"], ["--steps", "1000000000", "from 1 to 100,000"]),
    (["--out", "a.csv", "--snapshot", "./a.csv"], ["--out and --snapshot", "'a.csv'", "a file of its own"]),
    (["--set", "n_customers=5000000", "--set", "network_degree=1000"],
     ["5,000,000 customers", "GB of memory (estimate)", "--allow-large"]),
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


def test_an_output_folder_that_cannot_take_files_is_refused_before_running(tmp_path):
    if not Path("/proc").is_dir():
        pytest.skip("needs /proc (a folder where no file can be created, even by root)")
    r = lealtad("run", "--steps", "5", "--quiet", "--out", "/proc/daily.csv")
    assert r.returncode == 2 and "'/proc/daily.csv': not writable" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "company" not in r.stdout  # nothing was simulated


def test_a_write_that_fails_names_the_users_file_not_a_temporary_one(tmp_path, monkeypatch, capsys):
    import errno

    def full_disk(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(pd.DataFrame, "to_csv", full_disk)
    assert main(["run", "--steps", "3", "--quiet", "--set", "n_customers=50", "--out", "daily.csv"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "lealtad run: error: --out 'daily.csv': cannot write it (No space left on device)"
    assert list(tmp_path.iterdir()) == []  # no temporary file left either


def test_going_past_an_estimate_on_purpose(tmp_path, monkeypatch, capsys):
    from lealtad import limits

    monkeypatch.setattr(limits, "machine_memory", lambda available=True: 100e6)  # a 100 MB machine
    assert main(["run", "--steps", "3", "--quiet", "--set", "n_customers=50"]) == 2
    err = capsys.readouterr().err
    assert "more than the 100.0 MB this machine has free" in err and "--allow-large" in err
    assert main(["run", "--steps", "3", "--quiet", "--set", "n_customers=50", "--allow-large"]) == 0
    assert "company" in capsys.readouterr().out
    assert limits.ALLOW_ENV not in os.environ  # the permission ends with the run
    monkeypatch.undo()
    monkeypatch.setattr(limits, "MAX_HOURS", 10.0)  # the largest run allowed takes about 14 hours
    assert main(["run", "--steps", "100000", "--quiet", "--set", "n_customers=5000000", "--set", "network=complete"]) == 2
    err = capsys.readouterr().err
    assert "(5,000,000 customers x 100,000 days) would take about 13.9 hours (estimate)" in err
    assert "more than the limit of 10 hours" in err and "--allow-large" in err


# ------------------------------------------------------------------ property: any --set either runs or one line
NAMES = st.sampled_from(sorted(PARAMETERS)) | st.text(min_size=0, max_size=12)
VALUES = (st.integers(-10**12, 10**12).map(str) | st.floats(allow_nan=True, allow_infinity=True).map(str)
          | st.floats(0, 1).map(str) | st.integers(0, 40).map(str)
          | st.sampled_from(["true", "no", "", " 3 ", "1e3", "0x10", "small_world", "file", "nan"])
          | st.text(max_size=12))
ASSIGNMENTS = st.lists(st.tuples(NAMES, st.sampled_from(["=", "", "=="]), VALUES).map("".join), max_size=5)


@settings(max_examples=300, deadline=None)
@given(ASSIGNMENTS)
def test_property_parameters_are_valid_or_refused_in_one_line(items):
    try:
        params = validate(parse_assignments(items))
    except ParameterError as exc:
        message = one_line(str(exc))  # what the command prints: a name typed with a newline is escaped
        assert message and "\n" not in message and "Traceback" not in message
        return
    import math

    assert set(parse_assignments(items)) <= set(params)  # every change accepted is in the parameters
    # only a parameter whose schema allows inf (a queue that never turns people away) may be infinite
    assert all(math.isfinite(v) or PARAMETERS[k.rpartition(".")[2]].high == math.inf
               for k, v in params.items() if isinstance(v, float))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ASSIGNMENTS)
def test_property_run_either_runs_or_says_one_line_and_writes_nothing(capsys, items):
    capsys.readouterr()
    with tempfile.TemporaryDirectory() as folder, contextlib.chdir(folder):
        # a small market last, so that every run that starts is short
        try:
            code = main(["run", "--steps", "2", "--quiet", "--out", "out.csv",
                         *sum((["--set", i] for i in items), []), "--set", "n_customers=60"])
        except SystemExit as exc:  # argparse's own errors (e.g. `--set -x=1` reads as an option)
            code = exc.code
        out, err = capsys.readouterr()
        event(f"exit status {code}")
        if code == 0:
            assert "company" in out and Path("out.csv").exists()
        else:
            assert code == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err
            assert os.listdir(".") == []


def test_a_snapshot_that_cannot_be_written_leaves_no_daily_outputs(tmp_path, monkeypatch, capsys):
    """--out and --snapshot are written all or none: a failing second file takes the first with it."""
    import pandas as pd

    from lealtad.cli import main

    real = pd.DataFrame.to_csv

    def failing(self, path, *args, **kwargs):
        if "id" in self.columns:  # the customer snapshot
            raise OSError(28, "No space left on device", str(path))
        return real(self, path, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_csv", failing)
    out, snap = tmp_path / "daily.csv", tmp_path / "customers.csv"
    code = main(["run", "--steps", "3", "--quiet", "--set", "n_customers=300", "--out", str(out), "--snapshot", str(snap)])
    message = capsys.readouterr().err.strip()
    assert code == 2 and "--snapshot" in message and len(message.splitlines()) == 1
    assert list(tmp_path.iterdir()) == []  # neither file, no temporary left
