import pandas as pd
import pytest

from maturity import RawSheet, RawWorkbook, assess, build_roadmap, detect_layout, normalize
from maturity.roadmap import ROADMAP_COLUMNS, effort_points, priority_points


def _roadmap(rubric, rows):
    workbook = RawWorkbook("f.xlsx", "xlsx", (RawSheet("S", pd.DataFrame(rows, dtype=object)),))
    return build_roadmap(normalize(workbook, detect_layout(workbook, rubric), rubric))


HEADER = ["Unit", "Dimension", "Practice", "Current", "Target", "Priority", "Effort"]


def test_one_step_per_level_with_the_rubrics_practices(rubric):
    roadmap = _roadmap(rubric, [HEADER, ["Payments", "Test", "Automatic unit tests", 1, 4, "High", "S"]])
    assert roadmap[["from_level", "to_level", "from_label", "to_label"]].values.tolist() == [
        [1, 2, "Base", "Beginner"],
        [2, 3, "Beginner", "Intermediate"],
        [3, 4, "Intermediate", "Advanced"],
    ]
    assert roadmap["actions"].tolist() == [
        "Automatic integration tests",
        "Automatic component test (isolated); Some automatic acceptance tests",
        "Full automatic acceptance tests; Automatic performance tests; Automatic security tests; "
        "Risk based manual testing",
    ]
    assert roadmap["rank"].tolist() == [1, 2, 3]
    assert roadmap["phase"].tolist() == [1, 2, 3]
    assert list(roadmap.columns) == list(ROADMAP_COLUMNS)


def test_nothing_planned_when_at_or_above_target_or_not_applicable(rubric):
    rows = [
        [*HEADER, "Applicable"],
        ["A", "Build", "Scripted builds", 3, 3, None, None, None],
        ["A", "Build", "Polling builds", 4, 2, None, None, None],
        ["A", "Build", "Build bakery", 1, 5, None, None, "No"],
    ]
    assert _roadmap(rubric, rows).empty


def test_foundations_first_within_a_unit_and_steps_in_order(rubric):
    rows = [
        HEADER,
        ["A", "Build", "Zero touch continuous deployment", 3, 5, "High", "S"],
        ["A", "Culture", "Prioritized work", 1, 3, "Low", "L"],
        ["B", "Test", "Automatic unit tests", 2, 3, "Medium", "M"],
    ]
    roadmap = _roadmap(rubric, rows)
    for unit, steps in roadmap.groupby("unit"):
        assert steps["to_level"].is_monotonic_increasing, unit
    culture = roadmap[roadmap["practice"] == "Prioritized work"]
    assert culture["to_level"].tolist() == [2, 3]
    # A's lowest missing level is 2: its phase 1; B's lowest missing is 3: its phase 1 too.
    assert roadmap[["unit", "to_level", "phase"]].values.tolist() == [
        ["A", 2, 1],
        ["B", 3, 1],
        ["A", 3, 2],
        ["A", 4, 3],
        ["A", 5, 4],
    ]


def test_priority_and_effort_break_ties_and_show_their_parts(rubric):
    rows = [
        HEADER,
        ["A", "Build", "Scripted builds", 1, 2, "Low", "L"],
        ["A", "Test", "Automatic unit tests", 1, 2, "High", "S"],
        ["A", "Design", "Consolidated platform & technology", 1, 2, None, None],
    ]
    roadmap = _roadmap(rubric, rows)
    assert roadmap["practice"].tolist() == [
        "Automatic unit tests",
        "Consolidated platform & technology",
        "Scripted builds",
    ]
    first = roadmap.iloc[0]
    assert first["priority_score"] == pytest.approx(
        first["score_gap"] + first["score_priority"] + first["score_effort"]
    )
    assert roadmap["priority_score"].is_monotonic_decreasing


@pytest.mark.parametrize(
    ("written", "points"),
    [
        ("High", 3),
        ("high", 3),
        ("Medium", 2),
        ("Low", 1),
        ("Critical", 4),
        ("Must", 4),
        ("Could", 2),
        ("P1", 3),
        (1, 4),
        (3, 2),
        (5, 0),
        (None, 2),
        ("whenever", 2),
    ],
)
def test_priority_points(written, points):
    assert priority_points(pd.Series([written], dtype=object)).iloc[0] == points


@pytest.mark.parametrize(("written", "points"), [("S", 1), ("m", 2), ("Large", 3), ("XL", 4), (None, 2), ("?", 2)])
def test_effort_points(written, points):
    assert effort_points(pd.Series([written], dtype=object)).iloc[0] == points


def test_numeric_efforts_are_ranked_within_the_sheet():
    assert effort_points(pd.Series([5, 40, 10, 120], dtype=object)).tolist() == [1, 3, 2, 4]


def test_dimension_level_rows_are_planned_for_the_whole_dimension(rubric):
    roadmap = _roadmap(rubric, [["Unit", "Dimension", "Current", "Target"], ["A", "Reporting", 2, 3]])
    assert roadmap["practice"].tolist() == ["(whole dimension)"]
    assert roadmap["actions"].tolist() == [
        "Common information model; Traceability built into pipeline; Report history is available"
    ]


def test_sample_roadmap_counts_every_level_to_climb(sample_xlsx, rubric):
    assessment = assess(sample_xlsx)
    roadmap = build_roadmap(assessment)
    normalized = assessment.normalized
    assert len(roadmap) == int(normalized["gap"].clip(lower=0).sum())
    assert roadmap["rank"].tolist() == list(range(1, len(roadmap) + 1))
    assert (roadmap["actions"] != "").all()


def test_no_readable_row_gives_an_empty_roadmap(rubric):
    roadmap = _roadmap(rubric, [["Dimension", "Current", "Target"], ["Build", "TBD", "TBD"]])
    assert roadmap.empty
    assert list(roadmap.columns) == list(ROADMAP_COLUMNS)


def test_fractional_scores_get_a_step_per_level_with_its_share():
    from maturity import load_rubric

    samm = load_rubric("samm")
    rows = [["Business Function", "Practice Area", "Current", "Target"],
            ["Governance", "Strategy & Metrics", 1.625, 2.375],
            ["Design", "Threat Assessment", 1, 2]]
    workbook = RawWorkbook("f.xlsx", "xlsx", (RawSheet("S", pd.DataFrame(rows, dtype=object)),))
    assessment = normalize(workbook, detect_layout(workbook, samm), samm)
    assert assessment.normalized["gap"].tolist() == [0.75, 1.0]
    steps = build_roadmap(assessment)
    assert steps[["dimension", "from_level", "to_level", "level_share", "to_label", "phase"]].values.tolist() == [
        ["d_ta", 1.0, 2.0, 1.0, samm.level_name(2), 1],  # the larger gap first, as for whole levels
        ["g_sm", 1.625, 2.0, 0.375, samm.level_name(2), 1],
        ["g_sm", 2.0, 2.375, 0.375, samm.level_name(3), 2],
    ]
    assert steps["from_label"].tolist()[1] == f"{samm.level_name(1)}, 0.625 into {samm.level_name(2)}"
    assert steps["actions"].iloc[1] == "; ".join(p.label for p in samm.practices_at("g_sm", 2))
