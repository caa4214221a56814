"""The courses a server offers, by id, read once from its course folders."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Sequence
from pathlib import Path

from ..curriculum import Course, read_course

__all__ = ["CourseCatalog"]

_log = logging.getLogger(__name__)
_COURSE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


class CourseCatalog:
    """Finds ``<folder>/<course id>/`` in the given folders (first match wins) and keeps it.

    Only courses found are kept: requests naming made-up courses cost a look in each folder, not
    memory that grows with every name sent.
    """

    def __init__(self, folders: Sequence[str | Path]) -> None:
        self.folders = [Path(folder) for folder in folders]
        self._lock = threading.Lock()
        self._courses: dict[str, Course] = {}

    def get(self, course_id: str) -> Course | None:
        """The course with this id, or None when no folder holds it."""
        with self._lock:
            if course_id not in self._courses:
                course = self._read(course_id)
                if course is None:
                    return None
                self._courses[course_id] = course
            return self._courses[course_id]

    def skill_name(self, course_id: str, skill: str) -> str:
        """What learners read for a skill: its name in the current language (``name_es``, ...),
        or its id when the course or the skill is not installed here."""
        course = self.get(course_id)
        found = course.skills.get(skill) if course is not None else None
        return str(found.localized("name")) if found is not None else skill

    def _read(self, course_id: str) -> Course | None:
        if not _COURSE_ID.fullmatch(course_id):
            return None
        for folder in self.folders:
            path = folder / course_id
            if (path / "skills.yaml").is_file():
                course, problems = read_course(path)
                if problems:
                    _log.warning(
                        "jupyter_adaptive: course %s has %d problem(s); run "
                        "`jupyter-adaptive course validate %s`",
                        course_id,
                        len(problems),
                        path,
                    )
                return course
        return None
