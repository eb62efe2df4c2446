"""What a module declares: its parameters, its results and its state arrays.

One declaration per fact: the parameter table of `lealtad params`, the command line, experiment
files, the app's sliders, validation and the documentation are all read from these.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

MARKET, FIRM = "market", "firm"  # a parameter's scope: one value for the market, or one per firm
SCOPES = (MARKET, FIRM)
# When a change during a run takes effect: never (it shapes the market at the start), from the next
# day on, or at once through a staffing review of the firm whose policy changed.
START, NEXT_DAY, REVIEW = "start", "next day", "staffing review"


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
    scope: str = MARKET
    effect: str = NEXT_DAY

    @property
    def live(self) -> bool:
        """Whether the parameter may change during a run."""
        return self.effect != START

    def allowed(self) -> str:
        if self.choices:
            return "one of " + ", ".join(self.choices)
        if self.kind is bool:
            return "true or false"
        if self.kind is str:
            return "a text value"
        kind = "an integer" if self.kind is int else "a number"
        if self.high == math.inf:
            return f"{kind} from {self.low:g} up, or inf"
        return f"{kind} from {self.low:g} to {self.high:g}"

    def coerce(self, value: Any, label: str | None = None) -> Any:
        """Return ``value`` as this parameter's type, or raise ParameterError naming the problem."""
        bad = ParameterError(f"parameter '{label or self.name}': {value!r} is not allowed; expected {self.allowed()}")
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
        if math.isnan(number) or (math.isinf(number) and not (number > 0 and self.high == math.inf)):
            raise bad
        if self.kind is int:
            if number != int(number):
                raise bad
            number = int(number)
        if not (self.low <= number <= self.high):
            raise bad
        return number


@dataclass(frozen=True)
class Output:
    """A daily result, one value per firm."""
    name: str
    unit: str
    description: str


@dataclass(frozen=True)
class State:
    """A state array of the model: one value per customer or per employee position."""
    name: str
    entity: str  # "customer" or "position"
    kind: str    # "float", "int", "bool", "firm index" (-1: none)
    unit: str
    description: str
    initial: str
