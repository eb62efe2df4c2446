"""The classroom game without a browser: set-up checks, codes and who may do what (straight against the
lobby, the server's door), plans within the game's ranges, one shared market per quarter, the SQLite
store resumed after a crash, and saved files that are untrusted."""

import json
import sqlite3

import numpy as np
import pytest

from lealtad.classroom import files
from lealtad.classroom.game import LEVERS, QUARTER_DAYS, Game, PlanError, Setup, clean_code
from lealtad.classroom.lobby import FREE_TRIES, Lobby
from lealtad.classroom.store import Store, StoreError
from lealtad.locale import LANGS

SMALL = {"n_customers": 800, "quarters": 3}


def messages(err: PlanError) -> dict[str, str]:
    return {lang: err.message(lang) for lang in LANGS}


def one_line_each(err: PlanError):
    for lang, text in messages(err).items():
        assert text and "\n" not in text and len(text) < 260, (lang, text)
    assert err.message("es") != err.message("en") and err.message("it") != err.message("en")


@pytest.fixture
def lobby(tmp_path):
    return Lobby(Store(tmp_path / "class.db"))


def new_game(lobby, teams=("Azul", "Rojo"), **setup):
    game = lobby.create({**SMALL, **setup})
    return game, [lobby.add_team(game.teacher_code, name) for name in teams]


# ------------------------------------------------------------------------------------ set-up
BAD_SETUPS = [
    ({"seed": -1}, "'seed' = -1: expected an integer from 0 to 4,294,967,295"),
    ({"seed": 1.5}, "'seed' = 1.5: expected an integer"),
    ({"seed": "7"}, "'seed' = \"7\": expected an integer"),
    ({"quarters": 0}, "'quarters' = 0: expected an integer from 1 to 12"),
    ({"quarters": 13}, "'quarters' = 13"),
    ({"n_customers": 100}, "'n_customers' = 100: expected an integer from 500 to 10,000"),
    ({"budget": 0}, "'budget' = 0: expected a number above 0 and at most 1,000,000,000"),
    ({"budget": float("nan")}, "'budget' = NaN"),
    ({"budget": True}, "'budget' = true"),
    ({"max_changes": 0}, "'max_changes' = 0: expected an integer from 1 to 9"),
    ({"max_changes": 3, "levers": {"training": [0, 1]}}, "'max_changes' = 3: expected an integer from 1 to 1"),
    ({"rivals": 10}, "'rivals' = 10: expected an integer from 0 to 9"),
    ({"deadline_minutes": -5}, "'deadline_minutes' = -5: expected an integer from 0 to 240"),
    ({"levers": {}}, "'levers' = {}: expected a table of at least one policy"),
    ({"levers": {"price": [0, 1]}}, "'price' is not a policy of the game"),
    ({"levers": {"training": [0.5, 1]}}, "'levers.training' = [0.5, 1]: expected [low, high] with 0 <= low <= 0.4"),
    ({"levers": {"training": [0, 2]}}, "'levers.training' = [0, 2]"),
    ({"levers": {"training": [0, "1"]}}, "'levers.training' = [0, \"1\"]"),
    ({"levers": {"training": 1}}, "'levers.training' = 1"),
    ({"network_file": "/etc/passwd"}, "unknown setting 'network_file'; a game has only: seed, quarters"),
]


@pytest.mark.parametrize("fields, words", BAD_SETUPS)
def test_every_bad_setting_is_refused_with_one_clear_line(lobby, fields, words):
    with pytest.raises(PlanError) as err:
        lobby.create({**SMALL, **fields})
    assert words in err.value.message("en")
    one_line_each(err.value)
    assert lobby.games == {} and lobby.store.game_ids() == []  # nothing kept


