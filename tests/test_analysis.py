"""Analysts' tools: per-point summaries and sentences, sensitivity indices with intervals (on the
Ishigami function, whose indices are known), replicated single runs, and the Python API."""

from __future__ import annotations

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
                       "cumulative_profit", "staff_per_1000 = 3.3")
    assert s == ("At staff_per_1000 = 3.3, better morale raised cumulative_profit on day 365 by 12,300 EUR "
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
