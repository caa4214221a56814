"""What a privacy audit counts in the store: consent per level, the oldest record, exports and
deletions, appeals and their answers, overrides, and the audit runs themselves. Plain rows, each
query in the caller's session."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .models import AuditEntry, Consent, Event, Override

__all__ = [
    "AUDIT_RUN",
    "EXPORT",
    "action_counts",
    "appeal_answers",
    "audit_runs",
    "consent_counts",
    "oldest_event",
    "override_counts",
    "record_audit_run",
]

#: Audit-log action of a learner's export of their data.
EXPORT = "export_learner_data"
#: Audit-log action of a quarterly audit (about the whole class; its reason: the report's path).
AUDIT_RUN = "quarterly_audit"


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def consent_counts(session: Session, course: str) -> dict[str, int]:
    """Learners per consent level chosen for the course."""
    rows = session.execute(
        select(Consent.level, func.count()).where(Consent.course == course).group_by(Consent.level)
    )
    return {level: int(n) for level, n in rows}


def oldest_event(session: Session, course: str) -> datetime | None:
    """When the course's oldest stored event arrived (None without events)."""
    found = session.scalar(select(func.min(Event.server_time)).where(Event.course == course))
    return _utc(found) if found is not None else None


def action_counts(session: Session, actions: tuple[str, ...]) -> dict[str, int]:
    """How many audit-log entries of each action the store holds (exports and deletions name no
    course: a learner exports or deletes everything of theirs)."""
    rows = session.execute(
        select(AuditEntry.action, func.count())
        .where(AuditEntry.action.in_(actions))
        .group_by(AuditEntry.action)
    )
    found = {action: int(n) for action, n in rows}
    return {action: found.get(action, 0) for action in actions}


def appeal_answers(
    session: Session, course: str, answer_action: str, tag: str
) -> list[tuple[datetime, datetime | None]]:
    """Each appeal of the course: when it arrived and when a teacher first answered it (None
    while open). Answers are audit entries of ``answer_action`` whose reason starts with ``tag``
    formatted with the appeal's event id."""
    appeals = session.execute(
        select(Event.event_id, Event.server_time).where(
            Event.course == course, Event.type == "appeal"
        )
    ).all()
    answers = session.execute(
        select(AuditEntry.reason, AuditEntry.created_at)
        .where(AuditEntry.course == course, AuditEntry.action == answer_action)
        .order_by(AuditEntry.id)
    ).all()
    first: dict[str, datetime] = {}
    for reason, when in answers:
        first.setdefault(reason.split(": ", 1)[0] + ": ", _utc(when))
    return [(_utc(when), first.get(tag.format(event_id))) for event_id, when in appeals]


def override_counts(session: Session, course: str) -> dict[str, int]:
    """Overrides of the course's estimates per teacher."""
    rows = session.execute(
        select(Override.teacher, func.count())
        .where(Override.course == course)
        .group_by(Override.teacher)
    )
    return {teacher: int(n) for teacher, n in rows}


def record_audit_run(session: Session, course: str, actor: str, report: str) -> None:
    """Log that ``actor`` ran the course's audit, whose JSON report is at ``report``."""
    session.add(AuditEntry(actor=actor, action=AUDIT_RUN, course=course, reason=report))


def audit_runs(session: Session, course: str) -> list[tuple[datetime, str]]:
    """The course's audit runs, newest first: when, and the path of the JSON report."""
    rows = session.execute(
        select(AuditEntry.created_at, AuditEntry.reason)
        .where(AuditEntry.course == course, AuditEntry.action == AUDIT_RUN)
        .order_by(AuditEntry.id.desc())
    )
    return [(_utc(when), report) for when, report in rows]
