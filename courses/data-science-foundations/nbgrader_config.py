"""nbgrader configuration of the Data Science Foundations course.

Run nbgrader commands from this folder, e.g. ``nbgrader generate_assignment 01_python_basics``.
"""

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

c.CourseDirectory.course_id = "data-science-foundations"
c.CourseDirectory.root = "."
# Data files next to each notebook (CSV) are released with it and kept with submissions.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]
# Grades are kept in gradebook.db next to this file (git-ignored); the adaptive store imports them.
c.ExecutePreprocessor.timeout = 60
