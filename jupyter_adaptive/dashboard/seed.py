"""A realistic synthetic class for tests, benchmarks and the dashboard demo.

Learners differ in ability, pace and engagement; they work through the units in order, open hints
when stuck, save drafts, make typical errors and now and then appeal an estimate. Two items are
broken on purpose (one nobody passes, one everybody passes at once) so item analysis has something
to flag.

The class works either on a synthetic course (``skill-01`` ...) or on a real one
(:func:`course_plan`): its skills in an order that keeps prerequisites first, each in the first
unit that practises it, its practice items (a harder item is passed less often), slower learning
while a prerequisite is not known yet, and its misconceptions (error names and drafts of its
catalogue) in the failed attempts. Mastery and evidence are computed with the same online update as
:class:`~jupyter_adaptive.recording.Recorder` and written in bulk, so 100,000 events take seconds
instead of one transaction per event.
"""

from __future__ import annotations

import math
import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from ..errors import InvalidRequestError
from ..mastery import DEFAULT_PARAMS, update_skill
from ..store import Store
from ..store.bulk import insert_class
from ..store.repository import event_row

if TYPE_CHECKING:
    from ..curriculum import Course

__all__ = [
    "SKILLS_PER_UNIT",
    "CoursePlan",
    "SeedSummary",
    "course_plan",
    "seed_class",
    "synthetic_course",
    "synthetic_plan",
]

#: Skills grouped in one unit of the synthetic course.
SKILLS_PER_UNIT = 5
#: Practice items per skill.
ITEMS_PER_SKILL = 3
#: When the synthetic term starts; events spread over the following eight weeks.
TERM_START = datetime(2026, 9, 7, 9, 0, tzinfo=UTC)
_TERM = timedelta(weeks=8)
_ERRORS = (
    ("AssertionError", "expected 3, got 2"),
    ("KeyError", "'price'"),
    ("TypeError", "unsupported operand type(s) for +: 'int' and 'str'"),
    ("NameError", "name 'df' is not defined"),
    ("IndexError", "list index out of range"),
)
_DRAFTS = (
    "total = sum(values)\nmean = total / len(values)",
    "df.groupby('city')['price'].mean()",
    "for i in range(len(xs)):\n    print(xs[i])",
    "result = {k: v for k, v in pairs if v > 0}",
)


@dataclass(frozen=True)
class SeedSummary:
    """What :func:`seed_class` wrote."""

    course: str
    learners: int
    skills: int
    events: int
    attempts: int
    evidence: int


def synthetic_course(n_skills: int) -> dict[str, list[str]]:
    """Skill ids of each unit of the synthetic course, in teaching order.

    >>> synthetic_course(6)["unit-02"]
    ['skill-06']
    """
    units: dict[str, list[str]] = {}
    for index in range(n_skills):
        unit = f"unit-{index // SKILLS_PER_UNIT + 1:02d}"
        units.setdefault(unit, []).append(f"skill-{index + 1:02d}")
    return units


def _item(skill: str, number: int) -> str:
    return f"{skill}-item-{number}"


#: The deliberately broken items: nobody passes the first, everybody passes the second at once.
BROKEN_ITEM = _item("skill-01", ITEMS_PER_SKILL)
TRIVIAL_ITEM = _item("skill-01", 1)


@dataclass(frozen=True)
class CoursePlan:
    """What the class works on: ``units`` (unit -> skills, in teaching order), each skill's items
    with their difficulty (1 easy to 3 hard), prerequisites, and the mistakes failed attempts show
    (``(error name, error message, draft)``), and the two broken items."""

    course: str
    units: dict[str, list[str]]
    items: dict[str, list[tuple[str, int]]]
    broken: str
    trivial: str
    prerequisites: dict[str, tuple[str, ...]] = field(default_factory=dict)
    mistakes: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)


def synthetic_plan(n_skills: int, course: str = "demo-course") -> CoursePlan:
    """The synthetic course: :data:`SKILLS_PER_UNIT` skills a unit, :data:`ITEMS_PER_SKILL`
    items a skill of middle difficulty, no prerequisites, generic mistakes."""
    units = synthetic_course(n_skills)
    items = {
        skill: [(_item(skill, n + 1), 2) for n in range(ITEMS_PER_SKILL)]
        for skills in units.values()
        for skill in skills
    }
    return CoursePlan(course, units, items, BROKEN_ITEM, TRIVIAL_ITEM)


