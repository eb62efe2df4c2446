"""LoyaltyModel: the service-profit chain as a Mesa model.

State lives in numpy arrays, one per attribute (customers and employee positions are never
deleted, so an agent's id is its index); `Employee` and `Customer` are Mesa agents that read and
write those arrays, for inspection, teaching and the visualisation. All customers update together
each day.

One day, in the order of the chain (also section 3 of docs/odd.md):

1. management      internal service quality of each firm from its policies
2. employees       satisfaction (internal quality, work pressure), quits and vacancies, learning
3. demand          prospects adopt (advertising, word of mouth), customers come to buy
4. encounters      each firm's queue (first come, first served); value of each moment of truth
5. customers       satisfaction (expectation-disconfirmation), complaints and recovery, loyalty
6. word of mouth   customers talk to their contacts; images move with what they hear
7. image           images fade without news; advertising pulls them toward the promise
8. economics       revenue, costs, profit
9. records         the day's outputs (Mesa DataCollector)
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from mesa import Model
from mesa.datacollection import DataCollector

from . import chain
from .agents import Customer, Employee
from .kernels import listen, opinions, serve_fcfs
from .network import build as build_network
from .outputs import OUTPUTS, tidy
from .params import FIRMS, firm_param, validate
from .streams import Streams

PROSPECT = -1


class LoyaltyModel(Model):
    """Two firms (the company, index 0, and its competitor, index 1) competing for one market.

    ``LoyaltyModel(rng=42, staff_per_1000=3, ...)``: any parameter of `lealtad params` as a keyword.
    ``rng`` must be an integer seed (or None for a fresh one): common random numbers need it.
    """

    def __init__(self, rng: int | None = None, collect: bool = True, **params):
        self.p = validate(params)
        seed = int(np.random.SeedSequence().entropy % 2**63) if rng is None else rng
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
            raise ValueError(f"rng: {rng!r} is not allowed; expected a non-negative integer seed or None")
        super().__init__(rng=int(seed))
        self.seed = int(seed)
        self.streams = Streams(self.seed)
        self.day = 0
        self.hours = self.p["opening_hours"]
        self.network = build_network(self.p["network"], self.p["n_customers"], self.p["network_degree"],
                                     self.p["rewiring"], self.seed, self.p["network_file"])
        self._init_customers()
        self._init_employees()
        self.pressure = np.zeros(2)
        self.new_positions = np.zeros(2)  # positions created since the last accounts (each costs a hire)
        self.cumulative_profit = np.zeros(2)
        self.strikes: list[tuple[int, int]] = []  # (first day, last day) at the company
        self.surges: list[tuple[int, int, float]] = []
        if self.p["strike_day"] >= 0:
            self.strikes.append((self.p["strike_day"], self.p["strike_day"] + self.p["strike_days"] - 1))
        if self.p["surge_day"] >= 0:
            self.surges.append((self.p["surge_day"], self.p["surge_day"] + self.p["surge_days"] - 1, self.p["surge_factor"]))
        self._customer_views: dict[int, Customer] = {}
        self.encounters: dict[str, np.ndarray] = {}  # today's moments of truth, one entry per encounter
        self.today: dict[str, np.ndarray] = {}
        self.datacollector = DataCollector(model_reporters={
            f"{o.name}_{firm}": (lambda m, n=o.name, f=f: float(m.today[n][f])) for o in OUTPUTS for f, firm in enumerate(FIRMS)
        }) if collect else None

    # ----------------------------------------------------------------------------------- set-up
    def _init_customers(self):
        p, n = self.p, self.p["n_customers"]
        ids = np.arange(n)
        u = self.streams.uniform("initial_firm", 0, ids)
        s0, s1 = p["initial_share"], p["competitor_initial_share"]
        self.firm = np.where(u < s0, 0, np.where(u < s0 + s1, 1, PROSPECT)).astype(np.int8)
        start = np.clip(p["initial_satisfaction"] + 0.1 * self.streams.normal("initial_satisfaction", 0, ids), 0, 1)
        active = self.firm >= 0
        self.satisfaction = np.where(active, start, 0.0)
        self.failure_memory = np.zeros(n)
        self.image = np.full((n, 2), p["image_prior"], order="F")  # column-major: each firm's images contiguous
        self.image[active, self.firm[active]] = start[active]
        self.joined = np.zeros(n, dtype=np.int32)
        self.purchases = np.zeros(n, dtype=np.int32)
        self.next_purchase = self._purchase_gaps(ids, -1).astype(np.int32) - 1
        # a lasting personal leniency: the same service pleases some people more than others
        self.leniency = p["customer_heterogeneity"] * self.streams.normal("leniency", 0, ids)
        self.last_quality = np.full(n, np.nan)
        self.last_wait = np.full(n, np.nan)
        self.heard = np.zeros((n, 8))  # per firm f: columns 4f..4f+3 = valence sum, messages, recommendations, warnings

    def _init_employees(self):
        self.emp_firm = np.zeros(0, dtype=np.int8)
        for name in ("satisfaction", "skill", "disposition", "free_at"):
            setattr(self, f"emp_{name}", np.zeros(0))
        for name in ("vacant_until", "hired_day", "hires"):
            setattr(self, f"emp_{name}", np.zeros(0, dtype=np.int64))
        self.emp_open = np.zeros(0, dtype=bool)
        self.employees: list[Employee] = []
        for f in (0, 1):
            self._add_positions(f, self._staff_target(f), initial=True)

    def _staff_target(self, f: int) -> int:
        """Positions that the staffing ratio asks for, given the firm's customers today (at least one)."""
        customers = np.count_nonzero(self.firm == f)
        return max(1, round(firm_param(self.p, f, "staff_per_1000") * customers / 1000))

    def _add_positions(self, f: int, k: int, initial: bool = False):
        """Open ``k`` positions at firm ``f``: initial staff are experienced, later ones are new hires."""
        start = self.emp_firm.size
        ids = np.arange(start, start + k)
        p = self.p
        disposition = p["employee_heterogeneity"] * self.streams.normal("disposition", self.day, ids)
        if initial:
            skill = p["new_hire_skill"] + (1 - p["new_hire_skill"]) * self.streams.uniform("initial_skill", 0, ids)
            vacant_until = np.full(k, -1)
        else:
            skill = np.full(k, p["new_hire_skill"])
            vacant_until = np.full(k, self.day + p["hiring_delay"])
        isq = self._isq(f)
        self.emp_firm = np.append(self.emp_firm, np.full(k, f, dtype=np.int8))
        self.emp_satisfaction = np.append(self.emp_satisfaction, np.clip(isq + disposition, 0, 1))
        self.emp_skill = np.append(self.emp_skill, skill)
        self.emp_disposition = np.append(self.emp_disposition, disposition)
        self.emp_free_at = np.append(self.emp_free_at, np.maximum(vacant_until, self.day) * self.hours)
        self.emp_vacant_until = np.append(self.emp_vacant_until, vacant_until)
        self.emp_hired_day = np.append(self.emp_hired_day, np.maximum(vacant_until, 0))
        self.emp_hires = np.append(self.emp_hires, np.ones(k, dtype=np.int64))
        self.emp_open = np.append(self.emp_open, np.ones(k, dtype=bool))
        self.employees.extend(Employee(self, int(i)) for i in ids)
        return ids

    # ------------------------------------------------------------------------------ public API
    def step(self):
        """One day of the chain, in the order stated in the module docstring."""
        rec = {o.name: np.zeros(2) for o in OUTPUTS}
        self.today = rec
        isq = np.array([self._isq(0), self._isq(1)])                      # 1. management
        self._employees(isq, rec)                                        # 2. employees
        buyers = self._demand(rec)                                       # 3. demand
        quality, waits, server, failed = self._encounters(buyers, rec)   # 4. encounters
        self._customers(buyers, quality, waits, server, failed, rec)     # 5. customers
        self._word_of_mouth(rec)                                         # 6. word of mouth
        self._image(rec)                                                 # 7. image
        self._economics(rec)                                             # 8. economics
        rec["internal_quality"][:] = isq
        if self.datacollector is not None:                               # 9. records
            self.datacollector.collect(self)
        self.day += 1

    def run(self, steps: int, progress=None) -> "LoyaltyModel":
        """Run ``steps`` days; ``progress`` is called with the number of days done, if given."""
        for _ in range(steps):
            self.step()
            if progress is not None:
                progress(1)
        return self

    def results(self) -> pd.DataFrame:
        """Daily outputs, one row per day and firm (tidy)."""
        if self.datacollector is None:
            raise RuntimeError("this model was created with collect=False")
        return tidy(self.datacollector.get_model_vars_dataframe())

    def set_params(self, **changes):
        """Change parameters during a run (a new policy from tomorrow on), validated like the start."""
        old = self.p
        new = validate({**{k: v for k, v in old.items()}, **changes})
        fixed = {"n_customers", "network", "network_degree", "rewiring", "network_file", "initial_share",
                 "competitor_initial_share", "initial_satisfaction"}
        for name in fixed & changes.keys():
            if new[name] != old[name]:
                raise ValueError(f"parameter '{name}' shapes the market at the start and cannot change during a run")
        self.p = new
        self.hours = new["opening_hours"]
        for f in (0, 1):
            self._resize_staff(f)

    def trigger_strike(self, days: int | None = None):
        """A strike or outage at the company starting today."""
        self.strikes.append((self.day, self.day + int(days or self.p["strike_days"]) - 1))

    def trigger_surge(self, days: int | None = None, factor: float | None = None):
        """A demand surge at the company starting today."""
        self.surges.append((self.day, self.day + int(days or self.p["surge_days"]) - 1, float(factor or self.p["surge_factor"])))

    def customer(self, i: int) -> Customer:
        """The Mesa agent for customer ``i`` (created on first use: see docs/odd.md, 'Entities')."""
        if not 0 <= i < self.p["n_customers"]:
            raise IndexError(f"customer {i} does not exist; ids run from 0 to {self.p['n_customers'] - 1}")
        if i not in self._customer_views:
            self._customer_views[i] = Customer(self, i)
        return self._customer_views[i]

    def commitment(self, ids=slice(None)) -> np.ndarray:
        return chain.commitment(self.satisfaction[ids], self.failure_memory[ids], self.p["failure_weight"])

    def customer_table(self) -> pd.DataFrame:
        """Agent-level snapshot of every customer today."""
        return pd.DataFrame({"id": np.arange(self.firm.size), "firm": self.firm, "satisfaction": self.satisfaction,
                             "commitment": self.commitment(), "failure_memory": self.failure_memory,
                             "image_company": self.image[:, 0], "image_competitor": self.image[:, 1],
                             "purchases": self.purchases, "joined": self.joined, "last_quality": self.last_quality,
                             "last_wait": self.last_wait})

    def employee_table(self) -> pd.DataFrame:
        """Agent-level snapshot of every employee position today."""
        return pd.DataFrame({"id": np.arange(self.emp_firm.size), "firm": self.emp_firm, "open": self.emp_open,
                             "vacant": self._vacant(), "satisfaction": self.emp_satisfaction, "skill": self.emp_skill,
                             "hires": self.emp_hires, "hired_day": self.emp_hired_day})

    # ------------------------------------------------------------------------- 1. management
    def _isq(self, f: int) -> float:
        p = self.p
        return float(chain.internal_service_quality(firm_param(p, f, "leadership"), firm_param(p, f, "training"),
                                                    firm_param(p, f, "wage_premium")))

    # -------------------------------------------------------------------------- 2. employees
    def _vacant(self) -> np.ndarray:
        return self.emp_vacant_until > self.day

    def _staffed(self) -> np.ndarray:
        return self.emp_open & ~self._vacant()

    def _employees(self, isq, rec):
        p, d = self.p, self.day
        if d > 0 and d % p["staffing_review"] == 0:
            for f in (0, 1):
                self._resize_staff(f)
        staffed = self._staffed()
        f = self.emp_firm
        self.emp_satisfaction = np.where(staffed, chain.employee_satisfaction(
            self.emp_satisfaction, isq[f], self.pressure[f], self.emp_disposition,
            p["pressure_sensitivity"], p["satisfaction_adjustment"]), self.emp_satisfaction)
        training = np.array([firm_param(p, 0, "training"), firm_param(p, 1, "training")])
        self.emp_skill = np.where(staffed, chain.learn(self.emp_skill, p["learning_rate"], training[f]), self.emp_skill)
        ids = np.flatnonzero(staffed)
        quit_p = chain.daily_quit_probability(self.emp_satisfaction[ids], p["turnover_satisfied"], p["turnover_dissatisfied"])
        quits = ids[self.streams.uniform("quit", d, ids) < quit_p]
        if quits.size:  # the position stays empty for hiring_delay days, then a novice takes it
            back = d + p["hiring_delay"]
            self.emp_vacant_until[quits] = back
            self.emp_free_at[quits] = np.maximum(self.emp_free_at[quits], back * self.hours)
            self.emp_skill[quits] = p["new_hire_skill"]
            self.emp_disposition[quits] = p["employee_heterogeneity"] * self.streams.normal("disposition", d + 1, quits)
            self.emp_satisfaction[quits] = np.clip(isq[f[quits]] + self.emp_disposition[quits], 0, 1)
            self.emp_hires[quits] += 1
            self.emp_hired_day[quits] = back
        rec["quits"][:] = np.bincount(f[quits], minlength=2)
        staffed = self._staffed()
        rec["staff"][:] = np.bincount(f[staffed], minlength=2)
        rec["employee_satisfaction"][:] = _group_mean(self.emp_satisfaction[staffed], f[staffed])
        rec["employee_skill"][:] = _group_mean(self.emp_skill[staffed], f[staffed])

    def _resize_staff(self, f: int):
        """Staffing review: open positions (vacant while hiring) or close them (vacant ones first, then
        the most recent hires) so that staff matches the staffing ratio."""
        target = self._staff_target(f)
        open_ids = np.flatnonzero(self.emp_open & (self.emp_firm == f))
        if target > open_ids.size:
            self.new_positions[f] += target - open_ids.size
            self._add_positions(f, target - open_ids.size)
        elif target < open_ids.size:
            order = np.lexsort((-self.emp_hired_day[open_ids], ~self._vacant()[open_ids]))
            closed = open_ids[order[:open_ids.size - target]]
            self.emp_open[closed] = False
            self.emp_free_at[closed] = np.inf

    # ----------------------------------------------------------------------------- 3. demand
    def _purchase_gaps(self, ids, counter):
        """Days until the next purchase: geometric with the daily purchase rate."""
        r = self.p["purchase_rate"]
        if r >= 1:
            return np.ones(ids.size, dtype=np.int64)
        u = self.streams.uniform("purchase_gap", counter, ids)
        return 1 + np.floor(np.log(u) / np.log1p(-r)).astype(np.int64)

    def _demand(self, rec) -> np.ndarray:
        """Who comes to buy today: new adopters (their first encounter) and due customers."""
        p, d = self.p, self.day
        prospects = np.flatnonzero(self.firm == PROSPECT)
        hazard = [chain.adoption_hazard(firm_param(p, f, "advertising"), p["wom_effect"],
                                        self.heard[prospects, 4 * f + 2], self.heard[prospects, 4 * f + 3],
                                        p["warning_effect"], self.network.degree[prospects],
                                        self.image[prospects, f], p["image_prior"], p["image_attraction"])
                  for f in (0, 1)]
        total = np.maximum(1.0, hazard[0] + hazard[1])  # if both are sure, the odds split in proportion
        u = self.streams.uniform("adopt", d, prospects) * total
        choice = np.where(u < hazard[0], 0, np.where(u < hazard[0] + hazard[1], 1, PROSPECT))
        adopters = prospects[choice >= 0]
        adopted = choice[choice >= 0].astype(np.int8)
        self.firm[adopters] = adopted
        self.satisfaction[adopters] = self.image[adopters, adopted]
        self.failure_memory[adopters] = 0.0
        self.joined[adopters] = d
        self.next_purchase[adopters] = d
        rec["acquired"][:] = np.bincount(adopted, minlength=2)
        due = (self.next_purchase <= d) & (self.firm >= 0)
        for first, last, factor in self.surges:  # extra demand at the company
            if first <= d <= last:
                ours = np.flatnonzero((self.firm == 0) & ~due)
                extra = self.streams.uniform("surge", d, ours) < (factor - 1) * p["purchase_rate"]
                due[ours[extra]] = True
        return np.flatnonzero(due)

    # ------------------------------------------------------------------------- 4. encounters
    def _apply_strikes(self):
        """Strikers at the company are "busy" until their strike ends (an outage is the same)."""
        for first, last in self.strikes:
            if first <= self.day <= last:
                ids = np.flatnonzero(self.emp_open & (self.emp_firm == 0))
                out = ids[self.streams.uniform("strike", first, ids) >= self.p["strike_capacity"]]
                self.emp_free_at[out] = np.maximum(self.emp_free_at[out], (last + 1) * self.hours)

    def _in_crisis(self) -> bool:
        """Inside a contingency at the company, or as long again after it (when its backlog is worked off)."""
        windows = [(a, b) for a, b in self.strikes] + [(a, b) for a, b, _ in self.surges]
        return any(a <= self.day <= b + (b - a + 1) for a, b in windows)

    def _encounters(self, buyers, rec):
        """Queue every firm's requests, then value each moment of truth."""
        p, d, n = self.p, self.day, buyers.size
        waits, server = np.zeros(n), np.zeros(n, dtype=np.int64)
        firm_of = self.firm[buyers]
        base_rate = 60.0 / p["service_minutes"]
        rates = chain.service_rate(self.emp_skill, self.emp_satisfaction, base_rate,
                                   p["skill_productivity"], p["morale_productivity"])
        arrival = (d + self.streams.uniform("arrival", d, buyers)) * self.hours
        work = self.streams.exponential("service", d, buyers)
        self._apply_strikes()
        for f in (0, 1):
            req = np.flatnonzero(firm_of == f)
            req = req[np.argsort(arrival[req], kind="stable")]
            pos = np.flatnonzero(self.emp_open & (self.emp_firm == f))
            free = self.emp_free_at[pos].copy()
            w, s = _serve(arrival[req], work[req], rates[pos], free)
            self.emp_free_at[pos] = free
            waits[req], server[req] = w, pos[s]
            staffed = max(1, int(np.sum(self._staffed()[pos])))
            self.pressure[f] = w.sum() / (self.hours * staffed)
            busy = np.sum(work[req] / rates[pos][s]) if req.size else 0.0
            rec["utilisation"][f] = busy / (self.hours * staffed)
            rec["wait_mean"][f] = w.mean() if w.size else np.nan
            rec["wait_p90"][f] = _p90(w)
        skill = self.emp_skill[server]
        failed = self.streams.uniform("failure", d, buyers) < chain.failure_probability(
            skill, p["failure_rate"], p["novice_failure_rate"])
        tangibles = np.array([firm_param(p, 0, "tangibles"), firm_param(p, 1, "tangibles")])[firm_of]
        weights = {k: p[f"weight_{k}"] for k in ("reliability", "responsiveness", "assurance", "empathy", "tangibles")}
        noise = self.leniency[buyers] + p["encounter_noise"] * self.streams.normal("perception", d, buyers)
        felt_wait = np.where(firm_of == 0, waits * (1.0 - p["crisis_communication"] * self._in_crisis()), waits)
        quality = chain.encounter_quality(failed.astype(float), felt_wait, skill, self.emp_satisfaction[server],
                                          tangibles, noise, weights, p["wait_tolerance"])
        rec["encounters"][:] = np.bincount(firm_of, minlength=2)
        rec["failures"][:] = np.bincount(firm_of[failed], minlength=2)
        rec["service_quality"][:] = _group_mean(quality, firm_of)
        return quality, waits, server, failed

    # -------------------------------------------------------------------------- 5. customers
    def _customers(self, buyers, quality, waits, server, failed, rec):
        p, d = self.p, self.day
        f = self.firm[buyers].astype(np.int64)
        expectation = self.image[buyers, f]
        s = chain.transaction_satisfaction(quality, expectation, p["gain_sensitivity"], p["loss_sensitivity"])
        first_failure = self.failure_memory[buyers] < 0.5
        # complaints and recovery: few dissatisfied customers complain (TARP)
        dissatisfied = chain.recommend_score(s) <= chain.DETRACTOR
        ease = np.array([firm_param(p, 0, "complaint_ease"), firm_param(p, 1, "complaint_ease")])[f]
        complained = dissatisfied & (self.streams.uniform("complain", d, buyers) < ease)
        effort = np.array([firm_param(p, 0, "recovery"), firm_param(p, 1, "recovery")])[f]
        recovered = complained & (self.streams.uniform("recover", d, buyers) < effort)
        s = np.where(recovered, np.maximum(s, chain.recovered_satisfaction(expectation, first_failure, p["recovery_boost"])), s)
        rec["dissatisfied"][:] = np.bincount(f[dissatisfied], minlength=2)
        rec["complaints"][:] = np.bincount(f[complained], minlength=2)
        rec["recoveries"][:] = np.bincount(f[recovered], minlength=2)
        # memory: satisfaction, failures and one's image of the firm
        new = self.joined[buyers] == d
        self.satisfaction[buyers] = np.where(new, s, chain.cumulative(self.satisfaction[buyers], s, p["satisfaction_memory"]))
        self.failure_memory *= 1.0 - p["failure_forgetting"]
        self.failure_memory[buyers] += failed
        self.image[buyers, f] = chain.cumulative(expectation, quality, p["expectation_learning"])
        self.last_quality[buyers], self.last_wait[buyers] = quality, waits
        self.purchases[buyers] += 1
        self.next_purchase[buyers] = d + self._purchase_gaps(buyers, d)
        # loyalty: defect, and then switch to the rival if one expects better there
        c = self.commitment(buyers)
        defect = self.streams.uniform("defect", d, buyers) < chain.defection_probability(
            c, p["churn_max"], p["churn_midpoint"], p["churn_width"])
        leavers, lf = buyers[defect], f[defect]
        other = 1 - lf
        switch = self.image[leavers, other] > c[defect]
        self.firm[leavers] = np.where(switch, other, PROSPECT).astype(np.int8)
        movers = leavers[switch]
        self.satisfaction[movers] = self.image[movers, other[switch]]
        self.failure_memory[movers] = 0.0
        self.joined[movers] = d
        self.satisfaction[leavers[~switch]] = 0.0
        self.encounters = {"customer": buyers, "firm": f, "wait": waits, "server": server, "failed": failed,
                           "quality": quality, "expectation": expectation, "satisfaction": s,
                           "complained": complained, "recovered": recovered, "defected": defect}
        rec["lost_to_rival"][:] = np.bincount(lf[switch], minlength=2)
        rec["won_from_rival"][:] = np.bincount(other[switch], minlength=2)
        rec["exits"][:] = np.bincount(lf[~switch], minlength=2)

    # ----------------------------------------------------------------------- 6. word of mouth
    def _word_of_mouth(self, rec):
        """Customers take stock (commitment, score), some talk, their contacts listen: one pass over
        everyone, one over the talkers' ties, one over the listeners (compiled loops in `kernels`)."""
        p = self.p
        tally, satisfaction_sum, reach, speakers, firms, messages = opinions(
            self.firm, self.satisfaction, self.failure_memory, p["failure_weight"],
            chain.talk_probability(p["talk_promoter"], p["talk_passive"], p["talk_detractor"]),
            np.uint64(self.streams.key("talk")), np.uint64(self.day), self.network.degree)
        rec["active"][:] = tally.sum(axis=1)
        rec["customer_satisfaction"][:] = _ratio(satisfaction_sum, rec["active"])
        rec["nps"][:] = chain.nps(tally)
        rec["recommendations"][:], rec["warnings"][:] = reach[:, 0], reach[:, 1]
        self.network.tell(speakers, firms, messages, self.heard)
        listen(self.image, self.heard, p["image_inertia"])

    # ------------------------------------------------------------------------------- 7. image
    def _image(self, rec):
        """I' = (1 - pull)((1 - decay) I + decay prior) + pull promise: fading, then advertising,
        applied as one affine update per firm."""
        p = self.p
        for f in (0, 1):
            pull = min(1.0, p["ad_persuasion"] * firm_param(p, f, "advertising"))
            keep = (1.0 - pull) * (1.0 - p["image_decay"])
            shift = (1.0 - pull) * p["image_decay"] * p["image_prior"] + pull * firm_param(p, f, "promise")
            column = self.image[:, f]
            column *= keep
            column += shift
        rec["image"][:] = self.image.mean(axis=0)

    # --------------------------------------------------------------------------- 8. economics
    def _economics(self, rec):
        p = self.p
        total = rec["active"].sum()
        rec["market_share"][:] = rec["active"] / total if total else np.nan
        rec["prospects"][:] = np.count_nonzero(self.firm == PROSPECT)
        staff = rec["staff"]
        pol = {k: np.array([firm_param(p, 0, k), firm_param(p, 1, k)]) for k in ("wage_premium", "training", "advertising")}
        rec["revenue"][:] = rec["encounters"] * p["price"]
        rec["costs"][:] = (staff * p["daily_wage"] * (1 + pol["wage_premium"])
                           + staff * p["training_cost"] * pol["training"]
                           + (rec["quits"] + self.new_positions) * p["hiring_cost"]
                           + rec["recoveries"] * p["recovery_cost"]
                           + rec["active"] * p["retention_cost"] / 365
                           + (rec["acquired"] + rec["won_from_rival"]) * p["acquisition_cost_ratio"] * p["retention_cost"]
                           + pol["advertising"] / 0.001 * p["advertising_cost"] * p["n_customers"])
        rec["profit"][:] = rec["revenue"] - rec["costs"]
        self.new_positions[:] = 0
        self.cumulative_profit += rec["profit"]
        rec["cumulative_profit"][:] = self.cumulative_profit


def _serve(arrivals, work, rates, free_at):
    if arrivals.size == 0 or free_at.size == 0:
        return np.full(arrivals.size, np.inf), np.zeros(arrivals.size, dtype=np.int64)
    return serve_fcfs(arrivals, work, rates, free_at)


def _p90(values) -> float:
    """90th percentile by linear interpolation (numpy's quantile, without its overhead on small arrays)."""
    if values.size == 0:
        return np.nan
    x = np.sort(values)
    pos = 0.9 * (x.size - 1)
    lo = int(pos)
    return float(x[lo] + (pos - lo) * (x[min(lo + 1, x.size - 1)] - x[lo]))


def _group_mean(values, groups) -> np.ndarray:
    """Mean of ``values`` per firm (NaN where a firm has none)."""
    return _ratio(np.bincount(groups, weights=values, minlength=2)[:2], np.bincount(groups, minlength=2)[:2])


def _ratio(total, count) -> np.ndarray:
    """A mean from its sum and count (NaN where the count is zero)."""
    return np.divide(total, count, out=np.full(len(count), np.nan), where=count > 0)
