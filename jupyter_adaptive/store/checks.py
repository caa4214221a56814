"""Queries on adaptive check-ins. Each runs in the caller's session."""

from __future__ import annotations

import uuid
from collections import Counter

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from .attempts import ANSWERED_ATTEMPT
from .models import Check, Event, Learner, utcnow

__all__ = ["check_answers", "check_exposure", "current_check", "finish_check", "start_check"]


def _unit_is(unit: str | None) -> ColumnElement[bool]:
    return Check.unit.is_(None) if unit is None else Check.unit == unit


def current_check(
    session: Session, learner_id: str, course: str, unit: str | None, *, lock: bool = False
) -> Check | None:
    """The learner's running check of this course and unit (None: the whole course), if any.

    ``lock`` (the learner's row must exist) holds the learner's row until the transaction ends
    where the database can (PostgreSQL), as appending their events does: two requests of one
    learner cannot both start a check or both add an item. SQLite has a single writer already.
    """
    if lock and session.get_bind().dialect.name == "postgresql":
        session.execute(select(Learner.id).where(Learner.id == learner_id).with_for_update())
    query = select(Check).where(
        Check.learner_id == learner_id,
        Check.course == course,
        _unit_is(unit),
        Check.finished_at.is_(None),
    )
    return session.scalars(query.order_by(Check.started_at.desc()).limit(1)).first()


def start_check(session: Session, learner_id: str, course: str, unit: str | None) -> Check:
    """A new check of the learner (their row must exist), with no item asked yet."""
    check = Check(
        id=str(uuid.uuid4()),
        learner_id=learner_id,
        course=course,
        unit=unit,
        items=[],
        started_at=utcnow(),
    )
    session.add(check)
    session.flush()
    return check


def check_exposure(session: Session, course: str, unit: str | None) -> tuple[int, Counter[str]]:
    """How many checks of this course and unit were started, and in how many each item was
    asked."""
    started = 0
    asked: Counter[str] = Counter()
    for items in session.scalars(select(Check.items).where(Check.course == course, _unit_is(unit))):
        started += 1
        asked.update(set(items))
    return started, asked


def check_answers(session: Session, check: Check) -> list[tuple[str, bool]]:
    """The learner's first answer to each item the check asked, in the order asked: the attempt
    events naming the check (``check`` field) on those items; items not answered yet are left
    out."""
    if not check.items:
        return []
    query = (
        select(Event.item, Event.outcome, Event.extra)
        .where(
            Event.learner_id == check.learner_id,
            Event.course == check.course,
            ANSWERED_ATTEMPT,
            Event.item.in_(check.items),
        )
        .order_by(Event.id)
    )
    first: dict[str, bool] = {}
    for item, outcome, extra in session.execute(query):
        if (extra or {}).get("check") == check.id and item not in first:
            first[item] = outcome == "correct"
    return [(item, first[item]) for item in check.items if item in first]


def finish_check(session: Session, check: Check, theta: float, se: float, stop: str) -> None:
    """Record the check's end: the ability estimate, its standard error and why it stopped."""
    check.theta, check.se, check.stop, check.finished_at = theta, se, stop, utcnow()
    session.add(check)
