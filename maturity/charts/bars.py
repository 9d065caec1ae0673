"""The gap heatmap (units × dimensions), the units ranked by gap, and a dimension's practices as bars."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..rubric import Rubric
from .averages import _group_means, _levels, dimension_averages
from .base import (
    _GAP_SCALE,
    _GRID,
    CURRENT_COLOR,
    TARGET_COLOR,
    WHOLE_DIMENSION,
    _base_layout,
    _figure,
    _lane,
    _level_axis,
    _level_texts,
    _scale_top,
    _shorten,
    label,
    level_words,
    short_names,
)


def gap_heatmap(normalized: pd.DataFrame, rubric: Rubric, top: int | None = None,
                highlight: str | None = None) -> go.Figure:
    """Units × dimensions heatmap of the average gap (levels to climb), each cell labelled with it.

    One row per unit in the order of the file; with ``top`` and more units than that, only the ``top``
    units with the largest average gap, largest first. The row of the unit ``highlight`` (the one a
    page is filtered to) is outlined, and added last when it is not among the ``top``.
    """
    means = dimension_averages(normalized, rubric, by_unit=True)  # every unit (in file order) × dimension
    units = list(pd.unique(normalized["unit"]))
    rows = np.arange(len(units))
    if top is not None and len(units) > top:
        codes = pd.factorize(normalized["unit"])[0]
        applies, _, _, gap = _levels(normalized)
        unit_gap = _group_means(np.where(applies, codes, -1), len(units), gap=gap)["gap"]
        rows = np.argsort(-np.nan_to_num(unit_gap, nan=-np.inf), kind="stable")[:top]  # largest first
        if highlight in units and units.index(highlight) not in rows:
            rows = np.append(rows, units.index(highlight))
        units = [units[row] for row in rows]
    shape = (len(means) // len(rubric.dimensions), len(rubric.dimensions))
    grid, current, target = (means[column].to_numpy(dtype=float).reshape(shape)[rows]
                             for column in ("gap", "current", "target"))
    short = short_names(rubric)
    dimension_names = [label(short[d.id]) for d in rubric.dimensions]
    full_names = [label(d.name) for d in rubric.dimensions]
    current_texts = _level_texts(current.ravel(), rubric)
    target_texts = _level_texts(target.ravel(), rubric)
    width = len(full_names)
    hover = [[f"{name}<br>Current {current_texts[row + column]}<br>Target {target_texts[row + column]}"
              for column, name in enumerate(full_names)]
             for row in range(0, len(current_texts), width)]
    z = grid
    top = _scale_top(pd.Series(z.ravel()).max())
    heatmap = dict(
        type="heatmap", z=z, x=dimension_names, y=[label(u) for u in units], customdata=hover,
        colorscale=_GAP_SCALE, zmin=0, zmax=top, xgap=3, ygap=3,
        texttemplate="%{z:.1f}" if _lane(len(units), 46) >= 20 else "", textfont=dict(size=14),
        showscale=False,  # every cell carries its number; the colour only helps the eye
        hovertemplate="<b>%{y}</b><br>%{customdata}<br>Gap %{z:.1f} levels<extra></extra>",
        hoverongaps=False,
    )
    shapes = [dict(type="rect", xref="x", yref="y", x0=-0.5, x1=len(full_names) - 0.5, y0=row - 0.5, y1=row + 0.5,
                   line=dict(color="#262730", width=3), fillcolor="rgba(0,0,0,0)")
              for row, unit in enumerate(units) if unit == highlight]
    return _figure([heatmap], _base_layout(
        None, max(240, 60 + _lane(len(units), 46) * len(units)), **({"shapes": shapes} if shapes else {}),
        xaxis=dict(side="top", showgrid=False, tickfont=dict(size=13), tickangle=0),
        yaxis=dict(autorange="reversed", showgrid=False, tickfont=dict(size=13), ticksuffix="  ")))


def gap_ranking(normalized: pd.DataFrame, rubric: Rubric, dimension: str | None = None,
                top: int | None = None) -> go.Figure:
    """Units ranked by average gap (largest first, at the top), optionally within one ``dimension`` id;
    with ``top``, only the first ``top`` of them."""
    applies, current, target, gap = _levels(normalized)
    if dimension is not None:
        applies &= (normalized["dimension"] == dimension).to_numpy()
    codes, units = pd.factorize(normalized["unit"][applies])
    stats = _group_means(codes, len(units), gap=gap[applies], current=current[applies], target=target[applies])
    known = ~np.isnan(gap[applies])
    ranking = pd.DataFrame(
        {"gap": stats["gap"], "steps": np.bincount(codes[known], weights=gap[applies][known], minlength=len(units)),
         "practices": stats["size"], "current": stats["current"], "target": stats["target"]},
        index=units,
    ).sort_values("gap", ascending=False, kind="stable")
    if top is not None:
        ranking = ranking.head(top)  # already largest first
    top = _scale_top(ranking["gap"].max())
    current, target = _level_texts(ranking["current"], rubric), _level_texts(ranking["target"], rubric)
    customdata = [[int(s), int(p), c, t]
                  for s, p, c, t in zip(ranking["steps"], ranking["practices"], current, target, strict=True)]
    bars = dict(
        type="bar", x=ranking["gap"].round(2).to_numpy(), y=[label(u) for u in ranking.index], orientation="h",
        marker=dict(color=ranking["gap"].to_numpy(), colorscale=_GAP_SCALE, cmin=0, cmax=top,
                    line=dict(color="#8C6D3A", width=0.5)),
        text=[f"{g:.1f}" for g in ranking["gap"]], textposition="outside", cliponaxis=False,
        customdata=customdata, name="Average gap",
        hovertemplate=("<b>%{y}</b><br>Average gap %{x:.1f} levels<br>%{customdata[0]} level steps over "
                       "%{customdata[1]} practices<br>Current %{customdata[2]}<br>Target %{customdata[3]}"
                       "<extra></extra>"),
    )
    return _figure([bars], _base_layout(
        None, max(240, 60 + _lane(len(ranking), 44) * len(ranking)),
        xaxis=dict(title=dict(text="Average gap (levels to climb)"), range=[0, top * 1.15], gridcolor=_GRID,
                   zeroline=False),
        yaxis=dict(autorange="reversed", ticksuffix="  ")))


def practice_levels(normalized: pd.DataFrame, rubric: Rubric, dimension: str,
                    unit: str | None = None) -> pd.DataFrame:
    """Per practice of one ``dimension`` id (for one ``unit`` or averaged over all): current, target, gap.

    Practices come in rubric order (by the level they belong to), then in the order of the file.
    """
    rows = normalized[normalized["dimension"] == dimension]
    if unit is not None:
        rows = rows[rows["unit"] == unit]
    applies, current, target, gap = _levels(rows)
    rows = rows[applies]
    practice = (rows["practice"].fillna(WHOLE_DIMENSION) if "practice" in rows
                else pd.Series(WHOLE_DIMENSION, index=rows.index, dtype=object))
    codes, practices = pd.factorize(practice)  # in order of first appearance, as groupby(sort=False)
    stats = _group_means(codes, len(practices), current=current[applies], target=target[applies], gap=gap[applies])
    unit_codes, units = pd.factorize(rows["unit"])
    assessed = np.zeros((len(practices), len(units)), dtype=bool)  # which unit assessed which practice
    assessed[codes[unit_codes >= 0], unit_codes[unit_codes >= 0]] = True
    # The first practice id each practice has (as groupby's "first", which skips missing ones).
    ids = rows["practice_id"].to_numpy(dtype=object) if "practice_id" in rows else np.full(len(rows), None)
    known = np.flatnonzero(pd.notna(ids))
    found, first = np.unique(codes[known], return_index=True)
    practice_id = np.full(len(practices), None, dtype=object)
    practice_id[found] = ids[known[first]]
    per_practice = pd.DataFrame({
        "practice": pd.Series(list(practices)), "current": stats["current"], "target": stats["target"],
        "gap": stats["gap"], "units": assessed.sum(axis=1),
        "practice_id": pd.Series(practice_id, dtype=object)})
    level_of = {p.id: p.level for p in rubric.dimension(dimension).practices}
    per_practice["rubric_level"] = per_practice["practice_id"].map(level_of)
    return (per_practice.sort_values("rubric_level", kind="stable", na_position="last")
            .drop(columns="rubric_level").reset_index(drop=True))


def practice_bars(normalized: pd.DataFrame, rubric: Rubric, dimension: str, unit: str | None = None) -> go.Figure:
    """Current vs target per practice of one ``dimension`` id: horizontal bars, levels named on the axis."""
    levels = practice_levels(normalized, rubric, dimension, unit)
    names = [label(_shorten(p, 36)) for p in levels["practice"]]
    traces = []
    for column, name, color in (("current", "Current", CURRENT_COLOR), ("target", "Target", TARGET_COLOR)):
        words = [label(level_words(v, rubric)) for v in levels[column]]
        traces.append(dict(
            type="bar", x=levels[column].round(2).to_numpy(dtype=float), y=names, orientation="h", name=name,
            marker=dict(color=color),
            customdata=[[w, label(p)] for w, p in zip(words, levels["practice"], strict=True)],
            hovertemplate="<b>%{customdata[1]}</b><br>%{fullData.name}: %{x:.1f} (%{customdata[0]})<extra></extra>",
        ))
    axis = _level_axis(rubric)
    return _figure(traces, _base_layout(
        None, max(200, 100 + _lane(len(levels), 46) * len(levels)),
        barmode="group", bargap=0.28, bargroupgap=0.06,
        legend=dict(orientation="h", yanchor="top", y=-0.02, xanchor="left", x=0),
        xaxis=dict(tickvals=axis["tickvals"], ticktext=axis["ticktext"], range=[0, rubric.highest + 0.1],
                   gridcolor=_GRID, zeroline=False, tickangle=0, side="top", tickfont=dict(size=11)),
        yaxis=dict(autorange="reversed", ticksuffix="  ")))
