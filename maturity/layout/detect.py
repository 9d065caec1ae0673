"""Finding the gap-analysis tables of a workbook: each sheet's header row, roles, level scales and end,
then the shapes read across sheets (split current/target sheets, stacked blocks), the organisation
named in a title block, and where the units come from; refitting a layout to another model."""

from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd

from ..distinct import distinct_cells
from ..errors import NoDataError
from ..levels import LevelScale, any_zero, detect_scale, has_zero
from ..reader import RawSheet, RawWorkbook
from ..rubric import Rubric, match_key
from ..shapes.split import SheetPair, find_pairs, pair_areas
from ..shapes.stacked import READ_ELSEWHERE, StackedSheet, find_stacked, stacked_areas
from ..titles import Found, find_organisation
from ..vocabulary import table_end_words
from .headers import _find_header, _header_columns, _qualifies, likely_header_row
from .model import HEADER_SEARCH_ROWS, LEVEL_ROLES, Column, Layout, SheetLayout, SkippedSheet

__all__ = ["detect_layout", "refit_layout", "relayout_sheet", "units_of"]

def relayout_sheet(sheet: RawSheet, header_row: int, rubric: Rubric) -> SheetLayout:
    """The layout of ``sheet`` when its header is on 1-based row ``header_row`` (roles and scales detected)."""
    if not 1 <= header_row <= len(sheet.cells):
        raise ValueError(f"sheet {sheet.name!r} has no row {header_row}")
    columns = _header_columns(sheet.cells.iloc[header_row - 1], rubric)
    if not _qualifies(columns) and header_row > 1:
        two_rows = _header_columns(sheet.cells.iloc[header_row - 1], rubric, sheet.cells.iloc[header_row - 2])
        if _qualifies(two_rows):
            columns = two_rows
    # Each level and area column's distinct values, found once for the table's end and the scales.
    body = sheet.cells.iloc[header_row:]
    distinct = {c.index: distinct_cells(body[c.index]) for c in columns if c.role in (*LEVEL_ROLES, "dimension")}
    end_row, end_text = _table_end(sheet, header_row, columns, distinct)
    scales = _detect_scales(sheet, header_row, columns, rubric, end_row, None if end_row else distinct)
    return SheetLayout(sheet.name, header_row, columns, scales, end_row, end_text)


def _table_end(sheet: RawSheet, header_row: int, columns: tuple[Column, ...],
               distinct: dict[int, object]) -> tuple[int | None, str]:
    """Where the table under ``header_row`` ends before the sheet does: the first row whose dimension or
    level cell starts with a word of ``table_end_words`` ("Valid Maturity Levels"), or whose level cell
    is a label for what follows ("SAMM velocity:"): a level is never written that way."""
    ends = table_end_words()

    def not_data(value: object, level: bool) -> bool:
        if not isinstance(value, str) or not (text := value.strip()):
            return False
        folded = match_key(text)
        if level and text.endswith(":") and any(ch.isalpha() for ch in text):
            return True
        return any(folded == w or folded.startswith(w + " ") for w in ends)

    body = sheet.cells.iloc[header_row:]
    first = None
    for column in columns:  # (not the practice column: its many distinct texts are where the time would go)
        if column.role in (*LEVEL_ROLES, "dimension"):
            level = column.role in LEVEL_ROLES
            values = body[column.index]
            # Each distinct text is looked at once; the rows are searched only when one is not data.
            ends_here = [v for v in distinct[column.index] if isinstance(v, str) and not_data(v, level)]
            if ends_here:
                position = int(values.isin(ends_here).to_numpy().argmax())
                first = position if first is None else min(first, position)
    if first is None:
        return None, ""
    row = body.iloc[first]
    text = next(str(v).strip() for c in columns if c.role in (*LEVEL_ROLES, "dimension")
                if not_data(v := row.iloc[c.index], c.role in LEVEL_ROLES))
    return header_row + first + 1, text


def _detect_scales(
    sheet: RawSheet, header_row: int, columns: tuple[Column, ...], rubric: Rubric, end_row: int | None = None,
    distinct: dict[int, object] | None = None,
) -> dict[str, LevelScale]:
    """The scale of each level column; ``distinct`` holds their distinct values when the caller has them."""
    body = sheet.cells.iloc[header_row : (end_row - 1 if end_row else None)]
    level_columns = [c for c in columns if c.role in LEVEL_ROLES]
    # The level columns of one sheet share a numbering: a 0 in either means both start at 0.
    zero_seen = any(any_zero(distinct[c.index]) if distinct is not None else has_zero(body[c.index])
                    for c in level_columns)
    return {c.role: detect_scale(c.header, None, rubric, zero_seen=zero_seen) for c in level_columns}


