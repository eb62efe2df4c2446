"""Analysts' tools: per-point summaries and sentences, sensitivity indices with intervals (on the
Ishigami function, whose indices are known), replicated single runs, and the Python API."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lealtad.experiments import stats


# ------------------------------------------------------------------------------ per point
def _runs_with_known_effects():
    """Three sweep points where scenario b beats the baseline by exactly 10, 20 and 30 EUR (plus a
    noise both scenarios share, as common random numbers make them)."""
    rng = np.random.default_rng(0)
    rows = []
    for point in range(3):
        for r in range(5):
            shared = rng.normal(1000 * (point + 1), 50)
            rows.append({"scenario": "baseline", "point": point, "replication": r, "cumulative_profit": shared})
            rows.append({"scenario": "b", "point": point, "replication": r,
                         "cumulative_profit": shared + 10 * (point + 1)})
    return pd.DataFrame(rows)


def test_summaries_and_paired_differences_are_per_point_never_pooled():
    runs = _runs_with_known_effects()
    paired = stats.paired_differences(runs, ["cumulative_profit"], "baseline")
    assert list(paired["point"]) == [0, 1, 2]
    assert list(paired["difference"]) == pytest.approx([10, 20, 30])
    assert list(paired["n"]) == [5, 5, 5]
    assert (paired["ci_high"] - paired["ci_low"]).max() < 1e-6  # the shared noise cancels exactly
    summary = stats.summary_table(runs, ["cumulative_profit"])
    base = summary[summary.scenario == "baseline"].set_index("point")["mean"]
    assert base.loc[2] / base.loc[0] == pytest.approx(3, rel=0.1)  # points keep their own levels


def test_a_sentence_names_the_point_the_unit_and_the_relative_change():
    diff = {"difference": 12_300.0, "ci_low": 8_100.0, "ci_high": 16_500.0, "n": 30, "baseline_mean": 152_000.0}
    s = stats.sentence("better morale", "cumulative_profit on day 365", diff, "current policies",
                       "cumulative_profit", "in_person_staff_per_1000 = 3.3")
    assert s == ("At in_person_staff_per_1000 = 3.3, better morale raised cumulative_profit on day 365 by 12,300 EUR "
                 "(+8.1 % of the baseline's 152,000 EUR; 95% CI 8,100..16,500) over 30 paired replications, "
                 "compared with current policies; the interval excludes zero.")
    # no percentage of a baseline at or below zero, nor of NPS points
    loss = {**diff, "baseline_mean": -5_000.0}
    assert "% of" not in stats.sentence("x", "profit", loss, "y", "cumulative_profit")
    nps = {**diff, "difference": 3.0, "ci_low": 1.0, "ci_high": 5.0, "baseline_mean": 20.0}
    assert "% of" not in stats.sentence("x", "nps", nps, "y", "nps") and "by 3 points" in stats.sentence(
        "x", "nps", nps, "y", "nps")
    # a daily flow totalled over the run loses its 'per day'
    assert stats.unit("profit") == "EUR" and stats.unit("quits") == "employees"


def test_quantile_band_is_within_the_values():
    values = pd.DataFrame({"day": [0] * 5 + [1] * 5, "wait": [0, 0, 0, 1, 9, 0, 0, 0, 0, 0.5]})
    band = stats.quantile_band(values.groupby("day")["wait"])
    assert (band["low"] >= 0).all() and band.loc[0, "high"] <= 9 and band.loc[0, "median"] == 0


def test_intervals_stay_in_the_outputs_own_domain():
    """A t-interval is symmetric; near a bound (a share near 0, a wait near 0) it would hold impossible
    means. Summaries, paired differences and response curves cut it to the output's domain."""
    from lealtad.intervals import mean_ci, t_half_width
    from lealtad.report.build import _point_intervals

    assert stats.domain("abandonment") == (0, 1) and stats.domain("customer_satisfaction") == (0, 1)
    assert stats.domain("wait_mean") == (0, float("inf")) and stats.domain("quits") == (0, float("inf"))
    assert stats.domain("costs") == (0, float("inf")) and stats.domain("nps") == (-100, 100)
    assert stats.domain("cumulative_profit") == (-float("inf"), float("inf"))
    share = [0.0, 0.0, 0.0, 0.02]           # mean 0.005, half-width 3.18 * 0.01 / 2 = 0.0159: below 0 uncut
    half = float(t_half_width(np.std(share, ddof=1), 4))
    assert 0.005 - half < 0
    assert mean_ci(share, domain=(0, 1))[1:3] == pytest.approx((0.0, 0.005 + half))
    rows = [{"scenario": sc, "point": 0, "replication": r, "abandonment": v + (0.99 if sc == "b" else 0),
             "wait_mean": v} for r, v in enumerate(share) for sc in ("baseline", "b")]
    runs = pd.DataFrame(rows)
    summary = stats.summary_table(runs, ["abandonment", "wait_mean"]).set_index(["scenario", "output"])
    assert summary.loc[("baseline", "wait_mean"), "ci_low"] == 0.0
    assert summary.loc[("b", "abandonment"), "ci_high"] == 1.0  # 0.995 + 0.0159 cut at 1
    paired = stats.paired_differences(runs, ["abandonment"], "baseline")
    assert paired["ci_high"].iloc[0] <= 1.0 and paired["difference"].iloc[0] == pytest.approx(0.99)
    curve = _point_intervals(runs[runs.scenario == "baseline"].assign(x=1.0), "x", "wait_mean")
    assert curve["low"].iloc[0] == 0.0 and curve["high"].iloc[0] == pytest.approx(0.005 + half)
    # the lessons' trajectory bands too (mean over replications and its t-band, cut to the domain)
    from lealtad.teaching.build import _band

    frame = pd.DataFrame({"day": [0] * 4, "replication": range(4), "abandonment": share})
    band = _band(frame, "abandonment")
    assert band["low"].iloc[0] == 0.0 and band["high"].iloc[0] == pytest.approx(0.005 + half, abs=1e-4)


