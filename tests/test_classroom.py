"""Classroom mode's game logic: quarters, plans within the rules, reports, debrief and team comparison."""

import base64
import json

import numpy as np
import pytest

from lealtad.viz import classroom as C
from lealtad.viz import i18n

SMALL = dict(n_customers=800)


def test_a_quarter_runs_91_days_and_reports_it():
    g = C.Game(seed=3, quarters=2, **SMALL)
    g.add_team("Azul")
    rep = g.play("Azul", {"training": 0.6})
    team = g.team("Azul")
    assert team.model.day == C.QUARTER_DAYS and team.quarter == 1
    assert (rep.first_day, rep.last_day) == (0, C.QUARTER_DAYS - 1)
    assert rep.changes == {"training": (pytest.approx(0.4), 0.6)}
    assert team.model.p["company.training"] == 0.6 and team.model.p["competitor.training"] == pytest.approx(0.4)
    r = team.results()
    company = r[r.firm == "company"]
    assert rep.kpis["profit"] == pytest.approx(company["profit"].sum())
    assert rep.kpis["cumulative_profit"] == pytest.approx(company["cumulative_profit"].iloc[-1])
    assert 0 <= rep.kpis["market_share"] <= 1 and -100 <= rep.kpis["nps"] <= 100
    g.play("Azul", {})
    assert team.quarter == 2 and team.model.day == 2 * C.QUARTER_DAYS
    with pytest.raises(C.PlanError) as err:  # the game is over for this team
        g.play("Azul", {})
    assert "2 quarters" in str(err.value) and team.model.day == 2 * C.QUARTER_DAYS


def test_teams_on_the_same_seed_with_the_same_plans_get_the_same_numbers():
    g = C.Game(seed=5, quarters=2, **SMALL)
    for name in ("A", "B", "C"):
        g.add_team(name)
    g.play("A", {"leadership": 0.8})
    g.play("B", {"leadership": 0.8})
    g.play("C", {})
    a, b, c = (g.team(n).reports[0].kpis for n in "ABC")
    assert a == b                                        # same seed, same plan: identical
    assert a["profit"] != c["profit"]                      # one policy changed: the run differs
    ranking = g.ranking()
    assert list(ranking["rank"]) == [1, 2, 3]
    assert ranking["cumulative_profit"].is_monotonic_decreasing


def test_rules_refuse_bad_plans_and_nothing_is_played():
    g = C.Game(seed=1, quarters=4, **SMALL)
    g.add_team("Rojo")
    bad = [({"price": 40}, "not a policy"), ({"training": 1.5}, "between"), ({"training": "lots"}, "between"),
           ({"leadership": 0.95}, "at most"),  # 0.6 -> 0.95 is more than one quarter's step
           ({"training": 0.6, "leadership": 0.7, "recovery": 0.5, "tangibles": 0.8}, "Too many changes"),
           ({"in_person_staff_per_1000": 6.3, "wage_premium": 0.15, "training": 0.7}, "budget")]
    for plan, words in bad:
        with pytest.raises(C.PlanError) as err:
            g.play("Rojo", plan)
        assert words in err.value.message("en"), plan
        assert err.value.message("es") != err.value.message("en")
    assert g.team("Rojo").model.day == 0 and not g.team("Rojo").reports
    # cutting spending is always allowed, even over a budget set below today's spending
    tight = C.Game(seed=1, budget=1.0, **SMALL)
    tight.add_team("X")
    assert tight.play("X", {"training": 0.1}).kpis["spending"] < tight.spending(
        {k: tight.params[f"company.{k}"] for k in C.LEVERS})
    with pytest.raises(C.PlanError):
        tight.play("X", {"leadership": 0.7, "advertising": 0.0006})


def test_team_names_and_setup_are_checked():
    g = C.Game(**SMALL)
    with pytest.raises(C.PlanError, match="team name"):
        g.add_team("  ")
    g.add_team("Verde")
    with pytest.raises(C.PlanError, match="already"):
        g.add_team("Verde")
    with pytest.raises(C.PlanError, match="no team"):
        g.play("Nadie", {})
    for bad in (dict(seed=-1), dict(quarters=0), dict(n_customers=5)):
        with pytest.raises(C.PlanError):
            C.Game(**{**SMALL, **bad})


