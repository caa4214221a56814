"""``GET /adaptive/api/class``: estimates per learner and skill, for teachers' scripts."""

from __future__ import annotations

from typing import Any

from tests.fixtures.api import Api, attempt_event

COURSE = "data-science-foundations"


async def test_the_owner_reads_each_learner_skill_estimate_attempts_and_activity(api: Api) -> None:
    assert (await api("PUT", "consent", {"course": COURSE, "level": "outcomes"}))[0] == 200
    events = [
        attempt_event(skills=["groupby", "aggregation"]),
        attempt_event(skills=["groupby"], outcome="incorrect"),
    ]
    status, posted = await api("POST", "events", {"events": events})
    assert status == 200

    status, view = await api("GET", "class", course=COURSE)
    assert status == 200
    assert view["course"] == COURSE and view["learners"] == 1
    rows: dict[str, dict[str, Any]] = {row["skill"]: row for row in view["rows"]}
    assert set(rows) == {"aggregation", "groupby"}
    assert rows["groupby"]["attempts"] == 2 and rows["aggregation"]["attempts"] == 1
    assert rows["groupby"]["estimate"] == posted["results"][1]["mastery"]["groupby"]
    assert rows["groupby"]["last_activity"].startswith("20")


async def test_a_course_is_required(api: Api) -> None:
    status, answer = await api("GET", "class")
    assert status == 400 and "course" in answer["error"]
