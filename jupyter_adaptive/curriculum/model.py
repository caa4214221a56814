"""The plain objects a course is read into: skills, items, graded exercises, misconceptions.

Nothing here reads files; ``loader.py`` builds these objects and ``validate.py`` checks them. The
server, the recommender, the feedback code and the grading import work with these objects only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..translation import _
from .check_items import CheckItem
from .code_patterns import CodePattern
from .injected_cells import injected_cells
from .translations import Translatable, Translations

__all__ = [
    "Course",
    "ErrorSignature",
    "Exercise",
    "Item",
    "Misconception",
    "Problem",
    "Skill",
    "Targets",
    "Unit",
]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a course, located by file and by cell or entry.

    ``code`` names the kind of problem (e.g. ``unknown-skill``) so that tools and tests can tell
    them apart; ``message`` is one sentence for the author.
    """

    code: str
    file: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.message} [{self.code}]"


@dataclass(frozen=True)
class Skill(Translatable):
    """A node of the skill graph; ``prerequisites`` are ids of skills to learn first."""

    id: str
    name: str
    description: str
    prerequisites: tuple[str, ...] = ()
    translations: Translations = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Item(Translatable):
    """A practice exercise of the item pool, injected into a notebook by the adaptive loop.

    The learner sees ``setup + starter`` in the answer cell and ``tests`` in the test cell; the
    reference solution (``setup + solution``) stays on the server. A variant (``variant_of`` set)
    practises the same skills as its base item with other data or numbers.
    """

    id: str
    skills: tuple[str, ...]
    difficulty: int
    prompt: str
    starter: str
    solution: str
    tests: str
    hints: tuple[str, ...]
    setup: str = ""
    variant_of: str | None = None
    file: str = ""
    translations: Translations = field(default_factory=dict, compare=False)

    @property
    def starter_code(self) -> str:
        """The answer cell as the learner first sees it."""
        return _join_code(self.setup, self.starter)

    @property
    def reference_code(self) -> str:
        """A correct answer: the setup followed by the reference solution."""
        return _join_code(self.setup, self.solution)

    def adaptive_metadata(self) -> dict[str, Any]:
        """The ``metadata.adaptive`` shared by the cells of this item (see DESIGN.md), with the
        hints' translations (``hints_es``, ...) for the labextension to show in the learner's
        language."""
        meta: dict[str, Any] = {
            "item": self.id,
            "skills": list(self.skills),
            "difficulty": self.difficulty,
            "hints": list(self.hints),
        }
        for language, fields in sorted(self.translations.items()):
            if "hints" in fields:
                meta[f"hints_{language}"] = list(fields["hints"])
        if self.variant_of is not None:
            meta["variant_of"] = self.variant_of
        return meta

    def cells(self) -> list[dict[str, Any]]:
        """The nbformat 4 cells to insert for practice: prompt (in the current language), answer,
        tests.

        Each carries ``metadata.adaptive`` with ``injected: true`` and a ``role`` (``prompt``,
        ``answer`` or ``tests``) and no nbgrader metadata, so nbgrader grades the assignment as if
        they were not there.
        """
        heading = _("**Practice** · `{item}`", item=self.id)
        return injected_cells(
            f"{heading}\n\n{self.localized('prompt').strip()}",
            self.starter_code,
            self.tests.strip(),
            self.adaptive_metadata(),
        )


@dataclass(frozen=True)
class Exercise(Translatable):
    """A graded nbgrader exercise of a unit notebook: one answer cell and its test cells.

    ``grade_ids`` are the nbgrader ids of the test cells, which nbgrader's gradebook uses to name
    grades; ``points`` is their total. ``reference_code`` is the source notebook's answer cell,
    with its solution: it stays on the server.
    """

    id: str
    unit: str
    notebook: str
    skills: tuple[str, ...]
    difficulty: int
    hints: tuple[str, ...]
    answer_grade_id: str
    answer_cell: int
    test_cells: tuple[int, ...]
    grade_ids: tuple[str, ...]
    points: float
    reference_code: str = ""
    translations: Translations = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Unit:
    """An nbgrader assignment: ``source/<id>/`` with its notebooks and graded exercises."""

    id: str
    title: str
    notebooks: tuple[Path, ...]
    exercises: tuple[Exercise, ...]

    @property
    def skills(self) -> tuple[str, ...]:
        """Skills the unit's graded exercises practise, in order of first appearance."""
        return tuple(dict.fromkeys(s for e in self.exercises for s in e.skills))


@dataclass(frozen=True)
class ErrorSignature:
    """How a misconception shows in an error: the exception name and a regex on its message."""

    type: str
    message: str = ""

    def matches(self, ename: str, evalue: str) -> bool:
        """Whether an error with this name and message fits the signature."""
        return ename == self.type and re.search(self.message, evalue) is not None


