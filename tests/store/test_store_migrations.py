"""The store's schema: made by the migrations alone, upgraded from the previous revision, refused when
newer than this gapmap; an unreachable or locked database is one line for the user."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

import maturity
from maturity.errors import StoreError
from maturity.store import HEAD, Source, database_url, list_snapshots, open_store, save_snapshot
from maturity.store.connect import _config, current_revision, downgrade, migrate
from maturity.store.schema import metadata
from tests.store.people import OP, WS, person

TABLES = {"snapshots", "snapshot_sources", "snapshot_rows", "snapshot_problems", "audit_log", "alembic_version"}


def test_head_is_the_newest_migration():
    assert ScriptDirectory.from_config(_config()).get_current_head() == HEAD


def test_an_empty_database_is_migrated_to_the_schema_the_code_queries(db_url):
    store = open_store(db_url)
    assert set(inspect(store.engine).get_table_names()) == TABLES
    with store.engine.connect() as connection:
        assert current_revision(connection) == HEAD
        # What the migrations made is what schema.py declares: no column, type, index or key apart.
        assert compare_metadata(MigrationContext.configure(connection), metadata) == []


def test_upgrade_from_the_previous_revision_keeps_the_snapshots(db_url):
    store = open_store(db_url)
    downgrade(store, "0001")
    assert "audit_log" not in inspect(store.engine).get_table_names()
    with store.engine.begin() as connection:  # a snapshot saved by the gapmap of revision 0001
        connection.execute(text(
            "INSERT INTO snapshots (organisation, as_of, label, model_id, model_version, model_name, "
            "model_fingerprint, rubric, corrections, target_edits, unit_count, row_count, problem_count, saved_at, "
            "gapmap_version) VALUES ('Acme', :day, 'Q1', 'cdmm', '2013', 'CDMM', 'f', '{}', '{}', '[]', 0, 0, 0, "
            ":day, '0.1.0')"), {"day": date(2026, 3, 31)})
    store = open_store(db_url)  # this process forgot it had migrated: first use again
    assert "audit_log" in inspect(store.engine).get_table_names()
    assert list_snapshots(store, "Acme", access=OP)["label"].tolist() == ["Q1"]


def test_upgrade_from_0002_puts_every_snapshot_and_audit_line_in_the_default_workspace(db_url, sample_xlsx):
    store = open_store(db_url)
    downgrade(store, "0002")
    assert "workspace" not in {c["name"] for c in inspect(store.engine).get_columns("snapshots")}
    with store.engine.begin() as connection:  # what the gapmap of revision 0002 saved and logged
        connection.execute(text(
            "INSERT INTO snapshots (organisation, as_of, label, model_id, model_version, model_name, "
            "model_fingerprint, rubric, corrections, target_edits, unit_count, row_count, problem_count, saved_at, "
            "gapmap_version) VALUES ('Acme', :day, 'Q1', 'cdmm', '2013', 'CDMM', 'f', '{}', '{}', '[]', 0, 0, 0, "
            ":day, '0.1.0')"), {"day": date(2026, 3, 31)})
        connection.execute(text("INSERT INTO audit_log (at, action, organisation, snapshot_id, actor, detail) "
                                "VALUES (:day, 'save', 'Acme', 1, NULL, '{}')"), {"day": date(2026, 3, 31)})
    store = open_store(db_url)
    with store.engine.connect() as connection:
        assert current_revision(connection) == HEAD
        assert connection.execute(text("SELECT workspace FROM snapshots")).scalars().all() == ["default"]
        assert connection.execute(text("SELECT workspace FROM audit_log")).scalars().all() == ["default"]
    assert list_snapshots(store, "Acme", access=OP, workspace="default")["label"].tolist() == ["Q1"]
    assert list_snapshots(store, "Acme", access=person("a@acme.example", acme="admin")).empty
    assert list_snapshots(store, "Acme", access=person("v@acme.example", default="viewer"))["id"].tolist() == [1]
    # Saving after the upgrade works as before, in a workspace named.
    assert save_snapshot(store, maturity.assess(sample_xlsx), "Acme", "2026-06-30", access=OP, workspace="acme") == 2
    # And back: 0003 comes off again with the snapshots kept (an export of several, with no snapshot, goes).
    from maturity.store import record_export

    record_export(store, "Acme", "history", access=OP, workspace="acme")
    downgrade(store, "0002")
    with store.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM snapshots")).scalar() == 2
        assert connection.execute(text("SELECT count(*) FROM snapshot_rows")).scalar() == 105
        assert connection.execute(text("SELECT count(*) FROM audit_log")).scalar() == 2


def test_downgrade_to_nothing_and_up_again(db_url):
    store = open_store(db_url)
    downgrade(store, "base")
    assert set(inspect(store.engine).get_table_names()) <= {"alembic_version"}
    migrate(store)
    assert set(inspect(store.engine).get_table_names()) == TABLES


def test_a_database_from_a_newer_gapmap_is_refused(db_url, cli):
    store = open_store(db_url)
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    maturity.store.connect._migrated.discard(store.url)  # as a process started after the newer gapmap ran
    with pytest.raises(StoreError, match=r"written by a newer gapmap \(schema revision '0099'.*upgrade gapmap"):
        open_store(db_url)
    result = cli("snapshots", "--org", "Acme", "--db", db_url)
    assert result.returncode == 2
    assert result.stderr.decode().count("\n") == 1 and "newer gapmap" in result.stderr.decode()


def test_an_unreachable_database_is_one_line(cli):
    from tests.pg import free_port

    url = f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/gapmap"
    with pytest.raises(StoreError, match=r"the database postgresql\+psycopg://nobody@127.0.0.1:\d+/gapmap cannot be "):
        open_store(url)
    result = cli("history", "--org", "Acme", "--db", url)
    assert result.returncode == 2
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: the database ") and "Traceback" not in lines[0]


def test_a_password_in_the_url_is_never_shown(cli):
    from tests.pg import free_port

    result = cli("history", "--org", "Acme", "--db", f"postgresql+psycopg://me:s3cret@127.0.0.1:{free_port()}/x")
    assert result.returncode == 2 and b"s3cret" not in result.stderr and b"***" in result.stderr


def test_a_folder_that_cannot_hold_the_database_is_one_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="cannot create the folder"):
        open_store(f"sqlite:///{blocker}/sub/gapmap.db")


def test_a_malformed_url_is_one_line():
    with pytest.raises(StoreError, match="is not a database URL"):
        open_store("not a url")


def test_a_locked_sqlite_database_is_one_line(tmp_path, sample_xlsx):
    path = tmp_path / "gapmap.db"
    store = open_store(f"sqlite:///{path}?timeout=0.2")
    assessment = maturity.assess(sample_xlsx)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another process in the middle of writing
    try:
        with pytest.raises(StoreError, match=r"cannot be used: database is locked \(another process is writing"):
            save_snapshot(store, [assessment], "Acme", "2026-03-31", sources=[Source(sample_xlsx.name)], access=OP,
                          workspace=WS)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert save_snapshot(store, [assessment], "Acme", "2026-03-31", access=OP, workspace=WS) > 0  # can be retried


def test_the_default_database_is_a_file_under_gapmap_home(tmp_path, monkeypatch):
    monkeypatch.delenv("GAPMAP_DATABASE_URL", raising=False)
    monkeypatch.setenv("GAPMAP_HOME", str(tmp_path / "home"))
    assert database_url() == f"sqlite:///{tmp_path / 'home' / 'gapmap.db'}"
    open_store()
    assert (tmp_path / "home" / "gapmap.db").is_file()
    monkeypatch.setenv("GAPMAP_DATABASE_URL", "sqlite:///elsewhere.db")
    assert database_url() == "sqlite:///elsewhere.db"
    assert database_url("sqlite:///given.db") == "sqlite:///given.db"


def test_migrations_never_run_create_all():
    from pathlib import Path

    package = Path(maturity.store.__file__).parent
    for path in package.rglob("*.py"):
        assert ".create_all(" not in path.read_text(), path

