"""Bounded work and clear errors for what a request names (issue 13, item 12)."""

from __future__ import annotations

from typing import Any

import pytest

from jupyter_adaptive.recommend.catalog import CourseCatalog
from tests.fixtures.api import Api, attempt_event
from tests.fixtures.courses import COURSES

COURSE = "data-science-foundations"


@pytest.fixture
def jp_server_config(jp_server_config: dict[str, Any]) -> dict[str, Any]:
    """A server that has the shipped course."""
    adaptive = {**jp_server_config["AdaptiveApp"], "course_paths": [str(COURSES)]}
    return {**jp_server_config, "AdaptiveApp": adaptive}


async def test_skills_the_course_does_not_have_are_refused(api: Api) -> None:
    await api("PUT", "consent", {"course": COURSE, "level": "outcomes"})
    good = attempt_event(item="py-basics-ticket-total", skills=["py-values-types"])
    bad = attempt_event(skills=["py-values-types", "telepathy"])
    status, answer = await api("POST", "events", {"events": [good, bad]})
    assert status == 400
    assert "has no skill 'telepathy'" in answer["details"][0]
    _, export = await api("GET", "export")
    assert [e["type"] for e in export["events"]] == ["consent"]
    # A course this server does not have is not checked (its events are still the learner's).
    other = attempt_event(course="another-course", skills=["anything"])
    await api("PUT", "consent", {"course": "another-course", "level": "outcomes"})
    assert (await api("POST", "events", {"events": [other]}))[0] == 200


@pytest.mark.parametrize("learner", ["not-a-pseudonym", 42, ["x"], "A" * 64])
async def test_an_item_rule_for_a_learner_who_cannot_exist_is_a_400(api: Api, learner: Any) -> None:
    rule = {"course": COURSE, "item": "py-basics-ticket-total", "action": "pin", "learner": learner}
    status, answer = await api("PUT", "item-rules", rule)
    assert status == 400
    assert "pseudonym" in answer["error"]


def test_unknown_course_ids_are_not_kept(tmp_path: Any) -> None:
    catalog = CourseCatalog([COURSES])
    for index in range(1000):
        assert catalog.get(f"made-up-{index}") is None
    assert catalog.get(COURSE) is not None
    assert list(catalog._courses) == [COURSE]
