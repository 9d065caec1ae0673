"""Split sheets: current levels on one sheet, target levels on another, each a units × areas matrix.

The commonest consultant layout: a "Current State" and a "Target State" sheet (or "As-Is"/"To-Be"),
each a title block above a matrix whose row labels are the units and whose column labels are the
areas, or the transpose. Sheets are paired by their names (``sheet_level_words`` in
``vocabulary.yaml``), or, when the names say nothing, by having the same row and column labels. The
pair is read as one long table (a row per unit and area) whose every level cell remembers its sheet
and cell, so a problem names the cell to fix; a unit or area found on one sheet only is a problem
naming both sheets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np
import pandas as pd

from ..columns import column_letter
from ..levels import as_number, cell_text, is_blank
from ..matching import match_area
from ..reader import RawSheet, RawWorkbook
from ..rubric import Rubric, available_rubrics, load_rubric, match_key
from ..vocabulary import sheet_filler_words, sheet_level_words, summary_words

__all__ = ["PairTable", "SheetPair", "find_pairs", "pair_areas", "pair_sheets", "pair_table"]

_SEARCH_ROWS = 30
_HEADER = ("Unit", "Dimension", "Current", "Target")


@dataclass(frozen=True)
class SheetPair:
    """A current sheet and a target sheet read together; ``areas_across`` says the areas are the
    matrices' column labels (units down the side); ``evidence`` says why, for people."""

    current: str
    target: str
    areas_across: bool
    evidence: str

    @property
    def name(self) -> str:
        return f"{self.current} + {self.target}"

    @property
    def note(self) -> str:
        """What the assessment's notes say of the pair."""
        return f"sheets {self.current!r} and {self.target!r} read together: {self.evidence}"


@dataclass(frozen=True)
class _Matrix:
    """One sheet read as a matrix: 0-based header row and label column, labels by position."""

    header_row: int
    label_column: int
    columns: dict[int, str]  # column position → label
    rows: dict[int, str]  # row position → label
    corner: str
    ended: tuple[int, str] | None = None  # the 1-based row that ended the table before the sheet did, and what it is


def _matrix(sheet: RawSheet) -> _Matrix | None:
    """``sheet`` as a labelled matrix of level cells under a title block, or None when it is not one."""
    cells = sheet.cells
    for header in range(min(_SEARCH_ROWS, len(cells) - 1)):
        labels = {c: t for c, v in cells.iloc[header].items() if (t := cell_text(v))}
        if len(labels) < 2:
            continue
        first_row = cells.iloc[header + 1]
        filled = [c for c, v in first_row.items() if cell_text(v)]
        if not filled or filled[0] > min(labels):  # no row label left of (or under) the first column label
            continue
        label_column = filled[0]
        columns = {c: t for c, t in labels.items() if c > label_column}
        if len(columns) < 2 and not (len(columns) == 1 and label_column in labels):
            continue
        rows, ended = {}, None
        for position in range(header + 1, len(cells)):
            row = cells.iloc[position]
            label = cell_text(row.iloc[label_column])
            values = [row.iloc[c] for c in columns]
            if label is None and all(is_blank(v) for v in values):
                if rows and any(cell_text(v) for v in cells.iloc[position:].to_numpy().ravel()):
                    ended = (position + 1, "blank row")
                break  # a table ends at its first blank row
            if label is None or match_key(label) in summary_words():
                ended = (position + 1, f"row with {label!r}" if label else "row without a label")
                break
            rows[position] = label
        level_like = [v for p in rows for v in (cells.iat[p, c] for c in columns) if not is_blank(v)]
        if not rows:  # (a matrix not filled in yet is still one: its pair says whether it is read)
            continue
        if sum(as_number(v) is not None or (isinstance(v, str) and len(v) <= 40) for v in level_like) < 0.8 * len(
                level_like):
            continue
        return _Matrix(header, label_column, columns, rows, labels.get(label_column, ""), ended)
    return None


def _level_of_name(name: str) -> tuple[str | None, str]:
    """``(role, stem)`` of a sheet name: which levels it holds ('current', 'target' or None) and the rest."""
    folded = f" {match_key(name)} "
    for role, words in sheet_level_words().items():
        for phrase in sorted(words, key=len, reverse=True):
            if f" {phrase} " in folded:
                rest = folded.replace(f" {phrase} ", " ").split()
                return role, " ".join(w for w in rest if w not in sheet_filler_words())
    return None, ""


def _area_names(rubric: Rubric) -> list[Rubric]:
    return [rubric, *(load_rubric(r) for r in available_rubrics() if r != rubric.id)]


def _names_areas(label: str, rubrics: list[Rubric]) -> bool:
    return any(match_area(label, r).dimension_id is not None for r in rubrics)