def test_run_seeds_intervals_stay_in_each_figures_domain():
    from lealtad import LoyaltyModel
    from lealtad.experiments import replicate
    from lealtad.report_text import summary

    measures = set(summary(LoyaltyModel(rng=1, n_customers=100).run(3).results()).columns)
    assert measures <= set(replicate.DOMAINS)  # every headline figure has a domain
    assert "mean wait, in person (min)" in measures
    assert replicate.domain("market share (end)") == (0, 1)
    assert replicate.domain("market share (end)", difference=True) == (-1, 1)
    # waits of three seeds, two of them zero: the interval's low end is 0, not below
    data = pd.DataFrame({"seed": [1, 2, 3], "v": [0.0, 0.0, 3.0]})
    from lealtad.intervals import mean_ci

    assert mean_ci(data["v"], domain=replicate.domain("mean wait, in person (min)"))[1] == 0.0


def test_lessons_quote_each_sweep_point_never_a_pool():
    """Lesson 4 sweeps one parameter over four values: every figure it quotes is per scenario and point,
    naming the point (here 'more advertising' gains 100, 200, 300, 400 EUR at the four points by
    construction)."""
    from lealtad.teaching import build as B
    from lealtad.teaching.lessons import lesson

    item = lesson(4)
    exp = B.prepare(item, quick=True)
    points = exp.point_table()
    assert len(points) == 4
    outputs = B.lesson_outputs(item)
    rng = np.random.default_rng(3)
    rows = []
    for k in range(len(points)):
        for r in range(3):
            shared = {o: rng.uniform(0.2, 0.8) for o in outputs}
            shared["cumulative_profit"] = rng.normal(50_000 * (k + 1), 1_000)
            for sc in item.scenarios:
                for firm in ("company", "competitor"):
                    for day in (0, 1):
                        row = {"scenario": sc, "point": k, "replication": r, "seed": r, "day": day, "firm": firm,
                               **shared}
                        if sc == "advertise":
                            row["cumulative_profit"] += 100 * (k + 1)
                        rows.append(row)
    run = B.summarise(item, exp, pd.DataFrame(rows), quick=True)
    ads = run.paired[(run.paired.scenario == "advertise") & (run.paired.output == "cumulative_profit")]
    assert list(ads["point"]) == [0, 1, 2, 3] and list(ads["difference"]) == pytest.approx([100, 200, 300, 400])
    section = B.results_section(run, "en", ".", False)
    assert "Mean over" not in section and "averag" not in section
    (name,) = points[0]  # the swept parameter
    values = [f"`{name}` = {v[name]:g}" for v in points]
    sentences = [line for line in section.splitlines() if line.startswith("- `")]
    assert len(sentences) == 4 * (len(item.scenarios) - 1)
    for v, gain in zip(values, ("+100.0", "+200.0", "+300.0", "+400.0")):
        assert any(line.startswith(f"- {v}: *More advertising*") and f"**{gain}**" in line for line in sentences), v
        assert section.count(f"*{v}*") == 2  # a means table and a differences table per point
    assert "[](" not in section and "- [Paired difference from 'current spending'" in section  # every figure titled
    fig = B.differences_figure(run, item.figures[-1], "en")
    assert fig.layout.title.text.startswith("Paired difference from 'current spending'")
    labels = {y for trace in fig.data for y in trace.y}
    assert all(any(v.replace("`", "") in label for label in labels) for v in values)


