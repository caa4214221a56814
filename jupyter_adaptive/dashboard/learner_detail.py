"""One learner's record for the drill-down: a timeline of what they did and how each estimate moved.

Drafts are returned as the learner typed them; whoever renders them escapes them (the notebook
shows them as text, never as HTML or code to run).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..store import Store
from ..store.class_queries import audit_entries, course_evidence, learner_events
from ..store.repository import evidence_reason

__all__ = [
    "APPEAL_ANSWER",
    "Appeal",
    "LearnerDetail",
    "TimelineEntry",
    "appeal_tag",
    "learner_detail",
]

#: Audit action of a teacher's answer to an appeal.
APPEAL_ANSWER = "answer_appeal"


def appeal_tag(event_id: str) -> str:
    """How an appeal answer's audit reason names the appeal it answers."""
    return f"appeal {event_id}: "


@dataclass(frozen=True)
class TimelineEntry:
    """One step of the learner's record; ``changes`` lists ``(skill, prior, posterior, reason)``."""

    time: datetime | None
    kind: str
    unit: str | None = None
    item: str | None = None
    skills: tuple[str, ...] = ()
    attempt: int | None = None
    outcome: str | None = None
    error: str | None = None
    duration_s: float | None = None
    hints_used: int | None = None
    draft: str | None = None
    message: str | None = None
    event_id: str | None = None
    changes: tuple[tuple[str, float, float, str], ...] = ()


@dataclass(frozen=True)
class Appeal:
    """An appeal against an estimate and the teacher's answer, if any."""

    event_id: str
    time: datetime | None
    skills: tuple[str, ...]
    message: str
    answer: str | None


@dataclass(frozen=True)
class LearnerDetail:
    """Everything the drill-down shows about one learner in one course."""

    learner: str
    course: str
    mastery: dict[str, float]
    timeline: list[TimelineEntry]
    appeals: list[Appeal]
    audit: list[dict[str, Any]]

    def table(self) -> tuple[list[str], list[list[object]]]:
        """The learner's full record as a flat table, one line per timeline entry (CSV)."""
        header = [
            "time",
            "kind",
            "item",
            "skills",
            "attempt",
            "outcome",
            "error",
            "duration_s",
            "hints_used",
            "draft",
            "message",
            "estimate_changes",
        ]
        body: list[list[object]] = [
            [
                entry.time.isoformat() if entry.time else "",
                entry.kind,
                entry.item or "",
                " ".join(entry.skills),
                "" if entry.attempt is None else entry.attempt,
                entry.outcome or "",
                entry.error or "",
                "" if entry.duration_s is None else entry.duration_s,
                "" if entry.hints_used is None else entry.hints_used,
                entry.draft or "",
                entry.message or "",
                " | ".join(change[3] for change in entry.changes),
            ]
            for entry in self.timeline
        ]
        return header, body


def _error_text(row: dict[str, Any], answer_error: dict[str, str] | None) -> str | None:
    """What a run stopped at: the answer cell's error (the cause) before the tests' error."""
    errors = []
    if answer_error:
        errors.append(f"answer: {answer_error['ename']}: {answer_error.get('evalue', '')}")
    if row["error_name"]:
        errors.append(f"{row['error_name']}: {row['error_value'] or ''}")
    return "; tests: ".join(errors) if errors else None


def learner_detail(
    store: Store, learner: str, course: str, skill_name: Callable[[str], str] | None = None
) -> LearnerDetail:
    """The learner's timeline (events and overrides in time order), current estimates, appeals
    with their answers, and the audit log about them; reasons name skills with ``skill_name``."""
    with store.transaction() as session:
        events = learner_events(session, learner, course)
        evidence = course_evidence(session, course, learner)
        audit = audit_entries(session, course, learner)
        mastery = {
            state.skill: state.p_mastery for state in store.mastery(session, learner, course)
        }
    changes: dict[str, list[tuple[str, float, float, str]]] = {}
    timeline: list[TimelineEntry] = []
    for row in evidence:
        reason = evidence_reason(row["reason"], row["message"], skill_name)
        change = (row["skill"], row["prior"], row["posterior"], reason)
        if row["event_id"] is None:
            timeline.append(
                TimelineEntry(
                    row["created_at"], "override", skills=(row["skill"],), changes=(change,)
                )
            )
        else:
            changes.setdefault(row["event_id"], []).append(change)
    answers = {
        entry["reason"].split(": ", 1)[0]: entry["reason"].split(": ", 1)[1]
        for entry in reversed(audit)
        if entry["action"] == APPEAL_ANSWER and ": " in entry["reason"]
    }
    appeals = []
    for row in events:
        extra = row["extra"] or {}
        error = _error_text(row, extra.get("answer_error"))
        message = extra.get("message")
        timeline.append(
            TimelineEntry(
                time=row["server_time"],
                kind=row["type"],
                unit=row["unit"],
                item=row["item"],
                skills=tuple(row["skills"] or ()),
                attempt=row["attempt"],
                outcome=row["outcome"],
                error=error,
                duration_s=None if row["duration_ms"] is None else row["duration_ms"] / 1000,
                hints_used=row["hints_used"],
                draft=row["source"],
                message=message,
                event_id=row["event_id"],
                changes=tuple(changes.get(row["event_id"], ())),
            )
        )
        if row["type"] == "appeal":
            appeals.append(
                Appeal(
                    row["event_id"],
                    row["server_time"],
                    tuple(row["skills"] or ()),
                    message or "",
                    answers.get(appeal_tag(row["event_id"]).rstrip(": ")),
                )
            )
    timeline.sort(key=lambda entry: entry.time.timestamp() if entry.time else 0.0)
    return LearnerDetail(learner, course, mastery, timeline, appeals, audit)
