"""No level cell is lost, whatever the shape: the same assessment written as a long table, a wide table
(a pair of level columns per unit), split current and target sheets (areas across or down) and a
stacked sheet is read into normalized rows with exactly the levels written, or problems naming a cell
of that unit and area, never both and never neither."""

from io import BytesIO

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from maturity import assess
from maturity.columns import column_letter
from maturity.rubric import match_key

AREAS = ["Culture & Organization", "Design & Architecture", "Build & Deploy", "Test & Verification",
         "Information & Reporting"]
UNITS = ["Retail", "Payments", "Lending", "Treasury"]
SAMM = {"Governance": ["Strategy & Metrics", "Policy & Compliance", "Education & Guidance"],
        "Design": ["Threat Assessment", "Security Requirements", "Secure Architecture"],
        "Implementation": ["Secure Build", "Secure Deployment", "Defect Management"],
        "Verification": ["Architecture Assessment", "Requirements Testing", "Security Testing"],
        "Operations": ["Incident Management", "Environment Management", "Operational Management"]}

# A level cell: a level, left blank, or text that is no level (a problem).
level = st.one_of(st.integers(1, 5), st.none(), st.just("TBD"))


@st.composite
def assessments(draw):
    """``{(unit, area): (current, target)}`` over at least two units and three areas."""
    units = draw(st.lists(st.sampled_from(UNITS), min_size=2, max_size=4, unique=True))
    areas = draw(st.lists(st.sampled_from(AREAS), min_size=3, max_size=5, unique=True))
    return {(u, a): (draw(level), draw(level)) for u in units for a in areas}


def _ref(sheet: str, row: int, column: int) -> str:
    return f"{sheet}!{column_letter(column - 1)}{row}"


