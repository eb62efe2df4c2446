"""Reports: the HTML opens, holds every scenario, and its figures, sentences and indices carry the
experiment's numbers. CI-sized sweeps (400-500 customers, 30-60 days, 1-3 replications)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lealtad.cli import main
from lealtad.experiments import load, run_sweep
from lealtad.report import build_report, export_figures, write_report

DATA = Path(__file__).parent / "data"


def _sweep(name: str, folder: Path) -> Path:
    run_sweep(load(DATA / f"{name}.toml"), folder, workers=1, progress=False)
    return folder


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return _sweep("tiny", tmp_path_factory.mktemp("tiny"))


@pytest.fixture(scope="module")
def grid(tmp_path_factory):
    return _sweep("tiny_grid", tmp_path_factory.mktemp("grid"))


def test_html_is_self_contained_and_names_every_scenario(tiny):
    path = write_report(tiny)
    assert path == tiny / "report.html"
    page = path.read_text()
    assert not re.search(r"<script[^>]+src=", page), "plotly.js must be inline so the report opens offline"
    assert "Plotly.newPlot" in page and len(page) > 1_000_000  # the library itself is in the page
    for label in ("current staffing", "more staff"):
        assert label in page
    assert "Twice the front-line staff" in page  # scenario descriptions are shown


def test_every_kept_output_has_a_trajectory_per_scenario_with_data(tiny):
    rep = build_report(tiny)
    exp = load(DATA / "tiny.toml")
    for out in exp.outputs:
        fig = rep.figure(f"trajectory:{out}")
        lines = [t for t in fig.data if t.mode == "lines"]
        assert [t.name for t in lines] == ["current staffing", "more staff"]
        for t in lines:
            assert len(t.y) == exp.steps and np.isfinite(np.asarray(t.y, dtype=float)).sum() > 0


def test_band_is_the_central_95_percent_of_the_replications(tiny):
    rep = build_report(tiny)
    fig = rep.figure("trajectory:cumulative_profit")
    band, line = fig.data[0], fig.data[1]  # baseline: band polygon, then median line
    df = pd.read_parquet(tiny / "results.parquet")
    last = df[(df.scenario == "baseline") & (df.firm == "company") & (df.day == df.day.max())]["cumulative_profit"]
    assert line.y[-1] == pytest.approx(last.median())
    steps = len(line.y)
    assert band.y[steps - 1] == pytest.approx(last.quantile(0.975))  # upper edge at the last day
    assert band.y[steps] == pytest.approx(last.quantile(0.025))      # lower edge, walked back
    assert "central 95% of the 3 replications" in fig.layout.title.text


def test_bands_stay_in_the_outputs_own_domain(tiny):
    """Counts and waits cannot go below zero: quantiles of runs never do, mean - sd did."""
    rep = build_report(tiny)
    for out in ("wait_mean", "active", "quits"):
        for t in rep.figure(f"trajectory:{out}").data:
            assert np.nanmin(np.asarray(t.y, dtype=float)) >= 0, out


def test_sentences_and_difference_figure_use_the_paired_intervals(tiny):
    rep = build_report(tiny)
    paired = pd.read_csv(tiny / "paired.csv").set_index(["scenario", "output"])
    d = paired.loc[("more_staff", "cumulative_profit")]
    assert len(rep.sentences) == 1
    sentence = rep.sentences[0]
    assert sentence.startswith("more staff ")
    assert "over 3 paired replications" in sentence and "95% CI" in sentence
    assert f"by {abs(d['difference']):,.0f} EUR" in sentence  # the unit
    if d["baseline_mean"] > 0:  # and the relative change, against the baseline's level
        assert f"{100 * d['difference'] / d['baseline_mean']:+.1f} % of the baseline's" in sentence
    verb = "raised" if d["difference"] > 0 else "lowered"
    assert verb in sentence
    lo, hi = sorted([abs(d["ci_low"]), abs(d["ci_high"])])
    assert f"{lo:,.0f}..{hi:,.0f}" in sentence.replace(" ", "")
    fig = rep.figure("differences")
    assert {t.name for t in fig.data} == {"more staff"}
    shown = {t.meta: t for t in fig.data}
    assert set(shown) == set(paired.loc["more_staff"].index)  # one panel per output
    profit = shown["cumulative_profit"]
    assert profit.x[0] == pytest.approx(d["difference"])  # in the output's own unit, not % of the baseline
    assert profit.x[0] + profit.error_x.array[0] == pytest.approx(d["ci_high"])
    assert profit.x[0] - profit.error_x.arrayminus[0] == pytest.approx(d["ci_low"])


def test_grid_sweep_has_a_response_curve_per_parameter(grid):
    rep = build_report(grid)
    fig = rep.figure("response:company.in_person_staff_per_1000")
    exp = load(DATA / "tiny_grid.toml")
    assert len(fig.data) == len(exp.outputs) * len(exp.scenarios)  # a menu switches outputs
    shown = [t for t in fig.data if t.visible]
    assert [t.name for t in shown] == ["usual training", "trained staff"]
    for t in shown:
        assert list(t.x) == [3.0, 6.0, 12.0] and np.isfinite(np.asarray(t.y, dtype=float)).all()
    assert len(fig.layout.updatemenus[0].buttons) == len(exp.outputs)
    # 2 scenarios x 3 points = 6 lines per trajectory figure: few enough to show each point
    assert len([t for t in rep.figure("trajectory:active").data if t.mode == "lines"]) == 6
    # one sentence per scenario and sweep point, naming the point: never pooled across points
    paired = pd.read_csv(grid / "paired.csv")
    profit = paired[paired.output == "cumulative_profit"].sort_values("point")
    assert len(rep.sentences) == 3
    for sentence, (_, d) in zip(rep.sentences, profit.iterrows()):
        assert sentence.startswith(f"At company.in_person_staff_per_1000 = {d['company.in_person_staff_per_1000']:g}, trained staff ")
        from lealtad.experiments.stats import fmt

        assert f"by {fmt(abs(d['difference']))} EUR" in sentence and f"over {int(d['n'])} paired" in sentence
    curve = [t for t in rep.figure("difference:company.in_person_staff_per_1000").data if t.visible]
    assert list(curve[0].y) == pytest.approx(list(profit["difference"]))  # each point's own difference
    assert list(curve[0].x) == [3.0, 6.0, 12.0]
    page = write_report(grid).read_text()
    assert "usual training" in page and "trained staff" in page


@pytest.mark.parametrize("design", ["sobol", "morris"])
def test_sensitivity_indices_where_the_design_allows(design, tmp_path):
    pytest.importorskip("SALib")
    folder = _sweep(f"tiny_{design}", tmp_path)
    rep = build_report(folder)
    fig = rep.figure("sensitivity:baseline")
    names = {t.name: t for t in fig.data}
    assert set(names) == ({"S1", "ST"} if design == "sobol" else {"mu_star", "sigma"})
    for t in fig.data:
        assert set(t.x) == {"company.in_person_staff_per_1000", "company.leadership"} and np.isfinite(np.asarray(t.y, dtype=float)).all()
    if design == "morris":  # mu* is a mean of absolute effects, sigma a standard deviation
        assert all(v >= 0 for v in names["mu_star"].y) and all(v >= 0 for v in names["sigma"].y)
    for t in fig.data:  # every index has its interval, around it
        y, up, down = (np.asarray(v, dtype=float) for v in (t.y, t.error_y.array, t.error_y.arrayminus))
        assert np.isfinite(up).all() and (up >= 0).all() and (down >= 0).all()
    assert any("moves cumulative_profit on day 30 most" in s and "95% CI" in s for s in rep.sentences)
    conv = rep.figure(f"convergence-{design}:baseline")  # indices against sample size
    assert max(max(t.x) for t in conv.data) == (32 if design == "sobol" else 10)
    table = dict(rep.tables)["Sensitivity indices of every kept output with 95% intervals, company"]
    assert set(table["output"]) == {"cumulative_profit", "active"} and table["95% CI"].str.contains("..").all()
    assert "Sensitivity" in write_report(folder).read_text()


def test_no_sensitivity_section_for_designs_that_do_not_allow_it(grid):
    rep = build_report(grid)
    assert not [n for _, n, _ in rep.figures if n.startswith("sensitivity")]


def test_report_command_and_its_errors(tiny, tmp_path, capsys):
    out = tmp_path / "r.html"
    assert main(["report", str(tiny), "--out", str(out)]) == 0
    assert out.exists() and "report:" in capsys.readouterr().out
    assert main(["report", str(tmp_path / "nowhere")]) == 2
    assert "not a results folder" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["report", str(empty)]) == 2
    assert "no manifest.json" in capsys.readouterr().err
    assert main(["report", str(tiny), "--export", "gif"]) == 2
    assert "gif is not allowed" in capsys.readouterr().err
    assert main(["report", str(tiny), "--out", str(tmp_path / "r.pdf")]) == 2
    assert "unsupported file type" in capsys.readouterr().err


def test_report_of_an_interrupted_sweep_notes_the_missing_runs(tmp_path, capsys):
    folder = tmp_path / "res"

    def stop_after_four(result, done=[]):
        done.append(result)
        if len(done) == 4:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_sweep(load(DATA / "tiny.toml"), folder, workers=1, progress=False, on_result=stop_after_four)
    rep = build_report(folder)
    assert any("2 run(s) did not finish" in n for n in rep.notes)
    assert "over 1 paired replication," in rep.sentences[0]  # only replication 0 of more_staff finished


def test_report_needs_at_least_one_finished_run(tmp_path, capsys):
    edges = tmp_path / "bad.txt"
    edges.write_text("not a graph\n")
    exp = tmp_path / "allfail.toml"
    exp.write_text(f'name = "allfail"\nsteps = 5\nreplications = 1\n[base]\nn_customers = 100\nnetwork = "file"\n'
                   f'network_file = "{edges}"\n')
    assert main(["sweep", str(exp), "--out", str(tmp_path / "res"), "--quiet", "--workers", "1"]) == 1
    assert main(["report", str(tmp_path / "res")]) == 2
    assert "no run finished yet" in capsys.readouterr().err


def test_static_export_writes_files_or_skips_with_a_message(tiny, tmp_path):
    rep = build_report(tiny)
    rep.figures = rep.figures[:1]  # one figure is enough to exercise the path
    messages = export_figures(rep, tmp_path / "figures", ("svg",))
    assert len(messages) == 1
    if messages[0].startswith("figures:"):
        files = list((tmp_path / "figures").glob("*.svg"))
        assert len(files) == 1 and files[0].read_text().lstrip().startswith("<")
    else:
        assert messages[0].startswith("static export skipped")


@pytest.mark.browser
def test_report_renders_in_a_real_browser(tiny):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        pytest.skip("chromium is not installed")
    path = write_report(tiny)
    dom = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=8000",
                          "--dump-dom", path.as_uri()], capture_output=True, text=True, timeout=120).stdout
    rep = build_report(tiny)
    # plotly draws one <svg class="main-svg"> layer pair per figure once its script has run
    assert dom.count('class="main-svg"') >= len(rep.figures)


def test_scenarios_keep_the_order_of_the_file(tmp_path):
    path = tmp_path / "order.toml"
    path.write_text((DATA / "tiny.toml").read_text() + '\n[scenarios.a_same]\nlabel = "same again"\n')
    run_sweep(load(path).with_overrides(replications=2, steps=10), tmp_path / "out", workers=1, progress=False)
    rep = build_report(tmp_path / "out")
    assert [s.split(" ")[0] for s in rep.sentences] == ["more", "same"]
    assert [t.name for t in rep.figure("trajectory:active").data if t.mode == "lines"] == [
        "current staffing", "more staff", "same again"]
    assert "same again did not change" in rep.sentences[1]  # common random numbers: exactly the baseline
