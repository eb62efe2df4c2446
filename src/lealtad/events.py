"""Events: strikes, outages, demand surges, policy changes and emergency playbooks, each aimed at
one firm on a given day (Covasim's interventions as data, Starsim's timeline).

An event is plain data: ``{"day": 120, "firm": "company", "kind": "strike", "days": 10,
"capacity": 0.3}``. The same dictionaries come from experiment files (``[[events]]``), from Python
(``LoyaltyModel(events=[...])``, ``model.schedule(...)``) and from the app. `check_event` validates
one and fills in its defaults; `Timeline` answers what is happening to which firm on a day.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .core.schema import ParameterError

# kind -> {field: (default, low, high, meaning)}; "day" and "firm" are common to every kind
KINDS: dict[str, dict[str, tuple]] = {
    "strike": {"days": (10, 1, 3650, "length in days"),
               "capacity": (0.3, 0.0, 1.0, "share of the firm's staff still working")},
    "outage": {"days": (1, 1, 3650, "length in days"),
               "capacity": (0.0, 0.0, 1.0, "share of the firm's capacity still working")},
    "surge": {"days": (7, 1, 3650, "length in days"),
              "factor": (2.0, 1.0, 20.0, "demand relative to normal")},
    "playbook": {"crisis_communication": (0.0, 0.0, 0.9, "share of waiting forgiven when waits are explained"),
                 "complaint_ease": (None, 0.0, 1.0, "chance that a dissatisfied customer complains, in a crisis"),
                 "recovery": (None, 0.0, 1.0, "chance that a complaint is resolved well, in a crisis")},
    "policy": {"changes": ({}, None, None, "parameter changes for the firm from that day on")},
}
WHOLE = {"days"}
MAX_DAY = 100_000


def check_event(event: Any, firms: tuple[str, ...], where: str = "event") -> dict:
    """One event, validated and completed with its defaults; ParameterError names the problem."""
    if not isinstance(event, dict):
        raise ParameterError(f"{where}: {event!r} is not allowed; expected a table with day, firm, kind and its fields")
    kind = event.get("kind")
    if kind not in KINDS:
        raise ParameterError(f"{where}.kind: {kind!r} is not allowed; expected one of {', '.join(KINDS)}")
    fields = KINDS[kind]
    for key in event:
        if key not in ("day", "firm", "kind", *fields):
            raise ParameterError(f"{where}.{key}: unknown field for a {kind}; expected day, firm, kind, {', '.join(fields)}")
    day = event.get("day", 0 if kind == "playbook" else None)
    if isinstance(day, bool) or not isinstance(day, (int, np.integer)) or not 0 <= day <= MAX_DAY:
        raise ParameterError(f"{where}.day: {day!r} is not allowed; expected a whole number from 0 to {MAX_DAY:,}")
    firm = event.get("firm")
    if firm not in firms:
        raise ParameterError(f"{where}.firm: {firm!r} is not a firm of this market; expected one of {', '.join(firms)}")
    out = {"day": int(day), "firm": firm, "kind": kind}
    for key, (default, low, high, meaning) in fields.items():
        value = event.get(key, default)
        if key == "changes":
            out[key] = _policy_changes(value, firm, f"{where}.changes")
            continue
        if value is None:
            out[key] = None
            continue
        whole = key in WHOLE
        ok = not isinstance(value, bool) and isinstance(value, (int, float, np.integer, np.floating)) \
            and np.isfinite(value) and low <= value <= high and (not whole or float(value).is_integer())
        if not ok:
            kind_text = "a whole number" if whole else "a number"
            raise ParameterError(f"{where}.{key}: {value!r} is not allowed; expected {kind_text} from {low:g} to {high:g} "
                                 f"({meaning})")
        out[key] = int(value) if whole else float(value)
    return out


def _policy_changes(changes, firm: str, where: str) -> dict:
    """A policy event's changes: live parameters, written plainly (for its firm) or market-wide."""
    from .params import PARAMETERS

    if not isinstance(changes, dict) or not changes:
        raise ParameterError(f"{where}: {changes!r} is not allowed; expected a table of parameter = value")
    out = {}
    for key, value in changes.items():
        owner, _, name = str(key).rpartition(".")  # "leadership", or already "FIRM.leadership"
        if owner and owner != firm:
            raise ParameterError(f"{where}.{key}: a policy event changes its own firm's ({firm}) policies only")
        param = PARAMETERS.get(name)
        if param is None:
            raise ParameterError(f"{where}.{name}: unknown parameter (see `lealtad params`)")
        if not param.live:
            raise ParameterError(f"{where}.{name}: shapes the market at the start and cannot change during a run")
        out[f"{firm}.{name}" if param.scope == "firm" else name] = param.coerce(value, name)
    return out


def check_events(events, firms: tuple[str, ...], steps: int | None = None, where: str = "events") -> tuple[dict, ...]:
    """Every event of a timeline, validated; with ``steps``, days must fall inside the run."""
    if events is None:
        return ()
    if not isinstance(events, (list, tuple)):
        raise ParameterError(f"{where}: {events!r} is not allowed; expected a list of events")
    out = tuple(check_event(e, firms, f"{where}[{k}]") for k, e in enumerate(events))
    if steps is not None:
        for k, e in enumerate(out):
            if e["day"] >= steps:
                raise ParameterError(f"{where}[{k}].day: {e['day']} is past the run; expected a day from 0 to {steps - 1}")
    return out


class Timeline:
    """The events of a run, answering what happens to which firm on a day."""

    def __init__(self, events, firms: tuple[str, ...]):
        self.firms = firms
        self.index = {name: f for f, name in enumerate(firms)}
        self.events: list[dict] = list(check_events(events, firms))
        self.felt_wait_factor = np.ones(len(firms))  # today's waiting felt per unit waited, per firm

    def add(self, event: dict) -> dict:
        event = check_event(event, self.firms)
        self.events.append(event)
        return event

    def _of(self, kinds, day):
        for e in self.events:
            if e["kind"] in kinds and e["day"] <= day:
                yield e

    def strikes_today(self, day: int):
        """(firm index, first day, last day, capacity) of every strike or outage under way."""
        for e in self._of(("strike", "outage"), day):
            last = e["day"] + e["days"] - 1
            if day <= last:
                yield self.index[e["firm"]], e["day"], last, e["capacity"]

    def surges_today(self, day: int):
        """(firm index, demand factor) of every surge under way."""
        for e in self._of(("surge",), day):
            if day <= e["day"] + e["days"] - 1:
                yield self.index[e["firm"]], e["factor"]

    def policy_changes(self, day: int):
        """The parameter changes that take effect today, in the order they were scheduled."""
        return [e["changes"] for e in self.events if e["kind"] == "policy" and e["day"] == day]

    def in_crisis(self, day: int) -> np.ndarray:
        """Per firm: inside a strike, outage or surge, or as long again after it (while its
        backlog is worked off and customers remember it)."""
        crisis = np.zeros(len(self.firms), dtype=bool)
        for e in self._of(("strike", "outage", "surge"), day):
            if day <= e["day"] + 2 * e["days"] - 1:
                crisis[self.index[e["firm"]]] = True
        return crisis

    def playbooks(self, day: int) -> dict[int, dict]:
        """The latest playbook each firm has adopted by ``day`` (firm index -> measures)."""
        return {self.index[e["firm"]]: e for e in self._of(("playbook",), day)}
