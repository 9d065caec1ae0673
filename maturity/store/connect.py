"""Where the store is and how it is opened: the database URL, the engine, the migrations run on first
use, and database failures turned into one-line :class:`~maturity.errors.StoreError` messages.

The URL is ``--db URL`` (the ``url`` argument), else ``GAPMAP_DATABASE_URL``, else the SQLite file
``gapmap.db`` under ``GAPMAP_HOME`` (default ``~/.gapmap``), created on first use. Any SQLAlchemy URL
works; PostgreSQL (``postgresql+psycopg://…``) is the one tested for shared deployments.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, exc, make_url, text
from sqlalchemy.engine import URL

from ..errors import StoreError

__all__ = ["HEAD", "Store", "database_url", "open_store"]

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
HEAD = "0003"  # the newest revision in migrations/versions (a test keeps this true)
_SQLITE_WAIT_SECONDS = 30  # how long a save waits for another process's save to finish
_PG_CONNECT_SECONDS = 10
_PG_LOCK = 0x6761706D6170  # "gapmap": the advisory lock that makes migrations one at a time
_migrated: set[str] = set()  # URLs this process has seen at the head revision
_lock = threading.Lock()


@dataclass(frozen=True)
class Store:
    """An open store: the SQLAlchemy engine and the URL it was opened with (``shown`` hides a password)."""

    engine: Engine
    url: str

    @property
    def shown(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextlib.contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection for queries, database failures raised as StoreError."""
        with guard(self.shown), self.engine.connect() as connection:
            yield connection

    @contextlib.contextmanager
    def writing(self) -> Iterator[Connection]:
        """One transaction for a change: committed when the block ends, rolled back entirely on any error
        (a crash leaves nothing half saved). On SQLite it takes the write lock at once (BEGIN IMMEDIATE),
        so two processes saving together queue rather than fail."""
        with guard(self.shown), self.engine.connect() as connection:
            connection.execution_options(gapmap_write=True)
            with connection.begin():
                yield connection


def database_url(url: str | None = None) -> str:
    """The database to use: ``url``, else ``GAPMAP_DATABASE_URL``, else ``sqlite:///$GAPMAP_HOME/gapmap.db``
    (``GAPMAP_HOME`` defaults to ``~/.gapmap``)."""
    chosen = url or os.environ.get("GAPMAP_DATABASE_URL", "").strip()
    if chosen:
        return chosen
    home = Path(os.environ.get("GAPMAP_HOME", "").strip() or Path.home() / ".gapmap").expanduser()
    return URL.create("sqlite", database=str(home / "gapmap.db")).render_as_string()


def open_store(url: str | None = None) -> Store:
    """Open the store at ``url`` (see :func:`database_url`), creating or upgrading its schema on first use.

    Raises StoreError, in one line, when the URL is malformed, the database is unreachable or locked,
    or its schema is newer than this gapmap's (written by a later version: upgrade gapmap).
    """
    chosen = database_url(url)
    try:
        parsed = make_url(chosen)
    except exc.ArgumentError:
        raise StoreError(f"{chosen!r} is not a database URL: give one such as sqlite:///path/gapmap.db or "
                         "postgresql+psycopg://user@host/dbname") from None
    shown = parsed.render_as_string(hide_password=True)
    with guard(shown):
        engine = _engine(parsed)
    store = Store(engine, parsed.render_as_string(hide_password=False))
    with _lock:
        if store.url not in _migrated:
            migrate(store)
            _migrated.add(store.url)
    return store


def _engine(url: URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:" and not url.database.startswith("file:"):
            try:
                Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StoreError(f"cannot create the folder of {url.database}: {error.strerror or error}") from None
        connect_args = {} if "timeout" in url.query else {"timeout": _SQLITE_WAIT_SECONDS}
        engine = create_engine(url, connect_args=connect_args)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    connect_args = {}
    if url.get_backend_name() == "postgresql" and "connect_timeout" not in url.query:
        connect_args["connect_timeout"] = _PG_CONNECT_SECONDS
    return create_engine(url, connect_args=connect_args, pool_pre_ping=True)


def _sqlite_connect(dbapi_connection, _record) -> None:
    # pysqlite's own BEGIN comes late (at the first write) and never before DDL: we begin ourselves.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    with contextlib.suppress(Exception):  # WAL lets readers go on while a save writes; not every file system has it
        cursor.execute("PRAGMA journal_mode = WAL")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    write = connection.get_execution_options().get("gapmap_write")
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _config(connection: Connection | None = None):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def known_revisions() -> set[str]:
    """Every revision this gapmap's migrations know."""
    from alembic.script import ScriptDirectory

    return {script.revision for script in ScriptDirectory.from_config(_config()).walk_revisions()}


def current_revision(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    heads = MigrationContext.configure(connection).get_current_heads()
    return heads[0] if heads else None


def migrate(store: Store, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (the newest by default) in one transaction, one process at a
    time. Raises StoreError when the database is at a revision this gapmap does not know (a newer one)."""
    from alembic import command

    with store.writing() as connection:
        if store.dialect == "postgresql":  # the second replica to start waits here, then finds nothing to do
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})
        found = current_revision(connection)
        if found is not None and found not in known_revisions():
            raise StoreError(
                f"the database {store.shown} was written by a newer gapmap (schema revision {found!r}; this "
                f"gapmap knows up to {HEAD!r}): upgrade gapmap to use it")
        if found == HEAD and revision == "head":
            return
        command.upgrade(_config(connection), revision)


def downgrade(store: Store, revision: str) -> None:
    """Take the schema back to ``revision`` (``base``: nothing); for tests and for a rollback by hand."""
    from alembic import command

    with store.writing() as connection:
        command.downgrade(_config(connection), revision)
    _migrated.discard(store.url)


@contextlib.contextmanager
def guard(shown: str) -> Iterator[None]:
    """Database failures (unreachable, locked, refused) as one StoreError line naming the database."""
    try:
        yield
    except exc.DBAPIError as error:
        if not isinstance(error, exc.OperationalError | exc.InterfaceError) and not error.connection_invalidated:
            raise
        raise StoreError(f"the database {shown} cannot be used: {_reason(error)}") from None


def _reason(error: exc.DBAPIError) -> str:
    reason = " ".join(str(error.orig).split()) or type(error.orig).__name__
    if "locked" in reason or "busy" in reason:
        return f"{reason} (another process is writing to it: try again in a moment)"
    return reason[:300]
