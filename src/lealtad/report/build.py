"""Build the figures, sentences and tables of a report, and write them as one HTML file."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..experiments import stats
from ..outputs import OUTPUTS, UNITS

FIRM = "company"  # the firm whose policies the scenarios change
MAX_LINES = 12     # trajectory lines per figure; beyond it, points spread over the design are drawn (never pooled)
_DESCRIPTIONS = {o.name: o.description for o in OUTPUTS}


@dataclass
class Report:
    title: str
    description: str
    sentences: list[str] = field(default_factory=list)
    tables: list[tuple[str, pd.DataFrame]] = field(default_factory=list)
    figures: list[tuple[str, str, go.Figure]] = field(default_factory=list)  # (section, name, figure)
    notes: list[str] = field(default_factory=list)
    manifest: dict = field(default_factory=dict)

    def figure(self, name: str) -> go.Figure:
        for _, n, fig in self.figures:
            if n == name:
                return fig
        raise KeyError(name)


def _load(folder: Path):
    from ..io import UserError

    folder = Path(folder)
    manifest_path = folder / "manifest.json"
    results_path = folder / "results.parquet"
    if not folder.is_dir():
        raise UserError(f"{str(folder)!r} is not a results folder (made by `lealtad sweep`)")
    if not manifest_path.exists():
        raise UserError(f"{str(folder)!r} has no manifest.json: not a results folder made by `lealtad sweep`")
    try:
        manifest = json.loads(manifest_path.read_text())
        settings = manifest["settings"]
    except (json.JSONDecodeError, KeyError) as exc:
        raise UserError(f"{manifest_path}: unreadable manifest ({exc})") from None
    if not results_path.exists():
        raise UserError(f"{str(folder)!r} has no results.parquet: no run finished yet (rerun `lealtad sweep` "
                        "with --resume)")
    results = pd.read_parquet(results_path)
    points_path = folder / "points.csv"
    points = pd.read_csv(points_path) if points_path.exists() else pd.DataFrame({"point": [0]})
    return manifest, settings, results, points


def build_report(folder: str | Path) -> Report:
    """Everything the report shows, computed from a results folder."""
    manifest, settings, results, points = _load(Path(folder))
    outputs = [o for o in settings["outputs"] if o in results.columns]
    headline, baseline = settings["headline"], settings["baseline"]
    steps, window = int(results["day"].max()) + 1, settings["summary_days"]
    labels = {name: s["label"] for name, s in manifest["scenarios"].items()}
    order = [s for s in manifest["scenarios"] if s in set(results["scenario"])]
    colors = {s: _palette(i) for i, s in enumerate(manifest["scenarios"])}
    exp_info = manifest["experiment"]
    rep = Report(title=f"lealtad experiment: {exp_info['name']}", description=exp_info.get("description", ""),
                 manifest=manifest)
    runs = stats.run_values(results, outputs, window, FIRM)
    n_points = int(points["point"].nunique())
    swept = [c for c in points.columns if c != "point"]
    where = _point_names(points)
    if baseline in order:
        # Per scenario and sweep point, never pooled across points: points differ by design, so a mean
        # over them answers no question anyone asked and hides where effects change sign.
        diffs = stats.paired_differences(runs, outputs, baseline)
        _sentences(rep, diffs, labels, baseline, headline, steps, window, where)
        if len(swept) == 1 and n_points > 1:
            _crossings(rep, runs, points, swept[0], [s for s in order if s != baseline], headline, labels, steps,
                       window)
        _difference_table(rep, diffs, labels, outputs, steps, window, where)
        if n_points == 1:
            _difference_figure(rep, diffs, labels, colors, outputs, steps, window)
    else:
        diffs = None
        rep.notes.append(f"The baseline scenario '{baseline}' has no finished runs: no paired differences.")
    _trajectories(rep, results, outputs, order, labels, colors, points, where)
    if swept and n_points > 1:
        _response_curves(rep, runs, points, swept, outputs, headline, order, labels, colors, steps, window)
        if diffs is not None and not diffs.empty:
            _difference_curves(rep, diffs, points, swept, outputs, headline, labels, colors, steps, window)
        _sensitivity(rep, manifest, runs, outputs, headline, order, labels, steps, window, n_points)
    failures = Path(folder) / "failures.csv"
    if failures.exists():
        n = len(pd.read_csv(failures))
        rep.notes.append(f"{n} run(s) did not finish (see failures.csv); the figures use the runs that did.")
    return rep


def _point_names(points: pd.DataFrame) -> dict[int, str]:
    """'in_person_staff_per_1000 = 3.3' per sweep point ('' for the one point of an experiment without a sweep)."""
    swept = [c for c in points.columns if c != "point"]
    return {int(r["point"]): stats.point_words({c: r[c] for c in swept}) for _, r in points.iterrows()}


def _palette(i: int) -> str:
    import plotly.colors

    colors = plotly.colors.qualitative.Plotly
    return colors[i % len(colors)]


# ---------------------------------------------------------------------------------- summaries
MAX_TABLE_ROWS = 240
MAX_POINT_SENTENCES = 8  # beyond this many sweep points, one sentence per scenario gives the range


def _sentences(rep, diffs, labels, baseline, headline, steps, window, where):
    words = stats.describe(headline, steps, window)
    base_label = labels.get(baseline, baseline)
    d = diffs[diffs["output"] == headline]
    if diffs.empty:
        rep.sentences.append(f"One scenario ({base_label}): no scenarios to compare.")
    for scenario, g in d.groupby("scenario", sort=False):
        label = labels.get(scenario, scenario)
        if len(g) <= MAX_POINT_SENTENCES:
            for _, row in g.iterrows():
                rep.sentences.append(stats.sentence(label, words, row.to_dict(), base_label, headline,
                                                    where.get(int(row["point"]), "")))
        else:
            rep.sentences.append(_range_sentence(label, words, g, base_label, headline, where))


def _crossings(rep, runs, points, param, scenarios, headline, labels, steps, window):
    """Where two policies trade places along a one-parameter sweep: their paired difference (same seeds)
    changes sign between neighbouring points, each side's interval excluding zero."""
    words = stats.describe(headline, steps, window)
    order = points.sort_values(param)["point"].tolist()
    for i, a in enumerate(scenarios):
        for b in scenarios[i + 1:]:
            pair = runs[runs["scenario"].isin([a, b])]
            d = stats.paired_differences(pair, [headline], a).set_index("point").reindex(order)
            sign = np.where(d["ci_low"] > 0, 1, np.where(d["ci_high"] < 0, -1, 0))
            clear = [(p, s_) for p, s_ in zip(order, sign) if s_ != 0]
            for (p0, s0), (p1, s1) in zip(clear, clear[1:]):
                if s0 != s1:
                    v0, v1 = (points.set_index("point").loc[p, param] for p in (p0, p1))
                    ahead, behind = (b, a) if s0 > 0 else (a, b)
                    rep.sentences.append(
                        f"{labels.get(ahead, ahead)} and {labels.get(behind, behind)} cross between {param} = {v0:.4g} "
                        f"and {v1:.4g}: at {v0:.4g}, {labels.get(ahead, ahead)} gives the higher {words} "
                        f"(by {stats.fmt(abs(d.loc[p0, 'difference']))} {stats.unit(headline)}), at {v1:.4g} "
                        f"{labels.get(behind, behind)} does (by {stats.fmt(abs(d.loc[p1, 'difference']))}); paired "
                        "95% intervals exclude zero on both sides.")


