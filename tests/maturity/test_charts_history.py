"""maturity/charts_history.py: the History and Compare snapshots figures, valid for plotly, with user text
escaped and falls marked."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

import maturity
from maturity import charts_history


def frame(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["snapshot", "label", "as_of", "dimension", "dimension_name", "current_level",
                                       "target_level", "gap"])


HOSTILE = "<b>Q1</b> %{y}"
AREAS = frame([(1, HOSTILE, "2026-03-31", "build", "Build & Deploy", 2.0, 4.0, 2.0),
               (1, HOSTILE, "2026-03-31", "test", "Test & <i>Verification</i>", 3.0, 4.0, 1.0),
               (2, "", "2026-06-30", "build", "Build & Deploy", 2.5, 4.0, 1.5),
               (2, "", "2026-06-30", "test", "Test & <i>Verification</i>", 2.0, 4.0, 2.0),
               (3, "Q3", "2026-06-30", "build", "Build & Deploy", 3.0, 4.0, 1.0)])


def valid(figure: go.Figure) -> dict:
    return go.Figure(figure.to_dict()).to_dict()  # plotly's validation: raises on a property it does not know


def test_trend_has_current_and_target_per_snapshot_and_marks_a_fall():
    trend = AREAS[AREAS["dimension"] == "test"].reset_index(drop=True)
    figure = valid(charts_history.trend(trend))
    current, target, fell = figure["data"]
    assert (current["name"], target["name"]) == ("Current", "Target")
    assert list(current["y"]) == [3.0, 2.0] and target["line"]["dash"] == "dash"
    assert list(fell["x"]) == [1] and list(fell["y"]) == [2.0]
    assert list(figure["layout"]["xaxis"]["ticktext"]) == ["&lt;b&gt;Q1&lt;/b&gt; %{y}<br>(2026-03-31)", "2026-06-30"]
    assert "%{fullData.name}" in current["hovertemplate"] and HOSTILE not in current["hovertemplate"]


def test_area_history_draws_one_panel_per_area_on_the_same_snapshots():
    figure = valid(charts_history.area_history(AREAS))
    assert [a["text"] for a in figure["layout"]["annotations"]] == [
        "<b>Build &amp; Deploy</b>", "<b>Test &amp; &lt;i&gt;Verification&lt;/i&gt;</b>"]
    build = next(t for t in figure["data"] if t["xaxis"] == "x" and t["name"] == "Current")
    test = next(t for t in figure["data"] if t["xaxis"] == "x2" and t["name"] == "Current")
    assert list(build["y"]) == [2.0, 2.5, 3.0] and list(test["y"]) == [3.0, 2.0, None]  # test: not in snapshot 3
    falls = [t for t in figure["data"] if t["name"] == "Fell since the one before" and len(t["x"])]
    assert [(t["xaxis"], list(t["x"])) for t in falls] == [("x2", [1])]
    assert sum(t["showlegend"] for t in figure["data"]) == 3  # one legend entry per kind of line


def test_snapshot_radar_shows_then_now_and_now_target(sample_xlsx):
    assessment = maturity.assess(sample_xlsx)
    later = assessment.normalized.assign(current_level=assessment.normalized["current_level"] + 1)
    figure = valid(charts_history.snapshot_radar(assessment.normalized, later, assessment.rubric, None,
                                                 "<b>Q1</b>", "Q2"))
    then, now, target = figure["data"]
    assert (then["name"], now["name"], target["name"]) == ("&lt;b&gt;Q1&lt;/b&gt;: current", "Q2: current",
                                                           "Q2: target")
    assert [round(b - a, 6) for a, b in zip(then["r"], now["r"], strict=True)] == [1.0] * len(then["r"])
    unit = assessment.units[0]
    one = valid(charts_history.snapshot_radar(assessment.normalized, later, assessment.rubric, unit))
    assert one["data"][0]["r"] != then["r"]