def course_plan(course: Course) -> CoursePlan:
    """A real course's plan: skills ordered prerequisites first, each in the first unit whose
    exercises practise it (else the last unit), its practice items, prerequisites and the
    misconceptions of its catalogue that have an error signature or an example draft. The first
    skill's hardest item is the one nobody passes, its easiest the one everybody passes."""
    order = course.skills_in_order()
    unit_of: dict[str, str] = {}
    for unit in course.units:
        for skill in unit.skills:
            unit_of.setdefault(skill, unit.id)
    last = course.units[-1].id if course.units else "unit-01"
    units: dict[str, list[str]] = {unit.id: [] for unit in course.units}
    for skill in order:
        units.setdefault(unit_of.get(skill, last), []).append(skill)
    units = {unit: skills for unit, skills in units.items() if skills}
    ordered = [skill for skills in units.values() for skill in skills]
    items = {
        skill: [(item.id, item.difficulty) for item in course.items_for_skill(skill)]
        or [(f"{skill}-practice", 2)]
        for skill in ordered
    }
    mistakes: dict[str, list[tuple[str, str, str]]] = {}
    for misconception in course.misconceptions:
        name = misconception.errors[0].type if misconception.errors else "AssertionError"
        draft = misconception.examples[0] if misconception.examples else ""
        mistakes.setdefault(misconception.skill, []).append((name, misconception.title, draft))
    first = items[ordered[0]]
    return CoursePlan(
        course.id,
        units,
        items,
        broken=max(first, key=lambda entry: entry[1])[0],
        trivial=min(first, key=lambda entry: entry[1])[0],
        prerequisites={skill: course.skills[skill].prerequisites for skill in ordered},
        mistakes=mistakes,
    )


@dataclass
class _Learner:
    id: str
    ability: float
    pace: float
    position: int = 0
    hints: int = 0
    streak: int = 0


class _Generator:
    def __init__(self, plan: CoursePlan, n_learners: int, seed: int) -> None:
        self.plan = plan
        self.course = plan.course
        self.random = random.Random(seed)
        self.units = plan.units
        self.difficulty = {item: level for items in plan.items.values() for item, level in items}
        self.skill_unit = {s: u for u, skills in self.units.items() for s in skills}
        self.skills = list(self.skill_unit)
        self.learners = [
            _Learner(
                id=f"learner-{index + 1:04d}",
                ability=self.random.gauss(0.0, 1.0),
                pace=self.random.uniform(0.5, 1.5),
            )
            for index in range(n_learners)
        ]
        self.known: dict[tuple[str, str], bool] = {}
        self.attempts: dict[tuple[str, str], int] = {}
        self.mastery: dict[tuple[str, str], float] = {}
        self.observations: dict[tuple[str, str], int] = {}
        self.last_update: dict[tuple[str, str], datetime] = {}

    def shares(self, n_events: int) -> list[int]:
        """Events per learner: engagement varies (some do three times the median, some little)."""
        weights = [math.exp(self.random.gauss(0.0, 0.6)) for _ in self.learners]
        total = sum(weights)
        shares = [int(n_events * w / total) for w in weights]
        for index in range(n_events - sum(shares)):
            shares[index % len(shares)] += 1
        return shares

    def _p_correct(self, learner: _Learner, skill: str, item: str) -> float:
        if item == self.plan.broken:
            return 0.0
        if item == self.plan.trivial:
            return 1.0
        known = self.known.get((learner.id, skill), False)
        base = (0.88 if known else 0.3) - 0.06 * (self.difficulty.get(item, 2) - 2)
        return min(0.97, max(0.03, base + 0.06 * learner.ability + 0.03 * learner.hints))

    def events_of(self, learner: _Learner, n_events: int) -> list[dict[str, Any]]:
        """One learner's events in time order."""
        rng = self.random
        events: list[dict[str, Any]] = []
        # Most learners keep working to the end of the term; about one in eight drops out early.
        dropout = rng.random() < 0.12
        share = rng.uniform(0.3, 0.7) if dropout else rng.uniform(0.9, 1.0)
        span = _TERM.total_seconds() * share
        times = sorted(rng.uniform(0.0, span) for _ in range(n_events))
        for offset in times:
            skill = self.skills[min(learner.position, len(self.skills) - 1)]
            item = rng.choice(self.plan.items[skill])[0]
            when = TERM_START + timedelta(seconds=offset)
            common = {
                "event_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "schema_version": 1,
                "client_time": when.isoformat(),
                "course": self.course,
                "unit": self.skill_unit[skill],
                "item": item,
                "skills": [skill],
                "_time": when,
            }
            draw = rng.random()
            if draw < 0.003 and (learner.id, skill) in self.known:
                events.append(
                    {**common, "type": "appeal", "message": "I solved this one on my own."}
                )
            elif draw < 0.10:
                learner.hints += 1
                events.append({**common, "type": "hint", "hints_used": learner.hints})
            elif draw < 0.16:
                events.append({**common, "type": "draft", "source": rng.choice(_DRAFTS)})
            else:
                events.append(self._attempt(learner, skill, item, common))
        return events

    def _attempt(
        self, learner: _Learner, skill: str, item: str, common: dict[str, Any]
    ) -> dict[str, Any]:
        rng = self.random
        key = (learner.id, item)
        self.attempts[key] = self.attempts.get(key, 0) + 1
        correct = rng.random() < self._p_correct(learner, skill, item)
        event = {
            **common,
            "type": "attempt",
            "attempt": self.attempts[key],
            "outcome": "correct",
            "duration_ms": int(1000 * rng.lognormvariate(4.0, 0.7) / learner.pace),
            "hints_used": learner.hints,
            "source": rng.choice(_DRAFTS),
        }
        if not correct:
            ename, evalue = rng.choice(_ERRORS)
            mistakes = self.plan.mistakes.get(skill)
            if mistakes:
                ename, evalue, draft = rng.choice(mistakes)
                event["source"] = draft or event["source"]
            if item == self.plan.broken:
                ename, evalue = _ERRORS[0]
            event["outcome"] = "incorrect" if ename == "AssertionError" else "error"
            event["error"] = {"ename": ename, "evalue": evalue}
        learner.hints = 0
        state = (learner.id, skill)
        if not self.known.get(state, False):
            learn = 0.25 * learner.pace * math.exp(0.4 * learner.ability)
            missing = [
                p
                for p in self.plan.prerequisites.get(skill, ())
                if not self.known.get((learner.id, p))
            ]
            learn *= 0.5 ** len(missing)
            self.known[state] = rng.random() < learn
        learner.streak = learner.streak + 1 if correct else 0
        if learner.streak >= 3 or (self.known.get(state) and rng.random() < 0.3):
            learner.position += 1
            learner.streak = 0
        return event

    def observe(self, learner_id: str, event: dict[str, Any]) -> dict[str, Any]:
        """The evidence row of an attempt, updating the running estimate like the Recorder."""
        skill = event["skills"][0]
        key = (learner_id, skill)
        before = self.mastery.get(key, DEFAULT_PARAMS.prior)
        error = (event.get("error") or {}).get("ename")
        change = update_skill(
            before,
            event["outcome"] == "correct",
            DEFAULT_PARAMS,
            skill=skill,
            item=event["item"],
            attempt=event["attempt"],
            error=error,
        )
        self.mastery[key] = change.posterior
        self.observations[key] = self.observations.get(key, 0) + 1
        self.last_update[key] = event["_time"]
        return {
            "learner_id": learner_id,
            "course": self.course,
            "skill": skill,
            "event_id": event["event_id"],
            "prior": change.prior,
            "posterior": change.posterior,
            "params": DEFAULT_PARAMS.as_dict(),
            "reason": change.reason,
            "created_at": event["_time"],
        }