def refit_layout(workbook: RawWorkbook, layout: Layout, rubric: Rubric) -> Layout:
    """``layout`` for another ``rubric``: the sheets, header rows and roles stay; each level scale is
    detected again for the new rubric's levels unless the user set one that fits them; area choices
    naming an area the new rubric does not have are dropped."""
    sheets = []
    for sheet_layout in layout.sheets:
        raw = next(s for s in workbook.sheets if s.name == sheet_layout.sheet)
        detected = _detect_scales(raw, sheet_layout.header_row, sheet_layout.columns, rubric, sheet_layout.end_row)
        kept = {role: scale for role, scale in sheet_layout.scales.items()
                if scale.source == "user" and scale.fits(rubric)}
        sheets.append(replace(sheet_layout, scales={**detected, **kept}))
    areas = tuple((k, v) for k, v in layout.areas if v in rubric.dimension_ids)
    return replace(layout, sheets=tuple(sheets), areas=areas)


_REFUSAL_SHEETS = 10  # sheets described in the message; a 200-sheet workbook gets a count for the rest
_REFUSAL_HEADERS = 5


def _refusal(workbook: RawWorkbook, rubric: Rubric, skipped: list[SkippedSheet]) -> str:
    """Why :func:`detect_layout` found no table: per sheet, its likeliest header row, that row's first
    texts and what it lacks (or why the sheet was passed over), then how to say where the table is."""
    reasons = {s.sheet: s.reason for s in skipped}
    found = []
    for sheet in workbook.sheets[:_REFUSAL_SHEETS]:
        if sheet.cells.empty or sheet.hidden:
            found.append(f"Sheet {sheet.name!r}: {reasons.get(sheet.name, 'not read')}")
            continue
        row = likely_header_row(sheet, rubric)
        columns = _header_columns(sheet.cells.iloc[row - 1], rubric)
        texts = [c.header if len(c.header) <= 40 else c.header[:40] + "…" for c in columns if c.header]
        if not any(isinstance(v, str) and v.strip() for v in sheet.cells.iloc[row - 1].tolist()):
            found.append(f"Sheet {sheet.name!r}: no text in its first {HEADER_SEARCH_ROWS} rows")
            continue
        shown = ", ".join(map(repr, texts[:_REFUSAL_HEADERS])) + (", …" if len(texts) > _REFUSAL_HEADERS else "")
        missing = "; ".join(SheetLayout(sheet.name, row, columns).problems())
        found.append(f"Sheet {sheet.name!r}: header row {row} has {shown}; {missing}")
    if len(workbook.sheets) > _REFUSAL_SHEETS:
        found.append(f"and {len(workbook.sheets) - _REFUSAL_SHEETS} more sheets")
    return (
        f"{workbook.filename}: found no gap-analysis table. {'. '.join(found) or 'The file has no sheets'}. "
        f"A header row needs a current and a target level column and a dimension or practice column, e.g. "
        f"'Dimension', 'Practice', 'Current', 'Target' (the template has one): use --sheet, --header-row and "
        f"--role COLUMN=ROLE to say where the table is (--pair CURRENT=TARGET for a sheet of current levels and one "
        f"of target levels), or correct it in How this file was read"
    )


_GENERIC_SHEET = re.compile(
    r"^(sheet|tabelle|feuil|hoja|foglio|blad|arkusz|planilha)\s*\d*$|gap|assessment|data|maturity|survey|input|scores?$",
    re.IGNORECASE,
)


def _area_labels(workbook: RawWorkbook, sheet_layout: SheetLayout) -> frozenset[str]:
    """The folded distinct values of ``sheet_layout``'s area column (its practice column without one),
    and the areas named over a wide sheet's pairs of level columns."""
    labels = {match_key(name) for kind, name in sheet_layout.wide_groups if kind == "dimension"}
    column = sheet_layout.column_for("dimension") or sheet_layout.column_for("practice")
    if column is not None:
        raw = next(s for s in workbook.sheets if s.name == sheet_layout.sheet)
        values = sheet_layout.body(raw.cells)[column.index]
        labels |= {match_key(str(v)) for v in pd.unique(values.dropna()) if str(v).strip()}
    return frozenset(labels)


