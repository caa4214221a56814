"""Queries on learners' appeals and teachers' answers to them. Each runs in the caller's session."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import AuditEntry, Event

__all__ = ["appeal_of", "audit"]


def appeal_of(session: Session, appeal_id: str) -> tuple[str, str, str | None] | None:
    """``(learner, course, first appealed skill)`` of the appeal with this event id, if any."""
    appeal = session.scalar(
        select(Event).where(Event.event_id == appeal_id, Event.type == "appeal")
    )
    if appeal is None:
        return None
    return appeal.learner_id, appeal.course, appeal.skills[0] if appeal.skills else None


def audit(
    session: Session,
    *,
    actor: str,
    action: str,
    learner_id: str | None,
    course: str,
    skill: str | None,
    reason: str,
) -> None:
    """Add an entry to the audit log (``learner_id`` None: about the whole class)."""
    session.add(
        AuditEntry(
            actor=actor,
            action=action,
            learner_id=learner_id,
            course=course,
            skill=skill,
            reason=reason,
        )
    )
