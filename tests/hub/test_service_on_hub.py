"""The class on a real JupyterHub: learners' servers forward to the one service, which decides who
is who from the Hub; nobody reaches around it.

One Hub for the module (``hub`` fixture: deploy/jupyterhub/jupyterhub_config.py in demo mode on
PostgreSQL); each test uses the demo users it names.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures.api import attempt_event
from tests.fixtures.hub import COURSE, HubProcess, process_environ
from tests.hub.kernel_client import run_code

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
SERVICE = "/services/adaptive/api"


def attempt(**fields: Any) -> dict[str, Any]:
    """An attempt of the demo course's first unit."""
    return attempt_event(
        course=COURSE,
        unit="01_python_basics",
        item="py-basics-ticket-total",
        skills=["py-values-types"],
        **fields,
    )


@pytest.fixture(scope="module")
def tokens(hub: HubProcess) -> dict[str, str]:
    """An API token of each demo user."""
    return {name: hub.token(name) for name in ("teacher1", "student1", "student2", "student3")}


@pytest.fixture(scope="module")
def student1(hub: HubProcess, tokens: dict[str, str]) -> str:
    """student1's server is running and they consented to drafts; their token."""
    token = tokens["student1"]
    hub.start_server("student1", token)
    status, _ = hub.call(
        token, "PUT", "/user/student1/adaptive/api/consent", {"course": COURSE, "level": "drafts"}
    )
    assert status == 200
    return token


def test_an_attempt_through_the_learners_server_reaches_the_class_view(
    hub: HubProcess, tokens: dict[str, str], student1: str
) -> None:
    event = attempt(source="total_cost = 3 * 12.5")
    status, answer = hub.call(
        student1, "POST", "/user/student1/adaptive/api/events", {"events": [event]}
    )
    assert status == 200, answer
    assert answer["results"][0]["status"] == "stored"
    assert answer["results"][0]["mastery"]["py-values-types"] > 0.3

    status, mine = hub.call(student1, "GET", f"{SERVICE}/export")
    assert status == 200
    assert event["event_id"] in {e["event_id"] for e in mine["events"]}

    status, view = hub.call(tokens["teacher1"], "GET", f"{SERVICE}/class", course=COURSE)
    assert status == 200, view
    # (Other tests of the session's Hub may have given student1 more evidence.)
    rows = {r["skill"]: r for r in view["rows"] if r["learner"] == mine["learner"]}
    practised = rows["py-values-types"]
    assert practised["attempts"] >= 1 and practised["last_activity"]
    assert practised["estimate"] == pytest.approx(
        answer["results"][0]["mastery"]["py-values-types"]
    )


def test_a_check_in_runs_through_the_learners_server_in_exam_mode(
    hub: HubProcess, tokens: dict[str, str], student1: str
) -> None:
    path = "/user/student1/adaptive/api"
    status, check = hub.call(
        student1, "GET", f"{path}/check", course=COURSE, unit="01_python_basics"
    )
    assert status == 200, check
    assert check["item"] and check["cells"] and not check["done"]
    event = attempt_event(
        course=COURSE,
        unit="01_python_basics",
        item=check["item"],
        skills=check["skills"],
        check=check["check"],
    )
    status, answer = hub.call(student1, "POST", f"{path}/events", {"events": [event]})
    assert status == 200, answer
    assert set(answer["results"][0]) == {"event_id", "status", "check"}
    status, after = hub.call(
        student1, "GET", f"{path}/check", course=COURSE, unit="01_python_basics"
    )
    assert status == 200 and after["check"] == check["check"] and after["answered"] == 1
    assert after["item"] != check["item"]
    status, items = hub.call(tokens["teacher1"], "GET", f"{SERVICE}/items", course=COURSE)
    assert status == 200 and len(items["items"]) >= 60


def test_another_learner_reads_writes_and_deletes_only_their_own(
    hub: HubProcess, tokens: dict[str, str], student1: str
) -> None:
    event = attempt(source="student1's private draft")
    assert hub.call(student1, "POST", f"{SERVICE}/events", {"events": [event]})[0] == 200
    _, theirs = hub.call(student1, "GET", f"{SERVICE}/export")
    other = tokens["student2"]
    assert (
        hub.call(other, "PUT", f"{SERVICE}/consent", {"course": COURSE, "level": "drafts"})[0]
        == 200
    )

    status, export = hub.call(other, "GET", f"{SERVICE}/export")
    assert status == 200
    assert export["learner"] != theirs["learner"]
    assert "student1's private draft" not in json.dumps(export)
    _, mastery = hub.call(other, "GET", f"{SERVICE}/mastery")
    assert mastery["mastery"] == []

    # A learner's event cannot name another learner: the schema has no such field.
    smuggled = {**attempt(), "learner": theirs["learner"]}
    status, refused = hub.call(other, "POST", f"{SERVICE}/events", {"events": [smuggled]})
    assert status == 400, refused
    # Nor can they go through student1's server: the Hub's proxy and that server refuse them.
    status, _ = hub.call(
        other, "POST", "/user/student1/adaptive/api/events", {"events": [attempt()]}
    )
    assert status in (403, 404)

    assert hub.call(other, "DELETE", f"{SERVICE}/data")[0] == 200
    _, still = hub.call(student1, "GET", f"{SERVICE}/export")
    assert event["event_id"] in {e["event_id"] for e in still["events"]}


