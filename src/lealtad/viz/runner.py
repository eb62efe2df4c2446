"""The model runner behind the browser app: one model, its parameters, its history and the sample of
the network that is drawn. No Solara here, so the classroom mode (and the tests) can drive it directly.

    runner = Runner(n_customers=2000)
    runner.step(5)
    runner.apply("in_person_staff_per_1000", "3.5")   # -> Feedback: applied, pending reset, or refused with a reason
    runner.series("market_share")            # days x firms (company, competitor, ...)
"""

from __future__ import annotations

import functools
import threading
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core.schema import START
from ..model import LoyaltyModel
from ..params import FIRM_POLICIES, MARKET_PARAMETERS, ParameterError, param_of, resolve, validate


def reset_only(key: str) -> bool:
    """Whether a parameter shapes the market on day 0, so that a change waits for a reset."""
    return param_of(key).effect == START


def control_keys(firms: tuple[str, ...]) -> list[str]:
    """Every parameter the app shows: market-wide ones, then each firm's policies."""
    return [*MARKET_PARAMETERS, *(f"{firm}.{name}" for firm in firms for name in FIRM_POLICIES)]

# A classroom-sized market by default: the schema's default market is larger than a browser needs.
VIZ_DEFAULTS = {"n_customers": 2000}


def _locked(method):
    """Run ``method`` holding the runner's lock (the app steps from a thread while clicks change things)."""
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        with self.lock:
            return method(self, *args, **kwargs)
    return wrapper


@dataclass(frozen=True)
class Feedback:
    """What happened to a change typed or slid by the user, for the message shown next to it."""
    kind: str          # "applied", "pending" (waits for reset) or "error"
    name: str
    value: Any = None
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.kind != "error"


class Runner:
    """Holds the running model and what the views need from it (history, network sample)."""

    def __init__(self, seed: int = 42, max_nodes: int = 500, **params):
        self.seed = seed
        self.max_nodes = max_nodes
        self.params = validate({**VIZ_DEFAULTS, **params})
        self.pending: dict[str, Any] = {}
        self.last_step_seconds = 0.0
        self.lock = threading.RLock()
        self.reset()

    # ------------------------------------------------------------------------------- life cycle
    @_locked
    def reset(self, seed: int | None = None, **changes):
        """A new model from day 0 with the current parameters, pending changes and ``changes``."""
        params = validate({**self.params, **self.pending, **changes})
        if seed is not None:
            self.seed = int(seed)
        self.model = LoyaltyModel(rng=self.seed, **params)
        self.params = dict(self.model.p)
        self.pending = {}
        self._sample = None
        return self

    @_locked
    def load_scenario(self, changes: dict[str, Any]):
        """Defaults plus a scenario's changes (keeping this app's market size), then reset."""
        keep = {"n_customers": self.params["n_customers"]}
        params = validate({**VIZ_DEFAULTS, **keep, **changes})
        self.params, self.pending = params, {}
        return self.reset()

    @_locked
    def step(self, days: int = 1) -> float:
        """Advance ``days`` days and record them; returns the seconds the model took."""
        start = time.perf_counter()
        for _ in range(int(days)):
            self.model.step()
        self.last_step_seconds = time.perf_counter() - start
        return self.last_step_seconds

    @property
    def day(self) -> int:
        return self.model.day

    # ---------------------------------------------------------------------------------- changes
    @_locked
    def apply(self, name: str, raw: Any) -> Feedback:
        """Change one parameter from a user's input (text or number). Never raises for bad input:
        the Feedback says what was wrong, in the schema's words, and nothing changes."""
        try:
            param, _ = resolve(name, self.model.firms)
            value = param.coerce(raw.strip() if isinstance(raw, str) else raw, name)
            if reset_only(name):
                validate({**self.params, **self.pending, name: value})
                self.pending[name] = value
                if value == self.params[name]:
                    del self.pending[name]
                return Feedback("pending", name, value)
            self.model.set_params(**{name: value})
        except (ParameterError, ValueError) as exc:
            return Feedback("error", name, raw, str(exc))
        self.params = dict(self.model.p)
        return Feedback("applied", name, value)

    def value(self, name: str) -> Any:
        """The value the controls show: a pending change if there is one."""
        return self.pending.get(name, self.params[name])

    @_locked
    def trigger_strike(self, firm: str | None = None) -> tuple[int, int]:
        """A strike of the event's default length and capacity at ``firm`` (default: the company)."""
        event = self.model.trigger_strike(firm=firm)
        return self.day, event["days"]

    @_locked
    def trigger_surge(self, firm: str | None = None) -> tuple[int, int, float]:
        event = self.model.trigger_surge(firm=firm)
        return self.day, event["days"], event["factor"]

    def contingencies(self) -> list[tuple[int, int, str]]:
        """(first day, last day, kind) of every strike, outage or surge at any firm so far."""
        return [(e["day"], e["day"] + e["days"] - 1, e["kind"]) for e in self.model.events.events
                if e["kind"] in ("strike", "outage", "surge")]

    # ---------------------------------------------------------------------------------- history
    def series(self, name: str) -> np.ndarray:
        """A daily output (or a derived one: 'turnover', 'profit_week') as an array days x firms,
        read from the model's results store."""
        if name == "turnover":
            return _turnover(self.series("quits"), self.series("staff"))
        if name == "profit_week":
            return rolling_mean(self.series("profit"), 7)
        return self.model.store.array(name)

    @property
    def days(self) -> np.ndarray:
        return np.arange(self.model.store.days)

    # ---------------------------------------------------------------------------- network sample
    def network_sample(self) -> "NetworkSample":
        """The people drawn in the network view and their positions, computed once per model."""
        if self._sample is None:
            self._sample = NetworkSample.build(self.model.network, self.max_nodes, self.seed)
        return self._sample


