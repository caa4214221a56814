"""From the LMS and back, on a real JupyterHub with the real jupyterhub-ltiauthenticator in LTI mode
(deploy/jupyterhub/jupyterhub_config.py, ``ADAPTIVE_HUB_LTI=1``) and a spec-following platform
double (tests/lti/platform.py): launches land where they should, forged and expired launches are
refused, and ``jupyter-adaptive lms sync`` fills the roster and posts each score once, only for
learners whose consent allows it.

One Hub and one platform for the module; each test launches the users it names.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from html import unescape
from pathlib import Path
from typing import Any

import pytest
import requests

from jupyter_adaptive.curriculum import load_course
from tests.fixtures.api import grade_event
from tests.fixtures.hub import COURSE, DEMO_UNIT, HubProcess, release_demo_course
from tests.lti.platform import LaunchSpec, Platform

SERVICE = "/services/adaptive/api"
TEACHER, LEARNER, OTHER, SILENT = "Teacher-T", "Learner-A", "learner-b", "learner-c"
#: The launches of the module's users (target links relative to the Hub); each launches once.
SPECS = {
    TEACHER: LaunchSpec(TEACHER, role="Instructor", custom={"course": COURSE}),
    # A deep link to the unit (the link's target URL), and a subgroup claim.
    LEARNER: LaunchSpec(
        LEARNER,
        target_link_uri=f"/hub/lti13/open?unit={DEMO_UNIT}",
        custom={"subgroup_section": "B1"},
    ),
    # The unit as a custom parameter.
    OTHER: LaunchSpec(OTHER, custom={"unit": DEMO_UNIT, "subgroup_section": "B2"}),
}
#: Members the LMS lists: the three who launch, one who never does, one who left.
MEMBERS = [
    {"user_id": TEACHER, "roles": ["http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"]},
    {"user_id": LEARNER, "roles": ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"]},
    {"user_id": OTHER, "roles": ["Learner"], "status": "Active"},
    {"user_id": SILENT, "roles": ["Learner"]},
    {"user_id": "learner-gone", "roles": ["Learner"], "status": "Inactive"},
]


@pytest.fixture(scope="module")
def platform() -> Iterator[Platform]:
    """The LMS double, serving the course's members."""
    double = Platform().start()
    double.members["ctx-1"] = [{"status": "Active", **member} for member in MEMBERS]
    yield double
    double.stop()


@pytest.fixture(scope="module")
def lti_hub(platform: Platform) -> Iterator[HubProcess]:
    """The Hub in LTI mode for ``platform``, with per-skill scores on for the demo course."""
    base = Path(tempfile.mkdtemp(prefix="adaptive-lti-hub-"))
    courses = release_demo_course(base / "courses")
    mode = {
        **platform.hub_env(),
        "ADAPTIVE_LMS_SKILL_SCORES": COURSE,
        "ADAPTIVE_LMS_SYNC_INTERVAL": "0",
    }
    users = tuple(member["user_id"].lower() for member in MEMBERS)
    hub = HubProcess(base, f"sqlite:///{base / 'adaptive.sqlite'}", courses, mode, users)
    platform.tool_jwks_url = f"{hub.url}/services/adaptive/lti/jwks"
    platform.redirect_uri = f"{hub.url}/hub/lti13/oauth_callback"
    hub.start()
    yield hub
    hub.stop()
    shutil.rmtree(base, ignore_errors=True)


def launch(hub: HubProcess, platform: Platform, spec: LaunchSpec) -> requests.Response:
    """A browser's launch: the platform's login initiation to the Hub, the Hub's authentication
    request to the platform, the id_token form posted back, then wherever the Hub sends it (a
    spawn-pending page waits, as its script would, for the server)."""
    spec = replace(spec, target_link_uri=hub.url + (spec.target_link_uri or "/hub/lti13/open"))
    session = requests.Session()
    answer = session.post(
        f"{hub.url}/hub/lti13/oauth_login",
        data={
            "iss": platform.issuer,
            "login_hint": spec.user_id,
            "target_link_uri": spec.target_link_uri,
            "lti_message_hint": platform.add_launch(spec),
            "client_id": platform.client_id,
            "lti_deployment_id": platform.deployment_id,
        },
        timeout=30,
    )
    assert answer.status_code == 200 and answer.url.startswith(f"{platform.url}/auth"), answer.text
    action = unescape(re.search(r'action="([^"]+)"', answer.text).group(1))  # type: ignore[union-attr]
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', answer.text))
    answer = session.post(action, data={k: unescape(v) for k, v in fields.items()}, timeout=120)
    deadline = time.monotonic() + 120
    # The pending page redirects to `next` once the server is ready.
    while "/spawn-pending/" in answer.url and time.monotonic() < deadline:
        time.sleep(1)
        answer = session.get(answer.url, timeout=60)
    answer.session = session  # type: ignore[attr-defined]
    return answer


