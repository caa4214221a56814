"""The class view: learners × skills mastery with attempts and last activity, filtered, sorted."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..errors import InvalidRequestError
from ..store import Store
from ..store.class_queries import class_activity, class_mastery, skill_units

__all__ = ["SORT_KEYS", "ClassView", "LearnerRow", "class_view"]

#: What the class view can be sorted by.
SORT_KEYS = ("learner", "mean_mastery", "attempts", "last_activity")


@dataclass(frozen=True)
class LearnerRow:
    """One learner's line of the class view; ``mastery`` is None for a skill never practised."""

    learner: str
    mastery: tuple[float | None, ...]
    attempts: int
    last_activity: datetime | None

    @property
    def mean_mastery(self) -> float | None:
        """Mean estimate over the practised skills shown."""
        known = [p for p in self.mastery if p is not None]
        return sum(known) / len(known) if known else None


@dataclass(frozen=True)
class ClassView:
    """The heat map's data: ``rows`` in display order, ``skills`` in column order."""

    course: str
    skills: list[str]
    rows: list[LearnerRow]
    units: dict[str, list[str]] = field(default_factory=dict)

    def matrix(self) -> list[list[float | None]]:
        """Mastery as rows of learners and columns of skills."""
        return [list(row.mastery) for row in self.rows]

    def table(self) -> tuple[list[str], list[list[object]]]:
        """Header and rows of the class view as a flat table (CSV, a data grid)."""
        header = ["learner", "attempts", "last_activity", "mean_mastery", *self.skills]
        body: list[list[object]] = []
        for row in self.rows:
            mean = row.mean_mastery
            body.append(
                [
                    row.learner,
                    row.attempts,
                    row.last_activity.isoformat() if row.last_activity else "",
                    "" if mean is None else round(mean, 4),
                    *("" if p is None else round(p, 4) for p in row.mastery),
                ]
            )
        return header, body


def _sort_key(key: str) -> Callable[[LearnerRow], Any]:
    """Primary sort key; ties keep the learners' alphabetical order in both directions."""
    if key == "learner":
        return lambda row: row.learner
    if key == "attempts":
        return lambda row: row.attempts
    if key == "mean_mastery":
        return lambda row: (row.mean_mastery is not None, row.mean_mastery or 0.0)
    return lambda row: (
        row.last_activity is not None,
        row.last_activity.timestamp() if row.last_activity else 0.0,
    )


def class_view(
    store: Store,
    course: str,
    *,
    units: Sequence[str] = (),
    skills: Sequence[str] = (),
    sort: str = "learner",
    descending: bool = False,
) -> ClassView:
    """The class view of a course, keeping only the skills of ``units`` and of ``skills`` when
    given, sorted by one of :data:`SORT_KEYS`.

    Raises
    ------
    InvalidRequestError
        When ``sort`` is not one of :data:`SORT_KEYS`.
    """
    if sort not in SORT_KEYS:
        raise InvalidRequestError(f"Sort by one of {', '.join(SORT_KEYS)}, not {sort!r}.")
    with store.transaction() as session:
        mastery = class_mastery(session, course)
        activity = class_activity(session, course)
        unit_of = skill_units(session, course)
    all_skills = sorted({skill for _, skill, _, _ in mastery} | set(unit_of))
    by_unit: dict[str, list[str]] = {}
    for skill in all_skills:
        by_unit.setdefault(unit_of.get(skill, ""), []).append(skill)
    shown = [
        skill
        for skill in all_skills
        if (not units or unit_of.get(skill) in units) and (not skills or skill in skills)
    ]
    column = {skill: index for index, skill in enumerate(shown)}
    cells: dict[str, list[float | None]] = {
        learner: [None] * len(shown) for learner in sorted(activity)
    }
    for learner, skill, p, _ in mastery:
        row = cells.setdefault(learner, [None] * len(shown))
        if skill in column:
            row[column[skill]] = p
    rows = [
        LearnerRow(learner, tuple(values), *activity.get(learner, (0, None)))
        for learner, values in cells.items()
    ]
    rows.sort(key=lambda row: row.learner)
    rows.sort(key=_sort_key(sort), reverse=descending)
    return ClassView(course, shown, rows, {u: s for u, s in sorted(by_unit.items()) if u})
