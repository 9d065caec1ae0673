"""The steering pack's content: everything a steering meeting is shown, built once from an assessment
and then written as PowerPoint (:mod:`.pptx`) or as one HTML file (:mod:`.html`).

What the pack says and where each part comes from:

* the organisation: given, else the one a title block names ("Organization:"), else the file's name;
  the as-of date: given, else the date a title block states ("Assessed: 2026-09"), else today; each
  with where it came from, shown on the title slide so a wrong guess is seen and corrected;
* the scope (the units shown: all of them, or those given) and the model the file was read against;
* headline figures; the radar of current vs target; the gap heatmap, paged when there are more units
  than a page holds; the units ranked by gap (the largest :data:`TOP_UNITS`, with a note, for a large
  organisation); the roadmap's first phase with owners; per area the next level and its practices;
* what moved since the organisation's previous snapshot, when a store holds one; and how many rows
  were read and what the problem rows were.

Every chart carries its title, the organisation, the scope and the date inside the figure, so a
picture copied out of the deck still says what it shows. Text from the file stays plain text: the
figures escape it (:func:`maturity.charts.label`) and each writer escapes it for its format.

Here: the organisation, the as-of date and the scope, and :func:`build_pack`; the value is in
:mod:`.model`, each section built in :mod:`.sections`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import PurePath

import pandas as pd

from ..asof import AsOf, find_as_of, parse_as_of_text
from ..errors import ReportError
from ..normalize import Assessment
from ..reader import RawWorkbook
from ..roadmap import build_roadmap
from ..rubric import match_key
from .model import (
    PHASE_ROWS,
    TOP_UNITS,
    Chart,
    Pack,
    Stated,
    Table,
)
from .sections import (
    areas_section,
    charts_section,
    headline_section,
    moved_section,
    phase_section,
    problems_section,
    reading_section,
    unit_figures_section,
)

__all__ = ["PHASE_ROWS", "TOP_UNITS", "Chart", "Pack", "Stated", "Table", "build_pack"]

_LISTED_UNITS = 4  # a scope of up to this many units is named in full


def build_pack(
    assessment: Assessment,
    *,
    org: str | None = None,
    as_of: AsOf | date | str | None = None,
    units: Sequence[str] | None = None,
    store=None,
    access=None,
    workbook: RawWorkbook | Sequence[RawWorkbook] | None = None,
    today: date | None = None,
) -> Pack:
    """The steering pack of ``assessment``, for the ``units`` given (None: every unit).

    ``org`` and ``as_of`` override what the workbook says; ``workbook`` (the raw workbook or workbooks
    the assessment was read from) is where a stated date is looked for; ``store`` (a
    :class:`maturity.store.Store`) adds what moved since the organisation's latest snapshot before the
    as-of date, read as ``access`` (the user's store access, passed on when given). Raises ReportError
    for a unit not in the assessment or an as-of text that is no date, and StoreError when the store
    cannot be read.
    """
    today = today or date.today()
    organisation = _organisation(assessment, org)
    stated_date, as_of_source = _as_of(as_of, workbook, assessment, today)
    shown, scope = _scope(assessment, units)
    rubric = assessment.rubric
    rows = assessment.normalized
    if len(shown) < len(assessment.units):
        rows = rows[rows["unit"].isin(shown)]
    roadmap = build_roadmap(assessment)
    if len(shown) < len(assessment.units):
        roadmap = roadmap[roadmap["unit"].isin(shown)]
    subtitle = f"{organisation.value} · {scope} · as of {stated_date.text}"
    return Pack(
        organisation=organisation,
        as_of=Stated(stated_date.text, as_of_source),
        as_of_date=stated_date,
        scope=scope,
        units=shown,
        total_units=len(assessment.units),
        model=rubric.label,
        sources=_sources(assessment),
        headline=headline_section(rows, roadmap, assessment),
        charts=charts_section(rows, assessment, shown, subtitle),
        phase=phase_section(roadmap),
        areas=areas_section(rows, assessment),
        unit_figures=unit_figures_section(rows, roadmap, assessment, shown),
        moved=None if store is None else moved_section(store, access, organisation.value, stated_date, rows, shown,
                                                assessment),
        reading=reading_section(assessment),
        problems=problems_section(assessment),
        made_on=today,
    )


def _sources(assessment: Assessment) -> tuple[str, ...]:
    if "source_file" in assessment.normalized:  # several files read as one
        return tuple(str(name) for name in pd.unique(assessment.normalized["source_file"]))
    return (assessment.filename,)


def _organisation(assessment: Assessment, org: str | None) -> Stated:
    if org is not None and " ".join(str(org).split()):
        return Stated(" ".join(str(org).split()), "as given")
    found = assessment.layout.organisation
    if found is not None:
        return Stated(found.value, f"read from {found.describe()}")
    name = _sources(assessment)[0]
    return Stated(PurePath(name).stem or name, "the file's name: the workbook names no organisation")


def _as_of(as_of, workbook, assessment: Assessment, today: date) -> tuple[AsOf, str]:
    if isinstance(as_of, AsOf):
        return as_of, "as given"
    if isinstance(as_of, datetime):
        return AsOf(as_of.date()), "as given"
    if isinstance(as_of, date):
        return AsOf(as_of), "as given"
    if as_of is not None and str(as_of).strip():
        stated = parse_as_of_text(str(as_of))
        if stated is None:
            raise ReportError(f"as-of date {' '.join(str(as_of).split())[:60]!r} is not a date: write it as "
                              "YYYY-MM-DD or YYYY-MM (e.g. 2026-09)")
        return stated, "as given"
    books = [workbook] if isinstance(workbook, RawWorkbook) else list(workbook or ())
    prefer = tuple(s.sheet for s in assessment.layout.sheets)
    for book in books:
        if (found := find_as_of(book, prefer)) is not None:
            stated, where = found
            return stated, f"read from {where.describe()}"
    return AsOf(today), "today: the workbook states no date"


def _scope(assessment: Assessment, units: Sequence[str] | None) -> tuple[tuple[str, ...], str]:
    every = assessment.units
    if not units:
        return tuple(every), (f"All {len(every)} units" if len(every) != 1 else f"1 unit: {every[0]}")
    known = set(every)
    folded: dict[str, list[str]] = {}
    for unit in every:
        folded.setdefault(match_key(unit), []).append(unit)
    wanted = set()
    for unit in units:
        if unit in known:
            wanted.add(unit)
        elif len(folded.get(match_key(unit), [])) == 1:  # "payments" for "Payments"
            wanted.add(folded[match_key(unit)][0])
        else:
            listed = ", ".join(map(repr, every[:8])) + (f" and {len(every) - 8} more" if len(every) > 8 else "")
            raise ReportError(f"unit {' '.join(str(unit).split())[:80]!r} is not in the assessment; its units: "
                              f"{listed}")
    shown = tuple(u for u in every if u in wanted)
    if len(shown) == len(every):
        return shown, f"All {len(every)} units"
    named = f": {', '.join(shown)}" if len(shown) <= _LISTED_UNITS else ""
    return shown, f"{len(shown)} of {len(every)} unit{'s' * (len(every) != 1)}{named}"
