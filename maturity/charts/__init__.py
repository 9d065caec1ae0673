"""Figures from an assessment: radar, gap heatmap, unit ranking, practice bars, roadmap timeline.

Every function takes plain DataFrames (``Assessment.normalized`` or a roadmap) and the rubric, and
returns a plotly figure; nothing here knows about streamlit. Three habits hold on every chart:

* Current is Okabe–Ito blue and Target Okabe–Ito orange; gaps use one sequential colour-blind-safe
  scale (ColorBrewer YlOrBr); dimensions come in the rubric's order; levels are labelled by name.
* Text from the user's file (units, practices) goes through :func:`label` before it reaches a figure,
  because plotly renders a subset of HTML (``<b>``, ``<a href>``, ``<br>``...) in every text it draws.
* Averages count only rows that apply; a gap is the levels still to climb (``max(target − current, 0)``),
  so a practice above its target does not hide another one's shortfall.

Figures are built from plain dicts and handed to plotly without its property validation (see
:func:`_figure`): validating costs 5–15 ms per figure on every rerun, more than the data work, and
tests/maturity/test_charts.py validates every chart instead. Charts that list units take the units
to draw, so a page can show the largest gaps of 500 units instead of 500 lanes.
"""

from __future__ import annotations

import html
import math
import warnings

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import get_colorscale

from .distinct import map_distinct
from .rubric import Rubric

__all__ = [
    "CURRENT_COLOR",
    "GAP_COLORSCALE",
    "TARGET_COLOR",
    "UNIT_COLORS",
    "axis_name",
    "dimension_averages",
    "gap_heatmap",
    "gap_ranking",
    "label",
    "level_names",
    "level_words",
    "practice_bars",
    "practice_levels",
    "radar",
    "roadmap_timeline",
    "short_names",
    "unit_radar",
]

CURRENT_COLOR = "#0072B2"  # Okabe–Ito blue
TARGET_COLOR = "#E69F00"  # Okabe–Ito orange
# The other Okabe–Ito colours first, so a unit is never mistaken for "Current" or "Target".
UNIT_COLORS = ("#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#0072B2", "#E69F00", "#F0E442")
GAP_COLORSCALE = "YlOrBr"  # ColorBrewer sequential, colour-blind safe: pale = small gap, brown = large
# One colour per level reached on the roadmap timeline, light (first steps) to dark: viridis' steps,
# ordered and colour-blind safe, far enough apart to tell four or five levels apart at a glance.
_LEVEL_STEPS = ("#fde725", "#7ad151", "#22a884", "#2a788e", "#414487", "#440154")
_DARK_STEPS = 3  # from this step on the colour is dark: white text
_FONT = dict(family="Source Sans, Segoe UI, Helvetica, Arial, sans-serif", size=13, color="#262730")
_GRID = "#D9DDE3"
WHOLE_DIMENSION = "(whole dimension)"
_GAP_SCALE = [list(step) for step in get_colorscale(GAP_COLORSCALE)]  # as plotly's validation spells it out


def _figure(traces: list[dict], layout: dict) -> go.Figure:
    """A figure of finished trace and layout dicts, taken as they are.

    ``_validate=False`` is plotly's own switch (its templates use it) for skipping property
    validation; the dicts here spell properties the way validation would leave them.
    """
    return go.Figure({"data": traces, "layout": layout}, _validate=False)


def label(text: object) -> str:
    """``text`` made safe to draw: ``<``, ``>`` and ``&`` escaped, so plotly shows them as typed.

    Plotly draws ``<b>``, ``<i>``, ``<br>``, ``<a href=...>`` and entities in titles, ticks, legends
    and hovers; a unit named ``<b>Ops</b>`` must show those characters, not bold text.
    """
    return html.escape(str(text), quote=False)


def axis_name(name: str) -> str:
    """A dimension name escaped for plotly and broken after ``&`` so long names fit on an axis:
    ``Culture & Organization`` → ``Culture &amp;<br>Organization``."""
    return label(name).replace(" &amp; ", " &amp;<br>")


def short_names(rubric: Rubric) -> dict[str, str]:
    """Dimension id → a short name for tight axes: the part before `` & `` (``Build & Deploy`` → ``Build``)
    when that is unique within the rubric, else the full name."""
    heads = {d.id: d.name.split(" & ")[0].strip() for d in rubric.dimensions}
    counts = pd.Series(list(heads.values())).value_counts()
    return {d.id: heads[d.id] if counts[heads[d.id]] == 1 else d.name for d in rubric.dimensions}


