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

from rapidfuzz import fuzz, process

from .rubric import Practice, Rubric, match_key

__all__ = ["AreaMatch", "match_area", "match_practice", "same_name", "suggest_area"]

_WORD_ACCEPT = 80  # rapidfuzz ratio for one word against another: one or two letters off in a long word
_SHORTEST_FUZZY_WORD = 5  # shorter words must be equal (or a stem with an ending): "test" is not "text"
_ENDINGS = ("s", "es", "ing", "ed", "ment", "ments", "al", "ion", "ions", "ation", "er", "ers", "ity", "ies", "y")
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
