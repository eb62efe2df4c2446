"""Numbers, money and percentages as each language writes them (Babel's CLDR data): Spanish and
Italian "12.345,6", English "12,345.6"; never "-0"; and the reverse, reading what a user types.

    number(-8454.3, "es", 1)  -> "-8.454,3"      money(-2917.4, "es") -> "-2.917 €"
    percent(0.423, "it")      -> "42%"           parse_number("12,5", "es") -> 12.5
"""

from __future__ import annotations

import functools
import math

from babel import Locale
from babel.numbers import NumberFormatError, format_decimal, parse_decimal

DASH = "–"  # what a number that does not exist (yet) shows


def _rounded(x: float, decimals: int) -> float:
    """``x`` rounded to ``decimals``, with a zero that carries no sign (no "-0" on screen)."""
    value = round(float(x), decimals)
    return 0.0 if value == 0 else value


def _finite(x) -> bool:
    try:
        return x is not None and math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def number(x, lang: str, decimals: int = 0, sign: bool = False) -> str:
    """``x`` with ``decimals`` decimals and the language's separators; ``sign`` puts "+" on positives."""
    if not _finite(x):
        return DASH
    value = _rounded(x, decimals)
    text = format_decimal(value, "#,##0" + ("." + "0" * decimals if decimals > 0 else ""), locale=lang)
    return "+" + text if sign and value > 0 else text


def significant(x, lang: str, digits: int = 6) -> str:
    """Like Python's ``{:g}`` (up to ``digits`` significant digits, no trailing zeros), in ``lang``:
    for parameter values and ranges, whose size varies from 0.0001 to 100,000."""
    if not _finite(x):
        return DASH
    value = float(x)
    if value == 0:
        return "0"
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(value))))
    value = _rounded(value, decimals)
    return format_decimal(value, "#,##0" + ("." + "#" * decimals if decimals else ""), locale=lang)


def auto(x, lang: str, sign: bool = False) -> str:
    """A measured quantity with as many decimals as its size needs (12,345 · 123.4 · 1.23 · 0.123)."""
    if not _finite(x):
        return DASH
    a = abs(float(x))
    decimals = 0 if a >= 1000 else 1 if a >= 10 else 2 if a >= 0.995 else 3
    return number(x, lang, decimals, sign)


@functools.cache
def _pattern(lang: str, kind: str) -> str:
    loc = Locale.parse(lang)
    formats = loc.currency_formats if kind == "money" else loc.percent_formats
    return formats["standard" if kind == "money" else None].pattern.split(";")[0]


def money(x, lang: str, decimals: int = 0, currency: str = "EUR") -> str:
    """An amount of money in the language's layout ("-2.917 €", "-€2,917")."""
    if not _finite(x):
        return DASH
    from babel.numbers import format_currency

    pattern = _pattern(lang, "money")
    integer, _, rest = pattern.partition(".")
    rest = rest.lstrip("0#")
    pattern = integer + ("." + "0" * decimals if decimals > 0 else "") + rest
    return format_currency(_rounded(x, decimals), currency, format=pattern, locale=lang, currency_digits=False)


def percent(x, lang: str, decimals: int = 0) -> str:
    """A share (0.423) as a percentage in the language's layout ("42 %", "42%")."""
    if not _finite(x):
        return DASH
    from babel.numbers import format_percent

    pattern = _pattern(lang, "percent")
    last = pattern.rindex("0") + 1  # the decimals go after the last digit ("#,##0 %" -> "#,##0.0 %")
    pattern = pattern[:last] + ("." + "0" * decimals if decimals > 0 else "") + pattern[last:]
    return format_percent(_rounded(x, decimals + 2), pattern, locale=lang)


def parse_number(text: str, lang: str) -> float:
    """What a user typed as a number: the language's own writing ("12,5" and "1.234,5" in Spanish)
    first, then the plain point-decimal one ("12.5") that every keyboard can type. ValueError if it
    is neither (the caller names the field)."""
    raw = str(text).strip().replace("\u00a0", "").replace("\u202f", "")
    if not raw:
        raise ValueError("empty")
    try:
        return float(parse_decimal(raw, locale=lang, strict=True))
    except (NumberFormatError, ValueError):
        pass
    return float(raw)  # "12.5", "1e-3", "nan": the schema's own check refuses what it must


@functools.cache
def plotly_separators(lang: str) -> str:
    """plotly's ``layout.separators`` for ``lang``: the decimal sign, then the thousands separator
    (",." in Spanish and Italian), so a figure's axes read as its text does."""
    symbols = Locale.parse(lang).number_symbols["latn"]
    return symbols["decimal"] + symbols["group"]
