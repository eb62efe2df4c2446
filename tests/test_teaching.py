"""The teaching material: every lesson's commands run (quick size) and produce the figures its pages
reference; the generated results sections match the tables; both languages carry the same lessons;
the glossary covers every Spanish label of the app."""

from __future__ import annotations

import re
import shlex
import shutil

import pytest

from lealtad.cli import main
from lealtad.experiments import load
from lealtad.locale import gettext
from lealtad.teaching import LESSONS
from lealtad.teaching import build as B
from lealtad.teaching import glossary
from lealtad.teaching.lessons import lesson
from lealtad.viz.presets import load_presets

DOCS = B.DOCS
SECTIONS = {
    "es": ["Objetivos de aprendizaje", "El concepto", "El escenario preparado", "Paso a paso", "Qué observar",
           "Preguntas para los estudiantes", "Notas para el docente", "Referencias"],
    "en": ["Learning goals", "The concept", "The ready scenario", "Step by step", "Things to notice",
           "Questions for students", "Teacher's notes", "References"],
}


def page_text(item, lang) -> str:
    return B.page_path(item, lang).read_text(encoding="utf-8")


def commands(text: str) -> list[list[str]]:
    """The `lealtad ...` command lines in a page's code blocks (split at '&&')."""
    out = []
    for block in re.findall(r"```bash\n(.*?)```", text, flags=re.S):
        for line in block.splitlines():
            for part in line.split("&&"):
                words = shlex.split(part.strip())
                if words[:1] == ["lealtad"]:
                    out.append(words[1:])
    return out


@pytest.fixture(scope="module")
def quick_build(tmp_path_factory):
    """`lealtad lessons --quick` into a copy of docs/teaching (so the pages' results sections are
    rewritten there, never in the repository)."""
    docs = tmp_path_factory.mktemp("docs") / "teaching"
    shutil.copytree(DOCS, docs, ignore=shutil.ignore_patterns("figures"))
    png = B.png_available()
    written = B.build(docs / "figures", quick=True, workers=2, png=png, progress=False, docs=docs)
    return docs, png, written


# ------------------------------------------------------------------------------------ structure
def test_both_languages_have_the_same_lessons_with_the_same_sections():
    pages = {lang: sorted(p.name for p in (DOCS / lang).glob("0*.md")) for lang in ("es", "en")}
    assert len(pages["es"]) == len(pages["en"]) == len(LESSONS) >= 6
    for item in LESSONS:
        for lang in ("es", "en"):
            text = page_text(item, lang)
            assert f"<!-- lesson: {item.number} -->" in text, (lang, item.number)
            headings = re.findall(r"^## (.+)$", text, flags=re.M)
            assert headings == SECTIONS[lang], (lang, item.number, headings)
            assert text.count(B.BEGIN) == text.count(B.END) == 1
    assert (DOCS / "es" / "guia-docente.md").exists() and (DOCS / "en" / "teachers-guide.md").exists()


def test_guides_link_every_lesson():
    for lang, guide in (("es", "guia-docente.md"), ("en", "teachers-guide.md")):
        text = (DOCS / lang / guide).read_text(encoding="utf-8")
        for item in LESSONS:
            assert f"({B.page_path(item, lang).name})" in text, (lang, item.number)


def test_each_lesson_names_app_presets_that_exist():
    titles = {p.title() for p in load_presets([B.EXPERIMENTS]).presets.values()}
    for item in LESSONS:
        for lang in ("es", "en"):
            named = re.findall(r"`([a-z_]+: [^`]+)`", page_text(item, lang))
            assert named, (lang, item.number)
            assert set(named) <= titles, (lang, item.number, set(named) - titles)


def test_lesson_scenarios_and_outputs_exist_in_their_experiment_files():
    for item in LESSONS:
        exp = load(B.EXPERIMENTS / f"{item.experiment}.toml")
        assert [exp.scenario(s).name for s in item.scenarios] == list(item.scenarios)
        assert exp.baseline == item.scenarios[0]
        assert set(item.labels) == set(item.scenarios)


# ------------------------------------------------------------------------------------- commands
def test_every_lesson_command_runs_at_quick_size(capsys, monkeypatch):
    """Each page's `lealtad compare` runs (tiny), `sweep` files load, `lessons` options parse."""
    monkeypatch.chdir(B.REPO)  # the pages' paths are relative to the repository
    for item in LESSONS:
        for lang in ("es", "en"):
            cmds = commands(page_text(item, lang))
            assert any(c[0] == "compare" for c in cmds), (lang, item.number)
            assert any(c[:1] == ["lessons"] for c in cmds), (lang, item.number)
            for c in cmds:
                if c[0] == "compare" and lang == "es":  # the same commands in both languages
                    code = main(c + ["--replications", "2", "--steps", "20", "--set", "n_customers=400",
                                     "--workers", "1", "--quiet"])
                    assert code == 0, (item.number, c, capsys.readouterr().err)
                elif c[0] == "sweep":
                    load(c[1])
                elif c[0] == "lessons":
                    assert lesson(int(c[c.index("--lesson") + 1])) is item
        assert sorted(map(tuple, commands(page_text(item, "es")))) == sorted(map(tuple, commands(page_text(item, "en"))))


