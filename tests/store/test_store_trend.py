"""maturity/store/trend.py: an organisation's headline figures per snapshot, computed by the database, are the
figures the dashboard's headline gives of each snapshot's rows (on SQLite and PostgreSQL)."""

from __future__ import annotations

import math

import maturity
from maturity import charts
from maturity.store import load_snapshot, open_store, save_snapshot
from maturity.store.trend import TREND_COLUMNS, organisation_trend
from tests.store.people import OP, WS


def test_the_trend_is_each_snapshots_headline(db_url, book):
    store = open_store(db_url)
    first = book({"Ops": {"Build & Deploy": (1, 3), "Test & Verification": (2, 2)},
                  "Web": {"Build & Deploy": (3, 4), "Test & Verification": (4, 3)}}, "q1.xlsx")
    second = book({"Ops": {"Build & Deploy": (2, 3), "Test & Verification": (2, 4)},
                   "Web": {"Build & Deploy": (3, 4)}}, "q2.xlsx")
    ids = [save_snapshot(store, maturity.assess(path), "Acme", day, label, access=OP, workspace=WS)
           for path, day, label in ((first, "2026-03-31", "Q1"), (second, "2026-06-30", "Q2"))]
    save_snapshot(store, maturity.assess(second), "Other", "2026-06-30", "Q2", access=OP, workspace=WS)
    trend = organisation_trend(store, "Acme", access=OP)
    assert list(trend.columns) == list(TREND_COLUMNS)
    assert trend["snapshot"].tolist() == ids and trend["label"].tolist() == ["Q1", "Q2"]
    for row, snapshot_id in zip(trend.itertuples(), ids, strict=True):
        saved = load_snapshot(store, snapshot_id, access=OP).assessment
        expected = charts.headline(saved.normalized, saved.rubric)
        assert (row.units, row.practices, row.steps) == (expected["units"], expected["practices"], expected["steps"])
        for column, key in (("current_level", "current"), ("target_level", "target"), ("gap", "gap")):
            assert math.isclose(getattr(row, column), expected[key], abs_tol=1e-6)
    assert trend["gap"].tolist() == [0.75, 1.333333]  # Web's tests above target count 0, not -1


def test_the_trend_per_area_and_an_organisation_without_snapshots(db_url, book):
    store = open_store(db_url)
    path = book({"Ops": {"Build & Deploy": (1, 3), "Test & Verification": (2, 2)},
                 "Web": {"Build & Deploy": (3, 4)}})
    save_snapshot(store, maturity.assess(path), "Acme", "2026-03-31", "Q1", access=OP, workspace=WS)
    areas = organisation_trend(store, "Acme", by_dimension=True, access=OP)
    assert areas[["dimension", "dimension_name", "units", "current_level", "target_level"]].values.tolist() == [
        ["build", "Build & Deploy", 2, 2.0, 3.5], ["test", "Test & Verification", 1, 2.0, 2.0]]
    assert organisation_trend(store, "Nobody", access=OP).empty
