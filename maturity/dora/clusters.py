"""DORA's performance clusters of a report year (``clusters.yaml``: the 2023 and 2024 tables of the
rubric reference, §4.2–4.3) and placing a unit's measured metrics in them.

* **Per metric**, a tier: the cluster whose range holds the value. Deployment frequency and lead time
  are bands that tile the scale; change fail rate and recovery time are matched to the **nearest**
  cluster's value or range (§4.4), because 2024's Medium has a lower change fail rate (10%) than its
  High (20%): nothing here assumes a metric improves from Low to Elite. A value beyond every range takes
  the nearest; clusters that give a metric the same range (2023's Medium and Low throughput, 2024's
  High and Medium recovery) are both named, best first: 'medium/low'.
* **Overall**, the nearest cluster over the metrics given: per metric the distance from the value to
  the cluster's range (on a log scale for frequencies and times, linear for rates), divided by the
  span of the year's ranges so each metric weighs the same, then the root mean square. The distance to
  the nearest cluster and to the next one are both kept, so a borderline unit looks borderline.

Every result carries its report year: the clusters describe that year's respondents, move every year,
and are not targets.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from ..yamldata import load_data_file
from .read import METRIC_COLUMNS
from .words import number

__all__ = ["LATEST_YEAR", "PLACED_COLUMNS", "TIERED_METRICS", "ClusterYear", "MetricRange", "available_years",
           "cluster_year", "metric_tier", "observed_score", "place"]

_PATH = Path(__file__).with_name("clusters.yaml")
_TIE = 1e-9
_EDGE = 1e-6


@dataclass(frozen=True)
class MetricRange:
    """One cluster's range for one metric, [low, high) in the metric's unit (None: open), and the words of
    the report's table."""

    low: float | None
    high: float | None
    words: str

    def holds(self, value: float) -> bool:
        if self.low is not None and self.high is not None and self.low == self.high:
            return math.isclose(value, self.low)
        return (self.low is None or value >= self.low) and (self.high is None or value < self.high)


@dataclass(frozen=True)
class MetricSpec:
    name: str
    unit: str
    method: str  # "bands" | "nearest"
    scale: str  # "log" | "linear"
    better: str  # "higher" | "lower"


@dataclass(frozen=True)
class ClusterYear:
    """The clusters of one report year: ``ranges[tier][metric]``, ``shares[tier]`` of respondents."""

    year: int
    report: str
    source: str
    tiers: tuple[str, ...]
    metrics: dict[str, MetricSpec]
    ranges: dict[str, dict[str, MetricRange]]
    shares: dict[str, float]

    def _position(self, metric: str, value: float) -> float:
        if self.metrics[metric].scale == "log":
            return math.log10(max(value, 1e-9))
        return value

    def ends(self, metric: str) -> tuple[float, float]:
        """The lowest and highest finite edge of the year's ranges for ``metric`` (its span)."""
        edges = [e for tier in self.tiers for e in (self.ranges[tier][metric].low, self.ranges[tier][metric].high)
                 if e is not None and (self.metrics[metric].scale == "linear" or e > 0)]
        return min(edges), max(edges)

    def distance(self, metric: str, value: float, tier: str) -> float:
        """How far ``value`` lies from ``tier``'s range for ``metric``, as a share of the year's span (0 inside)."""
        spread = self.ends(metric)
        span = self._position(metric, spread[1]) - self._position(metric, spread[0])
        where = self.ranges[tier][metric]
        if where.holds(value):
            return 0.0
        point = self._position(metric, value)
        if where.low is not None and value < where.low:
            gap = self._position(metric, where.low) - point
        elif where.high is not None:
            gap = point - self._position(metric, where.high)
        else:
            gap = 0.0
        # A value on a range's open upper edge lies in the next range up: a hair outside this one, so the
        # range that holds it is the nearest.
        return max(abs(gap) / span if span else abs(gap), _EDGE)


def _range(entry: dict, where: str) -> MetricRange:
    if "value" in entry:
        value = number(entry["value"])
        return MetricRange(value, value, str(entry.get("words", "")))
    if "from" not in entry and "to" not in entry:
        raise ValueError(f"{_PATH.name}: {where} needs a value, or a from and/or a to")
    low = number(entry["from"]) if "from" in entry else None
    high = number(entry["to"]) if "to" in entry else None
    if low is not None and high is not None and low >= high:
        raise ValueError(f"{_PATH.name}: {where} runs from {low:g} to {high:g}")
    return MetricRange(low, high, str(entry.get("words", "")))


@cache
def _document() -> dict:
    return load_data_file(_PATH)


