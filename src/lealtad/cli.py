"""The `lealtad` command. Each room of the package (experiments, reporting, visualisation,
validation, teaching) adds its own subcommand through an ``add_parser(subparsers)`` function,
listed in ROOMS; this file only knows the model."""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from .params import ParameterError, parse_assignments, table_rows, to_json, validate

# Modules that contribute subcommands: each defines add_parser(subparsers).
ROOMS: list[str] = ["lealtad.experiments.cli", "lealtad.experiments.explore_cli", "lealtad.report.cli", "lealtad.viz.cli", "lealtad.validation.cli", "lealtad.teaching.cli"]


class UserError(Exception):
    """A problem with what the user asked for: printed as one line, exit status 2."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lealtad", description="Customer loyalty on the service-profit chain.")
    sub = parser.add_subparsers(dest="command", required=True)
    _add_run(sub)
    _add_params(sub)
    for room in ROOMS:
        importlib.import_module(room).add_parser(sub)
    args = parser.parse_args(argv)
    try:
        return args.func(args) or 0
    except BrokenPipeError:  # e.g. `lealtad params | head`
        sys.stderr.close()
        return 0
    except (ParameterError, UserError, OSError) as exc:  # OSError: missing, unreadable or full files
        print(f"lealtad {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"lealtad {args.command}: interrupted", file=sys.stderr)
        return 130


# ------------------------------------------------------------------------------------------ run
def _add_run(sub):
    p = sub.add_parser("run", help="run one simulation and print headline results per firm")
    p.add_argument("--steps", type=_positive_int, default=365, help="days to simulate (default 365)")
    p.add_argument("--seed", type=_seed, default=42, help="random seed (default 42)")
    p.add_argument("--seeds", type=_positive_int, default=1, metavar="K",
                   help="run K seeds (SEED..SEED+K-1) in parallel; print means and 95%% intervals")
    p.add_argument("--workers", type=_positive_int, help="local processes for --seeds (default: the number of cores)")
    p.add_argument("--set", dest="changes", action="append", default=[], metavar="NAME=VALUE",
                   help="change a parameter (repeatable); see `lealtad params`")
    p.add_argument("--out", type=Path, help="write the daily outputs to FILE.csv or FILE.parquet")
    p.add_argument("--snapshot", type=Path, help="write the final customer table to FILE.csv or FILE.parquet")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_run)


def _run(args) -> int:
    from tqdm import tqdm

    from .model import LoyaltyModel
    from .report_text import headline

    params = validate(parse_assignments(args.changes))
    for path in (args.out, args.snapshot):
        if path is not None:
            check_writable(path, (".csv", ".parquet"))
    if args.seeds > 1:
        return _run_seeds(args, params)
    with tqdm(total=args.steps, desc="simulating", unit="day", disable=args.quiet or None, file=sys.stderr) as bar:
        model = LoyaltyModel(rng=args.seed, **params).run(args.steps, progress=bar.update)
    results = model.results()
    print(headline(results, steps=args.steps, seed=args.seed))
    if args.out:
        write_table(results, args.out)
        print(f"daily outputs: {args.out}")
    if args.snapshot:
        write_table(model.customer_table(), args.snapshot)
        print(f"customer snapshot: {args.snapshot}")
    return 0


def _run_seeds(args, params) -> int:
    from .experiments import replicate
    from .experiments.runner import default_workers

    if args.snapshot:
        raise UserError(f"--snapshot keeps one run's customers; it needs a single seed, not --seeds {args.seeds}")
    data = replicate.run_seeds(params, args.steps, args.seed, args.seeds, args.workers or default_workers(),
                               progress=not args.quiet)
    print(replicate.text(replicate.intervals(data), args.steps, replicate.seeds_of(args.seed, args.seeds)))
    if args.out:
        write_table(data, args.out)
        print(f"daily outputs of every seed: {args.out}")
    return 0


# --------------------------------------------------------------------------------------- params
def _add_params(sub):
    p = sub.add_parser("params", help="list every parameter with its default, range, unit and description")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(func=_params)


def _params(args) -> int:
    if args.format == "json":
        print(to_json())
        return 0
    rows = table_rows()
    group = None
    for r in rows:
        if r["group"] != group:
            group = r["group"]
            print(f"\n[{group}]")
        print(f"  {r['name']:<34} {str(r['default']):<12} {r['allowed']:<34} {r['unit']}")
        print(f"      {r['description']}" + (f"  ({r['source']})" if r["source"] else ""))
    return 0


# -------------------------------------------------------------------------------------- helpers
def check_writable(path: Path, suffixes: tuple[str, ...]):
    """Refuse an output path before any work is done: wrong type, or a folder that cannot take it."""
    if path.suffix.lower() not in suffixes:
        raise UserError(f"output {str(path)!r}: unsupported file type {path.suffix or '(none)'!r}; "
                        f"use one of {', '.join(suffixes)}")
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise UserError(f"output {str(path)!r} is a folder; give a file name")
    if not folder.exists():
        raise UserError(f"output {str(path)!r}: folder {str(folder)!r} does not exist")
    import os

    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise UserError(f"output {str(path)!r}: not writable")


def write_table(df, path: Path):
    """Write CSV or Parquet atomically: to a temporary file first, so no partial file is left."""
    import os
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=".partial-", suffix=path.suffix, dir=path.parent if str(path.parent) else ".")
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes owner-only files; outputs are ordinary files
    try:
        if path.suffix.lower() == ".parquet":
            df.to_parquet(tmp, index=False)
        else:
            df.to_csv(tmp, index=False)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _whole_number(minimum: int):
    """An argparse type: a whole number of at least ``minimum``."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{value} is not allowed; expected a whole number of at least {minimum}")
        return value
    return parse


_positive_int, _seed = _whole_number(1), _whole_number(0)


if __name__ == "__main__":
    sys.exit(main())
