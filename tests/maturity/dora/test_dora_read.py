"""A delivery metrics table read through the engine's reader (maturity/dora/read.py): one row per unit and
period, every other non-blank row a problem naming its cell, nothing dropped."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from maturity import LimitExceededError, Limits, NoDataError
from maturity.dora import latest, parse_period, read_metrics
from maturity.dora.read import PROBLEM_COLUMNS, TABLE_COLUMNS

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "data" / "sample_delivery_metrics.csv"


@pytest.fixture
def write_csv(make_csv):
    """``write_csv(rows)``: a metrics CSV called metrics.csv (its one sheet is 'metrics')."""
    return lambda rows: make_csv(rows, name="metrics.csv")


def test_a_csv_with_units_in_its_headers(write_csv):
    path = write_csv([["Service", "Deploys/week", "Lead time (days)", "Change fail rate (%)", "MTTR (hours)"],
                      ["checkout", "14", "0.5", "4", "1"],
                      ["search", "1", "3", "12.5", "30 min"]])
    metrics = read_metrics(path)
    table = metrics.table
    assert list(table.columns) == list(TABLE_COLUMNS)
    assert list(table["unit"]) == ["checkout", "search"]
    assert list(table["deployment_frequency_per_day"]) == pytest.approx([2.0, 1 / 7])
    assert list(table["change_lead_time_hours"]) == [12.0, 72.0]
    assert list(table["change_fail_rate"]) == [0.04, 0.125]
    assert list(table["recovery_time_hours"]) == [1.0, 0.5]
    assert table["deployment_rework_rate"].isna().all()
    assert metrics.problems.empty and not metrics.has_periods
    assert metrics.metrics == ("deployment_frequency", "change_lead_time", "change_fail_rate", "recovery_time")


def test_an_xlsx_with_percent_cells_and_duration_cells(make_xlsx):
    path = make_xlsx({"Metrics": [["Delivery metrics, Q3"], [],
                                  ["Application", "Deployment frequency", "Change failure rate", "Time to restore"],
                                  ["Ledger", "daily", 0.04, dt.timedelta(hours=5)]]})
    table = read_metrics(path).table
    assert table.loc[0, ["unit", "deployment_frequency_per_day", "change_fail_rate", "recovery_time_hours"]].tolist() \
        == ["Ledger", 1.0, 0.04, 5.0]
    assert table.loc[0, "source_sheet"] == "Metrics" and table.loc[0, "source_row"] == 4


def test_every_unreadable_cell_is_a_problem_naming_it_and_the_rest_of_its_row_is_kept(write_csv):
    path = write_csv([["Team", "Deployment frequency", "Lead time", "Change fail rate"],
                      ["Mobile", "3 per wek", "4 hours", "4"],
                      ["", "daily", "1 day", "5%"],
                      ["Web", "weekly", "2-3 days", "10%"],
                      ["Average", "", "", ""]])
    metrics = read_metrics(path)
    assert list(metrics.table["unit"]) == ["Mobile", "Web"]
    mobile = metrics.table.iloc[0]
    assert mobile["change_lead_time_hours"] == 4.0
    assert pd.isna(mobile["deployment_frequency_per_day"]) and pd.isna(mobile["change_fail_rate"])
    assert mobile["unread"] == "deployment_frequency, change_fail_rate"
    problems = metrics.problems
    assert list(problems.columns) == list(PROBLEM_COLUMNS)
    assert problems[["cell", "column", "value"]].values.tolist() == [
        ["B2", "Deployment frequency", "3 per wek"], ["D2", "Change fail rate", "4"], ["A3", "Team", ""],
        ["C4", "Lead time", "2-3 days"], ["A5", "Team", "Average"]]
    assert "did you mean 'week'" in problems.loc[0, "problem"]
    assert "unit is empty" in problems.loc[2, "problem"]
    assert "a summary row" in problems.loc[4, "problem"]
    assert metrics.summary().endswith("2 rows of delivery metrics for 2 units, 4 rows with problems")


def test_periods_keep_several_readings_and_latest_takes_each_units_last(write_csv):
    path = write_csv([["Team", "As of", "Deployment frequency"],
                      ["Mobile", "2026-Q2", "weekly"], ["Web", "Q2 2026", "monthly"],
                      ["Mobile", "2026-Q3", "daily"], ["Mobile", "next year", "daily"],
                      ["Web", "2026-Q2", "weekly"]])
    metrics = read_metrics(path)
    assert metrics.has_periods
    assert metrics.table[["unit", "period"]].values.tolist() == [["Mobile", "2026-Q2"], ["Web", "2026-Q2"],
                                                                  ["Mobile", "2026-Q3"]]
    assert [p.split(":")[0] for p in metrics.problems["problem"]] == [
        "expected a date or a period", "unit 'Web' for period 2026-Q2 is already given on metrics row 3"]
    assert metrics.problems["source_row"].tolist() == [5, 6]
    newest = latest(metrics.table)
    assert newest[["unit", "period"]].values.tolist() == [["Mobile", "2026-Q3"], ["Web", "2026-Q2"]]


def test_a_unit_twice_without_periods_is_a_problem_naming_the_first_row(write_csv):
    path = write_csv([["Team", "Lead time"], ["Mobile", "4h"], ["mobile", "5h"]])
    metrics = read_metrics(path)
    assert metrics.table["change_lead_time_hours"].tolist() == [4.0]
    assert metrics.problems.loc[0, "problem"] == ("unit 'mobile' is already given on metrics row 2: this row is not "
                                                  "read (a period column keeps several readings of one unit)")


def test_a_header_unit_that_does_not_fit_is_a_problem_on_the_header_cell(write_csv):
    path = write_csv([["Team", "Lead time (%)"], ["Mobile", "4h"], ["Web", "3"]])
    metrics = read_metrics(path)
    assert metrics.table["change_lead_time_hours"].tolist()[0] == 4.0
    assert metrics.problems["cell"].tolist() == ["B1", "B3"]


@pytest.mark.parametrize(("cell", "label", "start"), [
    ("2026-03-31", "2026-03-31", dt.date(2026, 3, 31)), (dt.datetime(2026, 3, 31), "2026-03-31", dt.date(2026, 3, 31)),
    ("2026-03", "2026-03", dt.date(2026, 3, 1)), ("Mar 2026", "2026-03", dt.date(2026, 3, 1)),
    ("March 2026", "2026-03", dt.date(2026, 3, 1)), ("2026-Q1", "2026-Q1", dt.date(2026, 1, 1)),
    ("Q3 2026", "2026-Q3", dt.date(2026, 7, 1)), ("2026", "2026", dt.date(2026, 1, 1)),
    (2026.0, "2026", dt.date(2026, 1, 1))])
def test_periods_as_people_write_them(cell, label, start):
    assert parse_period(cell) == (label, start, None)


@pytest.mark.parametrize("cell", ["03/04/2026", "Q5 2026", "2026-13", "sometime", None, "Smarch 2026"])
def test_periods_that_cannot_be_placed_in_time_are_problems(cell):
    label, start, problem = parse_period(cell)
    assert (label, start) == (None, None) and problem


def test_a_file_without_a_metrics_table_says_what_each_sheet_lacks(sample_csv):
    with pytest.raises(NoDataError, match=r"found no delivery metrics table.*\(Unit, Dimension, Practice, .*\) has no "
                                          r"metric column$"):
        read_metrics(sample_csv)


def test_the_same_limits_as_an_assessment(write_csv):
    path = write_csv([["Team", "Lead time"], ["Mobile", "4h"]])
    with pytest.raises(LimitExceededError):
        read_metrics(path, limits=Limits(max_file_bytes=10))


def test_the_sample_reads_without_problems():
    metrics = read_metrics(SAMPLE)
    assert metrics.problems.empty
    assert metrics.table["unit"].nunique() == 7 and metrics.has_periods
    assert set(metrics.metrics) == {"deployment_frequency", "change_lead_time", "change_fail_rate", "recovery_time",
                                    "deployment_rework_rate"}