def _orientation(matrix: _Matrix, rubric: Rubric) -> tuple[bool, str]:
    """Whether the areas run across, and why: the corner cell's word, else which labels name areas of
    a known model, else areas across, the commoner layout (said as a guess)."""
    from ..layout import column_role  # layout finds pairs through this module: import at call time

    corner = column_role(matrix.corner) if matrix.corner else None
    if corner in ("unit", "dimension"):
        named = "units" if corner == "unit" else "areas"
        return corner == "unit", f"the corner cell {matrix.corner!r} names the {named}"
    rubrics = _area_names(rubric)
    across = sum(_names_areas(t, rubrics) for t in matrix.columns.values())
    down = sum(_names_areas(t, rubrics) for t in matrix.rows.values())
    if across != down:
        where = "column" if across > down else "row"
        return across > down, f"{max(across, down)} {where} labels are areas of a known model"
    return True, "no label names a known area, so the columns are taken as areas and the rows as units"


def _labels(matrix: _Matrix) -> tuple[frozenset[str], frozenset[str]]:
    return (frozenset(match_key(t) for t in matrix.rows.values()),
            frozenset(match_key(t) for t in matrix.columns.values()))


def find_pairs(workbook: RawWorkbook, names: list[str], rubric: Rubric) -> list[SheetPair]:
    """The pairs of current and target sheets among the sheets ``names`` of ``workbook``."""
    matrices = {}
    for sheet in workbook.sheets:
        if sheet.name in names and (matrix := _matrix(sheet)) is not None:
            matrices[sheet.name] = matrix
    by_role: dict[str, dict[str, list[str]]] = {"current": {}, "target": {}}
    unnamed = []
    for name in matrices:
        role, stem = _level_of_name(name)
        if role:
            by_role[role].setdefault(stem, []).append(name)
        else:
            unnamed.append(name)
    found: list[tuple[str, str, str]] = []
    for stem, currents in by_role["current"].items():
        targets = by_role["target"].get(stem, [])
        if len(currents) == 1 and len(targets) == 1:
            found.append((currents[0], targets[0], "their names"))
    paired = {n for pair in found for n in pair[:2]}
    currents = [n for names_ in by_role["current"].values() for n in names_ if n not in paired]
    targets = [n for names_ in by_role["target"].values() for n in names_ if n not in paired]
    if len(currents) == 1 and len(targets) == 1:
        found.append((currents[0], targets[0], "their names"))
    # A sheet named for one side ('Ambition') and one unnamed sheet with the same labels: the other side.
    for role, names_ in (("current", currents), ("target", targets)):
        others = [n for n in unnamed if n not in paired]
        for name in [n for n in names_ if n not in paired]:
            alike = [n for n in others if _labels(matrices[n]) == _labels(matrices[name])]
            if len(alike) == 1:
                current, target = (name, alike[0]) if role == "current" else (alike[0], name)
                found.append((current, target, f"the {role} sheet's name and the same row and column labels"))
                paired |= {name, alike[0]}
                others.remove(alike[0])
    unnamed = [n for n in unnamed if n not in paired]
    for first, second in pairwise(unnamed):
        if first not in paired and _labels(matrices[first]) == _labels(matrices[second]):
            found.append((first, second, "the same row and column labels (the first is taken as current)"))
            paired |= {first, second}
    pairs = []
    for current, target, why in found:
        across, how = _orientation(matrices[current], rubric)
        pairs.append(SheetPair(current, target, across, f"paired by {why}; areas {'across' if across else 'down'}: "
                                                         f"{how}"))
    return pairs


def pair_sheets(workbook: RawWorkbook, current: str, target: str, rubric: Rubric,
                areas_across: bool | None = None) -> SheetPair:
    """The sheets ``current`` and ``target`` read together because the user said so; the areas run
    across when ``areas_across`` says so, else as the labels suggest. Raises ValueError saying why a
    sheet is no labelled matrix."""
    matrices = {}
    for name in (current, target):
        sheet = next(s for s in workbook.sheets if s.name == name)
        if (matrix := _matrix(sheet)) is None:
            raise ValueError(f"sheet {name!r} has no matrix of levels under a row of labels in its first "
                             f"{_SEARCH_ROWS} rows")
        matrices[name] = matrix
    if areas_across is None:
        areas_across, how = _orientation(matrices[current], rubric)
    else:
        how = "as you said"
    return SheetPair(current, target, areas_across,
                     f"paired as you said; areas {'across' if areas_across else 'down'}: {how}")