def rolling_mean(x: np.ndarray, window: int) -> np.ndarray:
    """Trailing mean over ``window`` days (fewer at the start), NaN-aware, per column."""
    if len(x) == 0:
        return x
    valid = ~np.isnan(x)
    total = np.cumsum(np.where(valid, x, 0.0), axis=0)
    count = np.cumsum(valid, axis=0)
    total[window:] = total[window:] - total[:-window]
    count[window:] = count[window:] - count[:-window]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def _turnover(quits: np.ndarray, staff: np.ndarray, window: int = 91) -> np.ndarray:
    """Quits per employee per year, in percent, over the last ``window`` days. A quarter, not a month:
    with six employees one quit in 30 days already reads 200 %/year, and the line jumped between 0 and
    480 %; over 91 days one quit is 67 % and the rate moves as staff really come and go."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return 100 * 365 * rolling_mean(quits, window) / np.maximum(rolling_mean(staff, window), 1)


@dataclass
class NetworkSample:
    """A connected sample of the social network (snowball from a few random people), so that
    neighbourhoods and word of mouth stay visible, laid out once."""
    nodes: np.ndarray   # ids of the people shown
    edges: np.ndarray   # pairs of positions in ``nodes``
    x: np.ndarray
    y: np.ndarray

    @classmethod
    def build(cls, network, max_nodes: int, seed: int) -> "NetworkSample":
        rng = np.random.default_rng(seed)
        n = network.n
        if network.is_complete:  # everyone knows everyone: draw a few random ties per person
            nodes = np.sort(rng.choice(n, min(n, max_nodes), replace=False))
            k = nodes.size
            u = np.repeat(np.arange(k), 2)
            v = rng.integers(0, k, u.size)
            edges = np.unique(np.sort(np.column_stack([u, v])[u != v], axis=1), axis=0) if k > 1 else np.zeros((0, 2), int)
        else:
            nodes = _snowball(network.csr.indptr, network.csr.indices, n, max_nodes, rng)
            edges = _induced_edges(network.csr, nodes)
        x, y = force_layout(nodes.size, edges, seed)
        return cls(nodes, edges, x, y)


def _snowball(indptr, indices, n, limit, rng) -> np.ndarray:
    """Breadth-first from random seeds until ``limit`` people (everyone if n <= limit)."""
    if n <= limit:
        return np.arange(n)
    seen = np.zeros(n, dtype=bool)
    order: list[int] = []
    seeds = rng.permutation(n)
    for s in seeds[:8]:  # a few neighbourhoods, not one long chain
        frontier = [int(s)]
        share = limit // 8
        taken = 0
        while frontier and taken < share and len(order) < limit:
            nxt = []
            for u in frontier:
                if seen[u]:
                    continue
                seen[u] = True
                order.append(u)
                taken += 1
                if taken >= share or len(order) >= limit:
                    break
                nxt.extend(indices[indptr[u]:indptr[u + 1]].tolist())
            frontier = nxt
    if len(order) < limit:  # top up with random people
        rest = seeds[~seen[seeds]][: limit - len(order)]
        order.extend(rest.tolist())
    return np.sort(np.array(order, dtype=np.int64))


def _induced_edges(csr, nodes: np.ndarray) -> np.ndarray:
    sub = csr[nodes][:, nodes].tocoo()
    keep = sub.row < sub.col
    return np.column_stack([sub.row[keep], sub.col[keep]]).astype(np.int64)


def force_layout(n: int, edges: np.ndarray, seed: int = 0, iterations: int = 60) -> tuple[np.ndarray, np.ndarray]:
    """Fruchterman-Reingold layout on dense numpy arrays. networkx's spring_layout switches to a
    per-node Python loop above 500 nodes (seconds for 800 nodes here); this stays well under one."""
    rng = np.random.default_rng(seed)
    x, y = rng.uniform(-1, 1, n).astype(np.float32), rng.uniform(-1, 1, n).astype(np.float32)
    if n < 2:
        return x.astype(float), y.astype(float)
    k2 = np.float32(4.0 / n)  # square of the ideal distance
    temp = 0.2
    a, b = edges[:, 0], edges[:, 1]
    for _ in range(iterations):
        dx, dy = x[:, None] - x[None, :], y[:, None] - y[None, :]
        repulse = k2 / (dx * dx + dy * dy + np.float32(1e-4))
        fx, fy = (repulse * dx).sum(1), (repulse * dy).sum(1)
        ex, ey = x[a] - x[b], y[a] - y[b]
        pull = np.sqrt(ex * ex + ey * ey) / np.sqrt(k2)
        np.add.at(fx, a, -ex * pull)
        np.add.at(fy, a, -ey * pull)
        np.add.at(fx, b, ex * pull)
        np.add.at(fy, b, ey * pull)
        fx -= 0.1 * np.sqrt(n) * x  # gravity: keeps separate pieces on screen
        fy -= 0.1 * np.sqrt(n) * y
        length = np.sqrt(fx * fx + fy * fy) + np.float32(1e-9)
        step = np.minimum(length, temp) / length
        x, y = x + fx * step, y + fy * step
        temp *= 0.95
    return x.astype(float), y.astype(float)
