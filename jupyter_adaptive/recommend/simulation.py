"""Synthetic learners worked through a course under a policy: fixed order, ours, random, an oracle.

Each learner has a hidden state per skill (known or not) and BKT parameters drawn per skill around
their subgroup's means. On an item they answer by that state (``1 - slip`` when every skill of the
item is known, ``guess`` otherwise; harder items are harder to guess and easier to slip on), then
may learn each unknown skill of the item with its learn rate, five times less likely while a
prerequisite is still unknown. Minutes per item grow with difficulty, the learner's pace and a
failed answer.

A learner has *mastered* the course when every skill is known (the hidden truth, not an estimate).
Each policy runs until then or until the budget of items is spent; a learner who does not get there
counts with the whole budget. Every policy sees the same learners (same parameters and start).

- ``fixed``: the course's item pool in teaching order (skills in prerequisite order, each skill's
  items as listed), started again from the top when it runs out;
- ``adaptive``: :class:`~.policy.Policy` with BKT estimates from the population's mean parameters
  (what an offline fit would give); when it calls everything mastered it raises the bar (0.99,
  0.999) and then reviews the skill practised least recently, as a stand-in for spaced review;
- ``random``: any item of the pool, uniformly;
- ``oracle``: reads the hidden state: an item of the first unknown skill whose prerequisites are
  known. With a learn rate of 1 it needs exactly one item per unknown skill, the lower bound.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ..curriculum import Course, Item
from ..mastery import SkillParams, posterior_after
from .history import Attempt, LearnerHistory
from .pace import Pace
from .policy import Policy, PolicySettings

__all__ = [
    "POLICIES",
    "SUBGROUPS",
    "Outcome",
    "SimulatedLearner",
    "Subgroup",
    "draw_learners",
    "identical",
    "simulate",
    "summarize",
]

POLICIES = ("fixed", "adaptive", "random")
_MINUTES = {1: 3.0, 2: 5.0, 3: 8.0}
_GUESS_BY_DIFFICULTY = {1: 1.25, 2: 1.0, 3: 0.75}
_SLIP_BY_DIFFICULTY = {1: 0.75, 2: 1.0, 3: 1.25}
_BLOCKED_LEARNING = 0.2
_REVIEW_BARS = (0.99, 0.999)


@dataclass(frozen=True)
class Subgroup:
    """Learners alike in prior knowledge, learning rate and pace (minutes relative to typical)."""

    name: str
    prior: float
    learn: float
    pace: float
    guess: float = 0.2
    slip: float = 0.1


#: The default subgroups: they differ in prior knowledge, learning rate and pace.
SUBGROUPS = (
    Subgroup("novices", prior=0.05, learn=0.2, pace=1.4),
    Subgroup("typical", prior=0.3, learn=0.3, pace=1.0),
    Subgroup("experienced", prior=0.7, learn=0.45, pace=0.7),
)


@dataclass(frozen=True)
class SimulatedLearner:
    """A learner's hidden truth: which skills they know at the start, and per-skill parameters."""

    subgroup: str
    known: frozenset[str]
    params: dict[str, SkillParams]
    pace: float
    seed: int


@dataclass(frozen=True)
class Outcome:
    """One learner under one policy: items and minutes until mastery (or the budget)."""

    subgroup: str
    items: int
    minutes: float
    mastered: bool


def _beta(rng: Any, mean: float, concentration: float = 12.0) -> float:
    mean = min(0.999, max(0.001, mean))
    return float(rng.beta(mean * concentration, (1.0 - mean) * concentration))


def draw_learners(
    course: Course, n: int, seed: int, subgroups: Sequence[Subgroup] = SUBGROUPS
) -> list[SimulatedLearner]:
    """``n`` learners, the subgroups in turn, parameters drawn per skill around their means."""
    import numpy as np

    rng = np.random.default_rng(seed)
    learners = []
    for index in range(n):
        group = subgroups[index % len(subgroups)]
        params = {}
        known = set()
        for skill in course.skills:
            p = SkillParams(
                prior=_beta(rng, group.prior),
                learn=1.0 if group.learn >= 1.0 else _beta(rng, group.learn),
                guess=_beta(rng, group.guess, 40.0) if group.guess > 0 else 0.0,
                slip=_beta(rng, group.slip, 40.0) if group.slip > 0 else 0.0,
            )
            params[skill] = p
            if rng.random() < p.prior:
                known.add(skill)
        pace = group.pace * float(rng.lognormal(0.0, 0.15))
        learners.append(
            SimulatedLearner(group.name, frozenset(known), params, pace, int(rng.integers(2**31)))
        )
    return learners


@dataclass
class _Run:
    """The state of one learner while a policy drives them."""

    course: Course
    learner: SimulatedLearner
    rng: Any
    known: set[str] = field(default_factory=set)
    attempts: list[Attempt] = field(default_factory=list)
    minutes: float = 0.0
    estimates: dict[str, float] = field(default_factory=dict)
    estimated: int = 0
    log_pace: float = 0.0

    def answer(self, item: Item) -> bool:
        """Answer by the hidden state, then maybe learn; return whether the answer was right."""
        ps = [self.learner.params[s] for s in item.skills]
        if all(s in self.known for s in item.skills):
            p_correct = min(1.0 - p.slip * _SLIP_BY_DIFFICULTY[item.difficulty] for p in ps)
        else:
            p_correct = min(p.guess * _GUESS_BY_DIFFICULTY[item.difficulty] for p in ps)
        correct = bool(self.rng.random() < p_correct)
        for skill, p in zip(item.skills, ps, strict=True):
            if skill in self.known:
                continue
            ready = self.course.prerequisites_closure(skill) <= self.known
            if self.rng.random() < p.learn * (1.0 if ready else _BLOCKED_LEARNING):
                self.known.add(skill)
        minutes = _MINUTES[item.difficulty] * self.learner.pace * (1.0 if correct else 1.5)
        minutes *= float(self.rng.lognormal(0.0, 0.2))
        self.minutes += minutes
        duration = int(minutes * 60_000)
        self.log_pace += math.log(minutes / _MINUTES[item.difficulty])
        self.attempts.append(Attempt(item.id, item.skills, correct, duration_ms=duration))
        return correct