def _range_sentence(label, words, g, base_label, output, where) -> str:
    """One sentence for a scenario over many sweep points: the smallest and largest paired effect and
    where they are, and at how many points the interval excludes zero in each direction."""
    lo, hi = g.loc[g["difference"].idxmin()], g.loc[g["difference"].idxmax()]
    unit = stats.unit(output)
    up = int((g["ci_low"] > 0).sum())
    down = int((g["ci_high"] < 0).sum())
    return (f"Over {len(g)} sweep points, {label} changed {words} against {base_label} by between "
            f"{stats.fmt(lo['difference'])} {unit} (at {where.get(int(lo['point']), lo['point'])}) and "
            f"{stats.fmt(hi['difference'])} {unit} (at {where.get(int(hi['point']), hi['point'])}); the 95% "
            f"interval excludes zero upwards at {up} and downwards at {down} of the {len(g)} points.")


def _difference_table(rep, diffs, labels, outputs, steps, window, where):
    if diffs.empty:
        return
    swept = any(where.values())
    rows = []
    for _, d in diffs.iterrows():
        row = {"scenario": labels.get(d["scenario"], d["scenario"])}
        if swept:
            row["sweep point"] = where.get(int(d["point"]), d["point"])
        rel = d["difference"] / d["baseline_mean"] if d["baseline_mean"] > 0 and stats.unit(d["output"]) != "points" \
            else np.nan
        row.update({"output (company)": stats.describe(d["output"], steps, window), "unit": stats.unit(d["output"]),
                    "baseline": stats.fmt(d["baseline_mean"]), "difference": stats.fmt(d["difference"]),
                    "relative": f"{100 * rel:+.1f} %" if np.isfinite(rel) else "",
                    "95% CI": f"{stats.fmt(d['ci_low'])} .. {stats.fmt(d['ci_high'])}",
                    "clear?": "yes" if (d["ci_low"] > 0 or d["ci_high"] < 0) else "no", "n": int(d["n"])})
        rows.append(row)
    table = pd.DataFrame(rows)
    if len(table) > MAX_TABLE_ROWS:  # a big design: the curves and paired.csv carry the rest
        rep.notes.append(f"The table of paired differences shows the first {MAX_TABLE_ROWS} of {len(table)} rows; "
                         "paired.csv has them all.")
        table = table.head(MAX_TABLE_ROWS)
    title = ("Paired differences against the baseline (scenario minus baseline, replication by replication"
             + (", at each sweep point" if swept else "") + "; 95% t-interval)")
    rep.tables.append((title, table))


