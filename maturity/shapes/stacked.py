"""Stacked blocks: one sheet holding the same table several times, one block per level or phase.

SAMM's Scorecard (reference §3.4) repeats a 'Business Functions | Security Practices | Current' table
under the titles 'Current Maturity Score', 'Phase 1 Maturity Score' … 'Phase 4 Maturity Score'. Each
block is a title cell (in column A or left of the area column) whose text names a level or a phase,
within a few rows above a header row with an area column and a score column ('Current', or 'Score'
in the 2024 template), then the data rows down to the first blank row. Blocks are found by that
structure, not by their rows. The first block is current; the block titled target or to-be, else the
last one, is the target; the blocks between are phases the roadmap may use. The sheet is read as one
long table (a row per area) whose every level cell remembers its block's cell, so a problem names
the cell to fix.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..columns import column_letter
from ..levels import as_number, cell_text, is_blank
from ..reader import RawSheet, RawWorkbook
from ..rubric import Rubric, match_key
from ..vocabulary import sheet_level_words, summary_words
from .split import PairTable, _origin

if TYPE_CHECKING:
    from ..layout import Layout

__all__ = ["READ_ELSEWHERE", "StackedSheet", "find_stacked", "phase_column", "stacked_areas", "stacked_table",
           "stacked_unit", "with_phases"]

READ_ELSEWHERE = "its practices are read from "  # how a skipped stacked sheet's reason starts
_TITLE_ROWS = 3  # a block's title sits at most this many rows above its header row
_TITLE_COLUMNS = 10  # titles are looked for in the sheet's first columns
_TITLE_LENGTH = 80
_PHASE = re.compile(r"\bphase (\d+|[ivx]+)\b")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}
_SCORE_HEADERS = ("score",)  # besides a current-level header: SAMM 2024 writes "Score"
_AREA_ROLES = ("dimension", "practice")


@dataclass(frozen=True)
class StackedSheet:
    """A sheet of stacked blocks: ``blocks`` holds each block's (title, 1-based header row, first data
    row, last data row); the area, group (None without one) and score columns are 0-based and the same
    in every block; ``evidence`` says why it was read so, for people."""

    sheet: str
    blocks: tuple[tuple[str, int, int, int], ...]
    area_column: int
    group_column: int | None
    score_column: int
    evidence: str

    @property
    def roles(self) -> tuple[str, ...]:
        """Per block, what it holds: ``current``, ``target`` or its phase's name ('Phase 1')."""
        return _roles([title for title, *_ in self.blocks])

    @property
    def phases(self) -> tuple[str, ...]:
        """The names of the phase blocks, in sheet order."""
        return tuple(r for r in self.roles if r not in ("current", "target"))


def _words(role: str) -> tuple[str, ...]:
    extra = {"current": ("current", "as is"), "target": ("target", "to be")}[role]
    return tuple(sorted({*sheet_level_words()[role], *extra}, key=len, reverse=True))


def _says(folded: str, role: str) -> bool:
    padded = f" {folded} "
    return any(f" {word} " in padded for word in _words(role))


def _phase_number(folded: str) -> int | None:
    if (found := _PHASE.search(folded)) is None:
        return None
    number = found.group(1)
    return int(number) if number.isdigit() else _ROMAN.get(number)


def _is_title(value: object) -> bool:
    if not isinstance(value, str) or not (text := value.strip()) or len(text) > _TITLE_LENGTH:
        return False
    folded = match_key(text)
    return _says(folded, "current") or _says(folded, "target") or _phase_number(folded) is not None


def _roles(titles: list[str]) -> tuple[str, ...]:
    folded = [match_key(t) for t in titles]
    target = next((i for i, f in enumerate(folded) if i and _says(f, "target") and not _says(f, "current")),
                  len(titles) - 1)
    roles, taken = [], set()
    for position, title in enumerate(folded):
        if position == 0:
            roles.append("current")
        elif position == target:
            roles.append("target")
        else:
            number = _phase_number(title)
            if number is None or number in taken:
                number = max(taken, default=0) + 1
            taken.add(number)
            roles.append(f"Phase {number}")
    return tuple(roles)


