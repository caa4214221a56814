"""Simulated learners worked through a course: the product's own policy against the fixed order.

The generator is not the policy's model
---------------------------------------
Each skill of the course gets a hidden truth (prior knowledge, learn rate, guess, slip). Learners
come in subgroups whose learning rates differ (``slow`` learn at half the typical rate, ``fast`` at
1.6 times); each learner's own rate is also drawn around their group's. A learner knows a skill or
not. On an item they answer by that state (``1 - slip`` when every skill of the item is known,
``guess`` otherwise; harder items are harder to guess and easier to slip on), and their slip
drifts from answer to answer (a random walk in log-odds). After an answer they may learn each
unknown skill of the item, five times less likely while a prerequisite is still unknown. They work
:data:`SESSION_MINUTES` a day; overnight each known skill is forgotten with a small probability.

The policy knows none of this: its BKT parameters are fitted (the product's own fit,
:class:`~jupyter_adaptive.mastery.bkt.BKT`, forgetting per day from the timestamps) on the log of
a separate training cohort that took the course's fixed order once, and so is the class prior of
learners' own learning rates (:func:`~jupyter_adaptive.mastery.learning_rate.class_rate_prior`).

Policies and how they stop
--------------------------
- ``fixed``: the course's item pool in teaching order (skills in prerequisite order, each skill's
  items as listed). By its own rule it stops at the end of the course: a fixed course lets a
  learner skip nothing. *Oracle-stopped*, it runs (starting again from the top) until every skill
  is truly known: the fewest items the fixed order could ever get away with.
- ``adaptive``: the served policy, driven through the served code: the same
  :class:`~.learner_state.LearnerState` the advisor keeps (history, days since practice, the
  learner's own learning rate), estimates updated as the recorder updates them, the same
  :class:`~.policy.Policy` with the product's settings (threshold 0.95) and its stop rule: it stops
  when ``recommend`` has nothing left to practise.
- ``random``: any item of the pool, uniformly; by its own rule as many items as the course has.

Every run also stops at the budget. The report gives the items and minutes used and the share of
skills *truly* known when the policy stopped. Every policy sees the same learners.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from ..curriculum import Course, Item
from ..mastery import SkillParams, posterior_after
from ..mastery.learning_rate import class_rate_prior
from .history import RECENT_PER_SKILL, Attempt
from .learner_state import LearnerState
from .pace import learner_pace, peer_medians
from .policy import Policy, PolicySettings

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from ..mastery.bkt import BKT

__all__ = [
    "RUNS",
    "SESSION_MINUTES",
    "SUBGROUPS",
    "FittedPolicy",
    "Outcome",
    "ServedLearner",
    "SimulatedLearner",
    "Subgroup",
    "Truth",
    "draw_learners",
    "draw_truth",
    "fit_policy",
    "identical",
    "simulate",
    "summarize",
]

#: The runs reported: (policy, stop), ``own`` by the policy's own rule, ``oracle`` by the truth.
RUNS = (("fixed", "own"), ("fixed", "oracle"), ("adaptive", "own"), ("random", "own"))
#: Minutes a learner works a day; the next answer comes the next day.
SESSION_MINUTES = 60.0
_MINUTES = {1: 3.0, 2: 5.0, 3: 8.0}
_GUESS_BY_DIFFICULTY = {1: 1.25, 2: 1.0, 3: 0.75}
_SLIP_BY_DIFFICULTY = {1: 0.75, 2: 1.0, 3: 1.25}
_BLOCKED_LEARNING = 0.2
_SLIP_DRIFT = 0.05
_SLIP_DRIFT_LIMIT = 0.7
_START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Subgroup:
    """Learners alike in learning rate (a multiple of the typical) and pace (minutes relative to
    typical)."""

    name: str
    learn: float
    pace: float


#: The default subgroups: slow learners learn at half the typical rate.
SUBGROUPS = (
    Subgroup("slow", learn=0.5, pace=1.3),
    Subgroup("typical", learn=1.0, pace=1.0),
    Subgroup("fast", learn=1.6, pace=0.8),
)


@dataclass(frozen=True)
class Truth:
    """The course's hidden truth per skill, and how much of a known skill is lost overnight."""

    params: dict[str, SkillParams]
    forget_per_night: float = 0.003


