"""What every check returns, and the small statistics the checks share."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import intervals


@dataclass
class Check:
    """One check: what was measured, what was expected, where the expectation comes from."""

    name: str
    family: str            # "verification", "face validity" or "stylised fact"
    measured: str          # the measured figure, as printed
    tolerance: str         # the tolerance or the expected range, as printed
    source: str            # the publication the expectation comes from (with its grade for facts)
    passed: bool
    detail: str = ""       # how it was measured, in one or two sentences
    figure: Any = field(default=None, repr=False)  # a plotly figure for the HTML report, if any
    restates_input: bool = False  # the figure follows from an input: a check of the mechanism, not a pass

    @property
    def verdict(self) -> str:
        """PASS or FAIL; INPUT for a figure that restates an input, which could not have failed."""
        return "INPUT" if self.restates_input else "PASS" if self.passed else "FAIL"

    def line(self) -> str:
        return f"{self.verdict:<5} {self.name}: {self.measured}  [{self.tolerance}]"


def mean_ci(values, level: float = 0.95) -> tuple[float, float, float]:
    """Mean and its two-sided t confidence interval over independent replications (lealtad.intervals)."""
    return intervals.mean_ci(values, level)[:3]


def batch_means(values, weights=None, batches: int = 20) -> tuple[float, float]:
    """Ratio estimate of a mean from a time series and its batch-means standard error.

    The series is cut into ``batches`` consecutive blocks; with blocks much longer than the
    correlation time their means are nearly independent, so their spread gives the standard error
    (e.g. Law & Kelton, Simulation Modeling and Analysis, ch. 9).
    """
    x = np.asarray(values, dtype=float)
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float)
    blocks = np.array_split(np.arange(x.size), batches)
    means = np.array([np.sum(x[b] * w[b]) / np.sum(w[b]) for b in blocks])
    return float(np.sum(x * w) / np.sum(w)), float(means.std(ddof=1) / math.sqrt(batches))


def fmt_ci(m: float, lo: float, hi: float, digits: int = 3) -> str:
    return f"{m:.{digits}g} (95% CI {lo:.{digits}g} to {hi:.{digits}g})"
