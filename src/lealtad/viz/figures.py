"""Plotly figures for the app, built from a Runner: no Solara here, so they can be tested, reused by
the classroom mode, or saved for slides.

- ``chain_figure``: the eight links of the service-profit chain (Heskett et al. 1994), each with the
  company's live value, coloured by its change over the last week.
- ``network_figure``: a connected sample of the customers' social network, coloured by state
  (prospect, ours, the competitor's) or by satisfaction; people who joined a firm in the last week
  are ringed, so word of mouth spreading along the ties is visible.
- ``series_figure``: the outputs over time, the two firms side by side in each panel.
- ``channels_spec``: each service channel's mean wait and unanswered share over time (a firm-wide
  mean wait would be mostly the email's hours); ``channel_waits`` and ``wait_text`` for the headline.
- ``customer_rows`` / ``employee_rows``: one agent's state for the inspector.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.colors as pc
import plotly.graph_objects as go

from .i18n import N_, chain_detail, chain_label, firm_label, gettext, output_label, t
from ..locale import numbers
from ..modules.channels import CHANNELS
from .runner import Runner, rolling_mean

COMPANY, COMPETITOR, PROSPECT = "#1565C0", "#EF6C00", "#B0BEC5"
FIRM_COLOURS = (COMPANY, COMPETITOR)
UP, DOWN, FLAT = "#C8E6C9", "#FFCDD2", "#ECEFF1"
# Spelled out: the figures reach plotly.js without plotly.py's validation, which expands named scales.
SATISFACTION_SCALE = [[i / (len(_c) - 1), c] for _c in [pc.diverging.RdYlGn] for i, c in enumerate(_c)]
FONT = dict(family="Roboto, Arial, sans-serif", size=15, color="#263238")
# No plotly theme: its default template is large and is validated again at every redraw (tens of ms).
TEMPLATE = "none"


# ------------------------------------------------------------------------------------- chain
ALARM_WAITS = 4  # waits of more than this many wait tolerances (in any channel) turn the productivity box red
ALARM_UNANSWERED = 0.5  # so does a week in which most contacts ended unanswered (abandoned or turned away)


@dataclass(frozen=True)
class Link:
    key: str
    value: float          # the number whose change colours the box
    change: float         # last 7 days' mean minus the 7 days before
    text: str             # what the box shows
    higher_is_better: bool
    tolerance: float      # changes smaller than this are "steady"
    also: "tuple[Link, ...]" = ()  # more measures shown in the same box (productivity: wait and unanswered share)
    alarm: bool = False   # the level itself is bad, whatever its trend (waits far beyond tolerance)

    @property
    def own_trend(self) -> str:
        if not np.isfinite(self.change) or abs(self.change) <= self.tolerance:
            return "flat"
        return "up" if (self.change > 0) == self.higher_is_better else "down"

    @property
    def trend(self) -> str:
        """Worse if any measure in the box got worse, better if one improved and none got worse."""
        if self.alarming:
            return "down"
        trends = {self.own_trend} | {a.own_trend for a in self.also}
        return "down" if "down" in trends else "up" if "up" in trends else "flat"

    @property
    def alarming(self) -> bool:
        return self.alarm_reason is not None

    @property
    def alarm_reason(self) -> str | None:
        """The key of the first measure in the box whose level is alarming, or None."""
        return next((m.key for m in (self, *self.also) if m.alarm), None)


def _week_change(x: np.ndarray) -> tuple[float, float]:
    """(mean of the last 7 days, that minus the mean of the 7 days before) for the company."""
    x = x[:, 0] if x.ndim == 2 else x
    if len(x) == 0:
        return float("nan"), float("nan")
    last = np.nanmean(x[-7:]) if np.any(np.isfinite(x[-7:])) else float("nan")
    before = x[-14:-7]
    if len(before) == 0 or not np.any(np.isfinite(before)):
        return float(last), float("nan")
    return float(last), float(last - np.nanmean(before))


def chain_links(runner: Runner, lang: str = "en") -> list[Link]:
    """The company's value at each link of the chain, with its weekly change (numbers written for ``lang``)."""
    s = runner.series
    links = []

    def num(v, decimals=2, **kw):
        return numbers.number(v, lang, decimals, **kw)

    def add(key, series, fmt, higher=True, tol=0.005, also=()):
        value, change = _week_change(series)
        text = fmt(value) if np.isfinite(value) else numbers.DASH
        links.append(Link(key, value, change, text, higher, tol, also))

    add("leadership", s("internal_quality"), num)
    add("employee_satisfaction", s("employee_satisfaction"), num)
    add("employee_loyalty", s("turnover"), lambda v: num(v, 0) + " %", higher=False, tol=2.0)
    # The share of contacts answered within their channel's target, not the mean wait over every channel:
    # that mean is the email's hours, whatever happens on the phone.
    in_time, in_time_change = _week_change(s("service_level"))
    # Waits beyond ALARM_WAITS tolerances of their channel leave almost no responsiveness (exp(-4) = 2 %),
    # and impatient customers give up: either way the box is red however slowly the measure still moves
    # and however skill moves (a strike with a surge).
    waiting = Link("wait", in_time, in_time_change, "", True, 0.02, alarm=_waits_alarming(runner))
    unanswered, unanswered_change = _week_change(s("abandonment"))
    unanswering = Link("unanswered", unanswered, unanswered_change, "", False, 0.02,
                       alarm=bool(np.isfinite(unanswered) and unanswered > ALARM_UNANSWERED))
    add("productivity", s("employee_skill"),
        lambda v: f"{num(v)} · {numbers.percent(in_time, lang)} · {numbers.percent(unanswered, lang)}",
        also=(waiting, unanswering))
    add("service_value", s("service_quality"), num)
    add("customer_satisfaction", s("customer_satisfaction"), num)
    add("customer_loyalty", s("nps"), lambda v: num(v, 0, sign=True), tol=1.0)
    share = s("market_share")
    share_now = share[-1, 0] if len(share) else float("nan")
    profit = s("profit")
    scale = 0.02 * float(np.nanmean(np.abs(profit[-14:, 0]))) if len(profit) else 0.0
    add("profit", profit, lambda v: f"{num(v, 0)} · {numbers.percent(share_now, lang)}", tol=max(scale, 1.0))
    return links


