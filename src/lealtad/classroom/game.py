"""The rules of the classroom game: its set-up, teams and their codes, plans, quarters, the ranking.

``Game(setup)`` holds one market (a LoyaltyModel whose firms are the teams, ``team_1``..., plus any
computer-run rivals, ``rival_1``...). Teams join until the first quarter closes; then the market is
built and each ``close_quarter`` applies every team's submitted plan from the next day and runs 91
days. Everything that happens is a few small facts (the set-up, the teams, each quarter's plans), so
replaying them from the seed restores every number (common random numbers): that is how a game is
saved to a file, kept in the database (``store``) and resumed after a restart.

Nothing here checks codes: ``lobby.Lobby`` is the door through which a browser reaches a game.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..locale import N_, numbers, t
from ..model import LoyaltyModel
from ..modules.channels import CHANNELS
from ..params import MAX_FIRMS, defaults, param_of
from ..viz import i18n  # labels of the policies (a plain module: no Solara)

QUARTER_DAYS = 91
N_CUSTOMERS = 3000       # a classroom market: a quarter runs in well under a second
BUDGET_HEADROOM = 1.25   # the default budget: the starting policies' spending plus 25 %
MAX_QUARTERS = 12
GAME_MARKET = (500, 10_000)    # people in a classroom market
MAX_BUDGET = 1e9               # EUR per quarter
MAX_NAME = 40                  # characters in a team's name
MAX_DEADLINE = 240             # minutes a quarter may stay open before it closes by itself
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: codes are read off a projector
TEAM_CODE_LENGTH, TEACHER_CODE_LENGTH = 8, 10
KPIS = ("profit", "cumulative_profit", "market_share", "nps", "customer_satisfaction", "answered_in_time",
        "turnover", "spending")
KPI_LABELS = {"profit": N_("Profit in the quarter (EUR)"), "cumulative_profit": N_("Cumulative profit (EUR)"),
              "market_share": N_("Market share"), "nps": N_("NPS"), "customer_satisfaction": N_("Customer satisfaction"),
              "answered_in_time": N_("Contacts answered in time (%)"), "turnover": N_("Employee turnover (%/year)"),
              "spending": N_("Policy spending (EUR)")}


def answered_in_time(days: pd.DataFrame) -> float:
    """Percent of the contacts answered within their channel's target wait, over the days given."""
    weight = days["contacts"] * days["service_level"].notna()
    return float(100 * np.nansum(days["service_level"] * weight) / weight.sum()) if weight.sum() else float("nan")


@dataclass(frozen=True)
class Lever:
    """A policy a team may change: the widest range a game may allow and how far it may move in one
    quarter (culture, training and staffing change gradually)."""
    name: str
    low: float
    high: float
    max_step: float
    step: float


LEVERS: dict[str, Lever] = {lv.name: lv for lv in (
    Lever("in_person_staff_per_1000", 1.5, 13.0, 2.0, 0.1),
    Lever("wage_premium", -0.2, 0.5, 0.15, 0.05),
    Lever("training", 0.0, 1.0, 0.3, 0.05),
    Lever("leadership", 0.0, 1.0, 0.2, 0.05),
    Lever("tangibles", 0.0, 1.0, 0.2, 0.05),
    Lever("advertising", 0.0, 0.004, 0.001, 0.0001),
    Lever("promise", 0.0, 1.0, 0.2, 0.05),
    Lever("complaint_ease", 0.0, 1.0, 0.3, 0.01),
    Lever("recovery", 0.0, 1.0, 0.3, 0.05),
)}


# ------------------------------------------------------------------------------------ messages
class PlanError(ValueError):
    """A plan, a game action, a set-up or a saved file the rules refuse; ``message(lang)`` says why in
    the page's language. ``key`` is the message (English, a catalog id); a value may itself be a
    PlanError (a phrase, such as what is allowed) or a function of the language, translated with it."""

    def __init__(self, key: str, **values):
        self.key, self.values = key, values
        super().__init__(self.message("en"))

    def message(self, lang: str) -> str:
        values = {k: _in_language(v, lang) for k, v in self.values.items() if k not in ("cause", "where")}
        if "lever" in values:  # name the policy as the app labels it in this language
            values["label"] = i18n.param_label(values.pop("lever"), lang)
        if "cause" in self.values:  # an error inside a saved game, told in this language
            values["error"] = self.values.get("where", "") + self.values["cause"].message(lang)
        return t(self.key, lang, **values)


