"""Placing measured metrics in DORA's clusters (maturity/dora/clusters.py), against the 2023 and 2024
tables of the rubric reference (§4.2, §4.3): teams plainly inside one cluster come out in it, per metric
and overall; change fail rate is matched to the nearest cluster, not to thresholds."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from maturity.dora import clusters
from maturity.dora.clusters import LATEST_YEAR, available_years, cluster_year, metric_tier, observed_score, place

HOUR, DAY, WEEK, MONTH = 1.0, 24.0, 168.0, 720.0


def team(per_day, lead_hours, fail_rate, recovery_hours, unit="team"):
    return {"unit": unit, "deployment_frequency_per_day": per_day, "change_lead_time_hours": lead_hours,
            "change_fail_rate": fail_rate, "recovery_time_hours": recovery_hours}


# (year, team, its tier per metric, its cluster): each value well inside its cluster's range in the table.
PLAINLY_INSIDE = [
    (2024, team(3, 4 * HOUR, 0.05, 0.5 * HOUR), ("elite", "elite", "elite", "elite"), "elite"),
    (2024, team(3 / 7, 3 * DAY, 0.20, 5 * HOUR), ("high", "high", "high", "high/medium"), "high"),
    (2024, team(2 / 30, 2 * WEEK, 0.10, 5 * HOUR), ("medium", "medium", "medium", "high/medium"), "medium"),
    (2024, team(1 / 60, 3 * MONTH, 0.40, 2 * WEEK), ("low", "low", "low", "low"), "low"),
    (2023, team(3, 4 * HOUR, 0.05, 0.5 * HOUR), ("elite", "elite", "elite", "elite"), "elite"),
    (2023, team(3 / 7, 3 * DAY, 0.10, 5 * HOUR), ("high", "high", "high", "high"), "high"),
    # 2023's Medium and Low share their throughput ranges: only stability tells them apart.
    (2023, team(2 / 30, 2 * WEEK, 0.15, 3 * DAY), ("medium/low", "medium/low", "medium", "medium"), "medium"),
    (2023, team(2 / 30, 2 * WEEK, 0.64, 3 * MONTH), ("medium/low", "medium/low", "low", "low"), "low"),
]


@pytest.mark.parametrize(("year", "measured", "per_metric", "cluster"), PLAINLY_INSIDE)
def test_a_team_plainly_inside_one_cluster_is_placed_in_it(year, measured, per_metric, cluster):
    placed = place(pd.DataFrame([measured]), year).iloc[0]
    assert tuple(placed[f"{m}_tier"] for m in clusters.TIERED_METRICS) == per_metric
    assert placed["tier"] == cluster
    assert placed["distance"] == 0
    assert placed["runner_up_distance"] > 0
    assert placed["year"] == year


def test_change_fail_rate_is_matched_to_the_nearest_cluster_not_a_threshold():
    # 2024: Medium's typical change fail rate (10%) is lower than High's (20%).
    assert [metric_tier(r, "change_fail_rate", 2024) for r in (0.04, 0.10, 0.12, 0.17, 0.20, 0.32, 0.55)] == [
        "elite", "medium", "medium", "high", "high", "low", "low"]
    assert metric_tier(0.15, "change_fail_rate", 2024) == "high/medium"  # halfway: both, said so
    # 2023 runs the other way round between High (10%) and Medium (15%).
    assert [metric_tier(r, "change_fail_rate", 2023) for r in (0.10, 0.14, 0.20, 0.50)] == [
        "high", "medium", "medium", "low"]


def test_overall_a_lower_fail_rate_alone_can_place_a_unit_in_a_lower_cluster():
    # The fail rate alone: 10% is Medium's and 20% High's in 2024, so the lower rate sits in the lower cluster.
    frame = pd.DataFrame({"unit": ["ten", "twenty"], "change_fail_rate": [0.10, 0.20]})
    assert list(place(frame, 2024)["tier"]) == ["medium", "high"]
    assert list(place(frame, 2023)["tier"]) == ["high", "medium"]


def test_high_throughput_with_a_medium_fail_rate_is_borderline_and_looks_it():
    placed = place(pd.DataFrame([team(3 / 7, 3 * DAY, 0.10, 5 * HOUR)]), 2024).iloc[0]
    assert placed["change_fail_rate_tier"] == "medium"
    assert placed["deployment_frequency_tier"] == placed["change_lead_time_tier"] == "high"
    assert {placed["tier"], placed["runner_up"]} == {"high", "medium"}
    assert 0 < placed["distance"] < placed["runner_up_distance"] < placed["distance"] + 0.05


@pytest.mark.parametrize(("metric", "value", "tier"), [
    ("deployment_frequency", 1.0, "elite"),  # once a day: Elite's band starts there
    ("deployment_frequency", 1 / 7, "high"),  # weekly
    ("deployment_frequency", 1 / 30, "medium"),  # monthly
    ("deployment_frequency", 1 / 365, "low"),  # below every band: the nearest, Low
    ("deployment_frequency", 50.0, "elite"),
    ("change_lead_time", 24.0, "high"),  # one day: High's band starts there
    ("change_lead_time", 168.0, "medium"),
    ("change_lead_time", 2 * 8760.0, "low"),
    ("recovery_time", 3 * DAY, "low"),  # between High/Medium (< 1 day) and Low (1 week to 1 month): nearer Low
    ("recovery_time", 30.0, "high/medium"),
])
def test_edges_and_values_beyond_every_range_2024(metric, value, tier):
    assert metric_tier(value, metric, 2024) == tier


def test_the_overall_tier_uses_only_the_metrics_given_and_says_which():
    frame = pd.DataFrame([{"unit": "a", "change_lead_time_hours": 3 * DAY},
                          {"unit": "b"}])
    placed = place(frame, 2024)
    assert placed.loc[0, "tier"] == "high" and placed.loc[0, "metrics_used"] == "change_lead_time"
    assert pd.isna(placed.loc[0, "deployment_frequency_tier"])
    assert pd.isna(placed.loc[1, "tier"]) and math.isnan(placed.loc[1, "distance"])


def test_a_borderline_unit_has_a_runner_up_close_behind():
    # Lead time 6.5 days (High, near Medium's edge) and deploys a little under weekly (Medium, near High's).
    placed = place(pd.DataFrame([team(1 / 8, 6.5 * DAY, None, None)]).astype({"change_fail_rate": float,
                                                                                "recovery_time_hours": float}), 2024)
    row = placed.iloc[0]
    assert {row["tier"], row["runner_up"]} == {"high", "medium"}
    assert row["runner_up_distance"] - row["distance"] < 0.05


def test_observed_score_follows_each_metrics_direction_not_the_clusters_order():
    assert observed_score(0.10, "change_fail_rate", 2024) > observed_score(0.20, "change_fail_rate", 2024)
    assert observed_score(5.0, "deployment_frequency", 2024) == 1.0
    assert observed_score(1 / 365, "deployment_frequency", 2024) == 0.0
    assert observed_score(12.0, "change_lead_time", 2024) == 1.0


def test_the_tables_are_the_references():
    latest = cluster_year()
    assert latest.year == LATEST_YEAR == 2024 and available_years() == (2024, 2023)
    rates = {y: {t: cluster_year(y).ranges[t]["change_fail_rate"].low for t in ("elite", "high", "medium", "low")}
             for y in (2023, 2024)}
    assert rates == {2024: {"elite": 0.05, "high": 0.20, "medium": 0.10, "low": 0.40},
                     2023: {"elite": 0.05, "high": 0.10, "medium": 0.15, "low": 0.64}}
    assert latest.ranges["low"]["deployment_frequency"].words == "Between once per month and once every six months"
    assert cluster_year(2023).ranges["low"]["recovery_time"].words == "Between one month and six months"


def test_an_unknown_year_is_refused_naming_the_years_there_are():
    with pytest.raises(ValueError, match="gapmap has 2024, 2023"):
        cluster_year(2019)


def test_bands_that_leave_a_gap_do_not_load(tmp_path, monkeypatch):
    text = clusters._PATH.read_text(encoding="utf-8").replace(
        "deployment_frequency: {words: Between once per day and once per week, from: 1/7, to: 1}",
        "deployment_frequency: {words: Between once per day and once per week, from: 1/6, to: 1}", 1)
    broken = tmp_path / "clusters.yaml"
    broken.write_text(text, encoding="utf-8")
    monkeypatch.setattr(clusters, "_PATH", broken)
    clusters._document.cache_clear()
    clusters.cluster_year.cache_clear()
    try:
        with pytest.raises(ValueError, match="gap"):
            cluster_year(2024)
    finally:
        monkeypatch.undo()
        clusters._document.cache_clear()
        clusters.cluster_year.cache_clear()