def _header(row: list) -> tuple[int, int | None, int] | None:
    """``(area, group, score)`` columns of a block's header row, or None when it is not one."""
    from ..layout import column_role  # layout finds stacked sheets through this module: import at call time

    roles = [column_role(v) if isinstance(v, str) else None for v in row]
    area = next((i for i, r in enumerate(roles) if r in _AREA_ROLES), None)
    if area is None:
        return None
    score = next((i for i in range(area + 1, len(row)) if roles[i] == "current"
                  or (isinstance(row[i], str) and match_key(row[i]) in _SCORE_HEADERS)), None)
    if score is None:
        return None
    group = next((i for i in range(area) if roles[i] == "group"), None)
    return area, group, score


@dataclass(frozen=True)
class _Block:
    title: str
    title_column: int
    header_row: int  # 0-based
    columns: tuple[int, int | None, int]
    rows: tuple[int, ...]  # 0-based data rows
    areas: tuple[str, ...]


def _blocks(sheet: RawSheet) -> list[_Block]:
    cells = sheet.cells
    width = min(_TITLE_COLUMNS, cells.shape[1])
    head = cells.iloc[:, :width]
    titles = [v for v in pd.unique(head.to_numpy().ravel()) if _is_title(v)]
    is_title = head.isin(titles)
    title_rows = np.flatnonzero(is_title.to_numpy(dtype=bool).any(axis=1))
    summaries = summary_words()
    blocks: list[_Block] = []
    after = -1
    for title_row in title_rows:
        if title_row <= after:
            continue
        for header_row in range(title_row + 1, min(title_row + 1 + _TITLE_ROWS, len(cells))):
            columns = _header(cells.iloc[header_row].tolist())
            if columns is None:
                continue
            area = columns[0]
            title_columns = [c for c in range(width) if is_title.iat[title_row, c] and c in (0, area - 1)]
            if not title_columns:
                break
            rows, areas = [], []
            for position in range(header_row + 1, len(cells)):
                label = cell_text(cells.iat[position, area])
                if label is None or match_key(label) in summaries:
                    break  # a block ends at its first blank row
                rows.append(position)
                areas.append(label)
            if rows:
                column = title_columns[0]
                blocks.append(_Block(str(cells.iat[title_row, column]).strip(), column, header_row, columns,
                                     tuple(rows), tuple(areas)))
                after = rows[-1]
            break
    return blocks


def _stacked(sheet: RawSheet) -> StackedSheet | None:
    blocks = _blocks(sheet)
    if len(blocks) < 2 or len({b.columns for b in blocks}) != 1:
        return None
    areas = Counter(match_key(a) for a in blocks[0].areas)
    if any(Counter(match_key(a) for a in b.areas) != areas for b in blocks[1:]):
        return None  # every block must list the same areas
    area, group, score = blocks[0].columns
    header = sheet.cells.iloc[blocks[0].header_row]
    roles = _roles([b.title for b in blocks])
    target = roles.index("target")
    phases = [f"{b.title!r}" for b, r in zip(blocks, roles, strict=True) if r not in ("current", "target")]
    grouped = f", grouped by {str(header.iloc[group]).strip()!r}" if group is not None else ""
    titled = "the block so titled" if _says(match_key(blocks[target].title), "target") else "the last block"
    evidence = (f"{len(blocks)} blocks, each an area column {str(header.iloc[area]).strip()!r} with a score column "
                f"{str(header.iloc[score]).strip()!r}{grouped}, over the same {len(blocks[0].areas)} areas: current is "
                f"the first block ({blocks[0].title!r}), target {titled} ({blocks[target].title!r})"
                + (f"; {', '.join(phases)} kept as phases" if phases else ""))
    return StackedSheet(sheet.name, tuple((b.title, b.header_row + 1, b.rows[0] + 1, b.rows[-1] + 1) for b in blocks),
                        area, group, score, evidence)


def find_stacked(workbook: RawWorkbook, names: list[str], rubric: Rubric) -> list[StackedSheet]:
    """The sheets among ``names`` of ``workbook`` that hold two or more stacked blocks of the same areas.

    ``rubric`` is the model detection runs with (blocks are found by their titles and headers alone).
    """
    found = []
    for sheet in workbook.sheets:
        if sheet.name in names and not sheet.cells.empty and (stacked := _stacked(sheet)) is not None:
            found.append(stacked)
    return found


