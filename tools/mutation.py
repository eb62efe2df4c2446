"""Mutation testing of the chain's rules and modules: put one fault at a time into the code and see
whether the fast model tests notice (see docs/testing.md, "Mutation testing").

    .venv/bin/python tools/mutation.py                      # every mutant, tests/test_rules.py + test_chain.py
    .venv/bin/python tools/mutation.py --list               # the mutants only, no tests run
    .venv/bin/python tools/mutation.py --only satisfaction  # mutants of files whose name contains this
    .venv/bin/python tools/mutation.py --rerun results/mutation.json   # only the survivors of a past run

Why a script and not mutmut or cosmic-ray: four rules of chain.py (commitment, recommend_score,
update_image, adoption_hazard) are compiled by numba inside the word-of-mouth and adoption loops, cached on
disk keyed by the rules' source. mutmut 3 replaces every function by a Python trampoline
(``def trampoline(*args, **kwargs)`` reading ``os.environ``) that numba cannot compile, so
importing the model fails under mutmut; cosmic-ray rewrites the file and starts a new test process
per mutant (which imports the model and compiles the numba loops again: seconds each, ~700 times). This script
uses the standard ``ast`` module to make each mutant, then forks a warmed-up process per mutant,
swaps the code of the one mutated function in place (``function.__code__``), rebuilds the compiled
loops when the mutant is one of the compiled rules, and runs ``pytest -x`` on the fast tests
in the child. A mutant is killed when a test fails (or errors, or runs past the timeout).

Operators (those of mutmut and cosmic-ray, plus the faults of the issue): arithmetic operators
(+ -, * /, ** -> *, & |), a factor of a product dropped (``a * b`` -> ``a``, -> ``b``),
comparisons (< <=, > >=, == !=, is / is not), and/or, a unary -, not or ~ dropped, a number
``c`` -> ``c + 1``, True/False, min <-> max (np.minimum/np.maximum), the branches of np.where
swapped, two neighbouring arguments of a call of a rule (``chain.X(...)``) swapped, and a firm
(or any) index ``x[f]`` -> ``x[0]``. Only code inside functions is mutated: not docstrings, not
strings (stream names and parameter names; a misspelt key fails at once, and a stream's name is
checked by tests of the streams themselves), not the parameter declarations.
"""

from __future__ import annotations

import argparse
import ast
import builtins
import copy
import json
import os
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
TESTS = ["tests/test_rules.py", "tests/test_chain.py"]

