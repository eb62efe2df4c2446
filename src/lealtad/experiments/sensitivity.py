"""Global sensitivity analysis of a sweep's results, through SALib, with an interval on every index.

Methods (``[sweep] design`` and ``analysis``):

- sobol: first-order S1, total ST (and second-order S2 with ``second_order = true``) from Saltelli's
  sampling (Saltelli 2002, Computer Physics Communications 145(2); Saltelli et al. 2010, Computer
  Physics Communications 181(2)); intervals from SALib's bootstrap.
- morris: mu* (mean absolute elementary effect) and sigma (Morris 1991, Technometrics 33(2); Campolongo,
  Cariboni & Saltelli 2007, Environmental Modelling & Software 22(10)); intervals by resampling whole
  trajectories (SALib gives one for mu* only, sigma gets the same treatment here).
- fast: extended FAST, S1 and ST (Saltelli, Tarantola & Chan 1999, Technometrics 41(1)).
- pawn: a moment-independent index, the median Kolmogorov-Smirnov distance between conditional and
  unconditional output distributions (Pianosi & Wagener 2015, Environmental Modelling & Software 67),
  on the points of any sampled design (lhs, sobol, fast); intervals by bootstrap over points.

Every result is a tidy table: parameter, index, value, ci_low, ci_high (95%). ``minimum_points`` says
how small a design is still worth running; ``convergence`` recomputes the indices on nested parts of
the design (the indices against sample size); ``ranking_warnings`` says when intervals make the order
of the parameters uncertain.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

LEVEL = 0.95
RESAMPLES = 200
PAWN_SLICES = 10
PAWN_RESAMPLES = 50

# The smallest design each method is run with, and why (said in the refusal):
# sobol: base samples N. SALib's intervals bootstrap the N base rows; with fewer than 32 they rest on so
#        few distinct rows that they are themselves unreliable (Saltelli et al. 2010 use N >= 500).
# morris: trajectories r; Campolongo, Cariboni & Saltelli 2007 recommend r = 10 to 20.
# fast: SALib's eFAST needs N > 4 M^2 with M = 4 harmonics, so N >= 65 (Saltelli et al. 1999).
# pawn: 10 conditioning slices of at least 10 points each (Pianosi & Wagener 2015).
MINIMUM = {"sobol": 32, "morris": 10, "fast": 65, "pawn": 10 * PAWN_SLICES}
WHY = {"sobol": "base samples N, below which the bootstrap intervals of Sobol indices are unreliable",
       "morris": "trajectories (Campolongo et al. 2007 recommend 10 to 20)",
       "fast": "samples per parameter (eFAST needs N > 4 M^2 with M = 4)",
       "pawn": f"design points for PAWN ({PAWN_SLICES} slices of at least 10 points)"}
ANALYSES = {"sobol": ("sobol", "pawn"), "morris": ("morris",), "fast": ("fast", "pawn"), "lhs": ("pawn",),
            "grid": ()}
MAIN_INDEX = {"sobol": "ST", "fast": "ST", "morris": "mu_star", "pawn": "PAWN"}


def minimum_points(method: str) -> int:
    return MINIMUM[method]


def size_problem(design: str, points: int, n_design_points: int, analyses) -> str | None:
    """Why a design is too small for its analyses (a message naming the minimum), or None."""
    if design in MINIMUM and points < MINIMUM[design]:
        return f"{points} is too few; a {design} design needs at least {MINIMUM[design]} {WHY[design]}"
    if "pawn" in analyses and n_design_points < MINIMUM["pawn"]:
        return (f"{points} gives {n_design_points} design points; PAWN needs at least {MINIMUM['pawn']} "
                f"{WHY['pawn']}")
    return None


def problem(names, ranges) -> dict:
    return {"num_vars": len(names), "names": list(names), "bounds": [list(ranges[n]) for n in names]}


def methods_of(sweep) -> tuple[str, ...]:
    """The analyses a sweep asks for: its ``analysis`` field, else its design's own method."""
    chosen = tuple(getattr(sweep, "analysis", ()) or ())
    if chosen:
        return chosen
    return (sweep.design,) if sweep.design in ("sobol", "morris", "fast") else ()


def analyze(sweep, X: np.ndarray, y: np.ndarray, method: str | None = None) -> pd.DataFrame:
    """Indices of output ``y`` (one value per row of the design matrix ``X``) by ``method``."""
    method = method or methods_of(sweep)[0]
    y = np.asarray(y, dtype=float)
    if np.any(~np.isfinite(y)):
        raise ValueError("some design points have no value (runs missing)")
    prob = problem(sweep.names, sweep.ranges)
    with warnings.catch_warnings():  # SALib warns about sample sizes itself; we refuse or warn above
        warnings.simplefilter("ignore")
        if method == "sobol":
            return _sobol(prob, y, bool(getattr(sweep, "second_order", False)), sweep.seed)
        if method == "fast":
            return _fast(prob, y, sweep.seed)
        if method == "morris":
            return _morris(prob, X, y, sweep.levels, sweep.seed)
        if method == "pawn":
            return _pawn(prob, X, y, sweep.seed)
    raise ValueError(f"unknown sensitivity method {method!r}")


def _rows(names, index, values, low, high) -> list[dict]:
    return [{"parameter": n, "index": index, "value": float(v), "ci_low": float(lo), "ci_high": float(hi)}
            for n, v, lo, hi in zip(names, values, low, high)]


