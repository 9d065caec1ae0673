"""Invariants over arbitrary input (hypothesis), through ``maturity.assess``: reading, laying out, normalizing.

* Any bytes, any text as CSV, any cell values in a valid layout (a real .xlsx written by openpyxl, and
  a CSV): a result or a ``GapmapError``, never another exception.
* No row is lost: every non-blank row under the header is either normalized or in the problems table
  (the engine keeps the two disjoint per sheet and row), so their counts add up.
* An export round-trips: the normalized table written as CSV or Excel and assessed again gives the
  same units, dimensions, practices and levels.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math

import openpyxl
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from maturity import Assessment, GapmapError, assess, load_rubric, read_workbook, to_csv_bytes, to_excel_bytes

HEADER = ["Unit", "Dimension", "Practice", "Current", "Target", "Notes"]
RUBRIC = load_rubric("cdmm")
HOSTILE = [
    "<script>alert(1)</script>", "**bold**", "[x](javascript:alert(1))", ":red[x]", "$x$", '=HYPERLINK("http://x")',
    "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3", "\t=1", "\r=1", "'=1", "\u202eevil", "#REF!", "#DIV/0!", "#N/A",
]
WORDS = [
    *HEADER, "Average", "Total", "N/A", "n/a", "-", "TBD", "L3", "Level 2", "3 - Intermediate", "3/5", "0", "6",
    *(level.name for level in RUBRIC.levels), *(d.name for d in RUBRIC.dimensions),
    *(p.label for d in RUBRIC.dimensions for p in d.practices[:2]),
]
TEXT = st.one_of(st.text(max_size=30), st.sampled_from(HOSTILE + WORDS))
CELL = st.one_of(
    st.none(),
    TEXT,
    st.integers(-3, 9),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(dt.date(1900, 3, 1), dt.date(2100, 1, 1)),
    st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(2100, 1, 1)),
)
ANY_ROW = st.lists(CELL, min_size=len(HEADER), max_size=len(HEADER))
PLAUSIBLE_ROW = st.tuples(
    TEXT,
    st.sampled_from([d.name for d in RUBRIC.dimensions]),
    TEXT,
    st.one_of(st.integers(1, 5), st.sampled_from([level.name for level in RUBRIC.levels])),
    st.one_of(st.integers(1, 5), st.sampled_from([level.name for level in RUBRIC.levels])),
    st.one_of(st.none(), TEXT),
).map(list)
ROWS = st.lists(st.one_of(ANY_ROW, PLAUSIBLE_ROW), max_size=12)
SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def xlsx_of(rows: list[list[object]]) -> bytes:
    """A real .xlsx (openpyxl) of the header and ``rows``; text is stored as text, never as a formula."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Assessment"
    for row in [HEADER, *rows]:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_of(rows: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([HEADER, *[["" if v is None else v for v in r] for r in rows]])
    return buffer.getvalue().encode("utf-8")


def blank(value: object) -> bool:
    """Empty as the engine's reader hands it over: nothing, NaN, or text of only spaces."""
    return value is None or (isinstance(value, float) and math.isnan(value)) or (
        isinstance(value, str) and not value.strip()
    )


def assert_no_row_lost(data: bytes, filename: str) -> Assessment | None:
    """Assess ``data``: a ``GapmapError`` is fine; a result must account for every non-blank data row."""
    try:
        assessment = assess(data, filename)
    except GapmapError as error:
        assert str(error) and "\n" not in str(error)
        return None
    workbook = read_workbook(data, filename)
    expected = 0
    for sheet_layout in assessment.layout.sheets:
        assert not sheet_layout.problems(), sheet_layout.problems()
        cells = next(s for s in workbook.sheets if s.name == sheet_layout.sheet).cells
        body = sheet_layout.body(cells)  # the rows from a table's end on are not read, and a note says so
        if sheet_layout.end_row:
            assert any(f"the table ends at row {sheet_layout.end_row}" in note for note in assessment.notes)
        expected += sum(not all(blank(v) for v in row) for row in body.itertuples(index=False))
    problem_rows = assessment.problems[["source_sheet", "source_row"]].drop_duplicates()
    normalized_rows = assessment.normalized[["source_sheet", "source_row"]]
    assert len(assessment.normalized) + len(problem_rows) == expected, (assessment.normalized, assessment.problems)
    assert not set(map(tuple, problem_rows.to_numpy())) & set(map(tuple, normalized_rows.to_numpy()))
    return assessment


# --------------------------------------------------------------------------------------------------
# Never an unexpected exception, never a lost row


@SETTINGS
@given(data=st.binary(max_size=2048), filename=st.sampled_from(["a.xlsx", "a.csv", "a.ods", "a.txt", "upload"]))
def test_arbitrary_bytes(data: bytes, filename: str) -> None:
    assert_no_row_lost(data, filename)


@SETTINGS
@given(text=st.text(max_size=400), header=st.booleans())
def test_arbitrary_text_as_csv(text: str, header: bool) -> None:
    assert_no_row_lost(((",".join(HEADER) + "\n") * header + text).encode("utf-8"), "a.csv")


@SETTINGS
@given(rows=ROWS)
def test_arbitrary_cells_in_a_real_workbook(rows: list[list[object]]) -> None:
    assessment = assert_no_row_lost(xlsx_of(rows), "assessment.xlsx")
    assert assessment is not None, "a valid layout is always read"
    assert [s.header_row for s in assessment.layout.sheets] == [1]


@SETTINGS
@given(rows=ROWS)
def test_arbitrary_cells_in_a_csv(rows: list[list[object]]) -> None:
    assert_no_row_lost(csv_of(rows), "assessment.csv")


# --------------------------------------------------------------------------------------------------
# Exports round-trip

SAME = ["unit", "dimension", "practice", "current_level", "target_level"]


def comparable(frame: pd.DataFrame) -> list[tuple]:
    return [tuple(None if pd.isna(v) else v for v in row) for row in frame[SAME].itertuples(index=False)]


@SETTINGS
@given(rows=st.lists(PLAUSIBLE_ROW, max_size=10))
def test_the_normalized_csv_export_reads_back_the_same(rows: list[list[object]]) -> None:
    first = assess(xlsx_of(rows), "assessment.xlsx")
    again = assess(to_csv_bytes(first.normalized), "normalized.csv")
    assert comparable(again.normalized) == comparable(first.normalized)


@SETTINGS
@given(rows=st.lists(PLAUSIBLE_ROW, max_size=10))
def test_the_normalized_excel_export_reads_back_the_same(rows: list[list[object]]) -> None:
    first = assess(xlsx_of(rows), "assessment.xlsx")
    again = assess(to_excel_bytes({"Normalized": first.normalized}), "normalized.xlsx")
    assert comparable(again.normalized) == comparable(first.normalized)