# Survivors that are equivalent mutants: the same behaviour for every input the model can give.
# Key: "file:function:line:description" (judge them again when the code changes); value: why it is equivalent (also listed in docs/testing.md).
EQUIVALENT = {
    'chain.py:transaction_satisfaction:99:`d >= 0` -> `d > 0`':
        'at D = 0 both branches give E + g * 0 = E',
    'chain.py:nps:147:`count > 0` -> `count >= 0`':
        'an empty group divides 0 by 0, which gives the same NaN as the default',
    'chain.py:adoption_hazard:176:`1e-12` -> `1.000000000001`':
        'the floor only avoids dividing by zero: degrees are whole numbers and an isolate hears nothing (R = W = 0); for one contact the hazard changes by a factor 1 - 1e-12, below any tolerance the theory gives',
    "demand.py:step:55:`m.streams.uniform('surge', d, theirs) < (factor - 1) * p['purchase_...` -> `m.streams.uniform('surge', d, theirs) <= (factor - 1) * p['purchase...`":
        'a U(0,1) draw against a probability: the draws are (k + 1/2) / 2**53, never 0 or 1, so < and <= differ only when a probability equals a draw exactly (chance ~1e-16 per draw)',
    'demand.py:purchase_gaps:63:`r >= 1` -> `r > 1`':
        'at r = 1 (the largest allowed) the general formula gives log(u) / log(0) = 0, a gap of 1, the same as the shortcut',
    'demand.py:purchase_gaps:63:`1` -> `2`':
        'r >= 2 never holds (purchase_rate <= 1); at r = 1 the general formula gives the same gap of 1',
    "employees.py:step:57:`position_draws(m, 'quit', d, ids) < quit_p` -> `position_draws(m, 'quit', d, ids) <= quit_p`":
        'a U(0,1) draw against a probability: the draws are (k + 1/2) / 2**53, never 0 or 1, so < and <= differ only when a probability equals a draw exactly (chance ~1e-16 per draw)',
    'employees.py:ratio:82:`count > 0` -> `count >= 0`':
        'an empty group divides 0 by 0, which gives the same NaN as the default',
    "encounter.py:step:62:`m.streams.uniform('failure', d, buyers) < chain.failure_probability...` -> `m.streams.uniform('failure', d, buyers) <= chain.failure_probabilit...`":
        'a U(0,1) draw against a probability: the draws are (k + 1/2) / 2**53, never 0 or 1, so < and <= differ only when a probability equals a draw exactly (chance ~1e-16 per draw)',
    "loyalty.py:step:41:`m.streams.uniform('defect', d, buyers) < chain.defection_probabilit...` -> `m.streams.uniform('defect', d, buyers) <= chain.defection_probabili...`":
        'a U(0,1) draw against a probability: the draws are (k + 1/2) / 2**53, never 0 or 1, so < and <= differ only when a probability equals a draw exactly (chance ~1e-16 per draw)',
    'loyalty.py:choose:72:`m.n_firms > 2` -> `m.n_firms >= 2`':
        'the extra draws (pure functions of the streams) are made but not used: with two firms and no noise nothing reads them',
    'loyalty.py:choose:72:`noise > 0` -> `noise >= 0`':
        'with noise 0 the extra draws are unused, or add 0 x Gumbel = 0 to every value',
    'loyalty.py:choose:73:`noise > 0` -> `noise >= 0`':
        'with noise 0 the extra draws are unused, or add 0 x Gumbel = 0 to every value',
    'loyalty.py:choose:81:`1.0` -> `2.0`':
        '-1.0 -> -2.0: any value below every draw (draws are in (0, 1)) excludes the firms that are not tied',
    "satisfaction.py:step:59:`m.streams.uniform('complain', d, buyers) < m.policy['complaint_ease...` -> `m.streams.uniform('complain', d, buyers) <= m.policy['complaint_eas...`":
        'a U(0,1) draw against a probability: the draws are (k + 1/2) / 2**53, never 0 or 1, so < and <= differ only when a probability equals a draw exactly (chance ~1e-16 per draw)',
    "satisfaction.py:step:60:`m.streams.uniform('recover', d, buyers) < m.policy['recovery'][f]` -> `m.streams.uniform('recover', d, buyers) <= m.policy['recovery'][f]`":
        'a U(0,1) draw against a probability: the draws are (k + 1/2) / 2**53, never 0 or 1, so < and <= differ only when a probability equals a draw exactly (chance ~1e-16 per draw)',
    "service.py:apply_strikes:71:`m.streams.uniform(f'strike/{m.firms[f]}', first, m.emp_local[ids]) ...` -> `m.streams.uniform(f'strike/{m.firms[f]}', first, m.emp_local[ids]) ...`":
        'a U(0,1) draw against a probability: the draws are (k + 1/2) / 2**53, never 0 or 1, so < and <= differ only when a probability equals a draw exactly (chance ~1e-16 per draw) (here >= capacity vs > capacity)',
    'service.py:serve:76:`arrivals.size == 0 or free_at.size == 0` -> `arrivals.size == 0 and free_at.size == 0`':
        'every firm keeps at least one open position (staff_target >= 1), and with no arrivals the queue returns the same empty arrays',
    'staffing.py:review:85:`target > open_ids.size` -> `target >= open_ids.size`':
        'at equality it opens 0 positions (no hire, no cost): the same',
    'staffing.py:review:88:`target < open_ids.size` -> `target <= open_ids.size`':
        'at equality it closes 0 positions: the same',
    'word_of_mouth.py:init:50:`4` -> `5`':
        'a fifth slot of `heard` that nothing writes or reads',
}

BINOPS = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult, ast.Pow: ast.Mult,
          ast.FloorDiv: ast.Div, ast.Mod: ast.Mult, ast.BitAnd: ast.BitOr, ast.BitOr: ast.BitAnd,
          ast.BitXor: ast.BitAnd}
CMPOPS = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq,
          ast.NotEq: ast.Eq, ast.Is: ast.IsNot, ast.IsNot: ast.Is, ast.In: ast.NotIn, ast.NotIn: ast.In}
MINMAX = {"min": "max", "max": "min", "minimum": "maximum", "maximum": "minimum"}


def targets() -> list[Path]:
    mods = sorted(p for p in (SRC / "lealtad" / "modules").glob("*.py") if p.name != "__init__.py")
    return [SRC / "lealtad" / "chain.py", *mods]