def test_a_game_starts_every_firm_alike_and_budgets_the_starting_spending():
    game = Game(Setup.of({**SMALL, "rivals": 2}))
    for name in ("A", "B"):
        game.add_team(name)
    assert game.firms == ("team_1", "team_2", "rival_1", "rival_2")
    start = game.policies("team_1")
    assert game.spending(start) <= game.budget <= 1.25 * game.spending(start) + 1000  # rounded up to 1,000 EUR
    assert game.name_of("rival_2", "es") == "Ordenador 2"
    with pytest.raises(PlanError, match="already"):
        game.add_team("A")
    game.close_quarter()
    with pytest.raises(PlanError, match="before the first quarter closes"):
        game.add_team("Late")


def test_a_market_has_at_most_ten_firms():
    game = Game(Setup.of({**SMALL, "rivals": 8}))
    game.add_team("A")
    game.add_team("B")
    with pytest.raises(PlanError) as err:
        game.add_team("C")
    assert "at most 10 firms" in str(err.value)


# ------------------------------------------------------------------------------------- codes
def test_codes_are_random_per_game_and_read_as_typed(lobby):
    game, (azul, rojo) = new_game(lobby)
    other, _ = new_game(lobby)
    codes = {game.teacher_code, azul.code, rojo.code, other.teacher_code}
    assert len(codes) == 4 and all(len(c) >= 8 and c.isalnum() for c in codes)
    typed = "  " + "-".join(azul.code[i:i + 4] for i in (0, 4)).lower() + " "
    assert clean_code(typed) == azul.code
    entry = lobby.enter(typed, "laptop")
    assert (entry.game, entry.role, entry.firm) == (game, "team", "team_1")
    assert lobby.enter(game.teacher_code).role == "teacher"


def test_a_team_code_cannot_act_for_another_team_or_as_the_teacher(lobby):
    game, (azul, rojo) = new_game(lobby)
    lobby.submit(azul.code, {"training": 0.6})
    assert game.pending == {"team_1": {"training": 0.6}}  # the code chose the firm: Azul's, nobody else's
    for teacher_only in (lambda: lobby.close_quarter(azul.code), lambda: lobby.add_team(azul.code, "Intrusos"),
                         lambda: lobby.submit_for(azul.code, "team_2", {"training": 0.1}),
                         lambda: lobby.saved_file(azul.code)):
        with pytest.raises(PlanError, match="Only the teacher"):
            teacher_only()
    with pytest.raises(PlanError, match="team's code"):
        lobby.submit(game.teacher_code, {"training": 0.5})  # the teacher plays for a team by naming it
    assert game.pending == {"team_1": {"training": 0.6}} and game.quarter == 0 and len(game.teams) == 2
    lobby.submit_for(game.teacher_code, "team_2", {"recovery": 0.5})
    assert game.pending["team_2"] == {"recovery": 0.5}
    with pytest.raises(PlanError):
        lobby.submit_for(game.teacher_code, "rival_1", {"recovery": 0.5})


def test_wrong_codes_are_refused_and_repeated_ones_slowed(tmp_path):
    now = [1000.0]
    lobby = Lobby(Store(tmp_path / "x.db"), clock=lambda: now[0])
    game, (azul, _) = new_game(lobby)
    for _ in range(FREE_TRIES):
        with pytest.raises(PlanError) as err:
            lobby.submit("WRONGCODE", {}, source="10.0.0.9")
        assert err.value.key.startswith("Wrong code")
    with pytest.raises(PlanError, match="Too many wrong codes: try again in 3 s") as err:
        lobby.submit(azul.code, {}, source="10.0.0.9")  # even the right code waits: guessing is slowed
    one_line_each(err.value)
    assert lobby.submit(azul.code, {}, source="10.0.0.7") == {}  # another address is not held up
    now[0] += 2.1
    with pytest.raises(PlanError, match="Wrong code"):
        lobby.enter("WRONGAGAIN", "10.0.0.9")
    with pytest.raises(PlanError, match="try again in 5 s"):  # the wait doubles
        lobby.enter(azul.code, "10.0.0.9")
    now[0] += 4.1
    assert lobby.enter(azul.code, "10.0.0.9").firm == "team_1"  # a right code clears the count
    with pytest.raises(PlanError, match="Wrong code"):
        lobby.enter("WRONG", "10.0.0.9")


