"""Who may use the snapshots, in the dashboard (AppTest): local use needs no sign-in; a shared database
without sign-in refuses snapshots and says why, unless GAPMAP_ALLOW_ANONYMOUS=1; a signed-in person's
Access reaches every store call, so crafted widget values naming another workspace's snapshot find
nothing. (Signing in itself, against a real provider, is tests/e2e/test_signin.py.)"""

from __future__ import annotations

import logging

import pytest
from streamlit.testing.v1 import AppTest

import maturity
from maturity.errors import StoreError
from maturity.store import Access, open_store, save_snapshot
from pages._ui import signin
from tests.pages.conftest import ROOT
from tests.pages.test_pages import assert_ok
from tests.pages.test_snapshots import notices, open_panel, save

SHARED = "postgresql+psycopg://nobody@127.0.0.1:9/gapmap"  # shared, and unreachable: any attempt would say so
ALICE = Access.of("alice@acme.example", {"acme": "editor"})


def texts(app: AppTest) -> str:
    return " ".join(str(e.value) for kind in ("markdown", "caption", "text", "error", "success", "warning", "info")
                    for e in getattr(app, kind))


def test_local_use_has_no_sign_in(app: AppTest):
    assert signin.mode() == "local"
    assert not [b for b in app.button if b.label in ("Sign in", "Sign out")]
    assert "Signed in" not in texts(app)
    save(app, "Acme", "2026-03-31", "Q1")
    assert notices(app) == ["Saved as snapshot 1: Acme · Q1 · 2026-03-31"]


def test_a_shared_database_without_sign_in_refuses_snapshots_and_says_why(monkeypatch):
    monkeypatch.setenv("GAPMAP_DATABASE_URL", SHARED)
    monkeypatch.delenv("GAPMAP_ALLOW_ANONYMOUS", raising=False)
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert_ok(app)  # the file explored still works
    open_panel(app)
    said = "snapshots are not shown or saved here: this dashboard's database is shared and sign-in is not set up"
    assert any(said in e.value.replace("\\", "") for e in app.error)
    save(app, "Acme", "2026-03-31", "Q1")
    assert said in notices(app)[0] and notices(app)[0].startswith("Not saved")
    for page in ("pages/history.py", "pages/snapshots_compare.py"):
        app.switch_page(page).run()
        assert_ok(app)
        assert any(said in e.value.replace("\\", "") for e in app.error)


def test_anonymous_use_of_a_shared_database_is_the_operators_choice_and_logged(monkeypatch, caplog):
    monkeypatch.setenv("GAPMAP_DATABASE_URL", SHARED)
    monkeypatch.setenv("GAPMAP_ALLOW_ANONYMOUS", "1")
    monkeypatch.setattr(signin, "_logged", set())
    with caplog.at_level(logging.WARNING, logger="gapmap.signin"):
        assert signin.mode() == "anonymous"
    assert "GAPMAP_ALLOW_ANONYMOUS=1" in caplog.text
    assert signin.access().operator
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    open_panel(app)
    # Let through: what stops it now is the (unreachable) database itself.
    assert any("the database postgresql+psycopg://nobody@127.0.0.1:9/gapmap cannot be used" in e.value.replace("\\", "")
               for e in app.error)


@pytest.fixture
def two_workspaces(monkeypatch):
    """Snapshot 1 of "Acme Bank" in acme and 2 of "Globex Corp" in globex; the session signed in as Alice
    (an editor of acme), as signin.access would say after st.login."""
    store = open_store()
    sample = maturity.assess(ROOT / "data" / "sample_gap_analysis.xlsx")
    operator = Access.operator_named()
    for org, workspace in (("Acme Bank", "acme"), ("Globex Corp", "globex")):
        save_snapshot(store, sample, org, "2026-03-31", f"Q1 {workspace}", access=operator, workspace=workspace)
    monkeypatch.setattr(signin, "access", lambda: ALICE)
    return store


def test_a_signed_in_person_sees_only_their_workspace_on_every_page(app: AppTest, two_workspaces):
    open_panel(app)
    next(b for b in app.button if b.label == "Open this snapshot").click().run()
    assert_ok(app)
    assert notices(app) == ["Opened snapshot 1: Q1 acme · as of 2026-03-31 · 6 units · #1"]
    assert next(s for s in app.selectbox if s.label == "Organisation").options == ["Acme Bank"]
    assert "Globex" not in texts(app)
    for page in ("pages/history.py", "pages/snapshots_compare.py"):
        app.switch_page(page).run()
        assert_ok(app)
        assert "Globex" not in texts(app)


def test_crafted_values_naming_another_workspaces_snapshot_are_refused_by_the_store(two_workspaces):
    """Whatever a widget value says (an organisation, a snapshot id, a snapshot reference kept by the
    session), the pages' reads go through the store with the person's Access: nothing of Globex comes back."""
    from pages._ui import database
    from pages._ui.key import SnapshotRef

    assert database.organisations() == ["Acme Bank"]
    assert database.snapshots("Globex Corp") == []
    crafted = SnapshotRef(two_workspaces.url, 2, "2026-03-31T00:00:00+00:00", "Globex Corp", "Q1 globex",
                          "2026-03-31", "auto")
    with pytest.raises(StoreError, match="there is no snapshot 2 that you are allowed to open"):
        database.saved(crafted)
    (acme,) = database.snapshots("Acme Bank")
    theirs = acme.__class__(**{**acme.__dict__, "id": 2, "organisation": "Globex Corp"})
    with pytest.raises(StoreError, match="no snapshots of organisation 'Globex Corp'"):
        database.diff("Globex Corp", theirs, theirs)
    assert database.history_views("Globex Corp", [theirs]).history.empty


def test_a_signed_in_editor_saves_into_their_workspace(app: AppTest, two_workspaces):
    save(app, "Acme Bank", "2026-06-30", "Q2")
    assert notices(app)[0].startswith("Saved as snapshot 3: Acme Bank")
    info = maturity.store.snapshot_infos(two_workspaces, "Acme Bank", access=ALICE)[-1]
    assert (info.workspace, info.saved_by) == ("acme", "alice@acme.example")


def popovers(app: AppTest) -> list[str]:
    return [block.proto.popover.label for block in app.get("popover")]


def test_only_an_admin_of_the_workspace_is_offered_to_delete_a_snapshot(app: AppTest, two_workspaces, monkeypatch):
    open_panel(app)
    assert "Delete this snapshot" not in popovers(app)  # Alice edits acme: she may not delete
    monkeypatch.setattr(signin, "access", lambda: Access.of("root@acme.example", {"acme": "admin"}))
    open_panel(app)
    assert "Delete this snapshot" in popovers(app)
