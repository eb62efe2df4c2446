"""The daily outputs, one value per firm, as the modules declare them (in the order of the plan)."""

from __future__ import annotations

from .core.schema import Output
from .modules import PLAN

__all__ = ["Output", "OUTPUTS", "OUTPUT_NAMES", "UNITS"]

OUTPUTS: tuple[Output, ...] = tuple(o for module in PLAN for o in module.results)
OUTPUT_NAMES = tuple(o.name for o in OUTPUTS)
UNITS = {o.name: o.unit for o in OUTPUTS}
