"""What every view of one dashboard shares: the recorder, the course, the teacher and the names."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...recording import Recorder
from ...store import Store
from ..names import Names

if TYPE_CHECKING:
    from ...curriculum import Course
    from ...mastery.course_models import CourseModels
    from ...recommend.advisor import Advisor

__all__ = ["ALL", "ViewContext"]

#: The dropdown entry that keeps every unit or skill.
ALL = "(all)"


@dataclass(frozen=True)
class ViewContext:
    """The course a dashboard shows, who acts on it, and how it names things."""

    recorder: Recorder
    course: str
    teacher: str
    names: Names
    models: CourseModels
    curriculum: Course | None = None
    #: What the learners are recommended (only with the course's folder).
    advisor: Advisor | None = None

    @property
    def store(self) -> Store:
        """The store every view-model reads."""
        return self.recorder.store
