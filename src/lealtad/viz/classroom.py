"""The classroom's pages: join with a code, the teacher's view and a team's view of one shared market.

The game itself (rules, codes, the database) is ``lealtad.classroom``; this file only draws it. One
``Lobby`` serves every browser of the server (``use_lobby``; by default a game kept in memory, as in
``lealtad viz``); each browser keeps only the code it typed, and every action goes to the lobby with
that code, which checks it on the server. Pages poll their game's version once a second, so what
one browser does (a team sends its plan, the teacher closes the quarter) shows on every other.
"""

from __future__ import annotations

import html
import threading
import time

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import reacton.ipywidgets as w
import solara
from plotly.subplots import make_subplots

from ..classroom.game import KPI_LABELS, KPIS, LEVERS, QUARTER_DAYS, Game, PlanError, num, shown_code
from ..classroom.lobby import TEACHER, Lobby
from ..locale import numbers
from . import i18n
from .i18n import t
from .plot import Plot

_LOBBY: Lobby | None = None
_LOBBY_LOCK = threading.Lock()
POLL_SECONDS = 1.0
PALETTE = ("#1565C0", "#2E7D32", "#C62828", "#6A1B9A", "#EF6C00", "#00838F", "#5D4037", "#455A64", "#AD1457", "#9E9D24")

code = solara.reactive("")       # the code this browser entered (per browser session)


def use_lobby(lobby: Lobby | None) -> Lobby | None:
    """Serve ``lobby`` (``lealtad classroom`` passes the one on its database); returns the one before."""
    global _LOBBY
    with _LOBBY_LOCK:
        before, _LOBBY = _LOBBY, lobby
    return before


def lobby() -> Lobby:
    global _LOBBY
    with _LOBBY_LOCK:
        if _LOBBY is None:
            _LOBBY = Lobby()
            _LOBBY.run_clock()
        return _LOBBY


def client_address() -> str:
    """The address of the browser acting (wrong codes are counted per address); "" when unknown."""
    try:
        from solara.server import kernel_context

        sockets = kernel_context.get_current_context().kernel.session.websockets
        return next(iter(sockets)).ws.client.host
    except Exception:  # rendered outside a server (tests) or a closed socket: one shared count
        return ""


def firm_colour(game: Game, firm: str) -> str:
    return PALETTE[game.firms.index(firm) % len(PALETTE)]


# ------------------------------------------------------------------------------------ figures
def market_figure(game: Game, lang: str) -> go.Figure:
    """Cumulative profit, market share and NPS of every firm after each quarter."""
    table = game.market_table()
    shown = ("cumulative_profit", "market_share", "nps")
    fig = make_subplots(rows=1, cols=3, subplot_titles=[i18n.gettext(KPI_LABELS[k], lang) for k in shown])
    for firm, d in table.groupby("firm", sort=False):
        for c, k in enumerate(shown, 1):
            fig.add_trace(go.Scatter(x=d["quarter"], y=d[k], mode="lines+markers", name=game.name_of(firm, lang),
                                     legendgroup=firm, showlegend=c == 1,
                                     line=dict(color=firm_colour(game, firm), width=2)), row=1, col=c)
            fig.update_xaxes(title_text=t("Quarter", lang), dtick=1, row=1, col=c)
    fig.update_layout(title=t("The market, quarter by quarter", lang), template="plotly_white", height=420,
                      font=dict(size=14), separators=numbers.plotly_separators(lang),
                      legend=dict(orientation="h", y=-0.28), margin=dict(t=90, l=60, r=20, b=90))
    return fig


# The service level, not the mean wait: over every channel that mean is mostly the email's hours.
DEBRIEF_OUTPUTS = ("cumulative_profit", "market_share", "nps", "employee_satisfaction", "service_level",
                   "customer_satisfaction")


