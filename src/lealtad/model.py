"""LoyaltyModel: the service-profit chain as a Mesa model.

The model is assembled from modules, one per link of the chain (`lealtad.modules`), and one day
is their plan, run in order (also section 3 of docs/odd.md):

 1. events          scheduled policy changes take effect; playbooks act for firms in crisis
 2. management      internal service quality of each firm from its policies
 3. staffing        staffing reviews open or close positions
 4. employees       satisfaction (internal quality, yesterday's work pressure), learning, quits
 5. demand          prospects adopt a firm, customers come to buy; surges
 6. service         each site's or team's queue (first come, first served; impatient customers)
 7. encounter       the value of each moment of truth
 8. satisfaction    satisfaction against expectation, complaints and recovery, memory
 9. loyalty         defection; a defector switches firm or leaves the market
10. word_of_mouth   customers talk to their contacts; images move with what they hear
11. image           images fade toward the prior; advertising pulls them toward the promise
12. economics       revenue, costs, profit

State lives in numpy arrays, one per attribute, over customers (index = id, never deleted) and
employee positions; a firm is an index on an axis of any length (1 to 10 firms). `Employee` and
`Customer` are Mesa agents that read and write those arrays.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from mesa import Model
from mesa.datacollection import DataCollector

from .agents import Customer, Employee
from .core.plan import Plan
from .core.results import Results
from .core.schema import REVIEW, START, ParameterError
from .kernels import rules
from .modules import PLAN
from .modules.market import PROSPECT
from .modules.staffing import review
from .outputs import OUTPUT_NAMES
from .params import policy_arrays, resolve, validate
from .streams import Streams

__all__ = ["LoyaltyModel", "PROSPECT"]


class LoyaltyModel(Model):
    """Firms competing for one market of customers and prospects.

    ``LoyaltyModel(rng=42, n_customers=5000, firms={"company": {"training": 0.8}, "rival": {}})``:
    market-wide parameters of `lealtad params` as keywords; ``firms`` is a number of firms, a list of
    names, or a dict of each firm's name to its policy changes (default: ``company`` and
    ``competitor``); ``FIRM.NAME`` values may also be given in a dict as ``**{"company.training": 0.8}``;
    ``events`` a list of events (see `lealtad.events`). ``rng`` must be an integer seed (or None for
    a fresh one): common random numbers need it.
    """

    def __init__(self, rng: int | None = None, firms=None, events=None, **params):
        if isinstance(firms, dict):
            for name, changes in firms.items():
                if not isinstance(changes, dict):
                    raise ParameterError(f"firms.{name}: {changes!r} is not allowed; expected a dict of policy changes")
                params.update({f"{name}.{k}": v for k, v in changes.items()})
            firms = list(firms)
        if firms is not None:
            params["firms"] = firms
        if events is not None:
            params["events"] = events
        self.p = validate(params)
        seed = int(np.random.SeedSequence().entropy % 2**63) if rng is None else rng
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
            raise ValueError(f"rng: {rng!r} is not allowed; expected a non-negative integer seed or None")
        super().__init__(rng=int(seed))
        self.seed = int(seed)
        self.streams = Streams(self.seed)
        self.firms: tuple[str, ...] = self.p["firms"]
        self.n_firms = len(self.firms)
        self.day = 0
        self.base_policy = policy_arrays(self.p)
        self.policy = self.base_policy  # in effect today (a playbook may override it in a crisis)
        self.store = Results(OUTPUT_NAMES, self.firms)
        self.today: dict[str, np.ndarray] = {}
        self.encounters: dict[str, np.ndarray] = {}  # today's moments of truth, one entry per encounter
        self.employees: list[Employee] = []
        self._customer_views: dict[int, Customer] = {}
        self.modules = [module() for module in PLAN]
        for module in self.modules:
            module.init(self)
        self.day_plan = Plan(self.modules)

    # ------------------------------------------------------------------------------ public API
    def step(self):
        """One day: every module's step, in the order of the plan."""
        self.today = self.store.begin_day()
        self.day_plan.run_day(self)
        self.day += 1

    def run(self, steps: int, progress=None) -> "LoyaltyModel":
        """Run ``steps`` days; ``progress`` is called with the number of days done, if given."""
        for _ in range(steps):
            self.step()
            if progress is not None:
                progress(1)
        return self

    def plan(self) -> pd.DataFrame:
        """The modules in the order they run each day, with the share of time spent in each so far."""
        return pd.DataFrame(self.day_plan.table())

    def results(self) -> pd.DataFrame:
        """Daily outputs, one row per day and firm (tidy), firms in the market's order."""
        return self.store.frame()

    @property
    def datacollector(self) -> DataCollector:
        """Mesa's DataCollector over the results store: one model variable per output and firm
        (``nps_company``, ...), filled from the store when asked for."""
        reporters = {f"{o}_{firm}": (lambda m, o=o, f=f: float(m.today[o][f]))
                     for o in OUTPUT_NAMES for f, firm in enumerate(self.firms)}
        dc = DataCollector(model_reporters=reporters)
        for o in OUTPUT_NAMES:
            values = self.store.array(o)
            for f, firm in enumerate(self.firms):
                dc.model_vars[f"{o}_{firm}"] = values[:, f].tolist()
        return dc

    def set_params(self, **changes):
        """Change parameters during a run (a new policy from the next day on), validated like the
        start. A staffing ratio's change is acted on at once by a staffing review of its firm;
        parameters that shape the market at the start cannot change."""
        new = validate({**self.p, **changes})
        review_firms = set()
        for key in changes:
            param, firm = resolve(key, self.firms)
            if new[key] == self.p[key]:
                continue
            if param.effect == START:
                raise ParameterError(f"parameter '{key}' shapes the market at the start and cannot change during a run")
            if param.effect == REVIEW:
                review_firms.add(self.firms.index(firm))
        self.p = new
        self.base_policy = policy_arrays(new)
        self.policy = self.base_policy
        for f in sorted(review_firms):
            review(self, f)

    def schedule(self, day: int, firm: str, kind: str, **fields) -> dict:
        """Schedule an event (see `lealtad.events`) at ``firm`` on ``day`` (today or later)."""
        if isinstance(day, (int, np.integer)) and not isinstance(day, bool) and day < self.day:
            raise ParameterError(f"event day: {day} is in the past; expected a day from {self.day} on")
        return self.events.add({"day": day, "firm": firm, "kind": kind, **fields})

    def trigger_strike(self, days: int | None = None, firm: str | None = None, capacity: float | None = None):
        """A strike or outage at ``firm`` (default: the first firm) starting today."""
        extra = {k: v for k, v in (("days", days), ("capacity", capacity)) if v is not None}
        return self.schedule(self.day, firm or self.firms[0], "strike", **extra)

    def trigger_surge(self, days: int | None = None, factor: float | None = None, firm: str | None = None):
        """A demand surge at ``firm`` (default: the first firm) starting today."""
        extra = {k: v for k, v in (("days", days), ("factor", factor)) if v is not None}
        return self.schedule(self.day, firm or self.firms[0], "surge", **extra)

    def customer(self, i: int) -> Customer:
        """The Mesa agent for customer ``i`` (created on first use: see docs/odd.md, 'Entities')."""
        if not 0 <= i < self.p["n_customers"]:
            raise IndexError(f"customer {i} does not exist; ids run from 0 to {self.p['n_customers'] - 1}")
        if i not in self._customer_views:
            self._customer_views[i] = Customer(self, i)
        return self._customer_views[i]

    @property
    def agents(self):
        """Every agent (Mesa's AgentSet); customers' views are made on first access, so that runs
        that never look at agents do not pay for a million objects."""
        self._all_customers()
        return super().agents

    @property
    def agents_by_type(self):
        self._all_customers()
        return super().agents_by_type

    def _all_customers(self):
        if len(self._customer_views) < self.p["n_customers"]:
            for i in range(self.p["n_customers"]):
                self.customer(i)

    def commitment(self, ids=slice(None)) -> np.ndarray:
        return rules.commitment(self.satisfaction[ids], self.failure_memory[ids], self.p["failure_weight"])

    def customer_table(self) -> pd.DataFrame:
        """Agent-level snapshot of every customer today (firm: its name, empty for a prospect)."""
        names = np.array([*self.firms, ""], dtype=object)
        table = {"id": np.arange(self.firm.size), "firm": names[self.firm], "satisfaction": self.satisfaction,
                 "commitment": self.commitment(), "failure_memory": self.failure_memory}
        table.update({f"image_{firm}": self.image[:, f] for f, firm in enumerate(self.firms)})
        table.update({"purchases": self.purchases, "joined": self.joined, "last_quality": self.last_quality,
                      "last_wait": self.last_wait})
        return pd.DataFrame(table)

    def employee_table(self) -> pd.DataFrame:
        """Agent-level snapshot of every employee position today."""
        return pd.DataFrame({"id": np.arange(self.emp_firm.size), "firm": np.array(self.firms, dtype=object)[self.emp_firm],
                             "open": self.emp_open, "vacant": self.emp_vacant_until > self.day,
                             "satisfaction": self.emp_satisfaction, "skill": self.emp_skill,
                             "hires": self.emp_hires, "hired_day": self.emp_hired_day})
