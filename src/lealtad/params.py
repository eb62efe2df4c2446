"""The parameter schema: one table serves validation, `lealtad params`, `--set name=value`,
experiment files, the app's sliders and the documentation.

Each module declares its own parameters (`lealtad.modules`); this file gathers them. A parameter
is market-wide (``n_customers``) or set per firm (``company.training``, ``competitor.training``).
A market has 1 to 10 firms, named in ``firms``; the default is two, ``company`` and ``competitor``.
Validated parameters are one flat dictionary: market-wide values under their names, each firm's
values under ``FIRM.NAME``, plus ``firms`` (the names, in order) and ``events`` (the timeline).
"""

from __future__ import annotations

import difflib
import json
import re
from typing import Any

from .core.schema import FIRM, MARKET, Param, ParameterError
from .events import check_events
from .modules import PLAN
from .modules.channels import CHANNELS, check_shares
from .modules.segments import check_segments

__all__ = ["PARAMETERS", "ParameterError", "Param", "validate", "firm_names", "DEFAULT_FIRMS", "MAX_FIRMS"]

DEFAULT_FIRMS = ("company", "competitor")
MAX_FIRMS = 10
_FIRM_NAME = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
PER_CHANNEL = ("staff_per_1000", "service_minutes", "opening_hours", "wait_tolerance")  # one value before channels
INITIAL_CUSTOMERS = 0.6  # share of people buying from some firm on day 0 when initial shares are not given

PARAMETERS: dict[str, Param] = {p.name: p for module in PLAN for p in module.parameters}
FIRM_POLICIES = tuple(name for name, p in PARAMETERS.items() if p.scope == FIRM)
MARKET_PARAMETERS = tuple(name for name, p in PARAMETERS.items() if p.scope == MARKET)


def firm_names(firms: Any = None) -> tuple[str, ...]:
    """The market's firm names from ``None`` (the default two), a number of firms or a list of names."""
    if firms is None:
        return DEFAULT_FIRMS
    if isinstance(firms, str):
        firms = [f.strip() for f in firms.split(",")] if not firms.strip().isdigit() else int(firms)
    if isinstance(firms, bool):
        raise ParameterError(f"firms: {firms!r} is not allowed; expected a number of firms from 1 to {MAX_FIRMS} or a list of names")
    if isinstance(firms, int):
        if not 1 <= firms <= MAX_FIRMS:
            raise ParameterError(f"firms: {firms} is not allowed; expected a number of firms from 1 to {MAX_FIRMS}")
        return DEFAULT_FIRMS[:firms] + tuple(f"firm_{k}" for k in range(3, firms + 1))
    names = tuple(firms)
    if not 1 <= len(names) <= MAX_FIRMS:
        raise ParameterError(f"firms: {len(names)} firms is not allowed; expected 1 to {MAX_FIRMS}")
    for name in names:
        if not isinstance(name, str) or not _FIRM_NAME.match(name):
            raise ParameterError(f"firms: {name!r} is not allowed as a firm name; expected lower-case letters, digits and '_', "
                                 "starting with a letter (at most 32)")
    if len(set(names)) != len(names):
        twice = sorted({n for n in names if names.count(n) > 1})
        raise ParameterError(f"firms: {', '.join(twice)} is named twice; every firm needs its own name")
    return names


def defaults(firms: Any = None) -> dict[str, Any]:
    """Every parameter at its default, for a market of ``firms``."""
    names = firm_names(firms)
    out: dict[str, Any] = {"firms": names, "events": ()}
    for name, p in PARAMETERS.items():
        if p.scope == MARKET:
            out[name] = p.default
        else:
            for firm in names:
                out[f"{firm}.{name}"] = _firm_default(p, len(names))
    return out


def _firm_default(p: Param, n_firms: int):
    if p.name == "initial_share" and p.default is None:
        return INITIAL_CUSTOMERS / n_firms
    return p.default


