"""Figures from an assessment: radar, gap heatmap, unit ranking, practice bars, roadmap timeline.

Every function takes plain DataFrames (``Assessment.normalized`` or a roadmap) and the rubric, and
returns a plotly figure; nothing here knows about streamlit. Three habits hold on every chart:

* Current is Okabe–Ito blue and Target Okabe–Ito orange; gaps use one sequential colour-blind-safe
  scale (ColorBrewer YlOrBr); dimensions come in the rubric's order; levels are labelled by name.
* Text from the user's file (units, practices) goes through :func:`label` before it reaches a figure,
  because plotly renders a subset of HTML (``<b>``, ``<a href>``, ``<br>``...) in every text it draws.
* Averages count only rows that apply; a gap is the levels still to climb (``max(target − current, 0)``),
  so a practice above its target does not hide another one's shortfall.
"""

from __future__ import annotations

import html
import math

import pandas as pd
import plotly.graph_objects as go

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
# One colour per level reached on the roadmap timeline: ColorBrewer Blues-like, light (first steps) to dark.
_LEVEL_STEPS = ("#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c", "#08306b")
_FONT = dict(family="Source Sans, Segoe UI, Helvetica, Arial, sans-serif", size=13, color="#262730")
_GRID = "#D9DDE3"
WHOLE_DIMENSION = "(whole dimension)"


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


def _applicable(normalized: pd.DataFrame) -> pd.DataFrame:
    rows = normalized
    if "applicable" in rows:
        rows = rows[rows["applicable"].astype(bool)]
    rows = rows.assign(current=pd.to_numeric(rows["current_level"], errors="coerce").astype(float),
                       target=pd.to_numeric(rows["target_level"], errors="coerce").astype(float))
    return rows.assign(gap=(rows["target"] - rows["current"]).clip(lower=0))


def dimension_averages(normalized: pd.DataFrame, rubric: Rubric, by_unit: bool = False) -> pd.DataFrame:
    """Average current, target and gap per dimension (per unit and dimension with ``by_unit``).

    Returns columns ``[unit,] dimension, dimension_name, current, target, gap, practices`` with every
    rubric dimension present in rubric order (NaN where a unit has no row for it); units keep the
    order in which they first appear.
    """
    rows = _applicable(normalized)
    keys = ["unit", "dimension"] if by_unit else ["dimension"]
    means = rows.groupby(keys, sort=False).agg(current=("current", "mean"), target=("target", "mean"),
                                                gap=("gap", "mean"), practices=("current", "size"))
    dimensions = list(rubric.dimension_ids)
    if by_unit:
        units = list(pd.unique(normalized["unit"]))
        grid = pd.MultiIndex.from_product([units, dimensions], names=keys)
    else:
        grid = pd.Index(dimensions, name="dimension")
    means = means.reindex(grid).reset_index()
    means["practices"] = means["practices"].fillna(0).astype(int)
    means.insert(len(keys), "dimension_name", means["dimension"].map({d.id: d.name for d in rubric.dimensions}))
    return means


def _base_layout(figure: go.Figure, title: str | None, height: int) -> go.Figure:
    figure.update_layout(
        title=dict(text=title, x=0, xanchor="left", font=dict(size=16)) if title else None,
        font=_FONT, height=height, margin=dict(l=10, r=10, t=50 if title else 20, b=10),
        paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)",
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="right", x=1),
        hoverlabel=dict(font_size=13),
    )
    return figure


def _level_axis(rubric: Rubric) -> dict:
    levels = [lv.level for lv in rubric.levels]
    return dict(tickvals=levels, ticktext=[lv.name for lv in rubric.levels],
                range=[min(0, rubric.lowest - 1), rubric.highest + 0.2], gridcolor=_GRID)


