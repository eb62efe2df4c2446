"""Scenario presets for the app, read from the experiment files (``experiments/*.toml``).

An experiment file names scenarios as ``[scenarios.NAME]`` tables of parameter changes (see the
experiments documentation); a preset is the file's base (its firms, parameters and events) plus one
scenario's changes, read by the experiments' own loader (a scenario's ``label_es`` / ``label_en``
name it in the app's languages). A file that cannot be read is skipped with a note, so a broken
file never stops the classroom app.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..experiments.spec import ExperimentError, load
from ..locale import LANGS


@dataclass(frozen=True)
class Preset:
    key: str                    # "experiment/scenario"
    experiment: str
    scenario: str
    changes: dict[str, Any]
    label: str = ""
    description: str = ""
    labels: dict[str, str] = field(default_factory=dict)  # per language, from label_es / label_en if given

    def title(self, lang: str = "en") -> str:
        return f"{self.experiment}: {self.labels.get(lang) or self.label or self.scenario}"


@dataclass
class PresetList:
    presets: dict[str, Preset] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def experiment_dirs() -> list[Path]:
    """Where experiment files are looked for: $LEALTAD_EXPERIMENTS, ./experiments, the source tree's."""
    dirs = []
    if os.environ.get("LEALTAD_EXPERIMENTS"):
        dirs.append(Path(os.environ["LEALTAD_EXPERIMENTS"]))
    dirs.append(Path.cwd() / "experiments")
    here = Path(__file__).resolve()
    dirs += [here.parents[1] / "experiments", here.parents[3] / "experiments"]  # package data, repository
    seen, unique = set(), []
    for d in dirs:
        if d.is_dir() and d.resolve() not in seen:
            seen.add(d.resolve())
            unique.append(d)
    return unique


def load_presets(dirs: list[Path] | None = None) -> PresetList:
    out = PresetList()
    for folder in experiment_dirs() if dirs is None else dirs:
        for path in sorted(Path(folder).glob("*.toml")):
            try:
                exp = load(path)
                labels = tomllib.loads(path.read_text(encoding="utf-8")).get("scenarios", {})
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, ExperimentError) as exc:
                out.problems.append(f"{path.name}: {exc}")
                continue
            _add_experiment(out, exp, labels)
    return out


def _add_experiment(out: PresetList, exp, tables: dict[str, Any]):
    """One preset per scenario: the file's base (its firms and events too) plus the scenario's changes."""
    for s in exp.scenarios:
        changes = {**exp.base, **s.changes}
        changes.pop("n_customers", None)  # the app keeps its own market size (speed in class)
        table = tables.get(s.name, {}) if isinstance(tables, dict) else {}
        labels = {lang: str(table[f"label_{lang}"]) for lang in LANGS if f"label_{lang}" in table}
        key = f"{exp.name}/{s.name}"
        out.presets[key] = Preset(key, exp.name, s.name, changes, s.label, s.description, labels)
