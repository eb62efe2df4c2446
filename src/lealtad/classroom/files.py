"""Saved games: a small JSON file with a game's set-up and every team's plans, quarter by quarter.

A file comes from a browser and is untrusted: `read_saved_game` lets through only the game's own
fields, each of its own type, within limits of size and nesting, no NaN or infinity; the set-up and
every plan then meet the same rules as in play (`game.replay`). A file holds no codes: opening it
makes a new game with new codes (a file passed around the class gives nobody a team's place).
"""

from __future__ import annotations

import json
from typing import Any

from ..locale import N_
from ..params import MAX_FIRMS
from .game import Game, PlanError, Setup, clip, field_error, is_number, replay

GAME_FORMAT = "lealtad classroom game"
VERSION = 2                    # 1 was the turn-taking game (each team its own market), retired
FILE_FIELDS = ("format", "version", "setup", "teams")
MAX_FILE_BYTES = 256_000       # a full game of 10 firms and 12 quarters is about 20 kB
MAX_DEPTH = 4                  # JSON nesting: game > setup > levers > [low, high]


def save(game: Game) -> str:
    """The game as JSON: its set-up and each team's plans of the closed quarters."""
    return json.dumps({"format": GAME_FORMAT, "version": VERSION, "setup": game.setup.fields(),
                       "teams": game.decisions()}, indent=1, ensure_ascii=False)


def load(text: str | bytes) -> Game:
    """A game written by `save`, its quarters replayed, or one PlanError ("Cannot open that game: ...")
    naming the field, the value and what is allowed."""
    data = read_saved_game(text)
    try:
        setup = Setup.of(data["setup"])
        names = list(data["teams"])
        closed = len(next(iter(data["teams"].values()), []))
        plans = [{name: data["teams"][name][q] for name in names} for q in range(closed)]
        return replay(setup, names, plans)
    except PlanError as exc:
        raise file_error(exc) from None


def file_error(cause: PlanError) -> PlanError:
    return PlanError("Cannot open that game: {error}", cause=cause)


class _NotFinite(Exception):
    """NaN or an infinite number in a saved file (JSON has neither; Python's reader accepts both)."""


def _finite(text: str) -> float:
    value = float(text)
    if not is_number(value):
        raise _NotFinite(text)
    return value


def _refuse_constant(text: str):
    raise _NotFinite(text)


def _depth(value) -> int:
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    return 0


def read_saved_game(text: str | bytes) -> dict[str, Any]:
    """The fields of a saved game, each of its own type, or PlanError. Checks what the rules of play
    cannot: size, nesting, JSON itself, unknown fields, types and the number of teams."""
    try:
        return _read_saved_game(text)
    except PlanError as exc:
        raise file_error(exc) from None


def _read_saved_game(text: str | bytes) -> dict[str, Any]:
    raw = text.encode("utf-8") if isinstance(text, str) else bytes(text)
    if len(raw) > MAX_FILE_BYTES:
        raise PlanError(N_("the file has {size} kB; a saved game has at most {limit} kB"),
                        size=len(raw) // 1000, limit=MAX_FILE_BYTES // 1000)
    try:
        data = json.loads(raw, parse_constant=_refuse_constant, parse_float=_finite)
    except _NotFinite as exc:
        raise PlanError(N_("{value} is not allowed: numbers must be finite"), value=str(exc)[:40]) from None
    except RecursionError:
        raise PlanError(N_("it is nested more than {limit} levels deep"), limit=MAX_DEPTH) from None
    except json.JSONDecodeError as exc:
        raise PlanError(N_("it is not JSON (line {line}, column {column})"), line=str(exc.lineno),
                        column=str(exc.colno)) from None
    except ValueError:  # not UTF-8 text, or an integer of thousands of digits
        raise PlanError(N_("it is not JSON text")) from None
    if _depth(data) > MAX_DEPTH:
        raise PlanError(N_("it is nested more than {limit} levels deep"), limit=MAX_DEPTH)
    if not isinstance(data, dict) or data.get("format") != GAME_FORMAT:
        raise PlanError(N_("it is not a saved lealtad classroom game"))
    if data.get("version") != VERSION:
        raise PlanError(N_("version {version}; this lealtad reads version {expected}"), version=clip(data.get("version")),
                        expected=str(VERSION))
    unknown = [k for k in data if k not in FILE_FIELDS]
    if unknown:
        raise PlanError(N_("unknown field '{field}'; a saved game has only: {fields}"), field=clip(unknown[0], quoted=False),
                        fields=", ".join(FILE_FIELDS))
    for key in FILE_FIELDS:
        if key not in data:
            raise PlanError(N_("field '{field}' is missing"), field=key)
    for key, phrase in (("setup", N_("a table of the game's settings")),
                        ("teams", N_("a table of team names and their plans"))):
        if not isinstance(data[key], dict):
            raise field_error(key, data[key], PlanError(phrase))
    _check_teams(data["teams"])
    return data


def _check_teams(teams: dict[str, Any]):
    if len(teams) > MAX_FIRMS:
        raise PlanError(N_("{n} teams; a game has at most {limit}"), n=len(teams), limit=MAX_FIRMS)
    lengths = set()
    for name, plans in teams.items():
        where = f"teams.{clip(name, 20, quoted=False)}"
        if not isinstance(plans, list) or not all(isinstance(p, dict) for p in plans):
            raise field_error(where, plans, PlanError(N_("a list of quarterly plans")))
        for plan in plans:
            for lever, value in plan.items():
                if not is_number(value):
                    raise field_error(f"{where}.{clip(lever, 20, quoted=False)}", value, PlanError(N_("a number")))
        lengths.add(len(plans))
    if len(lengths) > 1:
        raise PlanError(N_("the teams have plans for different numbers of quarters ({counts}); they play together"),
                        counts=", ".join(map(str, sorted(lengths))))