def test_a_server_open_to_a_network_makes_games_only_with_its_code(tmp_path):
    lobby = Lobby(Store(tmp_path / "x.db"), create_code="SETUPCODE1")
    with pytest.raises(PlanError, match="Wrong code"):
        lobby.create(SMALL, create_code="guess")
    with pytest.raises(PlanError, match="Wrong code"):
        lobby.open_file(files.save(Game(Setup.of(SMALL))), create_code="")
    assert lobby.create(SMALL, create_code="setup-code1").setup.n_customers == 800


# ---------------------------------------------------------------------------------- plans
def test_values_outside_the_game_range_and_other_broken_rules_are_refused(lobby):
    levers = {"training": [0.2, 0.5], "leadership": [0, 1], "advertising": [0, 0.004]}
    game, (azul, _) = new_game(lobby, levers=levers, max_changes=1)
    bad = [({"training": 0.55}, "'Training' = 0.55: not allowed; it must be between 0.2 and 0.5"),
           ({"training": float("nan")}, "'Training' = NaN: not allowed"),
           ({"training": "0.45"}, "'Training' = \"0.45\": not allowed"),
           ({"training": True}, "'Training' = true: not allowed"),
           ({"recovery": 0.5}, "'recovery' is not a policy of the game; you can change: training, leadership"),
           ({"leadership": 0.95}, "may move at most 0.2 per quarter"),
           ({"training": 0.45, "leadership": 0.7}, "Too many changes: 2; at most 1"),
           (["training", 0.5], "'plan' = [\"training\", 0.5]: expected a table")]
    for plan, words in bad:
        with pytest.raises(PlanError) as err:
            lobby.submit(azul.code, plan)
        assert words in err.value.message("en"), plan
        one_line_each(err.value)
    assert game.pending == {} and lobby.store.load(game.id).pending == {}  # nothing sent, nothing kept
    assert lobby.submit(azul.code, {"training": 0.45}) == {"training": 0.45}
    assert game.quarter_range("team_1", "training") == (0.2, 0.5)


def test_cutting_spending_is_allowed_even_over_a_budget_set_below_it(lobby):
    game, (azul, _) = new_game(lobby, budget=1.0)
    assert lobby.submit(azul.code, {"training": 0.2}) == {"training": 0.2}
    with pytest.raises(PlanError, match="budget"):
        lobby.submit(azul.code, {"advertising": 0.0015})


def test_budget_matches_the_model_accounting():
    game = Game(Setup.of({**SMALL, "quarters": 1}))
    game.add_team("T")
    game.close_quarter()
    r = game.model.results()
    mine = r[r.firm == "team_1"]
    p = {k.removeprefix("team_1."): v for k, v in game.model.p.items()}
    paid = np.sum(mine["staff"] * p["daily_wage"] * (1 + p["wage_premium"]) + mine["staff"] * p["training_cost"] * p["training"]) \
        + QUARTER_DAYS * p["advertising"] / 0.001 * p["advertising_cost"] * p["n_customers"]
    assert paid <= game.spending(game.policies("team_1")) + 1e-6  # vacancies are not paid: at most the estimate


