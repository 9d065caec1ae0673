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
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePath

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .. import __version__, charts
from ..asof import AsOf, find_as_of, parse_as_of_text
from ..errors import ReportError
from ..normalize import Assessment
from ..reader import RawWorkbook
from ..roadmap import WHOLE_DIMENSION, build_roadmap
from ..rubric import match_key

__all__ = ["PHASE_ROWS", "TOP_UNITS", "Chart", "Pack", "Stated", "Table", "build_pack"]

TOP_UNITS = 25  # units ranked in one chart, and units on one heatmap page
PHASE_ROWS = 36  # the first phase's steps listed (in rank order)
AREA_PRACTICES = 6  # practices named per area, then "+N more"
MOVED_ROWS = 15  # unit × area changes listed, the largest first
PROBLEM_KINDS = 8
FIGURE_HEIGHT = 660  # pixels: a slide's picture box, and a printed page's chart
_LISTED_UNITS = 4  # a scope of up to this many units is named in full


@dataclass(frozen=True)
class Stated:
    """A value the pack shows, and where it came from ("as given", "read from cell A3 of sheet 'X'")."""

    value: str
    source: str


@dataclass(frozen=True)
class Chart:
    """A chart of the pack: ``title`` (plain text, the slide's title too), the plotly ``figure`` with its
    title, organisation, scope and date drawn in, and a ``note`` shown beside it (may be empty)."""

    title: str
    figure: go.Figure
    note: str = ""


@dataclass(frozen=True)
class Table:
    """A table of the pack: ``frame`` holds text cells under the headers shown; ``note`` may be empty."""

    title: str
    frame: pd.DataFrame
    note: str = ""


@dataclass(frozen=True, eq=False)
class Pack:
    """The steering pack's content, as :func:`build_pack` builds it; :func:`maturity.report.pack_bytes`
    writes it."""

    organisation: Stated
    as_of: Stated
    as_of_date: AsOf
    scope: str  # "All 6 units", "2 of 6 units: Payments, Lending"
    units: tuple[str, ...]  # the units shown, in the file's order
    total_units: int
    model: str
    sources: tuple[str, ...]
    headline: tuple[tuple[str, str], ...]
    charts: tuple[Chart, ...]  # the radar, the heatmap pages, the units ranked
    phase: Table  # the roadmap's first phase, with owners
    areas: Table  # per area: the next level and its practices
    unit_figures: Table  # every unit shown with its averages
    moved: Table | None  # what moved since the previous snapshot; None without one
    reading: tuple[tuple[str, str], ...]  # rows read, normalized, with problems, with warnings
    problems: Table  # the problem rows by kind
    made_on: date
    version: str = __version__

    @property
    def subtitle(self) -> str:
        """The line every chart and slide carries: organisation · scope · as-of date."""
        return f"{self.organisation.value} · {self.scope} · as of {self.as_of_date.text}"


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
        headline=_headline(rows, roadmap, assessment),
        charts=_charts(rows, assessment, shown, subtitle),
        phase=_phase(roadmap),
        areas=_areas(rows, assessment),
        unit_figures=_unit_figures(rows, roadmap, assessment, shown),
        moved=None if store is None else _moved(store, access, organisation.value, stated_date, rows, shown,
                                                assessment),
        reading=_reading(assessment),
        problems=_problems(assessment),
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


def _level(value: float, rubric) -> str:
    return "no data" if value is None or math.isnan(value) else f"{value:.1f} · {charts.level_words(value, rubric)}"


