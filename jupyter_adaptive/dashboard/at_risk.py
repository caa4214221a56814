"""Who may be at risk and why: the fitted early-warning model when the teacher gives one, else
transparent rules (labelled as rules).

With rules, each rule that holds adds its weight to the learner's score; a learner is flagged when
the score reaches :data:`FLAG_AT`. Every reason is a sentence with the learner's own figure and its
weight, so the teacher can check it against the timeline. With the model
(:mod:`jupyter_adaptive.risk`), the score is its risk and each reason's weight is the feature's
share of the decision (log-odds), as :func:`jupyter_adaptive.risk.explain.explain` splits it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from ..store import Store
from ..store.class_queries import (
    attempt_days,
    attempt_outcomes,
    class_activity,
    class_mastery,
    course_days,
    evidence_steps,
)

if TYPE_CHECKING:
    from ..risk import RiskModel

__all__ = [
    "FLAG_AT",
    "MODEL",
    "RULES",
    "AtRisk",
    "Reason",
    "as_rows",
    "at_risk",
    "model_risks",
    "risk_trend",
]

#: How risks from the fitted model are labelled (rules are labelled ``rules``).
MODEL = "early-warning model"

#: Rule name -> weight; the weights sum to 1.
RULES = {"low_mastery": 0.35, "recent_failures": 0.30, "inactive": 0.20, "stuck": 0.15}
#: Score from which a learner is flagged.
FLAG_AT = 0.5
LOW_MASTERY = 0.4
RECENT = 10
RECENT_PASS_RATE = 0.5
INACTIVE_DAYS = 7
STUCK_RUN = 3


@dataclass(frozen=True)
class Reason:
    """One rule that holds for a learner."""

    rule: str
    weight: float
    sentence: str


@dataclass(frozen=True)
class AtRisk:
    """A learner's rule score, whether flagged, and the reasons, heaviest first."""

    learner: str
    score: float
    flagged: bool
    reasons: list[Reason]
    model: str = "rules"


def _reasons(
    mastery: list[float],
    outcomes: list[tuple[str | None, bool]],
    last: datetime | None,
    now: datetime | None,
) -> list[Reason]:
    reasons = []
    if mastery and sum(mastery) / len(mastery) < LOW_MASTERY:
        mean = sum(mastery) / len(mastery)
        reasons.append(
            Reason(
                "low_mastery",
                RULES["low_mastery"],
                f"mean estimate {mean:.2f} over {len(mastery)} practised "
                f"skill{'s' if len(mastery) > 1 else ''} is below "
                f"{LOW_MASTERY:.2f}",
            )
        )
    recent = outcomes[-RECENT:]
    if len(recent) >= RECENT // 2:
        passed = sum(correct for _, correct in recent)
        if passed / len(recent) < RECENT_PASS_RATE:
            reasons.append(
                Reason(
                    "recent_failures",
                    RULES["recent_failures"],
                    f"{passed} of the last {len(recent)} attempts passed "
                    f"(below {RECENT_PASS_RATE:.0%})",
                )
            )
    if now is not None and last is not None and now - last >= timedelta(days=INACTIVE_DAYS):
        reasons.append(
            Reason(
                "inactive",
                RULES["inactive"],
                f"no activity for {(now - last).days} days (the class's latest event is the "
                "reference)",
            )
        )
    run = 0
    for item, correct in reversed(outcomes):
        if correct or item != outcomes[-1][0]:
            break
        run += 1
    if run >= STUCK_RUN:
        reasons.append(
            Reason(
                "stuck",
                RULES["stuck"],
                f"the last {run} attempts on `{outcomes[-1][0]}` all failed",
            )
        )
    return sorted(reasons, key=lambda reason: -reason.weight)


def at_risk(
    store: Store, course: str, *, now: datetime | None = None, learner: str | None = None
) -> list[AtRisk]:
    """Every learner of the course (only ``learner`` when given) with their rule score, flagged
    first, highest score first.

    ``now`` is the reference for inactivity; by default the time of the class's latest event, so a
    finished course does not flag everybody.
    """
    with store.transaction() as session:
        mastery_rows = class_mastery(session, course)
        activity = class_activity(session, course)
        attempts = attempt_outcomes(session, course, learner)
    mastery: dict[str, list[float]] = {}
    for who, _skill, p, _n in mastery_rows:
        mastery.setdefault(who, []).append(p)
    outcomes: dict[str, list[tuple[str | None, bool]]] = {}
    for who, item, outcome, _error in attempts:
        outcomes.setdefault(who, []).append((item, outcome == "correct"))
    latest = [last for _, last in activity.values() if last is not None]
    reference = now or (max(latest) if latest else None)
    result = []
    for who in sorted(activity) if learner is None else [learner] if learner in activity else []:
        reasons = _reasons(mastery.get(who, []), outcomes.get(who, []), activity[who][1], reference)
        score = round(sum(reason.weight for reason in reasons), 6)
        result.append(AtRisk(who, score, score >= FLAG_AT, reasons))
    return sorted(result, key=lambda r: (not r.flagged, -r.score, r.learner))