def _sobol(prob, y, second_order, seed) -> pd.DataFrame:
    from SALib.analyze import sobol

    res = sobol.analyze(prob, y, calc_second_order=second_order, num_resamples=RESAMPLES, conf_level=LEVEL,
                        seed=seed)
    names = prob["names"]
    rows = []
    for index in ("S1", "ST"):
        v, c = np.asarray(res[index]), np.asarray(res[f"{index}_conf"])
        rows += _rows(names, index, v, v - c, v + c)
    if second_order:
        for i in range(len(names)):
            for j in range(i + 1, len(names)):
                v, c = res["S2"][i, j], res["S2_conf"][i, j]
                rows += _rows([f"{names[i]} x {names[j]}"], "S2", [v], [v - c], [v + c])
    return pd.DataFrame(rows)


def _fast(prob, y, seed) -> pd.DataFrame:
    from SALib.analyze import fast

    res = fast.analyze(prob, y, M=4, num_resamples=RESAMPLES, conf_level=LEVEL, seed=seed)
    rows = []
    for index in ("S1", "ST"):
        v, c = np.asarray(res[index]), np.asarray(res[f"{index}_conf"])
        rows += _rows(prob["names"], index, v, v - c, v + c)
    return pd.DataFrame(rows)


def _morris(prob, X, y, levels, seed) -> pd.DataFrame:
    """mu* and sigma, with percentile intervals from resampling whole trajectories."""
    from SALib.analyze import morris

    k = prob["num_vars"]
    r = len(y) // (k + 1)

    def indices(rows):
        res = morris.analyze(prob, X[rows], y[rows], num_resamples=10, num_levels=levels, seed=seed)
        return np.asarray(res["mu_star"]), np.asarray(res["sigma"])

    mu, sigma = indices(np.arange(len(y)))
    rng = np.random.default_rng(seed)
    boot_mu, boot_sigma = [], []
    for _ in range(RESAMPLES):
        picks = rng.integers(0, r, r)
        rows = (picks[:, None] * (k + 1) + np.arange(k + 1)).ravel()
        m, s = indices(rows)
        boot_mu.append(m)
        boot_sigma.append(s)
    q = [(1 - LEVEL) / 2 * 100, (1 + LEVEL) / 2 * 100]
    lo_mu, hi_mu = np.percentile(boot_mu, q, axis=0)
    lo_s, hi_s = np.percentile(boot_sigma, q, axis=0)
    return pd.DataFrame(_rows(prob["names"], "mu_star", mu, lo_mu, hi_mu)
                        + _rows(prob["names"], "sigma", sigma, lo_s, hi_s))


def _pawn(prob, X, y, seed) -> pd.DataFrame:
    """PAWN's median KS statistic per parameter. Its interval is the bootstrap spread over points,
    centred on the estimate: resampling with replacement duplicates points, which inflates a KS
    distance, so the raw percentiles would sit above the estimate."""
    from SALib.analyze import pawn

    def median(rows):
        return np.asarray(pawn.analyze(prob, X[rows], y[rows], S=PAWN_SLICES, seed=seed)["median"], dtype=float)

    value = median(np.arange(len(y)))
    rng = np.random.default_rng(seed)
    boot = np.array([median(rng.integers(0, len(y), len(y))) for _ in range(PAWN_RESAMPLES)])
    boot = boot - np.nanmedian(boot, axis=0) + value
    lo, hi = np.nanpercentile(boot, [(1 - LEVEL) / 2 * 100, (1 + LEVEL) / 2 * 100], axis=0)
    return pd.DataFrame(_rows(prob["names"], "PAWN", value, np.maximum(lo, 0), hi))


def rows_per_sample(sweep) -> int:
    """Design rows per base sample: sobol N x (k + 2) (or 2k + 2 with S2), morris k + 1, else 1."""
    k = len(sweep.names)
    if sweep.design == "sobol":
        return 2 * k + 2 if getattr(sweep, "second_order", False) else k + 2
    if sweep.design == "morris":
        return k + 1
    return 1


def convergence(sweep, X: np.ndarray, y: np.ndarray, method: str) -> pd.DataFrame:
    """The indices recomputed on the first N/8, N/4, N/2 and all N base samples (nested parts of the
    design: a Saltelli or Sobol-sequence design cut after a power of two stays balanced, and Morris
    trajectories are independent). eFAST has no nested parts: its frequencies span the whole sample."""
    if method == "fast" or sweep.design == "fast":
        return pd.DataFrame()
    block = rows_per_sample(sweep) if method != "pawn" else 1
    n_total = len(y) // block
    frames = []
    for shift in (3, 2, 1, 0):
        n = n_total >> shift
        floor = MINIMUM.get(method, 2) // 2 if method in ("pawn",) else 4
        if n < floor:
            continue
        rows = slice(0, n * block)
        try:
            frames.append(analyze(sweep, X[rows], y[rows], method).assign(samples=n))
        except Exception:  # noqa: BLE001 - a part too small for the method: the view shows the rest
            continue
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def ranking_warnings(table: pd.DataFrame, index: str) -> list[str]:
    """Warnings when the intervals of ``index`` overlap between the top parameter and others (their
    order is uncertain), or are wider than the index itself."""
    d = table[table["index"] == index].sort_values("value", ascending=False)
    if len(d) < 2:
        return []
    out = []
    top = d.iloc[0]
    rivals = [r["parameter"] for _, r in d.iloc[1:].iterrows() if r["ci_high"] >= top["ci_low"]]
    if rivals:
        out.append(f"The 95% intervals of {index} overlap between {top['parameter']} "
                   f"({top['ci_low']:.2g}..{top['ci_high']:.2g}) and {', '.join(rivals)}: which moves the output "
                   "most is uncertain; more points (sweep.points) would narrow the intervals.")
    wide = [r["parameter"] for _, r in d.iterrows() if r["ci_high"] - r["ci_low"] > abs(r["value"]) and r["value"] > 0.05]
    if wide:
        out.append(f"The 95% intervals of {index} are wider than the index itself for {', '.join(wide)}: the "
                   "design is too small to rank these parameters.")
    return out