# ---------------------------------------------------------------------------- sensitivity
ISHIGAMI = {"S1": {"x1": 0.3139, "x2": 0.4424, "x3": 0.0, "dummy": 0.0},   # Ishigami & Homma 1990, with
            "ST": {"x1": 0.5576, "x2": 0.4424, "x3": 0.2437, "dummy": 0.0}}  # a = 7, b = 0.1 (Saltelli 2008)


def _ishigami(design: str, n: int, **extra):
    """A sweep over Ishigami's three inputs on [-pi, pi] and a dummy input it ignores, evaluated on the
    sweep's own design matrix: names are opaque to the analysis, as they will be with per-firm names."""
    from SALib.test_functions import Ishigami

    from lealtad.experiments.designs import matrix
    from lealtad.experiments.spec import Sweep

    names = ("x1", "x2", "x3", "dummy")
    sweep = Sweep(design, names, ranges={n_: (-np.pi, np.pi) for n_ in names}, points=n, seed=3, **extra)
    X = matrix(sweep)
    return sweep, X, Ishigami.evaluate(X[:, :3])


@pytest.mark.parametrize("design,n", [("sobol", 1024), ("fast", 512)])
def test_indices_on_ishigami_hold_the_known_values_within_their_intervals(design, n):
    from lealtad.experiments.sensitivity import analyze

    pytest.importorskip("SALib")
    sweep, X, y = _ishigami(design, n)
    table = analyze(sweep, X, y).set_index(["index", "parameter"])
    for index, known in ISHIGAMI.items():
        for name, value in known.items():
            row = table.loc[(index, name)]
            assert row["ci_low"] - 1e-9 <= value <= row["ci_high"] + 1e-9, (index, name, row.to_dict())
            assert row["ci_high"] - row["ci_low"] < 0.25  # informative at this size


def test_second_order_sobol_finds_the_x1_x3_interaction_alone():
    """Ishigami's only interaction is b x3^4 sin(x1): S13 = ST1 - S1 = 0.2437 (Sobol 2001)."""
    from lealtad.experiments.sensitivity import analyze

    pytest.importorskip("SALib")
    sweep, X, y = _ishigami("sobol", 1024, second_order=True)
    s2 = analyze(sweep, X, y).query("index == 'S2'").set_index("parameter")
    assert s2.loc["x1 x x3", "ci_low"] <= 0.2437 <= s2.loc["x1 x x3", "ci_high"]
    for pair in ("x1 x x2", "x2 x x3", "x1 x dummy"):
        assert s2.loc[pair, "ci_low"] <= 0 <= s2.loc[pair, "ci_high"] + 0.05, pair


def test_morris_and_pawn_have_intervals_and_put_the_dummy_last():
    from lealtad.experiments.sensitivity import analyze

    pytest.importorskip("SALib")
    sweep, X, y = _ishigami("morris", 20)
    morris = analyze(sweep, X, y)
    assert set(morris["index"]) == {"mu_star", "sigma"}
    assert ((morris["ci_low"] <= morris["value"] + 1e-9) & (morris["value"] <= morris["ci_high"] + 1e-9)).all()
    assert morris.query("parameter == 'dummy'")["value"].abs().max() == 0  # an input that does nothing
    sweep, X, y = _ishigami("sobol", 256, analysis=("pawn",))
    pawn = analyze(sweep, X, y, "pawn").set_index("parameter")
    assert pawn["value"].idxmin() == "dummy" and pawn["value"].idxmax() == "x2"
    assert ((pawn["ci_low"] <= pawn["value"]) & (pawn["value"] <= pawn["ci_high"])).all()


