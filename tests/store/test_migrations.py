"""Schema migrations on a fresh database: upgrade to head, down to base, and up again."""

from __future__ import annotations

from sqlalchemy import inspect

from jupyter_adaptive.store import create_store_engine, downgrade, upgrade
from jupyter_adaptive.store.models import Base

TABLES = {
    "learners",
    "events",
    "mastery",
    "evidence",
    "consent",
    "overrides",
    "audit_log",
    "item_rules",
}


def tables(db_url: str) -> set[str]:
    engine = create_store_engine(db_url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_upgrade_downgrade_upgrade(db_url: str) -> None:
    engine = create_store_engine(db_url)
    try:
        upgrade(engine)
        assert tables(db_url) == TABLES == set(Base.metadata.tables)
        downgrade(engine)
        assert tables(db_url) == set()
        upgrade(engine)
        assert tables(db_url) == TABLES
    finally:
        engine.dispose()


def test_sqlite_runs_in_wal_mode(tmp_path: object) -> None:
    engine = create_store_engine(f"sqlite:///{tmp_path}/wal.sqlite")
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        engine.dispose()
