"""The browser app (Solara): controls on the left, the chain, the network, the time series, an agent
inspector and the About tab on the right, every word in Spanish or English.

Plain Solara components rather than Mesa's SolaraViz: SolaraViz's own labels are English only and its
page renders Markdown with KaTeX from a CDN, while a classroom without internet needs every file served
here and every word in two languages. The components below take a ``Runner`` (lealtad.viz.runner) and
the language, so the classroom mode can reuse them in its own page.

Started by ``lealtad viz`` (lealtad.viz.cli), which sets up Solara to serve its scripts itself.
"""

from __future__ import annotations

import os
import random
import time

import reacton.ipyvuetify as rv
import solara
import solara.lab

from ..locale import numbers as numbers_
from ..params import param_of
from . import figures, ranges
from .about import about_html
from .classroom import Classroom
from .i18n import CHANNEL_NAMES, DEFAULT_LANG, GROUPS, LANGS, LANGUAGES, N_, allowed, firm_label, gettext, group_label, group_of, param_help, param_label, t, unit, value_error
from .plot import FrameSync, Plot
from .presets import load_presets
from .runner import Runner, control_keys, reset_only

# Play's pace: frames a second, 4 by default so that a class can follow; up to MAX_FPS for a quick look
# (a slow browser still sets the pace: Play waits until the last frame is drawn).
DEFAULT_FPS, MAX_FPS = 4, 12
CSS = """
.lealtad-header { background: #0D47A1; color: white; padding: 10px 18px; }
.lealtad-header h1 { font-size: 26px; margin: 0; font-weight: 500; }
.lealtad-header .sub { font-size: 15px; opacity: 0.85; }
.lealtad-help { font-size: 15px; color: #546E7A; margin: 0 0 12px 0; line-height: 1.3; }
.lealtad-chain-title { font-size: 17px; margin: 6px 4px 8px 4px; color: #263238; }
.lealtad-chain { display: grid; grid-template-columns: 1fr 34px 1fr 34px 1fr 34px 1fr;
                 grid-template-rows: auto 30px auto; margin: 0 4px 8px 4px; }
.lealtad-link { border: 1.5px solid #607D8B; border-radius: 6px; padding: 6px 6px; text-align: center;
                color: #263238; min-width: 0; }
.lealtad-link .t { font-size: 15px; font-weight: 600; line-height: 1.2; }
.lealtad-link .v { font-size: 25px; font-weight: 700; margin: 4px 0 2px 0; white-space: nowrap; }
.lealtad-link .d { font-size: 14px; color: #546E7A; }
.lealtad-link .m { font-size: 14px; color: #37474F; }
.lealtad-arrow { font-size: 26px; color: #455A64; display: flex; align-items: center; justify-content: center; }
.lealtad-kpi { font-size: 15px; }
.lealtad-kpi .num { font-size: 24px; font-weight: 600; }
.lealtad-kpi .lealtad-timing { font-size: 14px; color: #78909C; }
.lealtad-about { font-size: 17px; line-height: 1.5; max-width: 60em; }
.lealtad-about h2 { font-size: 21px; margin-top: 1.2em; color: #0D47A1; }
.lealtad-table td { padding: 4px 14px 4px 0; font-size: 16px; }
.lealtad-table td:first-child { color: #546E7A; }
.lealtad-controls .v-label { font-size: 15px; }
.lealtad-param { margin-bottom: 10px; }
.lealtad-param.v-input__slider .v-input__slot { flex-wrap: wrap !important; }
.lealtad-param.v-input__slider .v-label { width: 100% !important; max-width: 100% !important; margin-bottom: 2px; }
.lealtad-param.v-input__slider .v-slider { min-width: 100% !important; }
.lealtad-param .v-messages { font-size: 14px; line-height: 1.3; }
.lealtad-main > .lealtad-hidden.d-flex { display: none !important; }  /* beats Vuetify's own .d-flex */
.lealtad-main .v-tab { padding: 0 12px; min-width: 0; letter-spacing: 0.02em; }
"""

# Per browser session (Solara scopes module-level reactive variables to each connection).
# STATE lists them with their starting values, so a test or a new page can start afresh (reset_state).
lang = solara.reactive(os.environ.get("LEALTAD_VIZ_LANG", DEFAULT_LANG) if os.environ.get("LEALTAD_VIZ_LANG") in LANGS
                       else DEFAULT_LANG)
