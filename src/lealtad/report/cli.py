"""`lealtad report`."""

from __future__ import annotations

from pathlib import Path

FORMATS = ("png", "svg")


def add_parser(sub):
    p = sub.add_parser("report", help="write an interactive HTML report of a finished sweep",
                       description="Write results/NAME/report.html (self-contained, opens offline) from a folder "
                                   "made by `lealtad sweep`.")
    p.add_argument("folder", type=Path, help="results folder, e.g. results/staff_morale")
    p.add_argument("--out", type=Path, help="HTML file to write (default: FOLDER/report.html)")
    p.add_argument("--export", default="", metavar="png,svg",
                   help="also write each figure as PNG and/or SVG into FOLDER/figures (needs lealtad[export])")
    p.set_defaults(func=_report)


def _report(args) -> int:
    from ..io import UserError, check_writable
    from . import write_report

    formats = tuple(f.strip().lower() for f in args.export.split(",") if f.strip())
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise UserError(f"--export {args.export!r}: {', '.join(bad)} is not allowed; expected png, svg or png,svg")
    if args.out:
        check_writable(args.out, (".html",))
    path = write_report(args.folder, args.out, formats)
    print(f"report: {path}")
    return 0