def test_budget_matches_the_model_accounting():
    """The plan's spending is the model's own wage, training and advertising costs over 91 days."""
    g = C.Game(seed=2, quarters=1, **SMALL)
    g.add_team("T")
    g.play("T", {})
    r = g.team("T").model.results()
    company = r[r.firm == "company"]
    p = {k.removeprefix("company."): v for k, v in g.params.items()}  # the team's firm's policies by name
    staff = company["staff"].to_numpy()
    # the model pays working staff (vacancies excluded), so its bill is at most the budget's estimate
    paid = np.sum(staff * p["daily_wage"] * (1 + p["wage_premium"]) + staff * p["training_cost"] * p["training"]) \
        + C.QUARTER_DAYS * p["advertising"] / 0.001 * p["advertising_cost"] * p["n_customers"]
    assert paid <= g.spending({k: p[k] for k in C.LEVERS}) + 1e-6
    assert g.budget >= g.spending({k: p[k] for k in C.LEVERS})


def test_reports_debrief_and_comparison_in_every_language():
    g = C.Game(seed=4, quarters=2, **SMALL)
    for name in ("Norte", "Sur"):
        g.add_team(name)
        g.play(name, {"advertising": 0.001} if name == "Norte" else {"recovery": 0.5})
        g.play(name, {})
    for lang in i18n.LANGS:
        table = g.reports_table("Norte", lang)
        assert len(table) == 2 and i18n.t("Decisions", lang) in table.columns
        assert i18n.param_label("advertising", lang) in table.iloc[0][i18n.t("Decisions", lang)]
        fig = C.debrief_figure(g, "Norte", lang)
        assert len(fig.data) == 2 * len(C.DEBRIEF_OUTPUTS)
        assert all(len(tr.x) == 2 * C.QUARTER_DAYS for tr in fig.data)
        comp = C.comparison_figure(g, lang)
        assert {tr.name for tr in comp.data} == {"Norte", "Sur"}
    assert set(g.comparison()["team"]) == {"Norte", "Sur"} and len(g.comparison()) == 4


def test_classroom_words_come_from_the_catalogs():
    error = C.PlanError("Too many changes: {n}; at most {max} per quarter.", n=4, max=3)
    assert str(error) == error.message("en") == "Too many changes: 4; at most 3 per quarter."
    assert error.message("es") == "Demasiados cambios: 4; como máximo 3 por trimestre."
    assert error.message("it") == "Troppi cambiamenti: 4; al massimo 3 per trimestre."


# ------------------------------------------------------------------------ the tab, rendered in-process
def test_classroom_tab_plays_two_quarters_and_shows_the_debrief():
    solara = pytest.importorskip("solara")
    import ipyvuetify as v

    C.game.set(None)
    C.selected.set("")
    box, rc = solara.render(C.Classroom("es"), handle_error=False)

    def button(text):
        return [w for w in rc.find(v.Btn).widgets if text in [c for c in w.children if isinstance(c, str)]][0]

    def html():
        return " ".join(w.unsafe_innerHTML or "" for w in rc.find(solara.widgets.HTML).widgets)

    name = [w for w in rc.find(v.TextField).widgets if w.label == i18n.t("Team name", "es")][0]
    name.v_model = "Azul"
    button(i18n.t("Add team", "es")).click()
    assert "Azul" in C.game.value.teams
    for quarter in (1, 2):
        button(i18n.t("Close the quarter ({days} days)", "es", days=C.QUARTER_DAYS)).click()
        assert C.game.value.team("Azul").quarter == quarter
    import ipywidgets

    def text_of(w):  # every word a widget and its children show (Markdown lives in a template)
        parts = [getattr(w, k, "") for k in ("value", "unsafe_innerHTML", "template", "label", "description")]
        for c in getattr(w, "children", None) or []:
            parts.append(text_of(c) if isinstance(c, ipywidgets.Widget) else c)
        return " ".join(str(p) for p in parts if p)

    shown = text_of(box)
    assert i18n.t("Debrief of the game", "es") in shown and i18n.t("Quarterly reports", "es") in shown
    assert i18n.t("Quarter {quarter} of {quarters}", "es", quarter=3, quarters=4) in shown  # the next turn is offered
    assert i18n.t("Save the game", "es") in shown and i18n.t("Open a saved game", "es") in shown  # to go on next class
    from lealtad.viz.plot import PlotlyView

    figs = rc.find(PlotlyView).widgets
    days = figs[0].figure["data"][0]["x"]
    if isinstance(days, dict):  # plotly's typed-array form
        days = np.frombuffer(base64.b64decode(days["bdata"]), dtype=days["dtype"])
    assert len(days) == 2 * C.QUARTER_DAYS  # the debrief covers both quarters
    C.game.set(None)