def _waits_alarming(runner: Runner) -> bool:
    """Whether the company's mean wait over the last 7 days exceeds ALARM_WAITS wait tolerances in any
    channel (each channel against what its customers expect: minutes on the phone, hours by email)."""
    params = getattr(runner, "params", {})
    for channel in CHANNELS:
        wait, _ = _week_change(runner.series(f"{channel}_wait_mean"))
        if np.isfinite(wait) and wait > ALARM_WAITS * params.get(f"{channel}_wait_tolerance", np.inf):
            return True
    return False


# Boxes in a U: links 1-4 left to right on top, 5-8 right to left below (profit feeds back to
# leadership: the chain is a cycle).
_POSITIONS = [(0, 1), (1, 1), (2, 1), (3, 1), (3, 0), (2, 0), (1, 0), (0, 0)]


def _wrap(text: str, width: int = 18) -> str:
    """Break a label into lines of about ``width`` characters (plotly does not wrap text)."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join([*lines, line])


CHAIN_TITLE = N_("The company's service-profit chain (change over the last 7 days)")


def _marks(lang: str) -> dict[str, str]:
    return {"up": "▲ " + t("better", lang), "down": "▼ " + t("worse", lang), "flat": "● " + t("steady", lang),
            "wait": "⚠ " + t("waits far too long", lang), "unanswered": "⚠ " + t("contacts left unanswered", lang)}


def chain_html(runner: Runner, lang: str) -> str:
    """The chain as HTML boxes in a U (links 1-4 on top, 5-8 below, right to left): what the app shows.
    A browser lays out a few boxes of text in a millisecond; the same as a plotly figure took 40-60 ms
    to redraw on a projector's computer at every frame of Play."""
    from html import escape

    fill = {"up": UP, "down": DOWN, "flat": FLAT}
    mark = _marks(lang)
    cells = []
    for link, (cx, cy) in zip(chain_links(runner, lang), _POSITIONS):
        column, row = 2 * cx + 1, 1 if cy == 1 else 3
        trend = link.alarm_reason or link.trend
        cells.append(f"<div class='lealtad-link lealtad-{link.trend}' data-link='{link.key}' "
                     f"style='grid-column:{column};grid-row:{row};background:{fill[link.trend]}'>"
                     f"<div class='t'>{escape(chain_label(link.key, lang))}</div><div class='v'>{escape(link.text)}</div>"
                     f"<div class='d'>{escape(chain_detail(link.key, lang))}</div><div class='m'>{escape(mark[trend])}</div></div>")
    arrows = [(2, 1, "→"), (4, 1, "→"), (6, 1, "→"), (7, 2, "↓"), (6, 3, "←"), (4, 3, "←"), (2, 3, "←"), (1, 2, "↑")]
    cells += [f"<div class='lealtad-arrow' style='grid-column:{c};grid-row:{r}'>{a}</div>" for c, r, a in arrows]
    return (f"<div class='lealtad-chain-title'>{escape(gettext(CHAIN_TITLE, lang))}</div>"
            f"<div class='lealtad-chain'>{''.join(cells)}</div>")


