"""Two processes saving at once both succeed, nothing overwritten: on SQLite the second waits for the
first's transaction, on PostgreSQL they write side by side; two processes that find an empty database
at once migrate it once. What one process saves, another sees."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from maturity.store import list_snapshots, load_snapshot, open_store
from maturity.store.connect import _PG_LOCK
from maturity.store.schema import snapshot_rows
from tests.store.people import OP

ROOT = Path(__file__).resolve().parents[2]
UNITS = 40  # 40 units × 5 areas × 2 practices: 400 rows a save


@pytest.fixture
def big_book(book):
    areas = ["Culture & Organization", "Design & Architecture", "Build & Deploy", "Test & Verification",
             "Information & Reporting"]
    return book({f"Unit {u:02d}": {a: (1 + (u + i) % 4, 5) for i, a in enumerate(areas)} for u in range(UNITS)})


def _start_saves(path: Path, url: str, labels: list[str]) -> list[subprocess.Popen]:
    return [subprocess.Popen([sys.executable, "-m", "maturity", "save", str(path), "--org", "Acme", "--as-of",
                              "2026-03-31", "--label", label, "--db", url], cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE) for label in labels]


def _finish(processes: list[subprocess.Popen]) -> list[int]:
    ids = []
    for process in processes:
        out, err = process.communicate(timeout=180)
        assert process.returncode == 0, err.decode()
        ids.append(int(out))
    return ids


def _held_then_released(release, processes) -> None:
    """Hold the database while both processes start and reach it, then let them race."""
    time.sleep(4)  # each has imported gapmap, read its file and is waiting on the database
    assert all(p.poll() is None for p in processes), "a save finished while the database was held"
    release()


def _check_both_saved(url: str, ids: list[int]) -> None:
    store = open_store(url)
    assert len(set(ids)) == 2
    assert sorted(list_snapshots(store, "Acme", access=OP)["id"].tolist()) == sorted(ids)
    with store.engine.connect() as connection:
        for snapshot_id in ids:
            count = connection.execute(select(func.count()).select_from(snapshot_rows)
                                       .where(snapshot_rows.c.snapshot_id == snapshot_id)).scalar()
            assert count == UNITS * 5
    assert {load_snapshot(store, i, access=OP).info.label for i in ids} == {"first", "second"}


def test_two_processes_saving_at_once_on_sqlite(tmp_path, big_book):
    path = tmp_path / "gapmap.db"
    url = f"sqlite:///{path}"
    open_store(url)
    holder = sqlite3.connect(path, isolation_level=None, timeout=30)
    holder.execute("BEGIN IMMEDIATE")  # a third writer in the middle of a save
    processes = _start_saves(big_book, url, ["first", "second"])
    try:
        _held_then_released(lambda: holder.execute("COMMIT"), processes)
    finally:
        holder.close()
    _check_both_saved(url, _finish(processes))


def test_two_processes_saving_at_once_on_postgresql(pg_url, big_book):
    import psycopg
    from sqlalchemy import make_url

    parsed = make_url(pg_url)
    holder = psycopg.connect(host=parsed.host, port=parsed.port, user=parsed.username, dbname=parsed.database,
                             autocommit=True)
    # The database is empty: both processes find it so and want to migrate it, and wait on the lock we hold.
    holder.execute("SELECT pg_advisory_lock(%s)", (_PG_LOCK,))
    processes = _start_saves(big_book, pg_url, ["first", "second"])
    try:
        _held_then_released(lambda: holder.execute("SELECT pg_advisory_unlock(%s)", (_PG_LOCK,)), processes)
    finally:
        holder.close()
    _check_both_saved(pg_url, _finish(processes))
