"""Snapshots saved and read back: every field, exactly; immutable, deleted only when confirmed and
logged; one transaction each; one organisation's never seen from another."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import pytest
from sqlalchemy import func, select

import maturity
from maturity.errors import OverlapError, StoreError
from maturity.store import (
    AppliedCorrections,
    Source,
    apply_target_edits,
    corrections_from_dict,
    corrections_to_dict,
    delete_snapshot,
    history,
    list_snapshots,
    load_snapshot,
    open_store,
    organisations,
    resolve_snapshot,
    save_snapshot,
    target_edits,
)
from maturity.store import save as save_module
from maturity.store.schema import audit_log, snapshot_problems, snapshot_rows, snapshot_sources, snapshots
from tests.store.people import OP, WS, person

ALICE = person("alice@acme.example", acme="editor")


def _same(restored: maturity.Assessment, saved: maturity.Assessment) -> None:
    pd.testing.assert_frame_equal(restored.normalized, saved.normalized, check_exact=True)
    pd.testing.assert_frame_equal(restored.problems, saved.problems, check_exact=True)
    assert restored.layout == saved.layout
    assert restored.notes == saved.notes
    assert restored.choice == saved.choice
    assert restored.area_matches == saved.area_matches
    assert restored.filename == saved.filename
    assert restored.rubric.fingerprint == saved.rubric.fingerprint
    assert restored.summary() == saved.summary()


def test_a_snapshot_reads_back_exactly_as_saved(db_url, sample_xlsx):
    store = open_store(db_url)
    data = sample_xlsx.read_bytes()
    assessment = maturity.assess(data, sample_xlsx.name)
    edited = {0: 5, 7: 1}  # targets changed by hand, as the dashboard keeps them
    edits = target_edits(assessment, edited)
    corrections = AppliedCorrections(maturity.Corrections(("Payments",), 4, (("B", "unit"),), (("D", 1, 5),)),
                                     "next", (("build and deploying", "build"),), "auto")
    snapshot_id = save_snapshot(store, [assessment], "Acme Bank", "2026-03-31", "Q1 2026", corrections, edits,
                                [Source(sample_xlsx.name, data)], access=ALICE, workspace="acme")

    snapshot = load_snapshot(store, snapshot_id, "Acme Bank", access=ALICE)
    info = snapshot.info
    assert (info.id, info.organisation, info.as_of.isoformat(), info.label) == (snapshot_id, "Acme Bank",
                                                                                "2026-03-31", "Q1 2026")
    rubric = assessment.rubric
    assert (info.model_id, info.model_version, info.model_name, info.model_fingerprint) == (
        rubric.id, rubric.version, rubric.name, rubric.fingerprint)
    assert (info.unit_count, info.row_count, info.problem_count) == (6, 105, 8)
    assert info.workspace == "acme"
    assert info.saved_by == "alice@acme.example" and info.saved_at.tzinfo is not None and info.gapmap_version
    assert snapshot.rubric == rubric
    (source,) = snapshot.sources
    assert (source.filename, source.size, source.content) == (sample_xlsx.name, len(data), data)
    assert source.sha256 == hashlib.sha256(data).hexdigest()
    assert snapshot.corrections == corrections
    pd.testing.assert_frame_equal(snapshot.target_edits, edits, check_dtype=False)
    # The rows saved carry the edited targets; the assessment read back is the edited one, exactly.
    _same(snapshot.assessment, apply_target_edits(assessment, edits))
    assert snapshot.assessment.normalized.loc[[0, 7], "target_level"].tolist() == [5, 1]
    # Applying the edits again to what was read back changes nothing.
    _same(apply_target_edits(snapshot.assessment, snapshot.target_edits), snapshot.assessment)


@pytest.mark.parametrize("current", [1.4833, 0.25, 2.9999999999999996, 1 / 3])
def test_fractional_levels_round_trip_exactly(db_url, make_xlsx, current):
    path = make_xlsx({"SAMM": [["Unit", "Dimension", "Current", "Target"],
                               ["AppSec", "Strategy and Metrics", current, 2.5],
                               ["AppSec", "Threat Assessment", 1.0, 3]]})
    assessment = maturity.assess(path, rubric="samm")
    assert assessment.normalized["current_level"].dtype == "Float64"
    store = open_store(db_url)
    saved = save_snapshot(store, [assessment], "Acme", "2026-03-31", access=OP, workspace=WS)
    restored = load_snapshot(store, saved, access=OP).assessment
    _same(restored, assessment)
    read = assessment.normalized["current_level"].iloc[0]  # as the reader read it (it keeps 15 digits)
    assert restored.normalized["current_level"].iloc[0] == read and abs(read - current) < 1e-12
    assert history(store, "Acme", access=OP)["current_level"].iloc[0] == round(read, 6)


def test_every_optional_column_and_odd_text_survives(db_url, make_xlsx):
    hostile = ["=HYPERLINK(\"http://x\",\"y\")", "<script>alert(1)</script>", "**bold**", "ünïcødé ☃", "a\nb", ""]
    rows = [["Unit", "Dimension", "Practice", "Current", "Target", "Priority", "Effort", "Owner", "Notes",
             "Evidence", "Applicable"]]
    for i, text in enumerate(hostile):
        rows.append([f"Unit {text}", "Build & Deploy", f"practice {i}", 2, 4, "High", "M", text or None, text or None,
                     None, "no" if i == 2 else "yes"])
    assessment = maturity.assess(make_xlsx({"Sheet": rows}))
    assert {"owner", "notes", "applicable", "priority", "effort"} <= set(assessment.normalized)
    store = open_store(db_url)
    saved = save_snapshot(store, assessment, "Acme", "2026-03-31", access=OP, workspace=WS)
    _same(load_snapshot(store, saved, access=OP).assessment, assessment)


def test_split_sheets_keep_each_level_cell(db_url, make_xlsx):
    matrix = [["Unit", "Build & Deploy", "Test & Verification"], ["Payments", 2, 3], ["Cards", 1, 2]]
    target = [["Unit", "Build & Deploy", "Test & Verification"], ["Payments", 4, 4], ["Cards", 3, 3]]
    assessment = maturity.assess(make_xlsx({"Current State": matrix, "Target State": target}))
    assert {"current_cell", "target_cell"} <= set(assessment.normalized)
    store = open_store(db_url)
    saved = save_snapshot(store, assessment, "Acme", "2026-03-31", access=OP, workspace=WS)
    _same(load_snapshot(store, saved, access=OP).assessment, assessment)


def test_keeping_the_source_bytes_can_be_turned_off(db_url, sample_xlsx, monkeypatch):
    store = open_store(db_url)
    data = sample_xlsx.read_bytes()
    monkeypatch.setenv("GAPMAP_KEEP_SOURCE", "0")
    snapshot_id = save_snapshot(store, maturity.assess(data, sample_xlsx.name), "Acme", "2026-03-31",
                                sources=[Source(sample_xlsx.name, data)], access=OP, workspace=WS)
    (source,) = load_snapshot(store, snapshot_id, access=OP).sources
    assert source.content is None and source.sha256 == hashlib.sha256(data).hexdigest() and source.size == len(data)


def test_several_files_form_one_snapshot(db_url, book):
    north = maturity.assess(book({"North": {"Build & Deploy": (2, 4)}, "East": {"Build & Deploy": (1, 2)}}, "n.xlsx"))
    south = maturity.assess(book({"South": {"Build & Deploy": (3, 3), "Test & Verification": (2, 5)}}, "s.xlsx"))
    store = open_store(db_url)
    snapshot = load_snapshot(store, save_snapshot(store, [north, south], "Acme", "2026-03-31", access=OP, workspace=WS),
                             access=OP)
    assert [s.filename for s in snapshot.sources] == ["n.xlsx", "s.xlsx"]
    _same(snapshot.assessments[0], north)
    _same(snapshot.assessments[1], south)
    combined = snapshot.assessment
    assert combined.units == ["North", "East", "South"]
    assert combined.normalized["source_file"].tolist() == ["n.xlsx", "n.xlsx", "s.xlsx", "s.xlsx"]
    assert snapshot.info.unit_count == 3 and snapshot.info.row_count == 4


def test_a_unit_in_two_files_names_both(db_url, book):
    one = maturity.assess(book({"Payments": {"Build & Deploy": (2, 4)}}, "team-a.xlsx"))
    two = maturity.assess(book({"Payments": {"Test & Verification": (2, 4)}}, "team-b.xlsx"))
    store = open_store(db_url)
    with pytest.raises(OverlapError, match=r"unit 'Payments' is in both team-a.xlsx and team-b.xlsx"):
        save_snapshot(store, [one, two], "Acme", "2026-03-31", access=OP, workspace=WS)
    assert list_snapshots(store, "Acme", access=OP).empty


def test_saving_again_makes_a_new_snapshot(db_url, sample_xlsx):
    store = open_store(db_url)
    assessment = maturity.assess(sample_xlsx)
    first = save_snapshot(store, assessment, "Acme", "2026-03-31", "Q1", access=OP, workspace=WS)
    second = save_snapshot(store, assessment, "Acme", "2026-03-31", "Q1", access=OP, workspace=WS)
    assert second != first
    assert list_snapshots(store, "Acme", access=OP)["id"].tolist() == [first, second]
    assert resolve_snapshot(store, "Acme", "Q1", access=OP) == second  # a shared label names the one saved last
    assert resolve_snapshot(store, "Acme", "2026-03-31", access=OP) == second
    assert resolve_snapshot(store, "Acme", str(first), access=OP) == first


def test_deleting_needs_confirmation_and_is_logged(db_url, sample_xlsx):
    store = open_store(db_url)
    snapshot_id = save_snapshot(store, maturity.assess(sample_xlsx), "Acme", "2026-03-31", "Q1", access=OP,
                                workspace=WS)
    with pytest.raises(StoreError, match="cannot be undone: confirm it"):
        delete_snapshot(store, "Acme", snapshot_id, access=OP)
    with pytest.raises(StoreError, match="has no snapshot"):
        delete_snapshot(store, "Other", snapshot_id, confirm=True, access=OP)  # another organisation's is not found
    assert len(list_snapshots(store, "Acme", access=OP)) == 1
    delete_snapshot(store, "Acme", snapshot_id, confirm=True, reason="saved by mistake",
                    access=person("bob@acme.example", default="admin"))
    assert list_snapshots(store, "Acme", access=OP).empty
    with store.engine.connect() as connection:
        for table in (snapshot_rows, snapshot_problems, snapshot_sources):
            assert connection.execute(select(func.count()).select_from(table)).scalar() == 0
        logged = connection.execute(select(audit_log).order_by(audit_log.c.id)).all()
    assert [(e.action, e.snapshot_id, e.actor, e.workspace) for e in logged] == [
        ("save", snapshot_id, OP.user, WS), ("delete", snapshot_id, "bob@acme.example", WS)]
    assert json.loads(logged[1].detail) == {"label": "Q1", "as_of": "2026-03-31", "rows": 105,
                                            "reason": "saved by mistake"}


def test_a_failed_save_leaves_nothing(db_url, sample_xlsx, monkeypatch):
    store = open_store(db_url)
    insert = save_module._insert

    def crash(connection, table, records):
        if table is snapshot_problems:  # the rows are in: now the process dies
            raise RuntimeError("crash during save")
        insert(connection, table, records)

    monkeypatch.setattr(save_module, "_insert", crash)
    with pytest.raises(RuntimeError, match="crash during save"):
        save_snapshot(store, maturity.assess(sample_xlsx), "Acme", "2026-03-31", access=OP, workspace=WS)
    with store.engine.connect() as connection:
        for table in (snapshots, snapshot_rows, snapshot_sources, snapshot_problems, audit_log):
            assert connection.execute(select(func.count()).select_from(table)).scalar() == 0, table.name


def test_another_organisations_snapshots_never_appear(db_url, book):
    store = open_store(db_url)
    mine = save_snapshot(store, maturity.assess(book({"Payments": {"Build & Deploy": (2, 4)}})), "Acme", "2026-03-31",
                         "Q1", access=OP, workspace=WS)
    theirs = save_snapshot(store, maturity.assess(book({"Secret": {"Build & Deploy": (1, 4)}})), "Globex",
                           "2026-03-31", "Q1", access=OP, workspace=WS)
    assert organisations(store, access=OP) == ["Acme", "Globex"]
    assert list_snapshots(store, "Acme", access=OP)["id"].tolist() == [mine]
    assert history(store, "Acme", access=OP)["unit"].tolist() == ["Payments"]
    assert resolve_snapshot(store, "Acme", "Q1", access=OP) == mine
    with pytest.raises(StoreError, match="has no snapshot"):
        resolve_snapshot(store, "Acme", str(theirs), access=OP)
    with pytest.raises(StoreError, match="no snapshot"):
        load_snapshot(store, theirs, "Acme", access=OP)
    with pytest.raises(StoreError, match="no snapshots of organisation 'Nobody'"):
        resolve_snapshot(store, "Nobody", "Q1", access=OP)
    assert list_snapshots(store, "Nobody", access=OP).empty and history(store, "Nobody", access=OP).empty


@pytest.mark.parametrize(("org", "as_of", "message"), [
    ("", "2026-03-31", "needs an organisation"),
    ("Acme", "31/03/2026", "is not a date"),
    ("Acme", "2026-02-30", "is not a date"),
    ("x" * 201, "2026-03-31", "at most 200"),
])
def test_what_a_snapshot_is_refused_for(tmp_path, sample_xlsx, org, as_of, message):
    store = open_store(f"sqlite:///{tmp_path / 'gapmap.db'}")
    with pytest.raises(StoreError, match=message):
        save_snapshot(store, maturity.assess(sample_xlsx), org, as_of, access=OP, workspace=WS)


def test_corrections_round_trip_through_json():
    applied = AppliedCorrections(maturity.Corrections(("A", "B"), 3, (("C", "current"), ("D", "")), (("E", 0, 4),),
                                                      (("Now", "Later", "across"),)), "2", (("x", "build"),), "samm")
    assert corrections_from_dict(json.loads(json.dumps(corrections_to_dict(applied)))) == applied
    assert corrections_from_dict({}) == AppliedCorrections()
    assert corrections_from_dict({"sheets": ["A"], "a_field_of_a_newer_gapmap": 1}).corrections.sheets == ("A",)


def test_files_read_together_count_each_files_problem_rows(book):
    """Both files call their sheet 'Assessment': row 2 with a problem in each is two rows, not one."""
    from maturity.store import combine

    one = maturity.assess(book({"North": {"Build & Deploy": ("TBD", 4)}}, "n.xlsx"))
    two = maturity.assess(book({"South": {"Build & Deploy": (2, "soon")}}, "s.xlsx"))
    assert one.rows_with_problems == two.rows_with_problems == 1
    assert combine([one, two]).rows_with_problems == 2


def test_files_read_against_two_models_say_how_to_choose_one(book):
    from maturity.store import combine

    cdmm = maturity.assess(book({"North": {"Build & Deploy": (2, 4)}}, "n.xlsx"))
    own = maturity.assess(book({"South": {"Build & Deploy": (2, 4)}}, "s.xlsx"), rubric="own")
    with pytest.raises(OverlapError, match=r"must use one model \(choose it: --rubric on the command line, "
                                           r"Maturity model in the dashboard\)"):
        combine([cdmm, own])
