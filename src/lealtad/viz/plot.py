"""A plotly figure in the page, updated in place: ``Plotly.extendTraces`` when only new points were
added (a time series one day on), else one ``Plotly.react`` call.

plotly's own FigureWidget redraws a figure three times per update (layout, new traces, old traces
removed) and ships its 5 MB script inside every figure; in a classroom browser that was a second per
step. Here plotly.js (from the plotly package itself, nothing from the internet) is served once by
the app at ``PLOTLY_URL`` as an ES module, and each figure is a small anywidget. A new figure is
compared with the one the browser has: if its traces only grew, just the new points are sent (a
year of ten panels was 190 kB of JSON a frame, a day of it is a few hundred bytes); otherwise the
whole figure goes to ``Plotly.react``, which redraws only what changed.
"""

from __future__ import annotations

import functools
import json
import threading
from pathlib import Path

import anywidget
import plotly
import plotly.io as pio
import solara
import traitlets

PLOTLY_URL = "/_lealtad/plotly.mjs"

_ESM = """
let loading = null;
function plotly() {
  if (!loading) loading = import(new URL("%s", window.location.origin).href).then((m) => m.default);
  return loading;
}
// Reuse the previous array where the new one has the same content (the network's positions and ties
// do not move): Plotly.react then sees the same object and redraws only what really changed.
function keep(next, prev) {
  if (Array.isArray(next) && Array.isArray(prev)) {
    if (next.length === prev.length && next.every((v, i) => v === prev[i] || (v !== v && prev[i] !== prev[i]))) return prev;
    return next.length === prev.length && next.length && typeof next[0] === "object" ? next.map((v, i) => keep(v, prev[i])) : next;
  }
  if (next && prev && typeof next === "object" && typeof prev === "object") {
    for (const k of Object.keys(next)) next[k] = keep(next[k], prev[k]);
  }
  return next;
}
export default {
  async render({ model, el }) {
    const Plotly = await plotly();
    const div = document.createElement("div");
    el.appendChild(div);
    const config = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ["sendDataToCloud"] };
    let shown = [];
    let gone = false;  // the figure left the page: its channel to the server is closed
    // One drawing at a time. What arrives meanwhile waits: a whole figure replaces everything before
    // it (a slow computer shows fewer frames instead of falling behind); new points are merged, as
    // none may be lost.
    let busy = false, todo = [];
    const run = async (op) => {
      if (op.kind === "react") {
        const fig = model.get("figure") || {};
        const data = keep(structuredClone(fig.data || []), shown);
        shown = data;
        await Plotly.react(div, data, fig.layout || {}, config);
      } else {
        await Plotly.extendTraces(div, { x: op.x, y: op.y }, op.indices);
        shown = div.data;
      }
    };
    const queue = async (op) => {
      const last = todo[todo.length - 1];
      if (op.kind === "react") todo = [op];
      else if (last && last.kind === "extend" && String(last.indices) === String(op.indices)) {
        op.indices.forEach((_, i) => { last.x[i].push(...op.x[i]); last.y[i].push(...op.y[i]); });
      } else todo.push(op);
      if (busy) return;
      busy = true;
      try {
        while (todo.length && !gone) await run(todo.shift());
      } finally {
        busy = false;
      }
      if (!gone) model.send({ event: "drawn" });  // lets Play wait for the browser instead of flooding it
    };
    queue({ kind: "react" });
    const redraw = () => queue({ kind: "react" });
    const extend = (msg) => { if (msg.event === "extend") queue({ kind: "extend", ...msg }); };
    model.on("change:figure", redraw);
    model.on("msg:custom", extend);
    model.send({ event: "shown" });  // a new view of this widget: the server sends what it lacks
    div.on("plotly_click", (event) => {
      const p = event.points && event.points[0];
      if (p) model.send({ event: "click", trace: p.curveNumber, index: p.pointIndex });
    });
    return () => { gone = true; model.off("change:figure", redraw); model.off("msg:custom", extend); Plotly.purge(div); };
  },
};
""" % PLOTLY_URL


class PlotlyView(anywidget.AnyWidget):
    _esm = _ESM
    figure = traitlets.Dict().tag(sync=True)


def to_json_dict(spec: dict) -> dict:
    """A figure spec (numpy arrays inside) as plain JSON types, without plotly's validation."""
    return json.loads(pio.to_json(spec, validate=False, engine="json"))