@dataclass
class Mutant:
    id: str
    file: str          # e.g. "chain.py" or "modules/demand.py"
    module: str        # dotted module name
    function: str      # qualified name of the function that holds it
    line: int
    kind: str
    node: int          # index of the node in ast.walk order
    arg: int           # operator detail (which comparison, which argument, which factor)
    description: str
    status: str = ""
    seconds: float = 0.0

    @property
    def key(self) -> str:
        return f"{Path(self.file).name}:{self.function.split('.')[-1]}:{self.line}:{self.description}"


def _short(node) -> str:
    text = ast.unparse(node)
    return text if len(text) <= 70 else text[:67] + "..."


def _function_nodes(tree):
    """(qualname, node) for every function and method, and the nodes to mutate inside each."""
    out = []

    def visit(body, prefix):
        for stmt in body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                out.append((prefix + stmt.name, stmt))
            elif isinstance(stmt, ast.ClassDef):
                visit(stmt.body, prefix + stmt.name + ".")

    visit(tree.body, "")
    return out


def _inside(fn):
    """Nodes of a function body worth mutating: not its docstring, not annotations, not nested defs' names."""
    body = fn.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
        body = body[1:]
    roots = list(body) + list(fn.args.defaults) + [d for d in fn.args.kw_defaults if d is not None]
    seen = []
    for r in roots:
        for n in ast.walk(r):
            seen.append(n)
    skip = set()
    for n in seen:
        if isinstance(n, ast.AnnAssign):
            skip.update(id(x) for x in ast.walk(n.annotation))
    return [n for n in seen if id(n) not in skip]


def _is_rule_call(call) -> bool:
    f = call.func
    return isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id == "chain"


def _call_name(call):
    f = call.func
    if isinstance(f, ast.Name):
        return f.id
    if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id in ("np", "numpy"):
        return f.attr
    return None


def enumerate_mutants(path: Path) -> list[Mutant]:
    tree = ast.parse(path.read_text())
    index = {id(n): k for k, n in enumerate(ast.walk(tree))}
    rel = str(path.relative_to(SRC / "lealtad"))
    module = "lealtad." + rel[:-3].replace("/", ".")
    out: list[Mutant] = []

    def add(fn, node, kind, arg, before, after):
        desc = f"`{before}` -> `{after}`"
        out.append(Mutant("", rel, module, fn, getattr(node, "lineno", 0), kind, index[id(node)], arg, desc))

    for qual, fn in _function_nodes(tree):
        for n in _inside(fn):
            if isinstance(n, ast.BinOp) and type(n.op) in BINOPS:
                m = copy.deepcopy(n)
                m.op = BINOPS[type(n.op)]()
                add(qual, n, "binop", 0, _short(n), _short(m))
                if isinstance(n.op, ast.Mult):
                    add(qual, n, "drop_factor", 0, _short(n), _short(n.left))
                    add(qual, n, "drop_factor", 1, _short(n), _short(n.right))
            elif isinstance(n, ast.AugAssign) and type(n.op) in BINOPS:
                m = copy.deepcopy(n)
                m.op = BINOPS[type(n.op)]()
                add(qual, n, "augassign", 0, _short(n), _short(m))
            elif isinstance(n, ast.Compare):
                for i, op in enumerate(n.ops):
                    if type(op) in CMPOPS:
                        m = copy.deepcopy(n)
                        m.ops[i] = CMPOPS[type(op)]()
                        add(qual, n, "compare", i, _short(n), _short(m))
            elif isinstance(n, ast.BoolOp):
                m = copy.deepcopy(n)
                m.op = ast.Or() if isinstance(n.op, ast.And) else ast.And()
                add(qual, n, "boolop", 0, _short(n), _short(m))
            elif isinstance(n, ast.UnaryOp) and isinstance(n.op, (ast.USub, ast.Not, ast.Invert)):
                add(qual, n, "unary", 0, _short(n), _short(n.operand))
            elif isinstance(n, ast.Constant) and isinstance(n.value, bool):
                add(qual, n, "bool", 0, repr(n.value), repr(not n.value))
            elif isinstance(n, ast.Constant) and isinstance(n.value, (int, float)):
                add(qual, n, "number", 0, repr(n.value), repr(n.value + 1))
            elif isinstance(n, ast.Call):
                name = _call_name(n)
                if name in MINMAX:
                    m = copy.deepcopy(n)
                    if isinstance(m.func, ast.Name):
                        m.func.id = MINMAX[name]
                    else:
                        m.func.attr = MINMAX[name]
                    add(qual, n, "minmax", 0, _short(n), _short(m))
                if name == "where" and len(n.args) == 3:
                    m = copy.deepcopy(n)
                    m.args[1], m.args[2] = m.args[2], m.args[1]
                    add(qual, n, "where", 0, _short(n), _short(m))
                if _is_rule_call(n):
                    for i in range(len(n.args) - 1):
                        m = copy.deepcopy(n)
                        m.args[i], m.args[i + 1] = m.args[i + 1], m.args[i]
                        add(qual, n, "swap_args", i,
                            f"chain.{n.func.attr}(.., {_short(n.args[i])}, {_short(n.args[i + 1])}, ..)",
                            f"(.., {_short(n.args[i + 1])}, {_short(n.args[i])}, ..)")
            elif isinstance(n, ast.Subscript) and isinstance(n.slice, ast.Name) and isinstance(n.ctx, ast.Load):
                add(qual, n, "index", 0, _short(n), f"{_short(n.value)}[0]")
    for k, m in enumerate(out):
        m.id = f"{rel}:{m.line}:{k}"
    return out


