import io

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maturity import LevelScale, RawSheet, RawWorkbook, assess, detect_layout, normalize, retarget, to_csv_bytes
from maturity.levels import is_blank

KEY = ["unit", "dimension", "practice", "current_level", "target_level"]


def _assess_rows(rubric, rows, name="S", kind="xlsx"):
    workbook = RawWorkbook(f"f.{kind}", kind, (RawSheet(name, pd.DataFrame(rows, dtype=object)),))
    return normalize(workbook, detect_layout(workbook, rubric), rubric)


def _problems(assessment):
    return [
        tuple(r)
        for r in assessment.problems[["source_sheet", "source_row", "column", "problem"]].itertuples(index=False)
    ]


def test_sample_workbook_every_row_accounted_for(sample_xlsx):
    assessment = assess(sample_xlsx)
    assert len(assessment.normalized) == 105
    assert assessment.units == [
        "Retail Banking",
        "Payments",
        "Lending",
        "Wealth Management",
        "Risk & Compliance",
        "Core Platform",
    ]
    assert [s.sheet for s in assessment.layout.skipped] == ["Read me", "Summary"]
    assert {s.header_row for s in assessment.layout.sheets} == {5}
    problems = assessment.problems.set_index(["source_sheet", "source_row"])
    assert problems.loc[("Retail Banking", 23), "problem"] == "current level is empty"
    assert problems.loc[("Retail Banking", 23), "cell"] == "C23"
    assert problems.loc[("Lending", 27), "value"] == "TBD"
    assert problems.loc[("Lending", 27), "column"] == "Target Level"
    assert problems.loc[("Payments", 25), "problem"] == "summary row (Average) skipped"
    assert len(problems) == 8
    over = assessment.normalized[assessment.normalized["warning"].notna()]
    assert over[["source_sheet", "source_row", "current_level", "target_level"]].values.tolist() == [
        ["Wealth Management", 14, 4, 3]
    ]
    assert set(assessment.normalized["dimension"]) == {"culture", "design", "build", "test", "reporting"}


def test_sample_csv_and_workbook_say_the_same(sample_xlsx, sample_csv):
    from_xlsx = assess(sample_xlsx).normalized[KEY].reset_index(drop=True)
    from_csv = assess(sample_csv).normalized[KEY].reset_index(drop=True)
    pd.testing.assert_frame_equal(from_xlsx, from_csv, check_dtype=False)


def test_merged_dimension_cells_fill_down_levels_never(rubric, make_xlsx):
    rows = [
        ["Gap analysis", None, None, None],
        [],
        ["Practice Area", "Practice", "Current", "Target"],
        ["Build & Deploy", "Scripted builds", "Base", "Intermediate"],
        [None, "Polling builds", None, "Advanced"],
        [None, None, None, None],
        [None, "Zero downtime deploys", "L2", "L4"],
        ["Test & Verification", "Automatic unit tests", 2, 3],
    ]
    path = make_xlsx({"Payments": rows}, merges={"Payments": ["A4:A7"]})
    assessment = assess(path)
    assert assessment.normalized[["dimension", "practice", "source_row"]].values.tolist() == [
        ["build", "Scripted builds", 4],
        ["build", "Zero downtime deploys", 7],
        ["test", "Automatic unit tests", 8],
    ]
    assert _problems(assessment) == [("Payments", 5, "Current", "current level is empty")]
    assert assessment.normalized["unit"].unique().tolist() == ["Payments"]


def test_unit_column_fills_down_and_wins_over_sheet_names(rubric):
    rows = [
        ["Team", "Dimension", "Current", "Target"],
        ["Payments", "Build", 1, 3],
        [None, "Test", 2, 2],
        ["Lending", "Culture", 3, 4],
    ]
    assessment = _assess_rows(rubric, rows)
    assert assessment.normalized[["unit", "dimension", "gap"]].values.tolist() == [
        ["Payments", "build", 2],
        ["Payments", "test", 0],
        ["Lending", "culture", 1],
    ]
    assert assessment.normalized["practice"].isna().all()  # dimension-level scores


