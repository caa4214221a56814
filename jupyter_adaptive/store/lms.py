"""Queries behind the LMS link (:mod:`jupyter_adaptive.lti`): the course's roster under
pseudonyms, the scores a sync would post, and what was posted.

Each function runs inside the caller's transaction (``with store.transaction() as session``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import (
    AuditEntry,
    Consent,
    Event,
    Evidence,
    LMSLineItem,
    LMSScore,
    MasteryState,
    RosterMember,
    utcnow,
)

__all__ = [
    "PASSBACK_LEVELS",
    "Score",
    "consenting",
    "line_items",
    "posted_scores",
    "record_line_item",
    "record_passback",
    "roster",
    "roster_subgroups",
    "save_members",
    "save_subgroups",
    "skill_scores",
    "unit_scores",
]

#: Consent levels under which a learner's scores go to the LMS.
PASSBACK_LEVELS = ("outcomes", "drafts")


@dataclass(frozen=True)
class Score:
    """A score for one line item: ``given`` out of ``maximum``, with a comment."""

    given: float
    maximum: float
    comment: str = ""


def _member(session: Session, course: str, learner_id: str) -> RosterMember:
    row = session.get(RosterMember, (course, learner_id))
    if row is None:
        row = RosterMember(course=course, learner_id=learner_id, subgroups={})
        session.add(row)
    return row


def save_members(
    session: Session, course: str, members: Mapping[str, tuple[str, str | None]]
) -> None:
    """Record the LMS's members of ``course``: pseudonym -> (role, status). Members it no longer
    lists are marked ``Deleted`` (their subgroups stay until a roster file replaces them)."""
    now = utcnow()
    for learner_id, (role, status) in members.items():
        row = _member(session, course, learner_id)
        row.role, row.status, row.updated_at = role, status, now
    for row in session.scalars(
        select(RosterMember).where(RosterMember.course == course, RosterMember.status.is_not(None))
    ):
        if row.learner_id not in members and row.status != "Deleted":
            row.status, row.updated_at = "Deleted", now


def save_subgroups(
    session: Session, course: str, groups: Mapping[str, Mapping[str, str]], replace: bool = False
) -> None:
    """Set members' subgroup attributes (pseudonym -> {attribute: value}); ``replace`` drops every
    other attribute of those members (a roster file is the whole truth about whom it names)."""
    now = utcnow()
    for learner_id, attributes in groups.items():
        row = _member(session, course, learner_id)
        row.subgroups = {**({} if replace else row.subgroups or {}), **attributes}
        row.updated_at = now


def roster(session: Session, course: str) -> list[dict[str, Any]]:
    """The course's roster as plain data, by pseudonym."""
    rows = session.scalars(
        select(RosterMember).where(RosterMember.course == course).order_by(RosterMember.learner_id)
    )
    return [
        {
            "learner": row.learner_id,
            "role": row.role,
            "status": row.status,
            "subgroups": dict(row.subgroups or {}),
        }
        for row in rows
    ]


def roster_subgroups(session: Session, course: str) -> dict[str, dict[str, str]]:
    """Pseudonym -> subgroup attributes of the course's members that have some (the fairness
    and success views' groups)."""
    rows = session.execute(
        select(RosterMember.learner_id, RosterMember.subgroups).where(RosterMember.course == course)
    )
    return {learner: dict(groups) for learner, groups in rows if groups}


def consenting(session: Session, course: str, learner_ids: Collection[str]) -> set[str]:
    """Those of ``learner_ids`` whose consent for the course lets their scores go to the LMS."""
    rows = session.scalars(
        select(Consent.learner_id).where(
            Consent.course == course,
            Consent.level.in_(PASSBACK_LEVELS),
            Consent.learner_id.in_(list(learner_ids)),
        )
    )
    return set(rows)


