"""The date an assessment describes, as a workbook's title block states it ("Assessed: 2026-09").

Consultants' templates and home-made sheets put the date in the title block, either in one cell with
its label ("Assessed: 2026-09 by Bluefin") or beside a label cell ("Assessment date:" | 30/09/2026 as a
date cell). The steering pack shows it as its as-of date, saying where it was read, so a wrong guess is
seen. Only unambiguous forms are read: ISO (2026-09-30, 2026-09, 2026/09/30), month names (September
2026, 30 Sep 2026, Sep 30, 2026) and date cells; 09/10/2026 could be either month first or day first.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime

from .columns import column_letter
from .levels import is_blank
from .reader import RawWorkbook
from .rubric import match_key
from .titles import Found
from .vocabulary import as_of_labels

__all__ = ["AsOf", "find_as_of", "parse_as_of_text"]

_ROWS, _COLUMNS = 15, 8  # a title block: the top left of a sheet, as for the organisation
_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_FORMS = (  # (pattern, the order of its groups: y year, m month number, n month name, d day)
    (re.compile(r"(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?(?![\d/.-])"), "ymd"),
    (re.compile(rf"(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}\s+(\d{{4}})\b", re.IGNORECASE), "dny"),
    (re.compile(rf"{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.IGNORECASE), "ndy"),
    (re.compile(rf"{_MONTH},?\s+(\d{{4}})\b", re.IGNORECASE), "ny"),
)
_YEARS = range(1990, 2101)


@dataclass(frozen=True)
class AsOf:
    """A date an assessment describes: a day, or a whole month when only the month is stated."""

    start: date
    precision: str = "day"  # "day" or "month"

    @property
    def text(self) -> str:
        """As shown: ``2026-09-30``, or ``2026-09`` for a month."""
        return self.start.isoformat() if self.precision == "day" else f"{self.start:%Y-%m}"

    @property
    def end(self) -> date:
        """The last day it covers (the month's last day for a month)."""
        if self.precision == "day":
            return self.start
        return self.start.replace(day=calendar.monthrange(self.start.year, self.start.month)[1])


def _as_of(year: int, month: int, day: int | None) -> AsOf | None:
    if year not in _YEARS:
        return None
    try:
        return AsOf(date(year, month, day or 1), "day" if day else "month")
    except ValueError:
        return None


def parse_as_of_text(text: str) -> AsOf | None:
    """The date ``text`` starts with, in one of the unambiguous forms (``2026-09``, ``30 Sep 2026``…), or None."""
    text = str(text).strip()
    for pattern, order in _FORMS:
        match = pattern.match(text)
        if match is None:
            continue
        parts = dict(zip(order, match.groups(), strict=True))
        month = _MONTHS[parts["n"].lower()] if "n" in parts else int(parts["m"])
        day = int(parts["d"]) if parts.get("d") else None
        found = _as_of(int(parts["y"]), month, day)
        if found is not None:
            return found
    return None


def _cell_date(value: object) -> AsOf | None:
    """A date cell's date, or the date a text cell starts with."""
    if isinstance(value, datetime):
        return _as_of(value.year, value.month, value.day)
    if isinstance(value, date):
        return _as_of(value.year, value.month, value.day)
    if isinstance(value, str):
        return parse_as_of_text(value)
    return None


def find_as_of(workbook: RawWorkbook, prefer: tuple[str, ...] = ()) -> tuple[AsOf, Found] | None:
    """The date a title block states the assessment was made, and where (the label's cell, or the date's
    beside it), looking first in the sheets ``prefer`` (the data sheets); None when no sheet states one."""
    labels = as_of_labels()
    for sheet in sorted(workbook.sheets, key=lambda s: s.name not in prefer):
        block = sheet.cells.iloc[:_ROWS, :_COLUMNS]
        for row in range(len(block)):
            values = block.iloc[row].tolist()
            for column, value in enumerate(values):
                if not isinstance(value, str) or ":" not in value:
                    continue
                label, _, rest = value.partition(":")
                if match_key(label) not in labels:
                    continue
                cell = f"{column_letter(column)}{row + 1}"
                if rest.strip():  # "Assessed: 2026-09 by …", in one cell
                    if (stated := parse_as_of_text(rest)) is not None:
                        return stated, Found(stated.text, sheet.name, cell)
                    continue
                beside = next((v for v in values[column + 1:] if not is_blank(v)), None)
                if beside is not None and (stated := _cell_date(beside)) is not None:
                    right = column + 1 + values[column + 1:].index(beside)
                    return stated, Found(stated.text, sheet.name, f"{column_letter(right)}{row + 1}")
    return None