@pytest.mark.parametrize(
    ("dimension", "resolved", "problem"),
    [
        ("Build & Deployment", "build", None),
        ("Culture and Organisation", "culture", None),
        ("Test and Verification", "test", None),
        ("Informaton & Reporting", "reporting", None),  # typo, fuzzy match above the threshold
        ("Security Operations", None,
         "'Security Operations' is not an area of Continuous Delivery Maturity Model 2013; areas are Culture"),
        ("Archtecture stuff", None, "did you mean 'Design & Architecture'?"),
    ],
)
def test_dimension_matching(rubric, dimension, resolved, problem):
    assessment = _assess_rows(rubric, [["Dimension", "Current", "Target"], [dimension, 1, 2]])
    if problem is None:
        assert assessment.normalized["dimension"].tolist() == [resolved]
        assert assessment.problems.empty
    else:
        assert assessment.normalized.empty
        assert problem in assessment.problems["problem"].iloc[0]
        assert assessment.problems["column"].iloc[0] == "Dimension"


def test_practice_brings_its_dimension_when_there_is_no_dimension_column(rubric):
    rows = [
        ["Capability", "As-Is", "To-Be"],
        ["Infrastructure as code", "Base", "Expert"],
        ["Feature toggles", 2, 3],
        ["Blockchain all the things", 1, 2],
    ]
    assessment = _assess_rows(rubric, rows)
    assert assessment.normalized[["dimension", "practice_id"]].values.tolist() == [
        ["design", "design.5.infrastructure_as_code"],
        ["design", "design.3.feature_hiding"],
    ]
    problem = assessment.problems["problem"].iloc[0]
    assert "practice 'Blockchain all the things' is not in Continuous Delivery Maturity Model" in problem


def test_a_row_without_practice_or_dimension_says_so(rubric):
    # A blank practice cell is no practice at all, not a practice called "nan" that looks like another.
    rows = [["Capability", "As-Is", "To-Be"], ["Feature toggles", 2, 3], [None, "Base", "Expert"]]
    assessment = _assess_rows(rubric, rows)
    assert assessment.problems["problem"].tolist() == ["neither a dimension nor a practice is given"]


def test_summary_and_repeated_header_rows_are_reported_not_read(rubric):
    rows = [
        ["Dimension", "Practice", "Current", "Target"],
        ["Build", "Scripted builds", 1, 2],
        ["Dimension", "Practice", "Current", "Target"],
        ["Test", "Automatic unit tests", 2, 3],
        [None, "Average", 1.5, 2.5],
        [None, "TOTAL", 3, 5],
    ]
    assessment = _assess_rows(rubric, rows)
    assert len(assessment.normalized) == 2
    assert [p[1:] for p in _problems(assessment)] == [
        (3, "Dimension", "repeated header row (Dimension) skipped"),
        (5, "Practice", "summary row (Average) skipped"),
        (6, "Practice", "summary row (TOTAL) skipped"),
    ]


def test_not_applicable_rows_are_kept_but_need_no_levels(rubric):
    rows = [
        ["Dimension", "Practice", "Current", "Target", "Applicable"],
        ["Build", "Build bakery", None, None, "No"],
        ["Build", "Zero touch continuous deployment", "N/A", "n/a", None],
        ["Build", "Scripted builds", 1, 2, "Yes"],
    ]
    assessment = _assess_rows(rubric, rows)
    assert assessment.problems.empty
    assert assessment.normalized["applicable"].tolist() == [False, False, True]


def test_zero_based_sheet_is_shifted(rubric):
    rows = [["Dimension", "Current", "Target"], ["Build", 0, 2], ["Test", 4, 4]]
    assessment = _assess_rows(rubric, rows)
    assert assessment.normalized[["current_level", "target_level"]].values.tolist() == [[1, 3], [5, 5]]