@pytest.fixture(scope="module")
def launched(lti_hub: HubProcess, platform: Platform) -> Callable[[str], requests.Response]:
    """``launched(user)``: where ``user``'s launch (``SPECS``) landed, launching on first use."""
    answers: dict[str, requests.Response] = {}

    def landed(user: str) -> requests.Response:
        if user not in answers:
            answers[user] = launch(lti_hub, platform, SPECS[user])
        return answers[user]

    return landed


class Tokens(dict[str, str]):
    """API tokens by user, each made on first use in the user's launched browser session."""

    def __init__(self, hub: HubProcess, launched: Callable[[str], requests.Response]) -> None:
        super().__init__()
        self.hub, self.launched = hub, launched

    def __missing__(self, user: str) -> str:
        session = self.launched(user).session  # type: ignore[attr-defined]
        self[user] = token = self.hub.session_token(session, user.lower())
        return token


@pytest.fixture(scope="module")
def tokens(lti_hub: HubProcess, launched: Callable[[str], requests.Response]) -> Tokens:
    """An API token of each launched user (``SPECS``), launching them on first use."""
    return Tokens(lti_hub, launched)


def grade(unit: str, item: str, skills: list[str], score: float, maximum: float) -> dict[str, Any]:
    """A grade event as ``grading import`` sends it."""
    return grade_event(
        course=COURSE, unit=unit, item=item, skills=skills, score=score, max_score=maximum
    )


@pytest.mark.parametrize("learner", [LEARNER, OTHER])
def test_a_learner_launch_lands_in_their_server_on_the_unit(
    lti_hub: HubProcess,
    launched: Callable[[str], requests.Response],
    tokens: dict[str, str],
    learner: str,
) -> None:
    answer = launched(learner)
    name = learner.lower()
    notebook = f"{COURSE}/{DEMO_UNIT}/{DEMO_UNIT}.ipynb"
    assert answer.status_code == 200, answer.text[:500]
    assert answer.url.endswith(f"/user/{name}/lab/tree/{notebook}"), answer.url
    found = answer.session.get(  # type: ignore[attr-defined]
        f"{lti_hub.url}/user/{name}/api/contents/{notebook}", params={"content": "0"}, timeout=30
    )
    assert found.status_code == 200, found.text
    status, model = lti_hub.call(tokens[learner], "GET", "/hub/api/user")
    assert status == 200 and model["groups"] == [f"nbgrader-{COURSE}"]


def test_an_instructor_launch_opens_the_course_dashboard(
    lti_hub: HubProcess, launched: Callable[[str], requests.Response], tokens: dict[str, str]
) -> None:
    answer = launched(TEACHER)
    assert answer.status_code == 200, answer.text[:500]
    assert f"/services/adaptive/dashboard?course={COURSE}" in answer.url
    status, model = lti_hub.call(tokens[TEACHER], "GET", "/hub/api/user")
    assert status == 200 and model["groups"] == [f"formgrade-{COURSE}"]


def test_the_hub_serves_the_tool_configuration_with_the_tools_keys(lti_hub: HubProcess) -> None:
    config = requests.get(f"{lti_hub.url}/hub/lti13/config", timeout=10).json()
    assert config["target_link_uri"] == f"{lti_hub.url}/hub/lti13/open"
    assert config["oidc_initiation_url"] == f"{lti_hub.url}/hub/lti13/oauth_login"
    keys = requests.get(config["public_jwk_url"], timeout=10).json()["keys"]
    assert keys[0]["kty"] == "RSA" and keys[0]["kid"] and "d" not in keys[0]


