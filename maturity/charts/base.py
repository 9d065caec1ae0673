"""What every chart shares: the colours, the font and layout, text made safe for plotly, level words."""

from __future__ import annotations

import html
import math

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import get_colorscale

from ..rubric import Rubric

CURRENT_COLOR = "#0072B2"  # Okabe–Ito blue
TARGET_COLOR = "#E69F00"  # Okabe–Ito orange
# The other Okabe–Ito colours first, so a unit is never mistaken for "Current" or "Target".
UNIT_COLORS = ("#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#0072B2", "#E69F00", "#F0E442")
GAP_COLORSCALE = "YlOrBr"  # ColorBrewer sequential, colour-blind safe: pale = small gap, brown = large
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


def _with_alpha(hex_color: str, alpha: float) -> str:
    red, green, blue = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


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


def _shorten(text: str, limit: int = 48) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