# ------------------------------------------------------------------------------- quarters
def test_closing_a_quarter_runs_the_one_market_with_every_teams_plan(lobby):
    game, (azul, rojo) = new_game(lobby, rivals=1, budget=1e6)
    lobby.submit(azul.code, {"training": 0.6})
    lobby.submit(rojo.code, {"advertising": 0.0015})
    lobby.submit(rojo.code, {"advertising": 0.0012})  # a second plan replaces the first
    assert game.submitted() == {"team_1": True, "team_2": True}
    quarter = lobby.close_quarter(game.teacher_code)
    model = game.model
    assert model.firms == ("team_1", "team_2", "rival_1") and model.day == QUARTER_DAYS
    assert model.p["team_1.training"] == 0.6 and model.p["team_2.advertising"] == 0.0012
    assert model.p["rival_1.training"] == model.p["team_2.training"] == pytest.approx(0.4)
    assert quarter.changes["team_1"] == {"training": (pytest.approx(0.4), 0.6)}
    shares = sum(quarter.kpis[f]["market_share"] for f in model.firms)
    r = model.results()
    assert shares == pytest.approx(r[r.day == QUARTER_DAYS - 1]["market_share"].sum())
    assert quarter.kpis["team_1"]["profit"] == pytest.approx(r[r.firm == "team_1"]["profit"].sum())
    ranking = game.ranking()
    assert list(ranking["rank"]) == [1, 2, 3] and ranking["cumulative_profit"].is_monotonic_decreasing
    assert game.pending == {} and game.submitted() == {"team_1": False, "team_2": False}
    lobby.close_quarter(game.teacher_code)  # a team that sends nothing keeps its policies
    assert model.p["team_1.training"] == 0.6 and model.day == 2 * QUARTER_DAYS
    rival = game.quarters[1].changes["rival_1"]  # the computer moved toward the leader of quarter 1
    leader = game.market_table().query("quarter == 1").sort_values("cumulative_profit").iloc[-1]["firm"]
    assert all(np.sign(new - old) == np.sign(game.policies(leader)[k] - old) for k, (old, new) in rival.items())
    lobby.close_quarter(game.teacher_code)
    with pytest.raises(PlanError, match="game is over"):
        lobby.close_quarter(game.teacher_code)
    with pytest.raises(PlanError, match="game is over"):
        lobby.submit(azul.code, {})


def test_a_quarter_closes_by_itself_at_its_deadline(lobby):
    game, (azul, _) = new_game(lobby, deadline_minutes=10)
    lobby.submit(azul.code, {"training": 0.6})
    assert lobby.close_due(game.opened_at + 599) == [] and game.quarter == 0
    assert lobby.close_due(game.opened_at + 600) == [game.id] and game.quarter == 1
    assert game.model.p["team_1.training"] == 0.6 and lobby.store.load(game.id).quarter == 1


def test_the_same_decisions_give_the_same_numbers_and_another_decision_other_numbers():
    def play(plan):
        game = Game(Setup.of({**SMALL, "seed": 5}))
        game.add_team("A")
        game.add_team("B")
        game.submit("team_1", plan)
        return game.close_quarter().kpis

    assert play({"leadership": 0.8}) == play({"leadership": 0.8})
    assert play({"leadership": 0.8})["team_1"]["profit"] != play({})["team_1"]["profit"]


