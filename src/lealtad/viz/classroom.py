"""Classroom mode: teams run the company quarter by quarter.

In the tradition of management flight simulators (MIT's People Express; Sterman 1988): each quarter
(91 days) a team changes a few policies within a budget, then sees the quarter's report; the chain's
delays mean a decision shows mostly in later quarters. At the end a debrief view shows the whole run
with the decisions marked, and since every team plays the same seed and market, teams are compared
fairly. No accounts: a `Game` lives in the app's memory, and a teacher saves it as a small JSON file
(its set-up and every team's decisions: replaying them restores every number) to continue next class.

The game logic (`Game`, `Team`, `PlanError`, the figures) needs no Solara and is tested on its own
(tests/test_classroom.py); the Solara components at the end of the file draw it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..model import LoyaltyModel
from ..locale import numbers
from ..params import DEFAULT_FIRMS, ParameterError, defaults, param_of, resolve, validate
from . import i18n
from .i18n import N_

TEAM_FIRM = "company"   # each team runs the company of its own market, against the same competitor
QUARTER_DAYS = 91
MAX_CHANGES = 3
N_CUSTOMERS = 3000       # a classroom market: a quarter runs in a fraction of a second
BUDGET_HEADROOM = 1.25   # the default budget: the starting policies' spending plus 25%
GAME_FORMAT = "lealtad classroom game"
# Limits of a game, so that neither a typing slip nor a hostile saved file can stall the app.
MAX_TEAMS = 30                 # teams in one game (a large class in teams of two)
MAX_NAME = 40                  # characters in a team's name
MAX_QUARTERS = 12
GAME_MARKET = (500, 10_000)    # people in a classroom market
MAX_BUDGET = 1e9               # EUR per quarter
MAX_FILE_BYTES = 256_000       # a full game of 30 teams and 12 quarters is about 100 kB
MAX_DEPTH = 4                  # JSON nesting of a saved game: game > teams > plans > plan
MAX_REPLAY = 1_200_000         # customer-quarters replayed when a saved game opens (about 40 s here)
FILE_FIELDS = ("format", "version", "seed", "quarters", "budget", "max_changes", "params", "teams")


@dataclass(frozen=True)
class Lever:
    """A policy a team may change: its range in the game and how far it may move in one quarter
    (culture, training and staffing change gradually)."""
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

KPIS = ("profit", "cumulative_profit", "market_share", "nps", "customer_satisfaction", "wait_minutes",
        "turnover", "spending")
KPI_LABELS = {"profit": N_("Profit in the quarter (EUR)"), "cumulative_profit": N_("Cumulative profit (EUR)"),
              "market_share": N_("Market share"), "nps": N_("NPS"), "customer_satisfaction": N_("Customer satisfaction"),
              "wait_minutes": N_("Mean wait (min)"), "turnover": N_("Employee turnover (%/year)"),
              "spending": N_("Policy spending (EUR)")}


class PlanError(ValueError):
    """A plan, a game action or a saved file the rules refuse; ``message(lang)`` says why in the
    page's language. ``key`` is the message (English, a catalog id); a value may itself be a
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
        return i18n.t(self.key, lang, **values)


def _in_language(value, lang: str):
    """A message's value as shown in ``lang``: numbers with the language's separators, phrases translated."""
    if isinstance(value, PlanError):
        return value.message(lang)
    if callable(value):
        return value(lang)
    if isinstance(value, (int, float, np.number)) and not isinstance(value, bool):
        return _num(value, lang)
    return value


def _num(x: float, lang: str) -> str:
    """A policy value or an amount as ``lang`` writes it: whole units from 100 up, else as typed."""
    return numbers.number(x, lang) if abs(x) >= 100 else numbers.significant(x, lang)


# -------------------------------------------------------------------------------------- teams
@dataclass
class Report:
    """What a team sees when a quarter closes."""
    quarter: int                 # 1-based
    first_day: int
    last_day: int
    changes: dict[str, tuple[Any, Any]]   # lever -> (old, new)
    kpis: dict[str, float]