def test_convergence_intervals_narrow_with_the_sample_size_and_small_designs_warn():
    from lealtad.experiments.sensitivity import analyze, convergence, ranking_warnings

    pytest.importorskip("SALib")
    sweep, X, y = _ishigami("sobol", 512)
    conv = convergence(sweep, X, y, "sobol")
    assert sorted(conv["samples"].unique()) == [64, 128, 256, 512]
    width = (conv["ci_high"] - conv["ci_low"]).groupby(conv["samples"]).mean()
    assert width[512] < width[64] / 2  # about 1/sqrt(8) of it: intervals shrink as 1/sqrt(N)
    # at the smallest allowed size, x1 and x2's total indices cannot be told apart
    sweep, X, y = _ishigami("sobol", 32)
    messages = ranking_warnings(analyze(sweep, X, y), "ST")
    assert any("uncertain" in m and "x1" in m and "x2" in m for m in messages)
    # an exact case: clearly separated intervals give no warning
    clear = pd.DataFrame({"parameter": ["a", "b"], "index": "ST", "value": [0.6, 0.2], "ci_low": [0.5, 0.1],
                          "ci_high": [0.7, 0.3]})
    assert ranking_warnings(clear, "ST") == []


@pytest.mark.parametrize("sweep,fragments", [
    ('design = "sobol"\npoints = 2', ["sweep.points", "2 is too few", "at least 32 base samples"]),
    ('design = "sobol"\npoints = 16', ["sweep.points", "16 is too few", "at least 32"]),
    ('design = "morris"\npoints = 4', ["sweep.points", "4 is too few", "at least 10 trajectories"]),
    ('design = "fast"\npoints = 64', ["sweep.points", "64 is too few", "at least 65"]),
    ('design = "lhs"\npoints = 50\nanalysis = "pawn"', ["sweep.points", "50 design points", "at least 100"]),
    ('design = "lhs"\npoints = 50\nanalysis = "sobol"', ["sweep.analysis", "'sobol'", "allows pawn"]),
    ('design = "morris"\npoints = 10\nsecond_order = true', ["sweep.second_order", "only a sobol design"]),
])
def test_too_small_or_mismatched_designs_are_refused_with_the_minimum(sweep, fragments):
    from lealtad.experiments import ExperimentError, parse

    text = f'name = "x"\n[sweep]\n{sweep}\n[sweep.parameters]\nfirms.company.training = [0.2, 0.6]\nfirms.company.leadership = [0.1, 0.9]\n'
    with pytest.raises(ExperimentError) as err:
        parse(text)
    message = str(err.value)
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message, message


# --------------------------------------------------------------------------- run --seeds
SMALL = {"n_customers": 300}


def test_run_seeds_intervals_equal_a_direct_computation():
    from scipy import stats as sps

    from lealtad import LoyaltyModel
    from lealtad.experiments import replicate
    from lealtad.params import validate
    from lealtad.report_text import summary

    params = validate(SMALL)
    table = replicate.intervals(replicate.run_seeds(params, 20, 5, 3, workers=1)).set_index(["firm", "measure"])
    direct = pd.concat([summary(LoyaltyModel(rng=s, **params).run(20).results()).reset_index().assign(seed=s)
                        for s in (5, 6, 7)])
    for firm, d in direct.groupby("firm"):
        for measure in ("profit", "employee satisfaction (mean)", "NPS (end)"):
            x = d[measure].to_numpy(dtype=float)
            row = table.loc[(firm, measure)]
            assert row["mean"] == pytest.approx(x.mean()) and row["n"] == 3
            half = sps.t.ppf(0.975, 2) * x.std(ddof=1) / np.sqrt(3)
            assert row["ci_high"] - row["mean"] == pytest.approx(half, abs=1e-9)
    # the firms' difference is paired: seed by seed
    firms = list(pd.unique(direct["firm"]))
    per = direct.set_index(["firm", "seed"])["profit"]
    diff = (per[firms[1]] - per[firms[0]]).to_numpy()
    assert table.loc[(f"{firms[1]} - {firms[0]}", "profit"), "mean"] == pytest.approx(diff.mean())


