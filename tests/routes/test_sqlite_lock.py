"""A command holding SQLite's write lock does not stall the Jupyter server (issue 13, item 12):
the answer waits off the event loop, and the event is stored once the lock is free."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures.api import Api, attempt_event

COURSE = "data-science-foundations"


@pytest.fixture
def jp_server_config(tmp_path: Path) -> dict[str, Any]:
    """SQLite only: PostgreSQL has no file lock to hold."""
    return {
        "ServerApp": {"jpserver_extensions": {"jupyter_adaptive": True}},
        "AdaptiveApp": {
            "db_url": f"sqlite:///{tmp_path / 'store.sqlite'}",
            "secret_file": str(tmp_path / "secret"),
        },
    }


async def test_a_held_write_lock_delays_the_answer_not_the_server(
    api: Api, jp_fetch: Any, tmp_path: Path
) -> None:
    assert (await api("PUT", "consent", {"course": COURSE, "level": "outcomes"}))[0] == 200
    command = sqlite3.connect(tmp_path / "store.sqlite", isolation_level=None)
    command.execute("BEGIN EXCLUSIVE")
    posting = asyncio.ensure_future(api("POST", "events", {"events": [attempt_event()]}))
    await asyncio.sleep(0.3)
    started = time.monotonic()
    status = await jp_fetch("api", "status")
    assert status.code == 200
    assert time.monotonic() - started < 0.5, "the event loop was blocked by the lock"
    assert not posting.done()
    await asyncio.sleep(1.0)
    command.execute("COMMIT")
    command.close()
    status_code, answer = await asyncio.wait_for(posting, 10)
    assert status_code == 200 and answer["results"][0]["status"] == "stored"
