"""The server's door to its games: every action arrives with a code and is checked here.

A teacher's code (one per game) may set the game up, add teams, close a quarter, play for any team
(one screen for the whole class) and see the whole market; a team's code may only send its own
firm's plan and see its own firm. The code alone says who is acting: no action takes a team's name,
so a team's code cannot act for another team, nor as the teacher. Wrong codes are counted per
address; after a few, that address must wait (doubling up to a minute) before any code is checked.

Every change is written to the store before it is made in memory, so a crash loses nothing that a
page showed as done. One ``Game`` object per game lives here, and its lock keeps the browsers of a
class from changing it at the same time.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

from ..locale import N_
from . import files
from .game import Game, PlanError, Quarter, Setup, Team, clean_code
from .store import Store

TEACHER, TEAM = "teacher", "team"
MAX_GAMES = 200        # games one server keeps (each holds a market in memory)
FREE_TRIES = 3         # wrong codes before an address has to wait
FIRST_WAIT, LONGEST_WAIT = 2.0, 60.0   # seconds


@dataclass(frozen=True)
class Pass:
    """Who a code lets in: the game, the role and (for a team) its firm."""
    game: Game
    role: str
    firm: str | None = None


class Throttle:
    """Wrong codes per address: after FREE_TRIES, each more doubles the wait before the next try."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self._failures: dict[str, int] = {}
        self._until: dict[str, float] = {}
        self._lock = threading.Lock()

    def check(self, source: str):
        with self._lock:
            wait = self._until.get(source, 0.0) - self.clock()
        if wait > 0:
            raise PlanError(N_("Too many wrong codes: try again in {seconds} s."), seconds=str(int(wait) + 1))

    def failed(self, source: str):
        with self._lock:
            n = self._failures.get(source, 0) + 1
            self._failures[source] = n
            if n >= FREE_TRIES:
                self._until[source] = self.clock() + min(LONGEST_WAIT, FIRST_WAIT * 2 ** (n - FREE_TRIES))
            if len(self._failures) > 10_000:  # a flood of addresses: forget the oldest rather than grow
                self._failures.pop(next(iter(self._failures)))

    def passed(self, source: str):
        with self._lock:
            self._failures.pop(source, None)
            self._until.pop(source, None)


class Lobby:
    """``Lobby(Store(path))`` loads every game of the database; ``create_code`` (if given) must come
    with a new game, so that a server open to a network does not make games for anyone who asks."""

    def __init__(self, store: Store | None = None, create_code: str | None = None,
                 clock: Callable[[], float] = time.monotonic):
        self.store = store or Store(":memory:")
        self.create_code = create_code
        self.throttle = Throttle(clock)
        self._lock = threading.Lock()
        self.games: dict[str, Game] = {gid: self.store.load(gid) for gid in self.store.game_ids()}

    # ------------------------------------------------------------------------------- the door
    def enter(self, code: str, source: str = "") -> Pass:
        """Who ``code`` is, or PlanError (a wrong code, or an address that must wait)."""
        self.throttle.check(source)
        code = clean_code(code)
        found = None
        for game in list(self.games.values()):  # every code compared in constant time, none skipped
            if secrets.compare_digest(code, game.teacher_code):
                found = Pass(game, TEACHER)
            for team in list(game.teams.values()):
                if secrets.compare_digest(code, team.code):
                    found = Pass(game, TEAM, team.firm)
        if found is None:
            self.throttle.failed(source)
            raise PlanError(N_("Wrong code: check it and type it again."))
        self.throttle.passed(source)
        return found

    def _as_teacher(self, code: str, source: str) -> Game:
        entry = self.enter(code, source)
        if entry.role != TEACHER:
            raise PlanError(N_("Only the teacher can do that."))
        return entry.game

    # -------------------------------------------------------------------------- making games
    def create(self, fields: dict[str, Any], create_code: str = "", source: str = "") -> Game:
        """A new game from the teacher's set-up (PlanError naming the first bad field)."""
        self._may_create(create_code, source)
        return self._keep(Game(Setup.of(fields)))

    def open_file(self, text: str | bytes, create_code: str = "", source: str = "") -> Game:
        """A new game (with new codes) from a saved file: untrusted, checked by `files.load`."""
        self._may_create(create_code, source)
        return self._keep(files.load(text))

    def _may_create(self, create_code: str, source: str):
        if self.create_code is not None:
            self.throttle.check(source)
            if not secrets.compare_digest(clean_code(create_code), self.create_code):
                self.throttle.failed(source)
                raise PlanError(N_("Wrong code: check it and type it again."))
        if len(self.games) >= MAX_GAMES:
            raise PlanError(N_("This server already keeps {limit} games."), limit=MAX_GAMES)

    def _keep(self, game: Game) -> Game:
        with self._lock:
            self.store.add_game(game)
            self.games[game.id] = game
        return game

    # ------------------------------------------------------------------------------- actions
    def add_team(self, code: str, name: str, source: str = "") -> Team:
        game = self._as_teacher(code, source)
        with game.lock:
            team = game.new_team(name)
            self.store.add_team(game, team)
            return game.join(team)

    def submit(self, code: str, plan: dict[str, Any], source: str = "") -> dict[str, float]:
        """A team's plan for its own firm (the code says which), checked against the game's rules."""
        entry = self.enter(code, source)
        if entry.role != TEAM:
            raise PlanError(N_("Type a team's code to send its plan."))
        return self._submit(entry.game, entry.firm, plan)

    def submit_for(self, code: str, firm: str, plan: dict[str, Any], source: str = "") -> dict[str, float]:
        """The teacher sends a team's plan (one screen for the whole class)."""
        game = self._as_teacher(code, source)
        if firm not in game.teams:
            raise PlanError("There is no team called '{name}'.", name=str(firm)[:40])
        return self._submit(game, firm, plan)

    def _submit(self, game: Game, firm: str, plan: dict[str, Any]) -> dict[str, float]:
        with game.lock:
            checked = game.check(firm, plan)
            self.store.put_plan(game, firm, checked)
            return game.submit(firm, checked)

    def close_quarter(self, code: str, source: str = "") -> Quarter:
        return self._close(self._as_teacher(code, source))

    def _close(self, game: Game) -> Quarter:
        with game.lock:
            if game.over:
                raise PlanError(N_("The game is over: it had {quarters} quarters."), quarters=game.setup.quarters)
            if not game.teams:
                raise PlanError("Add at least one team to start.")
            self.store.close_quarter(game, game.quarter + 1, time.time())
            return game.close_quarter()

    def close_due(self, now: float | None = None) -> list[str]:
        """Close every quarter whose deadline has passed; the ids of the games closed."""
        now = time.time() if now is None else now
        closed = []
        for game in list(self.games.values()):
            deadline = game.deadline()
            if deadline is not None and now >= deadline and game.teams:
                try:
                    self._close(game)
                    closed.append(game.id)
                except PlanError:
                    pass  # closed by the teacher a moment ago
        return closed

    def run_clock(self, every: float = 5.0) -> threading.Thread:
        """A background thread that closes quarters at their deadline."""
        def tick():
            while True:
                time.sleep(every)
                self.close_due()

        thread = threading.Thread(target=tick, name="classroom-deadlines", daemon=True)
        thread.start()
        return thread

    def saved_file(self, code: str, source: str = "") -> str:
        game = self._as_teacher(code, source)
        with game.lock:
            return files.save(game)
