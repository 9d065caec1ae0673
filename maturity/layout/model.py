"""What was understood of a workbook's tables: :class:`Layout` (per sheet a :class:`SheetLayout` of
:class:`Column` roles and level scales, plus the shapes read across sheets), a small frozen value the
dashboard shows and the user corrects (:meth:`Layout.with_role`, :meth:`Layout.with_scale`,
:meth:`Layout.with_area`); normalizing reruns on a corrected layout without re-reading the file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import pandas as pd

from ..columns import column_letter
from ..levels import LevelScale
from ..rubric import match_key
from ..shapes.split import SheetPair
from ..shapes.stacked import StackedSheet
from ..titles import Found

__all__ = ["HEADER_SEARCH_ROWS", "LEVEL_ROLES", "ROLES", "Column", "Layout", "SheetLayout", "SkippedSheet"]

HEADER_SEARCH_ROWS = 30
LEVEL_ROLES = ("current", "target")

# The roles a column may have, in the order they are offered; the header phrases that name each one, the
# level keywords and their filler words are data: vocabulary.yaml's role_phrases, level_keywords and
# header_filler_words, compared after match_key folding (case, spacing, punctuation, '&'/'and').
ROLES = ("unit", "dimension", "group", "practice", "current", "target", "priority", "effort", "owner", "notes",
         "evidence", "applicable", "gap", "source_sheet", "source_row")


@dataclass(frozen=True)
class Column:
    """One column of a sheet's table: where it is, what its header says, and the role given to it."""

    index: int
    header: str
    role: str | None
    # Wide sheets: the unit (or dimension) named over this level column, e.g. 'Payments' in 'Payments - Current'.
    group: str | None = None
    group_kind: str | None = None  # "unit" or "dimension"

    @property
    def letter(self) -> str:
        return column_letter(self.index)

    @property
    def label(self) -> str:
        return self.header or f"column {self.letter}"


@dataclass(frozen=True)
class SheetLayout:
    """What was understood of one data sheet: 1-based ``header_row``, the columns, a scale per level role."""

    sheet: str
    header_row: int
    columns: tuple[Column, ...]
    scales: Mapping[str, LevelScale] = field(default_factory=dict)
    # The 1-based row that ends the table before the sheet does (a "SAMM velocity:" row), and its text.
    end_row: int | None = None
    end_text: str = ""

    def body(self, cells: pd.DataFrame) -> pd.DataFrame:
        """The rows of ``cells`` under the header that belong to the table."""
        return cells.iloc[self.header_row : (self.end_row - 1 if self.end_row else None)]

    def column_for(self, role: str) -> Column | None:
        return next((c for c in self.columns if c.role == role), None)

    @property
    def roles(self) -> dict[str, Column]:
        """Role → its column (for a wide sheet's level roles, the first unit's column)."""
        found: dict[str, Column] = {}
        for column in self.columns:
            if column.role:
                found.setdefault(column.role, column)
        return found

    @property
    def wide_groups(self) -> list[tuple[str, str]]:
        """``(kind, name)`` of each unit or dimension with its own current and target columns (a wide
        sheet), in column order; empty for a long sheet."""
        currents = [(c.group_kind, c.group) for c in self.columns if c.role == "current" and c.group]
        targets = {(c.group_kind, c.group) for c in self.columns if c.role == "target" and c.group}
        return [g for g in dict.fromkeys(currents) if g in targets]

    def problems(self) -> list[str]:
        """Why this layout cannot be normalized (empty when it can)."""
        roles = self.roles
        missing = [r for r in LEVEL_ROLES if r not in roles]
        reasons = [f"no {r} level column" for r in missing]
        dimension_groups = any(kind == "dimension" for kind, _ in self.wide_groups)
        if "dimension" not in roles and "practice" not in roles and not dimension_groups:
            reasons.append("no dimension or practice column")
        return reasons


@dataclass(frozen=True)
class SkippedSheet:
    sheet: str
    reason: str


@dataclass(frozen=True)
class Layout:
    """The layout of a whole workbook: data sheets in workbook order, skipped sheets with a reason,
    and where the unit comes from (``"column"``, ``"level column headers"`` for a wide sheet with a
    pair of level columns per unit, ``"sheet name"`` or ``"single unit"``)."""

    sheets: tuple[SheetLayout, ...]
    skipped: tuple[SkippedSheet, ...] = ()
    unit_source: str = "single unit"
    single_unit: str = "Organisation"
    # The user's answers for area values: (folded value, dimension id), confirming or reassigning a match.
    areas: tuple[tuple[str, str], ...] = ()
    # Current and target sheets read together (units × areas matrices), after the sheets above.
    pairs: tuple[SheetPair, ...] = ()
    # Sheets holding the same table in blocks, one per level or phase (SAMM's Scorecard), after the pairs.
    stacked: tuple[StackedSheet, ...] = ()
    # The organisation a title block names ("Organization:" and the name beside it), and where.
    organisation: Found | None = None
    # For a file without target levels: "next" (one level above current) or a level for every row.
    default_target: str | None = None

    @property
    def current_only(self) -> list[str]:
        """The sheets read that have current levels but no target column."""
        return [s.sheet for s in self.sheets if s.problems() == ["no target level column"]]

    @property
    def area_choices(self) -> dict[str, str]:
        """Folded area value → the dimension id the user chose for it."""
        return dict(self.areas)

    def with_area(self, value: str, dimension_id: str) -> Layout:
        """A copy where the file's area ``value`` is read as ``dimension_id`` (the user confirmed or
        reassigned it)."""
        folded = match_key(value)
        return replace(self, areas=(*((k, v) for k, v in self.areas if k != folded), (folded, dimension_id)))

    def sheet(self, name: str) -> SheetLayout:
        for sheet_layout in self.sheets:
            if sheet_layout.sheet == name:
                return sheet_layout
        raise KeyError(name)

    def _replace_sheet(self, new: SheetLayout) -> Layout:
        return replace(self, sheets=tuple(new if s.sheet == new.sheet else s for s in self.sheets))

    def with_role(self, sheet: str, column_index: int, role: str | None) -> Layout:
        """A copy where the column at ``column_index`` of ``sheet`` has ``role`` (None: ignored).

        Another column holding the same role gives it up, so each role stays on one column; on a wide
        sheet a level role stays on one column per group (each unit's or dimension's own Current and
        Target stay), and a level column given to no group takes the role from every other column.
        """
        if role is not None and role not in ROLES:
            raise ValueError(f"unknown role {role!r}; roles are {', '.join(ROLES)}")
        old = self.sheet(sheet)
        group = next((c.group for c in old.columns if c.index == column_index), None)

        def gives_up(column: Column) -> bool:
            if not role or column.role != role:
                return False
            return role not in LEVEL_ROLES or group is None or column.group == group

        columns = tuple(
            replace(c, role=role) if c.index == column_index else (replace(c, role=None) if gives_up(c) else c)
            for c in old.columns
        )
        return self._replace_sheet(replace(old, columns=columns))

    def with_scale(self, sheet: str, role: str, scale: LevelScale) -> Layout:
        """A copy where the level column with ``role`` on ``sheet`` is read on ``scale``."""
        old = self.sheet(sheet)
        return self._replace_sheet(replace(old, scales={**old.scales, role: replace(scale, source="user")}))

    def with_sheet(self, new: SheetLayout) -> Layout:
        """A copy with ``new`` in place of the sheet layout of the same name."""
        return self._replace_sheet(new)
