"""The course validator: every problem of a course, each located by file and cell or entry."""

from __future__ import annotations

from pathlib import Path

from ..errors import InvalidRequestError, NotFoundError
from .loader import read_course
from .model import Course, Problem

__all__ = ["check_course", "load_course", "validate_course"]

#: The fewest hints an item or a graded exercise may have.
MIN_HINTS = 2


def validate_course(path: Path | str) -> list[Problem]:
    """Read the course at ``path`` and return all its problems (empty when it is sound)."""
    root = Path(path)
    if not root.is_dir():
        raise NotFoundError(f"No course folder at {root}.")
    course, problems = read_course(root)
    return problems + check_course(course)


def load_course(path: Path | str) -> Course:
    """Read a course for use; raise :class:`InvalidRequestError` listing its problems if any."""
    problems = validate_course(path)
    if problems:
        raise InvalidRequestError(
            f"The course at {path} has {len(problems)} problem(s); "
            "run `jupyter-adaptive course validate` on it.",
            details=[str(p) for p in problems],
        )
    course, _ = read_course(path)
    return course


def check_course(course: Course) -> list[Problem]:
    """Cross-checks of a course already read: the skill graph, the items, the exercises and the
    check items."""
    return [
        *_skill_graph_problems(course),
        *_item_problems(course),
        *_exercise_problems(course),
        *_check_item_problems(course),
        *_misconception_problems(course),
    ]


def _skills_file(course: Course) -> str:
    return str(course.path / "skills.yaml")


def _skill_graph_problems(course: Course) -> list[Problem]:
    problems = []
    for skill in course.skills.values():
        for prerequisite in skill.prerequisites:
            if prerequisite not in course.skills:
                problems.append(
                    Problem(
                        "unknown-skill",
                        _skills_file(course),
                        f"skill {skill.id!r}",
                        f"prerequisite {prerequisite!r} is not a skill of the course",
                    )
                )
    for cycle in _cycles(course):
        problems.append(
            Problem(
                "prerequisite-cycle",
                _skills_file(course),
                f"skill {cycle[0]!r}",
                "prerequisites form a cycle: " + " -> ".join([*cycle, cycle[0]]),
            )
        )
    return problems


def _cycles(course: Course) -> list[list[str]]:
    """One cycle per strongly connected group of skills that depend on each other."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    cycles: list[list[str]] = []

    def visit(skill_id: str, path: list[str]) -> None:
        state[skill_id] = 1
        path.append(skill_id)
        for nxt in course.skills[skill_id].prerequisites:
            if nxt not in course.skills:
                continue
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt) :])
            elif nxt not in state:
                visit(nxt, path)
        path.pop()
        state[skill_id] = 2

    for skill_id in course.skills:
        if skill_id not in state:
            visit(skill_id, [])
    return cycles


def _unknown_skill_problems(
    course: Course, skills: tuple[str, ...], file: str, where: str
) -> list[Problem]:
    if not skills:
        return [Problem("unknown-skill", file, where, "tagged with no skill")]
    return [
        Problem("unknown-skill", file, where, f"skill {skill!r} is not in skills.yaml")
        for skill in skills
        if skill not in course.skills
    ]


def _difficulty_problem(difficulty: int, file: str, where: str) -> list[Problem]:
    if difficulty in (1, 2, 3):
        return []
    return [Problem("invalid-difficulty", file, where, "difficulty must be 1, 2 or 3")]


def _hint_problems(hints: tuple[str, ...], file: str, where: str) -> list[Problem]:
    if len(hints) >= MIN_HINTS:
        return []
    return [
        Problem(
            "missing-hints", file, where, f"has {len(hints)} hint(s); at least {MIN_HINTS} needed"
        )
    ]


def _item_problems(course: Course) -> list[Problem]:
    problems = []
    for item in course.items.values():
        where = f"item {item.id!r}"
        problems += _unknown_skill_problems(course, item.skills, item.file, where)
        problems += _difficulty_problem(item.difficulty, item.file, where)
        problems += _hint_problems(item.hints, item.file, where)
        if not item.tests.strip():
            problems.append(Problem("missing-tests", item.file, where, "item without tests"))
    return problems


def _exercise_problems(course: Course) -> list[Problem]:
    problems = []
    for exercise in course.exercises:
        file = str(course.path / "source" / exercise.unit / f"{exercise.notebook}.ipynb")
        where = f"cell {exercise.answer_cell} (item {exercise.id!r})"
        problems += _unknown_skill_problems(course, exercise.skills, file, where)
        problems += _difficulty_problem(exercise.difficulty, file, where)
        problems += _hint_problems(exercise.hints, file, where)
    return problems


def _check_item_problems(course: Course) -> list[Problem]:
    problems = []
    for check in course.check_items():
        where = f"check {check.id!r}"
        problems += _unknown_skill_problems(course, check.skills, check.file, where)
        problems += _difficulty_problem(check.difficulty, check.file, where)
        if course.unit(check.unit) is None:
            problems.append(
                Problem(
                    "unknown-unit",
                    check.file,
                    where,
                    f"unit {check.unit!r} is not a unit of the course (a folder of source/)",
                )
            )
    return problems


def _misconception_problems(course: Course) -> list[Problem]:
    file = str(course.path / "misconceptions.yaml")
    return [
        Problem(
            "unknown-skill",
            file,
            f"misconception {m.id!r}",
            f"listed under {m.skill!r}, which is not in skills.yaml",
        )
        for m in course.misconceptions
        if m.skill not in course.skills
    ]