def _parents(tree):
    parent = {}
    for node in ast.walk(tree):
        for field, value in ast.iter_fields(node):
            if isinstance(value, list):
                for i, child in enumerate(value):
                    if isinstance(child, ast.AST):
                        parent[id(child)] = (node, field, i)
            elif isinstance(value, ast.AST):
                parent[id(value)] = (node, field, None)
    return parent


def mutated_source(path: Path, mutant: Mutant) -> str:
    tree = ast.parse(path.read_text())
    nodes = list(ast.walk(tree))
    n = nodes[mutant.node]
    parent = _parents(tree)
    replacement = None
    if mutant.kind in ("binop", "augassign"):
        n.op = BINOPS[type(n.op)]()
    elif mutant.kind == "drop_factor":
        replacement = n.left if mutant.arg == 0 else n.right
    elif mutant.kind == "compare":
        n.ops[mutant.arg] = CMPOPS[type(n.ops[mutant.arg])]()
    elif mutant.kind == "boolop":
        n.op = ast.Or() if isinstance(n.op, ast.And) else ast.And()
    elif mutant.kind == "unary":
        replacement = n.operand
    elif mutant.kind == "bool":
        n.value = not n.value
    elif mutant.kind == "number":
        n.value = n.value + 1
    elif mutant.kind == "minmax":
        name = _call_name(n)
        if isinstance(n.func, ast.Name):
            n.func.id = MINMAX[name]
        else:
            n.func.attr = MINMAX[name]
    elif mutant.kind == "where":
        n.args[1], n.args[2] = n.args[2], n.args[1]
    elif mutant.kind == "swap_args":
        i = mutant.arg
        n.args[i], n.args[i + 1] = n.args[i + 1], n.args[i]
    elif mutant.kind == "index":
        n.slice = ast.Constant(0)
    else:
        raise ValueError(mutant.kind)
    if replacement is not None:
        owner, field, i = parent[id(n)]
        if i is None:
            setattr(owner, field, replacement)
        else:
            getattr(owner, field)[i] = replacement
    ast.fix_missing_locations(tree)
    return ast.unparse(tree)


def _apply(mutant: Mutant, source: str):
    """Swap the mutated function's code into the imported module (in this forked child only)."""
    import importlib

    module = importlib.import_module(mutant.module)
    ns = {"__name__": mutant.module, "__package__": mutant.module.rpartition(".")[0],
          "__file__": module.__file__, "__builtins__": builtins}
    exec(compile(source, module.__file__, "exec"), ns)
    old, new = module, ns
    for part in mutant.function.split("."):
        old = old.__dict__[part] if isinstance(old, type) else getattr(old, part)
        new = new[part] if isinstance(new, dict) else new.__dict__[part]
    old = getattr(old, "__func__", old)
    new = getattr(new, "__func__", new)
    old.__code__ = new.__code__
    old.__defaults__ = new.__defaults__
    if mutant.module == "lealtad.chain" and mutant.function in compiled_rules():
        rebuild_loops(f"mutant {mutant.id}\n{source}")


