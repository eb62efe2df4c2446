"""The generated half of docs/teaching/glossary.md: every label the app shows (parameters, outputs, links
of the chain, groups) in every language of the app, with the model name it stands for.

The concepts half of the glossary is written by hand; this half is rewritten by `lealtad lessons`
between ``<!-- glossary:begin -->`` and ``<!-- glossary:end -->`` from the app's own catalogs
(`lealtad.locale`, through `lealtad.viz.i18n`), so a label added to the app cannot be missing from the glossary for long (the
tests check it).
"""

from __future__ import annotations

from pathlib import Path

from ..locale import LANGS, LANGUAGES, N_, gettext
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
DERIVED = {"turnover": "`quits` / `staff`, a year's rate over the last 91 days",
           "profit_week": "`profit`, mean of the last 7 days"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def in_every_language(message: str) -> str:
    """``message`` in every language, one after the other (Spanish first), each once."""
    return " · ".join(dict.fromkeys(gettext(message, lang) for lang in LANGS))


def _row(cells) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _labels(label, key: str) -> list[str]:
    return [label(key, lang) for lang in LANGS]


def labelled_outputs() -> list[str]:
    """Every output the app labels: its own labels, then those labelled per channel or segment from one
    template each (``in_person_contacts``, ``key_account_lifetime_value``)."""
    templated = [o.name for o in OUTPUTS if o.name not in i18n.OUTPUT_LABELS and i18n.output_label(o.name, "en") != o.name]
    return [*i18n.OUTPUT_LABELS, *templated]


def section() -> str:
    """Markdown tables of every app label, one column per language (Spanish first)."""
    names = [LANGUAGES[lang] for lang in LANGS]
    rule = "|" + "---|" * (len(LANGS) + 1)
    lines = ["### " + in_every_language(N_("Links of the chain")), "",
             _row([*names, in_every_language(N_("In the model"))]), rule]
    for key in i18n.CHAIN_LABELS:
        lines.append(_row([*_labels(i18n.chain_label, key), CHAIN_MECHANISMS.get(key, f"`{key}`")]))
    lines += ["", "### " + in_every_language(N_("Control groups")), "",
              _row([*names, in_every_language(N_("Group"))]), rule]
    for key in i18n.GROUPS:
        lines.append(_row([*_labels(i18n.group_label, key), f"`{key}`"]))
    lines += ["", "### " + in_every_language(N_("Controls (parameters)")), "",
              in_every_language(N_("Each firm's levers are written `FIRM.name` (`company.training`, `competitor.training`).")), "",
              _row([*names, in_every_language(N_("Parameter")), in_every_language(N_("What it is"))]),
              rule + "---|"]
    for name, p in PARAMETERS.items():
        source = f" ({p.source})" if p.source else ""
        lines.append(_row([*_labels(i18n.param_label, name), f"`{name}`",
                           " · ".join(_labels(i18n.param_help, name)) + source]))
    lines += ["", "### " + in_every_language(N_("Outputs (series)")), "",
              _row([*names, in_every_language(N_("Output")), in_every_language(N_("What it is"))]),
              rule + "---|"]
    described = {o.name: o.description for o in OUTPUTS}
    for name in labelled_outputs():
        what = described.get(name) or DERIVED.get(name, "")
        lines.append(_row([*_labels(i18n.output_label, name), f"`{name}`", what]))
    return "\n".join(lines) + "\n"


def app_terms() -> set[str]:
    """Every label the app shows for the model, in every language: what the glossary must cover."""
    terms = set()
    for lang in LANGS:
        terms |= {i18n.chain_label(k, lang) for k in i18n.CHAIN_LABELS} | {i18n.group_label(g, lang) for g in i18n.GROUPS}
        terms |= {i18n.param_label(n, lang) for n in PARAMETERS}
        terms |= {i18n.output_label(n, lang) for n in labelled_outputs()}
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
