"""Choosing the maturity model a file is read against, and the file's own model when none fits.

``auto`` (the default everywhere) scores every built-in model by how many of the file's distinct
area values it names exactly (a name, an id or a listed synonym: no fuzzy matching here). The best
model wins when it covers a clear majority of them; otherwise the file is read in **its own model**
(:func:`own_rubric`): its areas are the file's own area values (grouped by a 'Function'-like column
when there is one) and its levels the file's own scale. Either way the choice and its figures are
kept in a :class:`ModelChoice`, shown to the user and correctable.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .catalogue import AUTO, OWN
from .distinct import distinct_cells, map_distinct
from .errors import NoDataError, RubricError
from .layout import LEVEL_ROLES, Layout, detect_layout, refit_layout
from .levels import HEADER_RANGE, NAME_WITH_NUMBER, as_number, cell_text, is_blank, name_with_number, not_applicable
from .reader import RawWorkbook
from .rubric import Dimension, Group, Level, Rubric, available_rubrics, load_rubric, match_key
from .shapes.split import pair_areas, pair_table
from .shapes.stacked import stacked_table
from .vocabulary import named_scales, summary_words

__all__ = ["AUTO", "CLEAR_MAJORITY", "OWN", "ModelChoice", "area_values", "choose_model", "coverage", "own_rubric"]

CLEAR_MAJORITY = 0.6  # the share of a file's distinct areas a built-in model must name to be chosen
_BASE = "cdmm"  # the model headers are first looked for with; the chosen one then re-reads the scales
_LARGEST_OWN_SCALE = 10
_NAMED_SCALE_SHARE = 0.8


@dataclass(frozen=True)
class Coverage:
    """How well one built-in model names a file's areas: ``covered`` of ``distinct`` values."""

    rubric_id: str
    label: str
    covered: int
    distinct: int

    @property
    def share(self) -> float:
        return self.covered / self.distinct if self.distinct else 0.0

    def describe(self) -> str:
        """'names 5 of the file's 5 areas (100%)'."""
        return f"names {self.covered} of the file's {self.distinct} areas ({self.share:.0%})"


@dataclass(frozen=True)
class ModelChoice:
    """The model a file is read against and why: ``requested`` is what was asked for (``auto``,
    ``own``, an id, a path), ``reason`` one sentence for people, ``coverage`` every built-in model's
    figures, best first (empty when a model was forced)."""

    rubric: Rubric
    requested: str
    reason: str
    coverage: tuple[Coverage, ...] = ()

    @property
    def is_own(self) -> bool:
        return self.rubric.id == OWN


@dataclass(frozen=True)
class AreaValues:
    """The distinct area texts of a file in first-seen order, whether they came from a practice
    column (no dimension column), and the group (parent) text of each where the file gives one."""

    values: tuple[str, ...]
    from_practice: bool
    groups: dict[str, str]


def _data_sheets(workbook: RawWorkbook, layout: Layout):
    for sheet_layout in layout.sheets:
        if not [r for r in sheet_layout.problems() if r != "no target level column"]:  # current-only sheets too
            raw = next(s for s in workbook.sheets if s.name == sheet_layout.sheet)
            yield sheet_layout, sheet_layout.body(raw.cells)


def area_values(workbook: RawWorkbook, layout: Layout) -> AreaValues:
    """The distinct area values of every data sheet of ``workbook`` as ``layout`` reads it: the
    dimension column's, else the practice column's, else the areas named over a wide sheet's pairs;
    summary words and repeated headers left out."""
    found: dict[str, str] = {}  # folded → first spelling
    groups: dict[str, str] = {}
    from_practice = False
    skip = summary_words()
    for sheet_layout, body in _data_sheets(workbook, layout):
        roles = sheet_layout.roles
        column = roles.get("dimension") or roles.get("practice")
        if column is None:
            for kind, name in sheet_layout.wide_groups:
                if kind == "dimension":
                    found.setdefault(match_key(name), name)
            continue
        from_practice |= column.role == "practice"
        texts = [text for text in map(cell_text, distinct_cells(body[column.index])) if text is not None]
        parents = None
        if "group" in roles:
            parent = map_distinct(body[roles["group"].index], cell_text).ffill()
            area = map_distinct(body[column.index], cell_text)
            area = area.ffill() if column.role == "dimension" else area  # merged area cells, as normalize reads them
            parents = pd.DataFrame({"area": area, "group": parent}).dropna().drop_duplicates("area")
        for text in texts:
            folded = match_key(text)
            if folded and folded not in skip and folded != match_key(column.header):
                found.setdefault(folded, text)
        if parents is not None:
            for area, parent in zip(parents["area"], parents["group"], strict=True):
                folded = match_key(parent)
                if folded and folded not in skip and folded != match_key(roles["group"].header):
                    groups.setdefault(match_key(area), parent)
    for pair in layout.pairs:
        for text in pair_areas(workbook, pair):
            found.setdefault(match_key(text), text)
    for stacked in layout.stacked:  # its Business Function column groups the areas
        table = stacked_table(workbook, stacked).cells
        header = table.iloc[0].tolist()
        areas = table.iloc[1:, header.index("Dimension")]
        parents = table.iloc[1:, header.index("Business Function")] if "Business Function" in header else None
        for position, text in enumerate(areas):
            found.setdefault(match_key(text), text)
            if parents is not None and (parent := cell_text(parents.iloc[position])):
                groups.setdefault(match_key(text), parent)
    return AreaValues(tuple(found.values()), from_practice, groups)


