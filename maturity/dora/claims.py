"""What a unit claims against what its pipeline shows: the self-assessed level of each area the model
maps to delivery metrics (the rubric's ``metrics``, e.g. CDMM's Build & Deploy → deployment frequency,
lead time, recovery time; Test & Verification → change fail rate) beside where the unit's measured
metrics lie in a report year's ranges.

Both are put on 0–1 so they can be set side by side: the claim as the share of the model's scale
climbed ((level − lowest) / (highest − lowest)), the measurement as
:func:`~maturity.dora.clusters.observed_score` (0 at the year's worst edge, 1 at its best, by each
metric's own direction), averaged over the area's metrics given. A unit × area whose claim is
:data:`MISMATCH` or more above its measurement "claims more than it measures"; as far below, it
"measures more than it claims". Units are joined by name, case and punctuation aside; a unit in one
table and not the other is listed, never dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..rubric import Rubric, match_key
from .clusters import TIERED_METRICS, observed_score
from .read import METRIC_COLUMNS

__all__ = ["CLAIM_COLUMNS", "MISMATCH", "UnitJoin", "claimed_vs_observed", "join_units"]

# A quarter of the scale: one level of CDMM's five (four steps), a little more than one of SAMM's.
MISMATCH = 0.25
CLAIM_COLUMNS = ("unit", "dimension", "dimension_name", "claimed_level", "claimed_score", "metrics",
                 "observed_score", "difference", "verdict", "tier", "year")
CLAIMS_MORE = "claims more than it measures"
MEASURES_MORE = "measures more than it claims"
CONSISTENT = "consistent"


@dataclass(frozen=True)
class UnitJoin:
    """Units of an assessment and of a metrics table, joined by name: ``matched`` maps a metrics unit to
    the assessment's spelling of it; the others are in one table only."""

    matched: dict[str, str]
    only_assessment: tuple[str, ...]
    only_metrics: tuple[str, ...]


def join_units(assessment_units: list[str], metric_units: list[str]) -> UnitJoin:
    """Join units by name, case, spacing and punctuation aside ('Risk & Compliance' = 'risk and compliance')."""
    by_key = {match_key(u): u for u in assessment_units}
    matched = {u: by_key[match_key(u)] for u in metric_units if match_key(u) in by_key}
    taken = set(matched.values())
    return UnitJoin(matched, tuple(u for u in assessment_units if u not in taken),
                    tuple(u for u in metric_units if u not in matched))


def claimed_vs_observed(normalized: pd.DataFrame, rubric: Rubric, placed: pd.DataFrame,
                        threshold: float = MISMATCH) -> pd.DataFrame:
    """One row per unit in both tables and area the rubric maps to metrics (:data:`CLAIM_COLUMNS`).

    ``normalized`` is an assessment's normalized rows, ``placed`` a metrics table with one row per unit
    passed through :func:`~maturity.dora.clusters.place`. A row whose area has no level, or whose unit
    measured none of the area's metrics, has no verdict. Empty when the rubric maps no area.
    """
    areas = {area: tuple(m for m in metrics if m in TIERED_METRICS) for area, metrics in rubric.metrics}
    areas = {area: metrics for area, metrics in areas.items() if metrics}
    if not areas or placed.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in CLAIM_COLUMNS})
    join = join_units(list(pd.unique(normalized["unit"])), list(placed["unit"]))
    levels = (normalized[normalized["dimension"].isin(list(areas))]
              .groupby(["unit", "dimension"])["current_level"].mean())
    span = rubric.highest - rubric.lowest
    names = {d.id: d.name for d in rubric.dimensions}
    rows = []
    for measured in placed.itertuples(index=False):
        unit = join.matched.get(measured.unit)
        if unit is None:
            continue
        year = int(measured.year)
        for area, metrics in areas.items():
            level = levels.get((unit, area), np.nan)
            scores = {m: observed_score(getattr(measured, METRIC_COLUMNS[m], None), m, year) for m in metrics}
            given = [m for m, s in scores.items() if s is not None]
            claimed = (level - rubric.lowest) / span if not np.isnan(level) else np.nan
            observed = float(np.mean([scores[m] for m in given])) if given else np.nan
            difference = claimed - observed
            if np.isnan(difference):
                verdict = None
            elif difference >= threshold - 1e-9:
                verdict = CLAIMS_MORE
            elif difference <= -threshold + 1e-9:
                verdict = MEASURES_MORE
            else:
                verdict = CONSISTENT
            rows.append({"unit": unit, "dimension": area, "dimension_name": names[area],
                         "claimed_level": round(float(level), 2) if not np.isnan(level) else np.nan,
                         "claimed_score": round(claimed, 3), "metrics": ", ".join(given),
                         "observed_score": round(observed, 3), "difference": round(difference, 3),
                         "verdict": verdict, "tier": measured.tier, "year": year})
    return pd.DataFrame(rows, columns=list(CLAIM_COLUMNS))
