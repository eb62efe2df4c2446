"""Reference formulas the model must reproduce in its limits (verification).

Both are textbook mathematics, written out here so that the validation suite and the tests compare
the simulation with the same numbers:

- the discrete Bass (1969) diffusion curve, with its finite-population standard deviation from the
  linear-noise approximation (used as the tolerance of the Bass check);
- the Erlang C formula for the M/M/c queue (Erlang 1917; e.g. Kleinrock 1975, Queueing Systems I);
- the Erlang A model of the M/M/c+M queue with impatient customers (Garnett, Mandelbaum & Reiman 2002).
"""

from __future__ import annotations

import math

import numpy as np


def bass_curve(p: float, q: float, T: int) -> np.ndarray:
    """Share of adopters after each of T periods of the discrete Bass model, starting from F = 0:
    F(t+1) = F(t) + (p + q F(t)) (1 - F(t)). Element t is the share after period t (t = 0..T-1)."""
    _check_bass(p, q)
    F = np.empty(int(T))
    f = 0.0
    for t in range(int(T)):
        f = f + (p + q * f) * (1.0 - f)
        F[t] = f
    return F


def bass_sd(p: float, q: float, T: int, n: int) -> np.ndarray:
    """Standard deviation of the simulated adopter share around ``bass_curve`` in a population of n.

    Each period the n (1 - F) non-adopters adopt independently with hazard h = p + q F, so the new
    adopters are binomial. Linearising F(t+1) = G(F(t)) + noise around the deterministic curve gives
    Var(t+1) = G'(F)^2 Var(t) + (1 - F) h (1 - h) / n, with G'(F) = 1 + q - p - 2 q F.
    """
    _check_bass(p, q)
    if n < 1:
        raise ValueError(f"n: {n!r} is not allowed; expected a population of at least 1")
    sd = np.empty(int(T))
    f, var = 0.0, 0.0
    for t in range(int(T)):
        h = min(1.0, p + q * f)
        g_slope = 1.0 + q - p - 2.0 * q * f
        var = g_slope**2 * var + (1.0 - f) * h * (1.0 - h) / n
        f = f + h * (1.0 - f)
        sd[t] = math.sqrt(var)
    return sd


def time_to_share(curve: np.ndarray, share: float) -> float:
    """First period (linearly interpolated) at which ``curve`` reaches ``share``; NaN if never."""
    curve = np.asarray(curve, dtype=float)
    above = np.flatnonzero(curve >= share)
    if above.size == 0:
        return float("nan")
    k = int(above[0])
    if k == 0:
        return 0.0
    lo, hi = curve[k - 1], curve[k]
    return (k - 1) + (share - lo) / (hi - lo) if hi > lo else float(k)


def erlang_c(c: int, lam: float, mu: float) -> tuple[float, float]:
    """(P(wait), W_q) of the M/M/c queue: c servers, arrival rate lam, service rate mu per server.

    A = lam/mu; P(wait) = (A^c/c! * c/(c-A)) / (sum_{k<c} A^k/k! + A^c/c! * c/(c-A));
    W_q = P(wait) / (c mu - lam), in the time unit of the rates. Requires A < c (a stable queue).
    """
    if int(c) != c or c < 1:
        raise ValueError(f"c: {c!r} is not allowed; expected a whole number of servers, at least 1")
    if lam <= 0 or mu <= 0:
        raise ValueError(f"lam, mu: ({lam!r}, {mu!r}) are not allowed; expected positive rates")
    c = int(c)
    a = lam / mu
    if a >= c:
        raise ValueError(f"lam/mu = {a:g} is not allowed with c = {c}; the queue is stable only when lam/mu < c")
    # terms A^k/k! computed by recurrence to stay finite for large c
    term, head = 1.0, 0.0
    for k in range(c):
        head += term
        term *= a / (k + 1)
    tail = term * c / (c - a)
    p_wait = tail / (head + tail)
    return p_wait, p_wait / (c * mu - lam)


def erlang_a(c: int, lam: float, mu: float, theta: float, tol: float = 1e-15) -> tuple[float, float, float]:
    """(P(abandon), E[W], P(wait)) of the M/M/c+M queue: c servers of rate mu, Poisson arrivals lam,
    each waiting customer abandoning at rate theta (exponential patience of mean 1/theta).

    The number present k is a birth-death chain: birth lam, death min(k, c) mu + max(k - c, 0) theta;
    pi_k from the detailed balance pi_{k+1} = pi_k lam / death(k+1), truncated where pi_k is
    negligible. E[Q] = sum max(k - c, 0) pi_k; the mean time in queue of all arrivals E[W] = E[Q] / lam
    (Little); P(abandon) = theta E[W]; P(wait) = P(k >= c) (Poisson arrivals see time averages).
    theta = 0 is Erlang C (which needs lam < c mu)."""
    if int(c) != c or c < 1:
        raise ValueError(f"c: {c!r} is not allowed; expected a whole number of servers, at least 1")
    if lam <= 0 or mu <= 0 or theta < 0:
        raise ValueError(f"lam, mu, theta: ({lam!r}, {mu!r}, {theta!r}) are not allowed; expected positive rates, "
                         "theta >= 0")
    if theta == 0:
        p_wait, w = erlang_c(c, lam, mu)
        return 0.0, w, p_wait
    c = int(c)
    weights, k, w = [1.0], 0, 1.0
    while True:  # unnormalised pi_k; past c each step multiplies by lam / (c mu + (k - c) theta) -> 0
        k += 1
        w *= lam / (min(k, c) * mu + max(k - c, 0) * theta)
        weights.append(w)
        if k > c and w < tol * sum(weights):
            break
    pi = np.array(weights) / sum(weights)
    ks = np.arange(pi.size)
    mean_queue = float(np.sum(np.maximum(ks - c, 0) * pi))
    wait = mean_queue / lam
    return theta * wait, wait, float(pi[c:].sum())


def glm_adoption_probability(a: float, b_w: float, b_s: float, j: int, m: int) -> float:
    """Goldenberg, Libai & Muller (2001): 1 - (1 - a)(1 - b_w)^j (1 - b_s)^m with j weak and m strong
    informed ties."""
    return 1.0 - (1.0 - a) * (1.0 - b_w) ** j * (1.0 - b_s) ** m


def _check_bass(p, q):
    if not (0 <= p <= 1 and 0 <= q <= 1):
        raise ValueError(f"(p, q) = ({p!r}, {q!r}) is not allowed; expected both between 0 and 1")
