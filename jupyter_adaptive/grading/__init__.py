"""nbgrader integration: grades from the gradebook become authoritative evidence of mastery."""

from .gradebook_import import (
    ImportReport,
    checked_grades,
    grade_events,
    import_grades,
    keyed_grade_id,
    record_grades,
)

__all__ = [
    "ImportReport",
    "checked_grades",
    "grade_events",
    "import_grades",
    "keyed_grade_id",
    "record_grades",
]
