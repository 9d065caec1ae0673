"""Reading a header row: the role each column's title names, one or two header rows, and the row of
a sheet that is its header. The phrases are data (``vocabulary.yaml``)."""

from __future__ import annotations

import re
from functools import cache

import pandas as pd
from rapidfuzz import fuzz, process

from ..reader import RawSheet
from ..rubric import Rubric, match_key
from ..vocabulary import group_level_keywords, header_filler_words, level_keywords, phase_words, role_phrases
from .model import HEADER_SEARCH_ROWS, LEVEL_ROLES, ROLES, Column

__all__ = ["column_role", "likely_header_row"]

@cache
def _phrase_role() -> dict[str, str]:
    """Folded header phrase → the role it names. Raises ValueError for a role that is not one of ROLES."""
    phrases = role_phrases()
    if unknown := [role for role in phrases if role not in ROLES]:
        raise ValueError(f"vocabulary.yaml names unknown roles {unknown}; roles are {', '.join(ROLES)}")
    return {phrase: role for role, words in phrases.items() for phrase in words}


_SCALE_TEXT = re.compile(r"\(.*?\)|\[.*?\]|/\s*\d+|\d+\s*(?:-|–|—|to)\s*\d+|out of \d+")
_FUZZY_HEADER = 90


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