def debrief_figure(game: Game, lang: str, firms: tuple[str, ...] | None = None) -> go.Figure:
    """The whole run day by day, every firm (or ``firms``), with the quarters marked and each quarter's
    decisions on hover."""
    firms = firms or game.firms
    r = game.model.results() if game.model is not None else pd.DataFrame(columns=["day", "firm", *DEBRIEF_OUTPUTS])
    fig = make_subplots(rows=3, cols=2, subplot_titles=[i18n.output_label(o, lang) for o in DEBRIEF_OUTPUTS],
                        vertical_spacing=0.12)
    for i, out in enumerate(DEBRIEF_OUTPUTS):
        row, col = i // 2 + 1, i % 2 + 1
        for firm in firms:
            d = r[r["firm"] == firm]
            y = d[out] if out == "cumulative_profit" else d[out].rolling(7, min_periods=1).mean()
            fig.add_trace(go.Scatter(x=d["day"], y=y, name=game.name_of(firm, lang), legendgroup=firm, showlegend=i == 0,
                                     line=dict(color=firm_colour(game, firm), width=2)), row=row, col=col)
        for q in game.quarters:
            fig.add_vline(x=q.first_day, line=dict(color="#9E9E9E", dash="dot", width=1), row=row, col=col)
    for q in game.quarters:
        fig.add_annotation(x=q.first_day, y=1.06, xref="x", yref="paper", showarrow=False, xanchor="left",
                           text=f"{t("Quarter", lang)} {q.number}", font=dict(size=14),
                           hovertext="<br>".join(f"{game.name_of(f, lang)}: {decisions_text(q.changes.get(f, {}), lang)}"
                                                 for f in firms))
    fig.update_layout(title=t("Debrief of the game", lang), template="plotly_white", height=760, font=dict(size=14),
                      separators=numbers.plotly_separators(lang), legend=dict(orientation="h", y=-0.08),
                      margin=dict(t=110, l=60, r=20, b=60))
    return fig


def decisions_text(changes: dict, lang: str) -> str:
    if not changes:
        return t("no change", lang)
    return "; ".join(f"{i18n.param_label(k, lang)} {num(a, lang)} → {num(b, lang)}" for k, (a, b) in changes.items())


def ranking_table(game: Game, lang: str) -> pd.DataFrame:
    rank = game.ranking()
    shown = ("cumulative_profit", "profit", "market_share", "nps")
    out = pd.DataFrame({t("Rank", lang): rank["rank"], t("Team", lang): [game.name_of(f, lang) for f in rank["firm"]]})
    for k in shown:
        out[i18n.gettext(KPI_LABELS[k], lang)] = rank[k].to_numpy()
    return out


def reports_table(game: Game, firm: str, lang: str) -> pd.DataFrame:
    """One row per closed quarter: the firm's decisions and its key numbers."""
    rows = []
    for q in game.quarters:
        row = {t("Quarter", lang): q.number, t("Decisions", lang): decisions_text(q.changes.get(firm, {}), lang)}
        row.update({i18n.gettext(KPI_LABELS[k], lang): q.kpis[firm][k] for k in KPIS})
        rows.append(row)
    return pd.DataFrame(rows)


def table_html(df: pd.DataFrame, lang: str, css: str = "lealtad-classroom") -> str:
    def cell(v):
        if isinstance(v, (float, np.floating)):
            return numbers.auto(float(v), lang)
        return html.escape(str(v))

    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
    body = "".join("<tr>" + "".join(f"<td>{cell(v)}</td>" for v in row) + "</tr>" for row in df.itertuples(index=False))
    return f"<table class='lealtad-table {css}'><tr>{head}</tr>{body}</table>"


# ---------------------------------------------------------------------------------- components
def _heading(text: str, level: int = 3):
    """A heading as plain HTML (solara.Markdown would load KaTeX from a CDN: no internet in class)."""
    solara.HTML(tag=f"h{level}", unsafe_innerHTML=html.escape(text))


def _paragraph(text: str, css: str = "lealtad-help"):
    solara.HTML(tag="p", unsafe_innerHTML=html.escape(text), classes=[css])


def _status(text: str, broken: bool, css_class: str):
    """A line of the plan's state: red and bold when the plan breaks that rule."""
    style = "color:#C62828;font-weight:600" if broken else "color:#263238"
    solara.HTML(tag="div", unsafe_innerHTML=("⚠ " if broken else "") + html.escape(text),
                classes=["lealtad-plan-status", css_class], style=f"font-size:16px;margin:2px 0;{style}")


def use_game_version(game: Game):
    """Redraw when anyone changes ``game``: its version is polled once a second. Returns a function
    that redraws at once (after this browser's own change)."""
    seen, set_seen = solara.use_state(game.version)

    def poll(cancel):
        while not cancel.wait(POLL_SECONDS):
            if game.version != seen:
                set_seen(game.version)
                return

    solara.use_thread(poll, dependencies=[game.id, seen])
    return lambda: set_seen(game.version)


