"""Dates for the roadmap's phases: phase 1 starts on the day the user gives, and each phase lasts the
same length (a quarter unless said otherwise), so the table, the timeline and the CSV can say *when*.

A length is written as people write it: ``1 quarter``, ``2 quarters``, ``3 months``, ``3m``, ``6 weeks``,
``6w``, ``half a year``; anything else is a :class:`~maturity.errors.GapmapError` saying what it takes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pandas as pd

from .errors import GapmapError

__all__ = ["DEFAULT_LENGTH", "PhaseLength", "parse_start", "phase_dates", "with_dates"]

DEFAULT_LENGTH = "1 quarter"
_LENGTH = re.compile(r"^\s*(\d+|a|an|one|half an?)?\s*(quarters?|q|months?|m|mo|weeks?|w|years?|y)\s*$", re.IGNORECASE)
_UNITS = {"q": ("months", 3), "quarter": ("months", 3), "m": ("months", 1), "mo": ("months", 1),
          "month": ("months", 1), "w": ("weeks", 1), "week": ("weeks", 1), "y": ("months", 12),
          "year": ("months", 12)}


@dataclass(frozen=True)
class PhaseLength:
    """How long each phase lasts: a number of months or of weeks."""

    months: int = 3
    weeks: int = 0

    @classmethod
    def parse(cls, text: str | None) -> PhaseLength:
        """``text`` ('1 quarter', '3m', '6 weeks', 'half a year'); None: a quarter."""
        found = _LENGTH.match(text or DEFAULT_LENGTH)
        if found is None:
            raise GapmapError(f"phase length {text!r}: say how long each phase lasts, e.g. '1 quarter', "
                              f"'3 months', '6 weeks' or '1 year'")
        count, unit = (found.group(1) or "1").lower(), found.group(2).lower()
        kind, size = _UNITS[unit if unit in _UNITS else unit.rstrip("s")]
        if count.startswith("half"):
            if kind != "months" or size % 2:
                raise GapmapError(f"phase length {text!r}: half of that is no whole number of months or weeks")
            number = size // 2
        else:
            number = size * (1 if count in ("a", "an", "one") else int(count))
        if number < 1 or number > 120:
            raise GapmapError(f"phase length {text!r}: a phase lasts from a week to ten years")
        return cls(months=number) if kind == "months" else cls(months=0, weeks=number)

    def describe(self) -> str:
        if self.weeks:
            return f"{self.weeks} week{'s' * (self.weeks != 1)}"
        if self.months % 3 == 0:
            quarters = self.months // 3
            return f"{quarters} quarter{'s' * (quarters != 1)}"
        return f"{self.months} month{'s' * (self.months != 1)}"

    def offset(self, phases: int) -> pd.DateOffset:
        return pd.DateOffset(months=self.months * phases) if self.months else pd.DateOffset(weeks=self.weeks * phases)


def parse_start(text: str | dt.date) -> dt.date:
    """The roadmap's start, ``YYYY-MM-DD`` (a date passes through)."""
    if isinstance(text, dt.date):
        return text
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise GapmapError(f"start date {text!r}: give the day phase 1 starts as YYYY-MM-DD, e.g. 2027-01-04") from None


def phase_dates(phases: int, start: dt.date, length: PhaseLength) -> pd.DataFrame:
    """``phase``, ``phase_start`` and ``phase_end`` (the day before the next phase starts) of phases 1…``phases``."""
    begin = pd.Timestamp(start)
    starts = [(begin + length.offset(p)).date() for p in range(phases + 1)]
    return pd.DataFrame({
        "phase": range(1, phases + 1),
        "phase_start": starts[:-1],
        "phase_end": [s - dt.timedelta(days=1) for s in starts[1:]],
    })


def with_dates(roadmap: pd.DataFrame, start: dt.date | str, length: PhaseLength | str | None = None) -> pd.DataFrame:
    """``roadmap`` with each step's ``phase_start`` and ``phase_end`` (ISO dates, after ``phase``)."""
    length = length if isinstance(length, PhaseLength) else PhaseLength.parse(length)
    phases = int(roadmap["phase"].max()) if len(roadmap) else 0
    dates = phase_dates(phases, parse_start(start), length).set_index("phase")
    out = roadmap.copy()
    position = list(out.columns).index("phase") + 1 if "phase" in out else len(out.columns)
    for offset, column in enumerate(("phase_start", "phase_end")):
        values = out["phase"].map(dates[column].map(dt.date.isoformat)) if len(out) else pd.Series(dtype=object)
        out.insert(position + offset, column, values.astype(object))
    return out
