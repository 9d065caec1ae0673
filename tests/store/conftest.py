"""The store's fixtures: a database URL per test, on SQLite and on a real PostgreSQL server.

PostgreSQL tests skip only on a developer's machine without PostgreSQL; in CI (``CI=true``) the
server ``.ci/run`` starts must be there, or they fail rather than pass by skipping.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.pg import PG_URL_VARIABLE, TemporaryPostgres, drop_database, fresh_database, pg_bin

ROOT = Path(__file__).resolve().parents[2]
BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def pg_server():
    """The URL of a PostgreSQL server for the whole test session (one per xdist worker when we start it)."""
    given = os.environ.get(PG_URL_VARIABLE, "").strip()
    if given:
        yield given
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{PG_URL_VARIABLE} is not set in CI: .ci/run must start PostgreSQL for the store tests")
    found = pg_bin()
    if found is None:
        pytest.skip("PostgreSQL is not installed (initdb not found): the store's PostgreSQL tests need it")
    server = TemporaryPostgres(found)
    url = server.start()
    try:
        yield url
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_server):
    """An empty PostgreSQL database of this test's own."""
    url = fresh_database(pg_server)
    yield url
    drop_database(pg_server, url)


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    """An empty database of this test's own, on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'gapmap.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def cli():
    """Run ``python -m maturity`` as a user does, in a subprocess with ``GAPMAP_HOME`` kept off ~/.gapmap."""

    def run(*args, env=None, timeout=180):
        environment = {k: v for k, v in os.environ.items() if k != "GAPMAP_DATABASE_URL"}
        environment.update(GAPMAP_HOME=str(ROOT / ".pytest_cache" / "gapmap-home"), **(env or {}))
        return subprocess.run([sys.executable, "-m", "maturity", *map(str, args)], capture_output=True, cwd=ROOT,
                              timeout=timeout, env=environment)

    return run


HEADER = ["Unit", "Dimension", "Practice", "Current", "Target"]


@pytest.fixture
def book(make_xlsx):
    """A small CDMM workbook: ``book({unit: {dimension name: (current, target)}}, name)``, one practice per area."""

    def build(levels: dict[str, dict[str, tuple]], name: str = "book.xlsx"):
        rows = [HEADER] + [[unit, area, f"{area} practice", current, target]
                           for unit, areas in levels.items() for area, (current, target) in areas.items()]
        return make_xlsx({"Assessment": rows}, name=name)

    return build