def level_words(value: float | None, rubric: Rubric) -> str:
    """A level or an average level in words: ``3`` → ``'Intermediate'``, ``2.5`` → ``'Beginner → Intermediate'``."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "no data"
    value = min(max(float(value), rubric.lowest), rubric.highest)
    nearest = round(value)
    if abs(value - nearest) < 0.05:
        return rubric.level_name(int(nearest))
    return f"{rubric.level_name(math.floor(value))} → {rubric.level_name(math.ceil(value))}"


def _applies(normalized: pd.DataFrame) -> np.ndarray:
    """Whether each row applies (not marked N/A), as a numpy array; every row without the column."""
    return (np.array(normalized["applicable"], dtype=bool) if "applicable" in normalized
            else np.ones(len(normalized), dtype=bool))


def _levels(normalized: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(applies, current, target, gap)`` as numpy arrays over every row: levels as floats (NaN when
    missing) and the gap as ``max(target − current, 0)``."""
    applies = _applies(normalized)
    current = pd.to_numeric(normalized["current_level"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    target = pd.to_numeric(normalized["target_level"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return applies, current, target, np.clip(target - current, 0, None)


def _group_means(groups: np.ndarray, size: int, **columns: np.ndarray) -> dict[str, np.ndarray]:
    """Per group ``0..size-1`` (rows with a negative group left out): the mean of each column, NaN
    skipped, NaN for a group without values, and ``size``, the count of rows."""
    keep = groups >= 0
    groups = groups[keep]
    result = {"size": np.bincount(groups, minlength=size)}
    for name, values in columns.items():
        values = values[keep]
        known = ~np.isnan(values)
        total = np.bincount(groups[known], weights=values[known], minlength=size)
        count = np.bincount(groups[known], minlength=size)
        result[name] = np.divide(total, count, out=np.full(size, np.nan), where=count > 0)
    return result


def _largest(units: pd.Index, amounts: np.ndarray, top: int) -> list[str]:
    """The ``top`` units with the largest ``amounts``, largest first (ties, and NaN last, in file order)."""
    order = np.argsort(-np.nan_to_num(amounts, nan=-np.inf), kind="stable")[:top]
    return [units[position] for position in order]


def dimension_averages(normalized: pd.DataFrame, rubric: Rubric, by_unit: bool = False) -> pd.DataFrame:
    """Average current, target and gap per dimension (per unit and dimension with ``by_unit``).

    Returns columns ``[unit,] dimension, dimension_name, current, target, gap, practices`` with every
    rubric dimension present in rubric order (NaN where a unit has no row for it); units keep the
    order in which they first appear.
    """
    applies, current, target, gap = _levels(normalized)
    dimensions = list(rubric.dimension_ids)
    codes, found = pd.factorize(normalized["dimension"])
    position = np.array([dimensions.index(d) if d in dimensions else -1 for d in found] + [-1], dtype=np.intp)
    cell = position[codes]  # code -1 (no dimension) takes the last entry, -1
    if by_unit:
        unit_code, units = pd.factorize(normalized["unit"])  # in order of first appearance, as pd.unique
        cell = np.where(cell >= 0, unit_code * len(dimensions) + cell, -1)
        means = pd.MultiIndex.from_product([list(units), dimensions], names=["unit", "dimension"]).to_frame(index=False)
    else:
        means = pd.DataFrame({"dimension": dimensions})
    stats = _group_means(np.where(applies, cell, -1), len(means), current=current, target=target, gap=gap)
    for column in ("current", "target", "gap"):
        means[column] = stats[column]
    means["practices"] = stats["size"].astype(int)
    names = means["dimension"].map({d.id: d.name for d in rubric.dimensions})
    means.insert(2 if by_unit else 1, "dimension_name", names)
    return means


def headline(normalized: pd.DataFrame, rubric: Rubric, unit: str | None = None) -> dict[str, float]:
    """The headline figures of one unit (None: every unit): ``units``, ``practices`` (rows that apply),
    the average ``current``, ``target`` and ``gap`` (levels still to climb, 0 at or above target; NaN
    without data) over the rows that apply, and ``steps``, the level steps to plan."""
    rows = normalized if unit is None else normalized[normalized["unit"] == unit]
    applies, current, target, gap = _levels(rows)  # normalized's gap column is target − current too
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # the mean of no values is NaN, as it should be
        return {"units": int(rows["unit"].nunique()), "practices": int(applies.sum()),
                "current": float(np.nanmean(current[applies])), "target": float(np.nanmean(target[applies])),
                "gap": float(np.nanmean(gap[applies])), "steps": int(np.nansum(gap[applies]))}


def largest_gaps(normalized: pd.DataFrame, rubric: Rubric, unit: str | None = None, dimension: str | None = None,
                 count: int = 8) -> pd.DataFrame:
    """The ``count`` practices that apply with the largest gaps (ties in file order), of one unit and one
    dimension (None: all): ``unit, dimension_name, practice, current, target`` (level names) and ``gap``."""
    keep = _applies(normalized)
    if unit is not None:
        keep &= (normalized["unit"] == unit).to_numpy()
    if dimension is not None:
        keep &= (normalized["dimension"] == dimension).to_numpy()
    rows = normalized[keep]
    rows = rows.assign(gap=rows["gap"].clip(lower=0)).sort_values("gap", ascending=False, kind="stable").head(count)
    return rows.assign(current=level_names(rows["current_level"], rubric),
                       target=level_names(rows["target_level"], rubric))[
        ["unit", "dimension_name", "practice", "current", "target", "gap"]]


def practice_rows(normalized: pd.DataFrame, rubric: Rubric, dimension: str, unit: str | None = None) -> pd.DataFrame:
    """The rows that apply of one dimension and one unit (None: every unit), with their levels' names
    as ``current`` and ``target``: what a page lists to edit targets, keeping the normalized index."""
    keep = _applies(normalized) & (normalized["dimension"] == dimension).to_numpy()
    if unit is not None:
        keep &= (normalized["unit"] == unit).to_numpy()
    rows = normalized[keep]
    return rows.assign(current=level_names(rows["current_level"], rubric),
                       target=level_names(rows["target_level"], rubric))


def level_names(levels: pd.Series, rubric: Rubric) -> pd.Series:
    """Each level's name ('Intermediate'); a fractional score as the level reached and how far into the next
    ('Initial implementation, 0.625 into Structured realization'); None where there is no level."""
    names = map_distinct(levels, lambda v: None if v is None or pd.isna(v) else rubric.score_name(v))
    return names.astype("str")  # pandas' text dtype, as a mapping of names would give (grids draw it as text)


def _base_layout(title: str | None, height: int, **more: object) -> dict:
    """The layout every chart shares, with ``more`` (whole properties, such as ``legend``) in place of its own."""
    layout = dict(
        font=_FONT, height=height, margin=dict(l=10, r=10, t=50 if title else 20, b=10),
        paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)",
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="right", x=1),
        hoverlabel=dict(font=dict(size=13)),
    )
    # Without a title plotly's validation leaves an empty title object: so does this.
    layout["title"] = dict(text=title, x=0, xanchor="left", font=dict(size=16)) if title else {}
    return {**layout, **more}


def _level_axis(rubric: Rubric) -> dict:
    levels = [lv.level for lv in rubric.levels]
    # A level name may come from the file (its own model) or an uploaded rubric: drawn as typed.
    return dict(tickvals=levels, ticktext=[label(lv.name) for lv in rubric.levels],
                range=[min(0, rubric.lowest - 1), rubric.highest + 0.2], gridcolor=_GRID)


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


def _with_alpha(hex_color: str, alpha: float) -> str:
    red, green, blue = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


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


def _scale_top(largest: float) -> float:
    """The top of a gap colour scale: the largest gap rounded up to a half level, at least 1."""
    return 1.0 if pd.isna(largest) else max(1.0, math.ceil(float(largest) * 2) / 2)


def _lane(count: int, roomy: int) -> int:
    """Pixels per row of a chart with ``count`` rows: ``roomy`` for a dozen, tighter for hundreds."""
    return roomy if count <= 12 else max(14, min(roomy, 600 // count))


def _number(value: float) -> str:
    return "–" if value is None or pd.isna(value) else f"{value:.1f}"


def _level_texts(values, rubric: Rubric) -> list[str]:
    """``"2.3 (Beginner → Intermediate)"`` for each average level, worked out once per distinct value."""
    texts: dict[float, str] = {}
    return [texts[v] if v in texts else texts.setdefault(v, f"{_number(v)} ({label(level_words(v, rubric))})")
            for v in values]


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


def _shorten(text: str, limit: int = 48) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def roadmap_timeline(roadmap: pd.DataFrame, rubric: Rubric, top: int | None = None) -> go.Figure:
    """Phases as a timeline: one lane per unit, one block per phase labelled with its step count and
    coloured by the level the unit reaches in it (within a unit, phase k reaches exactly one level).

    Lanes come in the order of the roadmap; with ``top`` and more units than that, only the ``top``
    units with the most steps, most first.
    """
    units = None
    if top is not None:
        codes, found = pd.factorize(roadmap["unit"])
        if len(found) > top:
            units = _largest(found, np.bincount(codes, minlength=len(found)).astype(float), top)
            roadmap = roadmap[roadmap["unit"].isin(units)]
    if roadmap.empty:
        return _figure([], _base_layout(None, 200))
    blocks = _phase_blocks(roadmap)
    if units is None:
        units = list(pd.unique(roadmap["unit"]))
    phases = int(blocks["phase"].max())
    traces = []
    for level in sorted(blocks["to_level"].unique()):
        part = blocks[blocks["to_level"] == level]
        step = min(len(_LEVEL_STEPS) - 1, max(0, int(level) - rubric.lowest))
        color = _LEVEL_STEPS[step]
        name = f"to {label(rubric.level_name(int(level)))}"
        traces.append(dict(
            type="bar", y=[label(u) for u in part["unit"]], x=[0.94] * len(part),
            base=(part["phase"] - 0.97).tolist(),
            orientation="h", name=name, marker=dict(color=color, line=dict(width=0)),
            text=[f"{s} step{'s' * (s != 1)}" for s in part["steps"]], textposition="inside",
            insidetextanchor="middle", textfont=dict(size=12, color="#ffffff" if step >= _DARK_STEPS else "#262730"),
            customdata=[[int(p), int(s), int(d)] for p, s, d in zip(part["phase"], part["steps"],
                                                                    part["dimensions"], strict=True)],
            # The level's name is read by plotly (%{fullData.name}), never pasted into the template, where
            # a name holding "%{…}" would be a placeholder.
            hovertemplate=("<b>%{y}</b><br>Phase %{customdata[0]}: %{fullData.name}<br>"
                           "%{customdata[1]} steps in %{customdata[2]} dimensions<extra></extra>"),
        ))
    return _figure(traces, _base_layout(
        None, max(220, 90 + _lane(len(units), 40) * len(units)),
        barmode="overlay", bargap=0.3,
        legend=dict(orientation="h", yanchor="top", y=-0.02, xanchor="left", x=0, title=dict(text="Level reached  ")),
        xaxis=dict(range=[0, phases], tickvals=[p - 0.5 for p in range(1, phases + 1)],
                   ticktext=_phase_ticks(roadmap, phases), showgrid=False, zeroline=False, side="top"),
        yaxis=dict(categoryorder="array", categoryarray=[label(u) for u in units], autorange="reversed",
                   ticksuffix="  ")))


def _phase_ticks(roadmap: pd.DataFrame, phases: int) -> list[str]:
    """'Phase 1', or with the roadmap's dates (:func:`maturity.schedule.with_dates`) 'Phase 1<br>Jan–Mar 2027'."""
    if "phase_start" not in roadmap:
        return [f"Phase {p}" for p in range(1, phases + 1)]
    dates = roadmap.drop_duplicates("phase").set_index("phase")
    ticks = []
    for phase in range(1, phases + 1):
        if phase not in dates.index:
            ticks.append(f"Phase {phase}")
            continue
        start, end = (pd.Timestamp(dates.at[phase, column]) for column in ("phase_start", "phase_end"))
        span = (f"{start:%b} – {end:%b %Y}" if start.year == end.year else f"{start:%b %Y} – {end:%b %Y}")
        ticks.append(f"Phase {phase}<br>{span}")
    return ticks


def _phase_blocks(roadmap: pd.DataFrame) -> pd.DataFrame:
    """One row per unit and phase, in the order they first appear: its ``steps``, the ``to_level`` it
    reaches and how many ``dimensions`` it touches (a groupby, done with array counts)."""
    unit_codes, units = pd.factorize(roadmap["unit"])
    phases = roadmap["phase"].to_numpy(dtype=np.int64)
    span = int(phases.max()) + 1
    codes, blocks = pd.factorize(unit_codes * span + phases)
    dimension_codes, dimensions = pd.factorize(roadmap["dimension"])
    touched = np.zeros((len(blocks), len(dimensions) + 1), dtype=bool)  # the last column: no dimension
    touched[codes, dimension_codes] = True
    reached = np.full(len(blocks), np.iinfo(np.int64).min)
    # the level a step works on: a fractional step (2 → 2.375) is part of level 3
    np.maximum.at(reached, codes, np.ceil(roadmap["to_level"].to_numpy(dtype=float)).astype(np.int64))
    return pd.DataFrame({
        "unit": units.take(blocks // span), "phase": blocks % span,
        "steps": np.bincount(codes, minlength=len(blocks)), "to_level": reached,
        "dimensions": touched[:, :-1].sum(axis=1),
    })