def _difference_figure(rep, diffs, labels, colors, outputs, steps, window):
    """Paired differences of every output, each in its own unit on its own small panel, one colour per
    scenario. (Not as a percentage of the baseline: NPS, profit and other outputs can sit near zero,
    where a percentage blows a small change up or flips its sign.)"""
    if diffs.empty:
        return
    fig = make_subplots(rows=len(outputs), cols=1, vertical_spacing=min(0.08, 0.6 / max(len(outputs) - 1, 1)),
                        subplot_titles=[f"{stats.describe(out, steps, window)}, {stats.unit(out)}" for out in outputs])
    for row, out in enumerate(outputs, start=1):
        for _, d in diffs[diffs["output"] == out].iterrows():
            name = labels.get(d["scenario"], d["scenario"])
            fig.add_trace(go.Scatter(
                x=[d["difference"]], y=[name], mode="markers", name=name, legendgroup=d["scenario"], meta=out,
                showlegend=row == 1, marker=dict(color=colors.get(d["scenario"]), size=9),
                error_x=dict(type="data", symmetric=False, array=[d["ci_high"] - d["difference"]],
                             arrayminus=[d["difference"] - d["ci_low"]]),
                hovertemplate=f"{out}: %{{x:.4g}} {stats.unit(out)} (95% CI {stats.fmt(d['ci_low'])}.."
                              f"{stats.fmt(d['ci_high'])})<extra>{html.escape(name)}</extra>"), row=row, col=1)
    fig.add_vline(x=0, line_color="grey", row="all", col=1)
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(title="Paired difference against the baseline (scenario minus baseline, 95% CI), company",
                      height=130 * len(outputs) + 140, template="plotly_white")
    rep.figures.append(("Differences", "differences", fig))