def _polar_layout(figure: go.Figure, rubric: Rubric) -> None:
    axis = _level_axis(rubric)
    # The level names run along a line halfway between the first and the last dimension, off the data.
    between = 90 + 180 / len(rubric.dimensions)
    figure.update_layout(polar=dict(
        bgcolor="rgba(0,0,0,0)",
        radialaxis=dict(tickvals=axis["tickvals"], ticktext=axis["ticktext"], range=[0, rubric.highest],
                        gridcolor=_GRID, linecolor=_GRID, angle=between, tickangle=between,
                        tickfont=dict(size=11, color="#6B7280"), showline=False),
        angularaxis=dict(direction="clockwise", rotation=90, gridcolor=_GRID, linecolor=_GRID,
                         tickfont=dict(size=13)),
    ))


def _closed(values: list) -> list:
    """Polar lines end where they start so the shape closes."""
    return [*values, values[0]] if values else values


def _radar_trace(name: str, values: pd.Series, names: list[str], color: str, rubric: Rubric,
                 dash: str = "solid", fill: bool = True) -> go.Scatterpolar:
    values = [None if pd.isna(v) else round(float(v), 2) for v in values]
    words = [label(level_words(v, rubric)) for v in values]
    return go.Scatterpolar(
        r=_closed(values), theta=_closed(names), name=name, mode="lines+markers",
        line=dict(color=color, width=2.5, dash=dash), marker=dict(size=7, color=color),
        fill="toself" if fill else "none", fillcolor=_with_alpha(color, 0.12) if fill else None,
        customdata=_closed(words),
        # The trace name is read by plotly (%{fullData.name}), never pasted into the template: a unit
        # called "%{r}" must not become a placeholder.
        hovertemplate="<b>%{theta}</b><br>%{fullData.name}: %{r:.1f} (%{customdata})<extra></extra>",
    )


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
    figure = go.Figure([
        _radar_trace("Current", means["current"], names, CURRENT_COLOR, rubric),
        _radar_trace("Target", means["target"], names, TARGET_COLOR, rubric, dash="dash", fill=False),
    ])
    _polar_layout(figure, rubric)
    figure = _base_layout(figure, label(title) if title else None, 420)
    figure.update_layout(margin=dict(l=90, r=90, t=50 if title else 36, b=24),
                         legend=dict(orientation="v", yanchor="top", y=1.08, xanchor="left", x=-0.22))
    return figure


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
    figure = go.Figure(traces)
    _polar_layout(figure, rubric)
    figure = _base_layout(figure, None, 440 + 22 * ((len(units) + 1) // 2))
    figure.update_layout(legend=dict(orientation="h", yanchor="top", y=-0.04, xanchor="center", x=0.5),
                         margin=dict(l=90, r=90, t=40, b=20))
    return figure


def gap_heatmap(normalized: pd.DataFrame, rubric: Rubric) -> go.Figure:
    """Units × dimensions heatmap of the average gap (levels to climb), each cell labelled with it."""
    means = dimension_averages(normalized, rubric, by_unit=True)
    units = list(pd.unique(normalized["unit"]))
    short = short_names(rubric)
    dimension_names = [label(short[d.id]) for d in rubric.dimensions]
    grid = means.pivot(index="unit", columns="dimension", values="gap").reindex(index=units,
                                                                                   columns=list(rubric.dimension_ids))
    current = means.pivot(index="unit", columns="dimension", values="current").reindex_like(grid)
    target = means.pivot(index="unit", columns="dimension", values="target").reindex_like(grid)
    full_names = [label(d.name) for d in rubric.dimensions]
    hover = [[f"{name}<br>Current {_number(c)} ({label(level_words(c, rubric))})<br>"
              f"Target {_number(t)} ({label(level_words(t, rubric))})"
              for name, c, t in zip(full_names, current_row, target_row, strict=True)]
             for current_row, target_row in zip(current.to_numpy(), target.to_numpy(), strict=True)]
    z = grid.to_numpy(dtype=float)
    top = _scale_top(pd.Series(z.ravel()).max())
    figure = go.Figure(go.Heatmap(
        z=z, x=dimension_names, y=[label(u) for u in units], customdata=hover,
        colorscale=GAP_COLORSCALE, zmin=0, zmax=top, xgap=3, ygap=3,
        texttemplate="%{z:.1f}" if _lane(len(units), 46) >= 20 else "", textfont=dict(size=14),
        showscale=False,  # every cell carries its number; the colour only helps the eye
        hovertemplate="<b>%{y}</b><br>%{customdata}<br>Gap %{z:.1f} levels<extra></extra>",
        hoverongaps=False,
    ))
    figure = _base_layout(figure, None, max(240, 60 + _lane(len(units), 46) * len(units)))
    figure.update_xaxes(side="top", showgrid=False, tickfont=dict(size=13), tickangle=0)
    figure.update_yaxes(autorange="reversed", showgrid=False, tickfont=dict(size=13), ticksuffix="  ")
    return figure


def _scale_top(largest: float) -> float:
    """The top of a gap colour scale: the largest gap rounded up to a half level, at least 1."""
    return 1.0 if pd.isna(largest) else max(1.0, math.ceil(float(largest) * 2) / 2)


def _lane(count: int, roomy: int) -> int:
    """Pixels per row of a chart with ``count`` rows: ``roomy`` for a dozen, tighter for hundreds."""
    return roomy if count <= 12 else max(14, min(roomy, 600 // count))


def _number(value: float) -> str:
    return "–" if value is None or pd.isna(value) else f"{value:.1f}"


def gap_ranking(normalized: pd.DataFrame, rubric: Rubric, dimension: str | None = None) -> go.Figure:
    """Units ranked by average gap (largest first, at the top), optionally within one ``dimension`` id."""
    rows = _applicable(normalized)
    if dimension is not None:
        rows = rows[rows["dimension"] == dimension]
    ranking = (rows.groupby("unit", sort=False)
               .agg(gap=("gap", "mean"), steps=("gap", "sum"), practices=("gap", "size"),
                    current=("current", "mean"), target=("target", "mean"))
               .sort_values("gap", ascending=False, kind="stable"))
    top = _scale_top(ranking["gap"].max())
    customdata = [[int(s), int(p), f"{_number(c)} ({label(level_words(c, rubric))})",
                   f"{_number(t)} ({label(level_words(t, rubric))})"]
                  for s, p, c, t in zip(ranking["steps"], ranking["practices"], ranking["current"],
                                        ranking["target"], strict=True)]
    figure = go.Figure(go.Bar(
        x=ranking["gap"].round(2), y=[label(u) for u in ranking.index], orientation="h",
        marker=dict(color=ranking["gap"], colorscale=GAP_COLORSCALE, cmin=0, cmax=top,
                    line=dict(color="#8C6D3A", width=0.5)),
        text=[f"{g:.1f}" for g in ranking["gap"]], textposition="outside", cliponaxis=False,
        customdata=customdata, name="Average gap",
        hovertemplate=("<b>%{y}</b><br>Average gap %{x:.1f} levels<br>%{customdata[0]} level steps over "
                       "%{customdata[1]} practices<br>Current %{customdata[2]}<br>Target %{customdata[3]}"
                       "<extra></extra>"),
    ))
    figure = _base_layout(figure, None, max(240, 60 + _lane(len(ranking), 44) * len(ranking)))
    figure.update_xaxes(title="Average gap (levels to climb)", range=[0, top * 1.15], gridcolor=_GRID, zeroline=False)
    figure.update_yaxes(autorange="reversed", ticksuffix="  ")
    return figure


def practice_levels(normalized: pd.DataFrame, rubric: Rubric, dimension: str,
                    unit: str | None = None) -> pd.DataFrame:
    """Per practice of one ``dimension`` id (for one ``unit`` or averaged over all): current, target, gap.

    Practices come in rubric order (by the level they belong to), then in the order of the file.
    """
    rows = _applicable(normalized[normalized["dimension"] == dimension])
    if unit is not None:
        rows = rows[rows["unit"] == unit]
    practice = rows["practice"].fillna(WHOLE_DIMENSION) if "practice" in rows else WHOLE_DIMENSION
    rows = rows.assign(practice=practice)
    if "practice_id" not in rows:
        rows = rows.assign(practice_id=None)
    level_of = {p.id: p.level for p in rubric.dimension(dimension).practices}
    per_practice = (rows.groupby("practice", sort=False)
                    .agg(current=("current", "mean"), target=("target", "mean"), gap=("gap", "mean"),
                         units=("unit", "nunique"), practice_id=("practice_id", "first"))
                    .reset_index())
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
        traces.append(go.Bar(
            x=levels[column].round(2), y=names, orientation="h", name=name, marker_color=color,
            customdata=[[w, label(p)] for w, p in zip(words, levels["practice"], strict=True)],
            hovertemplate="<b>%{customdata[1]}</b><br>%{fullData.name}: %{x:.1f} (%{customdata[0]})<extra></extra>",
        ))
    figure = go.Figure(traces)
    figure = _base_layout(figure, None, max(200, 100 + _lane(len(levels), 46) * len(levels)))
    figure.update_layout(barmode="group", bargap=0.28, bargroupgap=0.06,
                         legend=dict(orientation="h", yanchor="top", y=-0.02, xanchor="left", x=0))
    axis = _level_axis(rubric)
    figure.update_xaxes(tickvals=axis["tickvals"], ticktext=axis["ticktext"], range=[0, rubric.highest + 0.1],
                        gridcolor=_GRID, zeroline=False, tickangle=0, side="top", tickfont=dict(size=11))
    figure.update_yaxes(autorange="reversed", ticksuffix="  ")
    return figure


def _shorten(text: str, limit: int = 48) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def roadmap_timeline(roadmap: pd.DataFrame, rubric: Rubric) -> go.Figure:
    """Phases as a timeline: one lane per unit, one block per phase labelled with its step count and
    coloured by the level the unit reaches in it (within a unit, phase k reaches exactly one level)."""
    if roadmap.empty:
        return _base_layout(go.Figure(), None, 200)
    blocks = (roadmap.groupby(["unit", "phase"], sort=False)
              .agg(steps=("rank", "size"), to_level=("to_level", "max"), dimensions=("dimension", "nunique"))
              .reset_index())
    units = list(pd.unique(roadmap["unit"]))
    phases = int(blocks["phase"].max())
    traces = []
    for level in sorted(blocks["to_level"].unique()):
        part = blocks[blocks["to_level"] == level]
        color = _LEVEL_STEPS[min(len(_LEVEL_STEPS) - 1, max(0, int(level) - rubric.lowest))]
        name = f"to {rubric.level_name(int(level))}"
        traces.append(go.Bar(
            y=[label(u) for u in part["unit"]], x=[0.94] * len(part), base=part["phase"] - 0.97,
            orientation="h", name=name, marker=dict(color=color, line=dict(width=0)),
            text=[f"{s} step{'s' * (s != 1)}" for s in part["steps"]], textposition="inside",
            insidetextanchor="middle", textfont=dict(size=12),
            customdata=[[int(p), int(s), int(d)] for p, s, d in zip(part["phase"], part["steps"],
                                                                    part["dimensions"], strict=True)],
            hovertemplate=(f"<b>%{{y}}</b><br>Phase %{{customdata[0]}}: reach {name.removeprefix('to ')}<br>"
                           "%{customdata[1]} steps in %{customdata[2]} dimensions<extra></extra>"),
        ))
    figure = go.Figure(traces)
    figure = _base_layout(figure, None, max(220, 90 + _lane(len(units), 40) * len(units)))
    figure.update_layout(barmode="overlay", bargap=0.3, legend_title_text="Level reached  ",
                         legend=dict(orientation="h", yanchor="top", y=-0.02, xanchor="left", x=0))
    figure.update_xaxes(range=[0, phases], tickvals=[p - 0.5 for p in range(1, phases + 1)],
                        ticktext=[f"Phase {p}" for p in range(1, phases + 1)], showgrid=False, zeroline=False,
                        side="top")
    figure.update_yaxes(categoryorder="array", categoryarray=[label(u) for u in units], autorange="reversed",
                        ticksuffix="  ")
    return figure
