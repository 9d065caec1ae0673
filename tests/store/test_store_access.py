"""Access control in the store, on SQLite and PostgreSQL: every read and write takes an Access; a user
outside a workspace finds none of its snapshots and is refused its ids; viewers read, editors save,
admins delete and read the audit log; saving, opening, exporting and deleting are audited."""

from __future__ import annotations

import inspect
import json

import pandas as pd
import pytest

import maturity
from maturity import store
from maturity.errors import StoreError
from maturity.export import to_csv_bytes
from maturity.store import (
    AUDIT_COLUMNS,
    Access,
    audit_trail,
    delete_snapshot,
    diff,
    history,
    list_snapshots,
    load_snapshot,
    open_store,
    organisations,
    record_export,
    resolve_snapshot,
    save_snapshot,
    snapshot_infos,
    snapshot_levels,
)
from maturity.store.trend import organisation_trend
from tests.store.people import OP, person

ALICE = person("alice@acme.example", acme="editor")  # saves in acme
ANNE = person("anne@acme.example", acme="admin")  # deletes in acme, reads its audit log
VERA = person("vera@acme.example", acme="viewer")  # reads acme only
GREG = person("greg@globex.example", globex="editor")  # the other workspace
NOBODY = person("eve@elsewhere.example")  # in no workspace


@pytest.fixture
def two_workspaces(db_url, book):
    """A store with two snapshots of "Acme" in workspace acme and one of "Globex" in globex."""
    db = open_store(db_url)
    acme = [save_snapshot(db, maturity.assess(book({"Payments": {"Build & Deploy": (level, 4)}})), "Acme", day, label,
                          access=ALICE, workspace="acme")
            for level, day, label in ((1, "2026-03-31", "Q1"), (2, "2026-06-30", "Q2"))]
    globex = save_snapshot(db, maturity.assess(book({"Secret unit": {"Build & Deploy": (3, 4)}})), "Globex",
                           "2026-03-31", "Q1", access=GREG, workspace="globex")
    return db, acme, globex


def test_every_store_function_requires_an_access():
    takes_store = [name for name in store.__all__ if callable(getattr(store, name))
                   and "store" in inspect.signature(getattr(store, name)).parameters]
    assert {"save_snapshot", "load_snapshot", "history", "diff", "delete_snapshot", "audit_trail"} <= set(takes_store)
    for name in [*takes_store, "organisation_trend"]:
        function = organisation_trend if name == "organisation_trend" else getattr(store, name)
        if name == "open_store":
            continue
        parameter = inspect.signature(function).parameters.get("access")
        assert parameter is not None, name
        assert parameter.default is inspect.Parameter.empty and parameter.kind is inspect.Parameter.KEYWORD_ONLY, name


def test_members_see_their_workspace_only(two_workspaces):
    db, acme, globex = two_workspaces
    assert organisations(db, access=ALICE) == ["Acme"]
    assert organisations(db, access=GREG) == ["Globex"]
    assert organisations(db, access=OP) == ["Acme", "Globex"]
    assert [i.id for i in snapshot_infos(db, "Acme", access=VERA)] == acme
    assert list_snapshots(db, "Acme", access=VERA)["workspace"].tolist() == ["acme", "acme"]
    assert history(db, "Acme", access=VERA)["current_level"].tolist() == [1, 2]
    assert diff(db, "Acme", "Q1", "Q2", access=VERA)["status"].tolist() == ["improved"]
    assert load_snapshot(db, globex, access=GREG).assessment.units == ["Secret unit"]
    assert len(organisation_trend(db, "Globex", access=GREG)) == 1


@pytest.mark.parametrize("outsider", [GREG, NOBODY], ids=["other workspace", "no workspace"])
def test_every_query_of_an_outsider_finds_nothing_or_is_refused(two_workspaces, outsider):
    db, acme, _ = two_workspaces
    first = acme[0]
    assert "Acme" not in organisations(db, access=outsider)
    assert snapshot_infos(db, "Acme", access=outsider) == []
    assert list_snapshots(db, "Acme", access=outsider).empty
    assert history(db, "Acme", access=outsider).empty
    assert snapshot_levels(db, first, access=outsider).empty
    assert organisation_trend(db, "Acme", access=outsider).empty
    assert organisation_trend(db, "Acme", by_dimension=True, access=outsider).empty
    for reference in (first, str(first), "Q1", "2026-03-31"):
        with pytest.raises(StoreError, match="no snapshots of organisation 'Acme'"):
            resolve_snapshot(db, "Acme", reference, access=outsider)
    with pytest.raises(StoreError, match="no snapshots of organisation 'Acme'"):
        diff(db, "Acme", "Q1", "Q2", access=outsider)
    # An id of another workspace is refused in the words of one that does not exist.
    with pytest.raises(StoreError, match=f"there is no snapshot {first} that you are allowed to open"):
        load_snapshot(db, first, access=outsider)
    with pytest.raises(StoreError, match=f"there is no snapshot {first + 1000} that you are allowed to open"):
        load_snapshot(db, first + 1000, access=outsider)
    with pytest.raises(StoreError, match="has no snapshot"):
        delete_snapshot(db, "Acme", first, confirm=True, access=outsider)
    with pytest.raises(StoreError, match="allowed to export"):
        record_export(db, "Acme", "roadmap.csv", access=outsider, snapshot_id=first)
    # Naming the workspace outright is refused, for every query that takes one.
    for query in (lambda: organisations(db, access=outsider, workspace="acme"),
                  lambda: list_snapshots(db, "Acme", access=outsider, workspace="acme"),
                  lambda: history(db, "Acme", access=outsider, workspace="acme"),
                  lambda: organisation_trend(db, "Acme", access=outsider, workspace="acme"),
                  lambda: load_snapshot(db, first, access=outsider, workspace="acme"),
                  lambda: record_export(db, "Acme", "history", access=outsider, workspace="acme"),
                  lambda: audit_trail(db, access=outsider, workspace="acme")):
        with pytest.raises(StoreError, match=r"not allowed: .* is not a member of workspace 'acme'"):
            query()
    assert len(list_snapshots(db, "Acme", access=OP)) == 2  # nothing was changed by any of it


