"""`lealtad lessons [--quick] [--out DIR]`: regenerate every figure and results table the lessons use."""

from __future__ import annotations

import sys
import time
from pathlib import Path


def add_parser(sub):
    p = sub.add_parser("lessons", help="run the teaching lessons' scenarios and regenerate their figures and tables")
    p.add_argument("--quick", action="store_true",
                   help="small runs (3 replications, 2,000 people): a first look, and what CI runs")
    p.add_argument("--out", type=Path, default=None,
                   help="folder for figures and tables (default docs/teaching/figures, which also rewrites "
                        "the results section of each lesson page)")
    p.add_argument("--lesson", type=int, action="append", metavar="N",
                   help="only lesson N (repeatable; default: every lesson)")
    p.add_argument("--workers", type=int, default=None, help="processes to use (default: every core)")
    png = p.add_mutually_exclusive_group()
    png.add_argument("--png", dest="png", action="store_true", default=None,
                     help="also export PNG (needs kaleido and a local Chromium)")
    png.add_argument("--no-png", dest="png", action="store_false", help="HTML figures only")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.set_defaults(func=_lessons)


def _lessons(args) -> int:
    from ..io import UserError
    from ..experiments.runner import default_workers
    from .build import DOCS, LessonError, build, png_available
    from ..locale import LANGS
    from .lessons import lesson

    try:
        chosen = [lesson(n) for n in args.lesson] if args.lesson else None
    except KeyError as exc:
        raise UserError(f"--lesson: {exc.args[0]}") from None
    if args.workers is not None and args.workers < 1:
        raise UserError(f"--workers {args.workers} is not allowed; expected a whole number of at least 1")
    if args.png and not png_available():
        raise UserError("--png: PNG export needs the kaleido package and a Chromium on this machine "
                        "(apt-get install chromium; pip install 'lealtad[export]')")
    if args.out is None and not DOCS.is_dir():
        raise UserError(f"no lesson pages at {DOCS} (lealtad is not running from its source folder); "
                        "give --out DIR for the figures and tables")
    out = args.out if args.out is not None else DOCS / "figures"
    if out.exists() and not out.is_dir():
        raise UserError(f"--out {str(out)!r} is a file; give a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"--out {str(out)!r}: cannot create it ({exc.strerror})") from None
    started = time.time()
    try:
        written = build(out, quick=args.quick, workers=args.workers or default_workers(), png=args.png,
                        lessons=chosen, progress=not args.quiet)
    except LessonError as exc:
        raise UserError(str(exc)) from None
    pages = [p for p in written if p.parent.name in LANGS]
    print(f"lealtad lessons: {len(written) - len(pages)} figures and tables in {out}"
          + (f", {len(pages)} lesson pages updated" if pages else "")
          + f" ({time.time() - started:.0f} s)", file=sys.stdout)
    return 0