def test_csv_rows_are_line_numbers_with_header_as_line_one(rubric, make_csv):
    path = make_csv([["Unit", "Dimension", "Current", "Target"], ["A", "Build", "1", "x"], [], ["B", "Test", "1", "2"]])
    assessment = assess(path)
    assert assessment.normalized["source_row"].tolist() == [4]
    assert _problems(assessment)[0][1:] == (
        2,
        "Target",
        "'x' is not a level; write 1–5 or one of Base, Beginner, Intermediate, Advanced, Expert",
    )


def test_empty_unit_cell_in_first_row_is_a_problem(rubric):
    rows = [["Unit", "Dimension", "Current", "Target"], [None, "Build", 1, 2], ["A", "Test", 1, 2]]
    assessment = _assess_rows(rubric, rows)
    assert _problems(assessment) == [("S", 2, "Unit", "unit is empty")]


def test_normalizing_normalized_output_changes_nothing(sample_xlsx):
    first = assess(sample_xlsx)
    again = assess(to_csv_bytes(first.normalized), "normalized.csv")
    assert again.problems.empty
    pd.testing.assert_frame_equal(
        first.normalized.drop(columns=["warning"]).astype(str), again.normalized.drop(columns=["warning"]).astype(str)
    )


def test_retarget_moves_gaps_and_warnings(sample_xlsx):
    assessment = assess(sample_xlsx)
    rows = assessment.normalized
    over = rows.index[rows["warning"].notna()].tolist()  # Wealth Management, row 14: current 4, target 3
    below = rows.index[(rows["current_level"] == 3) & rows["warning"].isna()][0]
    moved = retarget(assessment, pd.Series({over[0]: 5, below: 1}))
    assert moved.normalized.loc[over[0], ["target_level", "gap", "warning"]].tolist() == [5, 1, None]
    assert moved.normalized.loc[below, ["target_level", "gap", "warning"]].tolist() == [1, -2,
                                                                                      "current is above target"]
    untouched = rows.index.difference([over[0], below])
    pd.testing.assert_frame_equal(moved.normalized.loc[untouched], rows.loc[untouched])
    assert rows.loc[over[0], "target_level"] == 3  # assessments are values: the original is unchanged
    with pytest.raises(ValueError, match="target levels must be 1–5"):
        retarget(assessment, pd.Series({below: 9}))
    with pytest.raises(ValueError, match="whole"):
        retarget(assessment, pd.Series({below: 2.5}))


LEVEL_CELLS = st.one_of(
    st.none(),
    st.integers(-2, 8),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.sampled_from(["Base", "expert", "L3", "Level 2", "3 - Intermediate", "TBD", "N/A", "", " ", "60%", "=1+1"]),
    st.text(max_size=12),
)
TEXT_CELLS = st.one_of(
    st.none(),
    st.sampled_from(["Build", "Test", "Culture", "Reporting", "Average", "Nonsense", "Scripted builds", ""]),
    st.text(max_size=12),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(TEXT_CELLS, TEXT_CELLS, LEVEL_CELLS, LEVEL_CELLS, TEXT_CELLS), min_size=1, max_size=25))
def test_no_row_is_lost(rubric, body):
    rows = [["Dimension", "Practice", "Current", "Target", "Notes"], *map(list, body)]
    assessment = _assess_rows(rubric, rows)
    end = assessment.layout.sheets[0].end_row  # a "Legend" row ends the table: the rows from it on, with a note
    if end:
        assert any(f"the table ends at row {end}" in note for note in assessment.notes)
        body = body[: end - 2]
    non_blank = sum(1 for row in body if not all(is_blank(v) for v in row))
    normalized_rows = set(assessment.normalized["source_row"])
    problem_rows = set(assessment.problems["source_row"])
    assert not normalized_rows & problem_rows
    assert len(normalized_rows) == len(assessment.normalized)
    assert len(normalized_rows) + len(problem_rows) == non_blank
    again = assess(to_csv_bytes(assessment.normalized), "again.csv") if len(assessment.normalized) else None
    if again is not None:
        assert (
            again.normalized[KEY].astype(str).values.tolist() == assessment.normalized[KEY].astype(str).values.tolist()
        )


