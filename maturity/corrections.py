"""What a user says about how a file is laid out, for when detection read it wrong or found nothing.

A :class:`Corrections` names the sheets to read, their header row, a role for a column and the level
scale of a level column; :func:`apply_corrections` turns it into the :class:`~maturity.layout.Layout`
the file is then normalized with. The command line's ``--sheet``, ``--header-row``, ``--role`` and
``--scale`` build one with :meth:`Corrections.parse`; being a small hashable value, the dashboard can
keep and cache the same thing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from .columns import column_index
from .errors import CorrectionError, NoDataError
from .layout import (
    LEVEL_ROLES,
    Column,
    Layout,
    SheetLayout,
    SkippedSheet,
    detect_layout,
    likely_header_row,
    refit_layout,
    relayout_sheet,
    units_of,
)
from .levels import LevelScale
from .reader import RawSheet, RawWorkbook
from .rubric import Rubric
from .shapes.split import pair_sheets

__all__ = ["NO_ROLE", "ROLE_CHOICES", "Corrections", "apply_corrections", "check_scales", "read_pair", "read_sheet"]

# The roles a user gives a column. gap, source_sheet and source_row are roles only for reading
# gapmap's own exports back, never something to ask for.
ROLE_CHOICES = ("unit", "group", "dimension", "practice", "current", "target", "priority", "effort", "owner",
                "notes", "evidence", "applicable")
NO_ROLE = ("none", "ignore")
_LARGEST_SCALE = 10  # as for a scale a header states: from 0 or 1 up to at most 10
_LETTERS = re.compile(r"[A-Za-z]{1,3}")
_RANGE = re.compile(r"(\d+)\s*(?:-|–|—|\.\.)\s*(\d+)")
_LISTED = 20  # names listed in a message before "…"


@dataclass(frozen=True)
class Corrections:
    """The sheets to read (none: as detected, or every sheet), their 1-based header row (None: as
    detected), ``(column, role)`` pairs (a column letter or header text; role ``""`` for no role) and
    ``(column, low, high)`` level scales, applied in order to every sheet read."""

    sheets: tuple[str, ...] = ()
    header_row: int | None = None
    roles: tuple[tuple[str, str], ...] = ()
    scales: tuple[tuple[str, int, int], ...] = ()
    # (current sheet, target sheet, "across" | "down" | "" for as the labels suggest): read together.
    pairs: tuple[tuple[str, str, str], ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.sheets or self.header_row or self.roles or self.scales or self.pairs)

    @classmethod
    def parse(
        cls,
        sheets: Iterable[str] | None = None,
        header_row: str | int | None = None,
        roles: Iterable[str] | None = None,
        scales: Iterable[str] | None = None,
        pairs: Iterable[str] | None = None,
    ) -> Corrections:
        """Corrections from the command line's strings: ``--sheet NAME``, ``--header-row N``,
        ``--role COLUMN=ROLE``, ``--scale COLUMN=LOW-HIGH`` and ``--pair CURRENT=TARGET[:across|down]``
        (None: the flag was not given).

        Raises CorrectionError naming the flag, what it was given and what it takes.
        """
        names = []
        for name in sheets or ():
            if not name.strip():
                raise CorrectionError("--sheet takes a sheet's name, not an empty text")
            names.append(name)
        return cls(tuple(dict.fromkeys(names)), _header_row(header_row),
                   tuple(map(_role, roles or ())), tuple(map(_scale, scales or ())), tuple(map(_pair, pairs or ())))


def _header_row(raw: str | int | None) -> int | None:
    if raw is None:
        return None
    text = str(raw).strip()
    if not text.isdigit() or int(text) < 1:
        raise CorrectionError(f"--header-row takes the number of the row holding the column titles (1 for the "
                              f"first row), not {text!r}")
    return int(text)


def _role(raw: str) -> tuple[str, str]:
    column, equals, role = raw.rpartition("=")
    if not equals or not column.strip() or not role.strip():
        raise CorrectionError(f"--role takes COLUMN=ROLE, e.g. --role C=current or --role 'As-Is=current', "
                              f"not {raw!r}")
    role = role.strip().lower()
    if role in NO_ROLE:
        return column.strip(), ""
    if role not in ROLE_CHOICES:
        raise CorrectionError(f"--role {raw}: {role!r} is not a role; the roles are {', '.join(ROLE_CHOICES)}, "
                              f"or {' or '.join(NO_ROLE)} to give the column no role")
    return column.strip(), role


def _pair(raw: str) -> tuple[str, str, str]:
    """``CURRENT=TARGET`` or ``CURRENT=TARGET:across`` / ``:down`` (a sheet's name cannot hold ':')."""
    sheets, _, areas = raw.partition(":") if raw.rstrip().endswith((":across", ":down")) else (raw, "", "")
    current, equals, target = sheets.partition("=")
    if not equals or not current.strip() or not target.strip() or current.strip() == target.strip():
        raise CorrectionError(f"--pair takes CURRENT=TARGET, the sheet of current levels and the sheet of target "
                              f"levels, optionally :across or :down for where the areas are, e.g. "
                              f"--pair 'As-Is=To-Be:across', not {raw!r}")
    return current.strip(), target.strip(), areas.strip()


def _scale(raw: str) -> tuple[str, int, int]:
    column, equals, numbers = raw.rpartition("=")
    found = _RANGE.fullmatch(numbers.strip())
    if not equals or not column.strip() or not found:
        raise CorrectionError(f"--scale takes COLUMN=LOW-HIGH, e.g. --scale D=0-4, not {raw!r}")
    low, high = int(found.group(1)), int(found.group(2))
    if low not in (0, 1) or not low < high <= _LARGEST_SCALE:
        raise CorrectionError(f"--scale {raw}: a level scale runs from 0 or 1 up to at most {_LARGEST_SCALE}")
    return column.strip(), low, high


def apply_corrections(workbook: RawWorkbook, rubric: Rubric, corrections: Corrections) -> Layout:
    """The layout of ``workbook`` (scales read for ``rubric``'s levels) as ``corrections`` says.

    Without corrections it is :func:`detect_layout`'s. Otherwise the detected layout when no sheet or
    header row is named and detection finds a table; else the sheets named (every sheet when none is)
    with the header row given (else the detected or likeliest one). Then each role and each scale is
    set on every sheet read that has the column. A sheet named that still has no table stays, for
    normalizing to report; unnamed ones are skipped unless no sheet has a table. Raises
    CorrectionError for a sheet, column or row the file does not have, and NoDataError only when
    ``corrections`` is empty.
    """
    if corrections.is_empty:
        return detect_layout(workbook, rubric)
    named = list({sheet.name: sheet for sheet in (_sheet(workbook, name) for name in corrections.sheets)}.values())
    layout = None
    if not named and corrections.header_row is None:
        try:
            layout = detect_layout(workbook, rubric)
        except NoDataError:
            layout = None  # the roles given may make a table of what detection passed over
    if corrections.pairs and layout is None and not (named or corrections.header_row or corrections.roles
                                                     or corrections.scales):
        skipped = tuple(SkippedSheet(s.name, "no table found") for s in workbook.sheets)
        layout = Layout((), skipped, "sheet labels")  # nothing but the pairs the user named
    every_sheet = layout is None and not named
    if layout is None:
        layout = _read_sheets(workbook, rubric, named, corrections.header_row)
    layout = _with_pairs(workbook, rubric, layout, corrections.pairs)
    for spec, role in corrections.roles:
        layout = _set_role(layout, spec, role)
    # A column given a level role needs a scale (and one that lost it, none) before the user's scales go on.
    layout = refit_layout(workbook, layout, rubric)
    for spec, low, high in corrections.scales:
        layout = _set_scale(layout, spec, LevelScale(low, high))
    if every_sheet:
        layout = _without_tableless(workbook, layout)
    return _with_units(workbook, layout)


def read_sheet(workbook: RawWorkbook, layout: Layout, sheet: str, header_row: int | None, rubric: Rubric) -> Layout:
    """``layout`` with ``sheet`` (one it skipped, or one it reads) read from ``header_row`` (None: its
    likeliest header row), its roles and scales as detected for that row, for the user to correct;
    where the units come from is worked out again. Raises CorrectionError for a sheet or row the
    file does not have."""
    raw = _sheet(workbook, sheet)
    if raw.cells.empty or not 1 <= (header_row or 1) <= len(raw.cells):
        rows = len(raw.cells)
        raise CorrectionError(f"sheet {raw.name!r} has no row {header_row} ({rows} row{'s' * (rows != 1)})")
    new = relayout_sheet(raw, header_row or likely_header_row(raw, rubric), rubric)
    order = {s.name: position for position, s in enumerate(workbook.sheets)}
    sheets = sorted((*(s for s in layout.sheets if s.sheet != raw.name), new), key=lambda s: order[s.sheet])
    layout = replace(layout, sheets=tuple(sheets), skipped=tuple(s for s in layout.skipped if s.sheet != raw.name),
                     pairs=tuple(p for p in layout.pairs if raw.name not in (p.current, p.target)),
                     stacked=tuple(s for s in layout.stacked if s.sheet != raw.name))
    return _with_units(workbook, layout)


def read_pair(workbook: RawWorkbook, layout: Layout, current: str, target: str, areas: str, rubric: Rubric) -> Layout:
    """``layout`` with sheets ``current`` and ``target`` read together (``areas``: "across", "down" or
    "" for as the labels suggest), as ``--pair`` does. Raises CorrectionError as the flag's does."""
    return _with_units(workbook, _with_pairs(workbook, rubric, layout, ((current, target, areas),)))


def check_scales(corrections: Corrections, rubric: Rubric) -> None:
    """Raise CorrectionError when a scale of ``corrections`` has another number of levels than
    ``rubric``, the model the file was read against: such a scale is not kept (see
    :func:`~maturity.layout.refit_layout`), and a flag must not be silently ignored."""
    for spec, low, high in corrections.scales:
        if not LevelScale(low, high).fits(rubric):
            raise CorrectionError(
                f"--scale {spec}={low}-{high}: that scale has {high - low + 1} levels but {rubric.name} has "
                f"{len(rubric.levels)} ({rubric.lowest}–{rubric.highest}): give a scale of {len(rubric.levels)} "
                f"levels, or read the file against another model with --rubric (own: the file's own levels)")


def _sheet(workbook: RawWorkbook, name: str, flag: str = "--sheet") -> RawSheet:
    for sheet in workbook.sheets:
        if sheet.name == name:
            return sheet
    folded = [s for s in workbook.sheets if s.name.strip().casefold() == name.strip().casefold()]
    if len(folded) == 1:
        return folded[0]
    sheets = _listing([repr(s.name) for s in workbook.sheets]) or "none"
    raise CorrectionError(f"{flag} {name}: {workbook.filename} has no sheet {name!r}; its sheets are {sheets}")


def _listing(items: list[str]) -> str:
    return ", ".join(items[:_LISTED]) + (f", … ({len(items) - _LISTED} more)" if len(items) > _LISTED else "")


def _read_sheets(workbook: RawWorkbook, rubric: Rubric, named: list[RawSheet], header_row: int | None) -> Layout:
    """The layout of the ``named`` sheets (every sheet that can be read, when none), each read from
    ``header_row`` or, without one, from its detected or likeliest header row."""
    detected = _detected_rows(workbook, rubric, named) if named and header_row is None else {}
    chosen = {sheet.name for sheet in named}
    sheets, skipped = [], []
    for sheet in workbook.sheets:
        if named and sheet.name not in chosen:
            skipped.append(SkippedSheet(sheet.name, "not one of the sheets named to read"))
            continue
        if sheet.cells.empty or (header_row or 1) > len(sheet.cells):
            rows = len(sheet.cells)
            reason = "empty sheet" if not rows else f"has no row {header_row} ({rows} row{'s' * (rows != 1)})"
            if named:
                raise CorrectionError(f"sheet {sheet.name!r} of {workbook.filename} cannot be read: {reason}")
            skipped.append(SkippedSheet(sheet.name, reason))
            continue
        if sheet.hidden and not named:  # as detection does; naming a hidden sheet reads it
            skipped.append(SkippedSheet(sheet.name, "hidden in the workbook; unhide it to have it read"))
            continue
        row = header_row or detected.get(sheet.name) or likely_header_row(sheet, rubric)
        sheets.append(relayout_sheet(sheet, row, rubric))
    if not sheets:
        reasons = "; ".join(f"{s.sheet!r}: {s.reason}" for s in skipped) or "it has none"
        raise CorrectionError(f"{workbook.filename}: no sheet to read ({reasons}); name one with --sheet")
    return Layout(tuple(sheets), tuple(skipped))


def _detected_rows(workbook: RawWorkbook, rubric: Rubric, sheets: list[RawSheet]) -> dict[str, int]:
    """The header row detection finds in each of ``sheets`` that has a table (hidden or not)."""
    visible = tuple(replace(sheet, hidden=False) for sheet in sheets)
    try:
        return {s.sheet: s.header_row for s in detect_layout(replace(workbook, sheets=visible), rubric).sheets}
    except NoDataError:
        return {}


def _column(sheet_layout: SheetLayout, spec: str) -> Column | None:
    """The column of ``sheet_layout`` that ``spec`` names: a header text (case and surrounding spaces
    aside), else a column letter. Raises CorrectionError when the text heads several columns."""
    folded = spec.strip().casefold()
    headed = [c for c in sheet_layout.columns if c.header.strip().casefold() == folded]
    if len(headed) > 1:
        letters = ", ".join(c.letter for c in headed)
        raise CorrectionError(f"{spec!r} heads columns {letters} of sheet {sheet_layout.sheet!r}: name the one "
                              f"you mean by its letter")
    if headed:
        return headed[0]
    if _LETTERS.fullmatch(spec.strip()):
        index = column_index(spec.strip())
        return next((c for c in sheet_layout.columns if c.index == index), None)
    return None


def _no_column(layout: Layout, flag: str, spec: str) -> CorrectionError:
    """The error for a column no sheet read has, listing each sheet's header texts with their letters."""
    found = []
    for sheet_layout in layout.sheets:
        headers = [f"{c.letter} {c.header!r}" for c in sheet_layout.columns if c.header]
        span = f"columns A–{sheet_layout.columns[-1].letter}" if sheet_layout.columns else "no columns"
        found.append((sheet_layout, _listing(headers) or f"no header texts ({span})"))
    what = f"{spec!r} (a header text or a column letter)"
    if not found:
        return CorrectionError(f"{flag}: no sheet is read as a table with columns; name the sheet that has "
                               f"column {spec!r} with --sheet")
    if len(found) == 1:
        [(sheet_layout, headers)] = found
        return CorrectionError(f"{flag}: sheet {sheet_layout.sheet!r} has no column {what}; its header row "
                               f"{sheet_layout.header_row} has {headers}")
    listed = "; ".join(f"sheet {s.sheet!r} (header row {s.header_row}) has {headers}" for s, headers in found)
    return CorrectionError(f"{flag}: no sheet read has a column {what}: {listed}")


def _set_role(layout: Layout, spec: str, role: str) -> Layout:
    hits = [(s, c) for s in layout.sheets if (c := _column(s, spec)) is not None]
    if not hits:
        raise _no_column(layout, f"--role {spec}={role or 'none'}", spec)
    for sheet_layout, column in hits:
        layout = layout.with_role(sheet_layout.sheet, column.index, role or None)
    return layout


def _set_scale(layout: Layout, spec: str, scale: LevelScale) -> Layout:
    flag = f"--scale {spec}={scale.low}-{scale.high}"
    hits = [(s, c) for s in layout.sheets if (c := _column(s, spec)) is not None]
    if not hits:
        raise _no_column(layout, flag, spec)
    levels = [(s, c) for s, c in hits if c.role in LEVEL_ROLES]
    if not levels:
        sheet_layout, column = hits[0]
        held = f"the {column.role} column" if column.role else "a column with no role"
        raise CorrectionError(f"{flag}: column {column.letter} ({column.label!r}) of sheet {sheet_layout.sheet!r} "
                              f"is {held}, not a current or target column; give it a level role with "
                              f"--role {column.letter}=current or --role {column.letter}=target")
    for sheet_layout, column in levels:
        layout = layout.with_scale(sheet_layout.sheet, column.role, scale)
    return layout


def _with_pairs(workbook: RawWorkbook, rubric: Rubric, layout: Layout, pairs) -> Layout:
    """``layout`` with each ``(current, target, areas)`` pair read together, its two sheets taken from
    wherever else the layout read or skipped them. Raises CorrectionError for a sheet that is no matrix."""
    for current, target, areas in pairs:
        current, target = _sheet(workbook, current, "--pair").name, _sheet(workbook, target, "--pair").name
        try:
            pair = pair_sheets(workbook, current, target, rubric, {"across": True, "down": False}.get(areas))
        except ValueError as error:
            raise CorrectionError(f"--pair {current}={target}: {error}; a current sheet and a target sheet each "
                                  f"hold a units × areas matrix under a row of labels") from None
        names = {current, target}
        layout = replace(
            layout,
            sheets=tuple(s for s in layout.sheets if s.sheet not in names),
            skipped=tuple(s for s in layout.skipped if s.sheet not in names),
            pairs=(*(p for p in layout.pairs if not names & {p.current, p.target}), pair),
            stacked=tuple(s for s in layout.stacked if s.sheet not in names),
        )
    if pairs and not layout.sheets:
        layout = replace(layout, unit_source="sheet labels")
    return layout


def _without_tableless(workbook: RawWorkbook, layout: Layout) -> Layout:
    """Every sheet read, none named: those still without a table are skipped, unless all are (then
    normalizing reports each, which says more than an empty result)."""
    tables = tuple(s for s in layout.sheets if not s.problems())
    if not tables or len(tables) == len(layout.sheets):
        return layout
    passed = [SkippedSheet(s.sheet, f"header row {s.header_row}: {'; '.join(s.problems())}")
              for s in layout.sheets if s.problems()]
    order = {sheet.name: position for position, sheet in enumerate(workbook.sheets)}
    skipped = tuple(sorted((*layout.skipped, *passed), key=lambda s: order[s.sheet]))
    return replace(layout, sheets=tables, skipped=skipped)


def _with_units(workbook: RawWorkbook, layout: Layout) -> Layout:
    """``layout`` with where its units come from worked out again for its corrected roles, by
    :func:`detect_layout`'s rule."""
    if not layout.sheets:  # only a current sheet and a target sheet read together: their units are their labels
        return layout
    unit_source, single_unit = units_of(workbook, layout.sheets, layout.organisation)
    return replace(layout, unit_source=unit_source, single_unit=single_unit)