def test_lessons_command_refuses_bad_input(tmp_path, capsys):
    assert main(["lessons", "--lesson", "99", "--out", str(tmp_path)]) == 2
    assert "no lesson 99" in capsys.readouterr().err
    a_file = tmp_path / "f.txt"
    a_file.write_text("x")
    assert main(["lessons", "--quick", "--out", str(a_file)]) == 2
    assert "is a file" in capsys.readouterr().err
    assert not any(tmp_path.glob("*.html"))


# --------------------------------------------------------------------------------- quick build
def test_quick_build_produces_every_figure_the_pages_reference(quick_build):
    docs, png, written = quick_build
    out = docs / "figures"
    assert (out / "plotly.min.js").stat().st_size > 1_000_000  # local plotly: no CDN
    for item in LESSONS:
        for lang in ("es", "en"):
            refs = B.referenced_figures(B.page_path(item, lang, docs).read_text(encoding="utf-8"))
            expected = {f"{item.key}_{f.name}.{lang}.html" for f in item.figures}
            assert expected <= set(refs), (item.number, lang)
            for name in refs:
                path = out / name
                assert path.exists() and path.stat().st_size > 0, name
                if name.endswith(".html"):
                    html = path.read_text(encoding="utf-8")
                    assert 'src="plotly.min.js"' in html and "cdn.plot.ly" not in html
                    flat = html.replace(" ", "")  # the figure carries data (lists or plotly's typed arrays)
                    assert '"type":"scatter"' in flat and ('"x":[' in flat or '"bdata"' in flat)
            if png:
                assert {f"{item.key}_{f.name}.{lang}.png" for f in item.figures} <= set(refs)


def test_generated_results_match_the_tables(quick_build):
    """The page's results section is the table file's text (only the figure folder differs): numbers
    are never typed by hand."""
    docs, png, _ = quick_build
    for item in LESSONS:
        for lang in ("es", "en"):
            page = B.page_path(item, lang, docs).read_text(encoding="utf-8")
            section = page.split(B.BEGIN, 1)[1].split(B.END, 1)[0].strip()
            table = (docs / "figures" / f"{item.key}.{lang}.md").read_text(encoding="utf-8").strip()
            assert section == table.replace("](./", "](../figures/")
            for scenario in item.scenarios:  # every scenario appears in the tables
                assert gettext(item.labels[scenario], lang) in section
            assert "--quick" in section


def test_quick_build_updates_the_glossary_copy(quick_build):
    docs, _, written = quick_build
    text = (docs / "glossary.md").read_text(encoding="utf-8")
    assert glossary.section() in text


# ------------------------------------------------------------------------------------- glossary
def test_glossary_covers_every_spanish_label_of_the_app():
    text = (DOCS / "glossary.md").read_text(encoding="utf-8")
    missing = sorted(t for t in glossary.app_terms() if t not in text)
    assert not missing, f"run `lealtad lessons` to refresh the glossary; missing: {missing}"
    for term in ("cliente activo", "cliente potencial", "prospecto", "momento de la verdad", "imagen",
                 "fidelización", "calidad de servicio interno", "rotación", "recuperación del servicio",
                 "boca a boca", "NPS"):
        assert term in text, term


def test_number_format_follows_each_language():
    assert B.fmt(12345.6, "es") == B.fmt(12345.6, "it") == "12.346" and B.fmt(12345.6, "en") == "12,346"
    assert B.fmt(0.7432, "es") == "0,743" and B.fmt(-3.25, "en") == "-3.25"
    assert B.fmt(2.5, "es", sign=True) == "+2,50" and B.fmt(-0.0001, "it", sign=True) == "0,000"  # no "-0"
    assert B.fmt(float("nan"), "es") == "n/d" and B.fmt(float("nan"), "en") == "n/a"


def test_results_tables_are_written_in_every_language_even_without_a_page(quick_build):
    docs, _, _ = quick_build
    for item in LESSONS:
        table = (docs / "figures" / f"{item.key}.it.md").read_text(encoding="utf-8")
        assert "Che cosa produce il simulatore" in table and "--quick" in table
        assert all(gettext(item.labels[s], "it") in table for s in item.scenarios)