@cache
def cluster_year(year: int | None = None) -> ClusterYear:
    """The clusters of report ``year`` (None: :data:`LATEST_YEAR`).

    Raises ValueError for a year the data does not hold, or data that does not validate (a band metric
    whose ranges leave a gap).
    """
    document = _document()
    year = LATEST_YEAR if year is None else int(year)
    if year not in document["years"]:
        raise ValueError(f"no DORA cluster table for {year}: gapmap has {', '.join(map(str, available_years()))}")
    entry = document["years"][year]
    tiers = tuple(document["tiers"])
    metrics = {m: MetricSpec(**spec) for m, spec in document["metrics"].items()}
    ranges = {tier: {m: _range(entry["clusters"][tier][m], f"{year} {tier} {m}") for m in metrics} for tier in tiers}
    shares = {tier: float(entry["clusters"][tier].get("share", math.nan)) for tier in tiers}
    for metric, spec in metrics.items():
        if spec.method == "bands":  # bands tile the scale: sorted, each starts where the one below ends
            bands = sorted({(r[metric].low or 0.0, r[metric].high or math.inf) for r in ranges.values()})
            for (_, high), (low, _) in itertools.pairwise(bands):
                if not math.isclose(high, low):
                    raise ValueError(f"{_PATH.name}: {year} {metric}: the bands leave a gap or overlap at {high:g}")
    return ClusterYear(year, str(entry["report"]), str(entry["source"]), tiers, metrics, ranges, shares)


def available_years() -> tuple[int, ...]:
    """The report years gapmap has a cluster table for, latest first."""
    return tuple(sorted(_document()["years"], reverse=True))


LATEST_YEAR = max(_document()["years"])
TIERED_METRICS = tuple(_document()["metrics"])  # the metrics the clusters place (rework rate has no cluster yet)
PLACED_COLUMNS = (*(f"{m}_tier" for m in TIERED_METRICS), "tier", "distance", "runner_up", "runner_up_distance",
                  "metrics_used", "year")


def _nearest(distances: dict[str, float], tiers: tuple[str, ...]) -> list[str]:
    best = min(distances.values())
    return [t for t in tiers if distances[t] - best <= _TIE]


def metric_tier(value: float | None, metric: str, year: int | None = None) -> str | None:
    """The tier of one ``metric`` value (deploys per day, hours or a share) in report ``year``: the cluster
    whose range holds it, else the nearest; tied clusters joined best first ('medium/low'). None for None."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    clusters = cluster_year(year)
    holding = [t for t in clusters.tiers if clusters.ranges[t][metric].holds(value)]
    if not holding:
        holding = _nearest({t: clusters.distance(metric, value, t) for t in clusters.tiers}, clusters.tiers)
    return "/".join(holding)


def observed_score(value: float | None, metric: str, year: int | None = None) -> float | None:
    """Where ``value`` lies between the worst and best edge of the year's ranges for ``metric``, 0 to 1 (1
    best), by the metric's own direction (a lower fail rate is better, whatever the clusters' order)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    clusters = cluster_year(year)
    low, high = clusters.ends(metric)
    position = clusters._position
    share = (position(metric, value) - position(metric, low)) / (position(metric, high) - position(metric, low))
    share = min(max(share, 0.0), 1.0)
    return share if clusters.metrics[metric].better == "higher" else 1.0 - share


def place(table: pd.DataFrame, year: int | None = None) -> pd.DataFrame:
    """``table`` (a :class:`~maturity.dora.read.MetricsTable`'s, or any frame with its metric columns) with
    :data:`PLACED_COLUMNS` added: a tier per metric, the overall ``tier`` (nearest cluster over the
    metrics given), its ``distance``, the ``runner_up`` cluster and its distance, the metrics used and
    the report ``year``. A row without a placed metric has no tier."""
    clusters = cluster_year(year)
    placed = table.copy()
    columns = {m: METRIC_COLUMNS[m] for m in TIERED_METRICS}
    values = {m: placed[c].to_numpy(dtype=float) if c in placed else np.full(len(placed), np.nan)
              for m, c in columns.items()}
    for metric in TIERED_METRICS:
        placed[f"{metric}_tier"] = [metric_tier(v, metric, clusters.year) for v in values[metric]]
    overall, distance, runner, runner_distance, used = [], [], [], [], []
    for row in range(len(placed)):
        given = [m for m in TIERED_METRICS if not math.isnan(values[m][row])]
        if not given:
            overall.append(None), distance.append(np.nan), runner.append(None), runner_distance.append(np.nan)
            used.append("")
            continue
        distances = {t: math.sqrt(sum(clusters.distance(m, values[m][row], t) ** 2 for m in given) / len(given))
                     for t in clusters.tiers}
        nearest = _nearest(distances, clusters.tiers)
        others = {t: d for t, d in distances.items() if t not in nearest}
        second = _nearest(others, tuple(t for t in clusters.tiers if t in others)) if others else []
        overall.append("/".join(nearest))
        distance.append(round(distances[nearest[0]], 3))
        runner.append("/".join(second) or None)
        runner_distance.append(round(others[second[0]], 3) if second else np.nan)
        used.append(", ".join(given))
    placed["tier"], placed["distance"] = overall, distance
    placed["runner_up"], placed["runner_up_distance"] = runner, runner_distance
    placed["metrics_used"] = used
    placed["year"] = clusters.year
    return placed
