"""Writing a whole class at once (the seeded demo and benchmark class): rows in batches, one
transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert

from .models import Consent, Event, Evidence, Learner, MasteryState
from .repository import Store

__all__ = ["insert_class"]

_BATCH = 5_000


def insert_class(
    store: Store,
    *,
    learners: Sequence[dict[str, Any]],
    consents: Sequence[dict[str, Any]],
    events: Sequence[dict[str, Any]],
    mastery: Sequence[dict[str, Any]],
    evidence: Sequence[dict[str, Any]],
) -> None:
    """Insert the rows of learners, consents, events, mastery states and evidence, in that order,
    in batches of a few thousand, all in one transaction."""
    with store.transaction() as session:
        for table, rows in (
            (Learner, learners),
            (Consent, consents),
            (Event, events),
            (MasteryState, mastery),
            (Evidence, evidence),
        ):
            for start in range(0, len(rows), _BATCH):
                session.execute(insert(table), list(rows[start : start + _BATCH]))
