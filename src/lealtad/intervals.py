"""The one t-interval of the package: over independent replications (seeds), a mean and its
two-sided Student t confidence interval. Experiments, reports, lessons and validation all use it."""

from __future__ import annotations

import numpy as np
from scipy import stats


def t_half_width(sd, n, level: float = 0.95):
    """Half the width of the t-interval of a mean from the standard deviation ``sd`` of ``n`` values
    (arrays work element by element; NaN where n < 2)."""
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        half = stats.t.ppf(0.5 + level / 2, np.maximum(n - 1, 1)) * np.asarray(sd, dtype=float) / np.sqrt(n)
    return np.where(n >= 2, half, np.nan)


def mean_ci(values, level: float = 0.95) -> tuple[float, float, float, int]:
    """Mean, lower and upper bound of its t-interval, and n, over the finite ``values`` (NaN bounds
    below two values)."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return np.nan, np.nan, np.nan, 0
    mean = float(x.mean())
    half = float(t_half_width(x.std(ddof=1) if x.size > 1 else np.nan, x.size, level))
    return mean, mean - half, mean + half, int(x.size)