def _in_language(value, lang: str):
    if isinstance(value, PlanError):
        return value.message(lang)
    if callable(value):
        return value(lang)
    if isinstance(value, (int, float, np.number)) and not isinstance(value, bool):
        return num(value, lang)
    return value


def num(x: float, lang: str) -> str:
    """A policy value or an amount as ``lang`` writes it: whole units from 100 up, else as typed."""
    return numbers.number(x, lang) if abs(x) >= 100 else numbers.significant(x, lang)


def is_number(value) -> bool:
    return isinstance(value, (int, float, np.number)) and not isinstance(value, bool) and bool(np.isfinite(value))


def clip(value, limit: int = 40, quoted: bool = True) -> str:
    """A value as JSON writes it (a name as it is, with ``quoted=False``), cut short: a message never
    echoes more than a few words."""
    try:
        text = value if isinstance(value, str) and not quoted else json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def field_error(name: str, value, allowed: PlanError) -> PlanError:
    return PlanError(N_("'{field}' = {value}: expected {allowed}"), field=name, value=clip(value), allowed=allowed)


def check_whole(name: str, value, low: int, high: int) -> int:
    if not is_number(value) or value != int(value) or not low <= value <= high:
        raise field_error(name, value, PlanError("an integer from {low} to {high}", low=low, high=high))
    return int(value)


# -------------------------------------------------------------------------------------- set-up
SETUP_FIELDS = ("seed", "quarters", "n_customers", "budget", "max_changes", "levers", "rivals", "deadline_minutes")


@dataclass(frozen=True)
class Setup:
    """What the teacher decides when creating a game; ``Setup.of(fields)`` checks every field."""
    seed: int = 42
    quarters: int = 4
    n_customers: int = N_CUSTOMERS
    budget: float | None = None          # EUR per quarter and team; None: the starting spending plus 25 %
    max_changes: int = 3                  # policies a team may change in one quarter
    levers: dict[str, tuple[float, float]] = field(default_factory=lambda: {k: (v.low, v.high) for k, v in LEVERS.items()})
    rivals: int = 0                       # computer-run firms in the market
    deadline_minutes: int = 0             # 0: the teacher closes each quarter

    @classmethod
    def of(cls, fields: dict[str, Any]) -> "Setup":
        """A set-up from plain values (a form, a file, the database), or PlanError naming the first bad field."""
        if not isinstance(fields, dict):
            raise field_error("setup", fields, PlanError(N_("a table of the game's settings")))
        unknown = [k for k in fields if k not in SETUP_FIELDS]
        if unknown:
            raise PlanError(N_("unknown setting '{field}'; a game has only: {fields}"), field=clip(unknown[0], quoted=False),
                            fields=", ".join(SETUP_FIELDS))
        f = {**asdict(cls()), **fields}
        levers = _check_levers(f["levers"])
        budget = f["budget"]
        if budget is not None and (not is_number(budget) or not 0 < budget <= MAX_BUDGET):
            raise field_error("budget", budget, PlanError(N_("a number above 0 and at most {high}"), high=MAX_BUDGET))
        return cls(seed=check_whole("seed", f["seed"], 0, 2**32 - 1),
                   quarters=check_whole("quarters", f["quarters"], 1, MAX_QUARTERS),
                   n_customers=check_whole("n_customers", f["n_customers"], *GAME_MARKET),
                   budget=None if budget is None else float(budget),
                   max_changes=check_whole("max_changes", f["max_changes"], 1, len(levers)),
                   levers=levers, rivals=check_whole("rivals", f["rivals"], 0, MAX_FIRMS - 1),
                   deadline_minutes=check_whole("deadline_minutes", f["deadline_minutes"], 0, MAX_DEADLINE))

    def fields(self) -> dict[str, Any]:
        """The set-up as plain JSON values (what the file and the database keep)."""
        return {**asdict(self), "levers": {k: list(v) for k, v in self.levers.items()}}


