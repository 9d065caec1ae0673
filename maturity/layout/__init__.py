"""Finding the gap-analysis table in each sheet: its header row, each column's role, each level scale,
and the shapes read across sheets.

The result is a :class:`Layout`, a small frozen value the dashboard shows ("this is what I
understood") and lets a user correct with :meth:`Layout.with_role` / :meth:`Layout.with_scale` /
:func:`relayout_sheet`; normalizing then reruns on the corrected layout without re-reading the file.

* ``model``: the Layout, SheetLayout, Column values and the roles;
* ``headers``: the role a header names, two-row headers, the likeliest header row;
* ``detect``: detection per sheet and across sheets, the table's end, refitting to another model.
"""

from __future__ import annotations

from .detect import detect_layout, refit_layout, relayout_sheet, units_of
from .headers import column_role, likely_header_row
from .model import HEADER_SEARCH_ROWS, LEVEL_ROLES, ROLES, Column, Layout, SheetLayout, SkippedSheet

__all__ = [
    "HEADER_SEARCH_ROWS",
    "LEVEL_ROLES",
    "ROLES",
    "Column",
    "Layout",
    "SheetLayout",
    "SkippedSheet",
    "column_role",
    "detect_layout",
    "likely_header_row",
    "refit_layout",
    "relayout_sheet",
    "units_of",
]
