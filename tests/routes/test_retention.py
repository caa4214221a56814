"""Retention runs at start and then on a timer, by the deployment's own setting, with counts."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from jupyter_adaptive.store import Store
from jupyter_adaptive.store.models import Event, utcnow
from tests.fixtures.api import Api, attempt_event

COURSE = "data-science-foundations"


@pytest.fixture
def jp_server_config(jp_server_config: dict[str, Any]) -> dict[str, Any]:
    """Keep events one day, and check every tenth of a second."""
    adaptive = {**jp_server_config["AdaptiveApp"], "retention_days": 1, "retention_interval": 0.1}
    return {**jp_server_config, "AdaptiveApp": adaptive}


async def test_events_past_retention_go_while_the_server_runs(
    api: Api, db_url: str, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    caplog.set_level(logging.INFO)
    await api("PUT", "consent", {"course": COURSE, "level": "outcomes"})
    old, new = attempt_event(), attempt_event()
    assert (await api("POST", "events", {"events": [old, new]}))[0] == 200
    store = Store.open(db_url, migrate=False)
    try:
        with store.transaction() as session:
            session.execute(
                update(Event)
                .where(Event.event_id == old["event_id"])
                .values(server_time=utcnow() - timedelta(days=2))
            )
        await asyncio.sleep(0.5)
        _, export = await api("GET", "export")
        kept = {event["event_id"] for event in export["events"]}
        assert old["event_id"] not in kept and new["event_id"] in kept
    finally:
        store.close()
    assert any(
        "retention purge: 1 events older than 1 days deleted" in r.getMessage()
        for r in caplog.records
    )
