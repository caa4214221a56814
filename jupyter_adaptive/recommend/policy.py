"""The next-best exercise: candidates in reach, ranked by expected mastery gain and the learner's
pace, format preference, novelty and what helped similar learners; with its reason in plain words.

A skill is *mastered* when its estimate is at least the threshold (0.95 by default); mastered skills
get no practice. A skill is *in reach* when every prerequisite (directly or transitively) is
mastered. Candidates are the items all of whose skills are in reach and that practise a skill in
reach that is not mastered. Estimates decay with the skill's forgetting rate per day (fitted from
timestamps, see :mod:`~jupyter_adaptive.mastery.forgetting`) since it was last practised; a
mastered skill stays mastered until its decayed estimate falls below the review level (0.85 by
default), then comes back for spaced review.

The reason names the factors that drove the choice: a factor drove it when ranking without that
factor would have chosen another item.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ..curriculum import Course, Item
from ..mastery import SkillParams
from ..mastery.forgetting import estimate_in_time
from ..mastery.learning_rate import OwnRate
from ..translation import _, ngettext
from .collaborative import CollaborativeModel, Signal
from .formats import item_format, preferred_format
from .history import LearnerHistory
from .pace import Pace

__all__ = ["FACTORS", "ItemRules", "Policy", "PolicySettings", "Recommendation"]

#: The ranking factors, in the order the reason names them. A recommendation's ``factors`` may
#: also be ``pin`` (a teacher's pin) or ``prerequisite`` (a check of a shaky prerequisite).
FACTORS = ("gain", "challenge", "pace", "format", "novelty", "collaborative")

#: The multiplier of an item's score by how far its difficulty is from the one that fits.
_FIT = {0: 1.0, 1: 0.75, 2: 0.55}
_SEEN_NOVELTY = 0.5
_FORMAT_BONUS = 1.25


@dataclass(frozen=True)
class PolicySettings:
    """What counts as mastered, below what a mastered skill's decayed estimate comes back for
    review, and after how many misses in a row a prerequisite is checked."""

    threshold: float = 0.95
    stuck_after: int = 3
    review_below: float = 0.85


@dataclass(frozen=True)
class ItemRules:
    """A teacher's decisions for one learner: items pinned (first comes first) and excluded."""

    pinned: tuple[str, ...] = ()
    excluded: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Recommendation:
    """The next exercise (``item`` None when nothing in reach needs practice) and why."""

    item: Item | None
    skills: tuple[str, ...]
    reason: str
    factors: tuple[str, ...] = ()
    review: bool = False
    also: tuple[Item, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The ``GET /adaptive/api/next`` answer: item, skills, reason, the cells of the item and
        of any that come with it (``also``: a learner faster than peers gets two at once), and
        the factors that drove the choice."""
        items = [self.item, *self.also] if self.item else []
        return {
            "item": self.item.id if self.item else None,
            "skills": list(self.skills),
            "reason": self.reason,
            "cells": [cell for item in items for cell in item.cells()],
            "also": [item.id for item in self.also],
            "factors": list(self.factors),
            "review": self.review,
        }


@dataclass
class _Candidate:
    item: Item
    open_skills: tuple[str, ...]
    order: tuple[int, int, str]
    gain: float = 0.0
    signal: Signal | None = None
    parts: dict[str, float] = field(default_factory=dict)

    def score(self, without: str | None = None) -> float:
        """The product of the factors; ``without`` ranks as if that factor did not exist."""
        fit = {"challenge": 1.0, "pace": self.parts["fit-unpaced"]}.get(
            without or "", self.parts["fit"]
        )
        score = self.parts["flat" if without == "gain" else "gain"] * fit
        for factor in ("format", "novelty", "collaborative"):
            if without != factor:
                score *= self.parts[factor]
        return score


def _level(estimate: float) -> int:
    """The difficulty that fits an estimate: 1 while it is low, 3 once it is high."""
    return 1 if estimate < 0.4 else 2 if estimate < 0.75 else 3


class Policy:
    """The recommendation policy for one course, with the skills' BKT parameters.

    ``params(skill)`` gives the parameters of a skill (prior, learn, forget, ...).
    """

    def __init__(
        self,
        course: Course,
        params: Callable[[str], SkillParams],
        settings: PolicySettings | None = None,
    ) -> None:
        self.course = course
        self.params = params
        self.settings = settings or PolicySettings()
        self._order = {skill: index for index, skill in enumerate(course.skills_in_order())}
        self._closure = {skill: course.prerequisites_closure(skill) for skill in course.skills}
        self._items = list(course.items.values())
        self._formats = {item.id: item_format(item) for item in self._items}
        self._needs = {
            item.id: {p for s in item.skills for p in self._closure.get(s, ())} - set(item.skills)
            for item in self._items
        }

    def estimates(
        self,
        history: LearnerHistory,
        days_since: Mapping[str, float],
        own: OwnRate | None = None,
    ) -> dict[str, float]:
        """Each skill's estimate, read at the learner's ``own`` learning rate when given, decayed
        by its forget rate for each day since last practised."""
        estimates = {}
        for skill in self.course.skills:
            params = self.params(skill)
            p = history.estimate(skill, params.prior)
            if own is not None:
                p = own.estimate(skill, p)
            estimates[skill] = estimate_in_time(
                p,
                params.forget_per_day,
                days_since.get(skill, 0.0),
                self.settings.threshold,
                self.settings.review_below,
            )
        return estimates

    def in_reach(self, estimates: Mapping[str, float], unit: str | None = None) -> list[str]:
        """Skills (of the unit and their prerequisites, when given) not mastered but in reach."""
        threshold = self.settings.threshold
        targets = set(self.course.skills)
        if unit is not None:
            found = self.course.unit(unit)
            unit_skills = set(found.skills) if found else set()
            targets = unit_skills.union(
                *(self._closure[s] for s in unit_skills if s in self._closure)
            )
        return sorted(
            (
                skill
                for skill in targets
                if skill in self._closure
                and estimates[skill] < threshold
                and all(estimates[p] >= threshold for p in self._closure[skill])
            ),
            key=self._order.__getitem__,
        )

    def recommend(
        self,
        history: LearnerHistory,
        *,
        unit: str | None = None,
        pace: Pace | None = None,
        rules: ItemRules | None = None,
        collaborative: CollaborativeModel | None = None,
        days_since: Mapping[str, float] | None = None,
        own: OwnRate | None = None,
        explain: bool = True,
    ) -> Recommendation:
        """The next exercise for this learner; ``explain=False`` skips the reason (simulation).

        ``own`` is what the learner's answers tell of their learning rate: estimates, and so when
        practice stops, are read at that rate (:mod:`~jupyter_adaptive.mastery.learning_rate`).
        """
        rules = rules or ItemRules()
        pace = pace or Pace()
        days_since = days_since or {}
        pinned = self._pinned(history, rules)
        if pinned is not None:
            return Recommendation(
                pinned, pinned.skills, _("Your teacher pinned this item for you."), ("pin",)
            )
        estimates = self.estimates(history, days_since, own)
        open_skills = self.in_reach(estimates, unit)
        if not open_skills:
            threshold = self.settings.threshold
            return _with_own_rate(
                own,
                Recommendation(
                    None,
                    (),
                    _(
                        "Every skill of unit `{unit}` in reach is mastered (estimate at least "
                        "{threshold:.2f}): nothing more to practise for now.",
                        unit=unit,
                        threshold=threshold,
                    )
                    if unit
                    else _(
                        "Every skill of this course in reach is mastered (estimate at least "
                        "{threshold:.2f}): nothing more to practise for now.",
                        threshold=threshold,
                    ),
                ),
            )
        stuck = self._stuck(history, open_skills)
        if stuck is not None:
            found = self._remedial(history, estimates, stuck, rules, explain=explain)
            if found is not None:
                return found
        candidates = self._candidates(history, estimates, open_skills, rules)
        if not candidates:
            return Recommendation(
                None,
                tuple(open_skills),
                _(
                    "No practice item is available for {skills}: ask your teacher for another "
                    "exercise.",
                    skills=", ".join(self.course.skills[s].localized("name") for s in open_skills),
                ),
            )
        self._score(candidates, history, estimates, pace, collaborative)
        best = self._best(candidates)
        if not explain:
            return Recommendation(best.item, best.item.skills, "")
        drivers = tuple(f for f in FACTORS if self._best(candidates, without=f) is not best)
        target = best.open_skills[0]
        undecayed = self.estimates(history, {}, own)[target]
        review = undecayed >= self.settings.threshold
        reason = self._reason(best, drivers, history, estimates, pace, review)
        reason = " ".join(filter(None, (reason, _own_rate_phrase(own))))
        also = self._also(candidates, best, pace)
        if also:
            reason += " " + ngettext(
                "At your pace, {items} comes with it.",
                "At your pace, {items} come with it.",
                len(also),
                items=", ".join(f"`{i.id}`" for i in also),
            )
            drivers = tuple(dict.fromkeys((*drivers, "pace")))
        return Recommendation(best.item, best.item.skills, reason, drivers, review, also)

    def _also(self, candidates: list[_Candidate], best: _Candidate, pace: Pace) -> tuple[Item, ...]:
        """The items that come with the best one for a learner whose pace allows more at once:
        the next best of other families (an item and its variants are one family)."""
        family = {best.item.variant_of or best.item.id}
        also: list[Item] = []
        rest = [c for c in candidates if c is not best and c.parts["novelty"] > 0]
        while len(also) < pace.batch - 1 and rest:
            rest = [c for c in rest if (c.item.variant_of or c.item.id) not in family]
            if not rest:
                break
            chosen = self._best(rest)
            also.append(chosen.item)
            family.add(chosen.item.variant_of or chosen.item.id)
        return tuple(also)

    def _stuck(self, history: LearnerHistory, open_skills: list[str]) -> tuple[str, str] | None:
        """A skill missed ``stuck_after`` times in a row with no prerequisite practised since the
        first of those misses, and the prerequisite practised least recently: it may be shaky."""
        window = self.settings.stuck_after
        for skill in open_skills:
            prerequisites = self._closure[skill]
            recent = history.recent(skill, window)
            if not prerequisites or len(recent) < window:
                continue
            if any(attempt.correct for attempt in recent):
                continue
            first_miss = recent[0].position
            if any(history.last_practised(p) > first_miss for p in prerequisites):
                continue
            order = self._order
            shaky = min(prerequisites, key=lambda p: (history.last_practised(p), -order[p]))
            return skill, shaky
        return None

    def _remedial(
        self,
        history: LearnerHistory,
        estimates: Mapping[str, float],
        stuck: tuple[str, str],
        rules: ItemRules,
        *,
        explain: bool,
    ) -> Recommendation | None:
        skill, shaky = stuck
        passed = history.passed()
        items = [
            item
            for item in self.course.items_for_skill(shaky)
            if item.id not in rules.excluded and item.id != history.just_failed()
        ]
        if not items:
            return None
        item = min(items, key=lambda i: (i.id in passed, i.difficulty))
        if not explain:
            return Recommendation(item, item.skills, "", ("prerequisite",))
        reason = _(
            "You missed {skill} {n} times in a row. Before more of it, this item checks its "
            "prerequisite {name}, estimated at {estimate:.2f} but the one you practised least "
            "recently.",
            skill=self.course.skills[skill].localized("name"),
            n=self.settings.stuck_after,
            name=self.course.skills[shaky].localized("name"),
            estimate=estimates[shaky],
        )
        return Recommendation(item, item.skills, reason, ("prerequisite",), review=True)

    def _pinned(self, history: LearnerHistory, rules: ItemRules) -> Item | None:
        passed = history.passed()
        for item_id in rules.pinned:
            item = self.course.items.get(item_id)
            if item is not None and item_id not in passed and item_id not in rules.excluded:
                return item
        return None

    def _candidates(
        self,
        history: LearnerHistory,
        estimates: Mapping[str, float],
        open_skills: list[str],
        rules: ItemRules,
    ) -> list[_Candidate]:
        threshold = self.settings.threshold
        reach = set(open_skills)
        found = []
        for index, item in enumerate(self._items):
            if item.id in rules.excluded:
                continue
            targets = tuple(s for s in item.skills if s in reach)
            if targets and all(estimates[p] >= threshold for p in self._needs[item.id]):
                order = (min(self._order[s] for s in targets), index, item.id)
                found.append(_Candidate(item, targets, order))
        return found

    def _score(
        self,
        candidates: list[_Candidate],
        history: LearnerHistory,
        estimates: Mapping[str, float],
        pace: Pace,
        collaborative: CollaborativeModel | None,
    ) -> None:
        seen = history.seen()
        just_failed = history.just_failed()
        preferred = preferred_format(history.first_outcomes(), self._formats)
        for c in candidates:
            gains = [(1.0 - estimates[s]) * self.params(s).learn for s in c.open_skills]
            level = _level(min(estimates[s] for s in c.open_skills))
            paced = min(3, max(1, level + pace.step))
            c.gain = sum(gains)
            c.parts = {
                "gain": c.gain,
                "flat": float(len(gains)),
                "fit": _FIT[abs(c.item.difficulty - paced)],
                "fit-unpaced": _FIT[abs(c.item.difficulty - level)],
                "format": _FORMAT_BONUS if self._formats[c.item.id] == preferred else 1.0,
                "novelty": (
                    0.0 if c.item.id == just_failed else _SEEN_NOVELTY if c.item.id in seen else 1.0
                ),
                "collaborative": 1.0,
            }
            if collaborative is not None and collaborative.ready:
                skill = c.open_skills[0]
                c.signal = collaborative.signal(skill, history.misses(skill), c.item.id)
                if c.signal is not None:
                    c.parts["collaborative"] = max(0.5, 1.0 + c.signal.lift)

    def _best(self, candidates: list[_Candidate], without: str | None = None) -> _Candidate:
        def key(c: _Candidate) -> tuple[float, tuple[int, int, str]]:
            return (-round(c.score(without), 12), c.order)

        return min(candidates, key=key)

    def _reason(
        self,
        best: _Candidate,
        drivers: tuple[str, ...],
        history: LearnerHistory,
        estimates: Mapping[str, float],
        pace: Pace,
        review: bool,
    ) -> str:
        target = best.open_skills[0]
        skill = self.course.skills[target]
        sentences = []
        missed, errors = history.recent_misses(target)
        if missed:
            sentences.append(_missed_phrase(skill.localized("name"), missed, errors.most_common(1)))
        if review:
            sentences.append(
                _(
                    "This item reviews {name}: your estimate has decayed to {estimate:.2f} since "
                    "you last practised it.",
                    name=skill.localized("name"),
                    estimate=estimates[target],
                )
            )
        else:
            sentences.append(
                _(
                    "This item practises {name}, not mastered yet: estimate {estimate:.2f}, "
                    "mastered at {threshold:.2f}.",
                    name=skill.localized("name"),
                    estimate=estimates[target],
                    threshold=self.settings.threshold,
                )
            )
        item = best.item
        phrases: dict[str, Callable[[], str]] = {
            "gain": lambda: _(
                "It promises the largest expected gain in mastery (+{gain:.2f}).", gain=best.gain
            ),
            "challenge": lambda: _(
                "Its difficulty ({difficulty} of 3) fits your current estimate.",
                difficulty=item.difficulty,
            ),
            "pace": lambda: _pace_phrase(pace, item.difficulty),
            "format": lambda: _format_phrase(self._formats[item.id]),
            "novelty": lambda: self._novelty_phrase(item, history),
            "collaborative": lambda: (
                _(
                    "Learners like you passed the next step after it ({passed} of {followed}).",
                    passed=best.signal.passed,
                    followed=best.signal.followed,
                )
                if best.signal
                else ""
            ),
        }
        sentences.extend(phrase for phrase in (phrases[f]() for f in drivers) if phrase)
        if not drivers:
            sentences.append(_("It is the first practice item in reach for this skill."))
        return " ".join(sentences)

    def _novelty_phrase(self, item: Item, history: LearnerHistory) -> str:
        failed = history.just_failed()
        fresh = item.id not in history.seen()
        if failed is not None and fresh:
            return _(
                "It is new to you, not a repeat of `{item}` that you just missed.", item=failed
            )
        if failed is not None:
            return _(
                "It is one you have not seen lately, not a repeat of `{item}` that you just "
                "missed.",
                item=failed,
            )
        return _("It is new to you.") if fresh else _("It is one you have not seen lately.")


def _missed_phrase(skill: str, missed: int, errors: list[tuple[str, int]]) -> str:
    """How often the learner just missed the skill (named as learners read it), with the most
    common error if any."""
    if errors:
        error = errors[0][0]
        if missed == 1:
            return _("You missed {skill} once with a {error}.", skill=skill, error=error)
        if missed == 2:
            return _("You missed {skill} twice with a {error}.", skill=skill, error=error)
        return _("You missed {skill} {n} times with a {error}.", skill=skill, n=missed, error=error)
    if missed == 1:
        return _("You missed {skill} once.", skill=skill)
    if missed == 2:
        return _("You missed {skill} twice.", skill=skill)
    return _("You missed {skill} {n} times.", skill=skill, n=missed)


def _pace_phrase(pace: Pace, difficulty: int) -> str:
    """Why the learner's pace sets the difficulty that comes next."""
    if pace.step < 0:
        return _(
            "You work slower than most learners, so a step of difficulty {difficulty} of 3 "
            "comes next.",
            difficulty=difficulty,
        )
    if pace.step > 0:
        return _(
            "You work faster than most learners, so a step of difficulty {difficulty} of 3 "
            "comes next.",
            difficulty=difficulty,
        )
    return _(
        "You work at about the pace of most learners, so a step of difficulty {difficulty} of 3 "
        "comes next.",
        difficulty=difficulty,
    )


def _format_phrase(name: str) -> str:
    """Why the item's format counts: the learner passes it most often."""
    phrases = {
        "worked example": lambda: _("It is a worked example, the format you pass most often."),
        "video": lambda: _("It is a video, the format you pass most often."),
        "audio": lambda: _("It is an audio recording, the format you pass most often."),
    }
    return phrases.get(name, lambda: _("It is a text, the format you pass most often."))()


def _own_rate_phrase(own: OwnRate | None) -> str:
    """The sentence saying that estimates are read at the learner's own learning rate, when that
    rate is not the course's (to one decimal)."""
    if own is None or not own.answers or f"{own.multiplier:.1f}" == "1.0":
        return ""
    return ngettext(
        "Your estimates are read at your own learning rate: about {rate:.1f} times the course's "
        "typical one, from your {n} answer.",
        "Your estimates are read at your own learning rate: about {rate:.1f} times the course's "
        "typical one, from your {n} answers.",
        own.answers,
        rate=own.multiplier,
    )


def _with_own_rate(own: OwnRate | None, recommendation: Recommendation) -> Recommendation:
    """The recommendation, its reason saying when estimates were read at the learner's own rate."""
    phrase = _own_rate_phrase(own)
    if not phrase:
        return recommendation
    return replace(recommendation, reason=f"{recommendation.reason} {phrase}")
