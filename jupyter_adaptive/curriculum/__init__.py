"""Courses: the skill graph, the graded nbgrader units, the practice item pool, the misconceptions.

Reads ``courses/<course>/`` into plain objects and validates it. Imports nothing from the Jupyter
server or tornado. Typical use::

    course = load_course("courses/data-science-foundations")
    item = course.items_for_skill("pd-loc-iloc")[0]
    cells = item.cells()              # nbformat cells to insert for practice
    checks = course.check_items("01_python_basics")  # a unit's check items for a check-in
    problems = validate_course(path)  # [] when the course is sound
"""

from .check_items import CHECK_KINDS, CheckItem
from .code_patterns import CodePattern, PatternError
from .loader import read_course
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
from .validate import MIN_HINTS, check_course, load_course, validate_course

__all__ = [
    "CHECK_KINDS",
    "MIN_HINTS",
    "CheckItem",
    "CodePattern",
    "Course",
    "ErrorSignature",
    "Exercise",
    "Item",
    "Misconception",
    "PatternError",
    "Problem",
    "Skill",
    "Targets",
    "Unit",
    "check_course",
    "load_course",
    "read_course",
    "validate_course",
]
