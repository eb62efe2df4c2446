"""The classroom's pages rendered in-process (Solara, no browser): the join page, the teacher's view and
a team's view of one lobby; live plan checks while the sliders move."""

import pytest

solara = pytest.importorskip("solara")
import ipyvuetify as v  # noqa: E402

from lealtad.classroom.lobby import Lobby  # noqa: E402
from lealtad.viz import classroom as C  # noqa: E402
from lealtad.viz import i18n  # noqa: E402


@pytest.fixture
def lobby():
    before = C.use_lobby(Lobby())
    C.code.set("")
    yield C.lobby()
    C.code.set("")
    C.use_lobby(before)


def buttons(rc, text):
    return [w for w in rc.find(v.Btn).widgets if any(text in str(c) for c in w.children)]


def shown_html(rc) -> str:
    return " ".join(w.unsafe_innerHTML or "" for w in rc.find(solara.widgets.HTML).widgets)


def field(rc, label):
    return [w for w in rc.find(v.TextField).widgets if w.label == label][0]


def test_a_teacher_creates_a_game_and_a_team_joins_with_its_code(lobby):
    box, rc = solara.render(C.Classroom("es"), handle_error=False)
    field(rc, i18n.param_label("n_customers", "es")).v_model = "800"
    field(rc, i18n.t("Computer rivals", "es")).v_model = "1"
    buttons(rc, i18n.t("New game", "es"))[0].click()
    [game] = lobby.games.values()
    assert game.setup.n_customers == 800 and game.setup.rivals == 1 and C.code.value == game.teacher_code
    field(rc, i18n.t("Team name", "es")).v_model = "Azul"
    buttons(rc, i18n.t("Add team", "es"))[0].click()
    azul = game.teams["team_1"]
    assert C.shown_code(azul.code) in shown_html(rc)  # the join code is on the teacher's screen
    buttons(rc, i18n.t("Close the quarter ({days} days)", "es", days=91))[0].click()
    assert game.quarter == 1
    assert i18n.t("Ranking after quarter {quarter}", "es", quarter=1) in shown_html(rc)
    assert "Azul" in shown_html(rc) and i18n.t("Computer {n}", "es", n=1) in shown_html(rc)
    rc.close()

    C.code.set("")
    box, rc = solara.render(C.Classroom("es"), handle_error=False)
    field(rc, i18n.t("Code", "es")).v_model = "wrong-code"
    buttons(rc, i18n.t("Join", "es"))[0].click()
    assert C.code.value == "" and any("Código incorrecto" in str(w.children) for w in rc.find(v.Alert).widgets)
    field(rc, i18n.t("Code", "es")).v_model = C.shown_code(azul.code).lower()
    buttons(rc, i18n.t("Join", "es"))[0].click()
    html = shown_html(rc)
    assert "Azul" in html and i18n.t("Quarterly reports", "es") in html
    assert i18n.t("Computer {n}", "es", n=1) not in html and azul.code not in html  # its own firm only
    assert not buttons(rc, i18n.t("Close the quarter ({days} days)", "es", days=91))
    rc.close()


def test_a_team_screen_checks_the_plan_while_the_sliders_move_and_sends_it(lobby):
    game = lobby.create({"n_customers": 800, "max_changes": 1})
    team = lobby.add_team(game.teacher_code, "A")
    C.code.set(team.code)
    box, rc = solara.render(C.Classroom("es"), handle_error=False)

    def slider(name):
        return [w for w in rc.find(v.Slider).widgets if w.label.startswith(i18n.param_label(name, "es"))][0]

    def send():
        return buttons(rc, i18n.t("Send the plan", "es"))[0]

    assert (slider("training").min, slider("training").max) == game.quarter_range("team_1", "training")
    slider("training").fire_event("change", 0.5)
    slider("leadership").fire_event("change", 0.7)  # a second change where one is allowed
    assert [w for w in rc.find(v.Alert).widgets if "Demasiados cambios: 2" in str(w.children)] and send().disabled
    status = [h for h in shown_html(rc).split("</div>") if "Cambios en este trimestre" in h]
    assert status and "⚠" in status[0]
    slider("leadership").fire_event("change", game.policies("team_1")["leadership"])  # undone: allowed again
    assert not send().disabled
    send().click()
    assert game.pending == {"team_1": {"training": 0.5}}
    assert i18n.t("Plan sent: {decisions}", "es", decisions=f"{i18n.param_label('training', 'es')} 0,4 → 0,5") in shown_html(rc)
    rc.close()
