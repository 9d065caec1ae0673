"""The roadmap's optional delivery part (maturity/roadmap.py): off by default, and when given its own
column of the score, raising steps in areas whose measured delivery is weak."""

from __future__ import annotations

import pandas as pd
import pytest

from maturity import ROADMAP_COLUMNS, assess, build_roadmap
from maturity.roadmap import DELIVERY_WEIGHT


@pytest.fixture
def assessment(make_csv):
    rows = [["Unit", "Dimension", "Practice", "Current", "Target"],
            ["Web", "Build & Deploy", "Scripted builds", 2, 3],
            ["Web", "Test & Verification", "Automatic unit tests", 2, 3],
            ["Api", "Build & Deploy", "Scripted builds", 2, 3]]
    return assess(make_csv(rows, name="a.csv"), rubric="cdmm")


def test_off_by_default_the_roadmap_is_unchanged(assessment):
    steps = build_roadmap(assessment)
    assert list(steps.columns) == list(ROADMAP_COLUMNS)
    assert "score_delivery" not in steps


def test_weak_measured_delivery_raises_a_step_as_its_own_score_part(assessment):
    plain = build_roadmap(assessment)
    delivery = pd.DataFrame({"unit": ["Web", "Web", "Api"], "dimension": ["build", "test", "build"],
                             "observed_score": [1.0, 0.25, None]})
    steps = build_roadmap(assessment, delivery)
    columns = list(steps.columns)
    assert columns.index("score_delivery") == columns.index("score_effort") + 1
    assert set(columns) - {"score_delivery"} == set(ROADMAP_COLUMNS)
    part = {(r.unit, r.dimension): r.score_delivery for r in steps.itertuples()}
    assert part == {("Web", "build"): 0.0, ("Web", "test"): 0.75 * DELIVERY_WEIGHT, ("Api", "build"): 0.0}
    assert (steps["priority_score"] == (steps["score_gap"] + steps["score_priority"] + steps["score_effort"]
                                        + steps["score_delivery"]).round(2)).all()
    # Web's Test step, equal to the others without delivery, now ranks first among its phase and level.
    assert plain["priority_score"].nunique() == 1
    assert (steps.iloc[0]["unit"], steps.iloc[0]["dimension"]) == ("Web", "test")
