"""nbgrader integration: grades from the gradebook become authoritative evidence of mastery."""

from .gradebook_import import ImportReport, grade_events, import_grades

__all__ = ["ImportReport", "grade_events", "import_grades"]