def test_a_saved_game_replays_to_the_same_numbers(tmp_path):
    g = C.Game(seed=9, quarters=3, budget=2_000_000, **SMALL)
    for name in ("Azul", "Rojo"):
        g.add_team(name)
    g.play("Azul", {"training": 0.6, "wage_premium": 0.1})
    g.play("Azul", {"leadership": 0.7})
    g.play("Rojo", {})
    path = tmp_path / "game.json"
    path.write_text(g.save())
    h = C.Game.load(path.read_bytes())
    assert (h.seed, h.quarters, h.budget, h.max_changes) == (9, 3, 2_000_000, g.max_changes)
    assert h.params == g.params and list(h.teams) == ["Azul", "Rojo"]
    for name in g.teams:
        old, new = g.team(name), h.team(name)
        assert [r.changes for r in new.reports] == [r.changes for r in old.reports]
        assert [r.kpis for r in new.reports] == [r.kpis for r in old.reports]  # same seed, same numbers
        assert new.policies() == old.policies()
    h.play("Rojo", {"training": 0.5})  # and the game goes on
    assert h.team("Rojo").quarter == 2


# --------------------------------------------------------------------- saved games are untrusted
GOOD = {"format": "lealtad classroom game", "version": 1, "seed": 1, "quarters": 2, "budget": 1e6, "max_changes": 3,
        "params": {"n_customers": 800}, "teams": {"A": [{"training": 0.5}]}}
GONE = object()


def saved(params=None, teams=None, **fields) -> str:
    """GOOD with some fields changed (GONE removes one), as the JSON text a browser would upload."""
    data = {**GOOD, **fields}
    data["params"] = {**GOOD["params"], **params} if isinstance(params, dict) else GOOD["params"] if params is None \
        else params
    data["teams"] = GOOD["teams"] if teams is None else teams
    return json.dumps({k: v for k, v in data.items() if v is not GONE})