@dataclass(frozen=True)
class Misconception(Translatable):
    """A common mistake on a skill, how to recognise it, and what to tell the learner."""

    id: str
    skill: str
    title: str
    feedback: str
    errors: tuple[ErrorSignature, ...] = ()
    patterns: tuple[CodePattern, ...] = ()
    examples: tuple[str, ...] = ()
    translations: Translations = field(default_factory=dict, compare=False)

    def matches_error(self, ename: str, evalue: str) -> bool:
        """Whether an error raised by an attempt shows this misconception."""
        return any(sig.matches(ename, evalue) for sig in self.errors)

    def matches_draft(self, source: str) -> bool:
        """Whether the draft's code contains one of the misconception's patterns."""
        return any(pattern.search(source) is not None for pattern in self.patterns)


@dataclass(frozen=True)
class Targets:
    """The success targets a course declares in ``course.yaml`` (each optional): the class's mean
    mastery gain per learner and skill (at least), the median answers and minutes until a skill is
    mastered (at most), and the largest gap in mean mastery gain between the groups of a subgroup
    column it accepts (at most)."""

    mastery_gain: float | None = None
    answers_to_mastery: float | None = None
    minutes_to_mastery: float | None = None
    subgroup_gap: float | None = None


@dataclass(frozen=True)
class Course:
    """A course read from ``courses/<id>/``: skill graph, units, item pool and misconceptions."""

    id: str
    title: str
    description: str
    path: Path
    skills: dict[str, Skill]
    units: tuple[Unit, ...]
    items: dict[str, Item]
    misconceptions: tuple[Misconception, ...] = field(default=())
    #: The check items of every unit, by id, in unit order.
    checks: dict[str, CheckItem] = field(default_factory=dict)
    #: The success targets of ``course.yaml`` (all None when it declares none).
    targets: Targets = field(default_factory=Targets)

    @property
    def exercises(self) -> tuple[Exercise, ...]:
        """Every graded exercise of every unit, in unit order."""
        return tuple(e for unit in self.units for e in unit.exercises)

    def unit(self, unit_id: str) -> Unit | None:
        """The unit with this id, if any."""
        return next((u for u in self.units if u.id == unit_id), None)

    def items_for_skill(self, skill_id: str) -> list[Item]:
        """Practice items that exercise the skill, easiest first."""
        found = [item for item in self.items.values() if skill_id in item.skills]
        return sorted(found, key=lambda item: (item.difficulty, item.id))

    def variants_of(self, item_id: str) -> list[Item]:
        """Items declared as variants of the given item."""
        return [item for item in self.items.values() if item.variant_of == item_id]

    def exercise(self, unit_id: str, grade_id: str) -> Exercise | None:
        """The graded exercise one of whose nbgrader cells has this grade id, if any.

        This is the link from nbgrader's gradebook (assignment, grade cell) to items and skills.
        """
        for exercise in self.exercises:
            if exercise.unit == unit_id and (
                grade_id in exercise.grade_ids or grade_id == exercise.answer_grade_id
            ):
                return exercise
        return None

    def prerequisites_closure(self, skill_id: str) -> set[str]:
        """Every skill that must be learnt before this one, directly or transitively."""
        seen: set[str] = set()
        stack = list(self.skills[skill_id].prerequisites)
        while stack:
            current = stack.pop()
            if current in seen or current not in self.skills:
                continue
            seen.add(current)
            stack.extend(self.skills[current].prerequisites)
        return seen

    def skills_in_order(self) -> list[str]:
        """Skill ids ordered so that every skill comes after its prerequisites."""
        ordered: list[str] = []
        placed: set[str] = set()

        def place(skill_id: str) -> None:
            if skill_id in placed:
                return
            placed.add(skill_id)
            for prerequisite in self.skills[skill_id].prerequisites:
                if prerequisite in self.skills:
                    place(prerequisite)
            ordered.append(skill_id)

        for skill_id in self.skills:
            place(skill_id)
        return ordered

    def reference_code(self, item_id: str) -> str | None:
        """A correct answer cell of the practice item or graded exercise, if the course has it."""
        if item_id in self.items:
            return self.items[item_id].reference_code
        exercise = next((e for e in self.exercises if e.id == item_id), None)
        return exercise.reference_code if exercise and exercise.reference_code else None

    def check_items(self, unit: str | None = None) -> list[CheckItem]:
        """The check items of one unit, or of every unit when ``unit`` is None, in file order."""
        return [c for c in self.checks.values() if unit is None or c.unit == unit]

    def misconceptions_for(self, skill_id: str) -> list[Misconception]:
        """The catalogued misconceptions of one skill."""
        return [m for m in self.misconceptions if m.skill == skill_id]


def _join_code(*parts: str) -> str:
    return "\n\n".join(part.strip("\n") for part in parts if part.strip())