def new_points(before: dict | None, after: dict) -> dict | None:
    """When ``after`` is ``before`` with points added at the end of some traces (and nothing else
    changed), those points: {"indices": [...], "x": [[...]], "y": [[...]]}; else None."""
    if not before or before.get("layout") != after.get("layout") or len(before["data"]) != len(after["data"]):
        return None
    grown = {"indices": [], "x": [], "y": []}
    for i, (old, new) in enumerate(zip(before["data"], after["data"])):
        if old.keys() != new.keys() or any(old[k] != new[k] for k in old if k not in ("x", "y")):
            return None
        old_x, old_y, new_x, new_y = old.get("x", []), old.get("y", []), new.get("x", []), new.get("y", [])
        n = len(old_x)
        if len(old_y) != n or len(new_x) != len(new_y) or new_x[:n] != old_x or new_y[:n] != old_y:
            return None
        if len(new_x) > n:
            grown["indices"].append(i)
            grown["x"].append(new_x[n:])
            grown["y"].append(new_y[n:])
    return grown if grown["indices"] else None


class FrameSync:
    """Which figures the browser has not finished drawing yet. A play loop waits on it before the
    next step, so a slow browser (an old laptop, a projector's PC) sets the pace and Pause is
    immediate, instead of updates piling up in the connection."""

    def __init__(self):
        self._pending: set[int] = set()
        self._done = threading.Condition()

    def sent(self, key: int):
        with self._done:
            self._pending.add(key)

    def drawn(self, key: int):
        with self._done:
            self._pending.discard(key)
            self._done.notify_all()

    def wait(self, timeout: float) -> bool:
        """True when every figure sent has been drawn, False if ``timeout`` seconds passed first."""
        with self._done:
            return self._done.wait_for(lambda: not self._pending, timeout)


@solara.component
def Plot(make_spec, dependencies: list, on_click=None, sync: FrameSync | None = None):
    """A figure drawn from ``make_spec()`` (a dict with "data" and "layout") whenever ``dependencies``
    change. ``on_click(trace, index)`` is called when a point is clicked; ``sync`` hears when the
    browser has drawn it."""
    element = PlotlyView.element()
    handler = solara.use_ref(on_click)
    handler.current = on_click
    latest = solara.use_ref(None)  # the figure the browser has now (its "figure" trait lags behind new points)

    def listen():
        widget = solara.get_widget(element)
        key = id(widget)

        def message(_widget, content, _buffers):
            if content.get("event") == "click" and handler.current is not None:
                handler.current(int(content["trace"]), int(content["index"]))
            elif content.get("event") == "drawn" and sync is not None:
                sync.drawn(key)
            elif content.get("event") == "shown" and latest.current is not None:
                widget.figure = latest.current  # a view drawn from the trait alone would miss new points

        widget.on_msg(message)

        def stop():
            widget.on_msg(message, remove=True)
            if sync is not None:
                sync.drawn(key)  # a figure that left the page is not waited for
        return stop

    def redraw():
        widget = solara.get_widget(element)
        figure = to_json_dict(make_spec())
        if figure == latest.current:
            # Nothing to send (a network whose colours did not change): the browser hears nothing and
            # so never answers "drawn"; waiting for it stalled Play for its whole timeout, 3 s a frame.
            return
        if sync is not None:
            sync.sent(id(widget))
        points = new_points(latest.current, figure)
        latest.current = figure
        if points is None:
            widget.figure = figure
        else:
            widget.send({"event": "extend", **points})

    solara.use_effect(listen, [])
    solara.use_effect(redraw, dependencies)
    return element


@functools.cache
def plotly_module() -> bytes:
    """plotly.min.js from the installed plotly package, wrapped as an ES module (its UMD header then
    fills the module's own ``module.exports`` instead of a global or the page's AMD loader)."""
    source = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text(encoding="utf-8")
    return ("const module = { exports: {} }; const exports = module.exports;\n" + source
            + "\nexport default module.exports;\n").encode("utf-8")


def add_route(starlette_app):
    """Serve plotly_module() at PLOTLY_URL from the given Starlette app (Solara's)."""
    from starlette.responses import Response
    from starlette.routing import Route

    async def serve(_request):
        return Response(plotly_module(), media_type="text/javascript",
                        headers={"Cache-Control": "public, max-age=86400"})

    starlette_app.router.routes.insert(0, Route(PLOTLY_URL, serve))