@pytest.mark.parametrize("flaw", ["forged", "expired"])
def test_a_forged_or_expired_id_token_is_refused(
    lti_hub: HubProcess, platform: Platform, flaw: str
) -> None:
    spec = LaunchSpec("intruder", **{flaw: True})  # type: ignore[arg-type]
    answer = launch(lti_hub, platform, spec)
    assert answer.status_code in (400, 401), answer.url
    who = answer.session.get(f"{lti_hub.url}/hub/api/user", timeout=10)  # type: ignore[attr-defined]
    assert who.status_code == 403


def test_lms_sync_fills_the_roster_and_posts_each_consenting_score_once(
    lti_hub: HubProcess, platform: Platform, tokens: dict[str, str], tmp_path: Path
) -> None:
    for user in (LEARNER, OTHER):
        consent = {"course": COURSE, "level": "outcomes"}
        assert lti_hub.call(tokens[user], "PUT", f"{SERVICE}/consent", consent)[0] == 200
    exercises = load_course(lti_hub.courses / COURSE).unit(DEMO_UNIT).exercises[:2]  # type: ignore[union-attr]
    grades = {
        user.lower(): [
            grade(DEMO_UNIT, e.id, list(e.skills), score, e.points)
            for e, score in zip(exercises, (e.points for e in exercises), strict=True)
        ]
        for user in (LEARNER, OTHER)
    }
    grades[LEARNER.lower()][1]["score"] = 0.0
    status, imported = lti_hub.call(
        tokens[TEACHER], "POST", f"{SERVICE}/grades", {"course": COURSE, "grades": grades}
    )
    assert status == 200 and imported["stored"] == 4, imported
    # The other learner then withdraws consent: nothing of theirs may reach the LMS.
    assert (
        lti_hub.call(
            tokens[OTHER], "PUT", f"{SERVICE}/consent", {"course": COURSE, "level": "off"}
        )[0]
        == 200
    )

    def lms(*arguments: str) -> str:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "jupyter_adaptive",
                "lms",
                *arguments,
                f"--course={COURSE}",
                f"--service={lti_hub.url}/services/adaptive/",
                f"--token={tokens[TEACHER]}",
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    first = lms("sync")
    learner_id = LEARNER  # the platform's id, as launched (case kept)
    posted = list(platform.scores)
    assert posted and {score["userId"] for score in posted} == {learner_id}, posted
    by_item = {platform.line_items["ctx-1"][s["lineItem"]]["resourceId"]: s for s in posted}
    unit = by_item[f"unit:{DEMO_UNIT}"]
    assert unit["scoreGiven"] == exercises[0].points
    assert unit["scoreMaximum"] == sum(e.points for e in exercises)
    skills = {key for key in by_item if key.startswith("skill:")}
    assert skills and all("Mastery estimate" in by_item[key]["comment"] for key in skills)
    assert "5 members listed by the LMS" in first and "not posted" in first

    items = dict(platform.line_items["ctx-1"])
    again = lms("sync")
    assert platform.scores == posted, "a second sync posted again"
    assert platform.line_items["ctx-1"] == items
    assert f"0 scores posted, {len(posted)} unchanged" in again

    status, roster = lti_hub.call(tokens[TEACHER], "GET", f"{SERVICE}/lms/roster", course=COURSE)
    assert status == 200
    _, mine = lti_hub.call(tokens[LEARNER], "GET", f"{SERVICE}/export")
    members = {member["learner"]: member for member in roster["members"]}
    assert len(members) == len(MEMBERS)
    assert members[mine["learner"]] == {
        "learner": mine["learner"],
        "role": "learner",
        "status": "Active",
        "subgroups": {"section": "B1"},
    }
    assert sorted(m["role"] for m in members.values()) == ["learner"] * 4 + ["teacher"]
    assert LEARNER.lower() not in str(roster)
    assert any(entry["action"] == "lms_score" for entry in mine["audit"])

    # A teacher's roster file: subgroups by Hub user name (or LMS id), stored under pseudonyms.
    roster_file = tmp_path / "roster.csv"
    roster_file.write_text(f"user_id,language\n{LEARNER},es\n")
    assert "subgroups of 1 learners" in lms("roster", f"--csv={roster_file}")
    _, roster = lti_hub.call(tokens[TEACHER], "GET", f"{SERVICE}/lms/roster", course=COURSE)
    members = {member["learner"]: member for member in roster["members"]}
    assert members[mine["learner"]]["subgroups"] == {"language": "es"}
