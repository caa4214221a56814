"""The advice the server gives: the next exercise and the feedback on each attempt, read from the
store and the course catalogue. No tornado here: handlers call these methods on worker threads."""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..curriculum import Course
from ..errors import InvalidRequestError, NotFoundError
from ..feedback import AttemptContext, DraftClassifier, attempt_feedback
from ..mastery import SkillParams
from ..store import Store
from ..store.attempts import course_attempts
from ..store.item_rules import ITEM_RULE_ACTIONS, delete_item_rule, item_rules, set_item_rule
from ..store.models import utcnow
from .catalog import CourseCatalog
from .collaborative import CollaborativeModel
from .history import Attempt, LearnerHistory
from .pace import learner_pace, peer_medians
from .policy import ItemRules, Policy, PolicySettings

__all__ = ["Advisor"]

_log = logging.getLogger(__name__)

#: The learner's most recent attempts in a course that recommendations and feedback read.
_HISTORY_LIMIT = 1000

#: Gives the BKT parameters of (course, skill, item).
ParameterSource = Callable[[str, str, str | None], SkillParams]


@dataclass(frozen=True)
class _ClassStats:
    """What the class as a whole tells: median time per item and the collaborative model."""

    medians: dict[str, float]
    collaborative: CollaborativeModel
    at: float


def _attempt(row: Mapping[str, Any]) -> Attempt:
    return Attempt(
        item=row["item"] or "",
        skills=tuple(row["skills"] or ()),
        correct=row["outcome"] == "correct",
        error=row["error_name"] if row["outcome"] == "error" else None,
        duration_ms=row["duration_ms"],
        hints_used=int(row["hints_used"] or 0),
        learner=row["learner_id"],
    )


def _without_source(event: Mapping[str, Any]) -> dict[str, Any]:
    """An event as received, without its draft: consent may not allow reading it."""
    return {key: value for key, value in event.items() if key != "source"}


def _as_event(row: Mapping[str, Any]) -> dict[str, Any]:
    """A stored attempt as the event feedback reads; its draft is there only if consent allowed."""
    event = {key: row.get(key) for key in ("item", "skills", "outcome", "duration_ms", "source")}
    event["hints_used"] = row.get("hints_used") or 0
    if row.get("error_name"):
        event["error"] = {"ename": row["error_name"], "evalue": row.get("error_value") or ""}
    return event


