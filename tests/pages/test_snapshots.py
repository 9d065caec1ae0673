"""Snapshots in the dashboard (AppTest, each test on a SQLite database of its own, see conftest.py): saving the
assessment shown, opening it again exactly as saved, the History page and the Compare snapshots page, a
database that cannot be used, and hostile organisation names and labels."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from maturity import build_roadmap
from maturity import store as snapshot_store
from maturity.achieved import steps_achieved
from maturity.store.trend import organisation_trend
from pages._ui.key import AnalysisKey, SnapshotRef, Source
from tests.pages.test_pages import assert_ok, edit, figures, upload
from tests.pages.test_ui import cache_hash

ROOT = Path(__file__).resolve().parents[2]
LOCAL = snapshot_store.Access.operator_named("local user")  # what the dashboard reads as without sign-in
HEADER = ["Unit", "Dimension", "Practice", "Current", "Target"]


def rows(mobile_build: int, mobile_test: int, platform_build: int, platform_test: int) -> list[list]:
    return [HEADER,
            ["Mobile", "Build & Deploy", "Scripted builds", mobile_build, 4],
            ["Mobile", "Test & Verification", "Automatic unit tests", mobile_test, 3],
            ["Platform", "Build & Deploy", "Scripted builds", platform_build, 4],
            ["Platform", "Test & Verification", "Automatic unit tests", platform_test, 4]]


# Q1 → Q2: Mobile's build rises; Q2 → Q3: Platform's tests fall and Mobile's tests rise.
QUARTERS = [("Q1 2026", "2026-03-31", rows(2, 1, 3, 2)), ("Q2 2026", "2026-06-30", rows(3, 1, 3, 2)),
            ("Q3 2026", "2026-09-30", rows(3, 2, 3, 1))]


def notices(at: AppTest) -> list[str]:
    return [e.value.replace("\\", "") for e in (*at.success, *at.error)]


def open_panel(at: AppTest) -> AppTest:
    """Go to the Overview and open its Snapshots panel, as clicking it does."""
    at.switch_page("pages/overview.py")
    at.session_state["snapshot_panel"] = True
    return at.run()


def save(at: AppTest, organisation: str | None, as_of: str, label: str) -> AppTest:
    """Fill in the save form (``organisation`` None: keep its default) and press "Save as snapshot"."""
    open_panel(at)
    if organisation is not None:
        next(t for t in at.text_input if t.label == "Organisation").set_value(organisation)
    next(t for t in at.text_input if t.label == "Label").set_value(label)
    at.date_input[0].set_value(as_of)
    next(b for b in at.button if b.label == "Save as snapshot").click()
    return at.run()


def open_saved(at: AppTest, organisation: str, snapshot_id: int) -> AppTest:
    open_panel(at)
    at.selectbox(key="open_organisation").set_value(organisation).run()
    at.selectbox(key="open_snapshot").set_value(snapshot_id)
    next(b for b in at.button if b.label == "Open this snapshot").click()
    return at.run()


def headline(at: AppTest) -> list[str]:
    return [m.value for m in at.metric]


def store() -> snapshot_store.Store:
    return snapshot_store.open_store()  # GAPMAP_HOME: the test's own database


def save_quarters(app: AppTest, csv_bytes, organisation: str = "Acme") -> AppTest:
    for label, as_of, table in QUARTERS:
        upload(app, f"{label}.csv", csv_bytes(table))
        save(app, organisation, as_of, label)
        assert_ok(app)
        assert not app.error, notices(app)
    return app


def test_save_keeps_the_targets_changed_and_open_restores_the_same_figures(app: AppTest, team_csv: bytes):
    upload(app, "teams.csv", team_csv)
    app.switch_page("pages/practices.py").run()
    edit(app, 0, "target", "Expert")  # a target changed by hand: saved with the snapshot
    app.switch_page("pages/overview.py").run()
    shown, radar = headline(app), figures(app)[0]["data"]
    save(app, "Acme", "2026-03-31", "Q1 2026")
    assert_ok(app)
    assert notices(app) == ["Saved as snapshot 1: Acme · Q1 2026 · 2026-03-31"]

    saved = snapshot_store.load_snapshot(store(), 1, access=LOCAL)
    assert saved.info.organisation == "Acme" and saved.info.label == "Q1 2026"
    assert len(saved.target_edits) == 1 and saved.target_edits["target_level"].iloc[0] == 5
    assert saved.sources[0].filename == "teams.csv" and saved.sources[0].content == team_csv

    next(b for b in app.sidebar.button if b.label == "Back to the sample").click().run()
    assert headline(app) != shown  # the sample: other figures
    open_saved(app, "Acme", 1)
    assert_ok(app)
    assert notices(app) == ["Opened snapshot 1: Q1 2026 · as of 2026-03-31 · 2 units · #1"]
    assert headline(app) == shown
    assert figures(app)[0]["data"] == radar
    assert "Snapshot 1: Acme · Q1 2026 · 2026-03-31" in [t.value for t in app.sidebar.text]
    for page in ("pages/practices.py", "pages/roadmap.py", "pages/compare.py", "pages/rubric.py"):
        app.switch_page(page).run()
        assert_ok(app)
        assert not app.error


def test_opening_a_snapshot_reads_it_from_the_store_not_the_file(app: AppTest, csv_bytes):
    upload(app, "q1.csv", csv_bytes(QUARTERS[0][2]))
    save(app, "Acme", "2026-03-31", "Q1")
    with sqlite3.connect(store().engine.url.database) as connection:  # the saved rows, changed behind its back
        connection.execute("UPDATE snapshot_rows SET current_level = 4 WHERE snapshot_id = 1")
    next(b for b in app.sidebar.button if b.label == "Back to the sample").click().run()
    open_saved(app, "Acme", 1)
    assert app.metric[1].value == "4.0"  # the file says 2.0 on average: what shows is what the store holds


def test_a_target_changed_after_opening_is_saved_with_the_ones_saved_before(app: AppTest, team_csv: bytes):
    upload(app, "teams.csv", team_csv)
    app.switch_page("pages/practices.py").run()
    edit(app, 0, "target", "Expert")
    save(app, "Acme", "2026-03-31", "Q1")
    open_saved(app, "Acme", 1)
    app.switch_page("pages/practices.py").run()
    edit(app, 1, "target", "Advanced")  # Platform's, from Expert
    save(app, None, "2026-06-30", "Q2")
    assert notices(app)[0].startswith("Saved as snapshot 2: Acme")
    edits = snapshot_store.load_snapshot(store(), 2, access=LOCAL).target_edits
    assert edits[["unit", "target_level"]].values.tolist() == [["Mobile", 5], ["Platform", 4]]


def test_the_organisation_defaults_to_the_one_the_file_names(app: AppTest, csv_bytes):
    open_panel(app)
    assert next(t for t in app.text_input if t.label == "Organisation").value == ""  # the sample names none
    titled = csv_bytes([["Organization:", "Acme Brick Co"], [], *QUARTERS[0][2]])
    upload(app, "acme.csv", titled)
    assert next(t for t in app.text_input if t.label == "Organisation").value == "Acme Brick Co"


def test_an_organisation_is_needed(app: AppTest):
    save(app, "  ", "2026-03-31", "Q1")
    assert notices(app) == ["Not saved: a snapshot needs an organisation"]


def test_an_unusable_database_is_one_line_and_the_save_can_be_tried_again(app: AppTest, team_csv, tmp_path,
                                                                           monkeypatch):
    upload(app, "teams.csv", team_csv)
    app.switch_page("pages/practices.py").run()
    edit(app, 0, "target", "Expert")
    app.switch_page("pages/overview.py").run()
    shown = headline(app)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the database's folder should be")
    monkeypatch.setenv("GAPMAP_DATABASE_URL", f"sqlite:///{blocker / 'gapmap.db'}")
    save(app, "Acme", "2026-03-31", "Q1")
    assert_ok(app)
    (message,) = notices(app)  # said once, not again by the list of saved snapshots below
    assert message.startswith("Not saved: ") and "\n" not in message
    assert headline(app) == shown and "1 target changed by hand" in [c.value for c in app.sidebar.caption]

    database = tmp_path / "gapmap.db"
    monkeypatch.setenv("GAPMAP_DATABASE_URL", f"sqlite:///{database}?timeout=0.2")
    snapshot_store.open_store()  # migrated, then locked by another writer
    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        next(b for b in app.button if b.label == "Save as snapshot").click().run()
        (message,) = notices(app)
        assert message.startswith("Not saved: ") and "locked" in message and "\n" not in message
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    next(b for b in app.button if b.label == "Save as snapshot").click().run()  # the form kept what was typed
    assert notices(app) == ["Saved as snapshot 1: Acme · Q1 · 2026-03-31"]
    assert headline(app) == shown


def test_history_shows_the_trend_each_area_and_what_moved(app: AppTest, csv_bytes):
    save_quarters(app, csv_bytes)
    app.switch_page("pages/history.py").run()
    assert_ok(app)
    assert app.selectbox(key="history_organisation").value == "Acme"
    trend, areas = figures(app)
    current = next(t for t in trend["data"] if t["name"] == "Current")
    expected = organisation_trend(store(), "Acme", access=LOCAL)["current_level"].round(3).tolist()
    assert current["y"] == expected == [2.0, 2.25, 2.25]
    assert [t.split("<br>")[0] for t in trend["layout"]["xaxis"]["ticktext"]] == ["Q1 2026", "Q2 2026", "Q3 2026"]
    panels = [a["text"] for a in areas["layout"]["annotations"]]
    assert panels == ["<b>Build &amp; Deploy</b>", "<b>Test &amp; Verification</b>"]

    moved = {m.label: m.value for m in app.metric}
    assert (moved["Moved up"], moved["Moved down"], moved["Stuck"]) == ("1", "1", "2")
    assert [e.value.split(":")[0] for e in app.error] == ["**1 regression**"]  # the one error: highlighted
    regressions, stuck = (d.value for d in app.dataframe)
    app.session_state["history_improved_panel"] = True  # the rises, drawn once their panel is open
    improved = app.run().dataframe[1].value
    assert regressions[["unit", "current_before", "current_after"]].values.tolist() == [["Platform", 2.0, 1.0]]
    assert improved[["unit", "dimension_name"]].values.tolist() == [["Mobile", "Test & Verification"]]
    assert stuck[["unit", "dimension", "snapshots", "since"]].values.tolist() == [
        ["Platform", "build", 3, "Q1 2026"], ["Mobile", "build", 2, "Q2 2026"]]

    app.selectbox(key=next(s.key for s in app.selectbox if s.label == "Unit")).set_value("Platform").run()
    _, areas = figures(app)
    falls = [t for t in areas["data"] if t["name"] == "Fell since the one before" and t["x"]]
    assert [(t["xaxis"], t["x"], t["y"]) for t in falls] == [("x2", [2], [1.0])]  # Platform's tests in Q3


def test_history_of_one_snapshot_says_movement_comes_later(app: AppTest, csv_bytes):
    upload(app, "q1.csv", csv_bytes(QUARTERS[0][2]))
    save(app, "Acme", "2026-03-31", "Q1")
    app.switch_page("pages/history.py").run()
    assert_ok(app)
    assert "One snapshot so far" in app.info[0].value


@pytest.mark.parametrize("page", ["pages/history.py", "pages/snapshots_compare.py"])
def test_without_snapshots_the_pages_say_how_to_make_one(app: AppTest, page: str):
    app.switch_page(page).run()
    assert_ok(app)
    assert "No snapshot is saved yet" in app.info[0].value


def test_compare_shows_then_and_now_every_unit_and_area_and_steps_achieved(app: AppTest, csv_bytes):
    save_quarters(app, csv_bytes)
    app.switch_page("pages/snapshots_compare.py").run()
    assert_ok(app)
    assert (app.selectbox(key="compare_before").value, app.selectbox(key="compare_after").value) == (2, 3)
    app.selectbox(key="compare_before").set_value(1).run()
    (radar,) = figures(app)
    assert [t["name"] for t in radar["data"]] == ["Q1 2026: current", "Q3 2026: current", "Q3 2026: target"]
    then, now = ({theta.split("<br>")[0]: r for theta, r in zip(t["theta"], t["r"], strict=True)}
                 for t in radar["data"][:2])
    assert (then["Build &amp;"], then["Test &amp;"], now["Build &amp;"], now["Test &amp;"]) == (2.5, 1.5, 3.0, 1.5)

    phases, steps, table = (d.value for d in app.dataframe)
    expected = snapshot_store.diff(store(), "Acme", 1, 3, access=LOCAL)
    pd.testing.assert_frame_equal(table.reset_index(drop=True), expected, check_dtype=False)
    assert table["status"].tolist() == ["improved", "improved", "unchanged", "regressed"]
    # Q1's roadmap: Mobile's build 2 → 3 → 4 and tests 1 → 2 → 3; Platform's build 3 → 4, tests 2 → 3 → 4.
    assert steps[["unit", "practice", "to_level"]].values.tolist() == [["Mobile", "Automatic unit tests", 2],
                                                                       ["Mobile", "Scripted builds", 3]]
    assert {m.label: m.value for m in app.metric}["Steps achieved"] == "2 of 7"
    assert phases["reached"].sum() == 2 and phases["steps"].sum() == 7
    q1, q3 = (snapshot_store.load_snapshot(store(), i, access=LOCAL).assessment for i in (1, 3))
    assert (steps_achieved(build_roadmap(q1), q3.normalized)["status"] == "reached").sum() == 2

    app.segmented_control(key="compare_snapshots_steps").set_value("not yet").run()
    assert len(app.dataframe[1].value) == 5


def test_hostile_organisation_names_and_labels_stay_inert(app: AppTest, csv_bytes):
    hostile = "<img src=x onerror=alert(1)> **Acme** :red[x] $y$"
    label = "<b>Q1</b> [q](javascript:alert(1))"
    upload(app, "q1.csv", csv_bytes(QUARTERS[0][2]))
    save(app, hostile, "2026-03-31", label)
    upload(app, "q2.csv", csv_bytes(QUARTERS[1][2]))
    save(app, hostile, "2026-06-30", "Q2")
    assert notices(app)[0] == f"Saved as snapshot 2: {hostile} · Q2 · 2026-06-30"
    open_saved(app, hostile, 1)
    assert_ok(app)
    badge = next(m.value for m in app.markdown if "Snapshot 1" in m.value)
    assert "\\<img src\\=x" in badge and "\\*\\*Acme\\*\\*" in badge  # escaped for markdown
    app.switch_page("pages/history.py").run()
    assert_ok(app)
    captions = " ".join(c.value for c in app.caption)
    assert "\\<img src\\=x onerror\\=alert\\(1\\)\\> \\*\\*Acme\\*\\* \\:red\\[x\\] \\$y\\$" in captions
    ticks = figures(app)[0]["layout"]["xaxis"]["ticktext"]
    assert ticks[0].startswith("&lt;b&gt;Q1&lt;/b&gt; [q](javascript:alert(1))")
    app.switch_page("pages/snapshots_compare.py").run()
    assert_ok(app)
    assert figures(app)[0]["data"][0]["name"].startswith("&lt;b&gt;Q1&lt;/b&gt;")


def test_no_page_lets_html_through():
    for path in [ROOT / "app.py", *sorted((ROOT / "pages").rglob("*.py"))]:
        assert "unsafe_allow_html" not in path.read_text(), path.relative_to(ROOT)


def test_a_snapshot_key_is_hashed_by_its_id_not_its_bytes():
    def ref(snapshot_id: int, saved_at: str = "2026-03-31T10:00:00") -> SnapshotRef:
        return SnapshotRef("sqlite:///g.db", snapshot_id, saved_at, "Acme", "Q1", "2026-03-31", "auto")

    one = AnalysisKey(Source.of_snapshot(ref(1), "teams.csv", b"x" * 1000))
    same = AnalysisKey(Source.of_snapshot(ref(1), "teams.csv", b"other bytes"))
    assert cache_hash(one) == cache_hash(same)
    for other in (ref(2), ref(1, "2026-04-01T10:00:00")):
        assert cache_hash(AnalysisKey(Source.of_snapshot(other, "teams.csv", b"x" * 1000))) != cache_hash(one)
    assert cache_hash(one) != cache_hash(AnalysisKey(Source.of("teams.csv", b"x" * 1000)))
    assert one.source.kind == "snapshot" and not one.source.is_sample


def test_a_snapshot_without_its_file_is_shown_as_saved_and_never_read_again(app: AppTest, team_csv, monkeypatch):
    monkeypatch.setenv("GAPMAP_KEEP_SOURCE", "0")
    upload(app, "teams.csv", team_csv)
    shown = headline(app)
    save(app, "Acme", "2026-03-31", "Q1")
    next(b for b in app.sidebar.button if b.label == "Back to the sample").click().run()
    open_saved(app, "Acme", 1)
    assert_ok(app)
    assert headline(app) == shown
    assert any(e.label.startswith("How this snapshot was read: 10 rows read") for e in app.expander)
    app.sidebar.selectbox(key="model_picker").set_value("samm").run()  # reading it another way needs the file
    assert_ok(app)
    assert any("kept no copy of its file" in e.value for e in app.sidebar.error)
    assert headline(app) == shown


def test_downloading_saved_data_is_in_the_audit_log(app: AppTest, csv_bytes, downloads):
    save_quarters(app, csv_bytes)
    app.switch_page("pages/history.py").run()
    app.switch_page("pages/snapshots_compare.py").run()
    assert_ok(app)
    exports = lambda: snapshot_store.audit_trail(store(), access=LOCAL).query("action == 'export'")  # noqa: E731
    assert exports().empty  # offered, not yet taken
    offered = {name.rsplit("_", 1)[-1]: data for name, data in downloads}
    assert offered["history.csv"]().startswith(b"\xef\xbb\xbf") and offered["diff.csv"]()
    logged = exports()
    assert len(logged) == 2 and set(logged["organisation"]) == {"Acme"}
    assert {"history.csv", "diff.csv"} <= set(" ".join(logged["detail"]).replace('"', " ").split())


def delete_button(at: AppTest, organisation: str, snapshot_id: int, reason: str, tick: bool = True):
    """In the Snapshots panel: pick the snapshot, give a reason, tick the box (or not); the "Delete" button."""
    open_panel(at)
    at.selectbox(key="open_organisation").set_value(organisation).run()
    at.selectbox(key="open_snapshot").set_value(snapshot_id).run()
    next(t for t in at.text_input if t.label == "Why").set_value(reason)
    at.checkbox(key="delete_confirm").set_value(tick).run()
    return next(b for b in at.button if b.label == "Delete")


def test_a_snapshot_saved_by_mistake_is_deleted_with_its_reason_in_the_audit_log(app: AppTest, csv_bytes):
    save_quarters(app, csv_bytes)
    open_saved(app, "Acme", 2)  # the one shown goes too: the sample comes back
    assert_ok(app)
    assert delete_button(app, "Acme", 2, "saved the wrong file", tick=False).disabled  # not before the box is ticked
    assert [i.id for i in snapshot_store.snapshot_infos(store(), "Acme", access=LOCAL)] == [1, 2, 3]

    delete_button(app, "Acme", 2, "saved the wrong file").click().run()
    assert_ok(app)
    assert notices(app) == ["Deleted snapshot 2: Q2 2026 · as of 2026-06-30 · 2 units · #2 (in the audit log); "
                            "the sample is shown again"]
    assert [i.id for i in snapshot_store.snapshot_infos(store(), "Acme", access=LOCAL)] == [1, 3]
    deleted = snapshot_store.audit_trail(store(), access=LOCAL).query("action == 'delete'")
    assert len(deleted) == 1 and "saved the wrong file" in deleted["detail"].iloc[0]
    assert not any("Snapshot 2" in t.value for t in app.sidebar.text)  # no longer shown
    assert 2 not in app.selectbox(key="open_snapshot").options and not app.error
    app.switch_page("pages/history.py").run()
    assert_ok(app)  # the history of what is left
