"""Alembic's environment for the store, driven from code (``maturity.store.connect.migrate``): no
alembic.ini is read. The caller passes an open connection already in a transaction in
``config.attributes["connection"]``, so a migration and the lock taken before it are one transaction."""

from __future__ import annotations

from alembic import context

from maturity.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # `alembic revision` from a developer's shell: see README.md beside this file
    raise RuntimeError("the store's migrations run from maturity.store (open_store), with a connection")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