def compiled_rules() -> tuple[str, ...]:
    """The rules of chain.py that kernels.py compiles (``_NAME = njit(chain.NAME)``)."""
    from lealtad import chain, kernels

    return tuple(name for name in vars(chain)
                 if getattr(getattr(kernels, f"_{name}", None), "py_func", None) is getattr(chain, name))


def rebuild_loops(key: str):
    """Recompile the rules that kernels.py compiles and the loops that apply them (``_rule_loops``),
    and point every lealtad module that imported a loop at the new one (``from ..kernels import adopt``)."""
    import numba

    from lealtad import chain, kernels

    for name in compiled_rules():
        setattr(kernels, f"_{name}", numba.njit(getattr(chain, name)))
    old = {loop.__name__: loop for loop in (getattr(kernels, n, None) for n in ("opinions", "listen", "adopt")) if loop}
    for loop in kernels._rule_loops(key):
        name = loop.__name__
        for module in list(sys.modules.values()):
            if getattr(module, "__name__", "").startswith("lealtad") and getattr(module, name, None) is old.get(name):
                setattr(module, name, loop)


RUNNER = {"cases": None}  # the collected test cases, or None to run pytest itself in each child


def collect(tests: list[str]):
    """The test functions of ``tests``, in file order, parametrizations expanded: a small runner
    for test files that use no fixtures (pytest's own start-up costs ~2 s per mutant here).
    Returns None when a test needs a fixture, and pytest is used instead."""
    import importlib
    import inspect
    import itertools

    cases = []
    for t in tests:
        path, _, only = t.partition("::")
        module = importlib.import_module(Path(path).stem)
        for name, fn in vars(module).items():
            if not (name.startswith("test_") and inspect.isfunction(fn)) or (only and name != only):
                continue
            grids = []
            for mark in reversed(getattr(fn, "pytestmark", [])):
                if mark.name == "skip":
                    grids = None
                    break
                if mark.name != "parametrize":
                    continue
                names = mark.args[0]
                names = [n.strip() for n in names.split(",")] if isinstance(names, str) else list(names)
                values = [v if len(names) > 1 else (v,) for v in mark.args[1]]
                grids.append([dict(zip(names, v)) for v in values])
            if grids is None:
                continue
            needed = set(inspect.signature(fn).parameters)
            for combo in itertools.product(*grids):
                kwargs = {k: v for d in combo for k, v in d.items()}
                if needed - set(kwargs):
                    return None
                cases.append((f"{path}::{name}", fn, kwargs))
    return cases


def run_cases(cases) -> int:
    """1 at the first failing case (pytest -x), 0 when every case passes."""
    import warnings

    warnings.simplefilter("ignore")
    for _, fn, kwargs in cases:
        try:
            fn(**kwargs)
        except Exception:  # noqa: BLE001
            return 1
    return 0


def run_one(mutant: Mutant | None, tests: list[str], timeout: float) -> tuple[str, float]:
    """Fork; in the child apply the mutant and run pytest -x on the tests. Returns (status, seconds)."""
    source = mutated_source(ROOT / "src" / "lealtad" / mutant.file, mutant) if mutant else None
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:  # child
        code = 3
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            if mutant is not None:
                _apply(mutant, source)
            if RUNNER["cases"] is None:
                import pytest

                code = int(pytest.main(["-x", "-q", "-p", "no:cacheprovider", "-o", "addopts=", *tests]))
            else:
                code = run_cases(RUNNER["cases"])
        except BaseException:  # noqa: BLE001 - a mutant that breaks the import is killed too
            code = 4
        finally:
            os._exit(code)
    deadline = start + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            return "timeout", time.monotonic() - start
        time.sleep(0.02)
    seconds = time.monotonic() - start
    code = os.waitstatus_to_exitcode(status)
    return ("survived" if code == 0 else "killed" if code == 1 else f"error({code})"), seconds


def warm_up(tests):
    """Import and compile everything once, the test files too, so that every forked child starts
    warm (a test must reach a kernel through its module, ``kernels.listen``, to see a rebuilt one)."""
    import importlib

    import pytest  # noqa: F401

    from lealtad import LoyaltyModel

    LoyaltyModel(rng=1, n_customers=300).run(2)
    sys.path.insert(0, str(ROOT / "tests"))
    for t in {t.split("::")[0] for t in tests}:
        importlib.import_module(Path(t).stem)


