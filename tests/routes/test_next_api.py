"""``GET /adaptive/api/next``, feedback and next in attempt results, and teachers' item rules,
against the shipped course."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures.api import attempt_event
from tests.fixtures.courses import course_server_config
from tests.fixtures.identities import status_as, with_named_users

COURSE = "data-science-foundations"


@pytest.fixture
def jp_server_config(db_url: str, tmp_path: Path) -> dict[str, Any]:
    return course_server_config(db_url, tmp_path)


def practice(item: str, skill: str, **fields: Any) -> dict[str, Any]:
    return attempt_event(
        course=COURSE, unit="01_python_basics", item=item, skills=[skill], **fields
    )


async def test_next_starts_a_new_learner_at_the_root_of_the_skill_graph(api: Any) -> None:
    status, answer = await api("GET", "next", course=COURSE)
    assert status == 200, answer
    assert set(answer) >= {"item", "skills", "reason", "cells"}
    assert answer["skills"] == ["py-values-types"]
    assert "not mastered yet" in answer["reason"]
    roles = [cell["metadata"]["adaptive"]["role"] for cell in answer["cells"]]
    assert roles == ["prompt", "answer", "tests"]
    assert all(cell["metadata"]["adaptive"]["item"] == answer["item"] for cell in answer["cells"])


async def test_next_errors_are_one_clear_sentence(api: Any) -> None:
    cases = [({}, 400), ({"course": "nope"}, 404), ({"course": COURSE, "unit": "99_x"}, 404)]
    for params, code in cases:
        status, answer = await api("GET", "next", **params)
        assert status == code and answer["error"].endswith("."), params


async def test_an_attempt_result_carries_feedback_and_next(api: Any) -> None:
    await api("PUT", "consent", {"course": COURSE, "level": "drafts"})
    draft = 'quantity = "4"\ntotal = quantity + 1\n'
    error = {"ename": "TypeError", "evalue": 'can only concatenate str (not "int") to str'}
    event = practice(
        "vt-average-price", "py-values-types", outcome="error", error=error, source=draft
    )
    status, answer = await api("POST", "events", {"events": [event]})
    assert status == 200, answer
    [result] = answer["results"]
    assert result["feedback"]["kind"] == "misconception"
    assert result["feedback"]["misconceptions"][0]["id"] == "text-plus-number"
    # The result names the next exercise; its cells and reason come from `GET next` on demand.
    assert set(result["next"]) == {"item", "skills"}
    assert result["next"]["item"] not in (None, "vt-average-price")
    _, following = await api("GET", "next", course=COURSE, unit="01_python_basics")
    assert following["item"] == result["next"]["item"]
    assert "not a repeat of `vt-average-price`" in following["reason"]


async def test_answers_are_gzipped_for_clients_that_accept_it(jp_fetch: Any) -> None:
    for encoding, expected in (("gzip, deflate", "gzip"), ("identity", None)):
        response = await jp_fetch(
            "adaptive",
            "api",
            "next",
            params={"course": COURSE},
            headers={"Accept-Encoding": encoding},
            decompress_response=False,
        )
        assert response.headers.get("Content-Encoding") == expected
        assert "Accept-Encoding" in response.headers["Vary"]
        body = gzip.decompress(response.body) if expected else response.body
        assert json.loads(body)["cells"]


async def test_a_hint_comes_on_the_second_failed_try_not_the_first(api: Any) -> None:
    await api("PUT", "consent", {"course": COURSE, "level": "outcomes"})
    hints = []
    for attempt in (1, 2):
        event = practice("vt-format-label", "py-values-types", outcome="incorrect", attempt=attempt)
        _, answer = await api("POST", "events", {"events": [event]})
        hints.append(answer["results"][0]["feedback"]["hint"])
    assert hints[0] is None
    assert hints[1] is not None and hints[1]["index"] == 0


async def test_drafts_are_read_only_with_consent_to_drafts(api: Any) -> None:
    draft = "hours = int(136 / 60)\n"
    found = {}
    for level in ("outcomes", "drafts"):
        await api("PUT", "consent", {"course": COURSE, "level": level})
        event = practice(
            "vt-minutes-to-hours", "py-values-types", outcome="incorrect", source=draft
        )
        _, answer = await api("POST", "events", {"events": [event]})
        found[level] = [m["id"] for m in answer["results"][0]["feedback"]["misconceptions"]]
    assert found == {"outcomes": [], "drafts": ["true-division-for-whole"]}


async def test_mastered_skills_get_no_more_practice(api: Any) -> None:
    await api("PUT", "consent", {"course": COURSE, "level": "outcomes"})
    items = ["vt-average-price", "vt-format-label", "vt-minutes-to-hours", "vt-average-price-v2"]
    events = [practice(item, "py-values-types", outcome="correct") for item in items]
    _, answer = await api("POST", "events", {"events": events})
    assert answer["results"][-1]["mastery"]["py-values-types"] >= 0.95
    _, after = await api("GET", "next", course=COURSE)
    assert after["item"] is not None and "py-values-types" not in after["skills"]


async def test_teachers_pin_and_exclude_items(api: Any) -> None:
    _, me = await api("GET", "export")
    pin = {"course": COURSE, "item": "group-mean", "action": "pin", "learner": me["learner"]}
    assert (await api("PUT", "item-rules", pin))[0] == 200
    _, pinned = await api("GET", "next", course=COURSE)
    assert pinned["item"] == "group-mean" and "teacher pinned" in pinned["reason"]
    assert (
        await api("DELETE", "item-rules", course=COURSE, item="group-mean", learner=me["learner"])
    )[1] == {"deleted": 1}

    _, first = await api("GET", "next", course=COURSE)
    exclude = {"course": COURSE, "item": first["item"], "action": "exclude", "learner": None}
    assert (await api("PUT", "item-rules", exclude))[0] == 200
    _, other = await api("GET", "next", course=COURSE)
    assert other["item"] != first["item"]
    _, listed = await api("GET", "item-rules", course=COURSE)
    assert [(r["item"], r["action"], r["learner"]) for r in listed["rules"]] == [
        (first["item"], "exclude", None)
    ]


async def test_bad_item_rules_are_clear_errors(api: Any) -> None:
    cases = [
        ({"course": COURSE, "item": "group-mean", "action": "star"}, 400),
        ({"course": COURSE, "item": "no-such-item", "action": "pin"}, 404),
        ({"course": COURSE}, 400),
    ]
    for body, code in cases:
        status, answer = await api("PUT", "item-rules", body)
        assert status == code and answer["error"], body


class TestLearnersCannotSetItemRules:
    @pytest.fixture
    def jp_server_config(self, jp_server_config: dict[str, Any]) -> dict[str, Any]:
        """The module's server, with named users of whom only "teacher" is a teacher."""
        return with_named_users(jp_server_config, teachers=["teacher"])

    async def test_only_teachers_set_item_rules(self, jp_fetch: Any) -> None:
        body = {"course": COURSE, "item": "group-mean", "action": "exclude"}
        codes = {
            who: await status_as(jp_fetch, who, "PUT", "item-rules", body)
            for who in ("learner", "teacher")
        }
        assert codes == {"learner": 403, "teacher": 200}


