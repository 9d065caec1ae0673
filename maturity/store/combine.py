"""Several workbooks as one assessment: teams often fill in one file each.

Each file keeps its own units; a unit found in two files is refused with both files named (its rows
would be counted twice, or one file's would silently win). All files must be read against the same
model, or their levels and areas could not be compared.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pandas as pd

from ..errors import OverlapError
from ..normalize import Assessment

__all__ = ["check_overlap", "combine"]

_LISTED = 5


def check_overlap(assessments: Sequence[Assessment]) -> None:
    """Raise OverlapError when two of ``assessments`` share a unit, or were read against different models."""
    if not assessments:
        raise OverlapError("no file to read: give one or more files")
    first = assessments[0]
    for other in assessments[1:]:
        if other.rubric.fingerprint != first.rubric.fingerprint:
            raise OverlapError(
                f"{first.filename} was read against {first.rubric.label} but {other.filename} against "
                f"{other.rubric.label}: files read together must use one model (choose it: --rubric on the "
                f"command line, Maturity model in the dashboard)")
    seen: dict[str, str] = {}
    clashes: list[str] = []
    for assessment in assessments:
        for unit in assessment.units:
            if unit in seen and seen[unit] != assessment.filename:
                clashes.append(f"{unit!r} is in both {seen[unit]} and {assessment.filename}")
            seen.setdefault(unit, assessment.filename)
    if clashes:
        more = f" (and {len(clashes) - _LISTED} more)" if len(clashes) > _LISTED else ""
        raise OverlapError(f"unit {'; unit '.join(clashes[:_LISTED])}{more}: a unit's rows must come from one "
                           "file (rename it in one of them, or save the files as separate snapshots)")


def combine(assessments: Sequence[Assessment]) -> Assessment:
    """One Assessment of several files' (one file: that file's, unchanged). Rows and problems keep their
    order, file by file, with a ``source_file`` column naming the file; the layout, model choice and
    notes are the first file's, other files' notes follow with their file's name. Raises OverlapError
    as :func:`check_overlap` does."""
    check_overlap(assessments)
    if len(assessments) == 1:
        return assessments[0]
    normalized = pd.concat([a.normalized.assign(source_file=a.filename) for a in assessments], ignore_index=True)
    problems = pd.concat([a.problems.assign(source_file=a.filename) for a in assessments], ignore_index=True)
    notes = tuple(f"{a.filename}: {note}" for a in assessments for note in a.notes)
    first = assessments[0]
    return replace(first, normalized=normalized, problems=problems,
                   filename=" + ".join(a.filename for a in assessments), notes=notes,
                   area_matches=tuple(m for a in assessments for m in a.area_matches))
