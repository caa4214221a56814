"""Engines and schema migrations: SQLite (WAL, one writer) by default, PostgreSQL by URL."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from ..errors import InvalidRequestError

__all__ = ["create_store_engine", "downgrade", "migration_config", "upgrade"]

_MIGRATIONS = Path(__file__).parent / "migrations"


def _sqlite_pragmas(dbapi_connection: Any, busy_ms: int) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL: an answer the API called stored survives a power loss, not only a crashed process.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
    cursor.close()


def create_store_engine(db_url: str, *, sqlite_busy_ms: int = 10_000) -> Engine:
    """Create the engine for ``db_url``; an SQLite file (and its folder) is created on demand,
    its statements waiting at most ``sqlite_busy_ms`` for another writer.

    Raises
    ------
    InvalidRequestError
        When the URL cannot be parsed or names a database driver that is not installed.
    """
    try:
        url = make_url(db_url)
    except ArgumentError as exc:
        raise InvalidRequestError(f"The database URL {db_url!r} cannot be parsed.") from exc
    if url.get_backend_name() == "postgresql" and url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    try:
        if url.get_backend_name() == "sqlite":
            if url.database and url.database != ":memory:":
                path = Path(url.database).expanduser()
                path.parent.mkdir(parents=True, exist_ok=True)
                # Learners' data: readable by the server's account only (SQLite gives its -wal
                # and -shm files the same mode).
                os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
            engine = create_engine(url)
            event.listen(
                engine, "connect", lambda connection, _: _sqlite_pragmas(connection, sqlite_busy_ms)
            )
            return engine
        return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)
    except (ModuleNotFoundError, ImportError) as exc:
        raise InvalidRequestError(
            f"No database driver for {url.drivername}: install jupyter-adaptive[postgres]."
        ) from exc


def migration_config() -> Config:
    """An Alembic configuration for the store's migrations.

    The migrations run on a connection handed over in ``config.attributes["connection"]``; the
    database URL never goes through Alembic's ConfigParser, where a ``%`` (in a password, a path)
    would be taken for interpolation.
    """
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the database schema up to ``revision`` (the newest by default)."""
    config = migration_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    """Migrate the database schema down to ``revision`` (empty by default)."""
    config = migration_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