def _stacked_sheets(workbook: RawWorkbook, sheets: list[SheetLayout], pairs: tuple[SheetPair, ...],
                    skipped: list[SkippedSheet], rubric: Rubric) -> tuple[tuple[StackedSheet, ...], list[SkippedSheet]]:
    """The stacked sheets among the ``skipped`` ones that have no header, and what stays skipped: a stacked
    sheet most of whose areas another sheet (or pair) already reads is not read twice (a SAMM toolbox
    holds its scores in both a Roadmap Chart and a Scorecard) and says so in its reason."""
    found = find_stacked(workbook, [s.sheet for s in skipped if s.reason.startswith("no header")], rubric)
    if not found:
        return (), skipped
    others = {f"sheet {s.sheet!r}": _area_labels(workbook, s) for s in sheets}
    others |= {f"sheets {p.current!r} and {p.target!r}": frozenset(map(match_key, pair_areas(workbook, p)))
               for p in pairs}
    kept, reasons = [], {}
    for stacked in found:
        areas = {match_key(a) for a in stacked_areas(workbook, stacked)}
        where, shared = max(((w, len(areas & labels)) for w, labels in others.items()), key=lambda o: o[1],
                            default=("", 0))
        if shared and 2 * shared >= len(areas):
            reasons[stacked.sheet] = (f"{READ_ELSEWHERE}{where} (which holds current and target as the "
                                      f"{stacked.sheet} does); not read twice")
        else:
            kept.append(stacked)
    read = {s.sheet for s in kept}
    return tuple(kept), [SkippedSheet(s.sheet, reasons.get(s.sheet, s.reason)) for s in skipped if s.sheet not in read]


def detect_layout(workbook: RawWorkbook, rubric: Rubric, current_only: bool = False) -> Layout:
    """Find the data sheets of ``workbook`` and their layouts; with ``current_only``, when no table has
    targets, the sheets with current levels and an area column (a first assessment) too.

    Raises NoDataError when no sheet has a header row with a current and a target column and a
    dimension or practice column within its first rows; the message lists what was looked for.
    """
    sheets: list[SheetLayout] = []
    skipped: list[SkippedSheet] = []
    for sheet in workbook.sheets:
        if sheet.cells.empty:
            skipped.append(SkippedSheet(sheet.name, "empty sheet"))
            continue
        if sheet.hidden:  # often an archived copy or a list of choices: what the author chose not to show
            skipped.append(SkippedSheet(sheet.name, "hidden in the workbook; unhide it to have it read"))
            continue
        header_row = _find_header(sheet, rubric)
        if header_row is None:
            skipped.append(
                SkippedSheet(
                    sheet.name,
                    f"no header with current, target and dimension or practice "
                    f"columns in its first {HEADER_SEARCH_ROWS} rows",
                )
            )
            continue
        sheets.append(relayout_sheet(sheet, header_row, rubric))
    # A sheet without a long or wide table may be one half of a current sheet and a target sheet.
    pairs = tuple(find_pairs(workbook, [s.sheet for s in skipped if s.reason.startswith("no header")], rubric))
    paired = {name for pair in pairs for name in (pair.current, pair.target)}
    skipped = [s for s in skipped if s.sheet not in paired]
    # A sheet holding one table in blocks (SAMM's Scorecard) is read as one, unless another sheet reads its areas.
    stacked, skipped = _stacked_sheets(workbook, sheets, pairs, skipped, rubric)
    if current_only and not sheets and not pairs and not stacked:  # no table with targets: a first assessment
        for skip in [s for s in skipped if s.reason.startswith("no header")]:
            raw = next(s for s in workbook.sheets if s.name == skip.sheet)
            if (header_row := _find_header(raw, rubric, current_only=True)) is not None:
                sheets.append(relayout_sheet(raw, header_row, rubric))
                skipped.remove(skip)
    if (pairs or stacked) and not sheets:
        organisation = find_organisation(workbook, tuple(s.sheet for s in stacked))
        if pairs:
            return Layout((), tuple(skipped), "sheet labels", pairs=pairs, stacked=stacked, organisation=organisation)
        # Stacked blocks have no unit column: the unit is the organisation a title block names, else the sheet.
        single_unit = organisation.value if organisation is not None else stacked[0].sheet
        return Layout((), tuple(skipped), "single unit", single_unit, stacked=stacked, organisation=organisation)
    if not sheets:
        raise NoDataError(_refusal(workbook, rubric, skipped))
    organisation = find_organisation(workbook, tuple(s.sheet for s in sheets))
    unit_source, single_unit = units_of(workbook, sheets, organisation)
    return Layout(tuple(sheets), tuple(skipped), unit_source, single_unit, pairs=pairs, stacked=stacked,
                  organisation=organisation)


def units_of(workbook: RawWorkbook, sheets, organisation: Found | None) -> tuple[str, str]:
    """``(unit_source, single_unit)`` of the data ``sheets``: a unit per wide pair of level columns, a unit
    column, the sheet names, or one unit for the file, named after the organisation a title block names,
    else its sheet (unless the sheet's name is generic, such as "Sheet1" or "Assessment")."""
    if any(kind == "unit" for s in sheets for kind, _ in s.wide_groups):
        return "level column headers", "Organisation"
    if any(s.column_for("unit") for s in sheets):
        return "column", "Organisation"
    if len(sheets) > 1:
        return "sheet name", "Organisation"
    if organisation is not None:
        return "single unit", organisation.value  # "Organization: Acme Brick Co" above the table
    if workbook.kind != "csv" and not _GENERIC_SHEET.search(sheets[0].sheet):
        return "single unit", sheets[0].sheet
    return "single unit", "Organisation"