BAD_FILES = [  # (what a file holds, words its English message must contain)
    ("{not json", "it is not JSON (line 1, column 2)"),
    (b"\xff\xff\xff", "it is not JSON text"),
    ("[1, 2]", "it is not a saved lealtad classroom game"),
    ('{"format": "something else"}', "it is not a saved lealtad classroom game"),
    (saved(version=7), "version 7; this lealtad reads version 1"),
    (" " * (C.MAX_FILE_BYTES + 1), "a saved game has at most 256 kB"),
    ("[" * 50_000 + "]" * 50_000, "nested more than 4 levels deep"),
    (saved(teams={"A": [[[{"training": 0.5}]]]}), "nested more than 4 levels deep"),
    (saved().replace('"budget": 1000000.0', '"budget": NaN'), "NaN is not allowed: numbers must be finite"),
    (saved().replace('"budget": 1000000.0', '"budget": -Infinity'), "-Infinity is not allowed"),
    (saved().replace('"budget": 1000000.0', '"budget": 1e400'), "1e400 is not allowed"),
    (saved(network_file="/etc/passwd"), "unknown field 'network_file'; a saved game has only: format, version"),
    (saved(teams=GONE), "field 'teams' is missing"),
    (saved(seed="x"), "'seed' = \"x\": expected a number"),
    (saved(seed=-1), "'seed' = -1: expected an integer from 0 to 4,294,967,295"),
    (saved(seed=1.5), "'seed' = 1.5: expected an integer"),
    (saved(quarters=13), "'quarters' = 13: expected an integer from 1 to 12"),
    (saved(max_changes=0), "'max_changes' = 0: expected an integer from 1 to 9"),
    (saved(max_changes=100), "'max_changes' = 100: expected an integer from 1 to 9"),
    (saved(budget=0), "'budget' = 0: expected a number above 0 and at most 1,000,000,000"),
    (saved(budget=1e12), "'budget' = 1000000000000.0: expected a number above 0"),
    (saved(params=[1]), "'params' = [1]: expected a table of parameters"),
    (saved(params={"network": "file"}), "'network' = \"file\": a saved game cannot name a file"),
    (saved(params={"network_file": "/etc/passwd"}), "'network_file' = \"/etc/passwd\": a saved game cannot name a file"),
    (saved(params={"no_such": 1}), "unknown parameter 'no_such'"),
    (saved(params={"company.training": 7}), "params: Training: '7' is not allowed; expected a number from 0 to 1"),
    (saved(params={"company.training": "0.5"}), "params: Training: '0.5' is not allowed"),
    (saved(params={"company.in_person_staff_per_1000": 50}), "'Staff per 1,000 customers, in person' = 50: not allowed; it must be between 1.5 and 13"),
    (saved(params={"n_customers": 100}), "'n_customers' = 100: expected an integer from 500 to 10,000"),
    (saved(teams={f"T{i}": [] for i in range(31)}), "31 teams; a game has at most 30"),
    (saved(teams={"A": {}}), "'teams.A' = {}: expected a list of quarterly plans"),
    (saved(teams={"A": [{"training": "0.5"}]}), "'teams.A.training' = \"0.5\": expected a number"),
    (saved(teams={"A": [{"training": True}]}), "'teams.A.training' = true: expected a number"),
    (saved(teams={"A": [{"price": 30}]}), "A · 1: 'price' is not a policy of the game"),
    (saved(teams={"A": [{}, {}, {}]}), "A · 3: Team 'A' has already played its 2 quarters"),
    (saved(teams={"A": [{"training": 2}]}), "A · 1: 'Training' = 2: not allowed; it must be between 0 and 1"),
    (saved(max_changes=1, teams={"A": [{"training": 0.5, "leadership": 0.7}]}), "A · 1: Too many changes: 2"),
    (saved(teams={"x" * 41: []}), "A team name has 1 to 40 letters"),
    (saved(quarters=12, params={"n_customers": 10_000}, teams={f"T{i}": [{}] * 12 for i in range(11)}),
     "132 team quarters of 10,000 customers is more than a saved game replays"),
]


@pytest.mark.parametrize("text, words", BAD_FILES)
def test_a_bad_game_file_gets_one_message_in_the_page_language(text, words):
    with pytest.raises(C.PlanError) as err:
        C.Game.load(text)
    assert err.value.key == "Cannot open that game: {error}"
    english = err.value.message("en")
    assert words in english
    assert err.value.message("es").startswith("No se puede abrir esa partida: ")
    assert err.value.message("it").startswith("Impossibile aprire questa partita: ")
    for lang in i18n.LANGS:  # one short line, never the content of a file the server could open
        message = err.value.message(lang)
        assert "\n" not in message and len(message) < 260 and "root:" not in message


def test_a_bad_game_file_is_explained_in_spanish_and_italian_words():
    err = pytest.raises(C.PlanError, C.Game.load, saved(max_changes=100)).value
    assert err.message("es") == "No se puede abrir esa partida: «max_changes» = 100: se espera un número entero de 1 a 9"
    assert err.message("it") == "Impossibile aprire questa partita: «max_changes» = 100: si attende un numero intero da 1 a 9"


def test_the_good_file_opens_and_random_damage_to_it_never_crashes():
    assert C.Game.load(saved()).team("A").quarter == 1
    text = saved(teams={"A": [{"training": 0.5}, {"leadership": 0.7}]}).encode()
    rng = np.random.default_rng(0)
    for _ in range(150):  # flip, drop or insert a few bytes: a PlanError or a game, nothing else
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
            C.Game.load(bytes(damaged))
        except C.PlanError as exc:
            assert exc.message("es")


