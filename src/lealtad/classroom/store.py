"""Games kept in an embedded SQLite database (write-ahead log), one small transaction per change.

What is kept is a game's facts, never its numbers: the set-up and codes, the teams, every plan sent
and every quarter closed. A restarted server replays them (`game.replay`) from the seed under common
random numbers, which gives back exactly the numbers of the game it was running. A database is read
like a saved file: every fact meets the rules again, so a damaged one gets a clear message.

    games  (id, teacher_code, setup, created, opened)   opened: when the open quarter opened
    teams  (game, position, name, code)                 position 1 is the firm team_1, ...
    plans  (game, quarter, position, plan)              the plan a team sent for a quarter (JSON)
    closed (game, quarter, at)                          quarters closed, 1-based
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path

from ..locale import N_
from .game import Game, PlanError, Setup, Team, replay

SCHEMA = """
CREATE TABLE IF NOT EXISTS games (id TEXT PRIMARY KEY, teacher_code TEXT NOT NULL UNIQUE, setup TEXT NOT NULL,
                                  created REAL NOT NULL, opened REAL NOT NULL);
CREATE TABLE IF NOT EXISTS teams (game TEXT NOT NULL REFERENCES games(id), position INTEGER NOT NULL,
                                  name TEXT NOT NULL, code TEXT NOT NULL UNIQUE, PRIMARY KEY (game, position));
CREATE TABLE IF NOT EXISTS plans (game TEXT NOT NULL REFERENCES games(id), quarter INTEGER NOT NULL,
                                  position INTEGER NOT NULL, plan TEXT NOT NULL, PRIMARY KEY (game, quarter, position));
CREATE TABLE IF NOT EXISTS closed (game TEXT NOT NULL REFERENCES games(id), quarter INTEGER NOT NULL,
                                   at REAL NOT NULL, PRIMARY KEY (game, quarter));
"""
MAX_FACT = 20_000   # characters of one stored set-up or plan: anything longer is no game of ours


class StoreError(Exception):
    """A database that cannot be used or holds a game the rules refuse: one line saying which and why."""


def _position(firm: str) -> int:
    return int(firm.rpartition("_")[2])


class Store:
    """``Store(path)`` opens (or creates) the database; ``":memory:"`` keeps games for one run only."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        self._lock = threading.Lock()  # one connection shared by the server's threads, one at a time
        try:
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")      # readers never block the writer; a crash keeps
            self._db.execute("PRAGMA synchronous=FULL")      # every committed change
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.executescript(SCHEMA)
        except sqlite3.Error as exc:
            raise StoreError(f"--db {self.path}: cannot use it as a game database ({exc})") from None

    def close(self):
        with self._lock:
            self._db.close()

    def _write(self, *statements: tuple[str, tuple]):
        """Statements in one transaction: all of them are kept, or none."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for sql, args in statements:
                    self._db.execute(sql, args)
            except sqlite3.Error as exc:  # a full disk, or another server writing to the same file
                self._db.execute("ROLLBACK")
                raise PlanError(N_("The game could not be kept in its database: {error}"), error=str(exc)[:80]) from None
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    # ---------------------------------------------------------------------------------- changes
    def add_game(self, game: Game):
        self._write(("INSERT INTO games VALUES (?, ?, ?, ?, ?)",
                     (game.id, game.teacher_code, json.dumps(game.setup.fields()), time.time(), game.opened_at)),
                    *[self._team_row(game, team) for team in game.teams.values()],
                    *[self._plan_row(game, firm, plan) for firm, plan in game.pending.items()])
        # a game opened from a file arrives with quarters already played: they are facts too
        for q in game.quarters:
            self._write(*[("INSERT INTO plans VALUES (?, ?, ?, ?)", (game.id, q.number, _position(firm),
                                                                      json.dumps({k: new for k, (_, new) in ch.items()})))
                          for firm, ch in q.changes.items() if firm in game.teams],
                        ("INSERT INTO closed VALUES (?, ?, ?)", (game.id, q.number, game.opened_at)))

    def add_team(self, game: Game, team: Team):
        self._write(self._team_row(game, team))

    def put_plan(self, game: Game, firm: str, plan: dict[str, float]):
        self._write(self._plan_row(game, firm, plan))

    def close_quarter(self, game: Game, number: int, at: float):
        self._write(("INSERT INTO closed VALUES (?, ?, ?)", (game.id, number, at)),
                    ("UPDATE games SET opened = ? WHERE id = ?", (at, game.id)))

    def _team_row(self, game: Game, team: Team):
        return "INSERT INTO teams VALUES (?, ?, ?, ?)", (game.id, _position(team.firm), team.name, team.code)

    def _plan_row(self, game: Game, firm: str, plan: dict[str, float]):
        return ("INSERT OR REPLACE INTO plans VALUES (?, ?, ?, ?)",
                (game.id, game.quarter + 1, _position(firm), json.dumps(plan)))

    # ----------------------------------------------------------------------------------- replay
    def game_ids(self) -> list[str]:
        with self._lock:
            return [row[0] for row in self._db.execute("SELECT id FROM games ORDER BY created")]

    def load(self, game_id: str) -> Game:
        """The game as it was at its last change, replayed from its facts."""
        with self._lock:
            gid, teacher, setup, _, opened = self._db.execute("SELECT * FROM games WHERE id = ?", (game_id,)).fetchone()
            teams = self._db.execute("SELECT position, name, code FROM teams WHERE game = ? ORDER BY position",
                                     (gid,)).fetchall()
            plans = self._db.execute("SELECT quarter, position, plan FROM plans WHERE game = ?", (gid,)).fetchall()
            closed = self._db.execute("SELECT count(*) FROM closed WHERE game = ?", (gid,)).fetchone()[0]
        try:
            if [p for p, _, _ in teams] != list(range(1, len(teams) + 1)):
                raise PlanError(N_("its teams are not numbered 1 to {n}"), n=len(teams))
            names = {p: n for p, n, _ in teams}
            by_quarter: list[dict[str, dict]] = [{} for _ in range(closed + 1)]
            for quarter, position, plan in plans:
                if not 1 <= quarter <= closed + 1 or position not in names:
                    raise PlanError(N_("a plan of quarter {quarter} for team {team} that does not exist"),
                                    quarter=quarter, team=position)
                by_quarter[quarter - 1][names[position]] = _fact(plan)
            return replay(Setup.of(_fact(setup)), [n for _, n, _ in teams], by_quarter[:closed], by_quarter[closed],
                          game_id=gid, teacher_code=teacher, codes=[c for _, _, c in teams], opened_at=opened)
        except PlanError as exc:
            raise StoreError(f"--db {self.path}: game {gid}: {exc.message('en')}") from None


def _fact(text) -> dict:
    """A stored set-up or plan: JSON of a table, not too long."""
    if not isinstance(text, str) or len(text) > MAX_FACT:
        raise PlanError(N_("a stored value that is not a game's"))
    try:
        value = json.loads(text)
    except ValueError:
        raise PlanError(N_("a stored value that is not a game's")) from None
    if not isinstance(value, dict):
        raise PlanError(N_("a stored value that is not a game's"))
    return value