def test_problems_table_reads_back_as_csv(sample_xlsx):
    problems = assess(sample_xlsx).problems
    back = pd.read_csv(io.BytesIO(to_csv_bytes(problems)), encoding="utf-8-sig")
    assert list(back.columns) == ["source_sheet", "source_row", "cell", "column", "value", "problem"]
    assert len(back) == len(problems)


def test_two_row_header_with_merged_group_cells(rubric, make_xlsx):
    rows = [
        ["Practice Area", "Practice", "Maturity", None, "Owner"],
        [None, None, "Current", "Target", None],
        ["Build", "Scripted builds", "Base", "Advanced", "Ann"],
    ]
    path = make_xlsx({"Sheet1": rows}, merges={"Sheet1": ["A1:A2", "B1:B2", "C1:D1", "E1:E2"]})
    assessment = assess(path)
    assert assessment.layout.sheets[0].header_row == 2
    assert assessment.normalized[
        ["dimension", "practice", "current_level", "target_level", "owner"]
    ].values.tolist() == [["build", "Scripted builds", 1, 4, "Ann"]]


@pytest.mark.parametrize(
    "header_rows",
    [
        [["Dimension", "Practice", "Payments - Current", "Payments - Target", "Lending Current", "Lending Target"]],
        [
            ["Dimension", "Practice", "Payments", None, "Lending", None],
            [None, None, "As-Is", "To-Be", "As-Is", "To-Be"],
        ],
    ],
)
def test_wide_sheet_with_a_pair_of_level_columns_per_unit(rubric, header_rows):
    rows = [
        *header_rows,
        ["Build", "Scripted builds", 1, 3, 2, 2],
        ["Test", "Automatic unit tests", None, None, 1, "TBD"],
        [None, "Average", 1, 3, 1.5, 2],
    ]
    assessment = _assess_rows(rubric, rows)
    assert assessment.layout.unit_source == "level column headers"
    assert assessment.normalized[["unit", "dimension", "current_level", "target_level"]].values.tolist() == [
        ["Payments", "build", 1, 3],
        ["Lending", "build", 2, 2],
    ]
    header = len(header_rows)
    assert [p[1:] for p in _problems(assessment)] == [
        (
            header + 2,
            rows[0][5] if header == 1 else "To-Be",
            "'TBD' is not a level; write 1–5 or one of Base, Beginner, Intermediate, Advanced, Expert",
        ),
        (header + 3, "Practice", "summary row (Average) skipped"),
    ]


def test_a_role_given_back_on_a_wide_sheet_keeps_the_other_units_columns(rubric):
    rows = [["Dimension", "Practice", "Payments - Current", "Payments - Target", "Lending Current", "Lending Target"],
            ["Build", "Scripted builds", 1, 3, 2, 4]]
    assessment = _assess_rows(rubric, rows)
    undone = assessment.layout.with_role("S", 4, None).with_role("S", 4, "current")
    assert [c.role for c in undone.sheets[0].columns] == [c.role for c in assessment.layout.sheets[0].columns]
    workbook = RawWorkbook("f.xlsx", "xlsx", (RawSheet("S", pd.DataFrame(rows, dtype=object)),))
    again = normalize(workbook, undone, rubric)
    assert again.normalized[["unit", "current_level", "target_level"]].values.tolist() == [["Payments", 1, 3],
                                                                                           ["Lending", 2, 4]]
    moved = assessment.layout.with_role("S", 5, "current")  # within Lending's pair the role moves
    assert [c.role for c in moved.sheets[0].columns][2:] == ["current", "target", None, "current"]
    practice = assessment.layout.with_role("S", 2, "practice")  # a role that is not a level's stays unique
    assert [c.role for c in practice.sheets[0].columns][:3] == ["dimension", None, "practice"]
    single = assessment.layout.with_role("S", 0, "current")  # a level column of no unit: the only one
    assert [c.role for c in single.sheets[0].columns] == ["current", "practice", None, "target", None, "target"]