@dataclass(frozen=True)
class SimulatedLearner:
    """A learner's hidden truth: skills known at the start, own learn rate per skill, pace."""

    subgroup: str
    known: frozenset[str]
    learn: dict[str, float]
    pace: float
    seed: int


@dataclass(frozen=True)
class Outcome:
    """One learner under one policy: items and minutes used, and what they truly knew at stop."""

    subgroup: str
    items: int
    minutes: float
    known_share: float

    @property
    def all_known(self) -> bool:
        """Whether every skill was truly known when the policy stopped."""
        return self.known_share >= 1.0


def _beta(rng: np.random.Generator, mean: float, concentration: float = 12.0) -> float:
    mean = min(0.999, max(0.001, mean))
    return float(rng.beta(mean * concentration, (1.0 - mean) * concentration))


def draw_truth(course: Course, seed: int) -> Truth:
    """Each skill's hidden prior knowledge, typical learn rate, guess and slip."""
    import numpy as np

    rng = np.random.default_rng(seed)
    return Truth(
        {
            skill: SkillParams(
                prior=_beta(rng, 0.25),
                learn=_beta(rng, 0.3),
                guess=_beta(rng, 0.2, 40.0),
                slip=_beta(rng, 0.08, 40.0),
            )
            for skill in course.skills
        }
    )


def draw_learners(
    course: Course,
    truth: Truth,
    n: int,
    seed: int,
    subgroups: Sequence[Subgroup] = SUBGROUPS,
) -> list[SimulatedLearner]:
    """``n`` learners, the subgroups in turn; each learner's rate drawn around their group's."""
    import numpy as np

    rng = np.random.default_rng(seed)
    learners = []
    for index in range(n):
        group = subgroups[index % len(subgroups)]
        own = group.learn * float(rng.lognormal(0.0, 0.2))
        learn = {s: 1.0 - (1.0 - p.learn) ** own for s, p in truth.params.items()}
        known = frozenset(s for s, p in truth.params.items() if rng.random() < p.prior)
        pace = group.pace * float(rng.lognormal(0.0, 0.15))
        learners.append(SimulatedLearner(group.name, known, learn, pace, int(rng.integers(2**31))))
    return learners


@dataclass
class _Run:
    """One learner while a policy drives them: what they know, their clock, their drifting slip."""

    course: Course
    truth: Truth
    learner: SimulatedLearner
    rng: np.random.Generator
    known: set[str]
    items: int = 0
    minutes: float = 0.0
    today: float = 0.0
    clock: datetime = _START
    slip_shift: float = 0.0

    def answer(self, item: Item) -> tuple[bool, int]:
        """Answer by the hidden state, then maybe learn; return (correct, duration in ms)."""
        ps = [self.truth.params[s] for s in item.skills]
        if all(s in self.known for s in item.skills):
            slips = [_shifted(p.slip, self.slip_shift) for p in ps]
            p_correct = min(1.0 - s * _SLIP_BY_DIFFICULTY[item.difficulty] for s in slips)
        else:
            p_correct = min(p.guess * _GUESS_BY_DIFFICULTY[item.difficulty] for p in ps)
        correct = bool(self.rng.random() < p_correct)
        limit = _SLIP_DRIFT_LIMIT
        self.slip_shift = min(
            limit, max(-limit, self.slip_shift + self.rng.normal(0.0, _SLIP_DRIFT))
        )
        for skill in item.skills:
            if skill in self.known:
                continue
            ready = self.course.prerequisites_closure(skill) <= self.known
            if self.rng.random() < self.learner.learn[skill] * (
                1.0 if ready else _BLOCKED_LEARNING
            ):
                self.known.add(skill)
        minutes = _MINUTES[item.difficulty] * self.learner.pace * (1.0 if correct else 1.5)
        minutes *= float(self.rng.lognormal(0.0, 0.2))
        self.items += 1
        self.minutes += minutes
        self.today += minutes
        self.clock += timedelta(minutes=minutes)
        if self.today >= SESSION_MINUTES:
            self._next_day()
        return correct, int(minutes * 60_000)

    def _next_day(self) -> None:
        self.today = 0.0
        self.clock = (self.clock + timedelta(days=1)).replace(hour=9, minute=0)
        for skill in sorted(self.known):
            if self.rng.random() < self.truth.forget_per_night:
                self.known.discard(skill)

    def outcome(self) -> Outcome:
        share = len(self.known) / len(self.course.skills)
        return Outcome(self.learner.subgroup, self.items, self.minutes, share)


