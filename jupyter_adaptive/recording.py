"""Recording a batch of learning events: consent, minimization, storage, mastery update, evidence.

This is the one place where an event becomes stored data; the REST API and the nbgrader import both
come through here. Each new attempt or grade is first predicted by the course's served model
(:mod:`~jupyter_adaptive.mastery.course_models`), from the learner's stored answers before it, then
moves the estimates of its skills (P(mastered) of the model's BKT part); the evidence row names the
model.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from .errors import ConsentRefusedError, InvalidRequestError
from .events import is_correct, is_observation, validate_event
from .mastery import OBSERVATION_KINDS, SkillParams, override, teacher_observation, update_skill
from .mastery import Evidence as EvidenceChange
from .mastery.course_models import CourseModels, ServedModel
from .mastery.forgetting import review_date
from .mastery.online_histories import OnlineHistories, Prediction, fold
from .store import CONSENT_LEVELS, Store
from .store.models import AuditEntry, Evidence, MasteryState, Override, utcnow
from .store.repository import evidence_dict, mastery_dict
from .store.responses import learner_responses
from .translation import SOURCE_LANGUAGE, Message, _

__all__ = [
    "AnswerCounter",
    "ParameterSource",
    "Recorder",
    "RecordingPolicy",
    "SkillNames",
    "truncate_utf8",
]

#: Gives the BKT parameters of (course, skill, item); item-level guess and slip where fitted.
ParameterSource = Callable[[str, str, str | None], SkillParams]
#: Told the course and number of answers of each stored batch (e.g. to schedule refits).
AnswerCounter = Callable[[str, int], None]
#: Gives the name learners read for (course, skill); its id when the course does not name it.
SkillNames = Callable[[str, str], str]
#: The served model and its predictions of each skill of a new observation, by event id.
_Predictions = dict[str, tuple[ServedModel, list[Prediction]]]


def truncate_utf8(text: str, max_bytes: int) -> str:
    """Cut ``text`` to at most ``max_bytes`` of UTF-8 without splitting a character."""
    encoded = text.encode("utf-8")
    if len(encoded) <= max_bytes:
        return text
    return encoded[:max_bytes].decode("utf-8", errors="ignore")


@dataclass(frozen=True)
class RecordingPolicy:
    """What the deployment records: the consent level assumed before a learner answers ("ask"
    records nothing until they do) and the largest draft kept; and when a skill counts as
    mastered and comes back for review (the learner's panel shows the review dates)."""

    consent_default: str = "ask"
    draft_max_bytes: int = 20_000
    mastery_threshold: float = 0.95
    review_below: float = 0.85
    #: How many answers a teacher's observation (an oral defense, work seen in class) weighs.
    observation_weight: int = 2


def _moves_mastery(event: Mapping[str, Any]) -> bool:
    """Whether the event updates estimates as it is recorded: an observation, unless it answers
    a check-in (exam mode: the check moves the estimates once, when it ends)."""
    return is_observation(event) and not event.get("check")


def _teacher_change(
    session: Session,
    state: MasteryState,
    change: EvidenceChange,
    params: dict[str, float],
    event_id: str | None,
    audit: tuple[str, str, str],
) -> None:
    """A teacher's change of one estimate (an override, an observation): the estimate, its
    evidence row and the audit entry ``(action, teacher, reason)`` that keeps both values."""
    action, teacher, reason = audit
    state.p_mastery = change.posterior
    state.updated_at = utcnow()
    session.add(state)
    session.add(
        Evidence(
            learner_id=state.learner_id,
            course=state.course,
            skill=state.skill,
            event_id=event_id,
            prior=change.prior,
            posterior=change.posterior,
            params=params,
            reason=change.reason,
            message=change.message.as_dict(),
        )
    )
    session.add(
        AuditEntry(
            actor=teacher,
            action=action,
            learner_id=state.learner_id,
            course=state.course,
            skill=state.skill,
            old_value=change.prior,
            new_value=change.posterior,
            reason=reason,
        )
    )


class Recorder:
    """Turns validated events into stored rows and updated mastery, for one store."""

    def __init__(
        self,
        store: Store,
        policy: RecordingPolicy | None = None,
        models: CourseModels | None = None,
        *,
        answered: AnswerCounter | None = None,
        skill_names: SkillNames | None = None,
    ) -> None:
        self.store = store
        self.policy = policy or RecordingPolicy()
        #: The served model of each course (default parameters without a model folder).
        self.models = models or CourseModels(None)
        self.parameters: ParameterSource = self.models.params
        self.histories = OnlineHistories()
        self.answered = answered
        #: The names learners read for skills (the results and their panel name skills by them).
        self.skill_names: SkillNames = skill_names or (lambda _course, skill: skill)

    def consent(self, learner_id: str, course: str) -> str | None:
        """The level the learner chose for the course; None while they have not chosen (the
        deployment's default is not their choice: the dialog asks until they make one)."""
        with self.store.transaction() as session:
            return self.store.consent_level(session, learner_id, course)

    def level_in_force(self, session: Session, learner_id: str, course: str) -> str | None:
        """The level in force: the learner's choice, else the deployment's default unless that
        default is to ask."""
        default = self.policy.consent_default
        return self.store.consent_level(session, learner_id, course) or (
            default if default in CONSENT_LEVELS else None
        )

    def set_consent(self, learner_id: str, course: str, level: str) -> None:
        """Record a consent choice made outside an event batch (e.g. from the settings)."""
        if level not in CONSENT_LEVELS:
            raise InvalidRequestError(
                f"Consent level must be one of {', '.join(CONSENT_LEVELS)}, not {level!r}."
            )
        with self.store.transaction() as session:
            self.store.set_consent(session, learner_id, course, level)

    def _levels(
        self, session: Session, learner_id: str, events: Sequence[dict[str, Any]]
    ) -> list[str]:
        """The consent level in force for each event, consent events in the batch included."""
        known: dict[str, str | None] = {}
        levels = []
        refused = []
        for index, event in enumerate(events):
            course = event["course"]
            if course not in known:
                known[course] = self.level_in_force(session, learner_id, course)
            if event["type"] == "consent":
                known[course] = event["level"]
                levels.append(event["level"])
                continue
            level = known[course]
            if level is None or level == "off":
                refused.append(
                    _(
                        "Event {index}: the consent level for course {course} is {level}.",
                        index=index,
                        course=repr(course),
                        level=level,
                    )
                    if level
                    else _(
                        "Event {index}: the consent level for course {course} is not given yet.",
                        index=index,
                        course=repr(course),
                    )
                )
            levels.append(level or "off")
        if refused:
            raise ConsentRefusedError(
                _(
                    "Recording is not allowed by the learner's consent; "
                    "nothing of this batch was stored."
                ),
                details=refused,
            )
        return levels

    def _minimized(self, event: dict[str, Any], level: str) -> dict[str, Any]:
        """What the consent level lets us keep, in the consent dialog's words: at ``outcomes`` the
        exercise, whether it passed, the error's name (not its message, which can quote the
        learner's data), timing and hints; at ``drafts`` also the answer's code and the error's
        message."""
        if level == "drafts":
            if "source" not in event:
                return event
            return {**event, "source": truncate_utf8(event["source"], self.policy.draft_max_bytes)}
        kept = {key: value for key, value in event.items() if key != "source"}
        for name in ("error", "answer_error"):
            if isinstance(event.get(name), dict) and "evalue" in event[name]:
                kept[name] = {key: value for key, value in event[name].items() if key != "evalue"}
        return kept

    def record(self, learner_id: str, events: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        """Store a validated batch atomically and update mastery for each new observation.

        Returns one result per event, in order: ``event_id``, ``status`` (``stored`` or
        ``duplicate``) and, for attempts and grades that were not skipped (a blank answer's run is
        no evidence), the learner's ``mastery`` of the event's
        skills after it, the ``evidence`` sentences of this update and the served model's
        ``prediction`` made before it (``{"p_correct", "model"}``, of the event's first skill;
        None for a duplicate), and ``skill_names`` (skill id -> the name learners read) when the
        course names its skills.

        Raises
        ------
        ConsentRefusedError
            When any event's course has consent ``off`` or not given; nothing is stored then.
        """
        try:
            results, answered = self._record(learner_id, events)
        except BaseException:
            # The online states may have folded in rows that were rolled back.
            self.histories.forget(learner_id)
            raise
        if self.answered is not None:
            for course, count in answered.items():
                self.answered(course, count)
        return results

    def _record(
        self, learner_id: str, events: Sequence[dict[str, Any]]
    ) -> tuple[list[dict[str, Any]], dict[str, int]]:
        with self.store.transaction() as session:
            levels = self._levels(session, learner_id, events)
            batch: dict[str, dict[str, Any]] = {}
            for event, level in zip(events, levels, strict=True):
                batch.setdefault(event["event_id"], self._minimized(event, level))
            new_ids = self.store.append_events(session, learner_id, list(batch.values()))
            for event in batch.values():
                if event["type"] == "consent" and event["event_id"] in new_ids:
                    self.store.set_consent(session, learner_id, event["course"], event["level"])
            wanted: dict[str, set[str]] = {}
            for event in events:
                if _moves_mastery(event):
                    wanted.setdefault(event["course"], set()).update(event["skills"])
            states = self._states(session, learner_id, wanted)
            predictions = self._predict(session, learner_id, events, new_ids)
            evidence_rows: list[dict[str, Any]] = []
            results = []
            seen: set[str] = set()
            with session.no_autoflush:
                for event in events:
                    event_id = event["event_id"]
                    is_new = event_id in new_ids and event_id not in seen
                    seen.add(event_id)
                    result: dict[str, Any] = {
                        "event_id": event_id,
                        "status": "stored" if is_new else "duplicate",
                    }
                    if _moves_mastery(event):
                        predicted = predictions.get(event_id) if is_new else None
                        result.update(self._observe(states, event, evidence_rows, predicted))
                    elif event.get("check"):
                        result["check"] = event["check"]
                    results.append(result)
            session.add_all(state for state in states.values() if state not in session)
            if evidence_rows:
                session.execute(
                    insert(Evidence), [{**row, "learner_id": learner_id} for row in evidence_rows]
                )
        answered: dict[str, int] = {}
        for row in evidence_rows:
            answered[row["course"]] = answered.get(row["course"], 0) + 1
        return results, answered

    def _predict(
        self,
        session: Session,
        learner_id: str,
        events: Sequence[dict[str, Any]],
        new_ids: set[str],
    ) -> _Predictions:
        """The served model's prediction of each new observation, made from the learner's stored
        answers before it: the stored rows after the learner's online state are folded in, in
        arrival order, these events' rows included."""
        courses = {e["course"] for e in events if is_observation(e) and e["event_id"] in new_ids}
        predictions: _Predictions = {}
        for course in sorted(courses):
            served = self.models.served(course)
            state = self.histories.state(learner_id, course, served.id)
            answers = learner_responses(session, learner_id, course, state.last_row)
            for event_id, skills in fold(served, state, answers, new_ids).items():
                predictions[event_id] = (served, skills)
        return predictions

    def _states(
        self, session: Session, learner_id: str, wanted: dict[str, set[str]]
    ) -> dict[tuple[str, str], MasteryState]:
        """The learner's mastery rows for these skills of these courses; new rows start at the
        skill's prior."""
        states: dict[tuple[str, str], MasteryState] = {}
        for course, skills in wanted.items():
            found = self.store.mastery_states(session, learner_id, course, sorted(skills))
            for skill in skills:
                states[course, skill] = found.get(skill) or MasteryState(
                    learner_id=learner_id,
                    course=course,
                    skill=skill,
                    p_mastery=self.parameters(course, skill, None).prior,
                    n_observations=0,
                )
        return states

    def _observe(
        self,
        states: dict[tuple[str, str], MasteryState],
        event: dict[str, Any],
        evidence_rows: list[dict[str, Any]],
        predicted: tuple[ServedModel, list[Prediction]] | None,
    ) -> dict[str, Any]:
        """Update the estimates of a new event's skills (``predicted`` by the served model), or
        only read them for a duplicate (``predicted`` None)."""
        course = event["course"]
        mastery: dict[str, float] = {}
        evidence = []
        correct = is_correct(event)
        error = (event.get("error") or {}).get("ename")
        points = (event["score"], event["max_score"]) if event["type"] == "grade" else None
        result: dict[str, Any] = {"prediction": None}
        if predicted is not None:
            served, skills = predicted
            rose = {p.skill: p.rose for p in skills}
            result["prediction"] = {"p_correct": skills[0].p_correct, "model": served.id}
        for skill in event["skills"]:
            state = states[course, skill]
            if predicted is not None:
                params = served.mastery_params(skill, event["item"])
                change = update_skill(
                    state.p_mastery,
                    correct,
                    params,
                    skill=skill,
                    item=event["item"],
                    attempt=event.get("attempt") or 1,
                    name_skill=len(event["skills"]) > 1,
                    error=error,
                    points=points,
                    hold=rose.get(skill, False),
                )
                state.p_mastery = change.posterior
                state.n_observations += 1
                state.updated_at = utcnow()
                evidence_rows.append(
                    {
                        "course": course,
                        "skill": skill,
                        "event_id": event["event_id"],
                        "prior": change.prior,
                        "posterior": change.posterior,
                        "params": params.as_dict(),
                        "reason": change.reason,
                        "message": change.message.as_dict(),
                        "model": served.id,
                        "created_at": state.updated_at,
                    }
                )
                evidence.append(
                    {
                        "skill": skill,
                        "prior": change.prior,
                        "posterior": change.posterior,
                        "reason": str(change.message),
                    }
                )
            mastery[skill] = state.p_mastery
        named = {skill: self.skill_names(course, skill) for skill in event["skills"]}
        if any(name != skill for skill, name in named.items()):
            result["skill_names"] = named
        return {**result, "mastery": mastery, "evidence": evidence}

    def record_check(
        self,
        session: Session,
        learner_id: str,
        course: str,
        check_id: str,
        answers: Sequence[tuple[str, Sequence[str], bool]],
        reason: Callable[[str, int, int], Message],
    ) -> None:
        """Move each skill's estimate once by a finished check-in's ``answers`` (item, skills,
        right; in order), in the caller's transaction: one evidence row per skill, named after
        the check, whose reason is ``reason(skill, right, asked)``."""
        served = self.models.served(course)
        skills = list(dict.fromkeys(skill for _item, names, _right in answers for skill in names))
        states = self._states(session, learner_id, {course: set(skills)})
        for skill in skills:
            state = states[course, skill]
            prior = state.p_mastery
            mine = [(item, right) for item, names, right in answers if skill in names]
            for item, right in mine:
                params = served.mastery_params(skill, item)
                change = update_skill(state.p_mastery, right, params, skill=skill, item=item)
                state.p_mastery = change.posterior
            state.n_observations += len(mine)
            state.updated_at = utcnow()
            message = reason(skill, sum(right for _item, right in mine), len(mine))
            session.add(state)
            session.add(
                Evidence(
                    learner_id=learner_id,
                    course=course,
                    skill=skill,
                    event_id=check_id,
                    prior=prior,
                    posterior=state.p_mastery,
                    params={},
                    reason=message.render(SOURCE_LANGUAGE),
                    message=message.as_dict(),
                    model=served.id,
                    created_at=state.updated_at,
                )
            )

    def override(
        self, learner_id: str, course: str, skill: str, value: float, reason: str, teacher: str
    ) -> dict[str, Any]:
        """A teacher sets a learner's estimate of a skill; later updates continue from it.

        The override, an evidence row and an audit entry keep both the model's value and the
        teacher's.

        Raises
        ------
        InvalidRequestError
            When the value is not a probability or the reason is empty.
        """
        if not reason.strip():
            raise InvalidRequestError("An override needs a reason the learner can read.")
        if not 0.0 <= value <= 1.0:
            raise InvalidRequestError(f"An estimate must be between 0 and 1, not {value}.")
        with self.store.transaction() as session:
            self.store.ensure_learner(session, learner_id)
            state = self._states(session, learner_id, {course: {skill}})[course, skill]
            change = override(skill, state.p_mastery, value, reason)
            session.add(
                Override(
                    learner_id=learner_id,
                    course=course,
                    skill=skill,
                    value=value,
                    reason=reason,
                    teacher=teacher,
                )
            )
            _teacher_change(session, state, change, {}, None, ("override", teacher, reason))
        return {
            "course": course,
            "skill": skill,
            "before": change.prior,
            "after": value,
            "reason": str(change.message),
        }

    def record_observation(
        self,
        learner_id: str,
        course: str,
        skill: str,
        observation: Mapping[str, Any],
        teacher: str,
    ) -> dict[str, Any]:
        """Evidence no cell can give: a teacher's scored observation of a learner's skill.

        ``observation`` holds ``kind`` (``oral_defense`` or ``observation``), ``score``,
        ``max_score`` and the teacher's ``note``. It is stored as an ``observation`` event (in the
        learner's export), moves the estimate as :attr:`RecordingPolicy.observation_weight`
        answers would (:func:`~.mastery.online.teacher_observation`), and leaves an evidence row
        the learner reads (and may appeal) and an audit entry.

        Raises
        ------
        InvalidRequestError
            When the kind, score or note is not valid.
        ConsentRefusedError
            When the learner chose to have nothing recorded in the course.
        """
        kind, note = observation.get("kind"), str(observation.get("note") or "").strip()
        score, max_score = observation.get("score"), observation.get("max_score")
        if kind not in OBSERVATION_KINDS:
            raise InvalidRequestError(
                f"An observation's kind is one of {', '.join(OBSERVATION_KINDS)}, not {kind!r}."
            )
        if not note:
            raise InvalidRequestError("An observation needs a note the learner can read.")
        if not (
            isinstance(score, int | float)
            and isinstance(max_score, int | float)
            and 0 <= score <= max_score
            and max_score > 0
        ):
            raise InvalidRequestError(
                f"The score must be between 0 and max_score (> 0), not {score!r} of {max_score!r}."
            )
        event = {
            "event_id": str(uuid.uuid4()),
            "schema_version": 1,
            "type": "observation",
            "client_time": utcnow().isoformat(),
            "course": course,
            "skills": [skill],
            "kind": kind,
            "score": float(score),
            "max_score": float(max_score),
            "message": note,
        }
        problems = validate_event(event)
        if problems:
            raise InvalidRequestError("The observation cannot be recorded.", details=problems)
        with self.store.transaction() as session:
            chosen = self.store.consent_level(session, learner_id, course)
            if chosen == "off":
                raise ConsentRefusedError(
                    "The learner chose to have nothing recorded in this course; the observation "
                    "was not stored."
                )
            if chosen is None and not self.store.mastery(session, learner_id, course):
                raise InvalidRequestError(
                    f"No learner {learner_id!r} has work or a consent choice in course "
                    f"{course!r}: check the pseudonym."
                )
            self.store.append_events(session, learner_id, [event])
            state = self._states(session, learner_id, {course: {skill}})[course, skill]
            params = self.parameters(course, skill, None)
            change = teacher_observation(
                skill,
                state.p_mastery,
                float(score) / float(max_score),
                params,
                kind=str(kind),
                score=float(score),
                max_score=float(max_score),
                weight=self.policy.observation_weight,
                note=note,
            )
            state.n_observations += 1
            _teacher_change(
                session,
                state,
                change,
                params.as_dict(),
                event["event_id"],
                ("observation", teacher, note),
            )
        return {
            "event_id": event["event_id"],
            "course": course,
            "skill": skill,
            "before": change.prior,
            "after": change.posterior,
            "reason": str(change.message),
        }

    def mastery(self, learner_id: str, course: str | None = None) -> dict[str, Any]:
        """The learner's estimates with their latest evidence, for ``GET /adaptive/api/mastery``;
        each skill with the ``name`` learners read and, once mastered, the date it comes back for
        review (``review_on``, else None)."""
        with self.store.transaction() as session:
            states = self.store.mastery(session, learner_id, course)
            evidence = self.store.evidence(session, learner_id, course, limit=200)
        rows = []
        for state in states:
            rate = self.parameters(state.course, state.skill, None).forget_per_day
            policy = self.policy
            due = review_date(
                state.p_mastery,
                state.updated_at,
                rate,
                policy.mastery_threshold,
                policy.review_below,
            )
            review_on = due.date().isoformat() if due is not None else None
            rows.append(
                {
                    **mastery_dict(state),
                    "name": self.skill_names(state.course, state.skill),
                    "review_on": review_on,
                }
            )
        return {
            "mastery": rows,
            "evidence": [
                evidence_dict(row, partial(self.skill_names, row.course)) for row in evidence
            ],
        }
