"""The validation report: one self-contained HTML page (plotly inlined, so it opens offline)."""

from __future__ import annotations

import html
import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import plotly.io as pio

from .common import Check

FAMILIES = {
    "verification": "Verification against mathematics (must pass)",
    "face validity": "Face validity of the service-profit chain",
    "stylised fact": "Stylised facts under the default calibration (reported, not tuned one by one)",
}


def render(checks: list[Check], quick: bool, seconds: float) -> str:
    """The report as an HTML string."""
    tested = [c for c in checks if not c.restates_input]
    passed = sum(c.passed for c in tested)
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'><title>lealtad validation</title>",
        "<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}"
        "table{border-collapse:collapse;width:100%;font-size:.9em}td,th{border:1px solid #ccc;padding:4px;vertical-align:top}"
        ".pass{color:#1a7f37;font-weight:bold}.fail{color:#c62828;font-weight:bold}</style>",
        "</head><body><h1>lealtad: does the model reproduce the theory it encodes?</h1>",
        f"<p>{'Quick' if quick else 'Full'} suite, {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, "
        f"{seconds:.0f} s. {passed} of {len(tested)} checks pass ({len(checks) - len(tested)} more restate an input and are shown as INPUT, not as passes). How each default was chosen, and the limits of "
        "each source, are in docs/calibration.md.</p>",
    ]
    first_figure = True
    for family, title in FAMILIES.items():
        group = [c for c in checks if c.family == family]
        if not group:
            continue
        parts.append(f"<h2>{html.escape(title)}</h2><table><tr><th></th><th>check</th><th>measured</th>"
                     "<th>tolerance / expected</th><th>source</th><th>how</th></tr>")
        for c in group:
            verdict = {"PASS": "<span class='pass'>PASS</span>", "FAIL": "<span class='fail'>FAIL</span>",
                       "INPUT": "<span>INPUT</span>"}[c.verdict]
            parts.append("<tr>" + "".join(f"<td>{x}</td>" for x in (
                verdict, html.escape(c.name), html.escape(c.measured), html.escape(c.tolerance),
                html.escape(c.source), html.escape(c.detail))) + "</tr>")
        parts.append("</table>")
        for c in group:
            if c.figure is not None:
                parts.append(pio.to_html(c.figure, full_html=False, include_plotlyjs="inline" if first_figure else False))
                first_figure = False
    parts.append("</body></html>")
    return "\n".join(parts)


def write(checks: list[Check], folder: Path, quick: bool, seconds: float) -> Path:
    """Write ``folder``/validation.html atomically (a temporary file renamed into place)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "validation.html"
    fd, tmp = tempfile.mkstemp(prefix=".partial-", suffix=".html", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(render(checks, quick, seconds))
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a report is for sharing
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