class Advisor:
    """Next exercises, attempt feedback and teachers' item rules for the courses of a catalogue.

    Class-wide statistics (peer times, the collaborative model) are recomputed at most every
    ``stats_ttl`` seconds per course.
    """

    def __init__(
        self,
        store: Store,
        catalog: CourseCatalog,
        parameters: ParameterSource,
        settings: PolicySettings | None = None,
        *,
        stats_ttl: float = 300.0,
    ) -> None:
        self.store = store
        self.catalog = catalog
        self.parameters = parameters
        self.settings = settings or PolicySettings()
        self.stats_ttl = stats_ttl
        self._lock = threading.Lock()
        self._classifier_lock = threading.Lock()
        self._policies: dict[str, Policy] = {}
        self._stats: dict[str, _ClassStats] = {}
        self._classifiers: dict[str, DraftClassifier | None] = {}

    def course(self, course_id: str) -> Course:
        """The course, or :class:`NotFoundError` naming the folders searched."""
        course = self.catalog.get(course_id)
        if course is None:
            folders = ", ".join(str(f) for f in self.catalog.folders) or "none"
            raise NotFoundError(f"No course {course_id!r} in the course folders ({folders}).")
        return course

    def next(self, learner_id: str, course_id: str, unit: str | None = None) -> dict[str, Any]:
        """``GET /adaptive/api/next``: the recommended item, its skills, reason and cells."""
        course = self.course(course_id)
        if unit is not None and course.unit(unit) is None:
            raise NotFoundError(f"Course {course_id!r} has no unit {unit!r}.")
        return self._next(learner_id, course, unit, self._learner_rows(learner_id, course_id))

    def annotate(
        self,
        learner_id: str,
        events: Sequence[Mapping[str, Any]],
        results: list[dict[str, Any]],
    ) -> list[dict[str, Any]]:
        """Add ``feedback`` and ``next`` to the result of each attempt of a recorded batch."""
        attempts = [(e, r) for e, r in zip(events, results, strict=True) if e["type"] == "attempt"]
        for course_id in dict.fromkeys(e["course"] for e, _ in attempts):
            try:
                self._annotate_course(learner_id, course_id, attempts)
            except Exception:
                # The batch is stored already; advice is an extra that must not fail the request.
                _log.exception("jupyter_adaptive: no feedback for course %s", course_id)
        return results

    def _annotate_course(
        self,
        learner_id: str,
        course_id: str,
        attempts: list[tuple[Mapping[str, Any], dict[str, Any]]],
    ) -> None:
        mine = [(e, r) for e, r in attempts if e["course"] == course_id]
        course = self.catalog.get(course_id)
        if course is None:
            advice: dict[str, Any] = {
                "item": None,
                "skills": [],
                "reason": f"The course {course_id!r} is not installed on this server.",
                "cells": [],
            }
            for event, result in mine:
                result["feedback"] = attempt_feedback(None, _without_source(event))
                result["next"] = advice
            return
        rows = self._learner_rows(learner_id, course_id)
        unit = mine[-1][0].get("unit")
        advice = self._next(learner_id, course, unit if course.unit(str(unit)) else None, rows)
        self._feedback(course, mine, rows, advice)

    def _feedback(
        self,
        course: Course,
        attempts: list[tuple[Mapping[str, Any], dict[str, Any]]],
        rows: list[dict[str, Any]],
        advice: dict[str, Any],
    ) -> None:
        """Feedback on each attempt from its stored row (whose draft is there only if consent
        allowed), knowing the failed tries on the same item before it."""
        medians = self._class_stats(course.id).medians
        pace = learner_pace([_attempt(r) for r in rows], medians)
        wanted = {event["event_id"] for event, _ in attempts}
        before: dict[str, tuple[dict[str, Any], int]] = {}
        failures: dict[str, int] = defaultdict(int)
        for row in rows:
            if row["event_id"] in wanted:
                before[row["event_id"]] = (_as_event(row), failures[row["item"]])
            if row["outcome"] != "correct":
                failures[row["item"]] += 1
        for event, result in attempts:
            stored, failed = before.get(event["event_id"], (_without_source(event), 0))
            item = str(event.get("item"))
            context = AttemptContext(failed, medians.get(item), pace.ratio)
            needs_classifier = bool(stored.get("source")) and stored.get("outcome") != "correct"
            classifier = self._classifier(course) if needs_classifier else None
            result["feedback"] = attempt_feedback(
                course, stored, context, classifier=classifier, next_item=advice["item"]
            )
            result["next"] = advice

    def _next(
        self, learner_id: str, course: Course, unit: str | None, rows: list[dict[str, Any]]
    ) -> dict[str, Any]:
        with self.store.transaction() as session:
            states = self.store.mastery(session, learner_id, course.id)
            rules = item_rules(session, course.id, learner_id)
        attempts = [_attempt(r) for r in rows]
        history = LearnerHistory.of({s.skill: s.p_mastery for s in states}, attempts)
        stats = self._class_stats(course.id)
        recommendation = self._policy(course).recommend(
            history,
            unit=unit,
            pace=learner_pace(attempts, stats.medians),
            rules=_rules_for(rules, learner_id),
            collaborative=stats.collaborative,
            days_since=_days_since(rows, utcnow()),
        )
        return recommendation.as_dict()

    def _learner_rows(self, learner_id: str, course_id: str) -> list[dict[str, Any]]:
        with self.store.transaction() as session:
            return course_attempts(
                session, course_id, learner_id, with_source=True, limit=_HISTORY_LIMIT
            )

    def _policy(self, course: Course) -> Policy:
        """The course's policy; the first call also starts fitting its draft classifier in the
        background, so that the first failed draft does not wait for scikit-learn."""
        with self._lock:
            if course.id not in self._policies:
                self._policies[course.id] = Policy(
                    course,
                    lambda skill: self.parameters(course.id, skill, None),
                    self.settings,
                )
                threading.Thread(target=self._classifier, args=(course,), daemon=True).start()
            return self._policies[course.id]

    def _classifier(self, course: Course) -> DraftClassifier | None:
        with self._classifier_lock:
            if course.id not in self._classifiers:
                self._classifiers[course.id] = DraftClassifier.from_course(course)
            return self._classifiers[course.id]

    def _class_stats(self, course_id: str) -> _ClassStats:
        now = time.monotonic()
        cached = self._stats.get(course_id)
        if cached is not None and now - cached.at < self.stats_ttl:
            return cached
        with self.store.transaction() as session:
            rows = course_attempts(session, course_id)
        histories: dict[str, list[Attempt]] = defaultdict(list)
        for row in rows:
            histories[row["learner_id"]].append(_attempt(row))
        everyone = [a for attempts in histories.values() for a in attempts]
        stats = _ClassStats(peer_medians(everyone), CollaborativeModel().fit(histories), now)
        self._stats[course_id] = stats
        return stats

    def rules(self, course_id: str) -> list[dict[str, Any]]:
        """Every pin and exclusion of a course (teachers only)."""
        with self.store.transaction() as session:
            return item_rules(session, course_id, whole_class=True)

    def set_rule(
        self,
        course_id: str,
        item: str,
        action: str,
        *,
        learner_id: str | None,
        teacher: str,
        reason: str = "",
    ) -> None:
        """Pin or exclude an item of a course for one learner or (``learner_id`` None) the class."""
        if action not in ITEM_RULE_ACTIONS:
            raise InvalidRequestError(
                f"`action` must be one of {', '.join(ITEM_RULE_ACTIONS)}, not {action!r}."
            )
        if item not in self.course(course_id).items:
            raise NotFoundError(f"Course {course_id!r} has no practice item {item!r}.")
        with self.store.transaction() as session:
            if learner_id is not None:
                self.store.ensure_learner(session, learner_id)
            set_item_rule(
                session,
                course_id,
                item,
                action,
                learner_id=learner_id,
                teacher=teacher,
                reason=reason,
            )

    def delete_rule(self, course_id: str, item: str, *, learner_id: str | None) -> int:
        """Remove a pin or exclusion; return how many rules went (0 or 1)."""
        with self.store.transaction() as session:
            return delete_item_rule(session, course_id, item, learner_id=learner_id)


def _rules_for(rules: Sequence[Mapping[str, Any]], learner_id: str) -> ItemRules:
    """The learner's own rules before the class's: pins in that order, exclusions from both."""
    ordered = sorted(rules, key=lambda r: r["learner"] != learner_id)
    return ItemRules(
        pinned=tuple(r["item"] for r in ordered if r["action"] == "pin"),
        excluded=frozenset(r["item"] for r in ordered if r["action"] == "exclude"),
    )


def _days_since(rows: Sequence[Mapping[str, Any]], now: datetime) -> dict[str, float]:
    """Days since each skill was last practised, for the forget model of spaced review."""
    last: dict[str, datetime] = {}
    for row in rows:
        for skill in row["skills"] or ():
            last[skill] = row["server_time"]
    return {
        skill: max(0.0, (now - _aware(when, now)).total_seconds() / 86_400)
        for skill, when in last.items()
    }


def _aware(when: datetime, now: datetime) -> datetime:
    """SQLite gives naive datetimes back; the store writes UTC only."""
    return when if when.tzinfo is not None else when.replace(tzinfo=now.tzinfo)
