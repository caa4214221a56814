"""SQLAlchemy 2 models of the store. Learners appear only by pseudonym."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "AuditEntry",
    "Base",
    "Check",
    "Consent",
    "Event",
    "Evidence",
    "ItemRule",
    "LMSLineItem",
    "LMSScore",
    "Learner",
    "MasteryState",
    "Override",
    "RosterMember",
    "utcnow",
]


def utcnow() -> datetime:
    """The current time in UTC, the only clock the store writes."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base of every table."""


_ID = String(200)


class Learner(Base):
    """A learner, known only by the HMAC pseudonym of their server identity."""

    __tablename__ = "learners"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Event(Base):
    """One learning event as received (after consent minimization); appended once per learner
    and event_id."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(36))
    learner_id: Mapped[str] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(20))
    course: Mapped[str] = mapped_column(_ID)
    unit: Mapped[str | None] = mapped_column(_ID)
    item: Mapped[str | None] = mapped_column(_ID)
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    attempt: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str | None] = mapped_column(String(20))
    error_name: Mapped[str | None] = mapped_column(_ID)
    error_value: Mapped[str | None] = mapped_column(Text)
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    hints_used: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str | None] = mapped_column(Text)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    client_time: Mapped[str] = mapped_column(String(40))
    server_time: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (
        Index("ix_events_learner_course", "learner_id", "course", "id"),
        Index("ux_events_learner_event", "learner_id", "event_id", unique=True),
    )


class MasteryState(Base):
    """The current P(mastered) of one learner on one skill of one course."""

    __tablename__ = "mastery"

    learner_id: Mapped[str] = mapped_column(
        ForeignKey("learners.id", ondelete="CASCADE"), primary_key=True
    )
    course: Mapped[str] = mapped_column(_ID, primary_key=True)
    skill: Mapped[str] = mapped_column(_ID, primary_key=True)
    p_mastery: Mapped[float] = mapped_column(Float)
    n_observations: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Evidence(Base):
    """Why an estimate moved: the event, the estimate before and after, the parameters, a reason."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    learner_id: Mapped[str] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"))
    course: Mapped[str] = mapped_column(_ID)
    skill: Mapped[str] = mapped_column(_ID)
    event_id: Mapped[str | None] = mapped_column(String(36))
    prior: Mapped[float] = mapped_column(Float)
    posterior: Mapped[float] = mapped_column(Float)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: The reason in English; ``message`` is the same as data (message id and arguments, see
    #: ``jupyter_adaptive.translation.Message``) to say it in the reader's language.
    reason: Mapped[str] = mapped_column(Text)
    message: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    #: The served model that moved the estimate (kind and fit date); None for overrides and for
    #: rows written before models were named.
    model: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (Index("ix_evidence_learner_skill", "learner_id", "course", "skill", "id"),)


class Consent(Base):
    """The consent level a learner chose for a course."""

    __tablename__ = "consent"

    learner_id: Mapped[str] = mapped_column(
        ForeignKey("learners.id", ondelete="CASCADE"), primary_key=True
    )
    course: Mapped[str] = mapped_column(_ID, primary_key=True)
    level: Mapped[str] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Override(Base):
    """A teacher's decision on one learner's skill estimate, with its reason."""

    __tablename__ = "overrides"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    learner_id: Mapped[str] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"))
    course: Mapped[str] = mapped_column(_ID)
    skill: Mapped[str] = mapped_column(_ID)
    value: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(Text)
    teacher: Mapped[str] = mapped_column(_ID)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ItemRule(Base):
    """A teacher's pin or exclusion of a practice item, for one learner or the whole class."""

    __tablename__ = "item_rules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    course: Mapped[str] = mapped_column(_ID)
    item: Mapped[str] = mapped_column(_ID)
    learner_id: Mapped[str | None] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text, default="")
    teacher: Mapped[str] = mapped_column(_ID)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (Index("ix_item_rules_course", "course", "learner_id"),)


class Check(Base):
    """An adaptive check-in of one learner: the items asked in order and, once done, the ability
    estimate, its standard error and why it stopped. The answers are the learner's attempt events
    that name the check."""

    __tablename__ = "checks"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    learner_id: Mapped[str] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"))
    course: Mapped[str] = mapped_column(_ID)
    #: The unit whose check items it asks; None for a check over the whole course.
    unit: Mapped[str | None] = mapped_column(_ID)
    items: Mapped[list[str]] = mapped_column(JSON, default=list)
    theta: Mapped[float | None] = mapped_column(Float)
    se: Mapped[float | None] = mapped_column(Float)
    #: Why it stopped (``precision``, ``length``, ``pool``); None while it runs.
    stop: Mapped[str | None] = mapped_column(String(20))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_checks_course_unit", "course", "unit", "learner_id"),)


class AuditEntry(Base):
    """Append-only log of changes made by people (overrides, appeal answers, deletions)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    actor: Mapped[str] = mapped_column(_ID)
    action: Mapped[str] = mapped_column(String(40))
    learner_id: Mapped[str | None] = mapped_column(String(64))
    course: Mapped[str | None] = mapped_column(_ID)
    skill: Mapped[str | None] = mapped_column(_ID)
    old_value: Mapped[float | None] = mapped_column(Float)
    new_value: Mapped[float | None] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RosterMember(Base):
    """A member of a course's roster (from the LMS's Names and Role Provisioning Service, a
    teacher's roster file or launch claims), by pseudonym only, with their subgroups."""

    __tablename__ = "roster"

    course: Mapped[str] = mapped_column(_ID, primary_key=True)
    learner_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: ``learner`` or ``teacher``; None when only a roster file named them.
    role: Mapped[str | None] = mapped_column(String(20))
    #: The LMS's membership status (``Active``, ``Inactive``, ``Deleted``); None when not from it.
    status: Mapped[str | None] = mapped_column(String(20))
    #: Subgroup attributes for the fairness and success views, e.g. ``{"section": "B"}``.
    subgroups: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class LMSLineItem(Base):
    """A column of the LMS gradebook that the course's scores go to (LTI Assignment and Grade
    Services): one per unit (``unit:<id>``) and, where enabled, per skill (``skill:<id>``)."""

    __tablename__ = "lms_line_items"

    course: Mapped[str] = mapped_column(_ID, primary_key=True)
    resource_id: Mapped[str] = mapped_column(_ID, primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    label: Mapped[str] = mapped_column(Text)
    score_maximum: Mapped[float] = mapped_column(Float)


class LMSScore(Base):
    """The last score posted to the LMS for one learner and line item: a sync posts again only
    what changed. Each post is also in the audit log."""

    __tablename__ = "lms_scores"

    learner_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    course: Mapped[str] = mapped_column(_ID, primary_key=True)
    resource_id: Mapped[str] = mapped_column(_ID, primary_key=True)
    score_given: Mapped[float] = mapped_column(Float)
    score_maximum: Mapped[float] = mapped_column(Float)
    comment: Mapped[str] = mapped_column(Text, default="")
    posted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
