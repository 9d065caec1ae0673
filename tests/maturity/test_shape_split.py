"""Split sheets: current levels on one sheet and target levels on another, each a units × areas matrix."""

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maturity import NoDataError, RawSheet, RawWorkbook, assess, assess_workbook
from maturity.levels import is_blank

CDMM_AREAS = ["Culture & Organization", "Design & Architecture", "Build & Deploy", "Test & Verification",
              "Information & Reporting"]
UNITS = ["Retail", "Payments", "Lending"]


def matrix(corner, columns, rows, title="Northwind Mutual: maturity", across=True):
    """A sheet's rows: a title block, then a matrix whose cells are ``rows[label][column]``."""
    body = [[label, *values] for label, values in rows.items()]
    return [[title], ["Assessed: 2026-09"], [], [corner, *columns], *body]


def levels(base, transposed=False):
    cells = {unit: [min(5, base + (u + a) % 2) for a in range(len(CDMM_AREAS))] for u, unit in enumerate(UNITS)}
    if transposed:
        return {area: [cells[unit][a] for unit in UNITS] for a, area in enumerate(CDMM_AREAS)}
    return cells


def book(make_xlsx, sheets):
    return assess(make_xlsx(sheets))


@pytest.mark.parametrize(
    ("names", "corner", "transposed", "evidence"),
    [
        (("Current State", "Target State"), "Business Unit", False, "paired by their names; areas across: the corner"),
        (("As-Is", "To-Be"), "", False, "paired by their names; areas across: 5 column labels are areas"),
        (("Current maturity", "Target maturity"), "Practice Area", True, "areas down: the corner cell 'Practice Area'"),
        (("Baseline", "Goals"), "", True, "areas down: 5 row labels are areas"),
        (("Scores A", "Scores B"), "Unit", False, "paired by the same row and column labels (the first is taken"),
        (("Spring 2026", "Ambition"), "Unit", False, "paired by the target sheet's name and the same row and column"),
        (("Today", "Spring plan"), "Unit", False, "paired by the current sheet's name and the same row and column"),
    ],
)
def test_a_current_and_a_target_sheet_are_read_together(make_xlsx, names, corner, transposed, evidence):
    current_sheet, target_sheet = names
    columns = UNITS if transposed else CDMM_AREAS
    assessment = book(make_xlsx, {
        "Read me": [["How to read this workbook"]],
        current_sheet: matrix(corner, columns, levels(1, transposed)),
        target_sheet: matrix(corner, columns, levels(3, transposed)),
    })
    assert assessment.rubric.id == "cdmm" and assessment.problems.empty
    rows = assessment.normalized
    assert len(rows) == 15
    assert rows["unit"].unique().tolist() == UNITS
    assert (rows["gap"] == 2).all()
    first = rows.iloc[0]
    assert (first["unit"], first["dimension"]) == ("Retail", "culture")
    assert (first["current_cell"], first["target_cell"]) == (f"{current_sheet}!B5", f"{target_sheet}!B5")
    assert (first["source_sheet"], first["source_row"]) == (current_sheet, 5)
    assert any(evidence in note for note in assessment.notes), assessment.notes
    assert [s.sheet for s in assessment.layout.skipped] == ["Read me"]


def test_a_label_on_one_sheet_only_is_a_problem_naming_both(make_xlsx):
    current = levels(1)
    target = {**levels(3), "Wealth": [3, 3, 3, 3, 3]}
    assessment = book(make_xlsx, {"Current": matrix("Unit", CDMM_AREAS, current),
                                  "Target": matrix("Unit", CDMM_AREAS[:4], target)})
    problems = assessment.problems[["source_sheet", "cell", "problem"]].values.tolist()
    assert ["Current", "F4", "area 'Information & Reporting' is on sheet 'Current' but not on sheet 'Target': add it "
            "there, or remove it here"] in problems
    assert ["Target", "A8", "unit 'Wealth' is on sheet 'Target' but not on sheet 'Current': add it there, or remove "
            "it here"] in problems
    assert len(assessment.normalized) == 3 * 4


