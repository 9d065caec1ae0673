"""Finding the gap-analysis table in each sheet: its header row, each column's role, each level scale.

The result is a :class:`Layout`, a small frozen value the dashboard shows ("this is what I
understood") and lets a user correct with :meth:`Layout.with_role` / :meth:`Layout.with_scale` /
:func:`relayout_sheet`; normalizing then reruns on the corrected layout without re-reading the file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache

import pandas as pd
from rapidfuzz import fuzz, process

from .columns import column_letter
from .errors import NoDataError
from .levels import LevelScale, any_zero, detect_scale, has_zero
from .reader import RawSheet, RawWorkbook
from .rubric import Rubric, match_key
from .shapes.split import SheetPair, find_pairs, pair_areas
from .shapes.stacked import READ_ELSEWHERE, StackedSheet, find_stacked, stacked_areas
from .titles import Found, find_organisation
from .vocabulary import (
    group_level_keywords,
    header_filler_words,
    level_keywords,
    phase_words,
    role_phrases,
    table_end_words,
)

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
]

HEADER_SEARCH_ROWS = 30
LEVEL_ROLES = ("current", "target")

# The roles a column may have, in the order they are offered; the header phrases that name each one, the
# level keywords and their filler words are data: vocabulary.yaml's role_phrases, level_keywords and
# header_filler_words, compared after match_key folding (case, spacing, punctuation, '&'/'and').
ROLES = ("unit", "dimension", "group", "practice", "current", "target", "priority", "effort", "owner", "notes",
         "evidence", "applicable", "gap", "source_sheet", "source_row")


@cache
def _phrase_role() -> dict[str, str]:
    """Folded header phrase → the role it names. Raises ValueError for a role that is not one of ROLES."""
    phrases = role_phrases()
    if unknown := [role for role in phrases if role not in ROLES]:
        raise ValueError(f"vocabulary.yaml names unknown roles {unknown}; roles are {', '.join(ROLES)}")
    return {phrase: role for role, words in phrases.items() for phrase in words}


_SCALE_TEXT = re.compile(r"\(.*?\)|\[.*?\]|/\s*\d+|\d+\s*(?:-|–|—|to)\s*\d+|out of \d+")
_FUZZY_HEADER = 90


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

    def for_group(self, kind: str, name: str) -> SheetLayout:
        """A wide sheet seen as the long sheet of one group: only its level columns keep their role."""
        columns = tuple(
            (replace(c, group=None, group_kind=None) if (c.group_kind, c.group) == (kind, name)
             else replace(c, role=None, group=None, group_kind=None))
            if c.role in LEVEL_ROLES
            else c
            for c in self.columns
        )
        return replace(self, columns=columns)

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


def column_role(header: object) -> str | None:
    """The role a header text names, or None. Case, spacing, punctuation and scale notes do not count.

    >>> column_role("Current Maturity (0-4)"), column_role("To-Be"), column_role("Business Unit")
    ('current', 'target', 'unit')
    """
    if header is None or (isinstance(header, float) and header != header):
        return None
    text = str(header).strip()
    if not text or len(text) > 80:
        return None
    phrase_role, filler = _phrase_role(), header_filler_words()
    folded = match_key(text)
    if folded in phrase_role:
        return phrase_role[folded]
    stripped = match_key(_SCALE_TEXT.sub(" ", text.lower()))
    if stripped in phrase_role:
        return phrase_role[stripped]
    for role, keywords in level_keywords().items():
        for keyword in keywords:
            if stripped == keyword or stripped.startswith(keyword + " "):
                rest = stripped[len(keyword) :].split()
                if all(word in filler or word.isdigit() for word in rest):
                    return role
    if len(stripped) >= 5:
        best = process.extractOne(stripped, list(phrase_role), scorer=fuzz.ratio, score_cutoff=_FUZZY_HEADER)
        if best:
            return phrase_role[best[0]]
    return None


def _cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()


@cache
def _unit_level() -> re.Pattern[str]:
    """A wide header's pattern: a group, then a level keyword and filler ('Payments - Current maturity'), or
    a level keyword, then a group ('Target (Lending)'). A keyword's spaces may be hyphens or nothing ('As-Is');
    longer keywords are tried first."""
    words = sorted({w for ws in group_level_keywords().values() for w in ws}, key=lambda w: (-len(w), w))
    level = "|".join(r"[\s-]?".join(map(re.escape, w.split())) for w in words)
    return re.compile(
        rf"^(?P<unit>.*?\w.*?)[\s\-–—:/|_(\[]+(?P<level>{level})(?P<rest>[\w\s()\[\]/–-]*)$"
        rf"|^(?P<level2>{level})[\s\-–—:/|_(\[]+(?P<unit2>.*?\w.*?)[)\]]?$",
        re.IGNORECASE,
    )


def _group_level_header(header: str) -> tuple[str | None, str | None]:
    """Split a wide header such as 'Payments - Current' or 'Target (Lending)' into (role, group)."""
    found = _unit_level().match(header)
    if not found:
        return None, None
    level_word = found.group("level") or found.group("level2")
    unit = (found.group("unit") or found.group("unit2") or "").strip(" -–—:/|_([)]")
    role = column_role(level_word + " " + (found.group("rest") or ""))
    if role not in LEVEL_ROLES and not match_key(found.group("rest") or ""):  # a keyword for groups only
        role = next((r for r, words in group_level_keywords().items() if match_key(level_word) in words), None)
    if role not in LEVEL_ROLES or not unit or column_role(unit) is not None or _SCALE_TEXT.fullmatch(unit):
        return None, None
    return role, unit


def _header_columns(row: pd.Series, rubric: Rubric, above: pd.Series | None = None) -> tuple[Column, ...]:
    """Columns of a header ``row``; with ``above``, a two-row header: a blank below takes the cell above,
    and a level word above gives its role to the cell below that names none (SAMM's "To-Be" over
    "Phase 4", "As-Is" over "Start"). A phase below no level word ("Phase 1", "Q2") has no role.

    In a wide sheet a unit or a dimension of ``rubric`` names each pair of level columns, in the same
    header ('Payments - Current') or in a (merged) cell above them.
    """
    lower = [_cell_text(v) for v in row.tolist()]
    upper = [_cell_text(v) for v in above.tolist()] if above is not None else [""] * len(lower)
    found: list[list] = []
    for index, (low, up) in enumerate(zip(lower, upper, strict=True)):
        header = low or up
        role, unit = column_role(header), None
        if role is None:
            role, unit = _group_level_header(header)
        if role is None and low and up and column_role(up) in LEVEL_ROLES:
            header, role = f"{up} {low}", column_role(up)
        found.append([index, header, role, unit])
    if sum(1 for f in found if f[2] == "current") > 1:
        # Wide sheet: a unit name over each pair of level columns (merged cells: carried right).
        carried = ""
        for entry, up, low in zip(found, upper, lower, strict=True):
            carried = up or carried
            if entry[2] in LEVEL_ROLES and entry[3] is None and low and carried and column_role(carried) is None:
                entry[3] = carried
    # "Dimension" beside "Sub-dimension" (DSOMM): the sub-dimensions are the areas, the dimensions their groups.
    if any(f[2] == "dimension" and match_key(f[1]).startswith("sub") for f in found):
        for entry in found:
            if entry[2] == "dimension" and not match_key(entry[1]).startswith("sub"):
                entry[2] = "group"
    columns: list[Column] = []
    taken: set[tuple] = set()
    for index, header, role, group in found:
        if role and (role, group) in taken:
            role, group = None, None  # the first column with a role keeps it; the user may move it
        if role:
            taken.add((role, group))
        kind = None
        if group:
            kind = "dimension" if match_key(group) in rubric.dimension_lookup else "unit"
        columns.append(Column(index, header, role, group, kind))
    return tuple(columns)


def _qualifies(columns: tuple[Column, ...], current_only: bool = False) -> bool:
    """Whether header ``columns`` make a gap-analysis table: current and target levels and an area or
    practice column (``current_only``: a current level column is enough, for a first assessment)."""
    roles = {c.role for c in columns}
    dimension_groups = any(c.group_kind == "dimension" for c in columns)
    levels = ("current",) if current_only else LEVEL_ROLES
    return all(r in roles for r in levels) and (bool(roles & {"dimension", "practice"}) or dimension_groups)


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
    distinct = {c.index: pd.unique(body[c.index]) for c in columns if c.role in (*LEVEL_ROLES, "dimension")}
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


def _find_header(sheet: RawSheet, rubric: Rubric, current_only: bool = False) -> int | None:
    head = sheet.cells.iloc[:HEADER_SEARCH_ROWS]
    if current_only:  # a first assessment: one header row with a current level and an area column
        return next((p + 1 for p in range(len(head)) if _qualifies(_header_columns(head.iloc[p], rubric), True)),
                    None)
    for position in range(len(head)):
        if _qualifies(columns := _header_columns(head.iloc[position], rubric)):
            if position + 1 < len(head) and _second_header_row(columns, head.iloc[position], head.iloc[position + 1],
                                                               rubric):
                return position + 2  # the row below finishes the header: "As-Is" over "Start"
            return position + 1
        if position and _qualifies(_header_columns(head.iloc[position], rubric, head.iloc[position - 1])):
            return position + 1  # a two-row header: merged group cells above, level names below
    return None


def _second_header_row(columns: tuple[Column, ...], upper: pd.Series, below: pd.Series, rubric: Rubric) -> bool:
    """Whether ``below`` is the second row of a two-row header whose upper row ``upper`` gave ``columns``:
    a phase's name under every level column ("Start", "Phase 4", "Q4": ``phase_words``; any other cell
    there is data, however odd), a header of its own in some other column ("Security Practices/Phase"),
    and the two rows qualify."""
    level_cells = [below.iloc[c.index] for c in columns if c.role in LEVEL_ROLES]
    if not level_cells or not all(isinstance(v, str) and (match_key(v).split() or [""])[0] in phase_words()
                                  for v in level_cells):
        return False
    if not any(column_role(v) not in (None, *LEVEL_ROLES) for i, v in enumerate(below.tolist())
               if i not in {c.index for c in columns if c.role in LEVEL_ROLES}):
        return False
    return _qualifies(_header_columns(below, rubric, upper))


def likely_header_row(sheet: RawSheet, rubric: Rubric) -> int:
    """The 1-based row among the first ``HEADER_SEARCH_ROWS`` of ``sheet`` that looks most like its header
    when none qualifies: the most columns with a role, then the most text cells (the first on a tie)."""
    head = sheet.cells.iloc[:HEADER_SEARCH_ROWS]
    best, best_key = 1, (0, 0)
    for position in range(len(head)):
        row = head.iloc[position]
        key = (sum(c.role is not None for c in _header_columns(row, rubric)),
               sum(isinstance(v, str) and bool(v.strip()) for v in row.tolist()))
        if key > best_key:
            best, best_key = position + 1, key
    return best


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
        f"--role COLUMN=ROLE to say where the table is, or correct it in How this file was read"
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
