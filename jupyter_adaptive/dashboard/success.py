"""Success metrics from the stored evidence: mastery gain and time to mastery per skill and unit,
and by subgroup when the teacher loads a roster (else by quartile of activity), against the
course's targets (``course.yaml``).

Per learner and skill, from the evidence rows in order: *gain* is the last estimate minus the
first prior; *time to mastery* is the number of updates until the estimate first reaches
:data:`~jupyter_adaptive.risk.trajectory.MASTERED` (none when it never does), and the minutes the
learner spent on those attempts (their ``duration_ms``). Teacher overrides count as updates (of
no minutes): they are part of the record the learner sees.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ..risk.trajectory import MASTERED
from ..store import Store

if TYPE_CHECKING:
    from ..curriculum import Targets
from ..store.class_queries import attempt_durations, evidence_steps, skill_units
from ..store.lms import roster_subgroups

__all__ = [
    "ACTIVITY",
    "GroupGap",
    "Interval",
    "Progress",
    "SuccessSummary",
    "TargetCheck",
    "activity_roster",
    "class_summary",
    "group_gaps",
    "grouped",
    "intervals",
    "learner_progress",
    "stored_subgroups",
    "success",
    "success_figures",
    "target_checks",
    "weekly_mastered",
]

#: The normal quantile of a 95% interval.
Z95 = 1.96
#: The roster column of :func:`activity_roster`.
ACTIVITY = "activity"
_QUARTILES = ("Q1 fewest", "Q2", "Q3", "Q4 most")


@dataclass(frozen=True)
class Progress:
    """One learner's progress on one skill."""

    learner: str
    skill: str
    unit: str
    updates: int
    gain: float
    time_to_mastery: int | None
    minutes_to_mastery: float | None = None


@dataclass(frozen=True)
class SuccessSummary:
    """Figures of one skill, unit or subgroup."""

    name: str
    learners: int
    mean_gain: float
    mastered_share: float
    median_time_to_mastery: float | None
    median_minutes_to_mastery: float | None = None


@dataclass(frozen=True)
class GroupGap:
    """Between the groups of one roster column: each group's summary and the largest gaps."""

    attribute: str
    groups: list[SuccessSummary]
    gain_gap: float
    mastered_gap: float

    def sentence(self) -> str:
        """The gaps in plain words."""
        best = max(self.groups, key=lambda g: g.mean_gain)
        worst = min(self.groups, key=lambda g: g.mean_gain)
        return (
            f"by {self.attribute}: mean gain {best.mean_gain:.2f} ({best.name}) vs "
            f"{worst.mean_gain:.2f} ({worst.name}), a gap of {self.gain_gap:.2f}; mastered share "
            f"differs by up to {self.mastered_gap:.0%}"
        )


_Evidence = list[tuple[str, str, str | None, float, float, date | None]]


def learner_progress(store: Store, course: str) -> list[Progress]:
    """Progress of every learner on every skill with evidence."""
    with store.transaction() as session:
        evidence = evidence_steps(session, course)
        units = skill_units(session, course)
        durations = attempt_durations(session, course)
    return _progress(evidence, units, durations)


def success_figures(store: Store, course: str) -> tuple[list[Progress], list[tuple[date, float]]]:
    """:func:`learner_progress` and :func:`weekly_mastered` from one read of the evidence."""
    with store.transaction() as session:
        evidence = evidence_steps(session, course, with_day=True)
        units = skill_units(session, course)
        durations = attempt_durations(session, course)
    return _progress(evidence, units, durations), _weekly(evidence, units)


def _progress(
    evidence: _Evidence, units: Mapping[str, str], durations: Mapping[str, int]
) -> list[Progress]:
    runs: dict[tuple[str, str], list[tuple[float, float, int]]] = {}
    for learner, skill, event_id, prior, posterior, _time in evidence:
        runs.setdefault((learner, skill), []).append(
            (prior, posterior, durations.get(event_id or "", 0))
        )
    progress = []
    for (learner, skill), steps in sorted(runs.items()):
        reached = next(
            (index + 1 for index, (_, after, _ms) in enumerate(steps) if after >= MASTERED), None
        )
        minutes = None if reached is None else sum(ms for *_, ms in steps[:reached]) / 60_000
        progress.append(
            Progress(
                learner,
                skill,
                units.get(skill, ""),
                len(steps),
                steps[-1][1] - steps[0][0],
                reached,
                minutes,
            )
        )
    return progress