# ------------------------------------------------------------------------------- trajectories
def _shown_points(n_points: int, n_scenarios: int) -> list[int]:
    """The sweep points whose trajectories are drawn: all when few, else evenly spread over the design."""
    per = max(1, MAX_LINES // max(n_scenarios, 1))
    if n_points <= per:
        return list(range(n_points))
    return sorted(set(np.linspace(0, n_points - 1, per).round().astype(int).tolist()))


def _trajectories(rep, results, outputs, order, labels, colors, points, where):
    """Each output's daily trajectory per scenario and sweep point: the median and the band holding the
    central 95% of the replications of that point (never pooled across points)."""
    d = results[results["firm"] == FIRM]
    n_points = int(points["point"].nunique())
    shown = _shown_points(n_points, len(order))
    if len(shown) < n_points:
        rep.notes.append(f"Trajectories are drawn for {len(shown)} of the {n_points} sweep points, spread over the "
                         "design; the response curves show every point.")
        d = d[d["point"].isin(shown)]
    n_lines = len(order) * len(shown)
    reps = d.groupby(["scenario", "point"])["replication"].nunique()
    for out in outputs:
        fig = go.Figure()
        for (scenario, point), grp in d.groupby(["scenario", "point"], sort=False):
            name = labels.get(scenario, scenario)
            if n_points > 1:
                name += f" ({where.get(int(point), point)})"
            band = stats.quantile_band(grp.groupby("day")[out])
            color, dash = colors.get(scenario), "solid"
            if n_points > 1:  # colour by sweep point, line style by scenario
                import plotly.colors

                color = plotly.colors.sample_colorscale("Viridis", int(point) / max(1, n_points - 1))[0]
                dash = ("solid", "dash", "dot", "dashdot")[order.index(scenario) % 4]
            fig.add_trace(go.Scatter(x=np.r_[band.index, band.index[::-1]], y=np.r_[band["high"], band["low"][::-1]],
                                     fill="toself", line=dict(width=0), fillcolor=color,
                                     opacity=0.2 if n_lines <= 4 else 0.1,
                                     hoverinfo="skip", showlegend=False, legendgroup=name))
            fig.add_trace(go.Scatter(x=band.index, y=band["median"], mode="lines", name=name, legendgroup=name,
                                     line=dict(color=color, dash=dash)))
        n_rep = int(reps.min()) if len(reps) else 0
        fig.update_layout(title=f"{out} ({UNITS.get(out, '')}): median and central 95% of the {n_rep} "
                                f"replication{'s' * (n_rep != 1)} of each {'point' if n_points > 1 else 'scenario'}, "
                                "company",
                          xaxis_title="day", yaxis_title=out, template="plotly_white", height=380)
        rep.figures.append(("Trajectories", f"trajectory:{out}", fig))


# --------------------------------------------------------------------------------- sweeps
def _response_curves(rep, runs, points, swept, outputs, headline, order, labels, colors, steps, window):
    """Run-level outputs against each swept parameter: point means with 95% CIs; a menu picks the output."""
    merged = runs.merge(points, on="point")
    for param in swept:
        fig = go.Figure()
        visible = []
        for out in outputs:
            for scenario in order:
                d = merged[merged["scenario"] == scenario]
                g = _point_intervals(d, param, out)
                mode = "lines+markers" if len(swept) == 1 else "markers"
                fig.add_trace(go.Scatter(x=g["x"], y=g["mean"], mode=mode, name=labels.get(scenario, scenario),
                                         error_y=dict(type="data", symmetric=False, array=g["high"] - g["mean"],
                                                      arrayminus=g["mean"] - g["low"],
                                                      visible=bool(np.isfinite(g["high"]).any())),
                                         marker=dict(color=colors.get(scenario)), line=dict(color=colors.get(scenario)),
                                         visible=out == headline))
                visible.append(out)
        buttons = [dict(label=out, method="update",
                        args=[{"visible": [v == out for v in visible]},
                              {"yaxis.title.text": stats.describe(out, steps, window)}]) for out in outputs]
        fig.update_layout(title=f"Response to {param} (company; point means, 95% CI over replications)",
                          xaxis_title=param, yaxis_title=stats.describe(headline, steps, window),
                          template="plotly_white", height=420,
                          updatemenus=[dict(buttons=buttons, direction="down", x=1.0, xanchor="right", y=1.15,
                                            active=outputs.index(headline))])
        rep.figures.append(("Sweep", f"response:{param}", fig))


def _point_intervals(runs: pd.DataFrame, param: str, out: str) -> pd.DataFrame:
    """Per sweep point (sorted by ``param``): the mean of ``out`` over replications and its 95%
    t-interval, cut to the output's domain (a count or a wait never below 0, a share within 0..1)."""
    rows = []
    for _, d in runs.groupby("point"):
        mean, low, high, n = stats.mean_ci(d[out], domain=stats.domain(out))
        rows.append({"x": d[param].iloc[0], "mean": mean, "low": low, "high": high, "n": n})
    return pd.DataFrame(rows, columns=["x", "mean", "low", "high", "n"]).sort_values("x")


def _difference_curves(rep, diffs, points, swept, outputs, headline, labels, colors, steps, window):
    """Each scenario's paired difference against the baseline at every sweep point, with its 95% CI,
    against each swept parameter: where an effect changes sign, or two policies cross, shows here."""
    merged = diffs.merge(points, on="point")
    scenarios = list(pd.unique(diffs["scenario"]))
    for param in swept:
        fig = go.Figure()
        visible = []
        for out in outputs:
            for scenario in scenarios:
                g = merged[(merged["scenario"] == scenario) & (merged["output"] == out)].sort_values(param)
                mode = "lines+markers" if len(swept) == 1 else "markers"
                fig.add_trace(go.Scatter(
                    x=g[param], y=g["difference"], mode=mode, name=labels.get(scenario, scenario), meta=out,
                    error_y=dict(type="data", symmetric=False, array=g["ci_high"] - g["difference"],
                                 arrayminus=g["difference"] - g["ci_low"]),
                    marker=dict(color=colors.get(scenario)), line=dict(color=colors.get(scenario)),
                    visible=out == headline))
                visible.append(out)
        buttons = [dict(label=out, method="update",
                        args=[{"visible": [v == out for v in visible]},
                              {"yaxis.title.text": f"difference in {stats.describe(out, steps, window)}, "
                                                   f"{stats.unit(out)}"}]) for out in outputs]
        fig.add_hline(y=0, line_color="grey")
        fig.update_layout(title=f"Paired difference against the baseline at each value of {param} (company; 95% CI)",
                          xaxis_title=param, template="plotly_white", height=420,
                          yaxis_title=f"difference in {stats.describe(headline, steps, window)}, {stats.unit(headline)}",
                          updatemenus=[dict(buttons=buttons, direction="down", x=1.0, xanchor="right", y=1.15,
                                            active=outputs.index(headline))])
        rep.figures.append(("Sweep", f"difference:{param}", fig))


def _sensitivity(rep, manifest, runs, outputs, headline, order, labels, steps, window, n_points):
    """Sensitivity indices with 95% intervals for every kept output, a convergence view of the
    headline's indices against sample size, and warnings when the intervals leave the ranking open."""
    from ..experiments import sensitivity as sa

    sweep = _sweep_from_manifest(manifest)
    methods = sa.methods_of(sweep) if sweep is not None else ()
    if not methods:
        return
    try:
        from ..experiments.designs import matrix

        X = matrix(sweep)
    except Exception as exc:  # noqa: BLE001 - SALib missing
        rep.notes.append(f"Sensitivity not computed: {exc}")
        return
    words = stats.describe(headline, steps, window)
    tables = []
    for scenario in order:
        d = runs[runs["scenario"] == scenario].groupby("point")[outputs].mean().reindex(range(n_points))
        if d[outputs].isna().any().any():
            rep.notes.append(f"Sensitivity for {labels.get(scenario, scenario)} not computed: some sweep points "
                             "did not finish.")
            continue
        for method in methods:
            head = None
            for out in outputs:
                try:
                    t = sa.analyze(sweep, X, d[out].to_numpy(dtype=float), method)
                except Exception as exc:  # noqa: BLE001 - e.g. a constant output
                    rep.notes.append(f"Sensitivity ({method}) of {out} for {scenario} not computed: {exc}")
                    continue
                tables.append(t.assign(scenario=scenario, output=out, method=method))
                head = t if out == headline else head
            main = sa.MAIN_INDEX[method]
            if head is None:
                continue
            _sensitivity_figure(rep, head, method, scenario, labels, words)
            _convergence_figure(rep, sa.convergence(sweep, X, d[headline].to_numpy(dtype=float), method),
                                method, scenario, labels, words)
            top = head[head["index"] == main].sort_values("value", ascending=False).iloc[0]
            rep.sentences.append(
                f"{labels.get(scenario, scenario)}: {top['parameter']} moves {words} most ({method}), with "
                f"{main} = {top['value']:.2f} (95% CI {top['ci_low']:.2f}..{top['ci_high']:.2f}), over "
                f"{sweep.points} {'trajectories' if sweep.design == 'morris' else 'base samples'} "
                f"({n_points} design points).")
            rep.notes.extend(sa.ranking_warnings(head, main))
    if not tables:
        return
    table = pd.concat(tables, ignore_index=True)
    table["95% CI"] = [f"{lo:.3f} .. {hi:.3f}" for lo, hi in zip(table["ci_low"], table["ci_high"])]
    shown = table[["scenario", "method", "output", "parameter", "index", "value", "95% CI"]].round({"value": 4})
    rep.tables.append(("Sensitivity indices of every kept output with 95% intervals, company", shown))


def _sensitivity_figure(rep, head, method, scenario, labels, words):
    fig = go.Figure()
    for index, d in head.groupby("index", sort=False):
        fig.add_trace(go.Bar(x=d["parameter"], y=d["value"], name=index,
                             error_y=dict(type="data", symmetric=False, array=d["ci_high"] - d["value"],
                                          arrayminus=d["value"] - d["ci_low"])))
    what = {"sobol": "Sobol indices: S1 first order, ST total" + (", S2 pairs" if "S2" in set(head["index"]) else ""),
            "fast": "eFAST indices: S1 first order, ST total", "morris": "Morris screening: mu* and sigma",
            "pawn": "PAWN index (median KS distance)"}[method]
    fig.update_layout(title=f"{what} (95% CI) of {words}, {labels.get(scenario, scenario)}", barmode="group",
                      template="plotly_white", height=420)
    name = f"sensitivity:{scenario}" if method in ("sobol", "morris", "fast") else f"sensitivity-{method}:{scenario}"
    rep.figures.append(("Sensitivity", name, fig))


def _convergence_figure(rep, conv, method, scenario, labels, words):
    """Each index against the number of base samples it was computed from: a design is big enough
    when the lines have flattened and the intervals stopped overlapping."""
    if conv.empty or conv["samples"].nunique() < 2:
        return
    fig = go.Figure()
    for (index, param), d in conv.groupby(["index", "parameter"], sort=False):
        fig.add_trace(go.Scatter(x=d["samples"], y=d["value"], mode="lines+markers", name=f"{index} {param}",
                                 error_y=dict(type="data", symmetric=False, array=d["ci_high"] - d["value"],
                                              arrayminus=d["value"] - d["ci_low"])))
    fig.update_layout(title=f"Convergence ({method}): indices of {words} against sample size (95% CI), "
                            f"{labels.get(scenario, scenario)}",
                      xaxis_title="base samples used", xaxis_type="log", template="plotly_white", height=420)
    rep.figures.append(("Sensitivity", f"convergence-{method}:{scenario}", fig))


def _sweep_from_manifest(manifest):
    from ..experiments.spec import Sweep

    s = manifest.get("sweep")
    if not s:
        return None
    return Sweep(design=s["design"], names=tuple(s["parameters"]), values=s.get("values") or {},
                 ranges={k: tuple(v) for k, v in (s.get("ranges") or {}).items()}, points=_design_n(manifest),
                 seed=s["seed"], levels=s["levels"], second_order=bool(s.get("second_order", False)),
                 analysis=tuple(s.get("analysis") or ()))


def _design_n(manifest) -> int:
    """The N the design was sampled with."""
    s = manifest["sweep"]
    if "base_samples" in s:
        return s["base_samples"]
    k = len(s["parameters"])  # manifests written before base_samples was kept
    return {"sobol": s["points"] // (k + 2), "morris": s["points"] // (k + 1)}.get(s["design"], s["points"])


# ----------------------------------------------------------------------------------- writing
def write_report(folder: str | Path, out: str | Path | None = None, export: tuple[str, ...] = ()) -> Path:
    """Write ``report.html`` (self-contained) into the results folder, or to ``out``."""
    import plotly.io as pio
    from plotly.offline import get_plotlyjs

    folder = Path(folder)
    rep = build_report(folder)
    path = Path(out) if out else folder / "report.html"
    parts = [f"<h1>{html.escape(rep.title)}</h1>"]
    if rep.description:
        parts.append(f"<p class=description>{html.escape(rep.description)}</p>")
    parts.append(_settings_html(rep.manifest))
    if rep.sentences:
        parts.append("<h2>Summary</h2><ul class=summary>" + "".join(f"<li>{html.escape(s)}</li>" for s in rep.sentences)
                     + "</ul>")
    for note in rep.notes:
        parts.append(f"<p class=note>{html.escape(note)}</p>")
    for title, table in rep.tables:
        parts.append(f"<h3>{html.escape(title)}</h3>" + table.to_html(index=False, classes="table", border=0))
    section = None
    for sec, _, fig in rep.figures:
        if sec != section:
            section = sec
            parts.append(f"<h2>{html.escape(sec)}</h2>")
        parts.append(pio.to_html(fig, full_html=False, include_plotlyjs=False, config={"responsive": True}))
    page = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(rep.title)}</title>"
            f"<style>{_CSS}</style><script>{get_plotlyjs()}</script></head><body>"
            + "\n".join(parts) + "</body></html>")
    tmp = path.with_name(f".partial-{path.name}")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(path)
    if export:
        for message in export_figures(rep, path.parent / "figures", export):
            print(message)
    return path


