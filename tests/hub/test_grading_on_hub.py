"""nbgrader on the demo Hub: the teacher releases the demo unit through the exchange, student1
submits it, the teacher collects and autogrades it, and ``jupyter-adaptive grading import
--service`` brings the grades into the service from the teacher's own server, which holds no
secret. Every command runs in a kernel of the user's own server, as they would in a terminal."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.fixtures.hub import COURSE, DEMO_UNIT, HubProcess
from tests.hub.kernel_client import run_code

pytestmark = pytest.mark.postgres

SHELL = """
import json, subprocess
result = subprocess.run({command!r}, shell=True, cwd={cwd!r}, capture_output=True, text=True)
print(json.dumps([result.returncode, result.stdout[-3000:], result.stderr[-3000:]]))
"""


def shell(hub: HubProcess, user: str, token: str, command: str, cwd: str = ".") -> str:
    """Run a shell command in a new kernel of ``user``'s server; fail with its output if it
    fails; return its standard output."""
    status, kernel = hub.call(token, "POST", f"/user/{user}/api/kernels", {"name": "python3"})
    assert status == 201, kernel
    try:
        printed = run_code(
            f"{hub.url}/user/{user}", kernel["id"], token, SHELL.format(command=command, cwd=cwd)
        )
    finally:
        hub.call(token, "DELETE", f"/user/{user}/api/kernels/{kernel['id']}")
    code, out, err = json.loads(printed.strip().splitlines()[-1])
    assert code == 0, f"{command} failed ({code}):\n{out}\n{err}"
    return str(out) + str(err)


def class_rows(hub: HubProcess, teacher: str, export: dict[str, Any]) -> list[dict[str, Any]]:
    """The class view's rows of the learner whose ``export`` this is."""
    status, view = hub.call(teacher, "GET", "/services/adaptive/api/class", course=COURSE)
    assert status == 200, view
    return [row for row in view["rows"] if row["learner"] == export["learner"]]


def test_release_submit_collect_autograde_and_import_on_the_hub(hub: HubProcess) -> None:
    teacher, student = hub.token("teacher1"), hub.token("student1")
    hub.start_server("teacher1", teacher)
    hub.start_server("student1", student)

    shell(hub, "teacher1", teacher, f"nbgrader generate_assignment {DEMO_UNIT} --force", COURSE)
    shell(hub, "teacher1", teacher, f"nbgrader release_assignment {DEMO_UNIT} --force", COURSE)
    listed = shell(hub, "student1", student, "nbgrader list")
    assert DEMO_UNIT in listed
    shell(hub, "student1", student, f"nbgrader submit {DEMO_UNIT}")

    shell(hub, "teacher1", teacher, f"nbgrader collect {DEMO_UNIT}", COURSE)
    assert (
        hub.state / "home" / "teacher1" / COURSE / "submitted" / "student1" / DEMO_UNIT
    ).is_dir()
    shell(hub, "teacher1", teacher, f"nbgrader autograde {DEMO_UNIT}", COURSE)
    # Grades of learners never asked for consent are skipped (the deployment's default).
    consent = {"course": COURSE, "level": "outcomes"}
    assert hub.call(student, "PUT", "/services/adaptive/api/consent", consent)[0] == 200
    # Other tests on the session's Hub may leave student1 estimates: the import must not move them.
    before = class_rows(hub, teacher, hub.call(student, "GET", "/services/adaptive/api/export")[1])

    imported = shell(
        hub,
        "teacher1",
        teacher,
        'jupyter-adaptive grading import --course . --service "$JUPYTER_ADAPTIVE_SERVICE_URL"',
        COURSE,
    )
    assert "grade events stored" in imported and "from 1 learners" in imported, imported

    _, export = hub.call(student, "GET", "/services/adaptive/api/export")
    grades = [e for e in export["events"] if e["type"] == "grade"]
    assert grades and {g["unit"] for g in grades} == {DEMO_UNIT}
    # The student submitted the release untouched: every exercise was left blank, so every grade is
    # stored as skipped and moves no estimate.
    assert {g.get("outcome") for g in grades} == {"skipped"}
    assert class_rows(hub, teacher, export) == before

    # Importing again changes nothing: the same grades are duplicates.
    again = shell(
        hub,
        "teacher1",
        teacher,
        'jupyter-adaptive grading import --course . --service "$JUPYTER_ADAPTIVE_SERVICE_URL"',
        COURSE,
    )
    assert f"0 grade events stored, {len(grades)} already there" in again
