"""The languages: every message in every catalog, the catalogs in use, numbers written as each
language writes them and read back from what a user types."""

import math

import pytest

from lealtad.locale import LANGS, LANGUAGES, SOURCE_LANG, catalog, gettext, po_path, t
from lealtad.locale.numbers import money, number, parse_number, percent, significant

TRANSLATED = [lang for lang in LANGS if lang != SOURCE_LANG]


@pytest.fixture
def template():
    return catalog.template()


def test_one_list_of_languages_with_spanish_english_and_italian():
    assert LANGS == ("es", "en", "it") and LANGUAGES["it"] == "Italiano"
    assert all(po_path(lang).exists() for lang in TRANSLATED)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_extracted_message_is_translated_in_each_catalog(template, lang):
    assert len(template) > 400  # the app, the classroom, the About tab, the lessons, the schema
    assert catalog.missing(lang, template) == []


def test_a_message_missing_from_a_catalog_is_reported(template):
    template.add("A brand-new button")
    gaps = catalog.missing("it", template)
    assert gaps == ["it: untranslated 'A brand-new button'"]


def test_a_translation_with_other_placeholders_is_reported(template):
    have = catalog.read("es")
    have.get("Quarter {quarter} of {quarters}").string = "Trimestre {trimestre} de {quarters}"
    assert catalog.missing("es", template, have) == ["es: placeholders differ in 'Quarter {quarter} of {quarters}'"]


def test_the_schema_descriptions_and_units_are_messages(template):
    from lealtad.params import PARAMETERS

    ids = {m.id for m in template}
    from lealtad.modules.channels import DESCRIPTIONS

    assert PARAMETERS["training"].description in ids and PARAMETERS["training"].unit in ids
    # a channel column is one message, its template, for every channel
    assert DESCRIPTIONS["staff_per_1000"] in ids and PARAMETERS["in_person_staff_per_1000"].unit in ids
    assert PARAMETERS["in_person_staff_per_1000"].description not in ids


def test_translations_come_from_the_catalogs_and_fall_back_to_english():
    assert [t("Play", lang) for lang in LANGS] == ["Reproducir", "Play", "Avvia"]
    assert t("Quarter {quarter} of {quarters}", "it", quarter=2, quarters=4) == "Trimestre 2 di 4"
    assert gettext("A message no catalog has", "es") == "A message no catalog has"
    assert gettext("", "es") == ""  # never the catalog's header


# ------------------------------------------------------------------------------------- numbers
@pytest.mark.parametrize("lang, nps, wait, small, cash, share", [
    ("es", "-8.454,3", "6,69", "0,0005", "-2.917\u00a0€", "42,4\u00a0%"),
    ("it", "-8.454,3", "6,69", "0,0005", "-2.917\u00a0€", "42,4%"),
    ("en", "-8,454.3", "6.69", "0.0005", "-€2,917", "42.4%"),
])
def test_numbers_and_money_are_written_as_each_language_writes_them(lang, nps, wait, small, cash, share):
    assert number(-8454.31, lang, 1) == nps
    assert number(6.687, lang, 2) == wait
    assert significant(0.0005, lang) == small
    assert money(-2917.4, lang) == cash
    assert percent(0.4236, lang, 1) == share


@pytest.mark.parametrize("lang", LANGS)
def test_no_minus_zero_and_no_number_where_there_is_none(lang):
    assert number(-0.3, lang) == number(-0.0, lang) == "0"
    assert money(-0.4, lang).replace("-", "") == money(-0.4, lang)
    assert number(-0.4, lang, sign=True) == "0" and number(0.6, lang, sign=True) == "+1"
    assert number(float("nan"), lang) == money(float("inf"), lang) == percent(None, lang) == "–"


@pytest.mark.parametrize("text, lang, value", [
    ("12,5", "es", 12.5), ("12,5", "it", 12.5), ("12.5", "es", 12.5), ("12.5", "en", 12.5),
    ("1.234,5", "es", 1234.5), ("1,234.5", "en", 1234.5), (" 0,001 ", "it", 0.001), ("1e-3", "es", 0.001),
])
def test_typed_numbers_accept_the_decimal_comma(text, lang, value):
    assert parse_number(text, lang) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "abc", "12,5,3x"])
def test_typed_numbers_that_are_not_numbers_are_refused(text):
    with pytest.raises(ValueError):
        parse_number(text, "es")


def test_nan_typed_is_read_as_nan_for_the_schema_to_refuse():
    assert math.isnan(parse_number("nan", "es"))