def chain_spec(runner: Runner, lang: str) -> dict:
    """The chain as a plotly figure (for slides and reports; the app draws chain_html)."""
    links = chain_links(runner, lang)
    fill = {"up": UP, "down": DOWN, "flat": FLAT}
    mark = _marks(lang)
    w, h = 0.42, 0.40
    shapes, arrows = [], []
    # Text as scatter traces, not annotations: plotly validates each annotation at every redraw.
    rows = {"title": ([], [], [], 14, "#263238"), "value": ([], [], [], 24, "#263238"),
            "detail": ([], [], [], 14, "#546E7A"), "trend": ([], [], [], 14, "#37474F")}
    for link, (cx, cy) in zip(links, _POSITIONS):
        shapes.append(dict(type="rect", x0=cx - w, x1=cx + w, y0=cy - h, y1=cy + h, fillcolor=fill[link.trend],
                           line=dict(color="#607D8B", width=1.5), layer="below"))
        for row, dy, text in (("title", 0.24, f"<b>{_wrap(chain_label(link.key, lang))}</b>"),
                              ("value", -0.01, f"<b>{link.text}</b>"),
                              ("detail", -0.20, chain_detail(link.key, lang)), ("trend", -0.31, mark[link.alarm_reason or link.trend])):
            rows[row][0].append(cx)
            rows[row][1].append(cy + dy)
            rows[row][2].append(text)
    for (ax, ay), (bx, by) in zip(_POSITIONS, _POSITIONS[1:] + _POSITIONS[:1]):
        dx, dy = np.sign(bx - ax), np.sign(by - ay)
        arrows.append(dict(x=bx - dx * (w + 0.01), y=by - dy * (h + 0.01), ax=ax + dx * (w + 0.01), ay=ay + dy * (h + 0.01),
                           xref="x", yref="y", axref="x", ayref="y", text="", showarrow=True, arrowhead=3,
                           arrowsize=1.4, arrowwidth=2.5, arrowcolor="#455A64"))
    traces = [dict(type="scatter", x=x, y=y, text=text, mode="text", textfont=dict(size=size, color=colour),
                   hoverinfo="skip", showlegend=False) for x, y, text, size, colour in rows.values()]
    return dict(data=traces, layout=dict(
        shapes=shapes, annotations=arrows, height=380, margin=dict(l=5, r=5, t=40, b=5), font=FONT, template=TEMPLATE, separators=numbers.plotly_separators(lang),
        title=dict(text=gettext(CHAIN_TITLE, lang), x=0.01, font=dict(size=16)),
        xaxis=dict(range=[-0.5, 3.5], visible=False, fixedrange=True),
        yaxis=dict(range=[-0.5, 1.5], visible=False, fixedrange=True),
        plot_bgcolor="white", paper_bgcolor="white"))