def _headline(rows: pd.DataFrame, roadmap: pd.DataFrame, assessment: Assessment) -> tuple[tuple[str, str], ...]:
    rubric = assessment.rubric
    figures = charts.headline(rows, rubric)
    phases = int(roadmap["phase"].max()) if len(roadmap) else 0
    first = int((roadmap["phase"] == 1).sum()) if len(roadmap) else 0
    lines = [
        ("Units", f"{figures['units']}"),
        ("Practices assessed", f"{figures['practices']}"),
        ("Average current level", _level(figures["current"], rubric)),
        ("Average target level", _level(figures["target"], rubric)),
        ("Average gap", "no data" if math.isnan(figures["gap"]) else f"{figures['gap']:.1f} levels to climb"),
        ("Roadmap steps", f"{len(roadmap)} in {phases} phase{'s' * (phases != 1)}; {first} in phase 1"),
    ]
    means = charts.dimension_averages(rows, rubric)
    if means["gap"].notna().any() and means["gap"].max() > 0:
        widest = means.loc[means["gap"].idxmax()]
        lines.append(("Area with the largest gap", f"{widest['dimension_name']} ({widest['gap']:.1f} levels)"))
    unit_gap = _unit_means(rows)["gap"]
    if figures["units"] > 1 and unit_gap.notna().any():
        lines.append(("Unit with the largest gap", f"{unit_gap.idxmax()} ({unit_gap.max():.1f} levels)"))
    return tuple(lines)