@solara.component
def Classroom(lg: str):
    """The classroom tab: the join page, or the teacher's or a team's view of the game of the code typed."""
    if not code.value:
        JoinPage(lg)
        return
    try:
        entry = lobby().enter(code.value, client_address())
    except PlanError as exc:
        code.set("")
        solara.Error(exc.message(lg))
        return
    with solara.Row(style={"align-items": "center", "justify-content": "flex-end"}):
        solara.Button(t("Leave the game", lg), icon_name="mdi-logout", outlined=True, on_click=lambda: code.set(""),
                      classes=["lealtad-leave"])
    if entry.role == TEACHER:
        TeacherView(entry.game, lg)
    else:
        TeamView(entry.game, entry.firm, lg)


@solara.component
def JoinPage(lg: str):
    typed, set_typed = solara.use_state("")
    error, set_error = solara.use_state("")

    def join():
        try:
            lobby().enter(typed, client_address())
        except PlanError as exc:
            set_error(exc.message(lg))
            return
        set_error("")
        code.set(typed)

    _heading(t("Join a game", lg))
    _paragraph(t("Type the code your teacher shows: a team's code opens its own firm, the teacher's code the whole game.", lg))
    with solara.Row(style={"align-items": "center"}):
        solara.InputText(t("Code", lg), value=typed, on_value=set_typed, continuous_update=True,
                         classes=["lealtad-code"])
        solara.Button(t("Join", lg), icon_name="mdi-login", color="primary", on_click=join, classes=["lealtad-join"])
    if error:
        solara.Error(error, classes=["lealtad-join-error"])
    NewGame(lg)


@solara.component
def NewGame(lg: str):
    """The teacher's set-up of a new game, or a saved game opened from a file."""
    values, set_values = solara.use_state({"seed": 42, "quarters": 4, "n_customers": 3000, "budget": "",
                                           "max_changes": 3, "rivals": 0, "deadline_minutes": 0})
    chosen, set_chosen = solara.use_state({k: [lv.low, lv.high] for k, lv in LEVERS.items()})
    create_code, set_create_code = solara.use_state("")
    error, set_error = solara.use_state("")
    needs_code = lobby().create_code is not None

    def fields() -> dict:
        out = {k: _typed(v, lg) for k, v in values.items() if k != "budget"}
        out["budget"] = None if str(values["budget"]).strip() == "" else _typed(values["budget"], lg)
        out["levers"] = dict(chosen)
        return out

    def start(make):
        try:
            game = make()
        except PlanError as exc:
            set_error(exc.message(lg))
            return
        set_error("")
        code.set(game.teacher_code)

    def upload(chosen_files):
        if chosen_files:
            start(lambda: lobby().open_file(bytes(chosen_files[0]["content"]), create_code, client_address()))

    _heading(t("Create a game (teacher)", lg))
    labels = {"seed": t("Game seed", lg), "quarters": t("Quarters", lg), "n_customers": i18n.param_label("n_customers", lg),
              "budget": t("Budget per quarter (EUR; empty: the starting spending plus 25%)", lg),
              "max_changes": t("Changes per quarter", lg), "rivals": t("Computer rivals", lg),
              "deadline_minutes": t("Minutes per quarter (0: the teacher closes it)", lg)}
    with solara.Row(style={"flex-wrap": "wrap", "align-items": "center"}):
        for key in ("seed", "quarters", "n_customers", "max_changes", "rivals", "deadline_minutes", "budget"):
            solara.InputText(labels[key], value=str(values[key]), continuous_update=True,
                             on_value=lambda v, key=key: set_values({**values, key: v}),
                             classes=[f"lealtad-setup-{key}"], style={"max-width": "420px" if key == "budget" else "200px"})
    _paragraph(t("Policies the teams may change, and their range in this game:", lg))
    with solara.Columns([1, 1, 1]):
        items = list(LEVERS.values())
        for column in range(3):
            with solara.Column():
                for lv in items[column::3]:
                    LeverRange(lv.name, chosen, set_chosen, lg)
    if needs_code:
        solara.InputText(t("Server code (printed where lealtad classroom was started)", lg), value=create_code,
                         on_value=set_create_code, continuous_update=True)
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        solara.Button(t("New game", lg), icon_name="mdi-plus", color="primary", classes=["lealtad-new-game"],
                      on_click=lambda: start(lambda: lobby().create(fields(), create_code, client_address())))
        w.FileUpload(accept=".json", multiple=False, description=t("Open a saved game", lg), on_value=upload,
                     tooltip=t("Open a saved game", lg), layout={"width": "auto"})
    if error:
        solara.Error(error, classes=["lealtad-setup-error"])