# ----------------------------------------------------------------------------------- network
def network_spec(runner: Runner, lang: str, colour_by: str = "state") -> dict:
    sample = runner.network_sample()
    m = runner.model
    ids = sample.nodes
    firm = m.firm[ids]
    sat = m.satisfaction[ids]
    new = (firm >= 0) & (m.joined[ids] >= m.day - 7) & (m.day > 0)
    ex = np.full(3 * len(sample.edges), np.nan)
    ey = np.full(3 * len(sample.edges), np.nan)
    ex[0::3], ex[1::3] = sample.x[sample.edges[:, 0]], sample.x[sample.edges[:, 1]]
    ey[0::3], ey[1::3] = sample.y[sample.edges[:, 0]], sample.y[sample.edges[:, 1]]
    traces = [dict(type="scatter", x=ex, y=ey, mode="lines", line=dict(color="#CFD8DC", width=0.6), hoverinfo="skip",
                         showlegend=False)]
    hover = t("Customer", lang) + " %{customdata}<extra></extra>"

    def nodes(mask, name, colour, **marker):
        ring = np.where(new[mask], 2.0, 0.0)
        traces.append(dict(
            type="scatter", x=sample.x[mask], y=sample.y[mask], mode="markers", name=name, customdata=ids[mask],
            hovertemplate=hover,
            marker=dict(size=np.where(new[mask], 11, 8), color=colour, line=dict(width=ring, color="#212121"), **marker)))

    if colour_by == "satisfaction":
        nodes(firm < 0, t("with neither firm (prospect)", lang), PROSPECT)
        active = firm >= 0
        nodes(active, t("satisfaction", lang), sat[active], colorscale=SATISFACTION_SCALE, cmin=0, cmax=1,
              colorbar=dict(title=dict(text=t("satisfaction", lang)), thickness=14, len=0.7),
              symbol=np.where(firm[active] == 0, "circle", "diamond"))
    else:
        for value, key, colour in ((-1, N_("with neither firm (prospect)"), PROSPECT),
                                   (0, N_("the company's customer"), COMPANY),
                                   (1, N_("the competitor's customer"), COMPETITOR)):
            nodes(firm == value, gettext(key, lang), colour)
    # legend entry for the ring that marks newcomers
    traces.append(dict(type="scatter", x=[None], y=[None], mode="markers", name=t("new (last 7 days)", lang),
                             marker=dict(size=11, color="white", line=dict(width=2, color="#212121"))))
    title = f"{t("Customers' social network", lang)} · {t("sample of {shown} of {total} people", lang, shown=len(ids), total=m.firm.size)}"
    return dict(data=traces, layout=dict(
        height=520, margin=dict(l=5, r=5, t=40, b=5), font=FONT, template=TEMPLATE, separators=numbers.plotly_separators(lang), title=dict(text=title, x=0.01, font=dict(size=16)),
        xaxis=dict(visible=False), yaxis=dict(visible=False, scaleanchor="x"), plot_bgcolor="white",
        legend=dict(orientation="h", y=-0.02, x=0, font=dict(size=14)), uirevision="network",
        hovermode="closest", clickmode="event"))


# ------------------------------------------------------------------------------------ series
# No firm-wide mean wait here: it mixes the channels (an email's hours outweigh every phone call), so
# waits are shown per channel (CHANNEL_PANELS) and the firm's panel is its service level.
SERIES_PANELS = ("employee_satisfaction", "turnover", "service_level", "service_quality", "customer_satisfaction",
                 "nps", "image", "market_share", "revenue", "profit_week")
# The Channels tab: each channel's mean wait (left) and unanswered share (right), both firms.
CHANNEL_PANELS = tuple(f"{channel}_{measure}" for channel in CHANNELS for measure in ("wait_mean", "abandonment"))
# The y-axis title of each panel: what its numbers count.
SERIES_UNITS = {"employee_satisfaction": N_("index 0-1"), "turnover": N_("%/year"), "wait_mean": N_("hours"),
                "service_quality": N_("quality 0-1"), "customer_satisfaction": N_("index 0-1"), "nps": N_("points"),
                "image": N_("index 0-1"), "market_share": N_("share of market"), "revenue": N_("EUR/day"),
                "profit_week": N_("EUR/day"), "service_level": N_("share in time"),
                **{f"{c}_wait_mean": N_("hours") for c in CHANNELS},
                **{f"{c}_abandonment": N_("share of contacts") for c in CHANNELS}}
# Contingencies shade the panels: strikes red, demand surges purple with a dashed edge, so that both
# stay visible where they overlap; each has a legend entry.
BANDS = {"strike": ("#E53935", N_("Strike"), "solid"), "surge": ("#8E24AA", N_("Demand surge"), "dash")}
TICK_FONT = dict(size=14)


SERIES_TITLE = N_("The company and its competitor")
CHANNELS_TITLE = N_("Waits and unanswered contacts per channel (the company and its competitor)")


