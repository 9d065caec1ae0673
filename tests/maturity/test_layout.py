import pandas as pd
import pytest

from maturity import Layout, NoDataError, RawSheet, RawWorkbook, column_role, detect_layout, relayout_sheet
from maturity.levels import LevelScale


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("Unit", "unit"),
        ("Business Unit", "unit"),
        ("Team", "unit"),
        ("Department", "unit"),
        ("Squad", "unit"),
        ("Dimension", "dimension"),
        ("Category", "dimension"),
        ("Practice Area", "dimension"),
        ("Area", "dimension"),
        ("Domain", "dimension"),
        ("practice-area", "dimension"),
        ("Practice", "practice"),
        ("Capability", "practice"),
        ("Activity", "practice"),
        ("Current", "current"),
        ("Current Level", "current"),
        ("Current State", "current"),
        ("Current Maturity", "current"),
        ("As-Is", "current"),
        ("AS IS", "current"),
        ("Today", "current"),
        ("Baseline", "current"),
        ("Current maturity level (0-4)", "current"),
        ("Current Level [1-5]", "current"),
        ("current_level", "current"),
        ("Curent Level", "current"),
        ("Target", "target"),
        ("Target Level", "target"),
        ("Target State", "target"),
        ("Desired", "target"),
        ("To-Be", "target"),
        ("Goal", "target"),
        ("Target level 2027", "target"),
        ("Target /4", "target"),
        ("target_level", "target"),
        ("Priority", "priority"),
        ("Effort", "effort"),
        ("T-shirt size", "effort"),
        ("Owner", "owner"),
        ("Notes", "notes"),
        ("Comments", "notes"),
        ("Evidence", "evidence"),
        ("N/A", "applicable"),
        ("Applicable", "applicable"),
        ("Gap", "gap"),
        ("Current state description", None),
        ("Target date", None),
        ("", None),
        (None, None),
        (3, None),
        ("Description", None),
        ("Business Owner Email", None),
    ],
)
def test_column_roles_from_headers(header, role):
    assert column_role(header) == role


def _sheet(name, rows):
    return RawSheet(name, pd.DataFrame(rows, dtype=object))


TITLE = ["Northwind Mutual Bank: CD maturity", None, None, None]
HEADER = ["Practice Area", "Practice", "Current", "Target"]
ROW = ["Build & Deploy", "Scripted builds", 2, 3]


@pytest.mark.parametrize(
    ("rows", "header_row"),
    [
        ([HEADER, ROW], 1),
        ([TITLE, [None] * 4, HEADER, ROW], 3),
        (
            [TITLE, ["Assessed 2026", None, None, None], [None] * 4, [None, "Maturity", "Maturity", None], HEADER, ROW],
            5,
        ),
        ([[None] * 4] * 28 + [HEADER, ROW], 29),
    ],
)
def test_header_found_under_title_blocks(rubric, rows, header_row):
    layout = detect_layout(RawWorkbook("f.xlsx", "xlsx", (_sheet("S", rows),)), rubric)
    assert layout.sheets[0].header_row == header_row
    assert {c.role for c in layout.sheets[0].columns} == {"dimension", "practice", "current", "target"}


def test_header_below_row_30_is_not_searched(rubric):
    rows = [[None] * 4] * 31 + [HEADER, ROW]
    with pytest.raises(NoDataError, match="found no gap-analysis table"):
        detect_layout(RawWorkbook("f.xlsx", "xlsx", (_sheet("S", rows),)), rubric)


def test_sheets_without_a_table_are_skipped_and_named(rubric):
    workbook = RawWorkbook(
        "f.xlsx",
        "xlsx",
        (
            _sheet("Read me", [["How to fill this in"], ["Pick a level"]]),
            _sheet("Payments", [HEADER, ROW]),
            _sheet("Lending", [HEADER, ROW]),
            _sheet("Lists", [["Base", "Beginner"]]),
        ),
    )
    layout = detect_layout(workbook, rubric)
    assert [s.sheet for s in layout.sheets] == ["Payments", "Lending"]
    assert [s.sheet for s in layout.skipped] == ["Read me", "Lists"]
    assert layout.unit_source == "sheet name"