def resolve(key: str, firms: tuple[str, ...]) -> tuple[Param, str | None]:
    """The parameter (and firm, for a firm policy) that ``key`` names, or ParameterError saying how
    to write it: ``n_customers`` for market-wide values, ``FIRM.NAME`` for a firm's."""
    firm, dot, name = key.rpartition(".")
    if not dot:
        name, firm = key, None
    param = PARAMETERS.get(name)
    if param is None:
        old = re.match(r"^competitor_(.+)$", key)
        if old and PARAMETERS.get(old.group(1)) is not None and PARAMETERS[old.group(1)].scope == FIRM:
            raise ParameterError(f"parameter '{key}' is now written per firm: 'competitor.{old.group(1)}'")
        if key in ("strike_day", "strike_days", "strike_capacity", "surge_day", "surge_days", "surge_factor",
                   "crisis_communication"):
            raise ParameterError(f"parameter '{key}' is now an event at a firm (kind strike, surge or playbook); "
                                 "see docs/experiments.md, 'Events'")
        if name == "acquisition_cost_ratio":
            raise ParameterError("parameter 'acquisition_cost_ratio' is no longer an input: the cost of winning against "
                                 "keeping a customer is measured (output cost_ratio); set onboarding_cost, "
                                 "retention_cost and FIRM.advertising instead")
        if name in PER_CHANNEL:
            spelled = ", ".join(f"{c}_{name}" for c in CHANNELS)
            raise ParameterError(f"parameter '{key}' is now set per channel: {spelled}"
                                 + (" (firm policies: FIRM.CHANNEL_staff_per_1000)" if name == "staff_per_1000" else ""))
        close = difflib.get_close_matches(name, PARAMETERS, n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else " (see `lealtad params`)"
        raise ParameterError(f"unknown parameter '{key}'{hint}")
    if param.scope == FIRM and firm is None:
        raise ParameterError(f"parameter '{key}' is set per firm; write FIRM.{key}, e.g. {firms[0]}.{key} "
                             f"(firms: {', '.join(firms)})")
    if param.scope == MARKET and firm is not None:
        raise ParameterError(f"parameter '{key}' is market-wide; write '{name}' without a firm")
    if firm is not None and firm not in firms:
        raise ParameterError(f"parameter '{key}': firm '{firm}' is not in this market; firms: {', '.join(firms)}")
    return param, firm


def param_of(key: str) -> Param:
    """The schema entry behind a key, market-wide (``n_customers``) or a firm's (``company.training``)."""
    return PARAMETERS[key.rpartition(".")[2]]


def validate(changes: dict[str, Any] | None = None) -> dict[str, Any]:
    """Defaults updated with ``changes``, every value checked; raises ParameterError on the first problem.

    ``changes`` may name the market's ``firms`` (a number or names), its ``events``, market-wide
    parameters and ``FIRM.NAME`` values."""
    changes = dict(changes or {})
    firms = firm_names(changes.pop("firms", None))
    events = changes.pop("events", ())
    params = defaults(firms)
    for key, value in changes.items():
        param, _ = resolve(key, firms)
        params[key] = param.coerce(value, key)
    params["events"] = check_events(events, firms)
    shares = sum(params[f"{firm}.initial_share"] for firm in firms)
    if shares > 1 + 1e-12:
        raise ParameterError("parameters '*.initial_share': "
                             + " + ".join(f"{params[f'{firm}.initial_share']:g}" for firm in firms)
                             + f" = {shares:g}; their sum must be at most 1")
    if params["network"] == "file":
        from pathlib import Path

        if not params["network_file"] or not Path(params["network_file"]).is_file():
            raise ParameterError(f"parameter 'network_file': {params['network_file']!r} is not a readable file "
                                 "(needed because network=file)")
    check_shares(params)
    check_segments(params)
    if sum(params[n] for n in MARKET_PARAMETERS if n.startswith("weight_")) <= 0:
        raise ParameterError("parameters 'weight_*': at least one encounter weight must be positive")
    return params


def policy_arrays(params: dict[str, Any]) -> dict[str, Any]:
    """Each firm policy as an array over the market's firms."""
    import numpy as np

    return {name: np.array([params[f"{firm}.{name}"] for firm in params["firms"]], dtype=float) for name in FIRM_POLICIES}


def every_firm(firms=DEFAULT_FIRMS, **policy) -> dict[str, Any]:
    """The same policy values for every firm, as ``FIRM.NAME`` keys."""
    return {f"{firm}.{name}": value for firm in firms for name, value in policy.items()}


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
    return [{"name": p.name, "scope": p.scope, "default": "0.6 / firms" if p.default is None else p.default,
             "allowed": p.allowed(), "unit": p.unit, "group": p.group, "changes": p.effect,
             "description": p.description, "source": p.source} for p in PARAMETERS.values()]


def to_json() -> str:
    return json.dumps(table_rows(), indent=2, default=float)
