"""The languages of lealtad: every word the app, the classroom, the About tab, the lessons' generated
parts and the glossary show, in gettext catalogs managed with Babel.

English is the source language: a message's id is its English text, written where it is used
(``t("Play", lang)``; tables of words mark theirs with ``N_``). Each other language has a catalog,
``locale/<lang>/LC_MESSAGES/lealtad.po``, compiled in memory the first time it is needed (so a fresh
clone works without a build step). A message missing from a catalog shows in English (never a crash
in class); ``lealtad.locale.catalog`` extracts the messages, updates the catalogs and lists what a
catalog lacks, and the tests fail on any gap.

``LANGUAGES`` is the one list of languages; ``lealtad.locale.numbers`` formats numbers and money for
each of them.
"""

from __future__ import annotations

import functools
import gettext as _gettext
import io
from pathlib import Path

LANGUAGES = {"es": "Español", "en": "English", "it": "Italiano"}  # code -> its own name, in menu order
LANGS = tuple(LANGUAGES)
DEFAULT_LANG = "es"
SOURCE_LANG = "en"
DOMAIN = "lealtad"
HERE = Path(__file__).resolve().parent


def N_(message: str) -> str:
    """Marks ``message`` for extraction where it is stored now and translated later (tables)."""
    return message


def po_path(lang: str) -> Path:
    return HERE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def translations(lang: str) -> _gettext.NullTranslations:
    """The catalog of ``lang`` (untranslated messages stay English; fuzzy ones are not used)."""
    path = po_path(lang)
    if lang == SOURCE_LANG or lang not in LANGUAGES or not path.exists():
        return _gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with path.open("rb") as f:
        catalog = read_po(f, locale=lang, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return _gettext.GNUTranslations(compiled)


def gettext(message: str, lang: str) -> str:
    """``message`` in ``lang`` (the English itself if the catalog lacks it)."""
    return translations(lang).gettext(message) if message else message


def t(message: str, lang: str, **values) -> str:
    """``message`` translated to ``lang`` and filled with ``values`` (str.format)."""
    text = gettext(message, lang)
    return text.format(**values) if values else text
