"""The one t-interval of the package: over independent replications (seeds), a mean and its
two-sided Student t confidence interval. Experiments, reports, lessons and validation all use it.

An interval is kept in the domain of what it measures (``domain``: a count or a waiting time is never
below 0, a share or a satisfaction never outside 0..1): the mean of values in a domain lies in it, so
the part of a symmetric t-interval outside it holds no possible mean and is cut off."""

from __future__ import annotations

import math

import numpy as np

UNBOUNDED = (-math.inf, math.inf)
_UNIT_DOMAINS = {"0-1": (0.0, 1.0), "share": (0.0, 1.0), "points": (-100.0, 100.0)}
_COUNTS = ("per day", "hours", "minutes", "employees", "contacts", "customers", "people")


def unit_domain(unit: str) -> tuple[float, float]:
    """The values an output in ``unit`` can take: 0..1 for shares and satisfaction ('0-1', 'share'),
    -100..100 for NPS points, 0 and up for counts, flows and waits ('per day', 'hours', 'employees', ...),
    anything for money ('EUR...': a profit can be a loss; callers that know better narrow it)."""
    unit = (unit or "").strip()
    if unit in _UNIT_DOMAINS:
        return _UNIT_DOMAINS[unit]
    if unit.startswith("EUR"):
        return UNBOUNDED
    if unit.endswith(_COUNTS) or unit in ("count",):
        return (0.0, math.inf)
    return UNBOUNDED


def difference_domain(domain: tuple[float, float]) -> tuple[float, float]:
    """The domain of a difference of two values of ``domain`` (two shares differ by -1..1)."""
    low, high = domain
    return (low - high, high - low)


def clip(low, high, domain: tuple[float, float] | None):
    """Interval bounds (numbers or arrays) cut to ``domain``; NaN stays NaN."""
    if domain is None:
        return low, high
    lo, hi = domain
    return np.clip(low, lo, hi), np.clip(high, lo, hi)


def t_half_width(sd, n, level: float = 0.95):
    """Half the width of the t-interval of a mean from the standard deviation ``sd`` of ``n`` values
    (arrays work element by element; NaN where n < 2)."""
    from scipy import stats  # here, not at import: worker processes never need it (0.3 s of start-up)

    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        half = stats.t.ppf(0.5 + level / 2, np.maximum(n - 1, 1)) * np.asarray(sd, dtype=float) / np.sqrt(n)
    return np.where(n >= 2, half, np.nan)


def mean_ci(values, level: float = 0.95, domain: tuple[float, float] | None = None) -> tuple[float, float, float, int]:
    """Mean, lower and upper bound of its t-interval (cut to ``domain`` when given), and n, over the
    finite ``values`` (NaN bounds below two values)."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return np.nan, np.nan, np.nan, 0
    mean = float(x.mean())
    half = float(t_half_width(x.std(ddof=1) if x.size > 1 else np.nan, x.size, level))
    low, high = clip(mean - half, mean + half, domain)
    return mean, float(low), float(high), int(x.size)
