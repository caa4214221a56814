"""Alembic environment: migrations run on the connection the store hands over."""

from __future__ import annotations

from alembic import context

from jupyter_adaptive.store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "The store's migrations run through jupyter_adaptive.store.database.upgrade "
        "(`jupyter-adaptive db upgrade`), which hands them a connection."
    )
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
