"""Item analysis: how each practice item behaves, and which items look broken.

- *proportion correct*: correct attempts over all attempts;
- *first try*: share of learners who passed on their first attempt;
- *discrimination*: correlation (point-biserial) between passing the item on the first try and the
  learner's first-try pass rate on the other items; near 0 or negative means the item does not
  separate stronger from weaker learners;
- misconceptions: when the course's catalogue is given, the misconceptions its failed attempts
  show (error signatures and draft patterns, as the feedback names them), most frequent first;
- flags: nobody passes (:data:`MIN_ATTEMPTS` attempts or more, none correct), everybody passes
  at once (:data:`MIN_LEARNERS` learners or more, all on the first try);
- with the course's item bank (``jupyter-adaptive items calibrate``): the item's 2PL parameters
  (``irt``) and the calibration's misfit flags with their evidence, marked ``2PL:``.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..assessment.item_bank import ItemBank, ItemParameters
from ..store import Store
from ..store.attempts import course_attempts
from ..store.class_queries import attempt_outcomes, item_skills

if TYPE_CHECKING:
    from ..curriculum import Course

__all__ = ["MIN_ATTEMPTS", "MIN_LEARNERS", "ItemStats", "item_analysis"]

MIN_ATTEMPTS = 5
MIN_LEARNERS = 5
#: Most frequent errors listed per item.
TOP_ERRORS = 3


@dataclass(frozen=True)
class ItemStats:
    """One item's figures; ``errors`` lists ``(error name, count)``, most frequent first."""

    item: str
    skills: tuple[str, ...]
    attempts: int
    learners: int
    proportion_correct: float
    first_try: float
    discrimination: float | None
    errors: list[tuple[str, int]]
    flags: list[str]
    misconceptions: list[tuple[str, int]] = field(default_factory=list)
    irt: ItemParameters | None = None

    @property
    def irt_summary(self) -> str:
        """The calibrated parameters in a few characters (``a 1.20 ± 0.10, b -0.40 ± 0.12``),
        or what they rest on when there is no fit."""
        if self.irt is None:
            return "not calibrated"
        if self.irt.source != "fit":
            return f"prior (a {self.irt.a:.2f}, b {self.irt.b:.2f}; {self.irt.n} answers)"

        def part(name: str, value: float, se: float | None) -> str:
            return f"{name} {value:.2f}" + ("" if se is None else f" ± {se:.2f}")

        return f"{part('a', self.irt.a, self.irt.se_a)}, {part('b', self.irt.b, self.irt.se_b)}"


def _correlation(xs: list[float], ys: list[float]) -> float | None:
    n = len(xs)
    if n < 3:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def _detections(curriculum: Course, row: dict[str, Any]) -> list[str]:
    from ..feedback.misconceptions import detect_misconceptions

    error = (str(row["error_name"]), str(row["error_value"] or "")) if row["error_name"] else None
    source = row.get("source")
    found = detect_misconceptions(
        curriculum,
        list(row["skills"] or []),
        error=error,
        source=source if isinstance(source, str) else None,
    )
    return [detection.misconception.title for detection in found]


def item_analysis(
    store: Store, course: str, curriculum: Course | None = None, bank: ItemBank | None = None
) -> list[ItemStats]:
    """Every attempted item of the course, flagged items first, then by item id; with the
    course's ``curriculum``, also the misconceptions of its failed attempts; with its item
    ``bank``, the 2PL parameters and misfit flags."""
    with store.transaction() as session:
        attempts = attempt_outcomes(session, course)
        skills = item_skills(session, course)
        failed = (
            [
                row
                for row in course_attempts(session, course, with_source=True, limit=10_000_000)
                if row["outcome"] != "correct"
            ]
            if curriculum is not None
            else []
        )
    misconceptions: dict[str, Counter[str]] = {}
    for row in failed:
        found = misconceptions.setdefault(row["item"], Counter())
        for detection in _detections(curriculum, row) if curriculum is not None else ():
            found[detection] += 1
    first: defaultdict[str, dict[str, bool]] = defaultdict(dict)
    counts: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0])
    errors: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for learner, item, outcome, error in attempts:
        if item is None:
            continue
        correct = outcome == "correct"
        first[item].setdefault(learner, correct)
        tally = counts[item]
        tally[0] += 1
        tally[1] += correct
        if error:
            errors[item][error] += 1
    learner_totals: dict[str, list[int]] = {}
    for outcomes in first.values():
        for learner, correct in outcomes.items():
            total = learner_totals.setdefault(learner, [0, 0])
            total[0] += 1
            total[1] += correct
    result = []
    for item in sorted(first):
        outcomes = first[item]
        xs, ys = [], []
        for learner, correct in outcomes.items():
            seen, passed = learner_totals[learner]
            if seen > 1:
                xs.append(float(correct))
                ys.append((passed - correct) / (seen - 1))
        n, correct_count = counts[item]
        first_try = sum(outcomes.values()) / len(outcomes)
        flags = []
        if n >= MIN_ATTEMPTS and correct_count == 0:
            flags.append(f"nobody passes: 0 of {n} attempts correct")
        if len(outcomes) >= MIN_LEARNERS and first_try == 1.0:
            flags.append(f"everybody passes at once: all {len(outcomes)} learners on the first try")
        irt = bank.get(item) if bank is not None else None
        flags.extend(f"2PL: {flag}" for flag in (irt.flags if irt is not None else ()))
        result.append(
            ItemStats(
                item=item,
                skills=skills.get(item, ()),
                attempts=n,
                learners=len(outcomes),
                proportion_correct=correct_count / n,
                first_try=first_try,
                discrimination=_correlation(xs, ys),
                errors=errors.get(item, Counter()).most_common(TOP_ERRORS),
                flags=flags,
                misconceptions=misconceptions.get(item, Counter()).most_common(TOP_ERRORS),
                irt=irt,
            )
        )
    return sorted(result, key=lambda stats: (not stats.flags, stats.item))
