"""The parameter schema: one table serves validation, `lealtad params`, `--set name=value`,
experiment files, the visualisation's sliders and the documentation.

Each firm (the *company* and its *competitor*) has the same policy levers. A firm policy is
declared once below; the company's value is named plainly (``staff_per_1000``) and the
competitor's with a prefix (``competitor_staff_per_1000``).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FIRMS = ("company", "competitor")
NETWORKS = ("small_world", "scale_free", "random", "complete", "file")


class ParameterError(ValueError):
    """A parameter is unknown, of the wrong type or out of its allowed range."""


@dataclass(frozen=True)
class Param:
    name: str
    default: Any
    low: float | None = None
    high: float | None = None
    unit: str = ""
    description: str = ""
    group: str = "model"
    source: str = ""
    choices: tuple[str, ...] | None = None
    kind: type = field(default=float)

    def allowed(self) -> str:
        if self.choices:
            return "one of " + ", ".join(self.choices)
        if self.kind is bool:
            return "true or false"
        if self.kind is str:
            return "a text value"
        kind = "an integer" if self.kind is int else "a number"
        return f"{kind} from {self.low:g} to {self.high:g}"

    def coerce(self, value: Any) -> Any:
        """Return ``value`` as this parameter's type, or raise ParameterError naming the problem."""
        bad = ParameterError(f"parameter '{self.name}': {value!r} is not allowed; expected {self.allowed()}")
        if self.kind is bool:
            if isinstance(value, bool):
                return value
            if isinstance(value, str) and value.lower() in ("true", "false", "1", "0", "yes", "no"):
                return value.lower() in ("true", "1", "yes")
            raise bad
        if self.kind is str:
            if not isinstance(value, str):
                raise bad
            if self.choices and value not in self.choices:
                raise bad
            return value
        if isinstance(value, bool):
            raise bad
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise bad from None
        if not math.isfinite(number):
            raise bad
        if self.kind is int:
            if number != int(number):
                raise bad
            number = int(number)
        if not (self.low <= number <= self.high):
            raise bad
        return number


def _firm_policies() -> list[Param]:
    """Policy levers every firm has (declared once, expanded for both firms)."""
    g = "policies"
    return [
        Param("initial_share", 0.3, 0.0, 1.0, "share of market", "Share of the market buying from the firm on day 0", "market"),
        Param("staff_per_1000", 4.3, 0.1, 100.0, "employees per 1,000 active customers",
              "Front-line staffing ratio, kept at each staffing review; capacity to serve, hence response time", g),
        Param("wage_premium", 0.0, -0.3, 1.0, "fraction of market wage", "Pay above (or below) the market wage", g),
        Param("training", 0.4, 0.0, 1.0, "share of best practice", "Training effort: raises internal quality and speeds learning", g),
        Param("leadership", 0.6, 0.0, 1.0, "index 0-1", "Quality of leadership and empowerment (the base of the chain)", g,
              "Heskett et al. 1994"),
        Param("tangibles", 0.7, 0.0, 1.0, "index 0-1", "Facilities, tools and appearance (SERVQUAL tangibles)", g),
        Param("promise", 0.7, 0.0, 1.0, "quality 0-1", "Quality the advertising promises; raises image and expectations", g),
        Param("advertising", 0.0005, 0.0, 0.2, "per day", "Daily chance that advertising wins a prospect (Bass p)", g, "Bass 1969"),
        Param("complaint_ease", 0.04, 0.0, 1.0, "probability",
              "Chance that a dissatisfied customer complains (easy channels raise it)", g, "TARP/Goodman 1979-86"),
        Param("recovery", 0.3, 0.0, 1.0, "probability", "Chance that a complaint is resolved well (service recovery)", g,
              "de Matos et al. 2007"),
    ]


FIRM_POLICIES = tuple(p.name for p in _firm_policies())

