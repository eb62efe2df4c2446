"""Every command and code example of README.md and docs/ runs (or, where it cannot run here, parses).

The fenced blocks labelled bash, console, sh or python are extracted; every block must carry a label
(``text`` for output and synopses), so that no command hides in an unlabelled one. Each file's
examples run in order in one temporary folder laid out like a fresh clone (experiments/ copied,
an empty results/), so that a later example
may read what an earlier one wrote, and nothing is written into the repository.

- `lealtad ...` lines run through `lealtad.cli.main`. Long ones run with the options of SHRINK
  appended (argparse keeps the last value of an option, and a later --set wins): the command is the
  documented one, only smaller, and the table below says by how much.
- Lines that cannot run here (a browser server, a Dask cluster, suites of minutes that other tests
  run in their quick form, commands that rewrite the source tree) are PARSE_ONLY: their options must
  parse, with the reason said.
- Python blocks run as written; they are written small in the docs.
- Any `in_person_staff_per_1000` value in an example must be in today's units (employees per 1,000 active
  customers); a value under half the default is one of the old per-person values.

The lesson pages (docs/teaching/en, es) are left to tests/test_teaching.py, which runs each page's
commands the same way (test_every_lesson_command_runs_at_quick_size).
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

from lealtad.cli import build_parser, main
from lealtad.params import PARAMETERS

REPO = Path(__file__).resolve().parents[1]
FILES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md")), REPO / "docs" / "teaching" / "README.md"]
RUN_LABELS = {"bash", "console", "sh", "shell", "python"}
LABELS = RUN_LABELS | {"text", "toml", "mermaid"}

# a small market keeps its staff of at least one per firm busy but stable (120 customers each)
TINY = ["--replications", "2", "--steps", "20", "--set", "n_customers=400", "--workers", "1", "--quiet"]
# (pattern of the command after `lealtad `, options appended when it runs)
SHRINK = [
    (r"^sweep ", TINY + ["--no-report"]),
    (r"^compare ", TINY),
    (r"^run .*--seeds", ["--steps", "30", "--workers", "1", "--quiet"]),  # the default market, a month
    (r"^run", ["--quiet"]),
]
# (pattern of the command after `lealtad `, why it only parses here)
PARSE_ONLY = [
    (r"^viz\b", "starts a browser server (tests/test_browser*.py drive the app)"),
    (r"--scheduler", "needs a Dask cluster"),
    (r"^validate\b", "minutes even when quick; tests/test_validation.py runs the quick suite"),
    (r"^lessons\b", "rewrites the lessons' pages; tests/test_teaching.py runs `lessons --quick` into a copy"),
    (r"^(optimize|discover)\b", "a search of many runs (minutes); tests/test_explore.py runs tiny ones"),
]
# Lines that are not `lealtad` commands: (pattern, how the test checks them instead)
OTHER = [
    (r"^bash dev\.sh (\w+)", "dev_sh"),  # dev.sh test is this suite itself; check the subcommand exists
    (r"^\.venv/bin/python -m pip install -e \.\[(\w+)\]$", "extra"),  # an install: check the extra exists
    (r"^\.venv/bin/python tools/mutation\.py", "mutation"),  # minutes; check its options exist
    (r"^\.venv/bin/python -m lealtad\.locale\.catalog", "catalog"),  # rewrites the catalogs; tests/test_locale.py
    (r"^dask (scheduler|worker)\b", "cluster"),  # a Dask cluster: nothing to run here
    (r"^\.venv/bin/python -m lealtad\.trace_tables", "trace"),  # 90 runs; tests/test_trace.py checks its block
]


def blocks(path: Path):
    """(label, first line number, text) of each fenced block."""
    text = path.read_text(encoding="utf-8")
    for m in re.finditer(r"^```(\S*)[^\n]*\n(.*?)^```", text, flags=re.S | re.M):
        yield m.group(1), text[:m.start()].count("\n") + 1, m.group(2)


def command_lines(code: str):
    """Commands of a shell block: comments dropped, `a && b` split."""
    for line in code.splitlines():
        words = shlex.split(line, comments=True)
        if not words:
            continue
        parts, part = [], []
        for w in words:
            if w == "&&":
                parts.append(part)
                part = []
            else:
                part.append(w)
        parts.append(part)
        yield from (p for p in parts if p)


def lealtad_argv(words):
    if words[0] in ("lealtad", ".venv/bin/lealtad"):
        return words[1:]
    return None


def examples():
    for path in FILES:
        items = []
        for label, line, code in blocks(path):
            assert label in LABELS, f"{path.name}:{line}: fenced block without a known label ({label!r}); use text for output"
            if label in RUN_LABELS:
                items.append((label, line, code))
        if items:
            yield pytest.param(path, items, id=path.relative_to(REPO).as_posix())


def old_unit_values(code: str):
    return [float(v) for v in re.findall(r"in_person_staff_per_1000\"?\s*[=:]\s*([0-9.]+)", code)]


@pytest.mark.parametrize("path,items", list(examples()))
def test_every_example_runs(path, items, tmp_path, monkeypatch, capsys):
    shutil.copytree(REPO / "experiments", tmp_path / "experiments")
    (tmp_path / "results").mkdir()  # as in a fresh clone (results/README.md is tracked)
    monkeypatch.chdir(tmp_path)
    parser = build_parser()
    for label, line, code in items:
        where = f"{path.name}:{line}"
        for value in old_unit_values(code):
            assert value >= PARAMETERS["in_person_staff_per_1000"].default / 2, \
                f"{where}: in_person_staff_per_1000={value} is in the old per-person units (now per 1,000 customers)"
        if label == "python":
            exec(compile(code, where, "exec"), {"__name__": "__doc_example__"})  # noqa: S102 - our own docs
            continue
        for words in command_lines(code):
            check_command(words, where, parser, capsys)


def check_command(words, where, parser, capsys):
    argv = lealtad_argv(words)
    text = " ".join(words)
    if argv is None:
        check_other(text, where)
        return
    joined = " ".join(argv)
    if any(re.search(p, joined) for p, _ in PARSE_ONLY):
        parser.parse_args(argv)  # SystemExit on an unknown option or value
        check_parameters(argv, where)
        return
    extra = next((opts for p, opts in SHRINK if re.search(p, joined)), [])
    code = main(argv + extra)
    assert code == 0, f"{where}: `{text}` (run with {extra}) exited {code}: {capsys.readouterr().err[-2000:]}"


def check_parameters(argv, where):
    """A command that is not run still names only known parameters, valid values included."""
    from lealtad.params import parse_assignments, validate

    changes = [argv[k + 1] for k, a in enumerate(argv[:-1]) if a == "--set"]
    validate(parse_assignments(changes))


def check_other(text, where):
    for pattern, kind in OTHER:
        m = re.search(pattern, text)
        if not m:
            continue
        if kind == "dev_sh":
            assert re.search(rf"^\s+{m.group(1)}\)", (REPO / "dev.sh").read_text(), flags=re.M), where
        elif kind == "extra":
            assert re.search(rf"^{m.group(1)} = ", (REPO / "pyproject.toml").read_text(), flags=re.M), where
        elif kind == "mutation":
            source = (REPO / "tools" / "mutation.py").read_text()
            for option in re.findall(r"(--[a-z][a-z-]*)", text):
                assert f'"{option}"' in source, f"{where}: tools/mutation.py has no option {option}"
        elif kind in ("catalog", "trace"):
            module = {"catalog": "locale/catalog.py", "trace": "trace_tables.py"}[kind]
            source = (REPO / "src" / "lealtad" / module).read_text()
            for option in re.findall(r"(--[a-z][a-z-]*)", text):
                assert f'"{option}"' in source, f"{where}: lealtad/{module} has no option {option}"
        return
    pytest.fail(f"{where}: `{text}` is neither a lealtad command nor a known kind of example")


def test_the_checks_have_teeth(tmp_path, monkeypatch, capsys):
    """An unknown parameter, a renamed option and an old unit are each caught."""
    monkeypatch.chdir(tmp_path)
    parser = build_parser()
    assert main(["run", "--steps", "2", "--set", "staff_per_thousand=4", "--quiet"]) == 2
    with pytest.raises(SystemExit):
        parser.parse_args(["run", "--days", "30"])
    with pytest.raises(Exception):
        check_parameters(["viz", "--set", "company.wage=3"], "x")
    assert old_unit_values('--set company.in_person_staff_per_1000=1.8 {"company.in_person_staff_per_1000": 5.0}') == [1.8, 5.0]
    with pytest.raises(pytest.fail.Exception):
        check_other("rm -rf results", "x")
