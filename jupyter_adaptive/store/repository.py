"""Queries on the store.

Each method that takes a ``session`` runs inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from ..translation import Message
from .database import create_store_engine, upgrade
from .models import (
    AuditEntry,
    Check,
    Consent,
    Event,
    Evidence,
    ItemRule,
    Learner,
    LMSScore,
    MasteryState,
    Override,
    RosterMember,
    utcnow,
)
from .privacy_queries import EXPORT

__all__ = [
    "CONSENT_LEVELS",
    "EVENT_COLUMNS",
    "Store",
    "event_dict",
    "event_row",
    "evidence_dict",
    "evidence_reason",
    "mastery_dict",
]

#: Consent levels, from least to most recorded.
CONSENT_LEVELS = ("off", "outcomes", "drafts")

#: Event fields stored in a column of their own; anything else of an event goes to ``extra``.
EVENT_COLUMNS = (
    "event_id",
    "type",
    "course",
    "unit",
    "item",
    "skills",
    "attempt",
    "outcome",
    "duration_ms",
    "hints_used",
    "source",
    "client_time",
)
_NOT_EXTRA = {*EVENT_COLUMNS, "error", "schema_version"}


def event_row(learner_id: str, event: dict[str, Any]) -> dict[str, Any]:
    """The ``events`` row of a validated event."""
    row = {name: event.get(name) for name in EVENT_COLUMNS}
    row["skills"] = list(event.get("skills", []))
    error = event.get("error") or {}
    row.update(
        learner_id=learner_id,
        error_name=error.get("ename"),
        error_value=error.get("evalue"),
        extra={key: value for key, value in event.items() if key not in _NOT_EXTRA},
        server_time=utcnow(),
    )
    return row


def event_dict(row: Event) -> dict[str, Any]:
    """An ``events`` row back as a schema-version-1 event (plus the server's receipt time)."""
    event: dict[str, Any] = {"schema_version": 1}
    for name in EVENT_COLUMNS:
        value = getattr(row, name)
        if value is not None and value != []:
            event[name] = value
    if row.error_name:
        event["error"] = {"ename": row.error_name, "evalue": row.error_value or ""}
    event.update(row.extra or {})
    event["server_time"] = row.server_time.isoformat()
    return event


def mastery_dict(state: MasteryState) -> dict[str, Any]:
    """A mastery row as plain data."""
    return {
        "course": state.course,
        "skill": state.skill,
        "p_mastery": state.p_mastery,
        "n_observations": state.n_observations,
        "updated_at": state.updated_at.isoformat(),
    }


def evidence_reason(
    reason: str, message: dict[str, Any] | None, skill_name: Callable[[str], str] | None = None
) -> str:
    """An evidence row's reason: its message in the current language, skills named with
    ``skill_name`` (id -> the name readers know), else the English ``reason`` it was stored with."""
    if not message:
        return reason
    found = Message.from_dict(message)
    return str(found.with_arg("skill", skill_name) if skill_name is not None else found)


def evidence_dict(row: Evidence, skill_name: Callable[[str], str] | None = None) -> dict[str, Any]:
    """An evidence row as plain data: what moved which estimate, from what to what, and why (in
    the current language when the row keeps its reason as a message, skills named with
    ``skill_name``)."""
    return {
        "course": row.course,
        "skill": row.skill,
        "event_id": row.event_id,
        "prior": row.prior,
        "posterior": row.posterior,
        "params": row.params,
        "reason": evidence_reason(row.reason, row.message, skill_name),
        "model": row.model,
        "created_at": row.created_at.isoformat(),
    }


class Store:
    """The store behind one database URL; thread-safe, one short transaction per call."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, db_url: str, *, migrate: bool = True, sqlite_busy_ms: int = 10_000) -> Store:
        """Open the database at ``db_url``, migrating its schema to the newest version first.

        ``sqlite_busy_ms``: how long an SQLite statement waits for another process's write lock
        before failing (a server on its event loop waits briefly and retries; commands wait long).
        """
        engine = create_store_engine(db_url, sqlite_busy_ms=sqlite_busy_ms)
        if migrate:
            upgrade(engine)
        return cls(engine)

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    def close(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed at the end of the block, or rolled back on error."""
        with self._sessions.begin() as session:
            yield session

    def _insert(self, table: Any) -> Any:
        return (postgresql_insert if self.dialect == "postgresql" else sqlite_insert)(table)

    def ensure_learner(self, session: Session, learner_id: str) -> None:
        """Create the learner row if it does not exist yet."""
        session.execute(
            self._insert(Learner)
            .values(id=learner_id, created_at=utcnow())
            .on_conflict_do_nothing(index_elements=["id"])
        )

    def consent_level(self, session: Session, learner_id: str, course: str) -> str | None:
        """The level the learner chose for the course, or None when never asked."""
        return session.scalar(
            select(Consent.level).where(Consent.learner_id == learner_id, Consent.course == course)
        )

    def consent_levels(self, session: Session, learner_id: str) -> dict[str, str]:
        """Every course the learner answered for, with the level chosen."""
        rows = session.execute(
            select(Consent.course, Consent.level).where(Consent.learner_id == learner_id)
        )
        return {course: level for course, level in rows}

    def set_consent(self, session: Session, learner_id: str, course: str, level: str) -> None:
        """Record the learner's consent level for a course."""
        self.ensure_learner(session, learner_id)
        values = {
            "learner_id": learner_id,
            "course": course,
            "level": level,
            "updated_at": utcnow(),
        }
        session.execute(
            self._insert(Consent)
            .values(**values)
            .on_conflict_do_update(
                index_elements=["learner_id", "course"],
                set_={"level": level, "updated_at": values["updated_at"]},
            )
        )

    def append_events(
        self, session: Session, learner_id: str, events: Sequence[dict[str, Any]]
    ) -> set[str]:
        """Append events, skipping any whose ``event_id`` the learner has stored already (ids are
        unique per learner: another learner's id stores a new event and reveals nothing).

        A learner's batches are appended one at a time: on PostgreSQL the learner's row stays
        locked until the caller's transaction ends, so the ids of one learner's events follow the
        order in which they become visible, and whoever has read up to an id has read every
        earlier event of that learner (what the advisor's catch-up reads rely on). SQLite has a
        single writer already.

        Returns the ids that were new (stored by this call).
        """
        if not events:
            return set()
        self.ensure_learner(session, learner_id)
        if self.dialect == "postgresql":
            session.execute(select(Learner.id).where(Learner.id == learner_id).with_for_update())
        rows = [event_row(learner_id, event) for event in events]
        statement = (
            self._insert(Event)
            .on_conflict_do_nothing(index_elements=["learner_id", "event_id"])
            .returning(Event.event_id)
        )
        # One cached statement run over all rows ("insertmanyvalues"), not one statement compiled
        # with a bind parameter per value.
        return set(session.scalars(statement, rows))

    def mastery_states(
        self, session: Session, learner_id: str, course: str, skills: Sequence[str]
    ) -> dict[str, MasteryState]:
        """The learner's mastery rows for these skills, locked for update where the database can."""
        query = select(MasteryState).where(
            MasteryState.learner_id == learner_id,
            MasteryState.course == course,
            MasteryState.skill.in_(list(skills)),
        )
        if self.dialect == "postgresql":
            query = query.with_for_update()
        return {state.skill: state for state in session.scalars(query)}

    def mastery(
        self, session: Session, learner_id: str, course: str | None = None
    ) -> list[MasteryState]:
        """Every mastery row of the learner (in one course, when given)."""
        query = select(MasteryState).where(MasteryState.learner_id == learner_id)
        if course is not None:
            query = query.where(MasteryState.course == course)
        return list(session.scalars(query.order_by(MasteryState.course, MasteryState.skill)))

    def evidence(
        self, session: Session, learner_id: str, course: str | None = None, limit: int = 1000
    ) -> list[Evidence]:
        """The learner's most recent evidence rows, newest first."""
        query = select(Evidence).where(Evidence.learner_id == learner_id)
        if course is not None:
            query = query.where(Evidence.course == course)
        return list(session.scalars(query.order_by(Evidence.id.desc()).limit(limit)))

    def events(
        self, session: Session, learner_id: str | None = None, course: str | None = None
    ) -> list[Event]:
        """Stored events in arrival order, of one learner and one course when given."""
        query = select(Event).order_by(Event.id)
        if learner_id is not None:
            query = query.where(Event.learner_id == learner_id)
        if course is not None:
            query = query.where(Event.course == course)
        return list(session.scalars(query))

    def count_events(self, session: Session) -> int:
        """How many events the store holds."""
        return int(session.scalar(select(func.count()).select_from(Event)) or 0)

    def export_learner(self, session: Session, learner_id: str) -> dict[str, Any]:
        """Everything stored about one learner, as plain data; the export itself is logged (the
        quarterly audit counts exports)."""
        export = {
            "learner": learner_id,
            "consent": self.consent_levels(session, learner_id),
            "events": [event_dict(row) for row in self.events(session, learner_id)],
            "mastery": [mastery_dict(state) for state in self.mastery(session, learner_id)],
            "evidence": [
                evidence_dict(row)
                for row in reversed(self.evidence(session, learner_id, limit=1_000_000))
            ],
            "consent_history": [
                {
                    "course": row.course,
                    "level": (row.extra or {}).get("level"),
                    "client_time": row.client_time,
                    "server_time": row.server_time.isoformat(),
                }
                for row in self.events(session, learner_id)
                if row.type == "consent"
            ],
            "overrides": [
                {
                    "course": o.course,
                    "skill": o.skill,
                    "value": o.value,
                    "reason": o.reason,
                    "teacher": o.teacher,
                    "created_at": o.created_at.isoformat(),
                }
                for o in session.scalars(
                    select(Override).where(Override.learner_id == learner_id).order_by(Override.id)
                )
            ],
            "item_rules": [
                {
                    "course": rule.course,
                    "item": rule.item,
                    "action": rule.action,
                    "reason": rule.reason,
                    "teacher": rule.teacher,
                    "created_at": rule.created_at.isoformat(),
                }
                for rule in session.scalars(
                    select(ItemRule).where(ItemRule.learner_id == learner_id).order_by(ItemRule.id)
                )
            ],
            "checks": [
                {
                    "check": check.id,
                    "course": check.course,
                    "unit": check.unit,
                    "items": check.items,
                    "theta": check.theta,
                    "se": check.se,
                    "stop": check.stop,
                    "started_at": check.started_at.isoformat(),
                    "finished_at": check.finished_at.isoformat() if check.finished_at else None,
                }
                for check in session.scalars(
                    select(Check).where(Check.learner_id == learner_id).order_by(Check.started_at)
                )
            ],
            "roster": [
                {
                    "course": row.course,
                    "role": row.role,
                    "status": row.status,
                    "subgroups": row.subgroups,
                }
                for row in session.scalars(
                    select(RosterMember).where(RosterMember.learner_id == learner_id)
                )
            ],
            "lms_scores": [
                {
                    "course": row.course,
                    "line_item": row.resource_id,
                    "score": row.score_given,
                    "maximum": row.score_maximum,
                    "comment": row.comment,
                    "posted_at": row.posted_at.isoformat(),
                }
                for row in session.scalars(
                    select(LMSScore).where(LMSScore.learner_id == learner_id)
                )
            ],
            "audit": [
                {
                    "actor": entry.actor,
                    "action": entry.action,
                    "course": entry.course,
                    "skill": entry.skill,
                    "old_value": entry.old_value,
                    "new_value": entry.new_value,
                    "reason": entry.reason,
                    "created_at": entry.created_at.isoformat(),
                }
                for entry in session.scalars(
                    select(AuditEntry)
                    .where(AuditEntry.learner_id == learner_id)
                    .order_by(AuditEntry.id)
                )
            ],
        }
        session.add(AuditEntry(actor=learner_id, action=EXPORT, learner_id=learner_id))
        return export

    def delete_learner(self, session: Session, learner_id: str, actor: str) -> int:
        """Delete every row about the learner (events with their drafts and appeals, estimates,
        evidence, consent, overrides, item rules, check-ins, roster entries and scores posted to
        the LMS, audit entries); log the deletion itself without content; return how many events
        went."""
        deleted = session.execute(delete(Event).where(Event.learner_id == learner_id))
        for table in (
            Evidence,
            MasteryState,
            Consent,
            Override,
            ItemRule,
            Check,
            RosterMember,
            LMSScore,
            AuditEntry,
        ):
            session.execute(delete(table).where(table.learner_id == learner_id))
        session.execute(delete(Learner).where(Learner.id == learner_id))
        session.add(
            AuditEntry(actor=actor, action="delete_learner_data", learner_id=learner_id, reason="")
        )
        return int(getattr(deleted, "rowcount", 0) or 0)

    def purge_before(self, cutoff: datetime) -> dict[str, int]:
        """Delete learner content older than ``cutoff`` (the retention period): events (with
        their drafts and appeals), evidence rows and their reasons, overrides, item rules,
        check-ins, scores posted to the LMS (a later sync posts them again: the gradebook keeps
        the latest) and audit entries about learners (the record of a deletion stays). Returns
        the count per table."""
        purged = {}
        with self.transaction() as session:
            for table, when in (
                (Event, Event.server_time),
                (Evidence, Evidence.created_at),
                (Override, Override.created_at),
                (ItemRule, ItemRule.created_at),
                (Check, Check.started_at),
                (LMSScore, LMSScore.posted_at),
            ):
                result = session.execute(delete(table).where(when < cutoff))
                purged[table.__tablename__] = int(getattr(result, "rowcount", 0) or 0)
            result = session.execute(
                delete(AuditEntry).where(
                    AuditEntry.created_at < cutoff,
                    AuditEntry.learner_id.is_not(None),
                    AuditEntry.action != "delete_learner_data",
                )
            )
            purged[AuditEntry.__tablename__] = int(getattr(result, "rowcount", 0) or 0)
        return purged
