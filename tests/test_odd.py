"""docs/odd.md against the code where a re-implementer depends on its words: the order of one day
(section 3) is the plan, and the random streams the description names are exactly those the code
draws from (a replicator needs every one, and a misspelt one would give other numbers)."""

import re
from pathlib import Path

from lealtad.modules import PLAN

REPO = Path(__file__).resolve().parents[1]
ODD = (REPO / "docs" / "odd.md").read_text(encoding="utf-8")
SOURCE = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "src" / "lealtad").rglob("*.py"))


def section(number: str) -> str:
    start = ODD.index(f"\n## {number}. ")
    return ODD[start:ODD.index("\n## ", start + 1)]


def test_the_process_overview_lists_the_plan_in_order():
    listed = re.findall(r"^\s*\d+\. \*\*([a-z ]+)\*\*", section("3"), flags=re.M)
    assert [name.replace(" ", "_") for name in listed] == [m.name for m in PLAN if m.daily]


def streams_in_code() -> set[str]:
    plain = re.findall(r"\b(?:uniform|normal|exponential|key)\(\"([a-z_/]+)\"", SOURCE)
    per_firm = re.findall(r"\b(?:uniform|normal)\(f\"([a-z_]+)/\{", SOURCE)
    per_position = re.findall(r"position_draws\(m, \"([a-z_]+)\"", SOURCE)
    for names in re.findall(r"\bkeys\(\(([^)]*)\)\)", SOURCE):  # several streams' keys at once
        plain += re.findall(r"\"([a-z_/]+)\"", names)
    return set(plain) | {f"{name}/FIRM" for name in per_firm + per_position}


def test_the_description_names_every_random_stream_of_the_code_and_no_other():
    documented = set(re.findall(r"streams?\s+`([a-z_/A-Z]+)`", ODD)) | set(re.findall(r"`(choice/leave)`", ODD))
    code = streams_in_code() - {"name/FIRM"}  # position_draws' own f"{name}/{firm}" is the helper, not a stream
    assert "talk" in code and "quit/FIRM" in code and "arrival" in code  # the patterns find the streams
    assert documented == code, (documented - code, code - documented)
