"""Reading maturity levels the way people write them, on a scale detected per column.

A level cell may hold a name (``Intermediate``), a number (``3``, ``3.0``), ``L3``, ``Level 3``,
``3 - Intermediate`` or ``Intermediate (3)``. Numbers are read on a :class:`LevelScale`: the rubric's
own (1–5 for cdmm) unless the header states another (``Current (0-4)``, ``Target /4``) or the column
holds a 0. Parsing works on distinct values, so a 100,000-row column costs a few dozen parses.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from .distinct import distinct_values
from .rubric import Rubric, match_key

__all__ = ["LevelScale", "detect_scale", "level_dtype", "not_applicable", "parse_level", "parse_levels"]

_PREFIX = r"(?:l|lvl|level|stage|tier|m)"
_NUMBER_TOKEN = re.compile(rf"^{_PREFIX}?(\d+)$")
HEADER_RANGE = re.compile(r"(\d+)\s*(?:-|–|—|to|\.\.)\s*(\d+)")
_HEADER_OUT_OF = re.compile(r"(?:/|out of)\s*(\d+)")
_NUMERIC_TEXT = re.compile(rf"^\s*(?:{_PREFIX}\s*[-:#.]?\s*)?(-?\d+(?:[.,]\d+)?)\s*$", re.IGNORECASE)
# "3 - Defined", "Level 3: Defined", "Defined (3)": a level's number written beside its name.
NAME_WITH_NUMBER = re.compile(r"^\s*(?:level\s*|l)?(\d+)\s*[-–—:.)]\s*(\D.*?)\s*$|^\s*(\D.*?)\s*\(\s*(\d+)\s*\)\s*$",
                              re.IGNORECASE)
_PLUS = re.compile(r"^\s*(\d)\s*\+\s*$")
_OUT_OF = re.compile(r"^\s*(\d+)\s*(?:/|of|out of)\s*(\d+)\s*$", re.IGNORECASE)
# The error values Excel shows in a cell (#N/A, #DIV/0!, #REF!, #VALUE!, #NAME?, #NUM!, #NULL!, #SPILL!...).
_EXCEL_ERROR = re.compile(r"^\s*#(?:N/A|DIV/0!|REF!|VALUE!|NAME\?|NUM!|NULL!|SPILL!|CALC!|GETTING_DATA|FIELD!|BLOCKED!|"
                          r"CONNECT!|BUSY!|UNKNOWN!)\s*$", re.IGNORECASE)
_NOT_APPLICABLE = frozenset({"n a", "na", "not applicable", "none applicable", "not relevant", "out of scope"})
_FUZZY_ACCEPT = 90
_LARGEST_SCALE = 10  # a stated scale runs 0 or 1 up to at most 10; larger ranges are years or percentages


@dataclass(frozen=True)
class LevelScale:
    """How the numbers in one column map to the rubric's levels: ``low`` is the rubric's lowest level.

    ``source`` says why this scale was chosen: ``"rubric"`` (the default), ``"header"`` (the column's
    header states it), ``"zero in column"``, or ``"user"`` (set by hand in the dashboard).
    """

    low: int
    high: int
    source: str = "rubric"

    def describe(self) -> str:
        reason = {"rubric": "the rubric's scale", "header": "stated in the header", "user": "set by you"}
        return f"{self.low}–{self.high} ({reason.get(self.source, self.source)})"

    def fits(self, rubric: Rubric) -> bool:
        """Whether this scale has as many levels as ``rubric``, so its numbers map one to one."""
        return self.high - self.low == rubric.highest - rubric.lowest

    def misfit(self, rubric: Rubric) -> str:
        """Why numbers on this scale cannot be read against ``rubric`` ('' when they can)."""
        if self.fits(rubric):
            return ""
        return (f"the header states a {self.low}–{self.high} scale ({self.high - self.low + 1} levels) but "
                f"{rubric.name} has {len(rubric.levels)} ({rubric.lowest}–{rubric.highest}): choose how to read "
                f"the numbers under 'Level numbers' in How this file was read, or read the file in its own model")

    def shift(self, rubric: Rubric) -> int:
        """What to add to a number on this scale to get the rubric's level."""
        return rubric.lowest - self.low


def rubric_scale(rubric: Rubric) -> LevelScale:
    """The rubric's own numbering, e.g. 1–5 for cdmm."""
    return LevelScale(rubric.lowest, rubric.highest, "rubric")


