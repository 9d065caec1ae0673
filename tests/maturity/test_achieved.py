"""maturity/achieved.py: which steps of an earlier roadmap a later assessment shows as reached."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

import maturity
from maturity.achieved import ACHIEVED_COLUMNS, achieved_by_phase, steps_achieved


def test_a_step_is_reached_when_the_later_level_is_at_least_the_level_it_reaches(sample_xlsx):
    earlier = maturity.assess(sample_xlsx)
    roadmap = maturity.build_roadmap(earlier)
    later_rows = earlier.normalized.copy()
    first = roadmap.iloc[0]
    row = later_rows.index[(later_rows["unit"] == first["unit"]) & (later_rows["practice"] == first["practice"])][0]
    later_rows.loc[row, "current_level"] = first["to_level"]  # exactly the level that step reaches
    later = replace(earlier, normalized=later_rows)
    steps = steps_achieved(roadmap, later.normalized)
    assert list(steps.columns) == list(ACHIEVED_COLUMNS) and len(steps) == len(roadmap)
    reached = steps[steps["status"] == "reached"]
    assert reached[["unit", "practice", "to_level"]].values.tolist() == [
        [first["unit"], first["practice"], first["to_level"]]]
    assert set(steps["status"]) == {"reached", "not yet"}
    assert steps_achieved(roadmap, earlier.normalized)["status"].eq("not yet").all()  # nothing moved: none reached


def test_rows_missing_or_not_applying_later_are_not_assessed_and_fractions_count(make_csv):
    path = make_csv([["Business Function", "Practice Area", "Current", "Target"],
                     ["Governance", "Strategy & Metrics", "1.25", "2.5"],
                     ["Implementation", "Secure Build", "1", "2"]])
    earlier = maturity.assess(path)
    roadmap = maturity.build_roadmap(earlier)
    later = earlier.normalized.copy()
    later["current_level"] = later["current_level"].astype(float)
    later.loc[later.index[0], "current_level"] = 2.25  # completes level 2, not the 0.5 into level 3 asked for
    later.loc[later.index[1], "applicable"] = False
    steps = steps_achieved(roadmap, later)
    assert steps[["dimension", "to_level", "status"]].values.tolist() == [  # SAMM: a whole practice area a row
        ["g_sm", 2.0, "reached"], ["i_sb", 2.0, "not assessed"],
        ["g_sm", 2.5, "not yet"]]
    phases = achieved_by_phase(steps)
    assert phases["steps"].sum() == 3 and phases["reached"].sum() == 1


def test_an_empty_roadmap_achieves_nothing():
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in maturity.ROADMAP_COLUMNS})
    steps = steps_achieved(empty, pd.DataFrame(columns=["unit", "dimension", "practice", "current_level"]))
    assert steps.empty and list(steps.columns) == list(ACHIEVED_COLUMNS)
    assert achieved_by_phase(steps).empty