def seed_class(
    store: Store,
    *,
    learners: int,
    skills: int,
    events: int,
    course: str = "demo-course",
    seed: int = 0,
    curriculum: Course | None = None,
) -> SeedSummary:
    """Write a synthetic class of ``learners`` on ``skills`` skills of a synthetic ``course``, or
    on the ``curriculum``'s skills (``skills`` and ``course`` then ignored), with ``events``
    events in all.

    Every learner consented to drafts; mastery and evidence follow the default BKT parameters,
    exactly as the :class:`~jupyter_adaptive.recording.Recorder` would have computed them.

    Raises
    ------
    InvalidRequestError
        When a count is not positive.
    """
    if learners < 1 or (curriculum is None and skills < 1) or events < 0:
        raise InvalidRequestError(
            "--learners and --skills must be at least 1 and --events at least 0."
        )
    plan = course_plan(curriculum) if curriculum is not None else synthetic_plan(skills, course)
    course = plan.course
    generator = _Generator(plan, learners, seed)
    event_rows: list[dict[str, Any]] = []
    evidence_rows: list[dict[str, Any]] = []
    attempts = 0
    for learner, share in zip(generator.learners, generator.shares(events), strict=True):
        for event in generator.events_of(learner, share):
            when = event.pop("_time")
            if event["type"] == "attempt":
                attempts += 1
                evidence_rows.append(generator.observe(learner.id, {**event, "_time": when}))
            row = event_row(learner.id, event)
            row["server_time"] = when
            event_rows.append(row)
    mastery_rows = [
        {
            "learner_id": learner_id,
            "course": course,
            "skill": skill,
            "p_mastery": p,
            "n_observations": generator.observations[learner_id, skill],
            "updated_at": generator.last_update[learner_id, skill],
        }
        for (learner_id, skill), p in generator.mastery.items()
    ]
    insert_class(
        store,
        learners=[{"id": learner.id, "created_at": TERM_START} for learner in generator.learners],
        consents=[
            {"learner_id": lr.id, "course": course, "level": "drafts", "updated_at": TERM_START}
            for lr in generator.learners
        ],
        events=event_rows,
        mastery=mastery_rows,
        evidence=evidence_rows,
    )
    return SeedSummary(
        course, learners, len(generator.skills), len(event_rows), attempts, len(evidence_rows)
    )