def detect_scale(
    header: object, values: pd.Series | None, rubric: Rubric, *, zero_seen: bool | None = None
) -> LevelScale:
    """Choose the scale of a level column from its header text and its values.

    A range in the header (``(0-4)``, ``0–4``, ``/4``) always wins: a stated scale of another size
    than the rubric's is kept as stated, and its numbers are then reported, never re-read on a scale
    the header does not state (:meth:`LevelScale.misfit`). Otherwise a 0 among the values (or
    ``zero_seen``, when the caller looked at several columns together) means a 0-based scale;
    otherwise the rubric's own.
    """
    size = rubric.highest - rubric.lowest
    text = str(header or "")
    if zero_seen is None:
        zero_seen = values is not None and has_zero(values)
    if found := HEADER_RANGE.search(text):
        low, high = int(found.group(1)), int(found.group(2))
        if low in (0, 1) and low < high <= _LARGEST_SCALE:  # not a year range such as "Target 2025-2026"
            return LevelScale(low, high, "header")
    elif found := _HEADER_OUT_OF.search(text):
        high = int(found.group(1))
        if high - size in (0, 1):
            return LevelScale(high - size, high, "header")
        if 0 < high <= _LARGEST_SCALE:
            return LevelScale(0 if zero_seen else 1, high, "header")
    if zero_seen and rubric.lowest != 0:
        return LevelScale(0, size, "zero in column")
    return rubric_scale(rubric)


def has_zero(values: pd.Series) -> bool:
    """True when some cell of ``values`` is the number 0 written as a number, ``0``, ``L0`` or ``Level 0``."""
    return any_zero(pd.unique(values.dropna()))


def any_zero(distinct) -> bool:
    """:func:`has_zero` of a column's distinct values, for a caller that already has them."""
    return any(not is_blank(value) and as_number(value) == 0 for value in distinct)


def as_number(value: object) -> float | None:
    """A level cell as a number when it is one (``3``, ``"3.0"``, ``"L3"``, ``"Level 3"``), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str) and (found := _NUMERIC_TEXT.match(value)):
        return float(found.group(1).replace(",", "."))
    return None


def cell_text(value: object) -> str | None:
    """A cell as stripped text, None for a blank; a whole number stored as a float (3.0) reads 3."""
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() or None


def not_applicable(value: object) -> bool:
    """True for cells that say a level does not apply (``N/A``, ``n.a.``, ``Not applicable``).

    Excel's ``#N/A`` is a failed lookup, not a decision: it is not "not applicable".
    """
    return isinstance(value, str) and not _EXCEL_ERROR.match(value) and match_key(value) in _NOT_APPLICABLE


def is_blank(value: object) -> bool:
    """True for an empty cell: None, NaN, or text of only spaces."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str) and not value.strip():
        return True
    return value is pd.NA or value is pd.NaT


def parse_level(value: object, scale: LevelScale, rubric: Rubric) -> tuple[float | None, str | None]:
    """Read one level cell. Returns ``(level, None)`` or ``(None, problem)``; a blank gives ``(None, None)``.

    The level is whole unless ``rubric`` is fractional, where a score such as 1.625 is kept as it is.
    """
    if is_blank(value):
        return None, None
    if isinstance(value, str) and _EXCEL_ERROR.match(value):
        return None, f"{value.strip()} is an Excel error, not a level: fix the formula or type the level"
    if not_applicable(value):
        return None, (
            f"{str(value).strip()!r} is not a level; to leave the practice out, mark both levels N/A "
            "or write No in an Applicable column"
        )
    top = f"{rubric.highest + scale.low - rubric.lowest} = {rubric.level_name(rubric.highest)}"
    bottom = f"{scale.low} = {rubric.level_name(rubric.lowest)}"
    if isinstance(value, datetime | date | time):
        return (
            None,
            f"{value} is a date, not a level; format the cell as text or a number "
            "(Excel may have turned '3-4' into a date)",
        )
    if isinstance(value, bool):
        return None, f"{value} is not a level; write a number {scale.low}–{scale.high} or a level name"
    number = as_number(value)
    text = str(value).strip()
    if isinstance(value, str) and text.endswith("%"):
        return (
            None,
            f"{text!r} is a percentage; gapmap reads levels, not percentages: "
            f"write {scale.low}–{scale.high} or a level name",
        )
    if number is not None:
        if not math.isfinite(number):
            return None, f"{text} is not a level; write a number {scale.low}–{scale.high} or a level name"
        shown = _show_number(number)
        if misfit := scale.misfit(rubric):
            return None, f"{shown}: {misfit}"
        if number != int(number) and not rubric.fractional:
            return None, f"{shown} is not a whole level; use a whole number {scale.low}–{scale.high}"
        level = (number if rubric.fractional else int(number)) + scale.shift(rubric)
        if level > rubric.highest:
            return None, f"{shown} is above the highest level ({top})"
        if level < rubric.lowest:
            return None, f"{shown} is below the lowest level ({bottom})"
        return level, None
    return _parse_text(text, scale, rubric)