def _summary(name: str, rows: list[Progress]) -> SuccessSummary:
    times = [row.time_to_mastery for row in rows if row.time_to_mastery is not None]
    minutes = [row.minutes_to_mastery for row in rows if row.minutes_to_mastery is not None]
    return SuccessSummary(
        name=name,
        learners=len({row.learner for row in rows}),
        mean_gain=sum(row.gain for row in rows) / len(rows),
        mastered_share=len(times) / len(rows),
        median_time_to_mastery=float(statistics.median(times)) if times else None,
        median_minutes_to_mastery=statistics.median(minutes) if minutes else None,
    )


def success(progress: list[Progress], by: str = "skill") -> list[SuccessSummary]:
    """Summaries per ``skill`` or per ``unit``, in name order."""
    groups: dict[str, list[Progress]] = {}
    for row in progress:
        groups.setdefault(row.skill if by == "skill" else row.unit, []).append(row)
    return [_summary(name, rows) for name, rows in sorted(groups.items())]


def group_gaps(progress: list[Progress], roster: Mapping[str, Mapping[str, str]]) -> list[GroupGap]:
    """Per roster column (``roster[learner][column] = group``), each group's summary and the gap
    between the best and the worst group; learners missing from the roster are left out."""
    columns = sorted({column for groups in roster.values() for column in groups})
    gaps = []
    for column in columns:
        groups: dict[str, list[Progress]] = {}
        for row in progress:
            group = roster.get(row.learner, {}).get(column)
            if group:
                groups.setdefault(group, []).append(row)
        if len(groups) < 2:
            continue
        summaries = [_summary(name, rows) for name, rows in sorted(groups.items())]
        gains = [s.mean_gain for s in summaries]
        shares = [s.mastered_share for s in summaries]
        gaps.append(GroupGap(column, summaries, max(gains) - min(gains), max(shares) - min(shares)))
    return gaps


@dataclass(frozen=True)
class Interval:
    """A group's mean with its 95% interval (mean ± 1.96 standard errors; the mean alone, as
    both bounds, for a single value)."""

    name: str
    mean: float
    low: float
    high: float
    n: int


def grouped(
    progress: list[Progress],
    by: str = "unit",
    roster: Mapping[str, Mapping[str, str]] | None = None,
) -> dict[str, list[Progress]]:
    """Progress rows per ``skill``, per ``unit``, or (with a ``roster``) per group of the roster
    column ``by``; learners missing from the roster are left out. Groups in name order."""
    groups: dict[str, list[Progress]] = {}
    for row in progress:
        if roster is not None:
            name = roster.get(row.learner, {}).get(by)
        else:
            name = row.skill if by == "skill" else row.unit
        if name:
            groups.setdefault(name, []).append(row)
    return dict(sorted(groups.items()))


def _interval(name: str, values: list[float]) -> Interval:
    mean = sum(values) / len(values)
    if len(values) < 2:
        return Interval(name, mean, mean, mean, len(values))
    half = Z95 * statistics.stdev(values) / math.sqrt(len(values))
    return Interval(name, mean, mean - half, mean + half, len(values))


def intervals(groups: Mapping[str, list[Progress]], measure: str = "gain") -> list[Interval]:
    """Per group, the mean ``gain`` or the mean answers to mastery (``answers``, over the
    learner-skills that reached it) with its 95% interval; groups with no value are left out."""
    found = []
    for name, rows in groups.items():
        if measure == "gain":
            values = [row.gain for row in rows]
        else:
            values = [float(row.time_to_mastery) for row in rows if row.time_to_mastery]
        if values:
            found.append(_interval(name, values))
    return found


def weekly_mastered(store: Store, course: str) -> list[tuple[date, float]]:
    """The class's progress over the term: at the end of each week (from the Monday of the first
    evidence), the share of learner-skills whose estimate then is at least
    :data:`~jupyter_adaptive.risk.trajectory.MASTERED`, over every learner with evidence times
    every skill of the course."""
    with store.transaction() as session:
        evidence = evidence_steps(session, course, with_day=True)
        units = skill_units(session, course)
    return _weekly(evidence, units)


