"""DORA's software delivery metrics beside a maturity assessment: reading a metrics table as people
write it (:mod:`.parse`, :mod:`.read`), placing each unit in a report year's performance clusters
(:mod:`.clusters`), and what a unit claims against what it measures (:mod:`.claims`).

Pure Python and pandas, like the rest of the engine; the words and the cluster tables are data
(``vocabulary.yaml``, ``clusters.yaml``).
"""

from __future__ import annotations

from .clusters import LATEST_YEAR, PLACED_COLUMNS, available_years, cluster_year, metric_tier, observed_score, place
from .parse import parse_header, parse_value
from .read import METRIC_COLUMNS, MetricsTable, latest, parse_period, read_metrics, read_metrics_workbook

__all__ = ["LATEST_YEAR", "METRIC_COLUMNS", "PLACED_COLUMNS", "MetricsTable", "available_years", "cluster_year",
           "latest", "metric_tier", "observed_score", "parse_header", "parse_period", "parse_value", "place",
           "read_metrics", "read_metrics_workbook"]
