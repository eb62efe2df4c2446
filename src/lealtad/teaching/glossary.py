"""The generated half of docs/teaching/glossary.md: every label the app shows (parameters, outputs, links
of the chain, groups), Spanish and English, with the model name it stands for.

The concepts half of the glossary is written by hand; this half is rewritten by `lealtad lessons`
between ``<!-- glossary:begin -->`` and ``<!-- glossary:end -->`` from the app's own translations
(`lealtad.viz.i18n`), so a label added to the app cannot be missing from the glossary for long (the
tests check it).
"""

from __future__ import annotations

from pathlib import Path

from ..outputs import OUTPUTS
from ..params import PARAMETERS
from ..viz import i18n

BEGIN, END = "<!-- glossary:begin -->", "<!-- glossary:end -->"

# Where each link of the chain lives in the model (src/lealtad/chain.py and the outputs).
CHAIN_MECHANISMS = {
    "leadership": "`chain.internal_service_quality`; output `internal_quality`",
    "employee_satisfaction": "`chain.employee_satisfaction`; output `employee_satisfaction`",
    "employee_loyalty": "`chain.daily_quit_probability`; outputs `quits`, `staff`",
    "productivity": "`chain.learn`, `chain.service_rate`; outputs `employee_skill`, `wait_mean`",
    "service_value": "`chain.encounter_quality`; output `service_quality`",
    "customer_satisfaction": "`chain.transaction_satisfaction`, `chain.cumulative`; output `customer_satisfaction`",
    "customer_loyalty": "`chain.commitment`, `chain.defection_probability`, `chain.nps`; output `nps`",
    "profit": "`chain.talk_probability`, `chain.adoption_hazard`, `LoyaltyModel._economics`; outputs `profit`, "
              "`market_share`",
}
DERIVED = {"turnover": "`quits` / `staff`, a year's rate over the last 30 days",
           "profit_week": "`profit`, mean of the last 7 days"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def section() -> str:
    """Markdown tables of every app label, Spanish first."""
    lines = ["### Eslabones de la cadena · Links of the chain", "",
             "| Español | English | En el modelo · In the model |", "|---|---|---|"]
    for key in i18n.CHAIN_LABELS:
        es, en = i18n.CHAIN_LABELS[key]
        lines.append(f"| {es} | {en} | {CHAIN_MECHANISMS.get(key, '`' + key + '`')} |")
    lines += ["", "### Grupos de controles · Control groups", "", "| Español | English | Grupo · Group |", "|---|---|---|"]
    for key, names in i18n.GROUPS.items():
        lines.append(f"| {names['es']} | {names['en']} | `{key}` |")
    lines += ["", "### Controles (parámetros) · Controls (parameters)", "",
              "Las palancas de cada empresa se escriben `EMPRESA.nombre` (`company.training`, `competitor.training`). · "
              "Each firm's levers are written `FIRM.name` (`company.training`, `competitor.training`).", "",
              "| Español | English | Parámetro · Parameter | Qué es · What it is |", "|---|---|---|---|"]
    for name, p in PARAMETERS.items():
        es, en = i18n.param_label(name, "es"), i18n.param_label(name, "en")
        help_es = i18n.param_help(name, "es")
        source = f" ({p.source})" if p.source else ""
        lines.append(f"| {_cell(es)} | {_cell(en)} | `{name}` | {_cell(help_es)} · {_cell(p.description)}{source} |")
    lines += ["", "### Resultados (series) · Outputs (series)", "",
              "| Español | English | Resultado · Output | Qué es · What it is |", "|---|---|---|---|"]
    described = {o.name: o.description for o in OUTPUTS}
    for name in i18n.OUTPUT_LABELS:
        es, en = i18n.output_label(name, "es"), i18n.output_label(name, "en")
        what = described.get(name) or DERIVED.get(name, "")
        lines.append(f"| {_cell(es)} | {_cell(en)} | `{name}` | {_cell(what)} |")
    return "\n".join(lines) + "\n"


def app_terms() -> set[str]:
    """Every Spanish label the app shows for the model: what the glossary must cover."""
    terms = {es for es, _ in i18n.CHAIN_LABELS.values()} | {g["es"] for g in i18n.GROUPS.values()}
    terms |= {i18n.param_label(n, "es") for n in PARAMETERS}
    terms |= {i18n.output_label(n, "es") for n in i18n.OUTPUT_LABELS}
    return terms


def update(path: Path) -> bool:
    """Rewrite the generated half of the glossary at ``path``; False if it has no markers."""
    text = path.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        return False
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    path.write_text(f"{head}{BEGIN}\n{section()}{END}{tail}", encoding="utf-8")
    return True
