"""Assessment → a prioritized roadmap: one step per level to climb, foundations first.

Order: by phase (phase 1 is every step to the lowest level a unit still misses), then by the level
the step reaches, then by ``priority_score``. So within a unit a lower level always comes before a
higher one, and a practice's step k+1 always comes after its step k. The score's parts are columns,
so a reader can see why a step ranks where it does.

Measured delivery may take part, off unless asked for: given each unit × area's measured delivery
(``observed_score`` 0–1 from :func:`maturity.dora.claims.claimed_vs_observed`), a step in an area whose
pipeline measures weak gains up to :data:`DELIVERY_WEIGHT` points, shown as its own ``score_delivery``
column.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .distinct import map_distinct
from .normalize import Assessment
from .rubric import match_key
from .vocabulary import effort_words, priority_words

__all__ = ["DELIVERY_WEIGHT", "NO_PRACTICES", "ROADMAP_COLUMNS", "WHOLE_DIMENSION", "build_roadmap", "delivery_points",
           "effort_points", "priority_points"]

ROADMAP_COLUMNS = (
    "rank",
    "phase",
    "unit",
    "dimension",
    "dimension_name",
    "practice",
    "from_level",
    "to_level",
    "from_label",
    "to_label",
    "level_share",
    "priority_score",
    "score_gap",
    "score_priority",
    "score_effort",
    "priority",
    "effort",
    "owner",
    "actions",
    "practice_id",
    "source_sheet",
    "source_row",
)
WHOLE_DIMENSION = "(whole dimension)"
NO_PRACTICES = "(the file's own model defines no practices)"

# Points per sheet value (vocabulary.yaml's priority_words and effort_words): the score adds gap +
# priority and subtracts effort, so a big, important, cheap step ranks first among the steps of the
# same phase and level.
_NEUTRAL_PRIORITY = 2
_NEUTRAL_EFFORT = 2
PRIORITY_WEIGHT = 1.5
EFFORT_WEIGHT = 0.5
DELIVERY_WEIGHT = 2.0  # as much as a gap of two levels: measured weakness counts, without outranking the gap


def priority_points(values: pd.Series) -> pd.Series:
    """Sheet priorities as points 0–4 (High 3, Medium 2, Low 1, MoSCoW, P1–P3, numbers 1–5 with 1 first).

    Blank or unrecognised priorities count as Medium.
    """

    words = priority_words()

    def points(value: object) -> float:
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return _NEUTRAL_PRIORITY
        folded = match_key(value)
        if folded in words:
            return words[folded]
        try:
            number = float(folded.replace(" ", "."))
        except ValueError:
            return _NEUTRAL_PRIORITY
        return float(np.clip(5 - number, 0, 4)) if 1 <= number <= 5 else _NEUTRAL_PRIORITY

    return map_distinct(values, points).astype(float)


def effort_points(values: pd.Series) -> pd.Series:
    """Sheet efforts as points (S 1, M 2, L 3, XL 4; Low/Medium/High; numbers ranked into 1–4)."""
    folded = map_distinct(values, lambda v: match_key(v) if isinstance(v, str) else v)
    words = effort_words()
    named = map_distinct(folded, lambda v: words.get(v) if isinstance(v, str) else None).astype(float)
    numbers = pd.to_numeric(folded.where(named.isna()), errors="coerce")
    if numbers.notna().any():
        # Numbers (days, story points) are only comparable within one sheet: rank them into 1–4.
        named = named.fillna(np.ceil(numbers.rank(pct=True) * 4).clip(1, 4))
    return named.fillna(_NEUTRAL_EFFORT).astype(float)


def delivery_points(units: pd.Series, dimensions: pd.Series, delivery: pd.DataFrame) -> pd.Series:
    """Points 0–1 per step for how weak its unit's measured delivery is in its area: 1 − ``observed_score``
    of the ``delivery`` row (columns unit, dimension, observed_score) for the same unit and dimension, 0
    where the area has no measurement."""
    measured = delivery.dropna(subset=["observed_score"])
    weakness = {(u, d): 1.0 - float(s) for u, d, s in
                zip(measured["unit"], measured["dimension"], measured["observed_score"], strict=True)}
    return pd.Series([weakness.get(key, 0.0) for key in zip(units, dimensions, strict=True)], index=units.index,
                     dtype=float)


def build_roadmap(assessment: Assessment, delivery: pd.DataFrame | None = None) -> pd.DataFrame:
    """The ordered roadmap steps of ``assessment`` with the columns in :data:`ROADMAP_COLUMNS`, against
    the rubric the assessment was read with; with ``delivery`` (each unit × area's ``observed_score``,
    see :func:`delivery_points`), a ``score_delivery`` column after ``score_effort``, part of the score.

    One step per level to climb: a fractional score (SAMM's 1.625 → 2.375) gets a step that completes
    level 2 and one into level 3, ``level_share`` saying how much of its level each covers (1 for a
    whole level). Nothing is planned where current ≥ target, where a level is missing, or where a row
    is marked not applicable.
    """
    rubric = assessment.rubric
    rows = assessment.normalized
    climbs = rows["applicable"].astype(bool) & (rows["gap"] > 0).fillna(False)
    rows = rows[climbs].reset_index(drop=True)
    columns = list(ROADMAP_COLUMNS)
    if delivery is not None:
        columns.insert(columns.index("score_effort") + 1, "score_delivery")
    if rows.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    current = rows["current_level"].to_numpy(dtype=float)
    target = rows["target_level"].to_numpy(dtype=float)
    first_level = np.floor(current).astype(int) + 1  # the first level still to reach
    count = np.ceil(target).astype(int) - first_level + 1
    steps = rows.loc[rows.index.repeat(count)].copy()
    offset = steps.groupby(level=0).cumcount().to_numpy()
    level = np.repeat(first_level, count) + offset
    starts = np.maximum(np.repeat(current, count), level - 1)
    ends = np.minimum(np.repeat(target, count), level)
    steps = steps.reset_index(drop=True)
    if rubric.fractional:
        steps["from_level"], steps["to_level"] = starts, ends
        steps["from_label"] = [rubric.score_name(v) for v in starts]
    else:
        steps["from_level"], steps["to_level"] = (level - 1), level
        steps["from_label"] = steps["from_level"].map({lv.level: lv.name for lv in rubric.levels})
    steps["_level"] = level
    steps["to_label"] = steps["_level"].map({lv.level: lv.name for lv in rubric.levels})
    steps["level_share"] = np.round(ends - starts, 4)
    steps["practice"] = steps["practice"].fillna(WHOLE_DIMENSION)

    for column in ("priority", "effort", "owner"):
        if column not in steps:
            steps[column] = None
    steps["score_gap"] = steps["gap"].astype(float)
    steps["score_priority"] = priority_points(steps["priority"]) * PRIORITY_WEIGHT
    steps["score_effort"] = -effort_points(steps["effort"]) * EFFORT_WEIGHT
    score = steps["score_gap"] + steps["score_priority"] + steps["score_effort"]
    if delivery is not None:
        steps["score_delivery"] = (delivery_points(steps["unit"], steps["dimension"], delivery)
                                   * DELIVERY_WEIGHT).round(2)
        score = score + steps["score_delivery"]
    steps["priority_score"] = score.round(2)

    lowest_missing = steps.groupby("unit", sort=False)["_level"].transform("min")
    steps["phase"] = (steps["_level"] - lowest_missing + 1).astype(int)
    if rubric.practice_count:
        actions = {
            (d.id, lv.level): "; ".join(p.label for p in rubric.practices_at(d.id, lv.level))
            for d in rubric.dimensions
            for lv in rubric.levels
        }
        steps["actions"] = [actions.get(key, "") for key in zip(steps["dimension"], steps["_level"], strict=True)]
    else:
        steps["actions"] = NO_PRACTICES

    dimension_order = {d: i for i, d in enumerate(rubric.dimension_ids)}
    unit_order = {u: i for i, u in enumerate(pd.unique(rows["unit"]))}
    steps["_dimension_order"] = steps["dimension"].map(dimension_order)
    steps["_unit_order"] = steps["unit"].map(unit_order)
    steps = steps.sort_values(
        ["phase", "_level", "priority_score", "_unit_order", "_dimension_order", "source_sheet", "source_row"],
        ascending=[True, True, False, True, True, True, True],
        kind="stable",
    ).reset_index(drop=True)
    steps["rank"] = np.arange(1, len(steps) + 1)
    if "practice_id" not in steps:
        steps["practice_id"] = None
    return steps[columns]
