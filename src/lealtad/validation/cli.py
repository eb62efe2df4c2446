"""`lealtad validate [--quick] [--out DIR]`: run the validation suite, print one line per check and
write an HTML report. Exit status 1 if a verification check fails (a bug: the model no longer
reproduces its mathematics); face-validity and stylised-fact misses are printed and reported but do
not fail the command, because they are evidence about the calibration, not about correctness."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path


def add_parser(subparsers):
    p = subparsers.add_parser("validate", help="check the model against its mathematics and the published facts")
    p.add_argument("--quick", action="store_true", help="smaller populations and fewer replications (about a minute or two)")
    p.add_argument("--out", type=Path, default=Path("results/validation"),
                   help="folder for validation.html (default results/validation)")
    p.add_argument("--only", choices=("verification", "face", "facts"), action="append",
                   help="run only this family of checks (repeatable)")
    p.set_defaults(func=_validate)


def _check_folder(folder: Path):
    from ..io import UserError

    if folder.exists() and not folder.is_dir():
        raise UserError(f"--out {str(folder)!r} is a file; give a folder")
    existing = next((parent for parent in [folder, *folder.parents] if parent.exists()), Path("."))
    if not os.access(existing, os.W_OK):
        raise UserError(f"--out {str(folder)!r}: {str(existing)!r} is not writable")


def _validate(args) -> int:
    from tqdm import tqdm

    from . import face_validity, report, stylised_facts, verification

    _check_folder(args.out)
    families = {"verification": verification, "face": face_validity, "facts": stylised_facts}
    chosen = args.only or list(families)
    start = time.time()
    checks = []
    with tqdm(desc="validating", unit="step", file=sys.stderr, disable=None) as bar:
        def progress(label):
            bar.set_postfix_str(label)
            bar.update(1)
        for name in chosen:
            checks += families[name].run(quick=args.quick, progress=progress)
    seconds = time.time() - start
    for c in checks:
        print(c.line())
    path = report.write(checks, args.out, args.quick, seconds)
    tested = [c for c in checks if not c.restates_input]
    failed = [c for c in tested if not c.passed]
    broken = [c for c in failed if c.family == "verification"]
    print(f"\n{len(tested) - len(failed)} of {len(tested)} checks pass in {seconds:.0f} s "
          f"({len(broken)} verification failures); {len(checks) - len(tested)} more restate an input (INPUT); "
          f"report: {path}")
    return 1 if broken else 0