def _shifted(p: float, shift: float) -> float:
    logit = math.log(p / (1.0 - p)) + shift
    return 1.0 / (1.0 + math.exp(-logit))


def _fixed_order(course: Course) -> list[Item]:
    order = {skill: index for index, skill in enumerate(course.skills_in_order())}
    return sorted(course.items.values(), key=lambda item: min(order.get(s, 0) for s in item.skills))


@dataclass
class FittedPolicy:
    """What the adaptive policy knows: BKT fitted on a training cohort's log, the class prior of
    learning rates, peers' median minutes per item, and the product's policy on those."""

    course: Course
    model: BKT
    rate_prior: tuple[float, ...]
    medians: dict[str, float]
    settings: PolicySettings = field(default_factory=PolicySettings)

    def __post_init__(self) -> None:
        self.policy = Policy(self.course, lambda skill: self.params(skill, None), self.settings)

    def params(self, skill: str, item: str | None) -> SkillParams:
        """The parameters the server would use for an answer on ``skill`` (and ``item``)."""
        return self.model.params_for(skill, item)


class ServedLearner:
    """The server's view of one learner: stored estimates updated as the recorder updates them,
    and the advisor's :class:`~.learner_state.LearnerState` over the same answers."""

    def __init__(self, fitted: FittedPolicy, learner_id: str = "simulated") -> None:
        self.fitted = fitted
        self.learner_id = learner_id
        self.stored: dict[str, float] = {}
        self.state = LearnerState(max(RECENT_PER_SKILL, fitted.settings.stuck_after))
        self._rows = 0

    def record(self, item: Item, correct: bool, duration_ms: int, when: datetime) -> None:
        """Store an answer: the recorder's update of each skill, then the advisor's fold."""
        for skill in item.skills:
            before = self.stored.get(skill, self.fitted.params(skill, None).prior)
            self.stored[skill] = posterior_after(
                before, correct, self.fitted.params(skill, item.id)
            )
        self._rows += 1
        row = {
            "id": self._rows,
            "event_id": f"e{self._rows}",
            "learner_id": self.learner_id,
            "item": item.id,
            "skills": list(item.skills),
            "outcome": "correct" if correct else "incorrect",
            "error_name": None,
            "duration_ms": duration_ms,
            "hints_used": 0,
            "server_time": when,
        }
        self.state.add([row], self.fitted.params)
        self.state.history.mastery = dict(self.stored)

    def next(self, now: datetime) -> Item | None:
        """The served policy's next item (None: everything in reach is mastered)."""
        fitted, state = self.fitted, self.state
        return fitted.policy.recommend(
            state.history,
            pace=learner_pace(state.history, fitted.medians),
            days_since=state.days_since(now),
            own=state.rate.posterior(fitted.rate_prior),
            explain=False,
        ).item


def _training_log(
    course: Course, truth: Truth, learners: Sequence[SimulatedLearner]
) -> tuple[pd.DataFrame, list[Attempt]]:
    """The log of a cohort that took the fixed order once, in pyBKT's columns (with timestamps),
    and its attempts for peers' times."""
    import numpy as np
    import pandas as pd

    sequence = _fixed_order(course)
    rows: list[tuple[int, str, str, int, str, float]] = []
    attempts: list[Attempt] = []
    for number, learner in enumerate(learners):
        run = _Run(course, truth, learner, np.random.default_rng(learner.seed), set(learner.known))
        user = f"train{number:04d}"
        for item in sequence:
            stamp = run.clock.timestamp()
            correct, duration = run.answer(item)
            attempts.append(Attempt(item.id, item.skills, correct, duration_ms=duration))
            rows.extend((len(rows), user, s, int(correct), item.id, stamp) for s in item.skills)
    columns = ["order_id", "user_id", "skill_name", "correct", "problem_id", "timestamp"]
    return pd.DataFrame(rows, columns=columns), attempts