async def test_a_gzipped_batch_is_read_and_broken_gzip_is_refused(api: Any, jp_fetch: Any) -> None:
    await api("PUT", "consent", {"course": COURSE, "level": "outcomes"})
    event = practice("vt-average-price", "py-values-types", outcome="correct")
    batch = json.dumps({"events": [event]}).encode()
    answers = []
    for body in (gzip.compress(batch), batch[:50]):
        response = await jp_fetch(
            "adaptive",
            "api",
            "events",
            method="POST",
            body=body,
            headers={"Content-Encoding": "gzip", "Content-Type": "application/json"},
            raise_error=False,
        )
        answers.append((response.code, json.loads(response.body)))
    assert answers[0][0] == 200 and answers[0][1]["results"][0]["status"] == "stored", answers
    assert answers[1] == (400, {"error": "The request body is not valid gzip.", "details": []})


async def test_the_widget_view_keeps_what_the_labextension_shows(api: Any) -> None:
    await api("PUT", "consent", {"course": COURSE, "level": "outcomes"})
    event = practice("vt-format-label", "py-values-types", outcome="incorrect")
    status, answer = await api("POST", "events", {"events": [event]}, view="widget")
    assert status == 200, answer
    [result] = answer["results"]
    assert set(result) == {"event_id", "status", "mastery", "evidence", "skill_names", "feedback"}
    assert set(result["feedback"]) == {"kind", "message"}
    [estimate] = result["mastery"].values()
    assert estimate == round(estimate, 4) == result["evidence"][0]["posterior"]
    status, answer = await api("POST", "events", {"events": [event]}, view="everything")
    assert status == 400 and "`view`" in answer["error"]
