"""The advice the server gives: the next exercise and the feedback on each attempt, read from the
store and the course catalogue. No tornado here: handlers call these methods on worker threads.

Each learner's attempts are kept folded in between requests (:mod:`.learner_state`): a request
reads only what was stored since the previous one, so its work does not grow with the history.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from typing import Any

from ..curriculum import Course
from ..errors import InvalidRequestError, NotFoundError
from ..events import is_observation
from ..feedback import AttemptContext, DraftClassifier, attempt_feedback
from ..mastery import SkillParams
from ..mastery.learning_rate import class_rate_prior
from ..store import Store
from ..store.attempts import course_attempts, stored_attempts
from ..store.item_rules import ITEM_RULE_ACTIONS, delete_item_rule, item_rules, set_item_rule
from ..store.models import utcnow
from ..translation import _
from .catalog import CourseCatalog
from .collaborative import CollaborativeModel
from .history import RECENT_PER_SKILL, Attempt
from .learner_state import LearnerState, LearnerStates, row_attempt
from .pace import learner_pace, peer_medians
from .policy import ItemRules, Policy, PolicySettings

__all__ = ["HISTORY_LIMIT", "Advisor"]

_log = logging.getLogger(__name__)

#: The learner's most recent attempts in a course that a state is first loaded from.
HISTORY_LIMIT = 1000
#: The class's prior of learning rates rests on the first answers of its first learners: enough
#: for nine weights, and a refresh of the class statistics stays well under a second.
_RATE_PRIOR_LEARNERS, _RATE_PRIOR_ANSWERS = 200, 100

#: What feedback reads of a recorded attempt: the event as stored, and the failed tries on the
#: same item before it.
_Stored = tuple[dict[str, Any], int]

#: Gives the BKT parameters of (course, skill, item).
ParameterSource = Callable[[str, str, str | None], SkillParams]


@dataclass(frozen=True)
class _ClassStats:
    """What the class as a whole tells: median time per item, the collaborative model and how
    learners' learning rates spread (the prior of each one's own rate)."""

    medians: dict[str, float]
    collaborative: CollaborativeModel
    rate_prior: tuple[float, ...]
    at: float


def _without_source(event: Mapping[str, Any]) -> dict[str, Any]:
    """An event as received, without its draft: consent may not allow reading it."""
    return {key: value for key, value in event.items() if key != "source"}


def _as_event(row: Mapping[str, Any]) -> dict[str, Any]:
    """A stored attempt as the event feedback reads; its draft is there only if consent allowed."""
    event = {key: row.get(key) for key in ("item", "skills", "outcome", "duration_ms", "source")}
    event["hints_used"] = row.get("hints_used") or 0
    if row.get("error_name"):
        event["error"] = {"ename": row["error_name"], "evalue": row.get("error_value") or ""}
    answer_error = (row.get("extra") or {}).get("answer_error")
    if answer_error:
        event["answer_error"] = answer_error
    return event


class Advisor:
    """Next exercises, attempt feedback and teachers' item rules for the courses of a catalogue.

    Class-wide statistics (peer times, the collaborative model) are recomputed at most every
    ``stats_ttl`` seconds per course. What each learner did is kept between requests for at most
    ``max_learners`` (learner, course) pairs, first loaded from the newest ``history_limit``
    attempts (see :mod:`.learner_state`); hosts call :meth:`forget` when data go away.
    """

    def __init__(
        self,
        store: Store,
        catalog: CourseCatalog,
        parameters: ParameterSource,
        settings: PolicySettings | None = None,
        *,
        stats_ttl: float = 300.0,
        max_learners: int = 5000,
        history_limit: int = HISTORY_LIMIT,
    ) -> None:
        self.store = store
        self.catalog = catalog
        self.parameters = parameters
        self.settings = settings or PolicySettings()
        self.stats_ttl = stats_ttl
        self.history_limit = history_limit
        self._lock = threading.Lock()
        self._classifier_lock = threading.Lock()
        self._policies: dict[str, Policy] = {}
        self._stats: dict[str, _ClassStats] = {}
        self._classifiers: dict[str, DraftClassifier | None] = {}
        self._states = LearnerStates(
            max_learners, recent=max(RECENT_PER_SKILL, self.settings.stuck_after)
        )

    def course(self, course_id: str) -> Course:
        """The course, or :class:`NotFoundError` naming the folders searched."""
        course = self.catalog.get(course_id)
        if course is None:
            folders = ", ".join(str(f) for f in self.catalog.folders) or "none"
            raise NotFoundError(
                _(
                    "No course {course} in the course folders ({folders}).",
                    course=repr(course_id),
                    folders=folders,
                )
            )
        return course

    def check_skills(self, events: Sequence[Mapping[str, Any]]) -> None:
        """Refuse events naming skills their course does not have, when the course is installed.

        Raises
        ------
        InvalidRequestError
            Naming each such event, its course and the unknown skills.
        """
        problems = []
        for index, event in enumerate(events):
            course = self.catalog.get(str(event["course"])) if event.get("skills") else None
            if course is None:
                continue
            unknown = sorted(set(event["skills"]) - course.skills.keys())
            if unknown:
                problems.append(
                    f"Event {index} (id {event['event_id']}): course {course.id!r} has no skill "
                    f"{', '.join(map(repr, unknown))}."
                )
        if problems:
            raise InvalidRequestError(
                "Some events name skills their course does not have; nothing of this batch was "
                "stored.",
                details=problems,
            )

    def forget(self, learner_id: str | None = None, course: str | None = None) -> None:
        """Drop what is kept of a learner (every learner when None) in a course (every course
        when None); their next request reads the store afresh.

        Hosts call it after deleting a learner's data (``forget(learner_id)``) and after a
        retention purge deleted events (``forget()``): nothing else tells the advisor that stored
        attempts went away.
        """
        self._states.forget(learner_id, course)

    def next(self, learner_id: str, course_id: str, unit: str | None = None) -> dict[str, Any]:
        """``GET /adaptive/api/next``: the recommended item, its skills, reason and cells."""
        course = self.course(course_id)
        if unit is not None and course.unit(unit) is None:
            raise NotFoundError(
                _("Course {course} has no unit {unit}.", course=repr(course_id), unit=repr(unit))
            )
        with self._current(learner_id, course) as (state, _stored):
            return self._next(course, unit, state)

    def annotate(
        self,
        learner_id: str,
        events: Sequence[Mapping[str, Any]],
        results: list[dict[str, Any]],
    ) -> list[dict[str, Any]]:
        """Add ``feedback`` and ``next`` to the result of each attempt of a recorded batch; the run
        of a still blank answer gets only a nudge to write one."""
        attempts: list[tuple[Mapping[str, Any], dict[str, Any]]] = []
        for event, result in zip(events, results, strict=True):
            if is_observation(event) and event["type"] == "attempt":
                attempts.append((event, result))
            elif event["type"] == "attempt":
                result["feedback"] = attempt_feedback(None, event)
        for course_id in dict.fromkeys(e["course"] for e, _result in attempts):
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
                "reason": _(
                    "The course {course} is not installed on this server.", course=repr(course_id)
                ),
                "cells": [],
            }
            for event, result in mine:
                result["feedback"] = attempt_feedback(None, _without_source(event))
                result["next"] = _next_in_result(advice)
            return
        wanted = {event["event_id"] for event, _result in mine}
        with self._current(learner_id, course, wanted) as (state, stored):
            unit = mine[-1][0].get("unit")
            advice = self._next(course, unit if course.unit(str(unit)) else None, state)
            self._feedback(course, mine, state, stored, advice)

    @contextmanager
    def _current(
        self, learner_id: str, course: Course, wanted: set[str] | None = None
    ) -> Iterator[tuple[LearnerState, dict[str, _Stored]]]:
        """The learner's state brought up to date and locked for the caller's block, with the
        stored attempts among ``wanted`` (event ids): one read of what was stored since the last
        request, one of the estimates, and only for attempts folded in earlier (a re-sent batch,
        another request's catch-up) one of those attempts."""
        wanted = wanted or set()
        state = self._states.get(learner_id, course.id)
        with state.lock:
            with self.store.transaction() as session:
                rows = course_attempts(
                    session,
                    course.id,
                    learner_id,
                    with_source=True,
                    limit=self.history_limit,
                    after=state.last_id,
                )
                mastery = self.store.mastery(session, learner_id, course.id)
                if state.rules is None:
                    rules = item_rules(session, course.id, learner_id)
                    state.rules = _rules_for(rules, learner_id)
                new = {row["event_id"]: row for row in rows if row["event_id"] in wanted}
                missing = wanted - new.keys()
                earlier = (
                    stored_attempts(session, course.id, learner_id, missing) if missing else []
                )
            if len(rows) >= self.history_limit:
                # Older attempts may lie behind these: start afresh from them, as a cold load.
                state.reset()
            failed_before = state.add(
                rows, lambda skill, item: self.parameters(course.id, skill, item)
            )
            state.history.mastery = {s.skill: s.p_mastery for s in mastery}
            stored = {key: (_as_event(row), failed_before[key]) for key, row in new.items()}
            stored.update((r["event_id"], (_as_event(r), r["failures_before"])) for r in earlier)
            yield state, stored

    def _feedback(
        self,
        course: Course,
        attempts: list[tuple[Mapping[str, Any], dict[str, Any]]],
        state: LearnerState,
        stored: Mapping[str, _Stored],
        advice: dict[str, Any],
    ) -> None:
        """Feedback on each attempt from its stored row (whose draft is there only if consent
        allowed), knowing the failed tries on the same item before it."""
        medians = self._class_stats(course.id).medians
        pace = learner_pace(state.history, medians)
        for event, result in attempts:
            found, failed = stored.get(event["event_id"], (_without_source(event), 0))
            item = str(event.get("item"))
            context = AttemptContext(failed, medians.get(item), pace.ratio)
            needs_classifier = bool(found.get("source")) and found.get("outcome") != "correct"
            classifier = self._classifier(course) if needs_classifier else None
            result["feedback"] = attempt_feedback(
                course, found, context, classifier=classifier, next_item=advice["item"]
            )
            result["next"] = _next_in_result(advice)

    def _next(self, course: Course, unit: str | None, state: LearnerState) -> dict[str, Any]:
        stats = self._class_stats(course.id)
        recommendation = self._policy(course).recommend(
            state.history,
            unit=unit,
            pace=learner_pace(state.history, stats.medians),
            rules=state.rules,
            collaborative=stats.collaborative,
            days_since=state.days_since(utcnow()),
            own=state.rate.posterior(stats.rate_prior),
        )
        return recommendation.as_dict()

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
            histories[row["learner_id"]].append(row_attempt(row))
        everyone = [a for attempts in histories.values() for a in attempts]
        rate_prior = class_rate_prior(
            [
                (skill, a.correct, self.parameters(course_id, skill, a.item or None))
                for a in attempts[:_RATE_PRIOR_ANSWERS]
                for skill in a.skills
            ]
            for attempts in islice(histories.values(), _RATE_PRIOR_LEARNERS)
        )
        stats = _ClassStats(
            peer_medians(everyone), CollaborativeModel().fit(histories), rate_prior, now
        )
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
        self._states.forget(learner_id, course_id)

    def delete_rule(self, course_id: str, item: str, *, learner_id: str | None) -> int:
        """Remove a pin or exclusion; return how many rules went (0 or 1)."""
        with self.store.transaction() as session:
            deleted = delete_item_rule(session, course_id, item, learner_id=learner_id)
        self._states.forget(learner_id, course_id)
        return deleted


def _next_in_result(advice: Mapping[str, Any]) -> dict[str, Any]:
    """The next exercise as an attempt's result names it: its item and skills. The widget fetches
    the rest (cells, reason) from ``GET next`` when the learner asks for it, so an attempt's
    round trip stays small on a slow network."""
    return {"item": advice["item"], "skills": advice["skills"]}


def _rules_for(rules: Sequence[Mapping[str, Any]], learner_id: str) -> ItemRules:
    """The learner's own rules before the class's: pins in that order, exclusions from both."""
    ordered = sorted(rules, key=lambda r: r["learner"] != learner_id)
    return ItemRules(
        pinned=tuple(r["item"] for r in ordered if r["action"] == "pin"),
        excluded=frozenset(r["item"] for r in ordered if r["action"] == "exclude"),
    )