def test_a_viewer_cannot_save_and_nobody_saves_into_another_workspace(two_workspaces, book):
    db, _, _ = two_workspaces
    assessment = maturity.assess(book({"Payments": {"Build & Deploy": (2, 4)}}))
    with pytest.raises(StoreError, match=r"not allowed: vera@acme\.example is viewer in workspace 'acme'; to save "
                                         r"snapshots needs editor"):
        save_snapshot(db, assessment, "Acme", "2026-09-30", access=VERA, workspace="acme")
    with pytest.raises(StoreError, match=r"not allowed: greg@globex\.example is not a member of workspace 'acme'"):
        save_snapshot(db, assessment, "Acme", "2026-09-30", access=GREG, workspace="acme")
    with pytest.raises(StoreError, match="not allowed"):
        save_snapshot(db, assessment, "Acme", "2026-09-30", access=NOBODY, workspace="default")
    assert len(list_snapshots(db, "Acme", access=OP)) == 2
    assert save_snapshot(db, assessment, "Acme", "2026-09-30", access=ANNE, workspace="acme") > 0  # admins save too


def test_only_admins_delete(two_workspaces):
    db, acme, _ = two_workspaces
    for who, role in ((VERA, "viewer"), (ALICE, "editor")):
        with pytest.raises(StoreError, match=f"is {role} in workspace 'acme'; to delete snapshots .* needs admin"):
            delete_snapshot(db, "Acme", acme[0], confirm=True, access=who)
    delete_snapshot(db, "Acme", acme[0], confirm=True, access=ANNE, reason="a test")
    assert [i.id for i in snapshot_infos(db, "Acme", access=ANNE)] == [acme[1]]


def test_saving_opening_exporting_and_deleting_are_audited_for_admins(two_workspaces):
    db, acme, globex = two_workspaces
    load_snapshot(db, acme[0], access=VERA)
    record_export(db, "Acme", "roadmap.csv", access=VERA, snapshot_id=acme[0])
    record_export(db, "Acme", "history CSV", access=ALICE, workspace="acme")
    delete_snapshot(db, "Acme", acme[1], confirm=True, access=ANNE, reason="duplicate")
    trail = audit_trail(db, access=ANNE)
    assert tuple(trail.columns) == AUDIT_COLUMNS
    assert set(trail["workspace"]) == {"acme"}  # globex's lines are not acme's admin's to read
    ids = [None if snapshot is pd.NA else snapshot for snapshot in trail["snapshot"]]
    assert list(zip(trail["action"], trail["actor"], ids, strict=True)) == [
        ("save", "alice@acme.example", acme[0]), ("save", "alice@acme.example", acme[1]),
        ("open", "vera@acme.example", acme[0]), ("export", "vera@acme.example", acme[0]),
        ("export", "alice@acme.example", None), ("delete", "anne@acme.example", acme[1])]
    assert trail["label"].tolist()[:4] == ["Q1", "Q2", "Q1", "Q1"]
    assert json.loads(trail["detail"].iloc[3]) == {"what": "roadmap.csv"}
    assert json.loads(trail["detail"].iloc[5]) == {"reason": "duplicate", "rows": 1}
    assert trail["at"].str.endswith("+00:00").all()
    assert b"vera@acme.example" in to_csv_bytes(trail)  # what the dashboard's download gives
    everything = audit_trail(db, access=OP)
    assert set(everything["workspace"]) == {"acme", "globex"}
    assert audit_trail(db, access=person("g@globex.example", globex="admin"))["snapshot"].tolist() == [globex]
    for who in (ALICE, VERA, NOBODY):
        with pytest.raises(StoreError, match="not allowed"):
            audit_trail(db, access=who)
    with pytest.raises(StoreError, match=r"not allowed: alice@acme\.example is editor in workspace 'acme'; to delete "
                                         r"snapshots and read the audit log needs admin"):
        audit_trail(db, access=ALICE, workspace="acme")


def test_the_operator_names_its_workspace(two_workspaces):
    db, acme, globex = two_workspaces
    assert [i.id for i in snapshot_infos(db, "Acme", access=OP, workspace="acme")] == acme
    assert snapshot_infos(db, "Acme", access=OP, workspace="globex") == []
    assert resolve_snapshot(db, "Globex", "Q1", access=OP, workspace="globex") == globex
    with pytest.raises(StoreError, match="no snapshots of organisation 'Globex'"):
        resolve_snapshot(db, "Globex", "Q1", access=OP, workspace="acme")


@pytest.mark.parametrize(("roles", "message"), [
    ({"acme": "owner"}, "'owner' is not a role"),
    ({"": "viewer"}, "a workspace needs a name"),
])
def test_an_access_is_validated(roles, message):
    with pytest.raises(StoreError, match=message):
        Access.of("x@example.org", roles)


def test_a_store_function_given_no_access_is_a_bug_not_a_refusal(two_workspaces):
    db, _, _ = two_workspaces
    with pytest.raises(TypeError):
        list_snapshots(db, "Acme")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="needs an Access"):
        list_snapshots(db, "Acme", access="alice@acme.example")  # type: ignore[arg-type]