@dataclass(frozen=True)
class PairTable:
    """A pair of sheets as one long table (``cells``, header in its first row) and, per role and body
    row, the sheet, cell and column label it came from; ``problems`` holds labels on one sheet only."""

    cells: pd.DataFrame
    origin: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]  # role → (sheets, cells, labels)
    problems: pd.DataFrame
    notes: tuple[str, ...] = field(default=())

    def restore(self, normalized: pd.DataFrame, problems: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Put the normalized rows and problems of :attr:`cells` back on the sheets and cells they came from."""
        position = normalized["source_row"].to_numpy(dtype=np.int64) - 2  # body row 0 is the table's row 2
        sheets, cells, _ = self.origin["current"]
        target_sheets, target_cells, _ = self.origin["target"]
        normalized = normalized.assign(
            source_sheet=sheets[position], source_row=pd.array([_row(c) for c in cells[position]], dtype="Int64"),
            current_cell=[f"{s}!{c}" for s, c in zip(sheets[position], cells[position], strict=True)],
            target_cell=[f"{s}!{c}" for s, c in zip(target_sheets[position], target_cells[position], strict=True)])
        if len(problems):
            role = problems["column"].map(dict(zip(_HEADER, ("unit", "dimension", "current", "target"), strict=True)))
            at = problems["source_row"].to_numpy(dtype=np.int64) - 2
            picked = [self.origin[r] for r in role]
            problems = problems.assign(
                source_sheet=[o[0][p] for o, p in zip(picked, at, strict=True)],
                cell=[o[1][p] for o, p in zip(picked, at, strict=True)],
                column=[o[2][p] for o, p in zip(picked, at, strict=True)])
            problems["source_row"] = pd.array([_row(c) for c in problems["cell"]], dtype="Int64")
        return normalized, pd.concat([self.problems, problems], ignore_index=True)


def pair_areas(workbook: RawWorkbook, pair: SheetPair) -> list[str]:
    """The area labels of ``pair``'s current sheet, in sheet order."""
    matrix = _matrix(next(s for s in workbook.sheets if s.name == pair.current))
    return list((matrix.columns if pair.areas_across else matrix.rows).values())


def _row(cell: str) -> int:
    return int("".join(ch for ch in cell if ch.isdigit()))


def _cells(sheet: RawSheet, matrix: _Matrix, areas_across: bool) -> dict[tuple[str, str], tuple]:
    """(folded unit, folded area) → (unit, area, value, cell, unit cell, area cell) of every matrix cell."""
    found = {}
    for row, row_label in matrix.rows.items():
        for column, column_label in matrix.columns.items():
            unit, area = (row_label, column_label) if areas_across else (column_label, row_label)
            unit_cell = (f"{column_letter(matrix.label_column)}{row + 1}" if areas_across
                         else f"{column_letter(column)}{matrix.header_row + 1}")
            area_cell = (f"{column_letter(column)}{matrix.header_row + 1}" if areas_across
                         else f"{column_letter(matrix.label_column)}{row + 1}")
            found[(match_key(unit), match_key(area))] = (unit, area, sheet.cells.iat[row, column],
                                                         f"{column_letter(column)}{row + 1}", unit_cell,
                                                         area_cell, column_label)
    return found


def pair_table(workbook: RawWorkbook, pair: SheetPair) -> PairTable:
    """``pair`` as one long table of unit, area, current and target cells, with the origin of each."""
    sheets = {s.name: s for s in workbook.sheets}
    current_sheet, target_sheet = sheets[pair.current], sheets[pair.target]
    current_matrix, target_matrix = _matrix(current_sheet), _matrix(target_sheet)
    current = _cells(current_sheet, current_matrix, pair.areas_across)
    target = _cells(target_sheet, target_matrix, pair.areas_across)
    problems, notes = [], []
    for what, index in (("unit", 0), ("area", 1)):
        on_current = {key[index]: cell for key, cell in current.items()}
        on_target = {key[index]: cell for key, cell in target.items()}
        for only, here, there, sheet in ((on_current.keys() - on_target.keys(), on_current, pair.target, pair.current),
                                         (on_target.keys() - on_current.keys(), on_target, pair.current, pair.target)):
            for folded in sorted(only):
                cell = here[folded]
                label, at = cell[index], cell[4 + index]
                problems.append((sheet, _row(at), at, f"{what} label", label,
                                 f"{what} {label!r} is on sheet {sheet!r} but not on sheet {there!r}: add it there, "
                                 f"or remove it here"))
    for matrix, name in ((current_matrix, pair.current), (target_matrix, pair.target)):
        if matrix.ended:
            row, what = matrix.ended
            notes.append(f"sheet {name!r}: the table ends at row {row} (a {what}); the rows from there on are not read")
    # A unit and area whose two cells are both blank was not assessed: not a row.
    kept = [k for k in current if k in target and not (is_blank(current[k][2]) and is_blank(target[k][2]))]
    body = [[current[k][0], current[k][1], current[k][2], target[k][2]] for k in kept]
    cells = pd.DataFrame([list(_HEADER), *body], dtype=object)
    origin = {
        "unit": _origin(pair.current, [current[k][4] for k in kept], "unit label"),
        "dimension": _origin(pair.current, [current[k][5] for k in kept], "area label"),
        "current": _origin(pair.current, [current[k][3] for k in kept], [current[k][6] for k in kept]),
        "target": _origin(pair.target, [target[k][3] for k in kept], [target[k][6] for k in kept]),
    }
    frame = pd.DataFrame(problems, columns=["source_sheet", "source_row", "cell", "column", "value", "problem"])
    frame["source_row"] = frame["source_row"].astype("Int64")
    return PairTable(cells, origin, frame, tuple(notes))


def _origin(sheet: str, cells: list[str], labels) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    count = len(cells)
    labels = labels if isinstance(labels, list) else [labels] * count
    return (np.array([sheet] * count, dtype=object), np.array(cells, dtype=object), np.array(labels, dtype=object))