@pytest.mark.parametrize(
    ("sheet_name", "kind", "unit_source", "unit"),
    [
        ("Payments", "xlsx", "single unit", "Payments"),
        ("Sheet1", "xlsx", "single unit", "Organisation"),
        ("Gap analysis", "xlsx", "single unit", "Organisation"),
        ("payments_export", "csv", "single unit", "Organisation"),
    ],
)
def test_one_sheet_without_unit_column_is_one_unit(rubric, sheet_name, kind, unit_source, unit):
    layout = detect_layout(RawWorkbook("f", kind, (_sheet(sheet_name, [HEADER, ROW]),)), rubric)
    assert (layout.unit_source, layout.single_unit) == (unit_source, unit)


def test_a_header_needs_levels_and_a_dimension_or_practice(rubric):
    rows = [["Unit", "Current", "Target"], ["Payments", 1, 2]]
    with pytest.raises(NoDataError, match="needs a current and a target level column and a dimension or practice"):
        detect_layout(RawWorkbook("f.csv", "csv", (_sheet("f", rows),)), rubric)


def test_scales_detected_per_sheet_and_correctable(rubric):
    rows = [["Dimension", "Current", "Target (0-4)"], ["Build", 0, 3], ["Test", 2, 4]]
    sheet = _sheet("S", rows)
    layout = detect_layout(RawWorkbook("f.xlsx", "xlsx", (sheet,)), rubric)
    scales = layout.sheets[0].scales
    assert (scales["current"].low, scales["current"].source) == (0, "zero in column")
    assert (scales["target"].low, scales["target"].source) == (0, "header")
    corrected = layout.with_scale("S", "current", LevelScale(1, 5))
    assert corrected.sheet("S").scales["current"] == LevelScale(1, 5, "user")
    assert layout.sheet("S").scales["current"].low == 0  # layouts are values: the original is unchanged


def test_roles_are_correctable_and_stay_unique(rubric):
    rows = [["Area", "Item", "Status", "Goal", "Comment"], ["Build", "Scripted builds", 1, 2, "x"]]
    layout = Layout((relayout_sheet(_sheet("S", rows), 1, rubric),))  # the user picked the header row
    assert [c.role for c in layout.sheets[0].columns] == ["dimension", "practice", None, "target", "notes"]
    assert layout.sheets[0].problems() == ["no current level column"]
    fixed = layout.with_role("S", 2, "current")
    assert [c.role for c in fixed.sheet("S").columns] == ["dimension", "practice", "current", "target", "notes"]
    moved = fixed.with_role("S", 4, "current")  # the role moves, it is not duplicated
    assert [c.role for c in moved.sheet("S").columns] == ["dimension", "practice", None, "target", "current"]
    with pytest.raises(ValueError, match="unknown role"):
        layout.with_role("S", 0, "colour")


def test_relayout_on_another_header_row(rubric):
    rows = [
        ["Dimension", "Practice", "Current", "Target"],
        ["Area", "Item", "As-Is", "To-Be"],
        ["Build", "Scripted builds", 1, 2],
    ]
    sheet = _sheet("S", rows)
    redone = relayout_sheet(sheet, 2, rubric)
    assert redone.header_row == 2
    assert [c.role for c in redone.columns] == ["dimension", "practice", "current", "target"]
    with pytest.raises(ValueError, match="has no row 9"):
        relayout_sheet(sheet, 9, rubric)


def test_hidden_sheets_are_skipped_with_a_reason(rubric):
    visible = _sheet("Payments", [HEADER, ROW])
    hidden = RawSheet("Old 2023", pd.DataFrame([HEADER, ROW], dtype=object), hidden=True)
    layout = detect_layout(RawWorkbook("f.xlsx", "xlsx", (visible, hidden)), rubric)
    assert [s.sheet for s in layout.sheets] == ["Payments"]
    assert layout.skipped[0].sheet == "Old 2023" and "hidden in the workbook" in layout.skipped[0].reason


@pytest.mark.parametrize("beside", ["Planned date", "Expected outcome", "Baseline date", "Existing tooling"])
def test_a_header_starting_with_a_level_word_is_not_a_units_level_column(rubric, beside):
    rows = [["Dimension", beside, "Current", "Target"], ["Build & Deploy", "x", 1, 2]]
    workbook = RawWorkbook("f.xlsx", "xlsx", (RawSheet("S", pd.DataFrame(rows, dtype=object)),))
    sheet = detect_layout(workbook, rubric).sheets[0]
    assert [(c.header, c.role) for c in sheet.columns] == [
        ("Dimension", "dimension"), (beside, None), ("Current", "current"), ("Target", "target")]
