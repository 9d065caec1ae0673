"""Matching a file's area and practice names to a rubric's, without ever filing a row silently.

Three kinds of match, and what each costs the user:

* **exact** (the name, an id or a listed synonym, after :func:`~maturity.rubric.match_key` folding):
  silent;
* **spelling** (the same words, spelled differently: ``Build and Deployment`` for ``Build & Deploy``,
  ``Informaton & Reporting``): accepted, with a note per distinct value and a ``warning`` on each of
  its rows, and listed for the user to confirm or reassign;
* anything else is **not** a match, whatever a substring-friendly scorer says ("Organizational
  Context" contains the synonym "Organization" but is another thing): a problem naming the closest
  name as a suggestion only.

A spelling is judged word by word on whole names: both names have the same number of words, and
the words pair off one to one (in any order), each pair the same word, a close spelling of it, or
the same stem with a common ending (``deploy``/``deployment``, ``test``/``testing``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import permutations

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from .distinct import Factorized, map_distinct, map_distinct_pairs
from .levels import is_blank
from .rubric import Practice, Rubric, match_key

__all__ = ["AreaMatch", "join_messages", "match_area", "match_practice", "resolve_areas", "same_name", "suggest_area"]

_WORD_ACCEPT = 80  # rapidfuzz ratio for one word against another: one or two letters off in a long word
_SHORTEST_FUZZY_WORD = 5  # shorter words must be equal (or a stem with an ending): "test" is not "text"
_ENDINGS = ("s", "es", "ing", "ed", "ment", "ments", "al", "ion", "ions", "ation", "er", "ers", "ity", "ies", "y")
_SUGGEST_PRACTICE = 60  # practice labels are longer: WRatio's partial matching scores lower
_SUGGEST = 70  # WRatio: below this a "did you mean" points at an unrelated area


@dataclass(frozen=True)
class AreaMatch:
    """How one distinct area value of a file was read: the dimension id (None: not read), ``how``
    (``exact``, ``spelling``, ``user`` or ``none``) and, when not read, the problem."""

    value: str
    dimension_id: str | None
    how: str
    problem: str | None = None

    def warning(self, rubric: Rubric) -> str | None:
        """The note on each row of a spelling match, e.g. "'Build and Deployment' read as Build & Deploy"."""
        if self.how != "spelling" or self.dimension_id is None:
            return None
        return f"{self.value!r} read as {rubric.dimension(self.dimension_id).name}"


def _same_word(a: str, b: str) -> bool:
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    if len(short) >= 3 and long.startswith(short) and long[len(short):] in _ENDINGS:
        return True
    return min(len(a), len(b)) >= _SHORTEST_FUZZY_WORD and fuzz.ratio(a, b) >= _WORD_ACCEPT


@lru_cache(maxsize=65_536)
def same_name(a: str, b: str) -> bool:
    """Whether two folded names are the same words, spelled differently (see the module's docstring).

    >>> same_name("build deployment", "build deploy"), same_name("organizational context", "organization")
    (True, False)
    """
    words_a, words_b = a.split(), b.split()
    if not words_a or len(words_a) != len(words_b):
        return False
    if len(words_a) > 6:  # long statements: in order only
        return all(_same_word(x, y) for x, y in zip(words_a, words_b, strict=True))
    return any(all(_same_word(x, y) for x, y in zip(words_a, order, strict=True)) for order in permutations(words_b))


def _spelling_of(folded: str, lookup: Mapping[str, object]) -> str | None:
    """The key of ``lookup`` that ``folded`` is a spelling of, or None; several different answers: None."""
    found = {lookup[key]: key for key in lookup if same_name(folded, key)}
    return next(iter(found.values())) if len(found) == 1 else None


def suggest_area(value: str, rubric: Rubric) -> str | None:
    """The name of the area of ``rubric`` closest to ``value``, as a suggestion only (never a match)."""
    best = process.extractOne(match_key(value), list(rubric.dimension_lookup), scorer=fuzz.WRatio,
                              score_cutoff=_SUGGEST)
    return rubric.dimension(rubric.dimension_lookup[best[0]]).name if best else None


def match_area(value: str, rubric: Rubric, chosen: Mapping[str, str] | None = None) -> AreaMatch:
    """Read one area value of a file against ``rubric``; ``chosen`` holds the user's own answers
    (folded value → dimension id), which win over anything found."""
    folded = match_key(value)
    if chosen and folded in chosen and chosen[folded] in rubric.dimension_ids:
        return AreaMatch(value, chosen[folded], "user")
    if folded in rubric.dimension_lookup:
        return AreaMatch(value, rubric.dimension_lookup[folded], "exact")
    if key := _spelling_of(folded, rubric.dimension_lookup):
        return AreaMatch(value, rubric.dimension_lookup[key], "spelling")
    if suggestion := suggest_area(value, rubric):
        problem = f"{value!r} is not an area of {rubric.label}; did you mean {suggestion!r}?"
    else:
        names = ", ".join(d.name for d in rubric.dimensions)
        problem = f"{value!r} is not an area of {rubric.label}; areas are {names}"
    return AreaMatch(value, None, "none", problem)


def match_practice(value: str, rubric: Rubric) -> tuple[Practice | None, bool]:
    """``(practice, exact)``: the rubric practice ``value`` names, exactly or as a spelling of it."""
    folded = match_key(value)
    if folded in rubric.practice_lookup:
        return rubric.practice_lookup[folded], True
    if key := _spelling_of(folded, rubric.practice_lookup):
        return rubric.practice_lookup[key], False
    return None, False


def _dimension_of_practice(practice_id: object) -> str | None:
    return practice_id.split(".")[0] if isinstance(practice_id, str) else None


def resolve_areas(
    dimension: pd.Series | None,
    practice: pd.Series | Factorized,
    rubric: Rubric,
    chosen: dict[str, str],
    matches: dict[str, AreaMatch],
) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    """Map dimension text (or, without it, the practice) to rubric dimension ids.

    Returns ``(dimension_id, problem, practice_id, warning)`` aligned with ``practice``; ``warning``
    says where a name was read as a close spelling. Each distinct area value's match is added to
    ``matches``. ``practice`` may come found distinct already (a :class:`~maturity.distinct.Factorized`).
    """
    def read_practice(value: object) -> tuple[str | None, str | None, str | None]:
        if is_blank(value):
            return None, None, None
        found, exact = match_practice(value, rubric)
        if found is None:
            return None, None, None
        return found.id, None if exact else f"practice {value!r} read as {found.label!r}", _dimension_of_practice(
            found.id)

    def read_area(value: object) -> tuple[str | None, str | None, str | None]:
        if is_blank(value):
            return None, None, None
        found = match_area(str(value), rubric, chosen)
        matches.setdefault(match_key(value), found)
        return found.dimension_id, found.problem, found.warning(rubric)

    practice_id, practice_warning, from_practice = map_distinct_pairs(practice, read_practice, width=3)
    if isinstance(practice, Factorized):
        practice = practice.series()
    if dimension is not None:
        dimension_id, problem, warning = map_distinct_pairs(dimension, read_area, width=3)
        empty = dimension.isna()
        # A row with no dimension of its own may still name a rubric practice, which brings its dimension.
        dimension_id = dimension_id.where(~empty, from_practice)
        problem = problem.where(~empty, np.where(from_practice.isna(), "dimension is empty", None))
        # A practice matched in another dimension than the row's is not that practice.
        same = from_practice.eq(dimension_id) | practice_id.isna()
        practice_id = practice_id.where(same, None)
        practice_warning = practice_warning.where(same, None)
        problem = problem.where(problem.notna(), None)
        return dimension_id.where(problem.isna(), None), problem, practice_id, join_messages(warning, practice_warning)
    # No dimension column: a practice of the rubric brings its area; a value naming an area itself
    # (SAMM's 'Security Practices' column holds SAMM's areas) is that area, as a whole.
    by_name = map_distinct(practice.where(from_practice.isna()), lambda v: None if is_blank(v) else
                           rubric.dimension_lookup.get(match_key(v)) or chosen.get(match_key(v)))
    for value in pd.unique(practice[by_name.notna()]):
        matches.setdefault(match_key(value), AreaMatch(str(value), rubric.dimension_lookup.get(match_key(value))
                                                       or chosen.get(match_key(value)), "exact"))
    dimension_id = from_practice.where(from_practice.notna(), by_name)
    problem = map_distinct(practice, lambda v: _practice_problem(v, rubric)).where(dimension_id.isna(), None)
    return dimension_id, problem, practice_id.where(by_name.isna(), None), practice_warning


def join_messages(first: pd.Series, second: pd.Series) -> pd.Series:
    """Two columns of optional messages as one, joined with '; '."""
    joined = first.where(first.notna(), second)
    both = first.notna() & second.notna()
    if both.any():
        joined[both] = first[both] + "; " + second[both]
    return joined


def _practice_problem(value: str | None, rubric: Rubric) -> str:
    if value is None:
        return "neither a dimension nor a practice is given"
    best = process.extractOne(match_key(value), list(rubric.practice_lookup), scorer=fuzz.WRatio,
                              score_cutoff=_SUGGEST_PRACTICE)
    hint = f"; did you mean {rubric.practice_lookup[best[0]].label!r}?" if best else ""
    return (
        f"practice {value!r} is not in {rubric.label} and the sheet has no dimension column to place it{hint} "
        f"(add a Dimension column, or use the rubric's practice names)"
    )