def as_rows(risks: list[AtRisk]) -> list[dict[str, Any]]:
    """Plain rows for a table: learner, score, flagged, reasons joined with their weights."""
    return [
        {
            "learner": risk.learner,
            "score": risk.score,
            "flagged": risk.flagged,
            "reasons": "; ".join(f"{r.sentence} (weight {r.weight:.2f})" for r in risk.reasons),
            "model": risk.model,
        }
        for risk in risks
    ]


def model_risks(
    store: Store, course: str, model: RiskModel, skill_name: Callable[[str], str] = str
) -> list[AtRisk]:
    """Every learner of the course scored by the fitted early-warning model, flagged first.

    Reasons pair each of the model's sentences with its feature's contribution to the decision;
    the closing "weakest skills" sentence carries no weight of its own (0) and names the skills
    with ``skill_name`` (the dashboard's names, where the model knows ids).
    """
    from ..mastery.responses import stored_responses, validate
    from ..risk import explain

    data = stored_responses(store, course)
    if data.empty:
        return []
    data = validate(data, f"course {course}")
    result = []
    for explanation in explain(model, data):
        reasons = [Reason(name, weight, text) for name, weight, text in explanation.reasons]
        if explanation.sentences[len(explanation.reasons) :]:
            weakest = ", ".join(
                f"{skill_name(skill)} ({p:.2f})" for skill, p in explanation.weakest_skills
            )
            reasons.append(
                Reason("weakest_skills", 0.0, f"Weakest skills by P(mastered): {weakest}.")
            )
        result.append(
            AtRisk(explanation.user_id, explanation.risk, explanation.flagged, reasons, MODEL)
        )
    return sorted(result, key=lambda r: (not r.flagged, -r.score, r.learner))


def risk_trend(
    store: Store, course: str, learners: Collection[str]
) -> dict[str, list[tuple[date, float]]]:
    """Each learner's rule score at the end of every week of the course (from the Monday of its
    first evidence to the week of its latest), as the rules would have scored them then: their
    estimates, attempts and last activity up to that day, inactivity counted to that day."""
    if not learners:
        return {}
    with store.transaction() as session:
        evidence = evidence_steps(session, course, with_day=True, learners=learners)
        attempts = attempt_days(session, course, learners)
        span = course_days(session, course)
    wanted = set(learners)
    days = [day for day in span if day is not None]
    if not days:
        return {}
    start = min(days) - timedelta(days=min(days).weekday())
    weeks = [start + timedelta(weeks=n) for n in range((max(days) - start).days // 7 + 1)]
    changes = sorted(
        (day, who, skill, p) for who, skill, _, _, p, day in evidence if who in wanted and day
    )
    trend: dict[str, list[tuple[date, float]]] = {who: [] for who in wanted}
    mastery: dict[str, dict[str, float]] = {who: {} for who in wanted}
    outcomes: dict[str, list[tuple[str | None, bool]]] = {who: [] for who in wanted}
    last: dict[str, date] = {}
    step = seen = 0
    for week in weeks:
        end = week + timedelta(weeks=1)
        while step < len(changes) and changes[step][0] < end:
            _, who, skill, p = changes[step]
            mastery[who][skill] = p
            step += 1
        while seen < len(attempts) and (attempts[seen][3] or week) < end:
            who, item, outcome, day = attempts[seen]
            outcomes[who].append((item, outcome == "correct"))
            last[who] = day or last.get(who, week)
            seen += 1
        now = datetime.combine(end, time.min, UTC)
        for who in wanted:
            was = last.get(who)
            reasons = _reasons(
                list(mastery[who].values()),
                outcomes[who],
                datetime.combine(was, time.min, UTC) if was else None,
                now,
            )
            trend[who].append((week, round(sum(r.weight for r in reasons), 6)))
    return trend
