"""Figures of delivery metrics (maturity/charts_dora.py): claims against measurements, and each unit's own
past; user text drawn as typed."""

from __future__ import annotations

import pandas as pd

from maturity import charts_dora, load_rubric
from maturity.dora.claims import CLAIMS_MORE, CONSISTENT, MEASURES_MORE


def test_the_scatter_has_one_trace_per_verdict_and_area_and_escapes_units():
    claims = pd.DataFrame({
        "unit": ["<b>Ops</b>", "Web", "Api"], "dimension": ["build", "test", "build"],
        "dimension_name": ["Build & Deploy", "Test & Verification", "Build & Deploy"],
        "claimed_level": [4.0, 1.5, 3.0], "claimed_score": [0.75, 0.125, 0.5], "metrics": ["a", "b", "c"],
        "observed_score": [0.2, 0.9, 0.5], "difference": [0.55, -0.775, 0.0],
        "verdict": [CLAIMS_MORE, MEASURES_MORE, CONSISTENT], "tier": ["low", "elite", "medium"], "year": 2024})
    figure = charts_dora.claims_scatter(claims, load_rubric("cdmm"))
    points = {t.name: list(t.text) for t in figure.data if t.mode == "markers+text"}
    assert points == {f"{CLAIMS_MORE} · Build &amp; Deploy": ["&lt;b&gt;Ops&lt;/b&gt;"],
                      f"{MEASURES_MORE} · Test &amp; Verification": ["Web"],
                      f"{CONSISTENT} · Build &amp; Deploy": ["Api"]}
    markers = {t.name: t.marker.color for t in figure.data if t.mode == "markers+text"}
    assert markers[f"{CLAIMS_MORE} · Build &amp; Deploy"] == charts_dora.VERDICT_COLORS[CLAIMS_MORE]
    assert figure.layout.xaxis.ticktext[:1] == ("Base",)


def test_each_unit_has_its_own_line_over_time_on_a_log_axis():
    table = pd.DataFrame({"unit": ["Web", "Web", "Api"], "period": ["2026-Q1", "2026-Q2", "2026-Q2"],
                          "period_start": pd.to_datetime(["2026-01-01", "2026-04-01", "2026-04-01"]),
                          "deployment_frequency_per_day": [0.2, 1.0, 0.5]})
    figure = charts_dora.metric_history(table, "deployment_frequency")
    assert [t.name for t in figure.data] == ["Web", "Api"]
    assert list(figure.data[0].y) == [0.2, 1.0]
    assert figure.layout.yaxis.type == "log"