def _block_cells(sheet: RawSheet, stacked: StackedSheet, block: tuple[str, int, int, int]) -> dict[tuple, tuple]:
    """(folded area, occurrence) → (area, group, score, area cell, score cell) of each data row of ``block``."""
    _, _, first, last = block
    found, seen = {}, Counter()
    for row in range(first - 1, last):
        area = cell_text(sheet.cells.iat[row, stacked.area_column])
        key = match_key(area)
        seen[key] += 1
        group = cell_text(sheet.cells.iat[row, stacked.group_column]) if stacked.group_column is not None else None
        found[(key, seen[key])] = (area, group, sheet.cells.iat[row, stacked.score_column],
                                   f"{column_letter(stacked.area_column)}{row + 1}",
                                   f"{column_letter(stacked.score_column)}{row + 1}")
    return found


def stacked_areas(workbook: RawWorkbook, stacked: StackedSheet) -> list[str]:
    """The area labels of ``stacked``'s current (first) block, in sheet order."""
    sheet = next(s for s in workbook.sheets if s.name == stacked.sheet)
    return [cell[0] for cell in _block_cells(sheet, stacked, stacked.blocks[0]).values()]


def stacked_table(workbook: RawWorkbook, stacked: StackedSheet, unit: str | None = None) -> PairTable:
    """``stacked`` as one long table: Unit (``unit``, else the sheet's name), Business Function (when the
    sheet has a group column), Dimension, Current, Target and a column per phase ('Phase 1', …), with
    the cell each unit, area and level came from."""
    sheet = next(s for s in workbook.sheets if s.name == stacked.sheet)
    header = sheet.cells.iloc[stacked.blocks[0][1] - 1]
    score_header = cell_text(header.iloc[stacked.score_column]) or "score"
    area_header = cell_text(header.iloc[stacked.area_column]) or "area"
    by_role = {role: _block_cells(sheet, stacked, block)
               for role, block in zip(stacked.roles, stacked.blocks, strict=True)}
    current, target = by_role["current"], by_role["target"]
    phases = stacked.phases
    # An area whose current and target cells are both blank was not assessed: not a row.
    kept = [k for k in current if not (is_blank(current[k][2]) and is_blank(target[k][2]))]
    grouped = stacked.group_column is not None
    columns = ["Unit", *(["Business Function"] if grouped else []), "Dimension", "Current", "Target", *phases]
    unit = unit or stacked.sheet
    body = [[unit, *([current[k][1]] if grouped else []), current[k][0], current[k][2], target[k][2],
             *(by_role[p][k][2] for p in phases)] for k in kept]
    titles = dict(zip(stacked.roles, (title for title, *_ in stacked.blocks), strict=True))
    origin = {
        "unit": _origin(stacked.sheet, [current[k][3] for k in kept], "unit (none on the sheet)"),
        "dimension": _origin(stacked.sheet, [current[k][3] for k in kept], area_header),
        **{role: _origin(stacked.sheet, [by_role[role][k][4] for k in kept], f"{score_header} ({titles[role]})")
           for role in ("current", "target", *phases)},
    }
    problems = pd.DataFrame(columns=["source_sheet", "source_row", "cell", "column", "value", "problem"])
    problems["source_row"] = problems["source_row"].astype("Int64")
    return PairTable(pd.DataFrame([columns, *body], dtype=object), origin, problems)


def stacked_unit(layout: Layout, stacked: StackedSheet) -> str:
    """The unit of a stacked sheet's rows (it has no unit column): the layout's single unit, else the
    organisation a title block names, else the sheet's name."""
    if layout.unit_source == "single unit":
        return layout.single_unit
    return layout.organisation.value if layout.organisation is not None else stacked.sheet


def phase_column(phase: str) -> str:
    """'Phase 1' → 'phase_1', the normalized column of a stacked sheet's phase block."""
    return "_".join(match_key(phase).split())


def with_phases(normalized: pd.DataFrame, cells: pd.DataFrame, phases: tuple[str, ...]) -> pd.DataFrame:
    """``normalized`` rows of a stacked sheet's long table ``cells`` with each phase's score as a number."""
    position = normalized["source_row"].to_numpy(dtype=np.int64) - 2  # body row 0 is the table's row 2
    header = cells.iloc[0].tolist()
    scores = {phase_column(p): pd.array([as_number(v) for v in cells.iloc[1:, header.index(p)].to_numpy()[position]],
                                         dtype="Float64") for p in phases}
    return normalized.assign(**scores)