def test_run_command_says_one_draw_or_prints_intervals(capsys, tmp_path):
    from lealtad.cli import main

    assert main(["run", "--steps", "10", "--set", "n_customers=300", "--quiet"]) == 0
    assert "One draw (seed 42)" in capsys.readouterr().out
    out = tmp_path / "seeds.csv"
    assert main(["run", "--steps", "10", "--set", "n_customers=300", "--quiet", "--seeds", "3", "--workers", "1",
                 "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "3 seeds (42..44)" in text and "95% t-interval" in text and " - " in text
    assert sorted(pd.read_csv(out)["seed"].unique()) == [42, 43, 44]
    assert main(["run", "--seeds", "3", "--snapshot", str(tmp_path / "s.csv")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--snapshot" in err and "single seed" in err
    assert not (tmp_path / "s.csv").exists()


# ------------------------------------------------------------------------------ Python API
DOCS = Path(__file__).resolve().parents[1] / "docs" / "experiments.md"
DATA = Path(__file__).parent / "data"


def test_the_notebook_example_in_the_docs_runs(capsys):
    text = DOCS.read_text()
    section = text[text.index("### In a notebook"):]
    code = section[section.index("```python") + len("```python"):section.index("```\n", section.index("```python") + 9)]
    scope: dict = {}
    exec(compile(code, str(DOCS), "exec"), scope)
    res = scope["res"]
    assert set(res.paired["scenario"]) == {"more_staff"} and res.paired["n"].eq(3).all()
    assert "very_satisfied" in res.daily.columns and "very_satisfied" in set(res.summary["output"])
    share = res.daily["very_satisfied"]
    assert share.between(0, 1).all() and share.nunique() > 1
    # a number reporter is the same on every firm's row of a day
    assert res.daily.groupby(["scenario", "replication", "day"])["very_satisfied"].nunique().eq(1).all()
    assert "more_staff" in capsys.readouterr().out


def test_the_api_equals_the_command_line_on_the_same_spec(tmp_path):
    from lealtad.cli import main
    from lealtad.experiments import run

    out = tmp_path / "cli"
    assert main(["sweep", str(DATA / "tiny_grid.toml"), "--workers", "1", "--out", str(out), "--quiet",
                 "--no-report"]) == 0
    res = run(DATA / "tiny_grid.toml")
    pd.testing.assert_frame_equal(res.daily, pd.read_parquet(out / "results.parquet"), check_dtype=False)
    pd.testing.assert_frame_equal(res.summary.reset_index(drop=True), pd.read_csv(out / "summary.csv"),
                                  check_dtype=False, rtol=1e-9)
    pd.testing.assert_frame_equal(res.paired.reset_index(drop=True), pd.read_csv(out / "paired.csv"),
                                  check_dtype=False, rtol=1e-9)
    pd.testing.assert_frame_equal(res.points, pd.read_csv(out / "points.csv"), check_dtype=False)


def test_the_api_takes_a_dict_checked_like_a_file_and_refuses_bad_reporters():
    from lealtad.experiments import ExperimentError, run

    with pytest.raises(ExperimentError, match=r"firms.company.training: 3 is not allowed; expected a number from 0 to 1"):
        run({"steps": 5, "firms": {"company": {"training": 3}, "competitor": {}}})
    spec = {"steps": 3, "replications": 1, "base": {"n_customers": 100}}
    with pytest.raises(ExperimentError, match="reporters.active: is already an output"):
        run(spec, reporters={"active": len})
    with pytest.raises(ExperimentError, match="reporters.x: 3 is not allowed; expected a function"):
        run(spec, reporters={"x": 3})
    with pytest.raises(ExperimentError, match="worker processes cannot import"):
        run(spec, reporters={"x": lambda m: 1.0}, workers=2)
    res = run(spec, reporters={"by_firm": lambda m: {"company": 1.0, "competitor": 2.0}})
    assert res.daily.groupby("firm")["by_firm"].first().to_dict() == {"company": 1.0, "competitor": 2.0}


def test_a_report_names_where_two_policies_cross_along_a_sweep():
    from lealtad.report.build import Report, _crossings

    rng = np.random.default_rng(1)
    rows = []
    for point, gap in enumerate([300.0, 0.0, -300.0]):  # a ahead of b, level, b ahead of a
        for r in range(6):
            shared = rng.normal(1000, 100)
            rows += [{"scenario": "baseline", "point": point, "replication": r, "cumulative_profit": shared},
                     {"scenario": "a", "point": point, "replication": r, "cumulative_profit": shared + gap / 2
                      + rng.normal(0, 5)},
                     {"scenario": "b", "point": point, "replication": r, "cumulative_profit": shared - gap / 2
                      + rng.normal(0, 5)}]
    points = pd.DataFrame({"point": [0, 1, 2], "advertising_cost": [0.1, 0.2, 0.4]})
    rep = Report("t", "")
    _crossings(rep, pd.DataFrame(rows), points, "advertising_cost", ["a", "b"], "cumulative_profit",
               {"a": "more advertising", "b": "better service"}, 365, 30)
    assert len(rep.sentences) == 1
    s = rep.sentences[0]
    assert s.startswith("more advertising and better service cross between advertising_cost = 0.1 and 0.4")
    assert "at 0.1, more advertising gives the higher" in s and "at 0.4 better service does" in s
    import re

    first, second = (float(x) for x in re.findall(r"\(by ([0-9.]+)", s))
    assert first == pytest.approx(300, abs=10) and second == pytest.approx(300, abs=10)  # noise sd 5 per run
