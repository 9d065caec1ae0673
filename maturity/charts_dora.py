"""Figures of delivery metrics beside an assessment: what each unit claims against what it measures, and
one metric of each unit over time.

The habits of :mod:`maturity.charts` hold: Okabe–Ito colours, text from users escaped with
:func:`~maturity.charts.label` before it reaches a figure, levels labelled by name. Nothing here ranks
units against each other: DORA asks that a team be compared with its own past, so the over-time chart
draws each unit's own line and the scatter sets each unit's claim beside its own measurement.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from .charts import UNIT_COLORS, _base_layout, _level_axis, label
from .dora.claims import CLAIMS_MORE, CONSISTENT, MEASURES_MORE, MISMATCH
from .dora.read import METRIC_COLUMNS
from .rubric import Rubric

__all__ = ["METRIC_AXES", "VERDICT_COLORS", "claims_scatter", "metric_history"]

VERDICT_COLORS = {CLAIMS_MORE: "#D55E00", MEASURES_MORE: "#009E73", CONSISTENT: "#7F7F7F"}  # Okabe–Ito
_SYMBOLS = ("circle", "diamond", "square", "triangle-up", "x", "star")
_GRID = "#D9DDE3"
# Each metric's axis: its title and unit, how its numbers are shown, and whether it runs on a log scale.
METRIC_AXES = {
    "deployment_frequency": ("Deployments per day", ".3~g", "log"),
    "change_lead_time": ("Change lead time (hours)", ".3~g", "log"),
    "change_fail_rate": ("Change fail rate", ".0%", "linear"),
    "recovery_time": ("Recovery time (hours)", ".3~g", "log"),
    "deployment_rework_rate": ("Deployment rework rate", ".0%", "linear"),
}


def claims_scatter(claims: pd.DataFrame, rubric: Rubric, threshold: float = MISMATCH) -> go.Figure:
    """Each unit × area of ``claims`` (:func:`maturity.dora.claims.claimed_vs_observed`) as a point: its
    self-assessed level across, its measured delivery up (0 at the year's worst range edge, 1 at its best),
    coloured by verdict, one marker shape per area; the line where claim and measurement agree, and the
    band ±``threshold`` around it."""
    shown = claims.dropna(subset=["verdict"])
    low, high = rubric.lowest, rubric.highest
    traces: list[go.Scatter] = [
        go.Scatter(x=[low, high], y=[0, 1], mode="lines", line=dict(color="#262730", width=1),
                   name="claim = measurement", hoverinfo="skip"),
        go.Scatter(x=[low, high, high, low], y=[threshold, 1 + threshold, 1 - threshold, -threshold], fill="toself",
                   mode="lines", line=dict(width=0), fillcolor="rgba(127,127,127,0.12)", hoverinfo="skip",
                   name=f"within {threshold:.2f} of each other"),
    ]
    areas = list(dict.fromkeys(shown["dimension"]))
    names = dict(zip(shown["dimension"], shown["dimension_name"], strict=False))
    for verdict, color in VERDICT_COLORS.items():
        for position, area in enumerate(areas):
            rows = shown[(shown["verdict"] == verdict) & (shown["dimension"] == area)]
            if rows.empty:
                continue
            hover = [f"<b>{label(r.unit)}</b><br>{label(r.dimension_name)}: level {r.claimed_level:g}<br>measured "
                     f"{r.observed_score:.2f} ({label(r.metrics)})<br>{r.verdict}" for r in rows.itertuples()]
            traces.append(go.Scatter(
                x=rows["claimed_level"], y=rows["observed_score"], mode="markers+text",
                text=[label(u) for u in rows["unit"]], textposition="top center", textfont=dict(size=11),
                marker=dict(color=color, size=12, symbol=_SYMBOLS[position % len(_SYMBOLS)],
                            line=dict(color="white", width=1)),
                name=f"{verdict} · {label(names[area])}", hovertext=hover, hoverinfo="text"))
    layout = _base_layout(None, 460, legend=dict(orientation="h", yanchor="top", y=-0.18, xanchor="left", x=0))
    layout["xaxis"] = {**_level_axis(rubric), "title": dict(text="Self-assessed level (mean of the area's practices)"),
                       "range": [low - 0.2, high + 0.2]}
    layout["yaxis"] = dict(title=dict(text="Measured delivery (0 worst … 1 best edge of the year's ranges)"),
                           range=[-0.08, 1.12], gridcolor=_GRID, zeroline=False)
    return go.Figure(data=traces, layout=layout)


def metric_history(table: pd.DataFrame, metric: str) -> go.Figure:
    """One line per unit of ``metric`` over the periods of ``table`` (a metrics table with periods): each
    unit against its own past. No cluster range is drawn: the clusters are not targets."""
    column = METRIC_COLUMNS[metric]
    title, number_format, scale = METRIC_AXES[metric]
    rows = table.dropna(subset=[column, "period_start"]).sort_values(["period_start"], kind="stable")
    traces = []
    for position, unit in enumerate(pd.unique(rows["unit"])):
        own = rows[rows["unit"] == unit]
        traces.append(go.Scatter(
            x=own["period_start"], y=own[column], mode="lines+markers", name=label(unit),
            line=dict(color=UNIT_COLORS[position % len(UNIT_COLORS)], width=2),
            text=[label(p) for p in own["period"]],
            hovertemplate=f"<b>{label(unit)}</b><br>%{{text}}: %{{y:{number_format}}}<extra></extra>"))
    layout = _base_layout(None, 380)
    layout["xaxis"] = dict(title=dict(text="Period"), gridcolor=_GRID)
    layout["yaxis"] = dict(title=dict(text=title), type=scale, tickformat=number_format, gridcolor=_GRID)
    return go.Figure(data=traces, layout=layout)