def _check_levers(levers) -> dict[str, tuple[float, float]]:
    """Each allowed lever with its game range: within the lever's widest range, containing the
    starting value (every firm starts at the schema's default)."""
    if not isinstance(levers, dict) or not levers:
        raise field_error("levers", levers, PlanError(N_("a table of at least one policy and its range")))
    start = defaults()
    checked = {}
    for name, bounds in levers.items():
        if name not in LEVERS:
            raise PlanError("'{name}' is not a policy of the game; you can change: {allowed}.", name=clip(name, quoted=False),
                            allowed=", ".join(LEVERS))
        lever, default = LEVERS[name], start[f"company.{name}"]
        ok = (isinstance(bounds, (list, tuple)) and len(bounds) == 2 and all(map(is_number, bounds))
              and lever.low - 1e-12 <= bounds[0] <= default + 1e-12 and default - 1e-12 <= bounds[1] <= lever.high + 1e-12
              and bounds[0] < bounds[1])
        if not ok:
            raise field_error(f"levers.{name}", bounds, PlanError(
                N_("[low, high] with {low} <= low <= {start} <= high <= {high}"), low=lever.low, start=default,
                high=lever.high))
        checked[name] = (float(bounds[0]), float(bounds[1]))
    return checked


# ------------------------------------------------------------------------------------- teams
@dataclass
class Team:
    firm: str      # the firm's name in the model (team_1, ...)
    name: str      # what the class calls it
    code: str      # its join code


@dataclass
class Quarter:
    """A closed quarter: the plans applied (firm -> lever -> (old, new)) and every firm's key numbers."""
    number: int                 # 1-based
    first_day: int
    last_day: int
    changes: dict[str, dict[str, tuple[float, float]]]
    kpis: dict[str, dict[str, float]]