def test_a_bad_level_cell_is_named_on_its_own_sheet(make_xlsx):
    target = levels(3)
    target["Payments"][2] = "TBD"
    assessment = book(make_xlsx, {"Current State": matrix("Unit", CDMM_AREAS, levels(1)),
                                  "Target State": matrix("Unit", CDMM_AREAS, target)})
    problem = assessment.problems.iloc[0]
    assert (problem["source_sheet"], problem["source_row"], problem["cell"], problem["column"], problem["value"]) == (
        "Target State", 6, "D6", "Build & Deploy", "TBD")
    assert "'TBD' is not a level" in problem["problem"]
    assert len(assessment.normalized) == 14


def test_rows_below_the_table_are_not_read_and_said(make_xlsx):
    sheets = {name: [*matrix("Unit", CDMM_AREAS, levels(base)), [], ["Scale", "1 = Base", "5 = Expert"],
                     ["Average", 2, 2, 2, 2, 2]]
              for name, base in (("Current State", 1), ("Target State", 3))}
    assessment = book(make_xlsx, sheets)
    assert len(assessment.normalized) == 15 and assessment.problems.empty
    assert ("sheet 'Current State': the table ends at row 8 (a blank row); the rows from there on are not read"
            in assessment.notes)


@pytest.mark.parametrize(
    ("areas", "scores", "model"),
    [
        (["Strategy & Metrics", "Secure Build", "Security Testing", "Incident Management"], (1.25, 2.5), "samm"),
        (["Organizational Context", "Asset Management", "Continuous Monitoring"], (1, 3), "own"),
    ],
)
def test_split_sheets_in_another_model(make_xlsx, areas, scores, model):
    current, target = scores
    sheets = {name: matrix("Team", areas, {"AppSec": [value] * len(areas), "Platform": [value] * len(areas)})
              for name, value in (("As-Is", current), ("To-Be", target))}
    assessment = book(make_xlsx, sheets)
    assert assessment.rubric.id == model
    assert assessment.problems.empty and len(assessment.normalized) == 2 * len(areas)
    assert assessment.normalized["gap"].tolist() == [target - current] * (2 * len(areas))


LEVEL = st.one_of(st.none(), st.integers(0, 6), st.sampled_from(["Base", "Expert", "L3", "TBD", "", "n/a", 2.5]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_no_level_cell_is_lost(data):
    """Every non-blank level cell of either sheet is a normalized row's current or target cell, or the
    cell of a problem, or on a label of a problem (a unit or area on one sheet only)."""
    units = data.draw(st.lists(st.sampled_from(["A", "B", "C", "D"]), min_size=1, max_size=4, unique=True))
    areas = data.draw(st.lists(st.sampled_from(CDMM_AREAS), min_size=2, max_size=5, unique=True))
    sheets = []
    for name in ("Current State", "Target State"):
        own_units = data.draw(st.lists(st.sampled_from(units), min_size=1, max_size=len(units), unique=True))
        rows = [[None, *areas], *([unit, *(data.draw(LEVEL) for _ in areas)] for unit in own_units)]
        sheets.append(RawSheet(name, pd.DataFrame(rows, dtype=object)))
    workbook = RawWorkbook("f.xlsx", "xlsx", tuple(sheets))
    try:
        assessment = assess_workbook(workbook, "cdmm")
    except NoDataError:  # both matrices blank: nothing to read, and said so
        assert all(is_blank(v) for sheet in sheets for v in sheet.cells.iloc[1:, 1:].to_numpy().ravel())
        return
    rows = assessment.normalized
    accounted = set(rows.get("current_cell", ())) | set(rows.get("target_cell", ()))
    accounted |= {f"{s}!{c}" for s, c in zip(assessment.problems["source_sheet"], assessment.problems["cell"],
                                              strict=True)}
    cells = {}  # (unit, area) → the cells of its levels and labels, on both sheets
    for sheet in sheets:
        for r in range(1, len(sheet.cells)):
            for c, area in enumerate(areas, start=1):
                key = (sheet.cells.iat[r, 0], area)
                cells.setdefault(key, {"blank": True, "cells": set()})
                cells[key]["cells"] |= {f"{sheet.name}!{chr(65 + c)}{r + 1}", f"{sheet.name}!A{r + 1}",
                                        f"{sheet.name}!{chr(65 + c)}1"}
                cells[key]["blank"] &= is_blank(sheet.cells.iat[r, c])
    for key, found in cells.items():
        assert found["blank"] or found["cells"] & accounted, key