def series_spec(runner: Runner, lang: str, panels: tuple[str, ...] = SERIES_PANELS, title: str = SERIES_TITLE) -> dict:
    """A grid of small panels (two columns), both firms in each. The axes are laid out here rather
    than with make_subplots, which costs several times more at every redraw."""
    cols, gap_x, gap_y = 2, 0.12, 0.5 / max(1, (len(panels) + 1) // 2)
    rows = (len(panels) + cols - 1) // cols
    height_row = (1 - gap_y * (rows - 1)) / rows
    width_col = (1 - gap_x * (cols - 1)) / cols
    days = runner.days
    traces, layout, titles = [], {}, []
    for i, name in enumerate(panels):
        r, c = divmod(i, cols)
        k = "" if i == 0 else str(i + 1)
        x0 = c * (width_col + gap_x)
        y1 = 1 - r * (height_row + gap_y)
        bottom = i + cols >= len(panels)
        layout[f"xaxis{k}"] = dict(domain=[x0, x0 + width_col], anchor=f"y{k}", showgrid=True, gridcolor="#ECEFF1",
                                   showline=True, linecolor="#B0BEC5", ticks="outside", tickfont=TICK_FONT)
        if bottom:
            layout[f"xaxis{k}"]["title"] = dict(text=t("Day", lang), font=dict(size=14))
        layout[f"yaxis{k}"] = dict(domain=[y1 - height_row, y1], anchor=f"x{k}", showgrid=True, gridcolor="#ECEFF1",
                                   showline=True, linecolor="#B0BEC5", ticks="outside", zeroline=False,
                                   tickfont=TICK_FONT, title=dict(text=gettext(SERIES_UNITS.get(name, ""), lang),
                                                                  font=dict(size=14), standoff=4))
        titles.append(dict(text=f"<b>{output_label(name, lang)}</b>", x=x0 + width_col / 2, y=y1, xref="paper",
                           yref="paper", xanchor="center", yanchor="bottom", showarrow=False, font=dict(size=15)))
        y = runner.series(name)
        if name == "revenue":
            y = rolling_mean(y, 7)
        for f, firm in enumerate(("company", "competitor")):
            traces.append(dict(type="scatter", x=days, y=y[:, f], mode="lines", name=firm_label(firm, lang), legendgroup=firm,
                               showlegend=i == 0, line=dict(color=FIRM_COLOURS[f], width=2.2),
                               xaxis=f"x{k}", yaxis=f"y{k}"))
    bands = [("surge" if kind == "surge" else "strike", a, b) for a, b, kind in runner.contingencies()]
    shapes = []
    for kind, a, b in bands:
        colour, _, dash = BANDS[kind]
        edge = dict(width=1.5, color=colour, dash=dash) if dash != "solid" else dict(width=0)
        shapes += [dict(type="rect", xref=f"x{'' if i == 0 else i + 1}", yref=f"y{'' if i == 0 else i + 1} domain",
                        x0=a - 0.5, x1=b + 0.5, y0=0, y1=1, fillcolor=colour, opacity=0.15 if dash == "solid" else 0.2,
                        line=edge, layer="below") for i in range(len(panels))]
    for kind in dict.fromkeys(kind for kind, _, _ in bands):  # a legend entry for each kind shown
        colour, label, _ = BANDS[kind]
        traces.append(dict(type="scatter", x=[None], y=[None], mode="markers", name=gettext(label, lang),
                           marker=dict(symbol="square", size=15, color=colour, opacity=0.45), hoverinfo="skip"))
    return dict(data=traces, layout=dict(
        **layout, annotations=titles, shapes=shapes, height=190 * rows + 110, margin=dict(l=70, r=15, t=80, b=50),
        font=FONT, template=TEMPLATE, separators=numbers.plotly_separators(lang), plot_bgcolor="white", uirevision="series",
        title=dict(text=gettext(title, lang), x=0.01, font=dict(size=16)),
        legend=dict(orientation="h", x=1, xanchor="right", y=1, yanchor="top", yref="container", font=dict(size=15))))


def channels_spec(runner: Runner, lang: str) -> dict:
    """Each service channel's mean wait and unanswered share over time, both firms in each panel."""
    return series_spec(runner, lang, CHANNEL_PANELS, CHANNELS_TITLE)


# ------------------------------------------------------------------------ plotly figure objects
# The *_spec functions return plain dicts ({"data": [...], "layout": {...}}): the app hands them to its
# plot widget, which validates them once. These wrappers give ordinary plotly figures (tests, slides).
def chain_figure(runner: Runner, lang: str) -> go.Figure:
    return go.Figure(chain_spec(runner, lang))


def network_figure(runner: Runner, lang: str, colour_by: str = "state") -> go.Figure:
    return go.Figure(network_spec(runner, lang, colour_by))


def series_figure(runner: Runner, lang: str, panels: tuple[str, ...] = SERIES_PANELS) -> go.Figure:
    return go.Figure(series_spec(runner, lang, panels))


# ------------------------------------------------------------------------------- key numbers
def _last(runner: Runner, name: str) -> tuple[float, float]:
    x = runner.series(name)
    return (float(x[-1, 0]), float(x[-1, 1])) if len(x) else (float("nan"), float("nan"))


def kpis(runner: Runner) -> dict[str, tuple[float, float]]:
    """Today's headline numbers for both firms (NaN before the first day)."""
    return {"share": _last(runner, "market_share"), "nps": _last(runner, "nps"),
            "profit": _last(runner, "cumulative_profit")}


def channel_waits(runner: Runner) -> dict[str, tuple[float, float]]:
    """Today's mean wait in each channel in use for both firms, in hours (NaN: nobody was served there
    today). In use: a channel with staff today or contacts so far (before the first day, one with a
    share of the market's contacts); an unused channel (self-service, by default) is left out."""
    return {channel: _last(runner, f"{channel}_wait_mean") for channel in CHANNELS if _in_use(runner, channel)}


def _in_use(runner: Runner, channel: str) -> bool:
    contacts, staff = runner.series(f"{channel}_contacts"), runner.series(f"{channel}_staff")
    if not len(contacts):
        return runner.model.p[f"{channel}_share"] > 0
    return bool(contacts.sum() > 0 or (staff[-1] > 0).any())


def wait_text(hours: float, lang: str) -> str:
    """A wait as people say it: minutes under an hour ("12 min"), else hours ("6,8 h")."""
    if not np.isfinite(hours):
        return numbers.DASH
    return f"{numbers.number(60 * hours, lang)} min" if hours < 1 else f"{numbers.number(hours, lang, 1)} h"


# --------------------------------------------------------------------------------- inspector
def _num(x: float, lang: str) -> str:
    return numbers.number(x, lang, 2)


STANDINGS = {"active": N_("active (buys from the company)"), "potential": N_("potential (buys from the competitor)"),
             "prospect": N_("prospect (not yet in the market)")}


def customer_rows(runner: Runner, i: int, lang: str) -> list[tuple[str, str]]:
    c = runner.model.customer(i)
    firm = t("none", lang) if c.firm is None else firm_label(c.firm, lang)
    image = c.image
    return [
        (t("Segment", lang), gettext(STANDINGS[c.standing], lang)),
        (t("Firm", lang), firm),
        (t("satisfaction", lang).capitalize(), _num(c.satisfaction, lang)),
        (t("Commitment", lang), _num(c.commitment, lang)),
        (t("Image of the company", lang), _num(image["company"], lang)),
        (t("Image of the competitor", lang), _num(image["competitor"], lang)),
        (t("Purchases", lang), str(c.purchases)),
        (t("Quality of the last encounter", lang), _num(c.last_quality, lang)),
        (t("Wait at the last encounter (hours)", lang), _num(c.last_wait, lang)),
        (t("Contacts in the network", lang), str(int(runner.model.network.degree[i]))),
    ]


def employee_rows(runner: Runner, i: int, lang: str) -> list[tuple[str, str]]:
    e = runner.model.employees[i]
    status = t("position closed", lang) if not e.is_open else t("vacant", lang) if e.vacant else t("working", lang)
    return [
        (t("Firm", lang), firm_label(e.firm, lang)),
        (t("Status", lang), status),
        (t("satisfaction", lang).capitalize(), _num(e.satisfaction, lang)),
        (t("Skill", lang), _num(e.skill, lang)),
        (t("People who have held the position", lang), str(e.hires)),
    ]