def report(mutants: list[Mutant]) -> str:
    lines = []
    files = sorted({m.file for m in mutants}, key=lambda f: (f != "chain.py", f))
    total_k = total = total_e = 0
    lines.append(f"{'file':28s} {'mutants':>8s} {'killed':>7s} {'equiv.':>7s} {'score':>7s} {'adjusted':>9s}")
    for f in files:
        ms = [m for m in mutants if m.file == f]
        k = sum(m.status != "survived" for m in ms)
        e = sum(m.status == "survived" and m.key in EQUIVALENT for m in ms)
        total_k, total, total_e = total_k + k, total + len(ms), total_e + e
        lines.append(f"{f:28s} {len(ms):8d} {k:7d} {e:7d} {100 * k / len(ms):6.1f}% {100 * k / max(1, len(ms) - e):8.1f}%")
    lines.append(f"{'all':28s} {total:8d} {total_k:7d} {total_e:7d} {100 * total_k / max(1, total):6.1f}% "
                 f"{100 * total_k / max(1, total - total_e):8.1f}%")
    surv = [m for m in mutants if m.status == "survived"]
    if surv:
        lines.append("\nsurvivors:")
        for m in surv:
            why = EQUIVALENT.get(m.key)
            lines.append(f"  {m.file}:{m.line} {m.function}: {m.description}" + (f"  [equivalent: {why}]" if why else ""))
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tests", nargs="+", default=TESTS)
    ap.add_argument("--only", help="only files whose path contains this")
    ap.add_argument("--function", help="only mutants in functions whose name contains this")
    ap.add_argument("--rerun", help="a past run's JSON: test only its survivors")
    ap.add_argument("--json", default=str(ROOT / "results" / "mutation.json"))
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--pytest", action="store_true", help="run pytest itself in each child (slower; for tests with fixtures)")
    ap.add_argument("--timeout", type=float, default=0.0, help="seconds per mutant (default: 10 x the clean run, >= 60)")
    args = ap.parse_args(argv)

    os.chdir(ROOT)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
        os.environ.setdefault(var, "1")  # one thread: the children are forked, and the machine is shared
    os.environ.setdefault("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")  # the fast tests need no plugin
    cache = None
    if "NUMBA_CACHE_DIR" not in os.environ:  # mutated loops compile into a scratch cache, removed at the end
        cache = tempfile.TemporaryDirectory(prefix="lealtad-mutation-numba-")
        os.environ["NUMBA_CACHE_DIR"] = cache.name
    try:
        return _main(args)
    finally:
        if cache is not None:
            cache.cleanup()


def _main(args):
    import warnings

    warnings.filterwarnings("ignore", message=r".*multi-threaded, use of fork", category=DeprecationWarning)
    mutants = [m for p in targets() for m in enumerate_mutants(p)]
    if args.only:
        mutants = [m for m in mutants if args.only in m.file]
    if args.function:
        mutants = [m for m in mutants if args.function in m.function]
    if args.rerun:
        past = {d["id"]: d for d in json.loads(Path(args.rerun).read_text())["mutants"]}
        keep = {i for i, d in past.items() if d["status"] == "survived"}
        done = [m for m in mutants if m.id in past and m.id not in keep]
        for m in done:
            m.status, m.seconds = past[m.id]["status"], past[m.id]["seconds"]
        todo = [m for m in mutants if m.id not in past or m.id in keep]
    else:
        done, todo = [], mutants
    if args.list:
        for m in mutants:
            print(m.id, m.function, m.description)
        print(len(mutants), "mutants")
        return 0

    sys.path.insert(0, str(SRC))
    warm_up(args.tests)
    if not args.pytest:
        RUNNER["cases"] = collect(args.tests)
    status, clean = run_one(None, args.tests, 600)
    if status != "survived":
        print(f"the tests fail without any mutant ({status}): fix them first", file=sys.stderr)
        return 2
    timeout = args.timeout or max(60.0, 10 * clean)
    print(f"clean run: {clean:.1f} s; {len(todo)} mutants to test (timeout {timeout:.0f} s)", flush=True)
    for k, m in enumerate(todo, 1):
        m.status, m.seconds = run_one(m, args.tests, timeout)
        if m.status == "survived" or k % 50 == 0:
            print(f"[{k}/{len(todo)}] {m.status:9s} {m.file}:{m.line} {m.function}: {m.description}", flush=True)
    everything = sorted(done + todo, key=lambda m: mutants.index(m))
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps({"tests": args.tests, "mutants": [asdict(m) for m in everything]}, indent=1))
    print(report(everything))
    return 0


if __name__ == "__main__":
    sys.exit(main())