@solara.component
def LeverRange(name: str, chosen: dict, set_chosen, lg: str):
    lv = LEVERS[name]
    on = name in chosen

    def toggle(value: bool):
        rest = {k: v for k, v in chosen.items() if k != name}
        set_chosen({**rest, name: [lv.low, lv.high]} if value else rest)

    solara.Checkbox(label=i18n.param_label(name, lg), value=on, on_value=toggle)
    if on:
        low, high = chosen[name]
        solara.SliderRangeFloat(t("range", lg), value=(low, high), min=lv.low, max=lv.high, step=lv.step,
                                on_value=lambda v: set_chosen({**chosen, name: [round(v[0], 6), round(v[1], 6)]}))


def _typed(raw, lang: str):
    """A number as typed in ``lang`` ("12,5" in Spanish), or the text itself for the rules to refuse."""
    if not isinstance(raw, str):
        return raw
    try:
        value = numbers.parse_number(raw, lang)
    except ValueError:
        return raw.strip()
    return int(value) if float(value).is_integer() else value


@solara.component
def TeacherView(game: Game, lg: str):
    redraw = use_game_version(game)
    teacher = code.value
    error, set_error = solara.use_state("")
    name, set_name = solara.use_state("")
    played_by, set_played_by = solara.use_state("")

    def act(action):
        try:
            action()
        except PlanError as exc:
            set_error(exc.message(lg))
            return
        set_error("")
        redraw()

    def add():
        act(lambda: lobby().add_team(teacher, name, client_address()))
        set_name("")

    state = (t("Game over: see the debrief and the ranking.", lg) if game.over else
             t("Quarter {quarter} of {quarters}", lg, quarter=game.quarter + 1, quarters=game.setup.quarters))
    _heading(f"{t("Teacher", lg)} · {state}")
    _paragraph(t("Teacher's code: {code} (keep it to yourself). Each team joins with its own code.", lg,
                 code=shown_code(game.teacher_code)), "lealtad-teacher-code")
    deadline = game.deadline()
    if deadline is not None:
        _paragraph(t("The quarter closes by itself in {minutes} min.", lg,
                     minutes=max(0, int((deadline - time.time()) // 60) + 1)))
    sent = game.submitted()
    rows = pd.DataFrame({t("Team", lg): [team.name for team in game.teams.values()],
                         t("Join code", lg): [shown_code(team.code) for team in game.teams.values()],
                         t("Plan sent", lg): ["✓" if sent[f] else "–" for f in game.teams]})
    solara.HTML(tag="div", unsafe_innerHTML=table_html(rows, lg, "lealtad-classroom lealtad-teams"))
    if game.model is None:
        with solara.Row(style={"align-items": "center"}):
            solara.InputText(t("Team name", lg), value=name, on_value=set_name, continuous_update=True)
            solara.Button(t("Add team", lg), icon_name="mdi-account-multiple-plus", on_click=add, color="primary")
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        if not game.over:
            solara.Button(t("Close the quarter ({days} days)", lg, days=QUARTER_DAYS), icon_name="mdi-calendar-arrow-right",
                          color="primary", classes=["lealtad-close-quarter"], disabled=not game.teams,
                          on_click=lambda: act(lambda: lobby().close_quarter(teacher, client_address())))
        solara.FileDownload(lambda: lobby().saved_file(teacher, client_address()), filename="lealtad-game.json",
                            label=t("Save the game", lg), mime_type="application/json")
    if error:
        solara.Error(error)
    if game.teams and not game.over:  # one screen for the whole class: the teacher may send a team's plan
        names = {team.name: firm for firm, team in game.teams.items()}
        with solara.Details(t("Play for a team on this screen", lg)):
            pick = played_by if played_by in names else next(iter(names))
            solara.ToggleButtonsSingle(value=pick, values=list(names), on_value=set_played_by)
            PlanEditor(game, names[pick], lg,
                       lambda plan: (lobby().submit_for(teacher, names[pick], plan, client_address()), redraw()), game.version).key(
                f"{names[pick]}-{game.quarter}")
    if game.quarters:
        _heading(t("Ranking after quarter {quarter}", lg, quarter=game.quarter))
        solara.HTML(tag="div", unsafe_innerHTML=table_html(ranking_table(game, lg), lg, "lealtad-classroom lealtad-ranking"))
        Plot(lambda: market_figure(game, lg).to_dict(), [game.version, lg])
        _heading(t("Debrief of the game", lg))
        Plot(lambda: debrief_figure(game, lg).to_dict(), [game.version, lg])


@solara.component
def TeamView(game: Game, firm: str, lg: str):
    redraw = use_game_version(game)
    team = game.teams[firm]
    state = (t("Game over: see the debrief and the ranking.", lg) if game.over else
             t("Quarter {quarter} of {quarters}", lg, quarter=game.quarter + 1, quarters=game.setup.quarters))
    _heading(f"{team.name} · {state}")
    if not game.over:
        PlanEditor(game, firm, lg, lambda plan: (lobby().submit(code.value, plan, client_address()), redraw()), game.version).key(
            f"{firm}-{game.quarter}")
    if game.quarters:
        _heading(t("Quarterly reports", lg))
        solara.HTML(tag="div", unsafe_innerHTML=table_html(reports_table(game, firm, lg), lg,
                                                            "lealtad-classroom lealtad-reports"))


@solara.component
def PlanEditor(game: Game, firm: str, lg: str, send, version: int):
    """One firm's plan for the open quarter: a slider per allowed policy, every rule checked as the
    sliders move (budget, number of changes, each policy's range this quarter), and the plan sent.
    ``version``: the game's, so that the editor redraws when the game changes."""
    current = game.policies(firm)
    start = {**current, **game.pending.get(firm, {})}
    pending, set_pending = solara.use_state(start)
    error, set_error = solara.use_state("")
    changes = {k: v for k, v in pending.items() if k in game.setup.levers and not np.isclose(v, current[k], rtol=0, atol=1e-12)}
    plan, problems = game.review(firm, changes)
    spending = game.spending({**current, **plan})
    over_budget = spending > game.budget + 1e-6 and spending > game.spending(current) + 1e-6

    def submit():
        try:
            send(changes)
        except PlanError as exc:
            set_error(exc.message(lg))
            return
        set_error("")

    _status(t("Budget per quarter: {budget} EUR · the plan spends: {spending} EUR", lg, budget=num(game.budget, lg),
              spending=num(spending, lg)), over_budget, "lealtad-plan-budget")
    _status(t("Changes this quarter: {n} of {max}", lg, n=len(changes), max=game.setup.max_changes),
            len(changes) > game.setup.max_changes, "lealtad-plan-changes")
    levers = list(game.setup.levers)
    with solara.Columns([1, 1, 1]):
        for column in range(3):
            with solara.Column():
                for k in levers[column::3]:
                    LeverSlider(game, firm, k, pending[k], current[k], lambda v, k=k: set_pending({**pending, k: v}), lg)
    for problem in problems:
        solara.Warning(problem.message(lg), dense=True, classes=["lealtad-plan-problem"])
    sent = game.pending.get(firm)
    with solara.Row(style={"align-items": "center"}):
        solara.Button(t("Send the plan", lg), icon_name="mdi-send", color="primary", on_click=submit,
                      disabled=bool(problems), classes=["lealtad-send-plan"])
        _status(t("Plan sent: {decisions}", lg, decisions=decisions_text({k: (current[k], v) for k, v in sent.items()}, lg))
                if sent is not None else t("No plan sent yet this quarter (no plan: no change).", lg),
                False, "lealtad-plan-sent")
    if error:
        solara.Error(error)


@solara.component
def LeverSlider(game: Game, firm: str, name: str, value: float, current: float, on_change, lg: str):
    """One policy of the plan: label with the planned value (and today's, when it changes), the one-line
    help, and a slider over what this quarter allows that reports when released (a Vuetify slider
    snapping to its step must not count as a decision)."""
    import reacton.ipyvuetify as rv

    changed = not np.isclose(value, current, rtol=0, atol=1e-12)
    label = f"{i18n.param_label(name, lg)}: {num(value, lg)}" + (f" (← {num(current, lg)})" if changed else "")
    low, high = game.quarter_range(firm, name)
    hint = i18n.param_help(name, lg) + " · " + t("this quarter: {low} to {high}", lg, low=num(low, lg), high=num(high, lg))
    widget = rv.Slider(label=label, v_model=value, min=low, max=high, step=LEVERS[name].step, thumb_label=True,
                       hint=hint, persistent_hint=True, class_="lealtad-param",
                       color="orange darken-2" if changed else None)
    rv.use_event(widget, "change", lambda _w, _e, data: on_change(round(float(data), 6)))
    return widget