Chooser = Callable[[_Run], Item]


def _fixed(course: Course) -> Chooser:
    order = {skill: index for index, skill in enumerate(course.skills_in_order())}
    sequence = sorted(
        course.items.values(), key=lambda item: min(order.get(s, 0) for s in item.skills)
    )

    def choose(run: _Run) -> Item:
        return sequence[len(run.attempts) % len(sequence)]

    return choose


def _random(course: Course) -> Chooser:
    pool = list(course.items.values())

    def choose(run: _Run) -> Item:
        return pool[int(run.rng.integers(len(pool)))]

    return choose


def _oracle(course: Course) -> Chooser:
    order = course.skills_in_order()

    def choose(run: _Run) -> Item:
        skill = next(
            s for s in order if s not in run.known and course.prerequisites_closure(s) <= run.known
        )
        return course.items_for_skill(skill)[0]

    return choose


def _adaptive(course: Course, population: SkillParams) -> Chooser:
    policies = [
        Policy(course, lambda _skill: population, PolicySettings(threshold))
        for threshold in (PolicySettings().threshold, *_REVIEW_BARS)
    ]

    def choose(run: _Run) -> Item:
        for attempt in run.attempts[run.estimated :]:
            for skill in attempt.skills:
                prior = run.estimates.get(skill, population.prior)
                run.estimates[skill] = posterior_after(prior, attempt.correct, population)
        run.estimated = len(run.attempts)
        history = LearnerHistory.of(run.estimates, run.attempts)
        pace = _pace(run)
        for policy in policies:
            found = policy.recommend(history, pace=pace, explain=False).item
            if found is not None:
                return found
        return _least_recent(course, run.attempts)

    return choose


def _least_recent(course: Course, attempts: Sequence[Attempt]) -> Item:
    """An item of the skill practised least recently: review in turn once every bar is met."""
    last = {skill: -1 for skill in course.skills}
    for index, attempt in enumerate(attempts):
        for skill in attempt.skills:
            last[skill] = index
    skill = min(last, key=last.__getitem__)
    return course.items_for_skill(skill)[0]


def _pace(run: _Run) -> Pace:
    """The learner's pace against the typical minutes of each item's difficulty."""
    n = len(run.attempts)
    return Pace(math.exp(run.log_pace / n), n) if n >= 3 else Pace(1.0, n)


def _population(subgroups: Sequence[Subgroup]) -> SkillParams:
    def mean(values: list[float]) -> float:
        return sum(values) / len(values)

    return SkillParams(
        prior=mean([g.prior for g in subgroups]),
        learn=min(0.99, mean([g.learn for g in subgroups])),
        guess=max(0.01, mean([g.guess for g in subgroups])),
        slip=max(0.01, mean([g.slip for g in subgroups])),
    )


def simulate(
    course: Course,
    learners: Sequence[SimulatedLearner],
    policy: str,
    *,
    budget: int = 600,
    subgroups: Sequence[Subgroup] = SUBGROUPS,
) -> list[Outcome]:
    """Run every learner under one policy (``fixed``, ``adaptive``, ``random`` or ``oracle``)."""
    import numpy as np

    choosers: dict[str, Callable[[], Chooser]] = {
        "fixed": lambda: _fixed(course),
        "random": lambda: _random(course),
        "oracle": lambda: _oracle(course),
        "adaptive": lambda: _adaptive(course, _population(subgroups)),
    }
    choose = choosers[policy]()
    outcomes = []
    for learner in learners:
        run = _Run(course, learner, np.random.default_rng(learner.seed), set(learner.known))
        while len(run.known) < len(course.skills) and len(run.attempts) < budget:
            run.answer(choose(run))
        mastered = len(run.known) == len(course.skills)
        outcomes.append(Outcome(learner.subgroup, len(run.attempts), run.minutes, mastered))
    return outcomes


def _stats(outcomes: Sequence[Outcome]) -> dict[str, float]:
    import numpy as np

    items = np.array([o.items for o in outcomes], dtype=float)
    minutes = np.array([o.minutes for o in outcomes], dtype=float)
    return {
        "items_mean": round(float(items.mean()), 2),
        "items_median": round(float(np.median(items)), 2),
        "minutes_mean": round(float(minutes.mean()), 1),
        "minutes_median": round(float(np.median(minutes)), 1),
        "mastered_share": round(float(np.mean([o.mastered for o in outcomes])), 3),
    }


def summarize(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    """Mean and median items and minutes to mastery and the share mastered, overall and per
    subgroup (in the order the subgroups first appear)."""
    names = list(dict.fromkeys(o.subgroup for o in outcomes))
    summary: dict[str, Any] = _stats(outcomes)
    summary["subgroups"] = {
        name: _stats([o for o in outcomes if o.subgroup == name]) for name in names
    }
    return summary


def identical(subgroups: Sequence[Subgroup]) -> tuple[Subgroup, ...]:
    """The same subgroups with the first one's parameters: any gap between them is noise."""
    return tuple(replace(subgroups[0], name=g.name) for g in subgroups)
