"""Reading DORA's metrics as people write them (maturity/dora/parse.py): one row per spelling, and the near
misses that must be problems saying what was expected, never a guess."""

from __future__ import annotations

import datetime as dt

import pytest

from maturity.dora.parse import HeaderUnit, parse_header, parse_value

DAY = 1.0
WEEK = 1 / 7
MONTH = 1 / 30

FREQUENCIES = [
    ("on demand", 2.0),
    ("On-demand", 2.0),
    ("multiple deploys per day", 2.0),
    ("Multiple deploys/day", 2.0),
    ("daily", DAY),
    ("Daily", DAY),
    ("every day", DAY),
    ("3 per week", 3 * WEEK),
    ("3/week", 3 * WEEK),
    ("3 / week", 3 * WEEK),
    ("3x a week", 3 * WEEK),
    ("3 times a week", 3 * WEEK),
    ("3 deploys per week", 3 * WEEK),
    ("twice a week", 2 * WEEK),
    ("twice weekly", 2 * WEEK),
    ("once a month", MONTH),
    ("weekly", WEEK),
    ("fortnightly", WEEK / 2),
    ("2 per month", 2 * MONTH),
    ("2/month", 2 * MONTH),
    ("monthly", MONTH),
    ("every 2 months", MONTH / 2),
    ("once every 3 weeks", WEEK / 3),
    ("every other week", WEEK / 2),
    ("every 4 hours", 6.0),
    ("10 per day", 10.0),
    ("3 per 2 weeks", 3 * WEEK / 2),
    ("quarterly", 1 / 90),
    ("~3 per week", 3 * WEEK),
]


@pytest.mark.parametrize(("cell", "per_day"), FREQUENCIES)
def test_deployment_frequencies_as_people_write_them(cell, per_day):
    value, problem = parse_value(cell, "frequency")
    assert problem is None
    assert value == pytest.approx(per_day)


DURATIONS = [
    ("4 hours", 4.0),
    ("4h", 4.0),
    ("4 hrs", 4.0),
    ("4 H", 4.0),
    ("1.5 hours", 1.5),
    ("3 days", 72.0),
    ("3d", 72.0),
    ("a day", 24.0),
    ("one week", 168.0),
    ("2 weeks", 336.0),
    ("3 months", 2160.0),
    ("30 min", 0.5),
    ("30 minutes", 0.5),
    ("1d 4h", 28.0),
    ("2 hours 30 min", 2.5),
    ("about 3 days", 72.0),
    (dt.timedelta(hours=6), 6.0),
]


@pytest.mark.parametrize(("cell", "hours"), DURATIONS)
def test_times_as_people_write_them(cell, hours):
    value, problem = parse_value(cell, "duration")
    assert problem is None
    assert value == pytest.approx(hours)


RATES = [("4%", 0.04), ("4 %", 0.04), ("4.5%", 0.045), ("0.04", 0.04), (0.04, 0.04), ("4 percent", 0.04),
         ("four percent", 0.04), ("0%", 0.0),
         ("100%", 1.0), (0, 0.0), ("0.5", 0.5)]


@pytest.mark.parametrize(("cell", "share"), RATES)
def test_rates_as_people_write_them(cell, share):
    value, problem = parse_value(cell, "rate")
    assert problem is None
    assert value == pytest.approx(share)


# A bare number takes its unit from the header.
UNITS_IN_HEADERS = [
    ("Lead time (days)", 3, "duration", 72.0),
    ("Lead time (days)", "3", "duration", 72.0),
    ("Lead time (days)", "4 hours", "duration", 4.0),  # a value's own unit wins
    ("Lead time in hours", 5.0, "duration", 5.0),
    ("MTTR (h)", 2, "duration", 2.0),
    ("Time to restore (min)", 90, "duration", 1.5),
    ("Deployments per week", 3, "frequency", 3 * WEEK),
    ("Deploys/week", 14, "frequency", 2.0),
    ("Deployment frequency (per month)", 2, "frequency", 2 * MONTH),
    ("Deployment frequency (deploys/day)", 5, "frequency", 5.0),
    ("Change fail rate (%)", 4, "rate", 0.04),
    ("Change failure rate %", "12.5", "rate", 0.125),
    ("Rework rate (share)", 0.2, "rate", 0.2),
]


@pytest.mark.parametrize(("header", "cell", "kind", "expected"), UNITS_IN_HEADERS)
def test_a_bare_number_takes_the_unit_its_header_gives(header, cell, kind, expected):
    metric, unit, problem = parse_header(header)
    assert metric is not None and problem is None
    value, why = parse_value(cell, kind, unit)
    assert why is None
    assert value == pytest.approx(expected)


