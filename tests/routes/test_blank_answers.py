"""The learner's answer cell in an attempt: a blank answer is no evidence, the answer's own error
is kept (consent permitting) and named in the feedback before the tests' error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.fixtures.api import attempt_event
from tests.fixtures.courses import course_server_config

COURSE = "data-science-foundations"
BLANK = {"ename": "NotImplementedError", "evalue": ""}
#: What running the tests of exercise 1.1 shows when the answer cell itself failed.
NAME_ERROR = {"ename": "NameError", "evalue": "name 'total_cost' is not defined"}
TYPE_ERROR = {"ename": "TypeError", "evalue": "unsupported operand type(s) for +: 'int' and 'str'"}


@pytest.fixture
def jp_server_config(db_url: str, tmp_path: Path) -> dict[str, Any]:
    return course_server_config(db_url, tmp_path)


def run(**fields: Any) -> dict[str, Any]:
    fields.setdefault("outcome", "error")
    return attempt_event(
        course=COURSE,
        unit="01_python_basics",
        item="vt-average-price",
        skills=["py-values-types"],
        **fields,
    )


async def mastery(api: Any) -> dict[str, float]:
    _, answer = await api("GET", "mastery")
    return {row["skill"]: row["p_mastery"] for row in answer["mastery"]}


@pytest.mark.parametrize(
    "fields",
    [
        {"outcome": "skipped"},
        {"error": BLANK},  # an older client: the tests met the blank function
        {"error": NAME_ERROR, "answer_error": BLANK},  # the answer cell still raises
    ],
    ids=["said-skipped", "tests-blank", "answer-blank"],
)
async def test_a_blank_answer_is_stored_but_moves_nothing(api: Any, fields: dict[str, Any]) -> None:
    await api("PUT", "consent", {"course": COURSE, "level": "outcomes"})
    status, answer = await api("POST", "events", {"events": [run(**fields)]})
    assert status == 200, answer
    [result] = answer["results"]
    assert result["status"] == "stored"
    assert "mastery" not in result and "evidence" not in result
    assert result["feedback"]["kind"] == "skipped"
    assert result["feedback"]["misconceptions"] == []
    assert "NotImplementedError" in result["feedback"]["message"]
    assert await mastery(api) == {}
    _, export = await api("GET", "export")
    [stored] = [e for e in export["events"] if e["type"] == "attempt"]
    assert stored["outcome"] == "skipped"


async def test_blank_runs_are_not_failed_tries_before_the_real_answer(api: Any) -> None:
    # A hint comes on the second failed try: two blank runs and one wrong answer are one failure.
    await api("PUT", "consent", {"course": COURSE, "level": "outcomes"})
    blank = [run(outcome="skipped"), run(error=BLANK)]
    await api("POST", "events", {"events": blank})
    wrong = run(outcome="incorrect", error={"ename": "AssertionError", "evalue": ""})
    _, answer = await api("POST", "events", {"events": [wrong]})
    [result] = answer["results"]
    assert result["feedback"]["hint"] is None
    [evidence] = result["evidence"]
    assert evidence["posterior"] < evidence["prior"]


async def test_the_answer_cells_error_names_the_misconception(api: Any) -> None:
    await api("PUT", "consent", {"course": COURSE, "level": "drafts"})
    draft = "total_cost = int(n_tickets_text) + ticket_price_text\n"
    event = run(error=NAME_ERROR, answer_error=TYPE_ERROR, source=draft)
    _, answer = await api("POST", "events", {"events": [event]})
    feedback = answer["results"][0]["feedback"]
    assert feedback["kind"] == "misconception"
    assert feedback["misconceptions"][0]["id"] == "text-plus-number"
    assert feedback["misconceptions"][0]["via"] == "error"


async def test_at_outcomes_only_the_answer_errors_name_is_kept(api: Any) -> None:
    await api("PUT", "consent", {"course": COURSE, "level": "outcomes"})
    await api("POST", "events", {"events": [run(error=NAME_ERROR, answer_error=TYPE_ERROR)]})
    _, export = await api("GET", "export")
    [stored] = [e for e in export["events"] if e["type"] == "attempt"]
    assert stored["answer_error"] == {"ename": "TypeError"}
    assert stored["error"]["ename"] == "NameError"
