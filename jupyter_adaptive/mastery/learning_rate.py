"""A learner's own learning rate, estimated from their answers, and the estimates it gives.

The course's fitted learn rate is a typical learner's. Some learn faster, some slower; read with
the course's rate, a fast learner's estimates lag behind what they know (they practise too long)
and a slow learner's run ahead of it. :class:`LearningRate` follows one learner in one course:
for each multiplier ``m`` of a fixed grid (:data:`MULTIPLIERS`) it runs the BKT update with the
learn rate ``1 - (1 - learn) ** m`` (``m`` learning opportunities' worth per answer) next to the
course's own (``m = 1``), and adds up how well each multiplier predicted the answers before they
were seen. The posterior over the grid weighs that likelihood against a prior fitted on the class
(:func:`fit_rate_prior`: empirical Bayes, so a learner with few answers stays near the class and
one with many answers is read at their own rate); a skill's estimate is the posterior mean of its
estimates over the grid.

The chains over the grid keep at most :data:`MAX_FORGET` of BKT's forgetting *per answer*. A
fitted per-answer ``forget`` caps an estimate below ``1 - forget`` however strong the evidence (a
skill fitted with 0.14 never passes 0.86, and its learner would practise it forever), and it is
where a fit puts what its model lacks (answers that depend on other skills, a slip that drifts);
forgetting over time is what the per-day decay of the policy's estimates is for. Without any, an
estimate saturates near 1 and a later wrong answer barely moves it. The course's own chain, with
the parameters the recorder used, is kept apart: it tells whether the stored estimate is still
the answers' own.

Each answer costs one update per multiplier, and the memory is one number per multiplier and
skill: the tracker's work does not grow with the history.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from types import MappingProxyType
from typing import TYPE_CHECKING

from .online import SkillParams, posterior_after, predict_correct

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "MAX_FORGET",
    "MULTIPLIERS",
    "LearningRate",
    "OwnRate",
    "class_rate_prior",
    "default_rate_prior",
    "fit_rate_prior",
]

#: The multipliers of the course's learn rate a learner may have, evenly spaced in log scale.
MULTIPLIERS = (0.25, 0.35, 0.5, 0.7, 1.0, 1.4, 2.0, 2.8, 4.0)
#: The most forgetting per answer the chains keep: an estimate can still pass 0.97 and never
#: saturates, so a wrong answer after mastery still counts.
MAX_FORGET = 0.02
#: How far apart learners' rates are before the class says otherwise (sd of log multiplier).
_DEFAULT_SPREAD = 0.5
#: How many learners' worth the default prior weighs in the fitted one.
_PRIOR_STRENGTH = 5.0
#: How far a stored estimate may differ from the course-rate replay and still be the answers'.
_SAME = 1e-9
_FLOOR = 1e-12


def default_rate_prior() -> tuple[float, ...]:
    """The prior over :data:`MULTIPLIERS` before any class data: log-normal around the course's
    rate with a spread of 0.5 (most learners between 0.4 and 2.7 times the course's rate)."""
    weights = [math.exp(-0.5 * (math.log(m) / _DEFAULT_SPREAD) ** 2) for m in MULTIPLIERS]
    total = sum(weights)
    return tuple(w / total for w in weights)


@lru_cache(maxsize=4096)
def _chains(params: SkillParams) -> tuple[SkillParams, ...]:
    """The parameters of each multiplier's chain: learn scaled, forgetting capped (a course has
    few distinct parameters, so they are made once)."""
    capped = replace(params, forget=min(params.forget, MAX_FORGET))
    return tuple(
        replace(capped, learn=1.0 - (1.0 - params.learn) ** multiplier)
        for multiplier in MULTIPLIERS
    )


def _normalized(log_weights: Sequence[float]) -> tuple[float, ...]:
    top = max(log_weights)
    weights = [math.exp(w - top) for w in log_weights]
    total = sum(weights)
    return tuple(w / total for w in weights)


class LearningRate:
    """One learner's answers in one course, read at each multiplier of the course's learn rate."""

    def __init__(self) -> None:
        self.answers = 0
        self._log_likelihood = [0.0] * len(MULTIPLIERS)
        self._skills: dict[str, list[float]] = {}
        self._course: dict[str, float] = {}

    def add(self, skill: str, correct: bool, params: SkillParams) -> None:
        """Fold in one answer on a skill, with the parameters the stored estimate was updated
        with (the course's, the item's guess and slip where fitted)."""
        estimates = self._skills.setdefault(skill, [params.prior] * len(MULTIPLIERS))
        course = self._course.get(skill, params.prior)
        self._course[skill] = posterior_after(course, correct, params)
        for index, chain in enumerate(_chains(params)):
            p = estimates[index]
            right = predict_correct(p, params)
            self._log_likelihood[index] += math.log(max(right if correct else 1.0 - right, _FLOOR))
            estimates[index] = posterior_after(p, correct, chain)
        self.answers += 1

    def log_likelihood(self) -> tuple[float, ...]:
        """Per multiplier, the log-probability it gave the answers before they were seen."""
        return tuple(self._log_likelihood)

    def posterior(self, prior: Sequence[float] | None = None) -> OwnRate:
        """What the answers say of the learner's rate, weighed against ``prior`` (over
        :data:`MULTIPLIERS`; :func:`default_rate_prior` when None)."""
        prior = prior or default_rate_prior()
        weights = _normalized(
            [
                math.log(max(w, _FLOOR)) + ll
                for w, ll in zip(prior, self._log_likelihood, strict=True)
            ]
        )
        return OwnRate(
            weights, self.answers, MappingProxyType(self._skills), MappingProxyType(self._course)
        )


@dataclass(frozen=True)
class OwnRate:
    """The posterior over a learner's rate multiplier, and the estimates it gives.

    ``weights`` are over :data:`MULTIPLIERS`; ``answers`` is how many answers they rest on.
    """

    weights: tuple[float, ...]
    answers: int
    skills: Mapping[str, list[float]]
    course: Mapping[str, float]

    @property
    def multiplier(self) -> float:
        """The learner's rate as a multiple of the course's (posterior geometric mean)."""
        return math.exp(
            sum(w * math.log(m) for w, m in zip(self.weights, MULTIPLIERS, strict=True))
        )

    def estimate(self, skill: str, stored: float) -> float:
        """P(mastered) of a skill at the learner's own rate (per-answer forgetting capped).

        ``stored`` is the estimate the server keeps (updated at the course's rate). When it is not
        what the learner's answers give at the course's rate, something else set it (a teacher's
        override, a grade, answers older than this tracker saw) and it stands as it is.
        """
        estimates = self.skills.get(skill)
        if estimates is None or abs(self.course[skill] - stored) > _SAME:
            return stored
        return sum(w * p for w, p in zip(self.weights, estimates, strict=True))

    def words(self) -> str:
        """The learner's rate in plain words, e.g. "about 1.6 times the course's typical rate"."""
        return f"about {self.multiplier:.1f} times the course's typical rate"


def fit_rate_prior(
    log_likelihoods: Iterable[Sequence[float]], *, iterations: int = 200
) -> tuple[float, ...]:
    """The prior over :data:`MULTIPLIERS` that best explains a class (empirical Bayes by EM).

    Each learner gives the log-likelihood of their answers at each multiplier
    (:meth:`LearningRate.log_likelihood`). The default prior weighs as five learners, so that a
    small class moves it little.
    """
    import numpy as np

    default = np.array(default_rate_prior())
    likelihood = np.array([list(ll) for ll in log_likelihoods], dtype=np.float64)
    if not len(likelihood):
        return tuple(default.tolist())
    likelihood = np.exp(likelihood - likelihood.max(axis=1, keepdims=True))
    prior = default
    for _ in range(iterations):
        joint = likelihood * prior
        posterior = joint / joint.sum(axis=1, keepdims=True)
        totals = _PRIOR_STRENGTH * default + posterior.sum(axis=0)
        updated = totals / totals.sum()
        converged = np.abs(updated - prior).max() < 1e-6
        prior = updated
        if converged:
            break
    return tuple(float(w) for w in prior)


def class_rate_prior(
    learners: Iterable[Iterable[tuple[str, bool, SkillParams]]],
) -> tuple[float, ...]:
    """The prior over :data:`MULTIPLIERS` fitted on a class: each learner's answers as (skill,
    correct, the parameters the estimate was updated with), oldest first."""
    likelihoods = []
    for answers in learners:
        rate = LearningRate()
        for skill, correct, params in answers:
            rate.add(skill, correct, params)
        likelihoods.append(rate.log_likelihood())
    return fit_rate_prior(likelihoods)