def _parse_text(text: str, scale: LevelScale, rubric: Rubric) -> tuple[int | None, str | None]:
    folded = match_key(text)
    if folded in rubric.level_lookup:
        return rubric.level_lookup[folded], None
    if (found := NAME_WITH_NUMBER.match(text)) and (named := name_with_number(found)):
        number, name = named
        level = rubric.level_lookup.get(match_key(name))
        if level is not None and level == number + scale.shift(rubric) and scale.fits(rubric):
            return level, None  # "3 - Defined", "Defined (3)": the name and the number agree
    if rubric.fractional and (found := _PLUS.match(text)):
        # SAMM 1.x's "1+": past level 1, short of 2; its own converters read it as half a level more.
        return parse_level(float(found.group(1)) + 0.5, scale, rubric)
    if (found := _OUT_OF.match(text)) and int(found.group(2)) == scale.high:
        text = found.group(1)  # "3/5", "3 of 5", "3 out of 5" on a 1–5 scale: the level is 3
        return parse_level(text, scale, rubric)
    words, numbers = [], []
    for token in folded.split():
        found = _NUMBER_TOKEN.match(token)
        if found:
            numbers.append(int(found.group(1)))
        elif token not in {"l", "lvl", "level", "stage", "tier", "maturity"}:
            words.append(token)
    name_level = rubric.level_lookup.get(" ".join(words)) if words else None
    if words and name_level is None:
        name_level = _fuzzy_level(" ".join(words), rubric)
    number_level = None
    if len(numbers) == 1 and (misfit := scale.misfit(rubric)):
        return None, f"{text!r}: {misfit}"
    if len(numbers) == 1:
        number_level = numbers[0] + scale.shift(rubric)
        if number_level > rubric.highest:
            return (
                None,
                f"{text!r}: {numbers[0]} is above the highest level "
                f"({scale.high} = {rubric.level_name(rubric.highest)})",
            )
        if number_level < rubric.lowest:
            return (
                None,
                f"{text!r}: {numbers[0]} is below the lowest level ({scale.low} = {rubric.level_name(rubric.lowest)})",
            )
    if name_level is not None and number_level is not None and name_level != number_level:
        return None, (
            f"{text!r} is contradictory: {numbers[0]} is {rubric.level_name(number_level)} on the "
            f"{scale.low}–{scale.high} scale but the name says {rubric.level_name(name_level)}"
        )
    if name_level is not None and (number_level is not None or not numbers):
        return name_level, None
    if number_level is not None and not words:
        return number_level, None
    names = ", ".join(lv.name for lv in rubric.levels)
    suggestion = _suggest_level(" ".join(words), rubric) if words else None
    hint = f"; did you mean {suggestion!r}?" if suggestion else f"; write {scale.low}–{scale.high} or one of {names}"
    return None, f"{text!r} is not a level{hint}"


def _fuzzy_level(words: str, rubric: Rubric) -> int | None:
    best = process.extractOne(words, list(rubric.level_lookup), scorer=fuzz.ratio, score_cutoff=_FUZZY_ACCEPT)
    return rubric.level_lookup[best[0]] if best else None


def _suggest_level(words: str, rubric: Rubric) -> str | None:
    best = process.extractOne(
        words, [lv.name for lv in rubric.levels], scorer=fuzz.ratio, score_cutoff=60, processor=match_key
    )
    return best[0] if best else None


def _show_number(number: float) -> str:
    return str(int(number)) if number == int(number) else f"{number:g}"


def parse_levels(values: pd.Series, scale: LevelScale, rubric: Rubric) -> tuple[pd.Series, pd.Series]:
    """Parse a whole level column. Returns ``(levels, problems)`` aligned with ``values``.

    ``levels`` is nullable Int64, or Float64 for a fractional rubric (NA for blanks and problems);
    ``problems`` holds a message or None. Each distinct value is parsed once and the results are
    mapped back, so cost follows the number of distinct values, not of rows.
    """
    codes, distinct = distinct_values(values)
    levels = np.zeros(len(distinct), dtype=np.float64 if rubric.fractional else np.int64)
    unread = np.ones(len(distinct), dtype=bool)
    problems = np.empty(len(distinct), dtype=object)
    for position, value in enumerate(distinct):
        level, problems[position] = parse_level(value, scale, rubric)
        if level is not None:
            levels[position], unread[position] = level, False
    array = pd.arrays.FloatingArray if rubric.fractional else pd.arrays.IntegerArray
    return (pd.Series(array(levels[codes], unread[codes]), index=values.index),
            pd.Series(problems[codes], index=values.index, dtype=object))


def name_with_number(found: re.Match) -> tuple[int, str]:
    """``(number, name)`` of a :data:`NAME_WITH_NUMBER` match."""
    return int(found.group(1) or found.group(4)), (found.group(2) or found.group(3)).strip()


def level_dtype(rubric: Rubric) -> str:
    """The dtype of level and gap columns for ``rubric``: ``Float64`` where scores may be fractional."""
    return "Float64" if rubric.fractional else "Int64"