@pytest.mark.parametrize(
    ("method", "path", "body", "params"),
    [
        ("GET", "class", None, {"course": COURSE}),
        (
            "PUT",
            "override",
            {"learner": "x", "course": COURSE, "skill": "s", "value": 1, "reason": "r"},
            {},
        ),
        ("GET", "item-rules", None, {"course": COURSE}),
        (
            "PUT",
            "item-rules",
            {"course": COURSE, "item": "py-basics-ticket-total", "action": "exclude"},
            {},
        ),
        ("POST", "grades", {"course": COURSE, "grades": {}}, {}),
        ("GET", "items", None, {"course": COURSE}),
    ],
)
def test_teacher_endpoints_refuse_a_learner(
    hub: HubProcess,
    tokens: dict[str, str],
    method: str,
    path: str,
    body: Any,
    params: dict[str, str],
) -> None:
    status, answer = hub.call(tokens["student2"], method, f"{SERVICE}/{path}", body, **params)
    assert status == 403, answer
    assert "teachers" in answer["error"]


def test_the_dashboard_refuses_a_learner_by_token_and_by_cookie(
    hub: HubProcess, tokens: dict[str, str]
) -> None:
    status, _ = hub.call(tokens["student2"], "GET", "/services/adaptive/dashboard")
    assert status == 403
    browser = hub.login("student2")
    answer = browser.get(f"{hub.url}/services/adaptive/dashboard", timeout=60)
    assert answer.status_code == 403
    assert browser.get(f"{hub.url}{SERVICE}/class?course={COURSE}", timeout=30).status_code == 403


def test_jupyters_own_apis_in_the_service_serve_nobody(
    hub: HubProcess, tokens: dict[str, str]
) -> None:
    for name in ("student2", "teacher1"):
        for path in ("api/kernels", "api/contents", "api/sessions", "api/kernelspecs"):
            status, _ = hub.call(tokens[name], "GET", f"/services/adaptive/{path}")
            assert status == 403, (name, path)
        status, _ = hub.call(tokens[name], "POST", "/services/adaptive/api/kernels", {})
        assert status == 403


def test_no_credentials_reach_the_learners_server_or_its_kernels(
    hub: HubProcess, student1: str
) -> None:
    secret = (hub.state / "service" / "pseudonym_secret").read_text().strip()
    forbidden = [hub.db_url, secret, "JUPYTER_ADAPTIVE_DB_URL"]

    server = hub.server_pid("student1")
    server_env = json.dumps(process_environ(server))
    server_cmdline = Path(f"/proc/{server}/cmdline").read_text(errors="replace")
    status, kernel = hub.call(student1, "POST", "/user/student1/api/kernels", {"name": "python3"})
    assert status == 201, kernel
    printed = run_code(
        f"{hub.url}/user/student1",
        kernel["id"],
        student1,
        "import json, os\nprint(json.dumps(dict(os.environ)), os.getpid(), sep='\\n')",
    )
    kernel_env, kernel_pid = printed.strip().rsplit("\n", 1)
    kernel_proc_env = json.dumps(process_environ(int(kernel_pid)))
    config_files = "".join(
        path.read_text(errors="replace")
        for folder in (hub.state / "home" / "student1", hub.state / "etc")
        for path in folder.rglob("*.py")
    )
    for leak in forbidden:
        for where, text in (
            ("server environment", server_env),
            ("server command line", server_cmdline),
            ("kernel os.environ", kernel_env),
            ("kernel /proc environ", kernel_proc_env),
            ("learner's config files", config_files),
        ):
            assert leak not in text, f"{leak[:24]}... found in the {where}"
    assert "JUPYTER_ADAPTIVE_SERVICE_URL" in kernel_env  # the one thing they need
    hub.call(student1, "DELETE", f"/user/student1/api/kernels/{kernel['id']}")


def test_service_killed_mid_burst_loses_and_duplicates_nothing(
    hub: HubProcess, tokens: dict[str, str]
) -> None:
    token = tokens["student3"]
    hub.start_server("student3", token)
    assert (
        hub.call(token, "PUT", f"{SERVICE}/consent", {"course": COURSE, "level": "outcomes"})[0]
        == 200
    )
    events = 600
    client = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.routes.durability_client",
            f"{hub.url}/user/student3",
            token,
            str(events),
        ],
        cwd=ROOT,
    )

    def stored() -> list[str]:
        _, export = hub.call(token, "GET", f"{SERVICE}/export")
        return [e["event_id"] for e in export["events"] if e["type"] == "attempt"]

    try:
        deadline = time.monotonic() + 120
        while len(stored()) < events // 4 and time.monotonic() < deadline:
            time.sleep(0.2)
        os.kill(hub.service_pid(), signal.SIGKILL)
        assert client.poll() is None, "the kill must land mid-burst"
        # The Hub notices and restarts its managed service; the client keeps retrying.
        assert client.wait(timeout=240) == 0
    finally:
        client.kill()
    ids = stored()
    assert len(ids) == events
    assert len(set(ids)) == events


def test_a_learner_id_is_the_hub_users_whatever_the_server_says(
    hub: HubProcess, tokens: dict[str, str], student1: str
) -> None:
    # The same user by a browser-made token and by their server's forwarding: one learner.
    _, direct = hub.call(student1, "GET", f"{SERVICE}/export")
    _, forwarded = hub.call(student1, "GET", "/user/student1/adaptive/api/export")
    assert direct["learner"] == forwarded["learner"]
    # A parameter naming another user changes nothing.
    other = str(uuid.uuid4())
    status, answer = hub.call(student1, "GET", f"{SERVICE}/export", user=other)
    assert status == 200 and answer["learner"] == direct["learner"]
