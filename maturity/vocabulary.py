"""The words gapmap reads in files (``vocabulary.yaml``): summary-row words, named level scales, the
words of sheet names that pair a current sheet with a target sheet, the header phrases that give a
column its role, and the priority and effort words a roadmap scores.

Data, not code: a new spelling is a line in the YAML file, loaded once and validated here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .rubric import match_key
from .yamldata import load_data_file

__all__ = ["NamedScale", "as_of_labels", "effort_words", "group_level_keywords", "header_filler_words",
           "level_keywords", "named_scales", "organisation_labels", "phase_words", "priority_words", "role_phrases",
           "sheet_filler_words", "sheet_level_words", "summary_words", "table_end_words"]

# Module-level so a test can point the loader at another file (and clear the caches below).
_PATH = Path(__file__).with_name("vocabulary.yaml")


@dataclass(frozen=True)
class NamedScale:
    """A scale of level names, e.g. CMMI's Initial … Optimizing: ``levels[i]`` is level ``first + i``,
    written as any of its spellings (the first is its name)."""

    name: str
    first: int
    levels: tuple[tuple[str, ...], ...]

    def lookup(self) -> dict[str, int]:
        """Folded spelling → level number."""
        return {match_key(word): self.first + i for i, words in enumerate(self.levels) for word in words}


@cache
def _document() -> dict:
    document = load_data_file(_PATH)
    if not isinstance(document, dict) or not {"summary_words", "named_scales"} <= document.keys():
        raise ValueError(f"{_PATH.name} must hold summary_words and named_scales")
    return document


@cache
def summary_words() -> frozenset[str]:
    """Folded first-cell words of a summary row ('Average', 'Total')."""
    return frozenset(match_key(word) for word in _document()["summary_words"])


@cache
def named_scales() -> tuple[NamedScale, ...]:
    """The named level scales a file's own model may use."""
    return tuple(NamedScale(s["name"], int(s["first"]), tuple(tuple(str(w) for w in words) for words in s["levels"]))
                 for s in _document()["named_scales"])


@cache
def sheet_level_words() -> dict[str, frozenset[str]]:
    """``{"current": …, "target": …}``: folded words of a sheet name saying which levels it holds."""
    words = _document()["sheet_level_words"]
    return {role: frozenset(match_key(w) for w in words[role]) for role in ("current", "target")}


@cache
def sheet_filler_words() -> frozenset[str]:
    """Folded words a sheet name holds besides its level word ('State', 'Maturity')."""
    return frozenset(match_key(w) for w in _document()["sheet_filler_words"])


@cache
def table_end_words() -> tuple[str, ...]:
    """Folded first words of a row that is not data ('SAMM velocity:', 'Valid Maturity Levels')."""
    return tuple(match_key(w) for w in _document()["table_end_words"])


@cache
def organisation_labels() -> frozenset[str]:
    """Folded title-block labels whose neighbour names the organisation ('Organization:')."""
    return frozenset(match_key(w) for w in _document()["organisation_labels"])


@cache
def as_of_labels() -> frozenset[str]:
    """Folded title-block labels before the date an assessment describes ('Assessed:', 'As of')."""
    return frozenset(match_key(w) for w in _document()["as_of_labels"])


@cache
def role_phrases() -> dict[str, tuple[str, ...]]:
    """Role → its folded header phrases ('Business Unit' → unit), roles and phrases in file order.

    Raises ValueError when one phrase names two roles.
    """
    phrases = {str(role): tuple(match_key(p) for p in words) for role, words in _document()["role_phrases"].items()}
    seen: dict[str, str] = {}
    for role, words in phrases.items():
        for phrase in words:
            if seen.setdefault(phrase, role) != role:
                raise ValueError(f"{_PATH.name}: header phrase {phrase!r} names both {seen[phrase]} and {role}")
    return phrases


@cache
def level_keywords() -> dict[str, tuple[str, ...]]:
    """``{"current": …, "target": …}``: folded leading words of a level header ('As-Is score')."""
    words = _document()["level_keywords"]
    return {role: tuple(match_key(w) for w in words[role]) for role in ("current", "target")}


@cache
def group_level_keywords() -> dict[str, tuple[str, ...]]:
    """The level keywords that make a wide sheet's column a unit's own ('Payments - Current')."""
    words = _document()["group_level_keywords"]
    return {role: tuple(match_key(w) for w in words[role]) for role in ("current", "target")}


@cache
def header_filler_words() -> frozenset[str]:
    """Folded words that may follow a level keyword in a header ('maturity', 'level')."""
    return frozenset(match_key(w) for w in _document()["header_filler_words"])


@cache
def priority_words() -> dict[str, float]:
    """Folded priority word → its points, 0 (won't) to 4 (critical)."""
    return {match_key(w): float(points) for w, points in _document()["priority_words"].items()}


@cache
def effort_words() -> dict[str, float]:
    """Folded effort word → its points (XS 0.5 … XXL 5)."""
    return {match_key(w): float(points) for w, points in _document()["effort_words"].items()}


@cache
def phase_words() -> frozenset[str]:
    """Folded first words of the cells under a two-row header's level words ('Start', 'Phase 4', 'Q4')."""
    return frozenset(match_key(w) for w in _document()["phase_words"])