def _applying(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows that apply as ``unit, dimension, practice, current, target, gap`` (floats; the gap is the
    levels still to climb, 0 at or above target), as the charts count them."""
    if "applicable" in rows:
        rows = rows[rows["applicable"].astype(bool)]
    current = pd.to_numeric(rows["current_level"], errors="coerce").astype(float)
    target = pd.to_numeric(rows["target_level"], errors="coerce").astype(float)
    return pd.DataFrame({"unit": rows["unit"], "dimension": rows["dimension"], "practice": rows["practice"],
                         "current": current, "target": target, "gap": (target - current).clip(lower=0)})


def _unit_means(rows: pd.DataFrame) -> pd.DataFrame:
    """Per unit (in the file's order): ``practices`` that apply and the mean ``current``, ``target``, ``gap``."""
    return _applying(rows).groupby("unit", sort=False).agg(
        practices=("unit", "size"), current=("current", "mean"), target=("target", "mean"), gap=("gap", "mean"))


def _number(value: float) -> str:
    return "–" if value is None or pd.isna(value) else f"{value:.1f}"


def _framed(figure: go.Figure, title: str, subtitle: str) -> go.Figure:
    """``figure`` with ``title`` and ``subtitle`` (organisation · scope · date) drawn in it, on white, at
    the pack's height: a picture of it says what it shows."""
    figure.update_layout(
        title=dict(text=f"<b>{charts.label(title)}</b>", x=0.01, xanchor="left", y=0.98, yanchor="top",
                   font=dict(size=22, color="#1F2937"),
                   subtitle=dict(text=charts.label(subtitle), font=dict(size=14, color="#4B5563"))),
        margin=dict(t=96), height=FIGURE_HEIGHT, paper_bgcolor="white", plot_bgcolor="white",
    )
    return figure


def _charts(rows: pd.DataFrame, assessment: Assessment, shown: tuple[str, ...], subtitle: str) -> tuple[Chart, ...]:
    rubric = assessment.rubric
    radar = charts.radar(rows, rubric, unit=shown[0] if len(shown) == 1 else None)  # one unit: values written
    made = [Chart("Current and target level by area", _framed(radar, "Current and target level by area", subtitle),
                  "Average over the practices that apply, per area of the model.")]
    pages = [shown[i:i + TOP_UNITS] for i in range(0, len(shown), TOP_UNITS)] or [()]
    for number, page in enumerate(pages, 1):
        part = rows if len(pages) == 1 else rows[rows["unit"].isin(page)]
        title = "Gap by unit and area" if len(pages) == 1 else f"Gap by unit and area ({number} of {len(pages)})"
        note = "Levels still to climb, averaged per unit and area; 0 where a unit is at or above its target."
        if len(pages) > 1:
            note = f"Units {1 + (number - 1) * TOP_UNITS}–{(number - 1) * TOP_UNITS + len(page)} of {len(shown)}, " \
                   f"in the file's order. {note}"
        made.append(Chart(title, _framed(charts.gap_heatmap(part, rubric), title, subtitle), note))
    if len(shown) > 1:
        title = "Units ranked by gap"
        note = "Average levels still to climb per unit, largest first."
        if len(shown) > TOP_UNITS:
            title = f"The {TOP_UNITS} units with the largest gap"
            note = (f"The {TOP_UNITS} of {len(shown)} units with the largest average gap, largest first; every unit "
                    "is on the heatmap pages and in the table of units.")
        made.append(Chart(title, _framed(charts.gap_ranking(rows, rubric, top=TOP_UNITS), title, subtitle), note))
    return tuple(made)


def _text(value: object, empty: str = "") -> str:
    return empty if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _phase(roadmap: pd.DataFrame) -> Table:
    first = roadmap[roadmap["phase"] == 1] if len(roadmap) else roadmap
    listed = first.head(PHASE_ROWS)
    frame = pd.DataFrame({
        "Rank": [str(int(r)) for r in listed["rank"]],
        "Unit": [_text(u) for u in listed["unit"]],
        "Area": [_text(d) for d in listed["dimension_name"]],
        "Practice": [_text(p) for p in listed["practice"]],
        "Step": [f"{_text(a)} → {_text(b)}" for a, b in zip(listed["from_label"], listed["to_label"], strict=True)],
        "Owner": [_text(o, "not named") for o in listed["owner"]],
        "Effort": [_text(e) for e in listed["effort"]],
    })
    owners = first["owner"].dropna().astype(str).str.strip()
    unowned = len(first) - int((owners != "").sum())
    note = (f"{len(first)} step{'s' * (len(first) != 1)} in phase 1, each taking a unit to the lowest level it "
            "still misses; ranked by gap, priority and effort")
    if len(first) > PHASE_ROWS:
        note += f"; the first {PHASE_ROWS} are listed"
    note += f". Owners named: {owners[owners != ''].nunique()}"
    if unowned:
        note += f"; {unowned} step{'s' * (unowned != 1)} without an owner"
    return Table("Roadmap: the first phase", frame, note + ". The whole roadmap is the roadmap CSV.")


def _areas(rows: pd.DataFrame, assessment: Assessment) -> Table:
    rubric = assessment.rubric
    means = charts.dimension_averages(rows, rubric)
    by_unit = charts.dimension_averages(rows, rubric, by_unit=True)
    applying = _applying(rows)
    records = []
    for dimension, mean in zip(rubric.dimensions, means.itertuples(index=False), strict=True):
        if not mean.practices or math.isnan(mean.current):
            records.append((dimension.name, "not assessed", "", "", ""))
            continue
        if math.isnan(mean.gap) or mean.gap <= 0:
            records.append((dimension.name, f"{mean.current:.1f}", "at target", "", ""))
            continue
        level = min(math.floor(mean.current + 1e-9) + 1, rubric.highest)
        units = by_unit[by_unit["dimension"] == dimension.id]
        below = int((units["current"] < level).sum())
        assessed = int(units["current"].notna().sum())
        names = [p.label for p in rubric.practices_at(dimension.id, level)]
        if not rubric.practice_count:  # the file's own model: its practices still below that level
            below_level = applying[(applying["dimension"] == dimension.id) & (applying["current"] < level)]
            names = [p for p in pd.unique(below_level["practice"].dropna()) if p != WHOLE_DIMENSION]
        listed = "; ".join(map(str, names[:AREA_PRACTICES]))
        if len(names) > AREA_PRACTICES:
            listed += f" (+{len(names) - AREA_PRACTICES} more)"
        records.append((dimension.name, f"{mean.current:.1f}", f"{level} · {rubric.level_name(level)}",
                        f"{below} of {assessed}", listed or "none listed by the model"))
    frame = pd.DataFrame(records, columns=["Area", "Now (average)", "Next level", "Units below it",
                                           "Practices of that level"])
    return Table("Per area: the next level and its practices", frame,
                 "The next level is the one above the area's average current level; the practices are the "
                 "model's for that level" + ("" if rubric.practice_count else " (the file's own model names none: "
                                             "listed are the file's practices still below it)") + ".")


def _unit_figures(rows: pd.DataFrame, roadmap: pd.DataFrame, assessment: Assessment,
                  shown: tuple[str, ...]) -> Table:
    means = _unit_means(rows).reindex(list(shown))
    steps = roadmap["unit"].value_counts() if len(roadmap) else pd.Series(dtype=int)
    frame = pd.DataFrame({
        "Unit": list(shown),
        "Practices": [str(int(n)) for n in means["practices"].fillna(0)],
        "Current": [_number(v) for v in means["current"]],
        "Target": [_number(v) for v in means["target"]],
        "Gap": [_number(v) for v in means["gap"]],
        "Roadmap steps": [str(int(steps.get(unit, 0))) for unit in shown],
    })
    return Table("Every unit", frame, "Average levels over the practices that apply, in the file's order.")


def _moved(store, access, org: str, as_of: AsOf, rows: pd.DataFrame, shown: tuple[str, ...],
           assessment: Assessment) -> Table | None:
    """What moved per unit × area since the latest snapshot of ``org`` before the as-of date; None when
    the store holds none."""
    from ..store import area_levels, compare, snapshot_infos, snapshot_levels

    reading = {} if access is None else {"access": access}
    earlier = [info for info in snapshot_infos(store, org, **reading) if info.as_of < as_of.start]
    if not earlier:
        return None
    previous = max(earlier, key=lambda info: (info.as_of, info.id))
    before = snapshot_levels(store, previous.id, **reading)
    if len(shown) < len(assessment.units):
        before = before[before["unit"].isin(shown)]
    compared = compare(before, area_levels(rows))
    counts = compared["status"].value_counts()
    moved = compared[compared["status"] != "unchanged"]
    order = np.argsort(-moved["change"].abs().fillna(-1).to_numpy(), kind="stable")
    listed = moved.iloc[order[:MOVED_ROWS]]
    frame = pd.DataFrame({
        "Unit": [_text(u) for u in listed["unit"]],
        "Area": [_text(d) for d in listed["dimension_name"]],
        "Current before": [_number(v) for v in listed["current_before"]],
        "Current now": [_number(v) for v in listed["current_after"]],
        "Change": ["–" if pd.isna(v) else f"{v:+.1f}" for v in listed["change"]],
        "Status": [_text(s) for s in listed["status"]],
    })
    name = f"{previous.label} ({previous.as_of.isoformat()})" if previous.label else previous.as_of.isoformat()
    said = ", ".join(f"{int(counts[s])} {s}" for s in ("improved", "regressed", "unchanged", "added", "removed")
                     if s in counts)
    note = f"Units × areas against snapshot {previous.id}, {name}: {said}."
    if len(moved) > MOVED_ROWS:
        note += f" The {MOVED_ROWS} largest changes are listed."
    if not len(moved):
        note += " Nothing moved."
    return Table(f"What moved since {name}", frame, note)


def _reading(assessment: Assessment) -> tuple[tuple[str, str], ...]:
    problems = assessment.rows_with_problems
    normalized = len(assessment.normalized)
    warned = int(assessment.normalized["warning"].notna().sum()) if "warning" in assessment.normalized else 0
    return (("Rows read", f"{normalized + problems}"), ("Rows used", f"{normalized}"),
            ("Rows with problems (not used)", f"{problems}"), ("Rows used with a warning", f"{warned}"))


def _problems(assessment: Assessment) -> Table:
    problems = assessment.problems
    if not len(problems):
        return Table("Problem rows", pd.DataFrame(columns=["Problem", "Rows", "First at"]), "No row had a problem.")
    kinds = problems.groupby("problem", sort=False).agg(rows=("source_row", "size"), sheet=("source_sheet", "first"),
                                                        cell=("cell", "first"))
    kinds = kinds.sort_values("rows", ascending=False, kind="stable")
    listed = kinds.head(PROBLEM_KINDS)
    frame = pd.DataFrame({
        "Problem": [str(p) for p in listed.index],
        "Rows": [str(int(n)) for n in listed["rows"]],
        "First at": [f"sheet {_text(s)!r}, cell {_text(c)}" for s, c in zip(listed["sheet"], listed["cell"],
                                                                           strict=True)],
    })
    more = f" The {PROBLEM_KINDS} most frequent of {len(kinds)} kinds are listed." if len(kinds) > PROBLEM_KINDS else ""
    return Table("Problem rows", frame, "Every row with a problem, for the whole file whatever the scope, is in the "
                                        f"problems CSV.{more}")
