"""Scenario presets for the app, read from the experiment files (``experiments/*.toml``).

An experiment file names scenarios as ``[scenarios.NAME]`` tables of parameter changes (see the
experiments documentation); a preset is the file's base parameters plus one scenario's changes. Only
keys that are parameters are taken (a scenario may also carry a description or a label, and
``label_<lang>`` (label_es, label_it...) for the app's languages), and a file
that cannot be read is skipped with a note, so a broken file never stops the classroom app.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..locale import LANGS
from ..params import PARAMETERS, ParameterError, validate

# Keys an experiment file may use for its base parameters.
BASE_KEYS = ("base", "params", "parameters")


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
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
                out.problems.append(f"{path.name}: {exc}")
                continue
            _add_file(out, path.stem, data)
    return out


def _params_only(table: Any) -> dict[str, Any]:
    return {k: v for k, v in table.items() if k in PARAMETERS} if isinstance(table, dict) else {}


def _add_file(out: PresetList, stem: str, data: dict[str, Any]):
    name = str(data.get("name") or stem)
    base = {}
    for key in BASE_KEYS:
        base.update(_params_only(data.get(key)))
    scenarios = data.get("scenarios")
    if not isinstance(scenarios, dict):
        return
    for scenario, table in scenarios.items():
        if not isinstance(table, dict):
            continue
        changes = {**base, **_params_only(table.get("changes", table)), **_params_only(table.get("params", {}))}
        changes.pop("n_customers", None)  # the app keeps its own market size (speed in class)
        try:
            validate(changes)
        except ParameterError as exc:
            out.problems.append(f"{stem}.toml [scenarios.{scenario}]: {exc}")
            continue
        key = f"{name}/{scenario}"
        labels = {lang: str(table[f"label_{lang}"]) for lang in LANGS if f"label_{lang}" in table}
        out.presets[key] = Preset(key, name, str(scenario), changes, str(table.get("label", "")),
                                  str(table.get("description", "")), labels)
