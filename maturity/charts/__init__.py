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

from .averages import dimension_averages, headline, largest_gaps, level_names, practice_rows
from .bars import gap_heatmap, gap_ranking, practice_bars, practice_levels
from .base import (
    CURRENT_COLOR,
    GAP_COLORSCALE,
    TARGET_COLOR,
    UNIT_COLORS,
    WHOLE_DIMENSION,
    axis_name,
    label,
    level_words,
    short_names,
)

# The drawing helpers the other chart modules (charts_history, charts_dora) build on.
from .base import _base_layout as _base_layout
from .base import _figure as _figure
from .base import _level_axis as _level_axis
from .radar import _polar as _polar
from .radar import _radar_trace as _radar_trace
from .radar import radar, unit_radar
from .timeline import roadmap_timeline

__all__ = [
    "CURRENT_COLOR",
    "GAP_COLORSCALE",
    "TARGET_COLOR",
    "UNIT_COLORS",
    "WHOLE_DIMENSION",
    "axis_name",
    "dimension_averages",
    "gap_heatmap",
    "gap_ranking",
    "headline",
    "label",
    "largest_gaps",
    "level_names",
    "level_words",
    "practice_bars",
    "practice_levels",
    "practice_rows",
    "radar",
    "roadmap_timeline",
    "short_names",
    "unit_radar",
]
