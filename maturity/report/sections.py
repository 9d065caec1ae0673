"""The steering pack's sections, each built from an assessment's rows and roadmap: the headline figures,
the charts (each framed with its title, the organisation, the scope and the date), the roadmap's first
phase, per area the next level, the units' figures, what moved since the previous snapshot, how the
file was read and its problem rows."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .. import charts
from ..asof import AsOf
from ..normalize import Assessment
from ..roadmap import WHOLE_DIMENSION
from .model import (
    AREA_PRACTICES,
    FIGURE_HEIGHT,
    MOVED_ROWS,
    PHASE_ROWS,
    PROBLEM_KINDS,
    TOP_UNITS,
    Chart,
    Table,
)

__all__ = [
    "areas_section",
    "charts_section",
    "headline_section",
    "moved_section",
    "phase_section",
    "problems_section",
    "reading_section",
    "unit_figures_section",
]

def _level(value: float, rubric) -> str:
    return "no data" if value is None or math.isnan(value) else f"{value:.1f} · {charts.level_words(value, rubric)}"


def headline_section(rows: pd.DataFrame, roadmap: pd.DataFrame, assessment: Assessment) -> tuple[tuple[str, str], ...]:
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


def charts_section(rows: pd.DataFrame, assessment: Assessment, shown: tuple[str, ...],
                   subtitle: str) -> tuple[Chart, ...]:
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


def phase_section(roadmap: pd.DataFrame) -> Table:
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


def areas_section(rows: pd.DataFrame, assessment: Assessment) -> Table:
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


def unit_figures_section(rows: pd.DataFrame, roadmap: pd.DataFrame, assessment: Assessment,
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


def moved_section(store, access, org: str, as_of: AsOf, rows: pd.DataFrame, shown: tuple[str, ...],
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


def reading_section(assessment: Assessment) -> tuple[tuple[str, str], ...]:
    problems = assessment.rows_with_problems
    normalized = len(assessment.normalized)
    warned = int(assessment.normalized["warning"].notna().sum()) if "warning" in assessment.normalized else 0
    return (("Rows read", f"{normalized + problems}"), ("Rows used", f"{normalized}"),
            ("Rows with problems (not used)", f"{problems}"), ("Rows used with a warning", f"{warned}"))


def problems_section(assessment: Assessment) -> Table:
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
