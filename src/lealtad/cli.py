"""The `lealtad` command. Each room of the package (experiments, reporting, visualisation,
validation, teaching) adds its own subcommand through an ``add_parser(subparsers)`` function,
listed in ROOMS; this file only knows the model."""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from .io import UserError, check_outputs, write_table, write_tables
from .params import ParameterError, parse_assignments, table_rows, to_json, validate

# Modules that contribute subcommands: each defines add_parser(subparsers).
ROOMS: list[str] = ["lealtad.experiments.cli", "lealtad.experiments.explore_cli", "lealtad.report.cli", "lealtad.viz.cli", "lealtad.validation.cli", "lealtad.teaching.cli"]


def build_parser() -> argparse.ArgumentParser:
    """The whole command line: every subcommand and its options (also used by the tests that check
    the documentation's commands parse)."""
    parser = OneLineParser(prog="lealtad", description="Customer loyalty on the service-profit chain.")
    sub = parser.add_subparsers(dest="command", required=True)
    _add_run(sub)
    _add_params(sub)
    _add_plan(sub)
    for room in ROOMS:
        importlib.import_module(room).add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args) or 0
    except BrokenPipeError:  # e.g. `lealtad params | head`
        sys.stderr.close()
        return 0
    except (ParameterError, UserError, OSError) as exc:  # OSError: missing, unreadable or full files
        print(f"lealtad {args.command}: error: {one_line(str(exc))}", file=sys.stderr)
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
                   help="change a parameter (repeatable): market-wide NAME=VALUE or a firm's FIRM.NAME=VALUE; "
                        "see `lealtad params`")
    p.add_argument("--firms", help="the market's firms: a number (1-10) or names separated by commas "
                                   "(default: company,competitor)")
    p.add_argument("--out", type=Path, help="write the daily outputs to FILE.csv or FILE.parquet")
    p.add_argument("--snapshot", type=Path, help="write the final customer table to FILE.csv or FILE.parquet")
    p.add_argument("--allow-large", action="store_true",
                   help="run even if the estimated memory or time is beyond this machine's limits")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_run)


def _run(args) -> int:
    from tqdm import tqdm

    from . import limits
    from .model import LoyaltyModel
    from .report_text import headline

    changes = parse_assignments(args.changes)
    if args.firms is not None:
        changes["firms"] = args.firms
    params = validate(changes)
    limits.whole_number(args.steps, "--steps", 1, limits.MAX_STEPS)
    check_outputs({"--out": args.out, "--snapshot": args.snapshot}, (".csv", ".parquet"))
    limits.check(limits.run_cost(params, args.steps),
                 f"this run ({params['n_customers']:,} customers x {args.steps:,} days)", args.allow_large)
    if args.seeds > 1:
        return _run_seeds(args, params)
    with limits.allowing_large(args.allow_large), \
            tqdm(total=args.steps, desc="simulating", unit="day", disable=args.quiet or None, file=sys.stderr) as bar:
        model = LoyaltyModel(rng=args.seed, **params).run(args.steps, progress=bar.update)
    results = model.results()
    print(headline(results, steps=args.steps, seed=args.seed))
    outputs = [(option, table, path) for option, path, table in
               (("--out", args.out, results), ("--snapshot", args.snapshot, model.customer_table))
               if path is not None]
    try:  # both files or neither: a failed snapshot does not leave the daily outputs behind
        write_tables([(table() if callable(table) else table, path) for _, table, path in outputs])
    except OSError as exc:
        failed = next((o for o, _, p in outputs if str(p) == exc.filename), outputs[0][0])
        raise UserError(f"{failed} {exc.filename!r}: cannot write it ({exc.strerror or exc})") from None
    for option, _, path in outputs:
        print(f"{'daily outputs' if option == '--out' else 'customer snapshot'}: {path}")
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
        name = r["name"] if r["scope"] == "market" else f"FIRM.{r['name']}"
        print(f"  {name:<34} {str(r['default']):<12} {r['allowed']:<34} {r['unit']}")
        print(f"      {r['description']}" + (f"  ({r['source']})" if r["source"] else "")
              + ("" if r["changes"] == "next day" else f"  [changes: {'start only' if r['changes'] == 'start' else 'at once, through a staffing review'}]"))
    return 0


# ----------------------------------------------------------------------------------------- plan
def _add_plan(sub):
    p = sub.add_parser("plan", help="the modules of one day, in order, with the share of time each takes on a default run")
    p.add_argument("--steps", type=_positive_int, default=365, help="days of the timed run (default 365)")
    p.set_defaults(func=_plan)


def _plan(args) -> int:
    from .model import LoyaltyModel

    table = LoyaltyModel(rng=42).run(args.steps).plan()
    print(f"one day = these modules in this order (time share over a default run of {args.steps} days)")
    for row in table.itertuples():
        print(f"{row.order:>3}. {row.module:<14} {100 * row.share:5.1f} %  {row.summary}")
    return 0


# -------------------------------------------------------------------------------------- helpers
class OneLineParser(argparse.ArgumentParser):
    """argparse, with its errors on one line like every other error (no usage block; --help has it)."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {one_line(message)} (see {self.prog} --help)\n")


def one_line(message: str) -> str:
    """A message kept to one line: control characters a user typed (a name with a carriage return or
    a newline in it) are shown escaped, as Python would write them."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in message)


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