_GLOBAL = [
    # market and run
    Param("n_customers", 10_000, 10, 5_000_000, "people", "People in the market (prospects and customers of both firms)", "market", kind=int),
    Param("initial_satisfaction", 0.8, 0.0, 1.0, "0-1", "Mean satisfaction of initial customers", "market"),
    Param("purchase_rate", 1 / 14, 0.001, 1.0, "per day", "Chance that an active customer buys (has an encounter) on a day", "market"),
    # employees
    Param("pressure_sensitivity", 0.5, 0.0, 2.0, "satisfaction per unit pressure",
          "How much work pressure (waiting requests per employee) lowers employee satisfaction", "employees", "Oliva & Sterman 2001"),
    Param("satisfaction_adjustment", 0.05, 0.0, 1.0, "per day", "Speed at which employee satisfaction moves to its target", "employees"),
    Param("employee_heterogeneity", 0.1, 0.0, 0.5, "sd, 0-1 scale", "Spread of employees' personal disposition", "employees"),
    Param("turnover_satisfied", 0.08, 0.0, 5.0, "per year", "Quit rate of a fully satisfied employee", "employees", "Harter et al. 2002"),
    Param("turnover_dissatisfied", 1.0, 0.0, 5.0, "per year", "Quit rate of a fully dissatisfied employee", "employees", "Harter et al. 2002"),
    Param("hiring_delay", 14, 0, 365, "days", "Days a position stays empty after a quit, or after it is created",
          "employees", kind=int),
    Param("staffing_review", 30, 1, 3650, "days", "Days between reviews that match staff to the customer base",
          "employees", kind=int),
    Param("new_hire_skill", 0.4, 0.0, 1.0, "0-1", "Skill of a new hire (start of the learning curve)", "employees"),
    Param("learning_rate", 0.01, 0.0, 1.0, "per day", "Share of the skill gap closed per day without training", "employees"),
    Param("service_minutes", 20.0, 1.0, 480.0, "minutes", "Mean service time of a fully skilled employee of neutral morale", "employees"),
    Param("skill_productivity", 0.5, 0.0, 0.95, "0-1", "Productivity lost by a novice compared with an expert", "employees"),
    Param("morale_productivity", 0.3, 0.0, 1.0, "0-1", "Productivity gained from morale (per unit above neutral 0.5)", "employees",
          "Harter et al. 2002"),
    Param("opening_hours", 8.0, 1.0, 24.0, "hours per day", "Working hours in a day; queues carry over to the next day", "employees"),
    # encounter (moment of truth)
    Param("wait_tolerance", 0.25, 0.01, 48.0, "hours", "Waiting time at which responsiveness has fallen to 1/e", "encounter"),
    Param("failure_rate", 0.03, 0.0, 1.0, "probability", "Chance that an expert's service fails (reliability)", "encounter"),
    Param("novice_failure_rate", 0.15, 0.0, 1.0, "probability", "Extra failure chance of a complete novice", "encounter"),
    Param("encounter_noise", 0.1, 0.0, 0.5, "sd, 0-1 scale", "Idiosyncratic variation in perceived quality", "encounter"),
    Param("weight_reliability", 0.30, 0.0, 1.0, "weight", "Weight of reliability (resolution without failure)", "encounter", "Parasuraman et al. 1988"),
    Param("weight_responsiveness", 0.25, 0.0, 1.0, "weight", "Weight of responsiveness (short waits)", "encounter", "Parasuraman et al. 1988"),
    Param("weight_assurance", 0.15, 0.0, 1.0, "weight", "Weight of assurance (the employee's competence)", "encounter", "Parasuraman et al. 1988"),
    Param("weight_empathy", 0.20, 0.0, 1.0, "weight", "Weight of empathy (the employee's attitude)", "encounter", "Parasuraman et al. 1988"),
    Param("weight_tangibles", 0.10, 0.0, 1.0, "weight", "Weight of tangibles (facilities)", "encounter", "Parasuraman et al. 1988"),
    # customer satisfaction and loyalty
    Param("customer_heterogeneity", 0.1, 0.0, 0.5, "sd, 0-1 scale",
          "Spread of customers' lasting leniency: some rate the same service higher than others", "customers",
          "Mittal & Kamakura 2001"),
    Param("gain_sensitivity", 1.0, 0.0, 2.0, "per unit disconfirmation", "Satisfaction gained per unit of positive surprise", "customers",
          "Oliver 1980; Mittal et al. 1998"),
    Param("loss_sensitivity", 2.0, 0.0, 3.0, "per unit disconfirmation", "Satisfaction lost per unit of negative surprise", "customers",
          "Oliver 1980; Mittal et al. 1998"),
    Param("satisfaction_memory", 0.3, 0.01, 1.0, "weight", "Weight of the latest encounter in cumulative satisfaction", "customers"),
    Param("expectation_learning", 0.3, 0.0, 1.0, "weight", "Weight of the latest encounter in one's image of the firm", "customers"),
    Param("churn_max", 0.3, 0.0, 1.0, "per purchase", "Chance of defecting after a purchase, deep in the zone of defection", "customers",
          "Jones & Sasser 1995"),
    Param("churn_midpoint", 0.35, 0.0, 1.0, "commitment 0-1", "Commitment at which the defection chance is half its maximum", "customers",
          "Jones & Sasser 1995"),
    Param("churn_width", 0.11, 0.01, 1.0, "commitment 0-1", "Width of the zone of indifference (steepness of loyalty)", "customers",
          "Jones & Sasser 1995"),
    Param("failure_weight", 0.15, 0.0, 1.0, "commitment per failure", "Commitment lost per remembered service failure", "customers",
          "de Matos et al. 2007"),
    Param("failure_forgetting", 0.01, 0.0, 1.0, "per day", "Rate at which failures are forgotten", "customers"),
    Param("recovery_boost", 0.15, 0.0, 1.0, "0-1", "How far a good recovery lifts satisfaction above expectation (first failure)",
          "customers", "Maxham & Netemeyer 2002"),
    # word of mouth and image
    Param("network", "small_world", unit="kind", description="Social network of customers", group="network",
          choices=NETWORKS, kind=str),
    Param("network_degree", 10, 1, 1000, "contacts", "Mean number of contacts per person", "network", kind=int),
    Param("rewiring", 0.1, 0.0, 1.0, "probability", "Small-world rewiring probability", "network", "Watts & Strogatz 1998"),
    Param("network_file", "", unit="path", description="Edge list (.txt/.csv/.edgelist) or GraphML file when network=file",
          group="network", kind=str),
    Param("wom_effect", 0.02, 0.0, 1.0, "per day", "Adoption chance from a fully recommending neighbourhood (Bass q)", "word_of_mouth",
          "Bass 1969"),
    Param("warning_effect", 1.0, 0.0, 5.0, "relative to a recommendation", "Deterrence of a warning relative to a recommendation",
          "word_of_mouth"),
    Param("talk_promoter", 0.06, 0.0, 1.0, "per day", "Chance that a promoter talks about the firm on a day", "word_of_mouth", "Anderson 1998"),
    Param("talk_passive", 0.01, 0.0, 1.0, "per day", "Chance that a passive customer talks about the firm on a day", "word_of_mouth",
          "Anderson 1998"),
    Param("talk_detractor", 0.1, 0.0, 1.0, "per day", "Chance that a detractor talks about the firm on a day", "word_of_mouth",
          "Anderson 1998; TARP"),
    Param("image_inertia", 5.0, 0.0, 1000.0, "messages", "Weight of one's current image against new messages", "word_of_mouth"),
    Param("image_prior", 0.5, 0.01, 1.0, "0-1", "Image a firm has with people who have heard nothing", "word_of_mouth"),
    Param("image_decay", 0.005, 0.0, 1.0, "per day", "Rate at which images fade back to the prior without news", "word_of_mouth"),
    Param("image_attraction", 1.0, 0.0, 5.0, "elasticity", "How strongly a prospect's image of a firm scales its chance to adopt it",
          "word_of_mouth"),
    Param("ad_persuasion", 20.0, 0.0, 1000.0, "image per unit advertising", "How strongly advertising pulls images to the promise",
          "word_of_mouth"),
    # economics
    Param("price", 15.0, 0.0, 10_000.0, "EUR per purchase", "Gross margin of one purchase", "economics"),
    Param("daily_wage", 120.0, 0.0, 10_000.0, "EUR per employee-day", "Market wage of a front-line employee", "economics"),
    Param("training_cost", 40.0, 0.0, 10_000.0, "EUR per employee-day", "Cost of full training effort (training = 1)", "economics"),
    Param("hiring_cost", 3000.0, 0.0, 1e6, "EUR per hire", "Recruiting and onboarding cost of a replacement", "economics"),
    Param("recovery_cost", 50.0, 0.0, 1e5, "EUR per recovery", "Cost of resolving one complaint", "economics"),
    Param("retention_cost", 20.0, 0.0, 1e5, "EUR per customer-year", "Cost of keeping an active customer for a year", "economics"),
    Param("acquisition_cost_ratio", 5.5, 0.0, 50.0, "x retention cost", "Cost of winning a customer as a multiple of retention_cost",
          "economics", "Reichheld & Sasser 1990"),
    Param("advertising_cost", 0.1, 0.0, 1e4, "EUR per person-day at advertising = 0.001",
          "Media cost of advertising intensity 0.001 per person in the market per day", "economics"),
    # contingencies (hit the company)
    Param("strike_day", -1, -1, 100_000, "day", "Day a strike or outage starts at the company (-1: none)", "contingencies", kind=int),
    Param("strike_days", 10, 1, 3650, "days", "Length of the strike or outage", "contingencies", kind=int),
    Param("strike_capacity", 0.3, 0.0, 1.0, "share of staff", "Share of the company's staff working during the strike", "contingencies"),
    Param("surge_day", -1, -1, 100_000, "day", "Day a demand surge starts at the company (-1: none)", "contingencies", kind=int),
    Param("surge_days", 7, 1, 3650, "days", "Length of the demand surge", "contingencies", kind=int),
    Param("surge_factor", 2.0, 1.0, 20.0, "x normal demand", "Demand during the surge relative to normal", "contingencies"),
    Param("crisis_communication", 0.0, 0.0, 0.9, "share of waiting forgiven",
          "Emergency playbook: explaining a contingency makes its waits feel shorter, during it and as long again after",
          "contingencies", "Maister 1985; Taylor 1994"),
]


