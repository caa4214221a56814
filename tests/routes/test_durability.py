"""SIGKILL the server in the middle of a burst.

The retrying client and the idempotent store together lose nothing and store nothing twice, on
SQLite and on PostgreSQL.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, func, select

from jupyter_adaptive.store.models import Event
from tests.fixtures.servers import ServerProcess

EVENTS = 2000
ROOT = Path(__file__).resolve().parents[2]


def attempt_counts(db_url: str) -> tuple[int, int]:
    """(rows, distinct event ids) of the attempt events stored."""
    engine = create_engine(db_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as connection:
        rows = connection.scalar(
            select(func.count()).select_from(Event).where(Event.type == "attempt")
        )
        distinct = connection.scalar(
            select(func.count(func.distinct(Event.event_id))).where(Event.type == "attempt")
        )
    engine.dispose()
    return int(rows or 0), int(distinct or 0)


def test_sigkill_mid_burst_loses_nothing_and_duplicates_nothing(
    db_url: str, tmp_path: Path
) -> None:
    server = ServerProcess(tmp_path / "first", app="jupyter_server", db_url=db_url).start()
    server.request(
        "PUT", "/adaptive/api/consent", {"course": "data-science-foundations", "level": "outcomes"}
    )
    client = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.routes.durability_client",
            server.url,
            server.token,
            str(EVENTS),
        ],
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 120
        while attempt_counts(db_url)[0] < EVENTS // 4 and time.monotonic() < deadline:
            time.sleep(0.05)
        server.kill()
        killed_at = attempt_counts(db_url)[0]
        assert 0 < killed_at < EVENTS, "the kill must land mid-burst"
        # Same data dir (same pseudonym secret) and port, as when a machine restarts its server.
        restarted = ServerProcess(tmp_path / "first", app="jupyter_server", db_url=db_url)
        restarted.port = server.port
        restarted.start()
        try:
            assert client.wait(timeout=180) == 0
        finally:
            restarted.stop()
    finally:
        client.kill()
    assert attempt_counts(db_url) == (EVENTS, EVENTS)