NEAR_MISSES = [
    # (cell, kind, words the problem must say)
    ("3 per wek", "frequency", "did you mean 'week'"),
    ("daly", "frequency", "did you mean 'daily'"),
    ("biweekly", "frequency", "twice a week or every two weeks"),
    ("bi-monthly", "frequency", "twice a month or every two months"),
    ("3", "frequency", "a number without a unit"),
    (3.0, "frequency", "a number without a unit"),
    ("3 deploys", "frequency", "a number without a unit"),
    ("4 hours", "frequency", "a time, not a frequency"),
    ("0 per week", "frequency", "no deployments"),
    ("never", "frequency", "expected a deployment frequency"),
    ("fast", "frequency", "expected a deployment frequency"),
    ("2-3 per week", "frequency", "a range"),
    ("4 hourz", "duration", "did you mean 'hour"),
    ("3 dys", "duration", "did you mean 'days'"),
    ("30m", "duration", "minutes or months"),
    ("3", "duration", "a number without a unit"),
    (3, "duration", "a number without a unit"),
    ("2-3 days", "duration", "a range"),
    ("2 to 3 days", "duration", "a range"),
    ("< 1 day", "duration", "a bound, not a measurement"),
    ("less than one day", "duration", "a bound, not a measurement"),
    ("1,5 days", "duration", "a comma inside a number"),
    ("-2 days", "duration", "a negative number"),
    ("0 hours", "duration", "a time of zero"),
    ("weekly", "duration", "a frequency, not a time"),
    ("4 hours?", "duration", "a time with its unit"),
    (dt.date(2026, 3, 1), "duration", "a date"),
    ("4", "rate", "write 4% for a percentage"),
    (4, "rate", "write 4% for a percentage"),
    ("1.5", "rate", "not a share of 0–1"),
    ("104%", "rate", "more than every deployment"),
    ("4%%", "rate", "a percentage ('4%') or a share"),
    ("-4%", "rate", "a negative number"),
    ("4 per cent", "rate", "expected a percentage"),
    (True, "rate", "a true/false cell"),
    (dt.timedelta(hours=2), "rate", "a duration cell"),
]


@pytest.mark.parametrize(("cell", "kind", "said"), NEAR_MISSES)
def test_near_misses_are_problems_saying_what_was_expected(cell, kind, said):
    value, problem = parse_value(cell, kind)
    assert value is None
    assert problem is not None and said in problem, problem


@pytest.mark.parametrize("cell", [None, float("nan"), "", "   ", "n/a", "N/A", "-", "not measured", "TBD"])
@pytest.mark.parametrize("kind", ["frequency", "duration", "rate"])
def test_blank_and_not_measured_cells_are_not_given(cell, kind):
    assert parse_value(cell, kind) == (None, None)


HEADERS = [
    ("Deployment frequency", "deployment_frequency", None),
    ("Deploys/week", "deployment_frequency", 1 / 7),
    ("Lead time for changes (hours)", "change_lead_time", 1.0),
    ("Lead time (days)", "change_lead_time", 24.0),
    ("Median lead time (days)", "change_lead_time", 24.0),
    ("Change Failure Rate", "change_fail_rate", None),
    ("CFR (%)", "change_fail_rate", 0.01),
    ("Failed deployment recovery time", "recovery_time", None),
    ("Time to restore service", "recovery_time", None),
    ("MTTR (hours)", "recovery_time", 1.0),
    ("Deployment rework rate", "deployment_rework_rate", None),
    ("Team", None, None),
    ("Notes", None, None),
    (None, None, None),
]


@pytest.mark.parametrize(("header", "metric", "factor"), HEADERS)
def test_headers_name_a_metric_and_its_unit(header, metric, factor):
    found, unit, problem = parse_header(header)
    assert (found, problem) == (metric, None)
    assert unit.factor == (pytest.approx(factor) if factor is not None else None)


@pytest.mark.parametrize(("header", "said"), [("Lead time (%)", "a percentage"),
                                              ("Deployment frequency (days)", "a time unit"),
                                              ("Change fail rate (per week)", "a frequency")])
def test_a_header_unit_that_does_not_fit_its_metric_is_a_problem_and_ignored(header, said):
    metric, unit, problem = parse_header(header)
    assert metric is not None
    assert unit == HeaderUnit()
    assert problem is not None and said in problem