def _build() -> dict[str, Param]:
    table: dict[str, Param] = {}
    for p in _firm_policies():
        table[p.name] = p
        table[f"competitor_{p.name}"] = Param(**{**p.__dict__, "name": f"competitor_{p.name}",
                                                "description": "Competitor: " + p.description[0].lower() + p.description[1:]})
    for p in _GLOBAL:
        table[p.name] = p
    return table


PARAMETERS: dict[str, Param] = _build()


def defaults() -> dict[str, Any]:
    return {name: p.default for name, p in PARAMETERS.items()}


def firm_param(params: dict[str, Any], firm: int, name: str) -> Any:
    """A firm policy for firm 0 (company) or 1 (competitor)."""
    return params[name if firm == 0 else f"competitor_{name}"]


def _suggest(name: str) -> str:
    import difflib

    close = difflib.get_close_matches(name, PARAMETERS, n=3)
    return f" (did you mean {', '.join(close)}?)" if close else " (see `lealtad params`)"


def validate(changes: dict[str, Any] | None = None) -> dict[str, Any]:
    """Defaults updated with ``changes``, every value checked; raises ParameterError on the first problem."""
    params = defaults()
    for name, value in (changes or {}).items():
        if name not in PARAMETERS:
            raise ParameterError(f"unknown parameter '{name}'{_suggest(name)}")
        params[name] = PARAMETERS[name].coerce(value)
    if params["initial_share"] + params["competitor_initial_share"] > 1:
        raise ParameterError(
            "parameters 'initial_share' + 'competitor_initial_share' = "
            f"{params['initial_share'] + params['competitor_initial_share']:g}; their sum must be at most 1")
    if params["network"] == "file":
        path = Path(params["network_file"])
        if not params["network_file"] or not path.is_file():
            raise ParameterError(f"parameter 'network_file': {params['network_file']!r} is not a readable file "
                                 "(needed because network=file)")
    weights = [params[n] for n in PARAMETERS if n.startswith("weight_")]
    if sum(weights) <= 0:
        raise ParameterError("parameters 'weight_*': at least one encounter weight must be positive")
    return params


def parse_assignments(items: list[str]) -> dict[str, Any]:
    """Turn ``["name=value", ...]`` (from ``--set``) into a dict; values are checked by ``validate``."""
    changes: dict[str, Any] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ParameterError(f"--set {item!r}: expected name=value")
        changes[name.strip()] = value.strip()
    return changes


def table_rows() -> list[dict[str, Any]]:
    """The schema as rows, for `lealtad params` and the documentation."""
    return [{"name": p.name, "default": p.default, "allowed": p.allowed(), "unit": p.unit, "group": p.group,
             "description": p.description, "source": p.source} for p in PARAMETERS.values()]


def to_json() -> str:
    return json.dumps(table_rows(), indent=2, default=float)
