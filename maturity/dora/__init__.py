"""DORA's software delivery metrics beside a maturity assessment: reading a metrics table as people
write it (:mod:`.parse`, :mod:`.read`), placing each unit in a report year's performance clusters
(:mod:`.clusters`), and what a unit claims against what it measures (:mod:`.claims`).

Pure Python and pandas, like the rest of the engine; the words and the cluster tables are data
(``vocabulary.yaml``, ``clusters.yaml``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .clusters import (
        LATEST_YEAR,
        PLACED_COLUMNS,
        available_years,
        cluster_year,
        metric_tier,
        observed_score,
        place,
    )
    from .parse import parse_header, parse_value
    from .read import METRIC_COLUMNS, MetricsTable, latest, parse_period, read_metrics, read_metrics_workbook

__all__ = ["LATEST_YEAR", "METRIC_COLUMNS", "PLACED_COLUMNS", "MetricsTable", "available_years", "cluster_year",
           "latest", "metric_tier", "observed_score", "parse_header", "parse_period", "parse_value", "place",
           "read_metrics", "read_metrics_workbook"]

# Where each name lives: imported on first use, so the command line's registering ``dora`` (its
# cli module is in this package) costs every other command nothing (the cluster tables load 11 ms).
_HOMES = {**dict.fromkeys(("LATEST_YEAR", "PLACED_COLUMNS", "available_years", "cluster_year", "metric_tier",
                           "observed_score", "place"), "clusters"),
          **dict.fromkeys(("parse_header", "parse_value"), "parse"),
          **dict.fromkeys(("METRIC_COLUMNS", "MetricsTable", "latest", "parse_period", "read_metrics",
                           "read_metrics_workbook"), "read")}


def __getattr__(name: str):
    if name in _HOMES:
        return getattr(importlib.import_module(f".{_HOMES[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