tick = solara.reactive(0)          # bumped after every change of the model: views redraw on it
generation = solara.reactive(0)    # bumped when the model is replaced (reset, scenario): controls re-read values
playing = solara.reactive(False)
speed = solara.reactive(1)         # days per frame
fps = solara.reactive(DEFAULT_FPS)  # frames per second at most
# (kind, text): kind is "info", "error" or ""; text(lang) -> str, so a message follows a language switch
message = solara.reactive(("", None))
group = solara.reactive("policies")
colour_by = solara.reactive("state")
inspect_kind = solara.reactive("customer")
inspect_id = solara.reactive(0)
event_firm = solara.reactive("company")  # the firm the strike and surge buttons hit
CLASSROOM_TAB = 4                  # position of the classroom tab in Page
# the tab shown (CLASSROOM_TAB hides the free simulation's controls); `lealtad classroom` opens on it
tab = solara.reactive(CLASSROOM_TAB if os.environ.get("LEALTAD_VIZ_START") == "classroom" else 0)
NETWORK_EVERY = 2                  # while playing, the network redraws every this many frames
SYNC: dict[int, FrameSync] = {}    # per runner: figures sent to the browser and not yet drawn
FRAME_MS: dict[int, float] = {}    # last step + redraw per runner, measured on the server (shown next time:
                                   # a reactive variable would cost one more render per step)


STATE = {"lang": lang, "tick": tick, "generation": generation, "playing": playing, "speed": speed, "fps": fps, "message": message, "group": group,
         "colour_by": colour_by, "inspect_kind": inspect_kind, "inspect_id": inspect_id, "tab": tab}
_START = {name: var.value for name, var in STATE.items()}


def reset_state():
    for name, var in STATE.items():
        var.set(_START[name])


def new_runner() -> Runner:
    """The runner a new session starts with (LEALTAD_VIZ_CUSTOMERS sets the market size)."""
    size = os.environ.get("LEALTAD_VIZ_CUSTOMERS")
    return Runner(**({"n_customers": size} if size else {}))


def sync_of(runner: Runner) -> FrameSync:
    return SYNC.setdefault(id(runner), FrameSync())


def advance(runner: Runner, days: int):
    """Step the model (timing it, for the page) and ask every view to redraw."""
    start = time.perf_counter()
    runner.step(days)
    FRAME_MS[id(runner)] = 1000 * (time.perf_counter() - start)
    tick.value += 1