def _settings_html(manifest: dict) -> str:
    s = manifest["settings"]
    runs = manifest.get("runs", {})
    pkg = manifest.get("package", {})
    scen = "".join(f"<li><b>{html.escape(v['label'])}</b> ({html.escape(k)}): "
                   + html.escape(", ".join(f"{a}={b}" for a, b in v["changes"].items()) or "no changes")
                   + (f" &mdash; {html.escape(v['description'])}" if v.get("description") else "") + "</li>"
                   for k, v in manifest["scenarios"].items())
    sweep = manifest.get("sweep")
    sweep_text = (f"<p>Sweep: {sweep['design']} design over {', '.join(sweep['parameters'])}, {sweep['points']} points.</p>"
                  if sweep else "")
    reps = f"{s['replications']} replication{'s' * (s['replications'] != 1)}"
    return (f"<p>{reps} x {s['steps']} days per scenario and point; baseline "
            f"<b>{html.escape(s['baseline'])}</b>; replication r of every scenario uses the same seed (paired). "
            f"Runs done: {runs.get('done', '?')} of {runs.get('total', '?')}. lealtad {pkg.get('version', '?')}"
            f"{', commit ' + pkg['git_commit'][:10] if pkg.get('git_commit') else ''}.</p>"
            f"<h2>Scenarios</h2><ul>{scen}</ul>{sweep_text}")