@pytest.mark.parametrize("header_rows", [
    [["Business Unit", "Culture - Current", "Culture - Target", "Build & Deploy - Current", "Build & Deploy - Target"]],
    [["Business Unit", "Culture & Organization", None, "Build & Deploy", None],
     [None, "Current", "Target", "Current", "Target"]],
])
def test_matrix_of_units_by_dimension_pairs(rubric, header_rows):
    rows = [*header_rows, ["Payments", "Base", "Beginner", 3, 4], ["Lending", 2, 2, None, None]]
    assessment = _assess_rows(rubric, rows)
    assert assessment.normalized[["unit", "dimension", "current_level", "target_level"]].values.tolist() == [
        ["Payments", "culture", 1, 2], ["Lending", "culture", 2, 2], ["Payments", "build", 3, 4]]
    assert assessment.normalized["practice"].isna().all()  # dimension-level scores
    assert assessment.problems.empty


def test_a_samm_file_on_its_native_scale_needs_no_correction(make_xlsx):
    rows = [["Business Function", "Practice Area", "Current (0-3)", "Target (0-3)"],
            ["Governance", "Strategy & Metrics", 1.625, 2.375],
            [None, "Policy & Compliance", 0, 1.5],
            ["Implementation", "Secure Build", 2, 3],
            [None, "Defect Management", 0.75, 2]]
    assessment = assess(make_xlsx({"Scorecard": rows}))
    assert assessment.rubric.id == "samm" and assessment.problems.empty
    normalized = assessment.normalized
    assert normalized["current_level"].dtype == "Float64"
    assert normalized[["dimension", "current_level", "gap"]].values.tolist() == [
        ["g_sm", 1.625, 0.75], ["g_pc", 0.0, 1.5], ["i_sb", 2.0, 1.0], ["i_dm", 0.75, 1.25]]
    assert {s.scales["current"].source for s in assessment.layout.sheets} == {"header"}


def test_a_stated_scale_of_another_size_is_an_error_that_says_so(rubric):
    rows = [["Dimension", "Current (0-3)", "Target (0-3)"], ["Build & Deploy", 1, 3], ["Test & Verification", 0, 2],
            ["Culture & Organization", "Beginner", "Expert"]]
    assessment = _assess_rows(rubric, rows)
    assert assessment.normalized[["dimension", "current_level", "target_level"]].values.tolist() == [
        ["culture", 2, 5]]  # level names still read: they do not depend on the numbering
    problems = assessment.problems["problem"].tolist()
    assert len(problems) == 4
    assert all("the header states a 0–3 scale (4 levels) but Continuous Delivery Maturity Model has 5" in p
               for p in problems)


def test_a_scale_set_by_the_user_reads_the_numbers(rubric):
    rows = [["Dimension", "Current (0-3)", "Target (0-3)"], ["Build & Deploy", 1, 3]]
    workbook = RawWorkbook("f.xlsx", "xlsx", (RawSheet("S", pd.DataFrame(rows, dtype=object)),))
    layout = detect_layout(workbook, rubric)
    for role in ("current", "target"):
        layout = layout.with_scale("S", role, LevelScale(0, 4))
    assessment = normalize(workbook, layout, rubric)
    assert assessment.problems.empty
    assert assessment.normalized[["current_level", "target_level"]].values.tolist() == [[2, 4]]