def fit_policy(course: Course, truth: Truth, learners: Sequence[SimulatedLearner]) -> FittedPolicy:
    """Fit what the adaptive policy knows on a training cohort's fixed-order log."""
    from ..mastery.bkt import BKT

    log, attempts = _training_log(course, truth, learners)
    model = BKT().fit(log)
    rate_prior = class_rate_prior(
        [
            (skill, bool(correct), model.params_for(skill, item))
            for skill, correct, item in zip(
                answers["skill_name"], answers["correct"], answers["problem_id"], strict=True
            )
        ]
        for _, answers in log.groupby("user_id", sort=True)
    )
    return FittedPolicy(course, model, rate_prior, peer_medians(attempts))


#: Gives the next item for a run (None: the policy stops), and hears each answer given.
_Driver = tuple[Callable[[_Run], Item | None], Callable[[Item, bool, int, datetime], None]]


def _driver(course: Course, policy: str, fitted: FittedPolicy | None) -> _Driver:
    """A fresh driver of one learner under ``policy``."""
    if policy == "adaptive":
        if fitted is None:
            raise ValueError("the adaptive policy needs a fitted policy (see fit_policy)")
        served = ServedLearner(fitted)
        return (lambda run: served.next(run.clock)), served.record
    if policy == "fixed":
        sequence = _fixed_order(course)
        return (lambda run: sequence[run.items % len(sequence)]), _ignore
    if policy == "random":
        pool = list(course.items.values())
        return (lambda run: pool[int(run.rng.integers(len(pool)))]), _ignore
    raise ValueError(f"no policy {policy!r}; choose among fixed, adaptive and random")


def _ignore(item: Item, correct: bool, duration_ms: int, when: datetime) -> None:
    """A policy that does not listen to answers."""


def simulate(
    course: Course,
    truth: Truth,
    learners: Sequence[SimulatedLearner],
    policy: str,
    stop: str = "own",
    *,
    fitted: FittedPolicy | None = None,
    budget: int = 1500,
) -> list[Outcome]:
    """Run every learner under one policy (``fixed``, ``adaptive`` or ``random``), stopped by its
    own rule (``stop="own"``) or when every skill is truly known (``"oracle"``), and always at
    the budget. The fixed and random orders' own rule is the course's length in items."""
    import numpy as np

    if stop not in ("own", "oracle"):
        raise ValueError(f"stop must be 'own' or 'oracle', not {stop!r}")
    length = len(course.items) if policy != "adaptive" else budget
    outcomes = []
    for learner in learners:
        choose, observe = _driver(course, policy, fitted)
        run = _Run(course, truth, learner, np.random.default_rng(learner.seed), set(learner.known))
        while run.items < budget:
            if stop == "oracle" and len(run.known) == len(course.skills):
                break
            if stop == "own" and run.items >= length:
                break
            item = choose(run)
            if item is None:
                break
            correct, duration = run.answer(item)
            observe(item, correct, duration, run.clock)
        outcomes.append(run.outcome())
    return outcomes


def _stats(outcomes: Sequence[Outcome]) -> dict[str, float]:
    import numpy as np

    items = np.array([o.items for o in outcomes], dtype=float)
    minutes = np.array([o.minutes for o in outcomes], dtype=float)
    return {
        "items_mean": round(float(items.mean()), 2),
        "items_median": round(float(np.median(items)), 2),
        "minutes_mean": round(float(minutes.mean()), 1),
        "known_at_stop": round(float(np.mean([o.known_share for o in outcomes])), 4),
        "all_known_share": round(float(np.mean([o.all_known for o in outcomes])), 3),
    }


def summarize(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    """Mean and median items, mean minutes, the mean share of skills truly known at stop and the
    share of learners who knew every skill, overall and per subgroup (in order of appearance)."""
    names = list(dict.fromkeys(o.subgroup for o in outcomes))
    summary: dict[str, Any] = _stats(outcomes)
    summary["subgroups"] = {
        name: _stats([o for o in outcomes if o.subgroup == name]) for name in names
    }
    return summary


def identical(subgroups: Sequence[Subgroup]) -> tuple[Subgroup, ...]:
    """The same subgroups with the first one's parameters: any gap between them is noise."""
    return tuple(Subgroup(g.name, subgroups[0].learn, subgroups[0].pace) for g in subgroups)
