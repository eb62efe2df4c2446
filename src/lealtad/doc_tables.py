"""The model description's generated parts, made from the code so that they cannot go stale: every
parameter (scope, default, range, unit, when a change takes effect, source) and every state array
(entity, type, unit, initial value), module by module, from the schema; and every equation of the
chain, from the ``Rule:`` lines of the docstrings in `lealtad.chain`. docs/odd.md carries them
between markers; `python -m lealtad.doc_tables` rewrites them there, and tests fail when they differ
(tests/test_firms.py for the text, tests/test_equations.py for each equation against its function)."""

from __future__ import annotations

import inspect
import re
import sys
from pathlib import Path

from . import chain
from .modules import PLAN

ODD = Path(__file__).resolve().parents[2] / "docs" / "odd.md"
BEGIN, END = "<!-- schema:begin (made by `python -m lealtad.doc_tables`) -->", "<!-- schema:end -->"
EQ_BEGIN, EQ_END = "<!-- equations:begin (made by `python -m lealtad.doc_tables`) -->", "<!-- equations:end -->"
RULE = "Rule:"


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


def rules() -> list[tuple[str, str, list[str]]]:
    """(name, summary, rule lines) of every function of `lealtad.chain` that states a rule, in the
    order of the file (the order of the chain)."""
    out = []
    for name, fn in vars(chain).items():
        if not callable(fn) or getattr(fn, "__module__", None) != chain.__name__ or not fn.__doc__:
            continue
        doc = inspect.cleandoc(fn.__doc__)
        lines = [line.strip()[len(RULE):].strip() for line in doc.splitlines() if line.strip().startswith(RULE)]
        if lines:
            summary = " ".join(doc.split("\n\n")[0].split())
            out.append((name, summary, lines))
    return out


def equations() -> str:
    blocks = [f"{EQ_BEGIN}\n"]
    for name, summary, lines in rules():
        blocks.append(f"**`chain.{name}`**: {summary}\n\n```text\n" + "\n".join(lines) + "\n```\n")
    blocks.append(EQ_END)
    return "\n".join(blocks)


def _replace(text: str, begin: str, end: str, made: str) -> str:
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), flags=re.S)
    if not pattern.search(text):
        raise ValueError(f"{ODD.name} has no section between the markers {begin!r} ... {end!r}")
    return pattern.sub(lambda _: made, text)


def refreshed(text: str) -> str:
    """``text`` (docs/odd.md) with its schema tables and its equations made anew."""
    return _replace(_replace(text, BEGIN, END, section()), EQ_BEGIN, EQ_END, equations())


if __name__ == "__main__":
    ODD.write_text(refreshed(ODD.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote the schema tables and the equations of {ODD}")
    sys.exit(0)