def unit_scores(
    session: Session, course: str, learner_ids: Collection[str]
) -> dict[str, dict[str, Score]]:
    """Per learner and unit, the nbgrader score: the sum of the latest grade of each graded
    exercise of the unit (a regraded cell counts once, as regraded), out of their maximum."""
    latest: dict[tuple[str, str, str], tuple[float, float]] = {}
    rows = session.execute(
        select(Event.learner_id, Event.unit, Event.item, Event.extra)
        .where(
            Event.course == course,
            Event.type == "grade",
            Event.learner_id.in_(list(learner_ids)),
        )
        .order_by(Event.id)
    )
    for learner, unit, item, extra in rows:
        if unit and item:
            latest[(learner, unit, item)] = (
                float(extra.get("score", 0.0)),
                float(extra.get("max_score", 0.0)),
            )
    sums: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(lambda: [0.0, 0.0]))
    for (learner, unit, _), (score, maximum) in latest.items():
        total = sums[learner][unit]
        total[0] += score
        total[1] += maximum
    return {
        learner: {
            unit: Score(round(given, 4), round(maximum, 4))
            for unit, (given, maximum) in units.items()
            if maximum > 0
        }
        for learner, units in sums.items()
    }


def skill_scores(
    session: Session, course: str, learner_ids: Collection[str]
) -> dict[str, dict[str, Score]]:
    """Per learner and skill, the mastery estimate as a score out of 100, with a comment naming
    its evidence: how many observations, and the reason of the latest."""
    reasons: dict[tuple[str, str], str] = {}
    for learner, skill, reason in session.execute(
        select(Evidence.learner_id, Evidence.skill, Evidence.reason)
        .where(Evidence.course == course, Evidence.learner_id.in_(list(learner_ids)))
        .order_by(Evidence.id)
    ):
        reasons[(learner, skill)] = reason
    scores: dict[str, dict[str, Score]] = defaultdict(dict)
    for state in session.scalars(
        select(MasteryState).where(
            MasteryState.course == course, MasteryState.learner_id.in_(list(learner_ids))
        )
    ):
        latest = reasons.get((state.learner_id, state.skill), "")
        comment = (
            f"Mastery estimate {state.p_mastery:.2f} from {state.n_observations} "
            f"observation(s). Latest evidence: {latest}"
        ).strip()
        scores[state.learner_id][state.skill] = Score(
            round(100 * state.p_mastery, 1), 100.0, comment
        )
    return dict(scores)


def posted_scores(session: Session, course: str) -> dict[tuple[str, str], Score]:
    """(pseudonym, line item resource id) -> the score last posted."""
    return {
        (row.learner_id, row.resource_id): Score(row.score_given, row.score_maximum, row.comment)
        for row in session.scalars(select(LMSScore).where(LMSScore.course == course))
    }


def line_items(session: Session, course: str) -> dict[str, LMSLineItem]:
    """The course's known line items by resource id."""
    return {
        row.resource_id: row
        for row in session.scalars(select(LMSLineItem).where(LMSLineItem.course == course))
    }


def record_line_item(
    session: Session, course: str, resource_id: str, url: str, label: str, maximum: float
) -> None:
    """Remember a line item the LMS holds for ``resource_id``."""
    row = session.get(LMSLineItem, (course, resource_id))
    if row is None:
        session.add(
            LMSLineItem(
                course=course, resource_id=resource_id, url=url, label=label, score_maximum=maximum
            )
        )
    else:
        row.url, row.label, row.score_maximum = url, label, maximum


def record_passback(
    session: Session, course: str, learner_id: str, resource_id: str, score: Score, actor: str
) -> None:
    """Remember a score posted to the LMS, and log the post in the audit log."""
    row = session.get(LMSScore, (learner_id, course, resource_id))
    old = None if row is None else row.score_given
    if row is None:
        row = LMSScore(learner_id=learner_id, course=course, resource_id=resource_id)
        session.add(row)
    row.score_given, row.score_maximum, row.comment = score.given, score.maximum, score.comment
    row.posted_at = utcnow()
    session.add(
        AuditEntry(
            actor=actor,
            action="lms_score",
            learner_id=learner_id,
            course=course,
            skill=resource_id,
            old_value=old,
            new_value=score.given,
            reason=f"posted to the LMS gradebook: {score.given:g} of {score.maximum:g} "
            f"for {resource_id}",
        )
    )