# --------------------------------------------------------------------------------- controls
@solara.component
def RunControls(runner: Runner, lg: str):
    def play_loop(cancel):
        due = time.perf_counter()  # when the next frame should start
        while playing.value and not cancel.is_set():
            try:
                advance(runner, speed.value)
            except Exception as exc:  # a model error stops the run and is shown, never a dead page
                playing.value = False
                message.value = ("error", lambda lang, exc=exc: t("The model could not go on: {error}", lang, error=exc))
                return
            sync_of(runner).wait(timeout=3.0)  # the browser sets the pace (a stalled one: 3 s at most)
            # Frames keep to a clock, not to a pause after each: a frame that took longer than its share
            # is made up by the next one starting at once, so the rate asked for is the rate shown as
            # long as the browser keeps up on average; never more than one frame is made up.
            now, period = time.perf_counter(), 1 / fps.value
            due = max(due + period, now - period)
            cancel.wait(max(0.005, due - now))

    # Not intrusive: Solara's default cancels a thread by raising inside it at whatever line it is on,
    # which could stop the model in the middle of a day (its outputs left at zero, its state half
    # updated); this loop checks `cancel` between frames instead. The default's line tracer also slowed
    # every step and redraw made in this thread.
    solara.use_thread(play_loop, dependencies=[playing.value], intrusive_cancel=False)

    def step():
        playing.value = False
        advance(runner, 1)

    def reset():
        playing.value = False
        runner.reset()
        generation.value += 1
        message.value = ("", None)
        tick.value += 1

    firms = runner.model.firms
    target = event_firm.value if event_firm.value in firms else firms[0]

    def strike():
        day, days = runner.trigger_strike(firm=target)
        message.value = ("info", lambda lang: t("Strike at {firm} from day {day} for {days} days.", lang,
                                                firm=firm_label(target, lang), day=day, days=days))
        tick.value += 1

    def surge():
        day, days, factor = runner.trigger_surge(firm=target)
        message.value = ("info", lambda lang: t("Demand surge at {firm} from day {day} for {days} days (x{factor}).", lang,
                                                firm=firm_label(target, lang), day=day, days=days,
                                                factor=numbers_.significant(factor, lang)))
        tick.value += 1

    with solara.Row(gap="6px", style={"flex-wrap": "wrap"}):
        if playing.value:
            solara.Button(t("Pause", lg), icon_name="mdi-pause", color="primary", on_click=lambda: playing.set(False))
        else:
            solara.Button(t("Play", lg), icon_name="mdi-play", color="primary", on_click=lambda: playing.set(True))
        solara.Button(t("Step one day", lg), icon_name="mdi-skip-next", on_click=step, outlined=True)
        solara.Button(t("Reset", lg), icon_name="mdi-restore", on_click=reset, outlined=True)
    solara.SliderInt(t("Frames per second", lg), value=fps, min=1, max=MAX_FPS)
    solara.SliderInt(t("Days per frame", lg), value=speed, min=1, max=30)
    labels = {firm_label(f, lg): f for f in firms}
    solara.Select(t("Events hit", lg), values=list(labels), value=firm_label(target, lg),
                  on_value=lambda label: event_firm.set(labels[label]))
    with solara.Row(gap="6px", style={"flex-wrap": "wrap"}):
        solara.Button(t("Strike now", lg), icon_name="mdi-account-cancel", color="error", outlined=True, on_click=strike)
        solara.Button(t("Demand surge now", lg), icon_name="mdi-trending-up", color="deep-purple", outlined=True, on_click=surge)


@solara.component
def Message():
    kind, say = message.value
    text = say(lang.value) if say else ""
    if kind == "error":
        solara.Error(text, dense=True)
    elif kind == "info" and text:
        solara.Info(text, dense=True)