# ----------------------------------------------------------------------------------- store
def test_a_crashed_server_resumes_the_game_exactly(tmp_path):
    """Kill the lobby and its game, reload from the SQLite file, go on: the numbers of an uninterrupted game."""
    path = tmp_path / "class.db"

    def first_half(lobby):
        game, (azul, rojo) = new_game(lobby, rivals=1, seed=11)
        lobby.submit(azul.code, {"training": 0.6, "wage_premium": 0.1})
        lobby.submit(rojo.code, {"tangibles": 0.7})
        lobby.close_quarter(game.teacher_code)
        lobby.submit(azul.code, {"leadership": 0.8})  # sent, and then the server dies
        return game, azul, rojo

    def second_half(lobby, game, rojo):
        lobby.submit(rojo.code, {"recovery": 0.6})
        lobby.close_quarter(game.teacher_code)
        lobby.close_quarter(game.teacher_code)
        return [q.kpis for q in game.quarters], game.model.results()

    whole = Lobby(Store(tmp_path / "whole.db"))
    game, _, rojo = first_half(whole)
    expected, expected_days = second_half(whole, game, rojo)

    crashed = Lobby(Store(path))
    game, azul, rojo = first_half(crashed)
    del crashed, game  # no goodbye: what was committed is all there is
    resumed = Lobby(Store(path))
    [game] = resumed.games.values()
    assert game.quarter == 1 and game.pending == {"team_1": {"leadership": 0.8}}
    assert resumed.enter(azul.code).firm == "team_1"  # the same codes
    kpis, days = second_half(resumed, game, rojo)
    assert kpis == expected
    assert days.equals(expected_days)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_damaged_database_gets_one_line_naming_the_game(tmp_path):
    path = tmp_path / "class.db"
    lobby = Lobby(Store(path))
    game, _ = new_game(lobby)
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO plans VALUES (?, 1, 1, ?)", (game.id, '{"training": 9}'))
    with pytest.raises(StoreError) as err:
        Lobby(Store(path))
    assert str(err.value) == (f"--db {path}: game {game.id}: Azul · 1: 'Training' = 9: not allowed; "
                              "it must be between 0 and 1.")
    not_a_db = tmp_path / "notes.txt"
    not_a_db.write_text("x" * 2000)
    with pytest.raises(StoreError, match="cannot use it as a game database"):
        Store(not_a_db)


# ------------------------------------------------------------------------------ saved files
def played_game() -> Game:
    game = Game(Setup.of({**SMALL, "seed": 9, "rivals": 1}))
    game.add_team("Azul")
    game.add_team("Rojo")
    game.submit("team_1", {"training": 0.6})
    game.close_quarter()
    game.submit("team_2", {"leadership": 0.7})
    game.close_quarter()
    return game


def test_a_saved_game_replays_to_the_same_numbers_with_new_codes(lobby):
    game = played_game()
    text = files.save(game)
    assert game.teacher_code not in text and game.teams["team_1"].code not in text
    opened = lobby.open_file(text.encode())
    assert opened.setup == game.setup and [t.name for t in opened.teams.values()] == ["Azul", "Rojo"]
    assert [q.kpis for q in opened.quarters] == [q.kpis for q in game.quarters]
    assert opened.teacher_code != game.teacher_code
    resumed = Lobby(lobby.store).games[opened.id]  # and it is in the database, quarters and all
    assert [q.kpis for q in resumed.quarters] == [q.kpis for q in game.quarters]
    lobby.close_quarter(opened.teacher_code)
    assert opened.quarter == 3


GOOD = {"format": "lealtad classroom game", "version": 2, "setup": {"n_customers": 800, "quarters": 2},
        "teams": {"A": [{"training": 0.5}]}}
GONE = object()


def saved(setup=None, teams=None, **fields) -> str:
    data = {**GOOD, **fields}
    data["setup"] = {**GOOD["setup"], **setup} if isinstance(setup, dict) else GOOD["setup"] if setup is None else setup
    data["teams"] = GOOD["teams"] if teams is None else teams
    return json.dumps({k: v for k, v in data.items() if v is not GONE})


