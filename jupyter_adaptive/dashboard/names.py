"""What the dashboard calls skills, units and items: the course's names, else their ids."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..curriculum import Course

__all__ = ["Names"]


@dataclass(frozen=True)
class Names:
    """Display names by id; an id the course does not name shows as itself.

    Items have no title of their own in a course: an item shows as its id (the real course's ids
    are words, ``group-mean``) followed by the name of the skill it practises.
    """

    skills: Mapping[str, str] = field(default_factory=dict)
    units: Mapping[str, str] = field(default_factory=dict)
    items: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, course: Course | None) -> Names:
        """The names a course declares (none without a course)."""
        if course is None:
            return cls()
        skills = {skill.id: skill.name for skill in course.skills.values()}
        items = {
            item.id: f"{item.id} ({', '.join(skills.get(s, s) for s in item.skills)})"
            for item in course.items.values()
        }
        return cls(skills, {unit.id: unit.title for unit in course.units}, items)

    def skill(self, skill: str) -> str:
        """The skill's name."""
        return self.skills.get(skill, skill)

    def unit(self, unit: str) -> str:
        """The unit's title."""
        return self.units.get(unit, unit)

    def unit_short(self, unit: str) -> str:
        """The unit's title up to its first " · " (``Unit 4``), for an axis."""
        return self.unit(unit).split(" · ", 1)[0]

    def item(self, item: str) -> str:
        """The item's label: its id and the name of the skill it practises."""
        return self.items.get(item, item)

    def skill_options(self, skills: list[str]) -> list[tuple[str, str]]:
        """``(name, id)`` pairs for a dropdown that shows names and answers ids."""
        return [(self.skill(skill), skill) for skill in skills]