def _shown(value, lang: str) -> str:
    """A parameter's value as ``lang`` writes it (text values as they are)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return numbers_.significant(value, lang)
    return str(value)


def _typed_number(raw, lang: str):
    """What was typed in a numeric field, read as ``lang`` writes numbers ("12,5" in Spanish); left as
    typed when it is no number, for the schema to refuse with its own message."""
    if not isinstance(raw, str):
        return raw
    try:
        return numbers_.parse_number(raw, lang)
    except ValueError:
        return raw


@solara.component
def ParamControl(runner: Runner, name: str, lg: str):
    """One parameter: a slider (or a typed field, or a list) with its unit and one-line help as a hint.
    One Vuetify widget each: the page re-checks every widget at each redraw, so fewer is faster."""
    p = param_of(name)
    error, set_error = solara.use_state("")
    _, set_version = solara.use_state(0)  # re-render after a change: the label shows the value now in force
    value = runner.value(name)
    label = param_label(name, lg)
    hint = param_help(name, lg) + (f" [{unit(name, lg)}]" if p.unit else "")
    hint += f" · {t("Applies when you press Reset (it shapes the market at the start).", lg)}" if reset_only(name) else ""

    def change(raw):
        feedback = runner.apply(name, _typed_number(raw, lg) if p.kind in (int, float) else raw)
        if not feedback.ok:
            set_error(value_error(name, raw, feedback.error, lg))
            message.value = ("error", lambda lang: value_error(name, raw, feedback.error, lang))
            return
        set_error("")
        set_version(lambda n: n + 1)
        if feedback.kind == "pending":
            waiting = list(runner.pending)
            message.value = ("info", lambda lang: t("Changes waiting for a reset: {names}", lang, names=", ".join(
                param_label(n, lang) for n in waiting) or "–"))
        else:
            value = feedback.value
            message.value = ("info", lambda lang: t("'{label}' = {value}: applies from tomorrow.", lang,
                                                    label=param_label(name, lang), value=_shown(value, lang)))
        tick.value += 1

    bar = ranges.slider(name, value)
    if bar is not None and bar.usual:
        hint += " · " + t("slider: the usual range {low} to {high}; allowed: {allowed}", lg,
                          low=_shown(bar.low, lg), high=_shown(bar.high, lg), allowed=allowed(name, lg))
    common = dict(hint=hint, persistent_hint=True, class_="lealtad-param", error_messages=[error] if error else [])
    if p.choices:
        widget = rv.Select(label=label, items=list(p.choices), v_model=value, **common)
    elif bar is not None:
        widget = rv.Slider(label=f"{label}: {_shown(value, lg)}", v_model=value, min=bar.low, max=bar.high,
                           step=bar.step, thumb_label=True, **common)
    else:
        widget = rv.TextField(label=label, v_model=_shown(value, lg), **common)
    # "change": when the slider is released, a choice made, or a typed value confirmed (Enter, leaving the field)
    rv.use_event(widget, "change", lambda _widget, _event, data: change(data))
    return widget


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@solara.component
def ParameterControls(runner: Runner, lg: str):
    keys = control_keys(runner.model.firms)
    groups = [g for g in GROUPS if any(group_of(n) == g for n in keys)]
    labels = {group_label(g, lg): g for g in groups}
    solara.Select(t("Parameter group", lg), values=list(labels), value=group_label(group.value, lg),
                  on_value=lambda label: group.set(labels[label]))
    for name in keys:
        if group_of(name) == group.value:
            ParamControl(runner, name, lg).key(f"{name}-{lg}-{generation.value}")


@solara.component
def PresetControl(runner: Runner, lg: str):
    presets = solara.use_memo(load_presets, [])
    none = t("(none: default values)", lg)
    titles = {p.title(lg): p for p in presets.presets.values()}
    chosen, set_chosen = solara.use_state(none)

    def choose(title):
        set_chosen(title)
        playing.value = False
        runner.load_scenario(titles[title].changes if title in titles else {})
        generation.value += 1
        message.value = ("info", lambda lang: t("Scenario '{name}' applied; the model was reset.", lang, name=title))
        tick.value += 1

    solara.Select(t("Scenario", lg), values=[none, *titles], value=chosen if chosen in titles else none, on_value=choose)
    solara.HTML(tag="div", unsafe_innerHTML=_escape(t("Loads the changes of a scenario from the experiments and resets the model.", lg)), classes=["lealtad-help"])


@solara.component
def Controls(runner: Runner, lg: str):
    with solara.Card(t("Controls", lg), margin=0, classes=["lealtad-controls"]):
        RunControls(runner, lg)
        Message()
        PresetControl(runner, lg)
        ParameterControls(runner, lg)


# ------------------------------------------------------------------------------------- views
KPI_LABELS = {"share": N_("Market share"), "profit": N_("Cumulative profit"), "nps": N_("NPS")}


def _both(ours: str, theirs: str) -> str:
    """The company's value (large, blue) and the competitor's (orange)."""
    return (f"<span class='num' style='color:{figures.COMPANY}'>{ours}</span> · "
            f"<span style='color:{figures.COMPETITOR}'>{theirs}</span>")


@solara.component
def KeyNumbers(runner: Runner, lg: str, frame: int):
    numbers = figures.kpis(runner)
    show = {"share": lambda v: numbers_.percent(v, lg), "nps": lambda v: numbers_.number(v, lg, sign=True),
            "profit": lambda v: numbers_.money(v, lg)}

    # one widget for the whole line: every widget costs time at each redraw
    items = [f"<div>{t("Day", lg)} <span class='num' id='lealtad-day'>{runner.day}</span></div>"]
    items += [f"<div>{gettext(KPI_LABELS[key], lg)}: {_both(show[key](ours), show[key](theirs))}</div>"
              for key, (ours, theirs) in numbers.items()]
    # waits per channel: one mean over every channel would be the email's hours, whatever the phone does
    waits = " ".join(f"{_escape(gettext(CHANNEL_NAMES[channel], lg))} "
                     f"{_both(figures.wait_text(ours, lg), figures.wait_text(theirs, lg))}"
                     for channel, (ours, theirs) in figures.channel_waits(runner).items())
    items.append(f"<div class='lealtad-waits'>{_escape(t("Mean wait today", lg))}: {waits}</div>")
    items.append(f"<div class='lealtad-timing'>{_escape(t('model computation of the last step: {ms:.0f} ms', lg, ms=FRAME_MS.get(id(runner), 0.0)))}</div>")
    solara.HTML(tag="div", unsafe_innerHTML="".join(items), classes=["lealtad-kpi"],
                style="display:flex; flex-wrap:wrap; gap:4px 28px; align-items:baseline; padding:8px 16px")


@solara.component
def ChainView(runner: Runner, lg: str, frame: int):
    solara.HTML(tag="div", unsafe_innerHTML=figures.chain_html(runner, lg))


@solara.component
def NetworkView(runner: Runner, lg: str, frame: int):
    shown = solara.use_ref({})

    def make():
        spec = figures.network_spec(runner, lg, colour_by.value)
        shown.current = {i: trace.get("customdata") for i, trace in enumerate(spec["data"])}
        return spec

    def clicked(trace: int, index: int):
        ids = shown.current.get(trace)
        if ids is not None:
            inspect_kind.value = "customer"
            inspect_id.value = int(ids[index])

    ColourSwitch(lg)
    # Not waited for by Play (no sync): the network is the slowest figure to draw (about 0.1 s in a
    # software-rendered browser) and changes least; it redraws at its own pace, always to the latest day.
    shown_frame = frame // NETWORK_EVERY if playing.value else frame
    Plot(make, [shown_frame, lg, colour_by.value, id(runner.model)], on_click=clicked)


@solara.component
def ColourSwitch(lg: str):
    with solara.Row(style={"align-items": "center"}):
        solara.Text(t("Colour by", lg) + ":")
        with solara.ToggleButtonsSingle(value=colour_by, dense=True):
            solara.Button(t("state", lg), value="state")
            solara.Button(t("satisfaction", lg), value="satisfaction")


@solara.component
def SeriesView(runner: Runner, lg: str, frame: int):
    Plot(lambda: figures.series_spec(runner, lg), [frame, lg, id(runner.model)], sync=sync_of(runner))


@solara.component
def ChannelsView(runner: Runner, lg: str, frame: int):
    Plot(lambda: figures.channels_spec(runner, lg), [frame, lg, id(runner.model)], sync=sync_of(runner))


@solara.component
def Inspector(runner: Runner, lg: str, frame: int):
    error, set_error = solara.use_state("")
    kinds = {t("Customer", lg): "customer", t("Employee", lg): "employee"}
    last = (runner.model.firm.size if inspect_kind.value == "customer" else len(runner.model.employees)) - 1

    def choose_id(raw):
        try:
            i = int(str(raw).strip())
        except ValueError:
            set_error(f"{raw!r}: {t("No such agent: numbers run from 0 to {last}.", lg, last=last)}")
            return
        if not 0 <= i <= last:
            set_error(t("No such agent: numbers run from 0 to {last}.", lg, last=last))
            return
        set_error("")
        inspect_id.value = i

    def pick():
        set_error("")
        inspect_id.value = random.randint(0, last)

    with solara.Card(t("Inspect", lg), margin=0):
        solara.Select(t("What to inspect", lg), values=list(kinds),
                      value=next(k for k, v in kinds.items() if v == inspect_kind.value),
                      on_value=lambda k: (inspect_kind.set(kinds[k]), inspect_id.set(0)))
        with solara.Row(style={"align-items": "center"}):
            solara.InputText(t("Number", lg), value=str(inspect_id.value), on_value=choose_id, error=error or False)
            solara.Button(t("Pick at random", lg), icon_name="mdi-dice-5", on_click=pick, outlined=True)
        if error:
            solara.Error(error, dense=True)
        AgentTable(runner, lg, min(inspect_id.value, last), frame)


@solara.component
def AgentTable(runner: Runner, lg: str, i: int, frame: int):
    kinds = {"customer": t("Customer", lg), "employee": t("Employee", lg)}
    rows = (figures.customer_rows if inspect_kind.value == "customer" else figures.employee_rows)(runner, i, lg)
    title = f"{kinds[inspect_kind.value]} {i} · {t("Day", lg)} {runner.day}"
    body = "".join(f"<tr><td>{_escape(k)}</td><td><b>{_escape(v)}</b></td></tr>" for k, v in rows)
    solara.HTML(tag="div", unsafe_innerHTML=f"<h3>{_escape(title)}</h3><table class='lealtad-table'>{body}</table>")


@solara.component
def About(lg: str):
    html = solara.use_memo(lambda: about_html(lg), [lg])
    solara.HTML(tag="div", unsafe_innerHTML=html, classes=["lealtad-about"])


@solara.component
def LanguageSwitch():
    with solara.ToggleButtonsSingle(value=lang, dense=True):
        for code, name in LANGUAGES.items():
            solara.Button(name, value=code)


@solara.component
def Page(runner: Runner | None = None):
    """The whole app. Solara calls it without arguments (a new runner per browser session); tests and
    the classroom mode may pass their own runner."""
    own = solara.use_memo(new_runner if runner is None else (lambda: None), [])
    runner = runner or own

    def forget():  # the session ends: drop what the module keeps per runner
        return lambda: (SYNC.pop(id(runner), None), FRAME_MS.pop(id(runner), None))

    solara.use_effect(forget, [id(runner)])
    lg = lang.value
    solara.Title(t("lealtad: the service-profit chain", lg))
    solara.Style(CSS)
    with solara.Column(gap="0px", style={"min-height": "100vh"}):
        with solara.Row(classes=["lealtad-header"], style={"align-items": "center", "justify-content": "space-between"}):
            solara.HTML(tag="div", unsafe_innerHTML=f"<h1>{_escape(t("lealtad: the service-profit chain", lg))}</h1>"
                                                    f"<div class='sub'>{_escape(t("A simulation of customer loyalty", lg))}</div>")
            with solara.Row(style={"align-items": "center", "background": "white", "border-radius": "6px",
                                   "padding": "2px 8px"}):
                LanguageSwitch()
        # The classroom tab is a game of its own: the free simulation's controls, key numbers and Play
        # leave the screen while it is open (one set of sliders at a time, the team's).
        in_game = tab.value == CLASSROOM_TAB
        # The same elements in both cases (only their content and width change), so the tabs are not
        # rebuilt when the classroom opens: rebuilt at a new width, Vuetify left them scrolled aside.
        with solara.Row(gap="20px", classes=["lealtad-main"],
                        style={"padding": "12px 20px", "align-items": "flex-start", "flex-wrap": "nowrap"}):
            with solara.Column(style={"flex": "0 0 25%", "max-width": "25%", "min-width": "0"},
                               classes=["lealtad-hidden"] if in_game else []):
                if not in_game:
                    Controls(runner, lg)
            with solara.Column(style={"flex": "1 1 0", "min-width": "0"}):
                Stage(runner, lg, in_game)


@solara.component
def Stage(runner: Runner, lg: str, in_game: bool):
    """The key numbers and the tabs. The one component that follows every step of the model (``tick``):
    the views get the frame as an argument, so a step is one render of the page, not one per view
    (each render walks every widget of the page: six of them were most of a frame's time)."""
    frame = tick.value
    with solara.Column(gap="0px"):  # always there: the tabs below keep their place in the tree
        if not in_game:
            KeyNumbers(runner, lg, frame)
    with solara.lab.Tabs(value=tab.value, on_value=choose_tab, lazy=True):
        with solara.lab.Tab(t("Simulation", lg), icon_name="mdi-link-variant"):
            ChainView(runner, lg, frame)
            with solara.Columns([3, 2]):
                NetworkView(runner, lg, frame)
                Inspector(runner, lg, frame)
        with solara.lab.Tab(t("Time series", lg), icon_name="mdi-chart-line"):
            SeriesView(runner, lg, frame)
        with solara.lab.Tab(t("Channels", lg), icon_name="mdi-phone-in-talk"):
            ChannelsView(runner, lg, frame)
        with solara.lab.Tab(t("Inspect", lg), icon_name="mdi-account-search"):
            Inspector(runner, lg, frame)
        with solara.lab.Tab(t("Classroom", lg), icon_name="mdi-account-group"):
            Classroom(lg)
        with solara.lab.Tab(t("About the model", lg), icon_name="mdi-information-outline"):
            About(lg)


def choose_tab(index: int):
    if index == CLASSROOM_TAB:
        playing.value = False  # the free simulation stops while a game is played
    tab.value = index