def _weekly(evidence: _Evidence, units: Mapping[str, str]) -> list[tuple[date, float]]:
    timed = sorted(
        (
            (day, learner, skill, posterior)
            for learner, skill, _, _, posterior, day in evidence
            if day is not None
        ),
        key=lambda row: row[0],
    )
    if not timed:
        return []
    learners = {row[1] for row in timed}
    skills = {row[2] for row in timed} | set(units)
    pairs = len(learners) * len(skills)
    first: date = timed[0][0]
    week_end = first - timedelta(days=first.weekday()) + timedelta(weeks=1)
    current: dict[tuple[str, str], bool] = {}
    mastered = 0  # how many of ``current`` are mastered, kept as they change
    weeks: list[tuple[date, float]] = []
    for day, learner, skill, posterior in timed:
        while day >= week_end:
            weeks.append((week_end - timedelta(weeks=1), mastered / pairs))
            week_end += timedelta(weeks=1)
        now = posterior >= MASTERED
        mastered += now - current.get((learner, skill), False)
        current[learner, skill] = now
    weeks.append((week_end - timedelta(weeks=1), mastered / pairs))
    return weeks


def activity_roster(progress: list[Progress]) -> dict[str, dict[str, str]]:
    """Each learner's quartile of activity (their number of estimate updates, ``Q1 fewest`` to
    ``Q4 most``; ties by pseudonym) as the roster column :data:`ACTIVITY`: the subgroups read
    when no roster is loaded, so gaps are always measured."""
    updates: dict[str, int] = {}
    for row in progress:
        updates[row.learner] = updates.get(row.learner, 0) + row.updates
    ordered = sorted(updates, key=lambda learner: (updates[learner], learner))
    parts = min(len(_QUARTILES), len(ordered))
    return {
        learner: {ACTIVITY: _QUARTILES[index * parts // len(ordered)]}
        for index, learner in enumerate(ordered)
    }


def class_summary(progress: list[Progress]) -> SuccessSummary | None:
    """The whole class's figures (None without evidence)."""
    return _summary("class", progress) if progress else None


@dataclass(frozen=True)
class TargetCheck:
    """One target of the course next to the class's actual figure; ``met`` is None when there is
    no figure yet."""

    measure: str
    label: str
    target: float
    actual: float | None
    at_most: bool
    detail: str = ""

    @property
    def met(self) -> bool | None:
        """Whether the actual figure reaches the target."""
        if self.actual is None:
            return None
        return self.actual <= self.target if self.at_most else self.actual >= self.target


def target_checks(
    progress: list[Progress],
    targets: Targets,
    roster: Mapping[str, Mapping[str, str]] | None = None,
) -> list[TargetCheck]:
    """Each declared target against the class's figure: the mean mastery gain and the median
    answers and minutes to mastery of :func:`class_summary`, and the largest mean-gain gap
    between the groups of a ``roster`` column (:func:`group_gaps`; without a roster, between
    quartiles of activity, :func:`activity_roster`), naming its column."""
    summary = class_summary(progress)
    gaps = group_gaps(progress, roster or activity_roster(progress))
    widest = max(gaps, key=lambda gap: gap.gain_gap, default=None)
    found: list[tuple[str, str, float | None, float | None, bool, str]] = [
        (
            "mastery_gain",
            "mean mastery gain (at least)",
            targets.mastery_gain,
            summary.mean_gain if summary else None,
            False,
            "",
        ),
        (
            "answers_to_mastery",
            "median answers to mastery (at most)",
            targets.answers_to_mastery,
            summary.median_time_to_mastery if summary else None,
            True,
            "",
        ),
        (
            "minutes_to_mastery",
            "median minutes to mastery (at most)",
            targets.minutes_to_mastery,
            summary.median_minutes_to_mastery if summary else None,
            True,
            "",
        ),
        (
            "subgroup_gap",
            "largest gap in mean gain between groups (at most)",
            targets.subgroup_gap,
            widest.gain_gap if widest else None,
            True,
            f"by {widest.attribute}" if widest else "",
        ),
    ]
    return [
        TargetCheck(measure, label, target, actual, at_most, detail)
        for measure, label, target, actual, at_most, detail in found
        if target is not None
    ]


def stored_subgroups(store: Store, course: str) -> dict[str, dict[str, str]]:
    """The subgroups stored with the course's roster (an LMS launch's claims, a roster uploaded
    through ``jupyter-adaptive lms roster``): the groups read when the teacher loads none."""
    with store.transaction() as session:
        return roster_subgroups(session, course)
