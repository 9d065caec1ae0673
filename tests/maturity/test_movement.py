"""maturity/movement.py: what moved between the last two snapshots of a history, and what is stuck."""

from __future__ import annotations

import pandas as pd
import pytest

from maturity.movement import MOVEMENT_COLUMNS, STUCK_COLUMNS, movements, stuck


def history(levels: dict[int, dict[tuple[str, str], tuple[float, float]]]) -> pd.DataFrame:
    """``{snapshot: {(unit, dimension): (current, target)}}`` as :func:`maturity.store.history` gives it."""
    records = [(snapshot, f"Q{snapshot}", f"2026-0{snapshot}-01", unit, dimension, dimension.title(), current,
                target, max(target - current, 0))
               for snapshot, cells in levels.items() for (unit, dimension), (current, target) in cells.items()]
    return pd.DataFrame(records, columns=["snapshot", "label", "as_of", "unit", "dimension", "dimension_name",
                                          "current_level", "target_level", "gap"])


def test_movements_list_regressions_first_then_rises_since_the_previous_snapshot():
    frame = history({1: {("Ops", "build"): (1, 3), ("Ops", "test"): (3, 4), ("Web", "build"): (2, 3)},
                     2: {("Ops", "build"): (2, 3), ("Ops", "test"): (3, 4), ("Web", "build"): (2.5, 3)},
                     3: {("Ops", "build"): (1.5, 3), ("Ops", "test"): (4, 4), ("Web", "build"): (3.5, 4),
                         ("New", "build"): (1, 2)}})
    moved = movements(frame)
    assert list(moved.columns) == list(MOVEMENT_COLUMNS)
    assert moved[["unit", "dimension", "change", "status"]].values.tolist() == [
        ["Ops", "build", -0.5, "regressed"], ["Ops", "test", 1.0, "improved"], ["Web", "build", 1.0, "improved"]]


@pytest.mark.parametrize("snapshots", [{}, {1: {("Ops", "build"): (1, 3)}}])
def test_no_movement_without_two_snapshots(snapshots):
    frame = history(snapshots) if snapshots else history({1: {}}).iloc[0:0]
    assert movements(frame).empty and list(movements(frame).columns) == list(MOVEMENT_COLUMNS)
    assert stuck(frame).empty


def test_stuck_counts_the_snapshots_at_one_level_back_from_the_latest_while_short_of_target():
    frame = history({1: {("Ops", "build"): (2, 3), ("Ops", "test"): (1, 4), ("Web", "build"): (3, 3)},
                     2: {("Ops", "build"): (2, 3), ("Ops", "test"): (2, 4), ("Web", "build"): (3, 3)},
                     3: {("Ops", "build"): (2, 3), ("Ops", "test"): (2, 4), ("Web", "build"): (3, 3)},
                     4: {("Ops", "build"): (2, 3), ("Ops", "test"): (2, 4), ("Web", "build"): (3, 3),
                         ("New", "build"): (1, 2)}})
    found = stuck(frame)
    assert list(found.columns) == list(STUCK_COLUMNS)
    # Web is at its target (not stuck), New has one snapshot only.
    assert found[["unit", "dimension", "snapshots", "since"]].values.tolist() == [
        ["Ops", "build", 4, "Q1"], ["Ops", "test", 3, "Q2"]]
    assert stuck(frame, at_least=4)["unit"].tolist() == ["Ops"]


def test_a_gap_in_the_snapshots_starts_the_count_again():
    frame = history({1: {("Ops", "build"): (2, 3)}, 2: {("Web", "build"): (1, 2)},
                     3: {("Ops", "build"): (2, 3), ("Web", "build"): (1, 2)}})
    assert stuck(frame)[["unit", "snapshots"]].values.tolist() == [["Web", 2]]
