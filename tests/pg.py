"""A real PostgreSQL server for the store's tests and benchmarks.

``.ci/run`` starts one for the whole run and exports its URL in ``GAPMAP_TEST_PG_URL``. Without it (on
a developer's machine) :class:`TemporaryPostgres` starts a private server from the machine's
``initdb`` and ``pg_ctl`` in a temporary folder, on a free port of 127.0.0.1, run as the ``postgres``
user when we are root (PostgreSQL refuses to run as root), and removes it afterwards. Each test gets
a database of its own (:func:`fresh_database`), so parallel workers never meet.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

PG_URL_VARIABLE = "GAPMAP_TEST_PG_URL"


def pg_bin() -> Path | None:
    """The folder holding initdb and pg_ctl: on PATH, else Debian's newest /usr/lib/postgresql/N/bin."""
    found = shutil.which("initdb")
    if found:
        return Path(os.path.realpath(found)).parent
    folders = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    return Path(folders[-1]).parent if folders else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class TemporaryPostgres:
    """A throwaway PostgreSQL server: :meth:`start` returns its URL, :meth:`stop` ends it and removes it."""

    def __init__(self, bin_dir: Path):
        self.bin_dir = bin_dir
        self.folder = Path(tempfile.mkdtemp(prefix="gapmap-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.as_root = os.geteuid() == 0

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_root else []
        result = subprocess.run([*prefix, *command], capture_output=True, text=True, timeout=120)
        if result.returncode:
            log = (self.folder / "log").read_text() if (self.folder / "log").exists() else ""
            raise RuntimeError(f"{' '.join(command)} failed: {result.stderr.strip()} {log[-2000:]}")

    def start(self) -> str:
        if self.as_root:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run(str(self.bin_dir / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E",
                  "UTF8", "--no-sync", "--locale=C")
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -c fsync=off "
                   "-c full_page_writes=off -c synchronous_commit=off -c max_connections=200")
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "log"), "-w",
                  "-o", options, "start")
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        try:
            self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def _admin(server_url: str):
    import psycopg
    from sqlalchemy import make_url

    url = make_url(server_url)
    return psycopg.connect(host=url.host, port=url.port, user=url.username, password=url.password,
                           dbname=url.database or "postgres", autocommit=True)


def fresh_database(server_url: str, prefix: str = "gapmap") -> str:
    """Create an empty database on the server of ``server_url``; returns its URL."""
    from sqlalchemy import make_url

    name = f"{prefix}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{uuid.uuid4().hex[:12]}"
    with _admin(server_url) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def drop_database(server_url: str, database_url: str) -> None:
    from sqlalchemy import make_url

    name = make_url(database_url).database
    with _admin(server_url) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
