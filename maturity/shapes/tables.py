"""Every shape a layout found, as the tables the cell rules read: one :class:`Table` per long sheet, per
group of a wide sheet, per pair of current and target sheets and per stacked sheet.

Each adapter turns raw sheets plus what detection (or the user) said of them into a table with its
header in a known row, the :class:`~maturity.layout.SheetLayout` that reads it, and a ``restore`` that
puts every normalized row and problem back on the sheet and cell its level came from. ``normalize``
applies the same cell rules to each table, whatever its shape.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pandas as pd

from ..layout import LEVEL_ROLES, Layout, SheetLayout, relayout_sheet
from ..reader import RawSheet, RawWorkbook
from ..rubric import Rubric
from .long import sheet_refusal
from .split import pair_table
from .stacked import phase_column, stacked_table, stacked_unit, with_phases
from .wide import group_layout

__all__ = ["Table", "shape_tables"]

Restore = Callable[[pd.DataFrame, pd.DataFrame], tuple[pd.DataFrame, pd.DataFrame]]


def _as_read(normalized: pd.DataFrame, problems: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    return normalized, problems  # a table read where it is: its rows and cells are the sheet's own


@dataclass(frozen=True)
class Table:
    """One table of a shape: ``cells`` read by ``layout`` (``group``: the wide sheet's (kind, name) that
    stands in for a unit or dimension column), or, when ``refusal`` says why, not read at all."""

    shape: str  # long | wide | split | stacked
    cells: pd.DataFrame
    layout: SheetLayout
    group: tuple[str, str] | None = None
    restore: Restore = _as_read
    notes: tuple[str, ...] = field(default=())
    extra_columns: tuple[str, ...] = ()  # optional normalized columns the shape adds (a stacked sheet's phases)
    refusal: str | None = None


def shape_tables(workbook: RawWorkbook, layout: Layout, rubric: Rubric) -> Iterator[Table]:
    """The tables of ``workbook`` as ``layout`` found them, in the order sheets, pairs, stacked sheets."""
    for sheet_layout in layout.sheets:
        sheet = next(s for s in workbook.sheets if s.name == sheet_layout.sheet)
        if (refusal := sheet_refusal(sheet_layout, layout.default_target)) is not None:
            yield Table("long", sheet.cells, sheet_layout, notes=_end_note(sheet_layout), refusal=refusal)
            continue
        if not sheet_layout.wide_groups:
            yield Table("long", sheet.cells, sheet_layout, notes=_end_note(sheet_layout))
            continue
        # A wide sheet (a pair of level columns per unit or dimension) is one long table per pair.
        for position, group in enumerate(sheet_layout.wide_groups):
            yield Table("wide", sheet.cells, group_layout(sheet_layout, *group), group,
                        notes=_end_note(sheet_layout) if position == 0 else ())
    for pair in layout.pairs:  # a current sheet and a target sheet: one long table, each cell's origin kept
        table = pair_table(workbook, pair)
        yield Table("split", table.cells, relayout_sheet(RawSheet(pair.name, table.cells), 1, rubric),
                    restore=table.restore,
                    notes=(pair.note, *table.notes))
    for stacked in layout.stacked:  # blocks of one sheet (SAMM's Scorecard): one long table, each cell's origin kept
        table = stacked_table(workbook, stacked, stacked_unit(layout, stacked))

        def restore(good: pd.DataFrame, bad: pd.DataFrame, table=table, phases=stacked.phases):
            return table.restore(with_phases(good, table.cells, phases), bad)

        blocks = ", ".join(f"{title!r} ({role if role in LEVEL_ROLES else role.lower()})"
                           for (title, *_), role in zip(stacked.blocks, stacked.roles, strict=True))
        yield Table("stacked", table.cells, relayout_sheet(RawSheet(stacked.sheet, table.cells), 1, rubric),
                    restore=restore, notes=(f"sheet {stacked.sheet!r}: blocks {blocks} read as one table",),
                    extra_columns=tuple(map(phase_column, stacked.phases)))


def _end_note(sheet_layout: SheetLayout) -> tuple[str, ...]:
    if not sheet_layout.end_row:
        return ()
    return (f"sheet {sheet_layout.sheet!r}: the table ends at row {sheet_layout.end_row} "
            f"({sheet_layout.end_text!r}); the rows from there on are not read",)
