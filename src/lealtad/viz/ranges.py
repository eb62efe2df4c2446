"""Slider ranges for the app: a parameter's usual range (``usual_ranges.toml``, data beside the app)
where one is given, else its valid range from the schema when that is short enough for a slider.

    slider("in_person_staff_per_1000", 4.3)  -> Slider(low=1.0, high=10.0, step=0.1)
    slider("daily_wage", 15.0)     -> None (a typed field: wages span 0 to 10,000)
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..params import PARAMETERS, param_of
from .i18n import base_name

USUAL_RANGES = Path(__file__).with_name("usual_ranges.toml")


@dataclass(frozen=True)
class Slider:
    low: float
    high: float
    step: float
    usual: bool   # a usual range (narrower than what the schema allows), not the valid one


@functools.cache
def usual_ranges() -> dict[str, Slider]:
    """The usual ranges, each checked against the schema (a mistake in the file names it)."""
    ranges = {}
    for name, spec in tomllib.loads(USUAL_RANGES.read_text(encoding="utf-8")).items():
        p = PARAMETERS.get(name)
        if p is None or p.kind not in (int, float):
            raise ValueError(f"{USUAL_RANGES.name}: '{name}' is not a numeric parameter")
        low, high, step = (float(x) for x in spec)
        if not (p.low <= low < high <= p.high and low <= p.default <= high and 0 < step <= high - low):
            raise ValueError(f"{USUAL_RANGES.name}: '{name}' = {spec} must lie within {p.low:g}-{p.high:g}, "
                             f"hold the default {p.default:g} and have a step above 0")
        ranges[name] = Slider(low, high, step, usual=(low, high) != (p.low, p.high))
    return ranges


def slider(name: str, value: float) -> Slider | None:
    """The slider for ``name`` showing ``value`` (the usual range grows to hold a value set elsewhere,
    by a scenario or the command line), or None if the parameter suits a typed field better."""
    p = param_of(name)
    if p.kind not in (int, float) or p.choices:
        return None
    usual = usual_ranges().get(base_name(name))
    if usual is not None:
        return Slider(min(usual.low, value), max(usual.high, value), usual.step, usual.usual)
    step = _valid_range_step(p)
    return Slider(p.low, p.high, step, False) if step is not None else None


def _valid_range_step(p) -> float | None:
    """A step over the whole valid range that hits the low end and the default exactly, or None if a
    typed field suits better (a range too wide for a slider)."""
    span = p.high - p.low
    if p.kind is int:
        return 1 if span <= 400 else None
    if span > 100:
        return None
    step = 10.0 ** (int(f"{span / 100:e}".split("e")[1]))
    for _ in range(3):
        if all(abs(v / step - round(v / step)) < 1e-6 for v in (p.low, p.low if p.default is None else p.default)):
            return step
        step /= 10
    return None