def coverage(areas: AreaValues, rubric: Rubric) -> Coverage:
    """How many of ``areas`` ``rubric`` names exactly (areas, or practices from a practice column)."""
    covered = 0
    for value in areas.values:
        folded = match_key(value)
        covered += folded in rubric.dimension_lookup or (areas.from_practice and folded in rubric.practice_lookup)
    return Coverage(rubric.id, rubric.label, covered, len(areas.values))


def _ranked(areas: AreaValues) -> list[Coverage]:
    scored = [(coverage(areas, rubric), rubric) for rubric in map(load_rubric, available_rubrics())]
    # Ties go to the model whose own areas the file uses most fully (a SAMM 1.5 file names 12 of 12).
    scored.sort(key=lambda pair: (-pair[0].share, -pair[0].covered / len(pair[1].dimensions)))
    return [c for c, _ in scored]


def choose_model(
    workbook: RawWorkbook, requested: str | Path | Rubric = AUTO, layout: Layout | None = None
) -> tuple[ModelChoice, Layout]:
    """The model to read ``workbook`` against and the layout to read it with.

    ``requested`` is ``auto``, ``own``, a built-in id, a path to a rubric YAML file, or a Rubric.
    ``layout`` is a layout the user corrected (kept, its scales refitted to the chosen model);
    without it the layout is detected. Raises NoDataError (no table found) and RubricError.
    """
    if isinstance(requested, Rubric):
        return _forced(workbook, requested, "given", layout)
    requested = str(requested)
    if requested not in (AUTO, OWN):
        return _forced(workbook, load_rubric(requested), requested, layout)
    base = load_rubric(_BASE)
    found = layout or _detect(workbook, base)
    areas = area_values(workbook, found)
    if requested == OWN:
        own = own_rubric(workbook, found, areas)
        return ModelChoice(own, OWN, "you chose to read the file in its own model"), refit_layout(workbook, found, own)
    ranked = _ranked(areas)
    best = ranked[0] if ranked else None
    if best is not None and best.share >= CLEAR_MAJORITY and best.covered:
        rubric = load_rubric(best.rubric_id)
        others = [c for c in ranked[1:] if c.share >= CLEAR_MAJORITY]
        also = (f"; {others[0].label} also fits ({others[0].describe()}): choose it if it is the one you assessed "
                "against" if others else "")
        reason = f"chosen from the file: it {best.describe()}{also}"
        if layout is not None:
            chosen = refit_layout(workbook, layout, rubric)
        else:  # detected with the base model: its scales are already the base model's
            chosen = found if rubric.id == base.id else _detect(workbook, rubric)
        return ModelChoice(rubric, AUTO, reason, tuple(ranked)), chosen
    if not areas.values:
        reason = "the file names no areas, so it is read against the default model"
        return ModelChoice(base, AUTO, reason, tuple(ranked)), found
    own = own_rubric(workbook, found, areas)
    closest = f"the closest built-in model, {best.label}, {best.describe()}" if best else "no built-in model fits"
    reason = (f"read in the file's own model because {closest} and {CLEAR_MAJORITY:.0%} are needed; "
              "choose a model if the file uses other names for its areas")
    return ModelChoice(own, AUTO, reason, tuple(ranked)), refit_layout(workbook, found, own)


def _detect(workbook: RawWorkbook, rubric: Rubric) -> Layout:
    """The detected layout; when no table has targets, the sheets with current levels only (a first
    assessment, read once the user names a default target), else the refusal."""
    try:
        return detect_layout(workbook, rubric)
    except NoDataError:
        return detect_layout(workbook, rubric, current_only=True)


def _forced(workbook: RawWorkbook, rubric: Rubric, requested: str, layout: Layout | None):
    chosen = refit_layout(workbook, layout, rubric) if layout is not None else _detect(workbook, rubric)
    return ModelChoice(rubric, requested, f"you chose {rubric.label}"), chosen


# ---- the file's own model --------------------------------------------------------------------------

def _slug(text: str, taken: set[str], fallback: str) -> str:
    slug = "_".join(match_key(text).split())[:40].strip("_") or fallback
    if not slug[0].isalpha():
        slug = f"a_{slug}"
    unique, n = slug, 2
    while unique in taken:
        unique, n = f"{slug}_{n}", n + 1
    taken.add(unique)
    return unique