def new_code(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def clean_code(text) -> str:
    """A code as typed (spaces, dashes, lower case) in its one written form."""
    return "".join(c for c in str(text or "").upper() if c.isalnum())[:40]


def shown_code(code: str) -> str:
    """A code in groups of four, easier to read off a projector and to type."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


class Game:
    """One classroom game: ``Game(Setup(seed=7))``; ``add_team("Azul")``; ``submit("team_1", {"training": 0.6})``;
    ``close_quarter()``. The lobby holds ``lock`` while it calls any of them (several browsers share a game)."""

    def __init__(self, setup: Setup, game_id: str | None = None, teacher_code: str | None = None,
                 opened_at: float | None = None):
        self.setup = setup
        self.id = game_id or secrets.token_hex(8)
        self.teacher_code = teacher_code or new_code(TEACHER_CODE_LENGTH)
        self.teams: dict[str, Team] = {}
        self.rivals = tuple(f"rival_{k}" for k in range(1, setup.rivals + 1))
        self.pending: dict[str, dict[str, float]] = {}    # firm -> plan submitted for the open quarter
        self.quarters: list[Quarter] = []
        self.opened_at = time.time() if opened_at is None else opened_at
        self.model: LoyaltyModel | None = None
        self.lock = threading.RLock()
        self.version = 0                                   # bumped at every change: pages redraw on it

    # ---------------------------------------------------------------------------- the market
    @property
    def firms(self) -> tuple[str, ...]:
        return (*self.teams, *self.rivals)

    @property
    def quarter(self) -> int:
        """Quarters closed so far."""
        return len(self.quarters)

    @property
    def over(self) -> bool:
        return self.quarter >= self.setup.quarters

    def name_of(self, firm: str, lang: str = "en") -> str:
        if firm in self.teams:
            return self.teams[firm].name
        return t("Computer {n}", lang, n=self.rivals.index(firm) + 1)

    def deadline(self) -> float | None:
        """When the open quarter closes by itself (seconds since the epoch), if the game has a deadline."""
        if not self.setup.deadline_minutes or self.over:
            return None
        return self.opened_at + 60 * self.setup.deadline_minutes

    def start_policies(self) -> dict[str, float]:
        p = defaults()
        return {name: p[f"company.{name}"] for name in LEVERS}

    def policies(self, firm: str) -> dict[str, float]:
        """The firm's levers in force now."""
        if firm not in self.firms:
            raise PlanError("There is no team called '{name}'.", name=firm)
        if self.model is None:
            return self.start_policies()
        return {name: self.model.p[f"{firm}.{name}"] for name in LEVERS}

    # ---------------------------------------------------------------------------------- teams
    def add_team(self, name: str) -> Team:
        return self.join(self.new_team(name))

    def join(self, team: Team) -> Team:
        self.teams[team.firm] = team
        self.version += 1
        return team

    def new_team(self, name: str) -> Team:
        """The team that ``name`` would be (its firm and a new code), checked but not yet in the game."""
        name = (name or "").strip() if isinstance(name, str) else ""
        if not name:
            raise PlanError("Type a team name.")
        if len(name) > MAX_NAME or not name.isprintable():
            raise PlanError(N_("A team name has 1 to {limit} letters, digits or signs."), limit=MAX_NAME)
        if any(team.name == name for team in self.teams.values()):
            raise PlanError("There is already a team called '{name}'.", name=name)
        if self.model is not None:
            raise PlanError(N_("Teams join before the first quarter closes."))
        if len(self.firms) >= MAX_FIRMS:
            raise PlanError(N_("A market has at most {limit} firms (teams and computer rivals)."), limit=MAX_FIRMS)
        return Team(f"team_{len(self.teams) + 1}", name, self._unused_code())

    def _unused_code(self) -> str:
        taken = {self.teacher_code, *(team.code for team in self.teams.values())}
        while (code := new_code(TEAM_CODE_LENGTH)) in taken:
            pass
        return code

    # ----------------------------------------------------------------------------------- money
    def spending(self, policies: dict[str, float]) -> float:
        """What a firm's policies spend in one quarter on the things a team decides: front-line wages,
        training and advertising (the model's own accounting, lealtad.modules' economics). Staff is
        budgeted on the customers a firm starts the game with (an equal share of the market)."""
        market = defaults(max(len(self.firms), 1))  # every firm starts alike: the first one stands for all
        p = {k.removeprefix("company."): v for k, v in market.items() if k.startswith("company.") or "." not in k}
        p.update(policies)
        staff = sum(channel_staff(p, c, p["initial_share"] * self.setup.n_customers) for c in CHANNELS)
        daily = (staff * p["daily_wage"] * (1 + p["wage_premium"]) + staff * p["training_cost"] * p["training"]
                 + p["advertising"] / 0.001 * p["advertising_cost"] * self.setup.n_customers)
        return QUARTER_DAYS * daily

    @property
    def budget(self) -> float:
        if self.setup.budget is not None:
            return self.setup.budget
        return float(np.ceil(BUDGET_HEADROOM * self.spending(self.start_policies()) / 1000) * 1000)

    # ----------------------------------------------------------------------------------- plans
    def review(self, firm: str, changes: dict[str, Any]) -> tuple[dict[str, float], list[PlanError]]:
        """The plan's changes as numbers and every rule it breaks (empty when it may be submitted): what
        the team's screen shows while the sliders move, and what the server checks when it arrives."""
        if self.over:
            return {}, [PlanError(N_("The game is over: it had {quarters} quarters."), quarters=self.setup.quarters)]
        if not isinstance(changes, dict):
            return {}, [field_error("plan", changes, PlanError(N_("a table of policies and their values")))]
        current = self.policies(firm)
        plan, problems = {}, []
        for lever, raw in changes.items():
            value, problem = self._check_value(lever, raw, current)
            if problem:
                problems.append(problem)
            elif not np.isclose(value, current[lever], rtol=0, atol=1e-12):
                plan[lever] = value
        if len(plan) > self.setup.max_changes:
            problems.append(PlanError("Too many changes: {n}; at most {max} per quarter.", n=len(plan),
                                      max=self.setup.max_changes))
        cost = self.spending({**current, **plan})
        if cost > self.budget + 1e-6 and cost > self.spending(current) + 1e-6:  # cutting is always allowed
            problems.append(PlanError("The plan costs {spending} EUR per quarter and the budget is {budget} EUR.",
                                      spending=cost, budget=self.budget))
        return plan, problems

    def _check_value(self, lever, raw, current) -> tuple[float | None, PlanError | None]:
        if lever not in self.setup.levers:
            return None, PlanError("'{name}' is not a policy of the game; you can change: {allowed}.", name=clip(lever, quoted=False),
                                   allowed=", ".join(self.setup.levers))
        low, high = self.setup.levers[lever]
        out_of_range = PlanError("'{label}' = {value}: not allowed; it must be between {low} and {high}.",
                                 lever=lever, value=raw if is_number(raw) else clip(raw), low=low, high=high)
        if not is_number(raw):
            return None, out_of_range
        if not low - 1e-12 <= raw <= high + 1e-12:
            return None, out_of_range
        value = float(param_of(lever).coerce(min(max(raw, low), high)))  # the game's range lies within the schema's
        step = LEVERS[lever].max_step
        if abs(value - current[lever]) > step + 1e-9:
            return None, PlanError("'{label}' may move at most {step} per quarter ({old} to {value} is too far).",
                                   lever=lever, step=step, old=current[lever], value=value)
        return value, None

    def check(self, firm: str, changes: dict[str, Any]) -> dict[str, float]:
        plan, problems = self.review(firm, changes)
        if problems:
            raise problems[0]
        return plan

    def quarter_range(self, firm: str, lever: str) -> tuple[float, float]:
        """What a lever may be set to this quarter: today's value give or take its step, within the game's range."""
        low, high = self.setup.levers[lever]
        now, step = self.policies(firm)[lever], LEVERS[lever].max_step
        return max(low, round(now - step, 9)), min(high, round(now + step, 9))

    def submit(self, firm: str, changes: dict[str, Any]) -> dict[str, float]:
        """A team's plan for the open quarter (replacing one it sent before), or PlanError."""
        if firm not in self.teams:
            raise PlanError("There is no team called '{name}'.", name=firm)
        plan = self.check(firm, changes)
        self.pending[firm] = plan
        self.version += 1
        return plan

    def submitted(self) -> dict[str, bool]:
        return {firm: firm in self.pending for firm in self.teams}

    # -------------------------------------------------------------------------------- quarters
    def close_quarter(self) -> Quarter:
        """Apply every team's plan (no plan: no change) and the rivals' from tomorrow on, and run the
        shared market for one quarter."""
        if self.over:
            raise PlanError(N_("The game is over: it had {quarters} quarters."), quarters=self.setup.quarters)
        if not self.teams:
            raise PlanError("Add at least one team to start.")
        if self.model is None:
            self.model = LoyaltyModel(rng=self.setup.seed, firms=list(self.firms), n_customers=self.setup.n_customers)
        plans = {firm: self.check(firm, self.pending.get(firm, {})) for firm in self.teams}
        plans.update({firm: rival_plan(self, firm) for firm in self.rivals})
        before = {firm: self.policies(firm) for firm in self.firms}
        changes = {f"{firm}.{k}": v for firm, plan in plans.items() for k, v in plan.items()}
        if changes:
            self.model.set_params(**changes)
        first = self.model.day
        self.model.run(QUARTER_DAYS)
        quarter = Quarter(self.quarter + 1, first, self.model.day - 1,
                          {firm: {k: (before[firm][k], v) for k, v in plan.items()} for firm, plan in plans.items()},
                          self._kpis(first))
        self.quarters.append(quarter)
        self.pending = {}
        self.opened_at = time.time()
        self.version += 1
        return quarter

    def _kpis(self, first: int) -> dict[str, dict[str, float]]:
        r = self.model.results()
        r = r[r["day"] >= first]
        out = {}
        for firm in self.firms:
            q = r[r["firm"] == firm]
            last, staff = q.iloc[-1], max(float(q["staff"].mean()), 1.0)
            out[firm] = {"profit": float(q["profit"].sum()), "cumulative_profit": float(last["cumulative_profit"]),
                         "market_share": float(last["market_share"]), "nps": float(q["nps"].tail(30).mean()),
                         "customer_satisfaction": float(q["customer_satisfaction"].tail(30).mean()),
                         # each channel against its own target (a wait averaged over channels is mostly email's hours)
                         "answered_in_time": answered_in_time(q),
                         "turnover": float(100 * q["quits"].sum() / staff * 365 / len(q)),
                         "spending": self.spending(self.policies(firm))}
        return out

    # ---------------------------------------------------------------------------------- tables
    def market_table(self) -> pd.DataFrame:
        """Every firm's key numbers after each closed quarter (long: firm, quarter, kpis)."""
        rows = [{"firm": firm, "quarter": q.number, **kpis} for q in self.quarters for firm, kpis in q.kpis.items()]
        return pd.DataFrame(rows, columns=["firm", "quarter", *KPIS])

    def ranking(self) -> pd.DataFrame:
        """Every firm after the last closed quarter, best cumulative profit first (rank 1)."""
        table = self.market_table()
        if table.empty:
            return table.assign(rank=pd.Series(dtype=int))
        last = table[table["quarter"] == self.quarter].sort_values("cumulative_profit", ascending=False)
        return last.assign(rank=range(1, len(last) + 1)).reset_index(drop=True)

    def decisions(self) -> dict[str, list[dict[str, float]]]:
        """Each team's plan of every closed quarter ({} where it changed nothing), by team name."""
        return {team.name: [{k: new for k, (_, new) in q.changes.get(firm, {}).items()} for q in self.quarters]
                for firm, team in self.teams.items()}


def rival_plan(game: Game, firm: str) -> dict[str, float]:
    """A computer rival's plan: it moves the levers where it differs most from the most profitable firm
    so far one step toward it, within the rules (a plan the rules refuse is dropped: no change). It
    depends only on the game's numbers, so a replay makes the same decisions."""
    if not game.quarters:
        return {}
    leader = game.ranking().iloc[0]["firm"]
    if leader == firm:
        return {}
    mine, theirs = game.policies(firm), game.policies(leader)
    gaps = sorted(((abs(theirs[k] - mine[k]) / (LEVERS[k].high - LEVERS[k].low), k) for k in game.setup.levers),
                  reverse=True)
    plan = {}
    for gap, k in gaps[: game.setup.max_changes]:
        if gap > 1e-9:
            step = LEVERS[k].max_step
            plan[k] = float(round(mine[k] + np.clip(theirs[k] - mine[k], -step, step), 9))
    kept, problems = game.review(firm, plan)
    return {} if problems else kept


def firm_of(game: Game, name: str) -> str:
    """The firm of the team called ``name``."""
    for firm, team in game.teams.items():
        if team.name == name:
            return firm
    raise PlanError("There is no team called '{name}'.", name=clip(name, quoted=False))


def replay(setup: Setup, names: list[str], plans: list[dict[str, dict]], pending: dict[str, dict] | None = None, *,
           game_id: str | None = None, teacher_code: str | None = None, codes: list[str] | None = None,
           opened_at: float | None = None) -> Game:
    """A game rebuilt from its facts: the set-up, the teams' names (and codes), each closed quarter's
    plans by team name, and the plans sent for the open quarter. Every plan meets the rules of play
    again, so a damaged file or database gets a PlanError saying which team and quarter ("Azul · 2: ...")."""
    game = Game(setup, game_id, teacher_code)
    for i, name in enumerate(names):
        team = game.add_team(name)
        if codes is not None:
            team.code = codes[i]
    for number, quarter in enumerate([*plans, pending or {}], 1):
        for name, plan in quarter.items():
            try:
                game.submit(firm_of(game, name), plan)
            except PlanError as exc:
                where = f"{clip(name, 20, quoted=False)} · {number}: "  # which team and quarter
                raise PlanError("{error}", cause=exc, where=where) from None
        if number <= len(plans):
            game.close_quarter()
    game.opened_at = time.time() if opened_at is None else opened_at
    return game


def channel_staff(p: dict, channel: str, customers: float) -> int:
    """Agents a firm's staffing review gives a channel for ``customers`` (the rule of
    lealtad.modules.staffing.unit_plan, without growth): units of ``unit_customers`` users, each
    staffed ceil(ratio x users per unit / 1000), at least one agent while the ratio is positive."""
    ratio, users = p[f"{channel}_staff_per_1000"], p[f"{channel}_share"] * customers
    if ratio <= 0 or users <= 0:
        return 0
    units = max(1, round(users / p[f"{channel}_unit_customers"]))
    return units * max(1, int(np.ceil(ratio * users / units / 1000 - 1e-9)))
