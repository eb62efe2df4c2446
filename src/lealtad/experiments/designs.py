"""Sweep designs: which parameter values to run.

- grid:   every combination of the listed values (Mesa's `batch_run` does the same).
- lhs:    Latin hypercube sample of the ranges (McKay, Beckman & Conover 1979, Technometrics 21(2)),
          scipy.stats.qmc, scrambled with the sweep's seed.
- sobol:  Saltelli's extension of the Sobol sequence for first-order and total Sobol indices
          (Saltelli 2002, Computer Physics Communications 145(2); Sobol 2001, Math. Comput. Simul. 55),
          through SALib (the `sensitivity` extra).
- fast:   the extended FAST sample (Saltelli, Tarantola & Chan 1999, Technometrics 41(1)), SALib.
- morris: elementary-effects trajectories (Morris 1991, Technometrics 33(2); Campolongo, Cariboni &
          Saltelli 2007, Environmental Modelling & Software 22(10)), through SALib.

The same sweep (design, ranges, points, seed) always gives the same points, on any machine.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from ..params import param_of


def problem(sweep) -> dict:
    """The SALib problem definition of a range-based sweep."""
    return {"num_vars": len(sweep.names), "names": list(sweep.names),
            "bounds": [list(sweep.ranges[n]) for n in sweep.names]}


def matrix(sweep) -> np.ndarray:
    """Design matrix (points x parameters) in unit-free parameter values, before rounding."""
    if sweep.design == "grid":
        raise ValueError("a grid has no sample matrix; use points()")
    k = len(sweep.names)
    if sweep.design == "lhs":
        from scipy.stats import qmc

        unit = qmc.LatinHypercube(d=k, seed=np.random.default_rng(sweep.seed)).random(sweep.points)
        low = np.array([sweep.ranges[n][0] for n in sweep.names])
        high = np.array([sweep.ranges[n][1] for n in sweep.names])
        return qmc.scale(unit, low, high)
    salib = _salib()
    if sweep.design == "sobol":
        import warnings

        with warnings.catch_warnings():  # SALib warns when N is not a power of 2; the docs say so too
            warnings.simplefilter("ignore")
            return salib.sample.sobol.sample(problem(sweep), sweep.points, seed=sweep.seed,
                                             calc_second_order=bool(getattr(sweep, "second_order", False)))
    if sweep.design == "fast":
        import SALib.sample.fast_sampler

        return SALib.sample.fast_sampler.sample(problem(sweep), sweep.points, M=4, seed=sweep.seed)
    if sweep.design == "morris":
        return salib.sample.morris.sample(problem(sweep), sweep.points, num_levels=sweep.levels, seed=sweep.seed)
    raise ValueError(f"unknown design {sweep.design!r}")


def points(sweep) -> list[dict[str, Any]]:
    """The sweep as a list of parameter changes, one dict per point, in design order."""
    if sweep.design == "grid":
        names = list(sweep.names)
        return [dict(zip(names, combo)) for combo in itertools.product(*(sweep.values[n] for n in names))]
    out = []
    for row in matrix(sweep):
        point = {}
        for name, value in zip(sweep.names, row):
            # integer parameters are rounded; floats keep full precision (exactly reproducible)
            point[name] = int(round(value)) if param_of(name).kind is int else float(value)
        out.append(point)
    return out


def _salib():
    try:
        import SALib.sample.morris  # noqa: F401
        import SALib.sample.sobol  # noqa: F401
        import SALib
    except ImportError:
        from ..io import UserError

        raise UserError("sobol, morris and fast designs need SALib: pip install 'lealtad[sensitivity]'") from None
    return SALib
