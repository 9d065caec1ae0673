"""Figures of an organisation's snapshots over time: the organisation's trend, small multiples of each
area's current and target levels (for the organisation or one unit), and a radar of two snapshots.

The habits of :mod:`maturity.charts` hold: Current in Okabe–Ito blue, Target in orange and dashed,
text from users (snapshot labels, units, areas) escaped with :func:`~maturity.charts.label` before it
reaches a figure, figures built from plain dicts. Snapshots sit side by side in the order saved (their
label, else their as-of date, under each), so two snapshots of one date never share a point. A current
level that fell since the snapshot before is marked with a vermilion cross: a regression.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from .charts import (
    CURRENT_COLOR,
    TARGET_COLOR,
    _base_layout,
    _figure,
    _polar,
    _radar_trace,
    axis_name,
    dimension_averages,
    label,
)
from .rubric import Rubric

__all__ = ["REGRESSION_COLOR", "THEN_COLOR", "area_history", "snapshot_names", "snapshot_radar", "trend"]

REGRESSION_COLOR = "#D55E00"  # Okabe–Ito vermilion
THEN_COLOR = "#7F7F7F"  # the earlier snapshot on a radar: grey, dotted, under this one's blue
_GRID = "#D9DDE3"
_COLUMNS = 3  # panels per row of the small multiples
_PANEL_HEIGHT = 210


def snapshot_names(frame: pd.DataFrame) -> list[str]:
    """Each snapshot of ``frame`` (columns ``snapshot``, ``label``, ``as_of``) in its order, by its label
    with its as-of date, or by its date alone; plain text."""
    seen = frame[["snapshot", "label", "as_of"]].drop_duplicates("snapshot")
    return [f"{name} ({as_of})" if name else str(as_of) for name, as_of in zip(seen["label"], seen["as_of"],
                                                                               strict=True)]


def _ticks(frame: pd.DataFrame) -> dict:
    names = [label(n).replace(" (", "<br>(", 1) for n in snapshot_names(frame)]
    return dict(tickvals=list(range(len(names))), ticktext=names, range=[-0.3, len(names) - 0.7], gridcolor=_GRID,
                zeroline=False)


def _positions(frame: pd.DataFrame) -> pd.Series:
    order = {snapshot: i for i, snapshot in enumerate(pd.unique(frame["snapshot"]))}
    return frame["snapshot"].map(order)


def _values(series: pd.Series) -> list:
    return [None if pd.isna(v) else round(float(v), 3) for v in series]


def _line(x: list, y: list, name: str, color: str, dash: str, axes: tuple[str, str], legend: bool,
          hover: list[str]) -> dict:
    return dict(type="scatter", x=x, y=y, name=name, mode="lines+markers", legendgroup=name, showlegend=legend,
                line=dict(color=color, width=2.5, dash=dash), marker=dict(size=7, color=color),
                xaxis=axes[0], yaxis=axes[1], customdata=hover,
                hovertemplate="%{customdata}<br>%{fullData.name}: %{y:.2f}<extra></extra>")


def _falls(x: list, y: list, axes: tuple[str, str], legend: bool, hover: list[str]) -> dict:
    """The points of ``y`` lower than the point before: regressions, as crosses over the line."""
    fell = [i for i in range(1, len(y)) if y[i] is not None and y[i - 1] is not None and y[i] < y[i - 1] - 1e-9]
    return dict(type="scatter", x=[x[i] for i in fell], y=[y[i] for i in fell], name="Fell since the one before",
                mode="markers", legendgroup="fell", showlegend=legend,
                marker=dict(symbol="x", size=12, color=REGRESSION_COLOR, line=dict(width=1, color=REGRESSION_COLOR)),
                xaxis=axes[0], yaxis=axes[1], customdata=[hover[i] for i in fell],
                hovertemplate="%{customdata}<br>Current fell to %{y:.2f}<extra></extra>")


def _domain(start: float, end: float) -> list[float]:
    return [min(1.0, max(0.0, round(start, 6))), min(1.0, max(0.0, round(end, 6)))]


def _level_range(frame: pd.DataFrame) -> list[float]:
    values = pd.concat([frame["current_level"], frame["target_level"]]).dropna()
    if values.empty:
        return [0, 1]
    return [min(0.0, math.floor(values.min())), math.ceil(values.max()) + 0.25]


def trend(frame: pd.DataFrame, title: str | None = None) -> go.Figure:
    """The organisation's average current and target level per snapshot (``frame``: one row per snapshot
    with ``snapshot, label, as_of, current_level, target_level`` and ``gap``, as
    :func:`maturity.store.trend.organisation_trend` gives), a fall in the current level marked."""
    x = list(range(len(frame)))
    names = [label(n) for n in snapshot_names(frame)]
    hover = [f"<b>{name}</b><br>Average gap {gap:.2f} levels" if not pd.isna(gap) else f"<b>{name}</b>"
             for name, gap in zip(names, frame["gap"], strict=True)]
    current, target = _values(frame["current_level"]), _values(frame["target_level"])
    axes = ("x", "y")
    traces = [_line(x, current, "Current", CURRENT_COLOR, "solid", axes, True, hover),
              _line(x, target, "Target", TARGET_COLOR, "dash", axes, True, hover),
              _falls(x, current, axes, True, hover)]
    return _figure(traces, _base_layout(
        label(title) if title else None, 340, xaxis=_ticks(frame),
        yaxis=dict(title=dict(text="Average level"), range=_level_range(frame), gridcolor=_GRID, zeroline=False)))


def area_history(frame: pd.DataFrame, title: str | None = None) -> go.Figure:
    """Small multiples, one panel per area in the order of ``frame``'s rows: current and target level per
    snapshot (``frame``: ``snapshot, label, as_of, dimension, dimension_name, current_level,
    target_level``, e.g. one unit's rows of :func:`maturity.store.history`, or the organisation's
    per-area trend), each panel on the same snapshots and level range; falls marked."""
    snapshots = frame[["snapshot", "label", "as_of"]].drop_duplicates("snapshot")
    names = [label(n) for n in snapshot_names(snapshots)]
    areas = list(pd.unique(frame["dimension"]))
    columns = min(_COLUMNS, max(1, len(areas)))
    rows = max(1, math.ceil(len(areas) / columns))
    gap_x, gap_y = 0.06, 0.16 / rows
    width, height = (1 - gap_x * (columns - 1)) / columns, (1 - gap_y * (rows - 1)) / rows
    positions = _positions(frame)
    ticks, level_range = _ticks(snapshots), _level_range(frame)
    traces, layout, notes = [], {}, []
    for n, area in enumerate(areas):
        suffix = "" if n == 0 else str(n + 1)
        axes = (f"x{suffix}", f"y{suffix}")
        row, column = divmod(n, columns)
        left, top = column * (width + gap_x), 1 - row * (height + gap_y)
        rows_of_area = frame[frame["dimension"] == area]
        current, target = [None] * len(names), [None] * len(names)  # None: the area is not in that snapshot
        for position, now, aim in zip(positions[rows_of_area.index], _values(rows_of_area["current_level"]),
                                      _values(rows_of_area["target_level"]), strict=True):
            current[position], target[position] = now, aim
        x = list(range(len(names)))
        area_name = label(rows_of_area["dimension_name"].dropna().iloc[0] if rows_of_area["dimension_name"].notna()
                          .any() else area)
        hover = [f"<b>{area_name}</b><br>{name}" for name in names]
        first = n == 0
        traces += [_line(x, current, "Current", CURRENT_COLOR, "solid", axes, first, hover),
                   _line(x, target, "Target", TARGET_COLOR, "dash", axes, first, hover),
                   _falls(x, current, axes, first, hover)]
        layout[f"xaxis{suffix}"] = {**ticks, "domain": _domain(left, left + width), "anchor": axes[1],
                                    "showticklabels": row == rows - 1 or n + columns >= len(areas),
                                    "tickfont": dict(size=11)}
        layout[f"yaxis{suffix}"] = dict(domain=_domain(top - height, top), anchor=axes[0], range=level_range,
                                        gridcolor=_GRID, zeroline=False, tickfont=dict(size=11))
        notes.append(dict(text=f"<b>{area_name}</b>", x=left, y=top,
                          xref="paper", yref="paper", xanchor="left", yanchor="bottom", showarrow=False,
                          font=dict(size=13)))
    return _figure(traces, _base_layout(
        label(title) if title else None, 80 + _PANEL_HEIGHT * rows, annotations=notes,
        margin=dict(l=10, r=10, t=60 if title else 40, b=10), **layout))


def snapshot_radar(before: pd.DataFrame, after: pd.DataFrame, rubric: Rubric, unit: str | None = None,
                   then: str = "Then", now: str = "Now") -> go.Figure:
    """Radar of two snapshots' normalized rows (``before`` and ``after``) for one ``unit`` or (None) the
    whole organisation: the earlier current level (grey, dotted, named ``then``), the later current level
    (blue, named ``now``) and the later target (orange, dashed), per area of ``rubric`` in its order."""
    def averages(rows: pd.DataFrame) -> pd.DataFrame:
        return dimension_averages(rows if unit is None else rows[rows["unit"] == unit], rubric)

    earlier, later = averages(before), averages(after)
    names = [axis_name(d.name) for d in rubric.dimensions]
    traces = [
        _radar_trace(f"{label(then)}: current", earlier["current"], names, THEN_COLOR, rubric, dash="dot",
                     fill=False),
        _radar_trace(f"{label(now)}: current", later["current"], names, CURRENT_COLOR, rubric),
        _radar_trace(f"{label(now)}: target", later["target"], names, TARGET_COLOR, rubric, dash="dash",
                     fill=False),
    ]
    return _figure(traces, _base_layout(
        None, 460, polar=_polar(rubric), margin=dict(l=90, r=90, t=40, b=20),
        legend=dict(orientation="h", yanchor="top", y=-0.04, xanchor="center", x=0.5)))