def test_a_game_refuses_nonsense_set_up_and_too_many_teams():
    for bad in (dict(budget=float("nan")), dict(budget=float("inf")), dict(budget=-1), dict(max_changes=0),
                dict(max_changes=2.5), dict(n_customers=20_000_000)):
        with pytest.raises(C.PlanError):
            C.Game(**{**SMALL, **bad})
    g = C.Game(**SMALL)
    for i in range(C.MAX_TEAMS):
        g.add_team(f"T{i}")
    with pytest.raises(C.PlanError, match="at most 30 teams"):
        g.add_team("one more")
    with pytest.raises(C.PlanError, match="1 to 40"):
        C.Game(**SMALL).add_team("x" * 41)


def test_numbers_in_classroom_messages_follow_the_language():
    error = C.PlanError("The plan costs {spending} EUR per quarter and the budget is {budget} EUR.",
                        spending=139776.4, budget=79000.0)
    assert error.message("es") == "El plan cuesta 139.776 EUR por trimestre y el presupuesto es 79.000 EUR."
    assert error.message("en") == "The plan costs 139,776 EUR per quarter and the budget is 79,000 EUR."
    step = C.PlanError("'{label}' may move at most {step} per quarter ({old} to {value} is too far).",
                       lever="advertising", step=0.001, old=0.0005, value=0.0025)
    assert "0,001" in step.message("it") and "0,0005" in step.message("it") and "0.0025" in step.message("en")


# --------------------------------------------------------------------------- live plan checks
def test_review_lists_every_broken_rule_at_once():
    g = C.Game(seed=1, max_changes=3, **SMALL)
    g.add_team("A")
    plan = {"in_person_staff_per_1000": 6.0, "training": 0.6, "leadership": 0.8, "advertising": 0.0015}
    kept, problems = g.review("A", plan)
    keys = [p.key for p in problems]
    assert len(kept) == 4 and keys == ["Too many changes: {n}; at most {max} per quarter.",
                                       "The plan costs {spending} EUR per quarter and the budget is {budget} EUR."]
    assert g.review("A", {"training": 0.5}) == ({"training": 0.5}, [])
    with pytest.raises(C.PlanError) as err:  # closing the quarter refuses the same plan, first rule first
        g.play("A", plan)
    assert err.value.key == keys[0] and g.team("A").quarter == 0


def test_team_screen_shows_the_limits_while_the_sliders_move_and_blocks_the_close():
    solara = pytest.importorskip("solara")
    import ipyvuetify as v

    g = C.Game(seed=1, max_changes=1, **SMALL)
    g.add_team("A")
    box, rc = solara.render(C.TeamTurn(g, "A", "es"), handle_error=False)

    def slider(name):
        return [w for w in rc.find(v.Slider).widgets if w.label.startswith(i18n.param_label(name, "es"))][0]

    def close_button():
        return [w for w in rc.find(v.Btn).widgets if any("Cerrar el trimestre" in str(c) for c in w.children)][0]

    lever = C.LEVERS["training"]
    assert (slider("training").min, slider("training").max) == C.quarter_range(lever, g.team("A").policies()["training"])
    assert slider("in_person_staff_per_1000").max == pytest.approx(g.params["company.in_person_staff_per_1000"] + C.LEVERS["in_person_staff_per_1000"].max_step)
    assert not close_button().disabled
    slider("training").fire_event("change", 0.5)
    slider("leadership").fire_event("change", 0.7)  # a second change where one is allowed
    warnings = [w for w in rc.find(v.Alert).widgets if "Demasiados cambios: 2" in str(w.children)]
    assert warnings and close_button().disabled
    status = [w.unsafe_innerHTML for w in rc.find(solara.widgets.HTML).widgets if "Cambios en este trimestre" in (w.unsafe_innerHTML or "")]
    assert status and status[0].startswith("⚠")
    slider("leadership").fire_event("change", g.team("A").policies()["leadership"])  # undone: allowed again
    assert not close_button().disabled and not [w for w in rc.find(v.Alert).widgets if "Demasiados" in str(w.children)]
    rc.close()