def _book(sheets: dict[str, dict[tuple[int, int], object]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, cells in sheets.items():
        sheet = workbook.create_sheet(title)
        for (row, column), value in cells.items():
            sheet.cell(row, column, value)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def long_table(data):
    """A row per unit and area; every cell of a row is that unit and area's."""
    cells, where = {}, {}
    for column, text in enumerate(["Unit", "Dimension", "Current", "Target"], start=1):
        cells[(1, column)] = text
    for row, ((unit, area), (current, target)) in enumerate(data.items(), start=2):
        for column, value in enumerate([unit, area, current, target], start=1):
            cells[(row, column)] = value
            where[_ref("Assessment", row, column)] = (unit, area)
    return {"Assessment": cells}, where


def wide_table(data):
    """A row per area, a Current and a Target column per unit."""
    units = list(dict.fromkeys(u for u, _ in data))
    areas = list(dict.fromkeys(a for _, a in data))
    cells, where = {(1, 1): "Dimension"}, {}
    for u, unit in enumerate(units):
        cells[(1, 2 + 2 * u)], cells[(1, 3 + 2 * u)] = f"{unit} - Current", f"{unit} - Target"
    for row, area in enumerate(areas, start=2):
        cells[(row, 1)] = area
        for u, unit in enumerate(units):
            for offset, value in enumerate(data[(unit, area)]):
                cells[(row, 2 + 2 * u + offset)] = value
                where[_ref("Assessment", row, 2 + 2 * u + offset)] = (unit, area)
    return {"Assessment": cells}, where


def split_sheets(data, areas_across: bool):
    """A 'Current State' and a 'Target State' sheet: a title block over a units × areas matrix (or its
    transpose)."""
    units = list(dict.fromkeys(u for u, _ in data))
    areas = list(dict.fromkeys(a for _, a in data))
    down, across = (units, areas) if areas_across else (areas, units)
    sheets, where = {}, {}
    for side, title in enumerate(["Current State", "Target State"]):
        cells = {(1, 1): "Northwind Mutual: maturity", (2, 1): "Assessed 2026-09",
                 (4, 1): "Business Unit" if areas_across else "Practice Area"}
        for c, label in enumerate(across, start=2):
            cells[(4, c)] = label
        for r, label in enumerate(down, start=5):
            cells[(r, 1)] = label
            for c, other in enumerate(across, start=2):
                key = (label, other) if areas_across else (other, label)
                cells[(r, c)] = data[key][side]
                where[_ref(title, r, c)] = key
        sheets[title] = cells
    return sheets, where


def stacked_sheet(scores):
    """SAMM's Scorecard layout for one organisation: a 'Current Maturity Score' block and a 'Target
    Maturity Score' block of Business Functions | Security Practices | Current, one row per practice."""
    cells = {(1, 1): "SAMM Assessment Scorecard", (5, 1): "Organization:", (5, 3): "Acme Brick Co"}
    where = {}
    practices = [(f, p) for f, names in SAMM.items() for p in names]
    for block, title_row in enumerate([11, 31]):
        cells[(title_row, 1)] = ["Current Maturity Score", "Target Maturity Score"][block]
        header = title_row + 2
        for column, text in enumerate(["Business Functions", "Security Practices", "Current"], start=1):
            cells[(header, column)] = text
        for offset, (function, practice) in enumerate(practices, start=1):
            cells[(header + offset, 1)] = function
            cells[(header + offset, 2)] = practice
            cells[(header + offset, 3)] = scores[practice][block]
            where[_ref("Scorecard", header + offset, 3)] = ("Acme Brick Co", practice)
    return {"Scorecard": cells}, where


def _accounted(assessment, data, where, dimension_of):
    """Every unit and area written is read with exactly its levels, or is named by a problem's cell."""
    rows = assessment.normalized
    read = {(u, d): (c, t) for u, d, c, t in rows[["unit", "dimension", "current_level", "target_level"]]
            .itertuples(index=False)}
    assert len(read) == len(rows), "a unit and area read twice"
    problems = assessment.problems
    cells = [f"{s}!{c}" for s, c in zip(problems["source_sheet"], problems["cell"], strict=True)]
    assert set(cells) <= set(where), f"problems naming no level, unit or area cell: {set(cells) - set(where)}"
    named = {where[cell] for cell in cells}
    for (unit, area), (current, target) in data.items():
        key = (unit, dimension_of(area))
        written = [v for v in (current, target) if v is not None]
        if not written:
            assert key not in read, f"{key}: nothing written, yet read"
            continue
        if key in read:
            assert (unit, area) not in named, f"{key}: read and a problem"
            assert read[key] == (current, target), f"{key}: wrote {(current, target)}, read {read[key]}"
        else:
            assert (unit, area) in named, f"{key}: written {written}, neither read nor a problem"
    assert set(read) <= {(u, dimension_of(a)) for u, a in data}


def _area_ids(assessment):
    return lambda area: assessment.rubric.dimension_lookup[match_key(area)]


SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(data=assessments(), shape=st.sampled_from(["long", "wide", "split across", "split down"]))
def test_no_level_cell_is_lost_in_any_shape(data, shape):
    build = {"long": long_table, "wide": wide_table, "split across": lambda d: split_sheets(d, True),
             "split down": lambda d: split_sheets(d, False)}[shape]
    sheets, where = build(data)
    assessment = assess(_book(sheets), "book.xlsx", "cdmm")
    _accounted(assessment, data, where, _area_ids(assessment))


score = st.one_of(st.sampled_from([0, 0.5, 1, 1.25, 2, 3]), st.none(), st.just("TBD"))


@SETTINGS
@given(scores=st.fixed_dictionaries({p: st.tuples(score, score) for names in SAMM.values() for p in names}))
def test_no_score_cell_is_lost_in_a_stacked_sheet(scores):
    sheets, where = stacked_sheet(scores)
    assessment = assess(_book(sheets), "toolbox.xlsx", "samm")
    data = {("Acme Brick Co", p): s for p, s in scores.items()}
    _accounted(assessment, data, where, _area_ids(assessment))
    assert pd.api.types.is_float_dtype(assessment.normalized["current_level"])
