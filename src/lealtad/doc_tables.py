"""The model description's tables, made from the schema so that they cannot go stale: every
parameter (scope, default, range, unit, when a change takes effect, source) and every state array
(entity, type, unit, initial value), module by module. docs/odd.md carries them between markers;
`python -m lealtad.doc_tables` rewrites them there, and a test fails when they differ."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from .modules import PLAN

ODD = Path(__file__).resolve().parents[2] / "docs" / "odd.md"
BEGIN, END = "<!-- schema:begin (made by `python -m lealtad.doc_tables`) -->", "<!-- schema:end -->"


def _cell(text) -> str:
    return str(text).replace("|", "\\|")


def parameters() -> str:
    rows = ["| module | parameter | scope | default | allowed | unit | a change takes effect | source |",
            "|---|---|---|---|---|---|---|---|"]
    for module in PLAN:
        for p in module.parameters:
            name = p.name if p.scope == "market" else f"FIRM.{p.name}"
            default = "0.6 / firms" if p.default is None else (f'"{p.default}"' if isinstance(p.default, str) else f"{p.default:g}"
                                                                   if isinstance(p.default, float) else p.default)
            effect = {"start": "never (start only)", "next day": "the next day",
                      "staffing review": "at once (staffing review of the firm)"}[p.effect]
            rows.append(f"| {module.name} | `{name}` | {p.scope} | {_cell(default)} | {_cell(p.allowed())} | "
                        f"{_cell(p.unit)} | {effect} | {_cell(p.source)} |")
    return "\n".join(rows)


def states() -> str:
    rows = ["| module | state | entity | type | unit | meaning | initial value |", "|---|---|---|---|---|---|---|"]
    for module in PLAN:
        for s in module.states:
            rows.append(f"| {module.name} | `{s.name}` | {s.entity} | {s.kind} | {_cell(s.unit)} | "
                        f"{_cell(s.description)} | {_cell(s.initial)} |")
    return "\n".join(rows)


def section() -> str:
    return (f"{BEGIN}\n\n**State variables** (declared by the modules).\n\n{states()}\n\n"
            f"**Parameters** (declared by the modules; `FIRM.` marks a value set per firm).\n\n{parameters()}\n\n{END}")


def refreshed(text: str) -> str:
    """``text`` (docs/odd.md) with its schema section made anew."""
    pattern = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), flags=re.S)
    if not pattern.search(text):
        raise ValueError(f"{ODD.name} has no schema section (markers {BEGIN!r} ... {END!r})")
    return pattern.sub(lambda _: section(), text)


if __name__ == "__main__":
    ODD.write_text(refreshed(ODD.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote the schema tables of {ODD}")
    sys.exit(0)