@dataclass
class Team:
    name: str
    model: LoyaltyModel
    reports: list[Report] = field(default_factory=list)

    @property
    def quarter(self) -> int:
        """Quarters played so far."""
        return len(self.reports)

    def policies(self) -> dict[str, Any]:
        return {name: self.model.p[f"{TEAM_FIRM}.{name}"] for name in LEVERS}

    def results(self) -> pd.DataFrame:
        """Daily results of the whole run so far (both firms), with the quarter of each day."""
        r = self.model.results()
        return r.assign(quarter=r["day"] // QUARTER_DAYS + 1)


class Game:
    """One market and seed, several teams. ``Game(seed=7)``; ``add_team("Azul")``;
    ``play("Azul", {"training": 0.6})`` -> the quarter's Report (or PlanError, nothing played)."""

    def __init__(self, seed: int = 42, quarters: int = 4, n_customers: int = N_CUSTOMERS,
                 budget: float | None = None, max_changes: int = MAX_CHANGES, **params):
        _check_whole("seed", seed, 0, 2**32 - 1)
        _check_whole("quarters", quarters, 1, MAX_QUARTERS)
        _check_whole("max_changes", max_changes, 1, len(LEVERS))
        _check_whole("n_customers", n_customers, *GAME_MARKET)
        if budget is not None and (not _is_number(budget) or not 0 < budget <= MAX_BUDGET):
            raise _field_error("budget", budget, PlanError(N_("a number above 0 and at most {high}"), high=MAX_BUDGET))
        self.seed, self.quarters, self.max_changes = int(seed), int(quarters), int(max_changes)
        try:
            self.params = validate({**params, "n_customers": n_customers})
        except ParameterError as exc:
            raise PlanError("Invalid value: {error}", error=str(exc)) from None
        for name, lever in LEVERS.items():  # the starting policies lie within the game's ranges too
            value = self.params[f"{TEAM_FIRM}.{name}"]
            if not lever.low - 1e-12 <= value <= lever.high + 1e-12:
                raise PlanError("'{label}' = {value}: not allowed; it must be between {low} and {high}.",
                                lever=name, value=value, low=lever.low, high=lever.high)
        start = {name: self.params[f"{TEAM_FIRM}.{name}"] for name in LEVERS}
        self.budget = float(budget) if budget is not None else \
            float(np.ceil(BUDGET_HEADROOM * self.spending(start) / 1000) * 1000)
        self.teams: dict[str, Team] = {}

    # ---------------------------------------------------------------------------- teams
    def add_team(self, name: str) -> Team:
        name = (name or "").strip()
        if not name:
            raise PlanError("Type a team name.")
        if len(name) > MAX_NAME or not name.isprintable():
            raise PlanError(N_("A team name has 1 to {limit} letters, digits or signs."), limit=MAX_NAME)
        if name in self.teams:
            raise PlanError("There is already a team called '{name}'.", name=name)
        if len(self.teams) >= MAX_TEAMS:
            raise PlanError(N_("A game has at most {limit} teams."), limit=MAX_TEAMS)
        team = Team(name, LoyaltyModel(rng=self.seed, **self.params))
        self.teams[name] = team
        return team

    def team(self, name: str) -> Team:
        if name not in self.teams:
            raise PlanError("There is no team called '{name}'.", name=name)
        return self.teams[name]

    # ----------------------------------------------------------------------------- money
    def spending(self, policies: dict[str, Any]) -> float:
        """What a set of policies spends in one quarter on the things a team decides: front-line wages,
        training and advertising (the same accounting as LoyaltyModel._economics). Staff is budgeted on
        the customers the company starts the game with."""
        p = {k.removeprefix(f"{TEAM_FIRM}."): v for k, v in self.params.items()}  # the team firm's policies by name
        p.update(policies)
        from ..modules.channels import CHANNELS  # staff is set per channel, for the channel's customers

        customers = p["initial_share"] * p["n_customers"]
        staff = sum(max(1, round(p[f"{c}_staff_per_1000"] * p[f"{c}_share"] * customers / 1000))
                    for c in CHANNELS if p[f"{c}_staff_per_1000"] > 0)
        daily = (staff * p["daily_wage"] * (1 + p["wage_premium"]) + staff * p["training_cost"] * p["training"]
                 + p["advertising"] / 0.001 * p["advertising_cost"] * p["n_customers"])
        return QUARTER_DAYS * daily

    # ------------------------------------------------------------------------------ plans
    def check(self, name: str, changes: dict[str, Any]) -> dict[str, Any]:
        """The plan's changes as numbers, or PlanError naming the first rule it breaks."""
        plan, problems = self.review(name, changes)
        if problems:
            raise problems[0]
        return plan

    def review(self, name: str, changes: dict[str, Any]) -> tuple[dict[str, Any], list[PlanError]]:
        """The plan's changes as numbers and every rule it breaks (empty when it may be played): what
        the team's screen shows while the sliders move, before the quarter is closed."""
        team = self.team(name)
        if team.quarter >= self.quarters:
            return {}, [PlanError("Team '{team}' has already played its {quarters} quarters.", team=name,
                                  quarters=self.quarters)]
        current = team.policies()
        plan, problems = {}, []
        for lever, raw in changes.items():
            if lever not in LEVERS:
                problems.append(PlanError("'{name}' is not a policy of the game; you can change: {allowed}.",
                                          name=lever, allowed=", ".join(LEVERS)))
                continue
            lv = LEVERS[lever]
            out_of_range = PlanError("'{label}' = {value}: not allowed; it must be between {low} and {high}.",
                                     lever=lever, value=raw, low=lv.low, high=lv.high)
            try:
                value = param_of(lever).coerce(raw.strip() if isinstance(raw, str) else raw)
            except ParameterError:
                problems.append(out_of_range)
                continue
            if not lv.low - 1e-12 <= value <= lv.high + 1e-12:
                problems.append(out_of_range)
            elif abs(value - current[lever]) > lv.max_step + 1e-9:
                problems.append(PlanError("'{label}' may move at most {step} per quarter ({old} to {value} is too far).",
                                          lever=lever, step=lv.max_step, old=current[lever], value=value))
            elif not np.isclose(value, current[lever], rtol=0, atol=1e-12):
                plan[lever] = value
        if len(plan) > self.max_changes:
            problems.append(PlanError("Too many changes: {n}; at most {max} per quarter.", n=len(plan),
                                      max=self.max_changes))
        cost = self.spending({**current, **plan})
        if cost > self.budget + 1e-6 and cost > self.spending(current) + 1e-6:  # cutting is always allowed
            problems.append(PlanError("The plan costs {spending} EUR per quarter and the budget is {budget} EUR.",
                                      spending=cost, budget=self.budget))
        return plan, problems

    def play(self, name: str, changes: dict[str, Any] | None = None) -> Report:
        """Apply a team's plan from tomorrow on and run one quarter; returns the quarter's report."""
        plan = self.check(name, changes or {})
        team = self.team(name)
        before = team.policies()
        if plan:
            team.model.set_params(**{f"{TEAM_FIRM}.{k}": v for k, v in plan.items()})
        first = team.model.day
        team.model.run(QUARTER_DAYS)
        report = Report(team.quarter + 1, first, team.model.day - 1,
                        {k: (before[k], v) for k, v in plan.items()},
                        self._kpis(team, first, self.spending(team.policies())))
        team.reports.append(report)
        return report

    def _kpis(self, team: Team, first: int, spending: float) -> dict[str, float]:
        r = team.model.results()
        q = r[(r["firm"] == "company") & (r["day"] >= first)]
        last = q.iloc[-1]
        staff = max(float(q["staff"].mean()), 1.0)
        served = q["encounters"].sum()
        return {"profit": float(q["profit"].sum()), "cumulative_profit": float(last["cumulative_profit"]),
                "market_share": float(last["market_share"]), "nps": float(q["nps"].tail(30).mean()),
                "customer_satisfaction": float(q["customer_satisfaction"].tail(30).mean()),
                "wait_minutes": float(60 * np.nansum(q["wait_mean"] * q["encounters"]) / max(served, 1)),
                "turnover": float(100 * q["quits"].sum() / staff * 365 / len(q)), "spending": spending}

    # ------------------------------------------------------------------------- save, load
    def save(self) -> str:
        """The game as JSON: its set-up and each team's decisions, quarter by quarter. A game is
        deterministic (one seed, common random numbers), so replaying the decisions restores it."""
        standard = defaults(self.params["firms"])
        params = {k: v for k, v in self.params.items() if k not in ("firms", "events") and v != standard[k]}
        params["n_customers"] = self.params["n_customers"]
        teams = {t.name: [{k: new for k, (_, new) in rep.changes.items()} for rep in t.reports]
                 for t in self.teams.values()}
        return json.dumps({"format": GAME_FORMAT, "version": 1, "seed": self.seed, "quarters": self.quarters,
                           "budget": self.budget, "max_changes": self.max_changes, "params": params,
                           "teams": teams}, indent=1)

    @classmethod
    def load(cls, text: str | bytes) -> "Game":
        """A game written by `save`, its quarters replayed. The file is untrusted (it comes from a
        browser): `read_saved_game` lets through only the game's own fields, each of its own type, and
        every value then meets the same rules as in play. Anything wrong raises one PlanError
        ("Cannot open that game: ...") naming the field, the value and what is allowed."""
        data = read_saved_game(text)
        try:
            game = cls(seed=data["seed"], quarters=data["quarters"], budget=data["budget"],
                       max_changes=data["max_changes"], **data["params"])
        except PlanError as exc:
            raise _file_error(exc) from None
        for name, plans in data["teams"].items():
            try:
                team = game.add_team(name)
                for plan in plans:
                    game.play(team.name, plan)
            except PlanError as exc:
                quarter = game.teams[name].quarter + 1 if name in game.teams else 1
                raise _file_error(exc, where=f"{name} · {quarter}: ") from None
        return game

    # --------------------------------------------------------------------------- tables
    def reports_table(self, name: str, lang: str) -> pd.DataFrame:
        """One row per quarter played: the decisions and the quarter's key numbers."""
        rows = []
        for rep in self.team(name).reports:
            row = {i18n.t("Quarter", lang): rep.quarter, i18n.t("Decisions", lang): decisions_text(rep, lang)}
            row.update({i18n.gettext(KPI_LABELS[k], lang): rep.kpis[k] for k in KPIS})
            rows.append(row)
        return pd.DataFrame(rows)

    def comparison(self) -> pd.DataFrame:
        """Every team's key numbers after each quarter it played (long format: team, quarter, kpis)."""
        rows = [{"team": t.name, "quarter": rep.quarter, **rep.kpis} for t in self.teams.values() for rep in t.reports]
        return pd.DataFrame(rows, columns=["team", "quarter", *KPIS])

    def ranking(self) -> pd.DataFrame:
        """Teams at the last quarter all of them have played, best cumulative profit first."""
        table = self.comparison()
        if table.empty:
            return table.assign(rank=pd.Series(dtype=int))
        common = int(table.groupby("team")["quarter"].max().min())
        at = table[table["quarter"] == common].sort_values("cumulative_profit", ascending=False)
        return at.assign(rank=range(1, len(at) + 1)).reset_index(drop=True)


# ------------------------------------------------------------------------------- saved games
class _NotFinite(Exception):
    """NaN or an infinite number in a saved file (JSON has neither; Python's reader accepts both)."""


def _finite(text: str) -> float:
    value = float(text)
    if not np.isfinite(value):
        raise _NotFinite(text)
    return value


def _refuse_constant(text: str):
    raise _NotFinite(text)


def _is_number(value) -> bool:
    return isinstance(value, (int, float, np.number)) and not isinstance(value, bool) and bool(np.isfinite(value))


def _clip(value, limit: int = 40, quoted: bool = True) -> str:
    """A value as the file wrote it (JSON), cut short: a message never echoes more than a few words."""
    text = json.dumps(value, ensure_ascii=False) if quoted or not isinstance(value, str) else value
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _field_error(field: str, value, allowed: PlanError) -> PlanError:
    return PlanError(N_("'{field}' = {value}: expected {allowed}"), field=field, value=_clip(value), allowed=allowed)


def _check_whole(field: str, value, low: int, high: int):
    if not _is_number(value) or value != int(value) or not low <= value <= high:
        raise _field_error(field, value, PlanError("an integer from {low} to {high}", low=low, high=high))


def _file_error(cause: PlanError, where: str = "") -> PlanError:
    return PlanError("Cannot open that game: {error}", cause=cause, where=where)


def _depth(value) -> int:
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    return 0


def read_saved_game(text: str | bytes) -> dict[str, Any]:
    """The fields of a saved game, each of its own type, or PlanError. Checks what the rules of play
    cannot: size, nesting, JSON itself, unknown fields, types, files named in it, number of teams
    and the work of replaying it. Values are checked when the game is rebuilt (Game, Game.play)."""
    try:
        return _read_saved_game(text)
    except PlanError as exc:
        raise _file_error(exc) from None


def _read_saved_game(text: str | bytes) -> dict[str, Any]:
    raw = text.encode("utf-8") if isinstance(text, str) else bytes(text)
    if len(raw) > MAX_FILE_BYTES:
        raise PlanError(N_("the file has {size} kB; a saved game has at most {limit} kB"),
                        size=len(raw) // 1000, limit=MAX_FILE_BYTES // 1000)
    try:
        data = json.loads(raw, parse_constant=_refuse_constant, parse_float=_finite)
    except _NotFinite as exc:
        raise PlanError(N_("{value} is not allowed: numbers must be finite"), value=_clip(str(exc), quoted=False)) from None
    except RecursionError:
        raise PlanError(N_("it is nested more than {limit} levels deep"), limit=MAX_DEPTH) from None
    except json.JSONDecodeError as exc:
        raise PlanError(N_("it is not JSON (line {line}, column {column})"), line=str(exc.lineno),
                        column=str(exc.colno)) from None
    except ValueError:  # not UTF-8 text, or an integer of thousands of digits
        raise PlanError(N_("it is not JSON text")) from None
    if _depth(data) > MAX_DEPTH:
        raise PlanError(N_("it is nested more than {limit} levels deep"), limit=MAX_DEPTH)
    if not isinstance(data, dict) or data.get("format") != GAME_FORMAT:
        raise PlanError(N_("it is not a saved lealtad classroom game"))
    if data.get("version") != 1:
        raise PlanError(N_("version {version}; this lealtad reads version 1"), version=_clip(data.get("version")))
    unknown = [k for k in data if k not in FILE_FIELDS]
    if unknown:
        raise PlanError(N_("unknown field '{field}'; a saved game has only: {fields}"), field=_clip(unknown[0], quoted=False),
                        fields=", ".join(FILE_FIELDS))
    for key in FILE_FIELDS:
        if key not in data:
            raise PlanError(N_("field '{field}' is missing"), field=key)
    for key in ("seed", "quarters", "budget", "max_changes"):
        if not _is_number(data[key]):
            raise _field_error(key, data[key], PlanError(N_("a number")))
    for key, phrase in (("params", N_("a table of parameters and their values")),
                        ("teams", N_("a table of team names and their plans"))):
        if not isinstance(data[key], dict):
            raise _field_error(key, data[key], PlanError(phrase))
    _check_params(data["params"])
    _check_teams(data["teams"], data["quarters"], data["params"].get("n_customers", N_CUSTOMERS))
    return data


def _check_params(params: dict[str, Any]):
    """Schema parameters only, each of its JSON type and value; never a file (the server would read it)."""
    for name, value in params.items():
        try:
            p, _ = resolve(str(name), DEFAULT_FIRMS)  # a game's market: the company and its competitor
        except ParameterError:
            raise PlanError(N_("unknown parameter '{field}'"), field=_clip(name, quoted=False)) from None
        if (p.kind is str and not p.choices) or (name == "network" and value == "file"):
            raise PlanError(N_("'{field}' = {value}: a saved game cannot name a file"), field=name, value=_clip(value))
        typed = isinstance(value, bool) if p.kind is bool else isinstance(value, str) if p.kind is str else _is_number(value)
        try:
            if not typed:
                raise ParameterError(f"parameter '{name}': {value!r} is not allowed; expected {p.allowed()}")
            p.coerce(value, name)
        except ParameterError as exc:
            raise PlanError(N_("params: {error}"), error=lambda lang, n=name, v=_clip(value, quoted=False), e=str(exc):
                            i18n.value_error(n, v, e, lang)) from None


def _check_teams(teams: dict[str, Any], quarters, n_customers):
    if len(teams) > MAX_TEAMS:
        raise PlanError(N_("{n} teams; a game has at most {limit}"), n=len(teams), limit=MAX_TEAMS)
    played = 0
    for name, plans in teams.items():
        if not isinstance(plans, list) or not all(isinstance(p, dict) for p in plans):
            raise _field_error(f"teams.{_clip(name, 20, quoted=False)}", plans, PlanError(N_("a list of quarterly plans")))
        for plan in plans:
            for lever, value in plan.items():
                if lever in LEVERS and not _is_number(value):
                    raise _field_error(f"teams.{_clip(name, 20, quoted=False)}.{lever}", value, PlanError(N_("a number")))
        played += len(plans)
    if _is_number(n_customers) and played * n_customers > MAX_REPLAY:
        raise PlanError(N_("{n} team quarters of {customers} customers is more than a saved game replays "
                           "({limit} customer-quarters)"), n=played, customers=n_customers, limit=MAX_REPLAY)


def decisions_text(rep: Report, lang: str) -> str:
    if not rep.changes:
        return i18n.t("no change", lang)
    return "; ".join(f"{i18n.param_label(k, lang)} {_num(a, lang)} → {_num(b, lang)}" for k, (a, b) in rep.changes.items())


# ------------------------------------------------------------------------------------- figures
DEBRIEF_OUTPUTS = ("cumulative_profit", "market_share", "nps", "employee_satisfaction", "wait_mean",
                   "customer_satisfaction")


def debrief_figure(game: Game, name: str, lang: str) -> go.Figure:
    """The whole run of one team, day by day, the two firms side by side, with quarter boundaries and the
    decisions taken at each marked."""
    from .figures import FIRM_COLOURS

    team = game.team(name)
    r = team.results() if team.model.day else pd.DataFrame(columns=["day", "firm", *DEBRIEF_OUTPUTS])
    fig = make_subplots(rows=3, cols=2, subplot_titles=[i18n.output_label(o, lang) for o in DEBRIEF_OUTPUTS],
                        vertical_spacing=0.12)
    for i, out in enumerate(DEBRIEF_OUTPUTS):
        row, col = i // 2 + 1, i % 2 + 1
        for f, firm in enumerate(("company", "competitor")):
            d = r[r["firm"] == firm]
            y = d[out] if out == "cumulative_profit" else d[out].rolling(7, min_periods=1).mean()
            fig.add_trace(go.Scatter(x=d["day"], y=y, name=i18n.firm_label(firm, lang), legendgroup=firm, showlegend=i == 0,
                                     line=dict(color=FIRM_COLOURS[f], width=2)), row=row, col=col)
        for rep in team.reports:
            fig.add_vline(x=rep.first_day, line=dict(color="#9E9E9E", dash="dot", width=1), row=row, col=col)
    for rep in team.reports:  # each quarter marked above the panels where it starts; its decisions on hover
        # (and in the reports table): written out in full they overlapped each other on a projector
        fig.add_annotation(x=rep.first_day, y=1.06, xref="x", yref="paper", showarrow=False, xanchor="left",
                           text=f"{i18n.t("Quarter", lang)} {rep.quarter}" + (" ✱" if rep.changes else ""),
                           hovertext=decisions_text(rep, lang), font=dict(size=14))
    fig.update_layout(title=f"{i18n.t("Debrief of the game", lang)}: {name}", template="plotly_white", height=760,
                      font=dict(size=14), separators=numbers.plotly_separators(lang),
                      legend=dict(orientation="h", y=-0.08), margin=dict(t=110, l=60, r=20, b=60))
    return fig


def comparison_figure(game: Game, lang: str) -> go.Figure:
    """Cumulative profit, market share and NPS of every team after each quarter."""
    table = game.comparison()
    shown = ("cumulative_profit", "market_share", "nps")
    fig = make_subplots(rows=1, cols=3, subplot_titles=[i18n.gettext(KPI_LABELS[k], lang) for k in shown])
    palette = ("#1565C0", "#2E7D32", "#C62828", "#6A1B9A", "#EF6C00", "#00838F", "#5D4037", "#455A64")
    for j, (name, d) in enumerate(table.groupby("team", sort=False)):
        for c, k in enumerate(shown, 1):
            fig.add_trace(go.Scatter(x=d["quarter"], y=d[k], mode="lines+markers", name=name, legendgroup=name,
                                     showlegend=c == 1, line=dict(color=palette[j % len(palette)], width=2)),
                          row=1, col=c)
            fig.update_xaxes(title_text=i18n.t("Quarter", lang), dtick=1, row=1, col=c)
    fig.update_layout(title=i18n.t("Team comparison", lang), template="plotly_white", height=440, font=dict(size=14),
                      separators=numbers.plotly_separators(lang), legend=dict(orientation="h", y=-0.25),
                      margin=dict(t=90, l=60, r=20, b=90))
    return fig


# ---------------------------------------------------------------------------------- Solara UI
import reacton.ipywidgets as w  # noqa: E402 -- the UI below; the game logic above needs no Solara
import solara  # noqa: E402

from .plot import Plot  # noqa: E402

game = solara.reactive(None)      # the Game of this browser session (created on first use)
selected = solara.reactive("")    # the team whose turn is shown
version = solara.reactive(0)      # bumped after every change of the game: views redraw on it


def _heading(text: str, level: int = 3):
    """A heading as plain HTML (solara.Markdown would load KaTeX from a CDN: no internet in class)."""
    import html

    solara.HTML(tag=f"h{level}", unsafe_innerHTML=html.escape(text))


def _paragraph(text: str):
    import html

    solara.HTML(tag="p", unsafe_innerHTML=html.escape(text), classes=["lealtad-help"])


def _table_html(df: pd.DataFrame, lang: str) -> str:
    import html

    def cell(v):
        if isinstance(v, float):
            return numbers.auto(v, lang)
        return html.escape(str(v))

    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
    body = "".join("<tr>" + "".join(f"<td>{cell(v)}</td>" for v in row) + "</tr>" for row in df.itertuples(index=False))
    return f"<table class='lealtad-table lealtad-classroom'><tr>{head}</tr>{body}</table>"


@solara.component
def GameSetup(lg: str):
    seed, set_seed = solara.use_state(42)
    quarters, set_quarters = solara.use_state(4)
    name, set_name = solara.use_state("")
    error, set_error = solara.use_state("")

    def new_game():
        try:
            game.value = Game(seed=int(seed), quarters=int(quarters))
        except (PlanError, ValueError) as exc:
            set_error(exc.message(lg) if isinstance(exc, PlanError) else str(exc))
            return
        selected.value = ""
        set_error("")
        version.value += 1

    def add_team():
        if game.value is None:
            new_game()
        try:
            game.value.add_team(name)
        except PlanError as exc:
            set_error(exc.message(lg))
            return
        selected.value = name.strip()
        set_name("")
        set_error("")
        version.value += 1

    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        solara.InputInt(i18n.t("Game seed", lg), value=seed, on_value=set_seed)
        solara.Select(i18n.t("Quarters", lg), values=[2, 4, 6, 8], value=quarters, on_value=set_quarters)
        solara.Button(i18n.t("New game", lg), icon_name="mdi-restart", on_click=new_game, outlined=True)
    def load(files):
        if not files:
            return
        try:
            game.value = Game.load(bytes(files[0]["content"]))
        except PlanError as exc:
            set_error(exc.message(lg))
            return
        selected.value = next(iter(game.value.teams), "")
        set_error("")
        version.value += 1

    with solara.Row(style={"align-items": "center"}):
        solara.InputText(i18n.t("Team name", lg), value=name, on_value=set_name, continuous_update=True)
        solara.Button(i18n.t("Add team", lg), icon_name="mdi-account-multiple-plus", on_click=add_team,
                      color="primary")
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        w.FileUpload(accept=".json", multiple=False, description=i18n.t("Open a saved game", lg), on_value=load,
                     tooltip=i18n.t("Open a saved game", lg), layout={"width": "auto"})
    if game.value is not None and game.value.teams:
        solara.FileDownload(lambda: game.value.save(), filename="lealtad-game.json", label=i18n.t("Save the game", lg),
                            mime_type="application/json")
    if error:
        solara.Error(error)


@solara.component
def LeverSlider(name: str, lever: Lever, value: float, current: float, on_change, lg: str):
    """One policy of the team's plan: label with the planned value (and today's, when it changes), the
    one-line help, and a slider over what this quarter allows (today's value give or take the lever's
    step per quarter, within its game range) that reports when released (a Vuetify slider snapping to
    its step must not count as a decision)."""
    import reacton.ipyvuetify as rv

    changed = not np.isclose(value, current, rtol=0, atol=1e-12)
    label = f"{i18n.param_label(name, lg)}: {_num(value, lg)}" + (f" (← {_num(current, lg)})" if changed else "")
    low, high = quarter_range(lever, current)
    hint = i18n.param_help(name, lg) + " · " + i18n.t("this quarter: {low} to {high}", lg, low=_num(low, lg),
                                                     high=_num(high, lg))
    widget = rv.Slider(label=label, v_model=value, min=low, max=high, step=lever.step,
                       thumb_label=True, hint=hint, persistent_hint=True,
                       class_="lealtad-param", color="orange darken-2" if changed else None)
    rv.use_event(widget, "change", lambda _w, _e, data: on_change(round(float(data), 6)))
    return widget


def quarter_range(lever: Lever, current: float) -> tuple[float, float]:
    """What a lever may be set to this quarter: today's value give or take its step, within the game's range."""
    return max(lever.low, round(current - lever.max_step, 9)), min(lever.high, round(current + lever.max_step, 9))


@solara.component
def TeamTurn(g: Game, name: str, lg: str):
    version.value  # noqa: B018 -- subscribe: a closed quarter changes the turn shown
    team = g.team(name)
    current = team.policies()
    pending, set_pending = solara.use_state(dict(current), key=f"{name}-{team.quarter}")
    error, set_error = solara.use_state("")
    changes = {k: v for k, v in pending.items() if not np.isclose(v, current[k], rtol=0, atol=1e-12)}

    def play():
        try:
            g.play(name, changes)
        except PlanError as exc:
            set_error(exc.message(lg))
            return
        set_error("")
        version.value += 1

    if team.quarter >= g.quarters:
        solara.Info(i18n.t("Game over: see the debrief and the team comparison.", lg))
        return
    plan, problems = g.review(name, changes)  # checked at every move of a slider, not only at the close
    spending = g.spending({**current, **plan})
    over_budget = spending > g.budget + 1e-6 and spending > g.spending(current) + 1e-6
    _heading(f"{name} · {i18n.t("Quarter {quarter} of {quarters}", lg, quarter=team.quarter + 1, quarters=g.quarters)}")
    _status(i18n.t("Budget per quarter: {budget} EUR · the plan spends: {spending} EUR", lg, budget=_num(g.budget, lg),
                   spending=_num(spending, lg)), over_budget, "lealtad-plan-budget")
    _status(i18n.t("Changes this quarter: {n} of {max}", lg, n=len(changes), max=g.max_changes),
            len(changes) > g.max_changes, "lealtad-plan-changes")
    items = list(LEVERS.items())
    with solara.Columns([1, 1, 1]):
        for column in range(3):
            with solara.Column():
                for k, lv in items[column::3]:
                    LeverSlider(k, lv, pending[k], current[k], lambda v, k=k: set_pending({**pending, k: v}), lg)
    for problem in problems:
        solara.Warning(problem.message(lg), dense=True, classes=["lealtad-plan-problem"])
    solara.Button(i18n.t("Close the quarter ({days} days)", lg, days=QUARTER_DAYS), icon_name="mdi-calendar-arrow-right",
                  color="primary", on_click=play, disabled=bool(problems), classes=["lealtad-play-quarter"])
    if error:
        solara.Error(error)


def _status(text: str, broken: bool, css_class: str):
    """A line of the plan's state: red and bold when the plan breaks that rule."""
    import html

    style = "color:#C62828;font-weight:600" if broken else "color:#263238"
    solara.HTML(tag="div", unsafe_innerHTML=("⚠ " if broken else "") + html.escape(text),
                classes=["lealtad-plan-status", css_class], style=f"font-size:16px;margin:2px 0;{style}")


@solara.component
def Classroom(lg: str):
    """The classroom tab: set-up, the selected team's turn, its reports, the debrief and the comparison."""
    version.value  # noqa: B018 -- subscribe: redraw after every move of the game
    _paragraph(i18n.t("Each team runs the company for {quarters} quarters of {days} days, with the same seed and the same market. Each quarter it may change at most {changes} policies, within the budget. Results show when the quarter closes.", lg, quarters=game.value.quarters if game.value else 4, days=QUARTER_DAYS,
                      changes=MAX_CHANGES))
    GameSetup(lg)
    g = game.value
    if g is None or not g.teams:
        solara.Info(i18n.t("Add at least one team to start.", lg))
        return
    names = list(g.teams)
    name = selected.value if selected.value in g.teams else names[0]
    solara.ToggleButtonsSingle(value=name, values=names, on_value=selected.set)
    TeamTurn(g, name, lg)
    team = g.team(name)
    if team.reports:
        _heading(i18n.t("Quarterly reports", lg))
        solara.HTML(tag="div", unsafe_innerHTML=_table_html(g.reports_table(name, lg), lg))
        _heading(i18n.t("Debrief of the game", lg))
        Plot(lambda: debrief_figure(g, name, lg).to_dict(), [version.value, name, lg])
    if sum(bool(t.reports) for t in g.teams.values()) >= 2:
        _heading(i18n.t("Team comparison", lg))
        rank = g.ranking()[["rank", "team", *KPIS[:4]]]
        rank.columns = [i18n.t("Rank", lg), i18n.t("Team", lg), *(i18n.gettext(KPI_LABELS[k], lg) for k in KPIS[:4])]
        solara.HTML(tag="div", unsafe_innerHTML=_table_html(rank, lg))
        Plot(lambda: comparison_figure(g, lg).to_dict(), [version.value, lg])
