"""Radars: an assessment's (or one unit's) current and target per dimension, and several units overlaid."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..rubric import Rubric
from .averages import dimension_averages
from .base import (
    _GRID,
    CURRENT_COLOR,
    TARGET_COLOR,
    UNIT_COLORS,
    _base_layout,
    _figure,
    _level_axis,
    _number,
    _with_alpha,
    axis_name,
    label,
    level_words,
)


def _polar(rubric: Rubric) -> dict:
    axis = _level_axis(rubric)
    # Level numbers, short, run along a line halfway between the first and the last dimension; the
    # names, which the data lines would cross, are in the key under the chart (:func:`_level_key`).
    between = 90 + 180 / len(rubric.dimensions)
    return dict(
        bgcolor="rgba(0,0,0,0)",
        radialaxis=dict(tickvals=axis["tickvals"], ticktext=[str(v) for v in axis["tickvals"]],
                        range=[0, rubric.highest],
                        gridcolor=_GRID, linecolor=_GRID, angle=between, tickangle=between,
                        tickfont=dict(size=11, color="#6B7280"), showline=False),
        angularaxis=dict(direction="clockwise", rotation=90, gridcolor=_GRID, linecolor=_GRID,
                         tickfont=dict(size=13)),
    )


def _level_key(rubric: Rubric) -> dict:
    """An annotation under a radar naming each level number: 'Levels: 1 Base · 2 Beginner · …'."""
    names = " · ".join(f"{lv.level} {label(lv.name)}" for lv in rubric.levels)
    return dict(text=f"Levels: {names}", showarrow=False, xref="paper", yref="paper", x=0.5, y=-0.02,
                xanchor="center", yanchor="top", font=dict(size=12, color="#6B7280"))


def _closed(values: list) -> list:
    """Polar lines end where they start so the shape closes."""
    return [*values, values[0]] if values else values


def _radar_trace(name: str, values: pd.Series, names: list[str], color: str, rubric: Rubric,
                 dash: str = "solid", fill: bool = True, labels: str | None = None) -> dict:
    """One outline; ``labels`` (a plotly text position such as "top center") writes each point's value."""
    values = [None if pd.isna(v) else round(float(v), 2) for v in values]
    words = [label(level_words(v, rubric)) for v in values]
    trace = dict(
        type="scatterpolar", r=_closed(values), theta=_closed(names), name=name, mode="lines+markers",
        line=dict(color=color, width=2.5, dash=dash), marker=dict(size=7, color=color),
        fill="toself" if fill else "none",
        customdata=_closed(words),
        # The trace name is read by plotly (%{fullData.name}), never pasted into the template: a unit
        # called "%{r}" must not become a placeholder.
        hovertemplate="<b>%{theta}</b><br>%{fullData.name}: %{r:.1f} (%{customdata})<extra></extra>",
    )
    if labels:
        trace["mode"] = "lines+markers+text"
        # The closing point repeats the first: labelled once.
        trace["text"] = [*("" if v is None else _number(v) for v in values), ""] if values else []
        trace["textposition"] = labels
        trace["textfont"] = dict(size=12, color=color)
    if fill:
        trace["fillcolor"] = _with_alpha(color, 0.12)
    return trace


def radar(normalized: pd.DataFrame, rubric: Rubric, unit: str | None = None, title: str | None = None) -> go.Figure:
    """Radar of average Current and Target level per dimension, for one ``unit`` or (None) all units.

    One axis per rubric dimension in rubric order; two traces named ``Current`` and ``Target``. The
    first point is repeated at the end of each trace so the outline closes.
    """
    rows = normalized if unit is None else normalized[normalized["unit"] == unit]
    means = dimension_averages(rows, rubric)
    names = [axis_name(n) for n in means["dimension_name"]]
    one = unit is not None  # one unit's few points: each value written beside it, current inside, target out
    traces = [
        _radar_trace("Current", means["current"], names, CURRENT_COLOR, rubric,
                     labels="bottom center" if one else None),
        _radar_trace("Target", means["target"], names, TARGET_COLOR, rubric, dash="dash", fill=False,
                     labels="top center" if one else None),
    ]
    return _figure(traces, _base_layout(
        label(title) if title else None, 440, polar=_polar(rubric), annotations=[_level_key(rubric)],
        margin=dict(l=90, r=90, t=50 if title else 36, b=44),
        # Top right: the title, when there is one, is top left, and no axis name is in that corner.
        legend=dict(orientation="v", yanchor="top", y=1.08, xanchor="right", x=1.22)))


def unit_radar(normalized: pd.DataFrame, rubric: Rubric, units: list[str], measure: str = "current") -> go.Figure:
    """Radar overlay of several ``units``: one trace per unit (named after it) of its average
    ``measure`` (``"current"`` or ``"target"``) level per dimension."""
    if measure not in ("current", "target"):
        raise ValueError(f"measure must be 'current' or 'target', not {measure!r}")
    means = dimension_averages(normalized[normalized["unit"].isin(units)], rubric, by_unit=True)
    names = [axis_name(d.name) for d in rubric.dimensions]
    traces = []
    for position, unit in enumerate(units):
        values = means.loc[means["unit"] == unit, measure]
        color = UNIT_COLORS[position % len(UNIT_COLORS)]
        dash = ("solid", "dash", "dot")[position // len(UNIT_COLORS) % 3]
        traces.append(_radar_trace(label(unit), values, names, color, rubric, dash=dash, fill=False))
    return _figure(traces, _base_layout(
        None, 460 + 22 * ((len(units) + 1) // 2), polar=_polar(rubric), annotations=[_level_key(rubric)],
        legend=dict(orientation="h", yanchor="top", y=-0.09, xanchor="center", x=0.5),
        margin=dict(l=90, r=90, t=40, b=20)))