def _level_cells(workbook: RawWorkbook, layout: Layout) -> tuple[list[str], list[object]]:
    """The headers of the level columns and their distinct non-blank cells, every data sheet together."""
    headers, cells = [], []
    for sheet_layout, body in _data_sheets(workbook, layout):
        for column in sheet_layout.columns:
            if column.role in LEVEL_ROLES:
                headers.append(column.header)
                cells.extend(v for v in pd.unique(body[column.index].dropna()) if not is_blank(v))
    for pair in layout.pairs:
        levels = pair_table(workbook, pair).cells.iloc[1:, 2:4].to_numpy().ravel()
        cells.extend(v for v in pd.unique(pd.Series(levels, dtype=object).dropna()) if not is_blank(v))
    for stacked in layout.stacked:
        table = stacked_table(workbook, stacked).cells
        header = table.iloc[0].tolist()
        levels = table.iloc[1:, [header.index("Current"), header.index("Target")]].to_numpy().ravel()
        cells.extend(v for v in pd.unique(pd.Series(levels, dtype=object).dropna()) if not is_blank(v))
    return headers, cells


def _stated_range(headers: Iterable[str]) -> tuple[int, int] | None:
    for header in headers:
        if (found := HEADER_RANGE.search(header or "")) and int(found.group(1)) in (0, 1):
            low, high = int(found.group(1)), int(found.group(2))
            if low < high <= _LARGEST_OWN_SCALE:
                return low, high
    return None


def _own_levels(headers: list[str], cells: list[object]) -> tuple[tuple[Level, ...], bool, str]:
    """``(levels, fractional, how)`` of a file's own scale: a named scale its cells use, the names it
    pairs with numbers ('3 - Defined'), the range its header states, or the numbers as written."""
    numbers, words, named = [], [], {}
    for cell in cells:
        if isinstance(cell, str) and not_applicable(cell):
            continue
        number = as_number(cell)  # 3, 3.0, "3", "L3", "Level 3", "1.625"
        if number is not None and math.isfinite(number):
            numbers.append(number)
        elif isinstance(cell, str) and (found := NAME_WITH_NUMBER.match(cell)):
            level, name = name_with_number(found)
            named.setdefault(level, name)
            numbers.append(float(level))
        elif isinstance(cell, str):
            words.append(match_key(cell))
    fractional = any(n != int(n) for n in numbers)
    if words:
        for scale in named_scales():
            lookup = scale.lookup()
            if sum(w in lookup for w in words) >= _NAMED_SCALE_SHARE * len(words):
                levels = tuple(Level(level=scale.first + i, name=spellings[0], aliases=spellings[1:])
                               for i, spellings in enumerate(scale.levels))
                return levels, fractional, f"the {scale.name} its level cells use"
    stated = _stated_range(headers)
    whole = [n for n in numbers if 0 <= n <= _LARGEST_OWN_SCALE]
    if stated:
        low, high = stated
        how = f"the {low}–{high} scale its header states"
    elif whole:
        low = 0 if min(whole) < 1 else 1
        high = max(low + 1, math.ceil(max(whole)))
        how = f"the numbers it holds ({low}–{high})"
    else:
        low, high = 1, 5
        how = "no scale it states or uses: levels 1–5 assumed; name its levels with numbers"
    levels = tuple(Level(level=n, name=named.get(n) or f"Level {n}") for n in range(low, high + 1))
    if len({match_key(lv.name) for lv in levels}) != len(levels):  # a file's names repeat: numbers only
        levels = tuple(Level(level=n, name=f"Level {n}") for n in range(low, high + 1))
    return levels, fractional, how


def own_rubric(workbook: RawWorkbook, layout: Layout, areas: AreaValues | None = None) -> Rubric:
    """The model a file implies: its distinct areas (with their groups) and its own level scale.

    It defines no practices, so a roadmap built on it plans levels but names no actions. Raises
    RubricError when the file names no area at all.
    """
    areas = areas or area_values(workbook, layout)
    if not areas.values:
        raise RubricError(f"{workbook.filename} names no areas (no dimension or practice values), so it has no "
                          "model of its own: choose a built-in model")
    levels, fractional, how = _own_levels(*_level_cells(workbook, layout))
    group_ids: dict[str, str] = {}
    taken_groups: set[str] = set()
    groups = []
    for value in areas.values:
        parent = areas.groups.get(match_key(value))
        if parent and match_key(parent) not in group_ids:
            group_ids[match_key(parent)] = _slug(parent, taken_groups, f"group_{len(groups) + 1}")
            groups.append(Group(id=group_ids[match_key(parent)], name=parent))
    taken: set[str] = set()
    dimensions = []
    for position, value in enumerate(areas.values, start=1):
        parent = areas.groups.get(match_key(value))
        group = group_ids[match_key(parent)] if parent else ("ungrouped" if groups else "")
        dimensions.append(Dimension(id=_slug(value, taken, f"area_{position}"), name=value, group=group))
    if groups and any(d.group == "ungrouped" for d in dimensions):
        groups.append(Group(id="ungrouped", name="(no group)"))
    return Rubric(
        id=OWN,
        name=f"The file's own model ({workbook.filename})",
        source=workbook.filename,
        description=(f"The areas named in {workbook.filename} ({len(dimensions)}), read on {how}. It defines no "
                     "practices, so the roadmap plans levels without naming actions."),
        fractional=fractional,
        levels=levels,
        groups=tuple(groups),
        dimensions=tuple(dimensions),
    )
