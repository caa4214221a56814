"""Schema migrations on a fresh database: upgrade to head, down to base, and up again."""

from __future__ import annotations

from pathlib import Path

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
    "checks",
    "roster",
    "lms_line_items",
    "lms_scores",
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


def test_a_percent_sign_in_the_url_does_not_stop_the_migrations(tmp_path: Path) -> None:
    # Alembic's ConfigParser would take "%d" in a password or path for interpolation.
    engine = create_store_engine(f"sqlite:///{tmp_path / '100%done.sqlite'}")
    try:
        upgrade(engine)
        assert set(inspect(engine).get_table_names()) - {"alembic_version"} == TABLES
    finally:
        engine.dispose()


def test_sqlite_writes_survive_a_power_loss(tmp_path: Path) -> None:
    engine = create_store_engine(f"sqlite:///{tmp_path / 'store.sqlite'}")
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            # 2 = FULL: each commit is synced to disk, not only at checkpoints.
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2
    finally:
        engine.dispose()
