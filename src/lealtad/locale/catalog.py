"""Keeping the catalogs complete: extract every message, update each language's catalog, list gaps.

    python -m lealtad.locale.catalog          # extract, write lealtad.pot, update every .po; list gaps
    python -m lealtad.locale.catalog --check  # only list what a catalog lacks (exit status 1 if any)

Messages are found by Babel in the package's source (the first argument of ``t``, ``N_``, ``gettext``
and ``PlanError`` calls) and, for what the schema itself says, in the parameter schema: each
parameter's description and unit are messages (lealtad.params stays English). A new message lands
in every catalog with an empty translation, which ``missing`` reports until a translator fills it.
"""

from __future__ import annotations

import argparse
import string
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from . import DOMAIN, HERE, LANGS, SOURCE_LANG, po_path

PACKAGE = HERE.parent
KEYWORDS = {"t": None, "N_": None, "gettext": None, "PlanError": None}
POT = HERE / f"{DOMAIN}.pot"


def schema_messages() -> list[str]:
    """What the parameter schema shows in the app: descriptions and units (every firm's levers share
    one description, see lealtad.viz.i18n.param_help)."""
    from ..modules import segments
    from ..modules.channels import DESCRIPTIONS, channel_column
    from ..params import PARAMETERS

    own = [p for p in PARAMETERS.values()  # channel and segment columns: one template each
           if channel_column(p.name) is None and segments.segment_column(p.name) is None]
    return ([p.description for p in own] + list(DESCRIPTIONS.values()) + list(segments.DESCRIPTIONS.values())
            + [p.unit for p in PARAMETERS.values() if p.unit])


def template() -> Catalog:
    """Every message lealtad shows, with where it comes from."""
    catalog = Catalog(domain=DOMAIN, project="lealtad", charset="utf-8")
    found = extract_from_dir(str(PACKAGE), method_map=[("**.py", "python")], keywords=KEYWORDS,
                             comment_tags=("TRANSLATORS:",), strip_comment_tags=True)
    for filename, line, message, comments, context in found:
        if isinstance(message, str) and message:
            catalog.add(message, locations=[(f"lealtad/{filename}", line)], auto_comments=comments, context=context)
    for message in schema_messages():
        catalog.add(message, locations=[("lealtad/params.py", 0)])
    return catalog


def read(lang: str) -> Catalog:
    with po_path(lang).open("rb") as f:
        return read_po(f, locale=lang, domain=DOMAIN)


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def missing(lang: str, expected: Catalog | None = None, have: Catalog | None = None) -> list[str]:
    """Messages ``lang``'s catalog (``have``: the one on disk) lacks, leaves untranslated or fuzzy, or
    translates with other ``{placeholders}`` than the English (which would break at run time)."""
    expected = expected if expected is not None else template()
    have = have if have is not None else read(lang)
    gaps = []
    for message in expected:
        if not message.id:
            continue
        got = have.get(message.id, message.context)
        if got is None or not got.string or got.fuzzy:
            gaps.append(f"{lang}: untranslated {message.id!r}")
        elif _fields(got.string) != _fields(message.id):
            gaps.append(f"{lang}: placeholders differ in {message.id!r}")
    return gaps


def update() -> list[Path]:
    """Write the template and merge it into each language's catalog (new messages empty, gone ones dropped)."""
    pot = template()
    with POT.open("wb") as f:
        write_po(f, pot, width=100, omit_header=False, sort_output=False)
    written = [POT]
    for lang in LANGS:
        if lang == SOURCE_LANG:
            continue
        path = po_path(lang)
        if path.exists():
            catalog = read(lang)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=lang, domain=DOMAIN, project="lealtad", charset="utf-8")
        catalog.update(pot, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        with path.open("wb") as f:
            write_po(f, catalog, width=100, sort_output=False, ignore_obsolete=True)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lealtad.locale.catalog", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only list the gaps (exit status 1 if any)")
    args = parser.parse_args(argv)
    if not args.check:
        for path in update():
            print(f"wrote {path}")
    pot = template()
    gaps = [gap for lang in LANGS if lang != SOURCE_LANG for gap in missing(lang, pot)]
    for gap in gaps:
        print(gap)
    print(f"{len(pot)} messages; {len(gaps)} gaps", file=sys.stderr)
    return 1 if gaps and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
