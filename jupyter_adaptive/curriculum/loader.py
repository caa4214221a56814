"""Reading ``courses/<course>/`` into a :class:`Course`, noting every problem met on the way.

Files read (see ``courses/README.md``): ``course.yaml`` (optional title, description and success
targets),
``skills.yaml``, ``items/*.yaml``, ``checks/*.yaml``, ``misconceptions.yaml`` and the nbgrader
source notebooks ``source/<unit>/*.ipynb``. Reading never stops at the first problem: whatever can
be read is returned along with the list of problems, so that the validator can report them all at
once.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import nbformat
import yaml

from .check_items import CHECK_KINDS, CheckItem, option_letters
from .code_patterns import CodePattern, PatternError
from .model import (
    Course,
    ErrorSignature,
    Exercise,
    Item,
    Misconception,
    Problem,
    Skill,
    Targets,
    Unit,
)
from .nbgrader_metadata import nbgrader_cell_problems
from .translations import TRANSLATABLE, inherited, split_translations

__all__ = ["read_course"]

_ITEM_KEYS = {
    "id",
    "skills",
    "difficulty",
    "prompt",
    "setup",
    "starter",
    "solution",
    "tests",
    "hints",
    "variant_of",
}
_INHERITED_KEYS = ("skills", "difficulty", "hints", "prompt", "setup", "starter", "solution")
_CHECK_KEYS = {
    "id",
    "skills",
    "difficulty",
    "kind",
    "prompt",
    "options",
    "key",
    "setup",
    "code",
    "decimals",
}
_Entry = TypeVar("_Entry", Item, CheckItem)
_MISCONCEPTION_KEYS = {"id", "title", "feedback", "errors", "patterns", "examples"}
_SKILL_KEYS = {"id", "name", "description", "prerequisites"}
#: Target -> (lowest, highest) value it may take; what each means is :class:`Targets`'s.
_TARGET_RANGES = {
    "mastery_gain": (0.0, 1.0),
    "answers_to_mastery": (1.0, 1000.0),
    "minutes_to_mastery": (0.0, 100_000.0),
    "subgroup_gap": (0.0, 1.0),
}


@dataclass
class _Reader:
    """Accumulates what has been read and the problems found, file by file."""

    root: Path
    problems: list[Problem] = field(default_factory=list)
    #: The course's id (:func:`_read_course_id`), known before the notebooks are read.
    course_id: str = ""

    def rel(self, path: Path) -> str:
        return str(self.root / path.relative_to(self.root))

    def problem(self, code: str, path: Path, where: str, message: str) -> None:
        self.problems.append(Problem(code, self.rel(path), where, message))

    def yaml(self, path: Path) -> Any:
        try:
            return yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark
            where = f"line {mark.line + 1}" if mark is not None else "file"
            self.problem("invalid-file", path, where, f"not valid YAML: {exc.problem}")
        except (OSError, yaml.YAMLError) as exc:
            self.problem("invalid-file", path, "file", f"cannot be read: {exc}")
        return None


def read_course(path: Path | str) -> tuple[Course, list[Problem]]:
    """Read the course at ``path``; return it with the problems met while reading.

    Cross-checks (unknown skills, cycles, variants, missing tests or hints) are left to
    :func:`jupyter_adaptive.curriculum.validate.check_course`.
    """
    root = Path(path)
    reader = _Reader(root)
    if not (root / "nbgrader_config.py").is_file():
        reader.problem(
            "not-an-nbgrader-course",
            root / "nbgrader_config.py",
            "file",
            "missing: every course is an nbgrader course with its own nbgrader_config.py",
        )
    reader.course_id = _read_course_id(reader)
    title, description, targets = _read_course_yaml(reader)
    skills = _read_skills(reader)
    items = _read_items(reader)
    units = _read_units(reader)
    misconceptions = _read_misconceptions(reader)
    checks = _read_checks(reader)
    _check_duplicate_ids(reader, items, units, checks)
    course = Course(
        id=reader.course_id,
        title=title,
        description=description,
        path=root,
        skills=skills,
        units=units,
        items=_first_of_each_id(items),
        misconceptions=misconceptions,
        checks=_first_of_each_id(checks),
        targets=targets,
    )
    return course, reader.problems


def _first_of_each_id(entries: Sequence[_Entry]) -> dict[str, _Entry]:
    """Entries by id, in their order; of an id used twice (a problem reported apart), the first."""
    found: dict[str, _Entry] = {}
    for entry in entries:
        found.setdefault(entry.id, entry)
    return found


def _configured_course_id(config: ast.Module) -> str | None:
    """The string literal assigned to ``c.CourseDirectory.course_id`` in an nbgrader config."""
    for node in ast.walk(config):
        if not isinstance(node, ast.Assign) or not isinstance(node.value, ast.Constant):
            continue
        for target in node.targets:
            if (
                isinstance(target, ast.Attribute)
                and target.attr == "course_id"
                and isinstance(target.value, ast.Attribute)
                and target.value.attr == "CourseDirectory"
                and isinstance(node.value.value, str)
            ):
                return node.value.value
    return None


def _read_course_id(reader: _Reader) -> str:
    """The course's id as nbgrader knows it: ``c.CourseDirectory.course_id`` in the course's
    ``nbgrader_config.py`` (read, never run), else the folder's name, so that a copied or renamed
    course folder keeps its identity."""
    path = reader.root / "nbgrader_config.py"
    folder = reader.root.resolve().name
    try:
        config = ast.parse(path.read_text(encoding="utf-8"), str(path))
    except FileNotFoundError:
        return folder
    except (OSError, SyntaxError, ValueError) as exc:
        reader.problem("invalid-file", path, "file", f"cannot be read: {exc}")
        return folder
    configured = _configured_course_id(config)
    if configured is not None and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,199}", configured):
        reader.problem(
            "invalid-file",
            path,
            "c.CourseDirectory.course_id",
            f"{configured!r} is not a course id (letters, digits, '-', '_' and '.')",
        )
        return folder
    return configured or folder


def _read_course_yaml(reader: _Reader) -> tuple[str, str, Targets]:
    path = reader.root / "course.yaml"
    data = reader.yaml(path) if path.is_file() else None
    if not isinstance(data, dict):
        return reader.course_id, "", Targets()
    return (
        str(data.get("title", reader.course_id)),
        str(data.get("description", "")),
        _read_targets(reader, path, data.get("targets")),
    )


def _read_targets(reader: _Reader, path: Path, data: Any) -> Targets:
    """The ``targets`` block of ``course.yaml``; every entry that is wrong is a problem and left
    out."""
    if data is None:
        return Targets()
    if not isinstance(data, dict):
        reader.problem(
            "invalid-targets",
            path,
            "targets",
            "expected a mapping of target names to numbers, e.g. `mastery_gain: 0.4`",
        )
        return Targets()
    found: dict[str, float] = {}
    for key, value in data.items():
        where = f"targets.{key}"
        if key not in _TARGET_RANGES:
            reader.problem(
                "invalid-targets",
                path,
                where,
                f"unknown target {key!r}; the targets are {', '.join(_TARGET_RANGES)}",
            )
            continue
        low, high = _TARGET_RANGES[key]
        if isinstance(value, bool) or not isinstance(value, int | float):
            reader.problem("invalid-targets", path, where, f"{value!r} is not a number")
        elif not low <= value <= high:
            reader.problem(
                "invalid-targets", path, where, f"{value} is not between {low:g} and {high:g}"
            )
        else:
            found[key] = float(value)
    return Targets(**found)


def _read_skills(reader: _Reader) -> dict[str, Skill]:
    path = reader.root / "skills.yaml"
    if not path.is_file():
        reader.problem("invalid-file", path, "file", "missing: the skill graph of the course")
        return {}
    data = reader.yaml(path)
    entries = data.get("skills") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        reader.problem("invalid-file", path, "file", "expected a mapping with a 'skills' list")
        return {}
    skills: dict[str, Skill] = {}
    for index, entry in enumerate(entries, start=1):
        where = f"skill #{index}"
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            reader.problem("invalid-skill", path, where, "a skill needs at least a string 'id'")
            continue
        where = f"skill {entry['id']!r}"
        entry, translations, untranslatable = split_translations(entry, TRANSLATABLE["skill"])
        for problem in untranslatable:
            reader.problem("invalid-translation", path, where, problem)
        for key in sorted(set(entry) - _SKILL_KEYS):
            reader.problem("invalid-skill", path, where, f"unknown key {key!r}")
        if entry["id"] in skills:
            reader.problem("duplicate-skill", path, where, "this skill id is declared twice")
            continue
        prerequisites = entry.get("prerequisites") or []
        if not isinstance(prerequisites, list):
            reader.problem("invalid-skill", path, where, "'prerequisites' must be a list")
            prerequisites = []
        skills[entry["id"]] = Skill(
            id=entry["id"],
            name=str(entry.get("name", entry["id"])),
            description=str(entry.get("description", "")),
            prerequisites=tuple(str(p) for p in prerequisites),
            translations=translations,
        )
    return skills


def _read_items(reader: _Reader) -> list[Item]:
    raw: list[tuple[Path, str, dict[str, Any]]] = []
    for path in sorted((reader.root / "items").glob("*.yaml")):
        data = reader.yaml(path)
        if data is None:
            continue
        entries = data.get("items") if isinstance(data, dict) else None
        if not isinstance(entries, list):
            reader.problem("invalid-file", path, "file", "expected a mapping with an 'items' list")
            continue
        default_skill = data.get("skill")
        for index, entry in enumerate(entries, start=1):
            if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
                reader.problem(
                    "invalid-item", path, f"item #{index}", "an item needs a string 'id'"
                )
                continue
            if default_skill is not None and "skills" not in entry and "variant_of" not in entry:
                entry = {**entry, "skills": [default_skill]}
            raw.append((path, f"item {entry['id']!r}", entry))
    bases = {entry["id"]: entry for _, _, entry in raw}
    items = []
    for path, where, entry in raw:
        if "variant_of" in entry and entry["variant_of"] not in bases:
            reader.problem(
                "missing-variant-target",
                path,
                where,
                f"variant of {entry['variant_of']!r}, which is not an item of the pool",
            )
            continue
        base = bases.get(entry.get("variant_of", ""), {})
        merged = {**inherited(base, entry, _INHERITED_KEYS), **entry}
        item = _item_from_entry(reader, path, where, merged)
        if item is not None:
            items.append(item)
    return items


def _item_from_entry(reader: _Reader, path: Path, where: str, entry: dict[str, Any]) -> Item | None:
    entry, translations, untranslatable = split_translations(entry, TRANSLATABLE["item"])
    for problem in untranslatable:
        reader.problem("invalid-translation", path, where, problem)
    for key in sorted(set(entry) - _ITEM_KEYS):
        reader.problem("invalid-item", path, where, f"unknown key {key!r}")
    missing = [key for key in ("prompt", "starter", "solution") if not entry.get(key)]
    if missing:
        reader.problem("invalid-item", path, where, f"missing {', '.join(missing)}")
        return None
    skills = entry.get("skills") or []
    hints = entry.get("hints") or []
    if not isinstance(skills, list) or not isinstance(hints, list):
        reader.problem("invalid-item", path, where, "'skills' and 'hints' must be lists")
        return None
    return Item(
        id=entry["id"],
        skills=tuple(str(s) for s in skills),
        difficulty=_as_int(entry.get("difficulty")),
        prompt=str(entry["prompt"]),
        starter=str(entry["starter"]),
        solution=str(entry["solution"]),
        tests=str(entry.get("tests") or ""),
        hints=tuple(str(h) for h in hints),
        setup=str(entry.get("setup") or ""),
        variant_of=entry.get("variant_of"),
        file=reader.rel(path),
        translations=translations,
    )


def _read_checks(reader: _Reader) -> list[CheckItem]:
    """The check items of ``checks/<unit>.yaml``, each file naming its ``unit``."""
    checks = []
    for path in sorted((reader.root / "checks").glob("*.yaml")):
        data = reader.yaml(path)
        if data is None:
            continue
        unit = data.get("unit") if isinstance(data, dict) else None
        entries = data.get("checks") if isinstance(data, dict) else None
        if not isinstance(unit, str) or not isinstance(entries, list):
            reader.problem(
                "invalid-file", path, "file", "expected a mapping with a 'unit' and a 'checks' list"
            )
            continue
        for index, entry in enumerate(entries, start=1):
            if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
                reader.problem("invalid-check", path, f"check #{index}", "needs a string 'id'")
                continue
            check = _check_from_entry(reader, path, unit, entry)
            if check is not None:
                checks.append(check)
    return checks


def _check_from_entry(
    reader: _Reader, path: Path, unit: str, entry: dict[str, Any]
) -> CheckItem | None:
    where = f"check {entry['id']!r}"

    def invalid(message: str, code: str = "invalid-check") -> None:
        reader.problem(code, path, where, message)

    entry, translations, untranslatable = split_translations(entry, TRANSLATABLE["check"])
    for problem in untranslatable:
        invalid(problem, "invalid-translation")
    for unknown in sorted(set(entry) - _CHECK_KEYS):
        invalid(f"unknown key {unknown!r}")
    kind, key, options = entry.get("kind"), entry.get("key"), entry.get("options") or []
    skills, decimals = entry.get("skills") or [], entry.get("decimals", 2)
    if kind not in CHECK_KINDS:
        invalid(f"kind {kind!r} is not one of {', '.join(CHECK_KINDS)}")
        return None
    if key is None or str(key).strip() == "":
        invalid("has no key (the right answer)", "missing-key")
        return None
    if not entry.get("prompt"):
        invalid("has no prompt")
    if not isinstance(skills, list) or not all(isinstance(s, str) for s in skills):
        invalid("'skills' must be a list of skill ids")
        return None
    if not isinstance(decimals, int) or isinstance(decimals, bool) or not 0 <= decimals <= 10:
        invalid("'decimals' must be a whole number from 0 to 10")
        return None
    if kind == "choice":
        if not isinstance(options, list) or not 2 <= len(options) <= 8:
            invalid("a choice needs a list of 2 to 8 'options'")
            return None
        if str(key).strip().lower() not in option_letters(len(options)):
            letters = ", ".join(option_letters(len(options)))
            invalid(f"key {key!r} is not the letter of an option ({letters})", "key-not-an-option")
    elif options:
        invalid(f"'options' are for choice checks, not {kind}")
    if kind == "numeric" and (isinstance(key, bool) or not isinstance(key, int | float)):
        invalid(f"the key of a numeric check is a number, not {key!r}")
    if kind == "output" and not entry.get("code"):
        invalid("an output check needs the 'code' whose printed text is the key")
    if kind == "expression" and not _is_one_expression(str(key)):
        invalid(f"the key of an expression check is one line of Python, not {key!r}")
    return CheckItem(
        id=entry["id"],
        unit=unit,
        skills=tuple(skills),
        difficulty=_as_int(entry.get("difficulty")),
        kind=kind,
        prompt=str(entry.get("prompt") or ""),
        key=str(key).strip().lower() if kind == "choice" else str(key),
        options=tuple(str(o) for o in options),
        setup=str(entry.get("setup") or ""),
        code=str(entry.get("code") or ""),
        decimals=decimals,
        file=reader.rel(path),
        translations=translations,
    )


def _is_one_expression(source: str) -> bool:
    if "\n" in source.strip():
        return False
    try:
        ast.parse(source.strip(), mode="eval")
    except SyntaxError:
        return False
    return True


def _as_int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _read_units(reader: _Reader) -> tuple[Unit, ...]:
    source = reader.root / "source"
    if not source.is_dir():
        reader.problem("invalid-file", source, "folder", "missing: the nbgrader source notebooks")
        return ()
    units = []
    for folder in sorted(p for p in source.iterdir() if p.is_dir() and not p.name.startswith(".")):
        notebooks = sorted(folder.glob("*.ipynb"))
        if not (folder / f"{folder.name}.ipynb").is_file():
            reader.problem(
                "invalid-file",
                folder / f"{folder.name}.ipynb",
                "file",
                "missing: a unit's main notebook is named after its folder",
            )
        title, exercises = folder.name, []
        for notebook in notebooks:
            notebook_title, found = _read_notebook(reader, folder.name, notebook)
            if notebook.stem == folder.name:
                title = notebook_title or title
            exercises.extend(found)
        units.append(Unit(folder.name, title, tuple(notebooks), tuple(exercises)))
    return tuple(units)


@dataclass
class _ExerciseCells:
    answer: list[int] = field(default_factory=list)
    tests: list[int] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    grade_ids: list[str] = field(default_factory=list)
    answer_grade_id: str = ""
    answer_source: str = ""
    points: float = 0.0


def _read_notebook(reader: _Reader, unit: str, path: Path) -> tuple[str, list[Exercise]]:
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # nbformat raises many kinds for a broken file
        reader.problem("invalid-file", path, "file", f"not a readable notebook: {exc}")
        return "", []
    meta = nb.metadata.get("adaptive", {})
    course_id = reader.course_id
    if meta.get("course") != course_id:
        reader.problem(
            "wrong-course",
            path,
            "notebook metadata",
            f"metadata.adaptive.course is {meta.get('course')!r}, expected {course_id!r}",
        )
    if meta.get("unit", unit) != unit:
        reader.problem(
            "wrong-course",
            path,
            "notebook metadata",
            f"metadata.adaptive.unit is {meta.get('unit')!r}, expected {unit!r}",
        )
    title = ""
    grade_ids: set[str] = set()
    groups: dict[str, _ExerciseCells] = {}
    for index, cell in enumerate(nb.cells, start=1):
        if not title and cell.cell_type == "markdown":
            title = _heading(cell.source)
        where = f"cell {index}"
        for message in nbgrader_cell_problems(cell):
            reader.problem("invalid-nbgrader-metadata", path, where, message)
        grader = cell.metadata.get("nbgrader", {})
        grade_id = grader.get("grade_id", "") if isinstance(grader, dict) else ""
        if grade_id:
            where = f"cell {index} (grade_id {grade_id!r})"
            if grade_id in grade_ids:
                reader.problem(
                    "invalid-nbgrader-metadata", path, where, "duplicate grade_id in the notebook"
                )
            grade_ids.add(grade_id)
        _collect_exercise_cell(reader, path, where, index, cell, groups)
    return title, [_exercise(reader, path, unit, item, cells) for item, cells in groups.items()]


def _collect_exercise_cell(
    reader: _Reader,
    path: Path,
    where: str,
    index: int,
    cell: Any,
    groups: dict[str, _ExerciseCells],
) -> None:
    grader = cell.metadata.get("nbgrader")
    if cell.cell_type != "code" or not isinstance(grader, dict):
        return
    is_answer = grader.get("solution") is True
    is_test = grader.get("grade") is True and not is_answer
    if not (is_answer or is_test):
        return
    adaptive = cell.metadata.get("adaptive", {})
    item = adaptive.get("item") if isinstance(adaptive, dict) else None
    if not isinstance(item, str) or not item:
        reader.problem(
            "untagged-exercise", path, where, "graded cell without metadata.adaptive.item"
        )
        return
    group = groups.setdefault(item, _ExerciseCells())
    if is_answer:
        group.answer.append(index)
        group.answer_grade_id = str(grader.get("grade_id", ""))
        group.answer_source = str(cell.source)
        group.meta = {**group.meta, **adaptive}
    else:
        group.tests.append(index)
        group.grade_ids.append(str(grader.get("grade_id", "")))
        group.points += float(grader.get("points", 0))
        group.meta = {**group.meta, **{k: v for k, v in adaptive.items() if k not in group.meta}}
        if adaptive.get("skills") not in (None, group.meta.get("skills")):
            reader.problem(
                "invalid-exercise",
                path,
                where,
                f"skills differ from those of the answer cell of item {item!r}",
            )


def _exercise(reader: _Reader, path: Path, unit: str, item: str, cells: _ExerciseCells) -> Exercise:
    where = f"cell {(cells.answer or cells.tests)[0]} (item {item!r})"
    if len(cells.answer) != 1:
        reader.problem(
            "duplicate-item" if cells.answer else "invalid-exercise",
            path,
            where,
            f"item {item!r} has {len(cells.answer)} answer cells; an exercise has exactly one",
        )
    if not cells.tests:
        reader.problem("missing-tests", path, where, "graded exercise without a test cell")
    meta, translations, untranslatable = split_translations(cells.meta, TRANSLATABLE["exercise"])
    for problem in untranslatable:
        reader.problem("invalid-translation", path, where, problem)
    hints = meta.get("hints") or []
    skills = meta.get("skills") or []
    return Exercise(
        id=item,
        unit=unit,
        notebook=path.stem,
        skills=tuple(str(s) for s in skills) if isinstance(skills, list) else (),
        difficulty=_as_int(cells.meta.get("difficulty")),
        hints=tuple(str(h) for h in hints) if isinstance(hints, list) else (),
        answer_grade_id=cells.answer_grade_id,
        answer_cell=cells.answer[0] if cells.answer else 0,
        test_cells=tuple(cells.tests),
        grade_ids=tuple(cells.grade_ids),
        points=cells.points,
        reference_code=cells.answer_source,
        translations=translations,
    )


def _heading(markdown: str) -> str:
    match = re.search(r"^#+\s*(.+)$", markdown, flags=re.MULTILINE)
    return match.group(1).strip() if match else ""


def _read_misconceptions(reader: _Reader) -> tuple[Misconception, ...]:
    path = reader.root / "misconceptions.yaml"
    if not path.is_file():
        return ()
    data = reader.yaml(path)
    if data is None:
        return ()
    if not isinstance(data, dict):
        reader.problem("invalid-file", path, "file", "expected a mapping from skill id to a list")
        return ()
    found: list[Misconception] = []
    for skill, entries in data.items():
        for index, entry in enumerate(entries if isinstance(entries, list) else [None], start=1):
            where = f"skill {skill!r}, misconception #{index}"
            if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
                reader.problem("invalid-misconception", path, where, "needs a string 'id'")
                continue
            misconception = _misconception(reader, path, str(skill), entry)
            if misconception is not None:
                found.append(misconception)
    seen: set[str] = set()
    for m in found:
        if m.id in seen:
            reader.problem(
                "duplicate-misconception", path, f"misconception {m.id!r}", "id used twice"
            )
        seen.add(m.id)
    return tuple(found)


def _misconception(
    reader: _Reader, path: Path, skill: str, entry: dict[str, Any]
) -> Misconception | None:
    where = f"misconception {entry['id']!r}"
    entry, translations, untranslatable = split_translations(entry, TRANSLATABLE["misconception"])
    for problem in untranslatable:
        reader.problem("invalid-translation", path, where, problem)
    for key in sorted(set(entry) - _MISCONCEPTION_KEYS):
        reader.problem("invalid-misconception", path, where, f"unknown key {key!r}")
    errors, patterns = [], []
    for error in entry.get("errors") or []:
        if not isinstance(error, dict) or not isinstance(error.get("type"), str):
            reader.problem("invalid-misconception", path, where, "an error needs a 'type'")
            continue
        try:
            re.compile(str(error.get("message", "")))
        except re.error as exc:
            reader.problem("invalid-misconception", path, where, f"bad message regex: {exc}")
            continue
        errors.append(ErrorSignature(error["type"], str(error.get("message", ""))))
    for declared in entry.get("patterns") or []:
        match, unless = declared, list[Any]()
        if isinstance(declared, dict):
            match, unless = declared.get("match"), declared.get("unless") or []
            unless = [unless] if isinstance(unless, str) else unless
        if not isinstance(match, str) or not isinstance(unless, list):
            reader.problem(
                "invalid-misconception",
                path,
                where,
                "a pattern is a string or {match: pattern, unless: [patterns]}",
            )
            continue
        try:
            patterns.append(CodePattern.compile(match, [str(u) for u in unless]))
        except PatternError as exc:
            reader.problem("invalid-misconception", path, where, str(exc))
    if not errors and not patterns:
        reader.problem(
            "invalid-misconception", path, where, "declares neither error signatures nor patterns"
        )
    if not entry.get("feedback"):
        reader.problem("invalid-misconception", path, where, "has no feedback text")
    return Misconception(
        id=entry["id"],
        skill=skill,
        title=str(entry.get("title", entry["id"])),
        feedback=str(entry.get("feedback", "")),
        errors=tuple(errors),
        patterns=tuple(patterns),
        examples=tuple(str(e) for e in entry.get("examples") or []),
        translations=translations,
    )


def _check_duplicate_ids(
    reader: _Reader, items: list[Item], units: tuple[Unit, ...], checks: list[CheckItem]
) -> None:
    """Item ids are unique in the course: practice items, graded exercises and check items."""
    declared = [(item.id, item.file, f"item {item.id!r}") for item in items]
    for unit in units:
        for exercise in unit.exercises:
            file = reader.rel(reader.root / "source" / unit.id / f"{exercise.notebook}.ipynb")
            where = f"cell {exercise.answer_cell} (item {exercise.id!r})"
            declared.append((exercise.id, file, where))
    declared += [(check.id, check.file, f"check {check.id!r}") for check in checks]
    first: dict[str, str] = {}
    for item_id, file, where in declared:
        if item_id in first:
            reader.problems.append(
                Problem("duplicate-item", file, where, f"item id already used in {first[item_id]}")
            )
        else:
            first[item_id] = file