BAD_FILES = [
    ("{not json", "it is not JSON (line 1, column 2)"),
    (b"\xff\xff\xff", "it is not JSON text"),
    ("[1, 2]", "it is not a saved lealtad classroom game"),
    ('{"format": "something else"}', "it is not a saved lealtad classroom game"),
    (saved(version=1), "version 1; this lealtad reads version 2"),
    (" " * (files.MAX_FILE_BYTES + 1), "a saved game has at most 256 kB"),
    ("[" * 50_000 + "]" * 50_000, "nested more than 4 levels deep"),
    (saved(teams={"A": [[[{"training": 0.5}]]]}), "nested more than 4 levels deep"),
    (saved().replace('"quarters": 2', '"quarters": NaN'), "NaN is not allowed: numbers must be finite"),
    (saved().replace('"quarters": 2', '"quarters": -Infinity'), "-Infinity is not allowed"),
    (saved().replace('"quarters": 2', '"quarters": 1e400'), "1e400 is not allowed"),
    (saved(network_file="/etc/passwd"), "unknown field 'network_file'; a saved game has only: format, version"),
    (saved(teams=GONE), "field 'teams' is missing"),
    (saved(setup=[1]), "'setup' = [1]: expected a table of the game's settings"),
    (saved(setup={"seed": -1}), "'seed' = -1: expected an integer from 0 to 4,294,967,295"),
    (saved(setup={"quarters": 13}), "'quarters' = 13: expected an integer from 1 to 12"),
    (saved(setup={"network": "file"}), "unknown setting 'network'"),
    (saved(setup={"levers": {"training": [0, 7]}}), "'levers.training' = [0, 7]"),
    (saved(setup={"n_customers": 100}), "'n_customers' = 100: expected an integer from 500 to 10,000"),
    (saved(teams={f"T{i}": [] for i in range(11)}), "11 teams; a game has at most 10"),
    (saved(teams={"A": {}}), "'teams.A' = {}: expected a list of quarterly plans"),
    (saved(teams={"A": [{"training": "0.5"}]}), "'teams.A.training' = \"0.5\": expected a number"),
    (saved(teams={"A": [{"training": True}]}), "'teams.A.training' = true: expected a number"),
    (saved(teams={"A": [{}], "B": [{}, {}]}), "plans for different numbers of quarters (1, 2)"),
    (saved(teams={"A": [{"price": 30}]}), "A · 1: 'price' is not a policy of the game"),
    (saved(teams={"A": [{}, {}, {}]}), "A · 3: The game is over: it had 2 quarters"),
    (saved(teams={"A": [{"training": 2}]}), "A · 1: 'Training' = 2: not allowed; it must be between 0 and 1"),
    (saved(setup={"max_changes": 1}, teams={"A": [{"training": 0.5, "leadership": 0.7}]}), "A · 1: Too many changes: 2"),
    (saved(teams={"x" * 41: []}), "A team name has 1 to 40 letters"),
    (saved(setup={"rivals": 9}, teams={"A": [], "B": []}), "at most 10 firms"),
]


@pytest.mark.parametrize("text, words", BAD_FILES)
def test_a_bad_game_file_gets_one_message_in_the_page_language(lobby, text, words):
    with pytest.raises(PlanError) as err:
        lobby.open_file(text)
    assert err.value.key == "Cannot open that game: {error}"
    assert words in err.value.message("en")
    assert err.value.message("es").startswith("No se puede abrir esa partida: ")
    assert err.value.message("it").startswith("Impossibile aprire questa partita: ")
    for lang in LANGS:
        message = err.value.message(lang)
        assert "\n" not in message and len(message) < 260 and "root:" not in message
    assert lobby.games == {} and lobby.store.game_ids() == []


def test_random_damage_to_a_saved_file_never_crashes(lobby):
    assert files.load(saved()).quarter == 1
    text = saved(teams={"A": [{"training": 0.5}, {"leadership": 0.7}]}).encode()
    rng = np.random.default_rng(0)
    for _ in range(100):  # flip, drop or insert a few bytes: a PlanError or a game, nothing else
        damaged = bytearray(text)
        for _ in range(int(rng.integers(1, 4))):
            i = int(rng.integers(0, len(damaged)))
            kind = rng.integers(0, 3)
            if kind == 0:
                damaged[i] = int(rng.integers(32, 127))
            elif kind == 1:
                del damaged[i]
            else:
                damaged.insert(i, int(rng.choice(list(b'{}[],:"0.e-9'))))
        try:
            files.load(bytes(damaged))
        except PlanError as exc:
            assert exc.message("es")


def test_every_lever_default_lies_in_its_widest_range():
    game = Game(Setup())
    start = game.start_policies()
    assert all(LEVERS[k].low <= v <= LEVERS[k].high for k, v in start.items())
