"""Dates for the roadmap's phases: lengths as people write them, phases back to back from the start."""

import datetime as dt

import pytest

from maturity import GapmapError, assess, build_roadmap
from maturity.schedule import PhaseLength, parse_start, phase_dates, with_dates


@pytest.mark.parametrize(("text", "months", "weeks", "said"), [
    (None, 3, 0, "1 quarter"), ("1 quarter", 3, 0, "1 quarter"), ("2 quarters", 6, 0, "2 quarters"),
    ("Q", 3, 0, "1 quarter"), ("3 months", 3, 0, "1 quarter"), ("3m", 3, 0, "1 quarter"), ("1 month", 1, 0, "1 month"),
    ("a month", 1, 0, "1 month"), ("4 Months", 4, 0, "4 months"), ("6 weeks", 0, 6, "6 weeks"), ("6w", 0, 6, "6 weeks"),
    ("1 week", 0, 1, "1 week"), ("half a year", 6, 0, "2 quarters"), ("1 year", 12, 0, "4 quarters"),
])
def test_a_phase_length_is_read_as_written(text, months, weeks, said):
    length = PhaseLength.parse(text)
    assert (length.months, length.weeks, length.describe()) == (months, weeks, said)


@pytest.mark.parametrize(("text", "message"), [
    ("3 fortnights", "say how long each phase lasts"), ("-1m", "say how long each phase lasts"),
    ("0 months", "from a week to ten years"), ("200 months", "from a week to ten years"),
    ("half a quarter", "no whole number"), ("quarterly", "say how long each phase lasts"),
])
def test_a_phase_length_that_is_not_one_says_what_it_takes(text, message):
    with pytest.raises(GapmapError, match=message):
        PhaseLength.parse(text)


def test_phases_follow_each_other_from_the_start_day():
    quarters = phase_dates(4, dt.date(2027, 1, 1), PhaseLength())
    assert quarters.astype(str).values.tolist() == [
        ["1", "2027-01-01", "2027-03-31"], ["2", "2027-04-01", "2027-06-30"],
        ["3", "2027-07-01", "2027-09-30"], ["4", "2027-10-01", "2027-12-31"]]
    # From the 31st, a month later is the month's last day (February's 28th), not March the 3rd.
    months = phase_dates(2, dt.date(2027, 1, 31), PhaseLength.parse("1 month"))
    assert months.astype(str).values.tolist() == [["1", "2027-01-31", "2027-02-27"], ["2", "2027-02-28", "2027-03-30"]]
    weeks = phase_dates(2, dt.date(2027, 1, 4), PhaseLength.parse("2 weeks"))
    assert weeks.astype(str).values.tolist() == [["1", "2027-01-04", "2027-01-17"], ["2", "2027-01-18", "2027-01-31"]]


def test_every_step_gets_its_phases_dates(sample_xlsx):
    roadmap = build_roadmap(assess(sample_xlsx))
    dated = with_dates(roadmap, "2027-01-01", "2 quarters")
    assert list(dated.columns[:4]) == ["rank", "phase", "phase_start", "phase_end"]
    assert len(dated) == len(roadmap) and dated.drop(columns=["phase_start", "phase_end"]).equals(roadmap)
    first = dated[dated["phase"] == 2].iloc[0]
    assert (first["phase_start"], first["phase_end"]) == ("2027-07-01", "2027-12-31")


def test_a_start_that_is_no_date_says_how_to_write_one():
    assert parse_start("2027-01-04") == dt.date(2027, 1, 4)
    with pytest.raises(GapmapError, match="give the day phase 1 starts as YYYY-MM-DD"):
        parse_start("next monday")