def export_figures(rep: Report, folder: Path, formats: tuple[str, ...]) -> list[str]:
    """PNG/SVG of every figure via kaleido (the `export` extra); skipped with a message without it."""
    try:
        import kaleido  # noqa: F401
    except ImportError:
        return ["static export skipped: kaleido is not installed (pip install 'lealtad[export]')"]
    import plotly.io as pio

    folder.mkdir(parents=True, exist_ok=True)
    figs, targets, heights = [], [], []
    for _, name, fig in rep.figures:
        for fmt in formats:
            figs.append(fig)
            targets.append(folder / f"{name.replace(':', '-')}.{fmt}")
            heights.append(fig.layout.height or 450)
    try:
        if hasattr(pio, "write_images"):  # one browser session for all figures (plotly >= 6.1)
            pio.write_images(figs, targets, width=1000, height=heights)
        else:
            for fig, target, height in zip(figs, targets, heights):
                fig.write_image(target, width=1000, height=height)
    except Exception as exc:  # noqa: BLE001 - kaleido needs a Chrome/Chromium it can start
        return [f"static export skipped: {type(exc).__name__}: {exc}"]
    written = [t for t in targets if t.exists()]
    return [f"figures: {len(written)} file(s) in {folder}"]


_CSS = """
body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }
h1 { font-size: 1.6em; } h2 { margin-top: 1.6em; border-bottom: 1px solid #ddd; }
.description { font-size: 1.05em; color: #444; } .note { color: #8a5300; }
ul.summary li { margin: .4em 0; }
table.table { border-collapse: collapse; font-size: .9em; margin: .5em 0 1.5em; }
table.table th, table.table td { padding: .25em .6em; border-bottom: 1px solid #eee; text-align: right; }
table.table th:first-child, table.table td:first-child { text-align: left; }
"""
