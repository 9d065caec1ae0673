"""The as-of date a title block states: the forms read, the forms refused, and where it was found."""

from datetime import date, datetime

import pandas as pd
import pytest

from maturity import RawSheet, RawWorkbook, read_workbook
from maturity.asof import AsOf, find_as_of, parse_as_of_text


def _book(rows, name="Assessment"):
    return RawWorkbook("f.xlsx", "xlsx", (RawSheet(name, pd.DataFrame(rows, dtype=object)),))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-09", AsOf(date(2026, 9, 1), "month")),
        ("2026-09-30", AsOf(date(2026, 9, 30))),
        ("2026/9/3", AsOf(date(2026, 9, 3))),
        ("2026-09-30T10:00", AsOf(date(2026, 9, 30))),
        ("30 September 2026", AsOf(date(2026, 9, 30))),
        ("Sep 30, 2026", AsOf(date(2026, 9, 30))),
        ("3rd March 2026", AsOf(date(2026, 3, 3))),
        ("Sept. 2026 by Bluefin", AsOf(date(2026, 9, 1), "month")),
        ("2026-13", None),  # no 13th month
        ("2026-02-30", None),
        ("09/10/2026", None),  # month first or day first: not guessed
        ("1850-01", None),  # not a plausible assessment year
        ("Q3", None),
        ("soon", None),
    ],
)
def test_the_forms_read(text, expected):
    assert parse_as_of_text(text) == expected


def test_a_month_covers_the_whole_month():
    month = AsOf(date(2026, 2, 1), "month")
    assert (month.text, month.end) == ("2026-02", date(2026, 2, 28))
    assert (AsOf(date(2026, 2, 3)).text, AsOf(date(2026, 2, 3)).end) == ("2026-02-03", date(2026, 2, 3))


@pytest.mark.parametrize(
    ("rows", "found"),
    [
        ([["Acme: CD maturity"], ["Assessed: 2026-09 by Bluefin"]], ("2026-09", "A2")),
        ([["Assessment date:", None, "30 June 2026"]], ("2026-06-30", "C1")),
        ([[None, "As of:", datetime(2026, 3, 31, 0, 0)]], ("2026-03-31", "C1")),
        ([["Date:", date(2025, 12, 1)]], ("2025-12-01", "B1")),
        ([["Assessed: next quarter"], ["Date: 2026-01-15"]], ("2026-01-15", "A2")),  # a label with no date is passed
        ([["Date", "Current", "Target"], ["2026-09-01", 1, 2]], None),  # a column header, not a label
        ([["Assessed:", 42]], None),  # a number is not a date
        ([["Printed on: 2026-09-01"]], None),  # not a label of the assessment's date
    ],
)
def test_the_date_in_a_title_block(rows, found):
    result = find_as_of(_book(rows))
    assert (None if result is None else (result[0].text, result[1].cell)) == found


def test_the_data_sheets_are_looked_at_first():
    book = RawWorkbook("f.xlsx", "xlsx", (RawSheet("Read me", pd.DataFrame([["Date: 2025-01-01"]], dtype=object)),
                                          RawSheet("Data", pd.DataFrame([["Assessed: 2026-09"]], dtype=object))))
    assert find_as_of(book, ("Data",))[1].sheet == "Data"
    assert find_as_of(book)[1].sheet == "Read me"


def test_the_sample_states_its_month(sample_xlsx):
    stated, where = find_as_of(read_workbook(sample_xlsx))
    assert stated == AsOf(date(2026, 9, 1), "month")
    assert where.describe() == "cell A3 of sheet 'Retail Banking'"
