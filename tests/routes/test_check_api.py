"""``GET /adaptive/api/check`` (adaptive check-ins in exam mode) and ``GET /adaptive/api/items``
(teachers), against the shipped course."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from jupyter_adaptive.assessment.irt import information
from jupyter_adaptive.assessment.item_bank import ItemBank, ItemParameters, bank_path
from jupyter_adaptive.curriculum import load_course
from tests.fixtures.api import Api, attempt_event
from tests.fixtures.courses import COURSES, course_server_config
from tests.fixtures.identities import call_as, with_named_users

COURSE = "data-science-foundations"
UNIT = "02_pandas_selection"
MAX_ITEMS = 6


@pytest.fixture
def jp_server_config(db_url: str, tmp_path: Path) -> dict[str, Any]:
    return course_server_config(
        db_url, tmp_path, model_dir=str(tmp_path / "models"), check_max_items=MAX_ITEMS
    )


def answer(check: dict[str, Any], outcome: str, attempt: int = 1) -> dict[str, Any]:
    return attempt_event(
        course=COURSE,
        unit=UNIT,
        item=check["item"],
        skills=check["skills"],
        outcome=outcome,
        attempt=attempt,
        check=check["check"],
    )


async def test_the_first_item_is_the_most_informative_at_the_prior(api: Api) -> None:
    await api("PUT", "consent", {"course": COURSE, "level": "outcomes"})
    status, check = await api("GET", "check", course=COURSE, unit=UNIT)
    assert status == 200, check
    course = load_course(COURSES / COURSE)
    assert check["title"] == course.unit(UNIT).title  # what the widget's heading says
    pool = course.check_items(UNIT)
    gains = {c.id: float(information(0.0, 1.0, c.difficulty - 2.0)) for c in pool}
    assert gains[check["item"]] == max(gains.values())
    assert check["done"] is False and check["ability"] == {"theta": 0.0, "se": 1.0}
    assert "information is 0.25 at your current estimate 0.00" in check["reason"]
    roles = [cell["metadata"]["adaptive"]["role"] for cell in check["cells"]]
    assert roles == ["prompt", "answer", "tests"]
    assert {cell["metadata"]["adaptive"]["kind"] for cell in check["cells"]} == {"check"}
    again = (await api("GET", "check", course=COURSE, unit=UNIT))[1]
    assert (again["check"], again["item"]) == (check["check"], check["item"])


async def test_a_check_runs_in_exam_mode_to_its_stop_rule_and_updates_evidence_once(
    api: Api,
) -> None:
    await api("PUT", "consent", {"course": COURSE, "level": "outcomes"})
    asked = []
    status, check = await api("GET", "check", course=COURSE, unit=UNIT)
    while not check["done"]:
        asked.append(check["item"])
        outcome = "correct" if len(asked) % 3 else "incorrect"
        events = [answer(check, outcome)]
        if outcome == "incorrect":  # a second try counts for nothing
            events.append(answer(check, "correct", attempt=2))
        status, posted = await api("POST", "events", {"events": events})
        assert status == 200, posted
        for result in posted["results"]:
            assert set(result) == {"event_id", "status", "check"}
            assert result["check"] == check["check"]
        if len(asked) == 1:  # no estimate moves while the check runs
            assert (await api("GET", "mastery", course=COURSE))[1]["mastery"] == []
        status, check = await api("GET", "check", course=COURSE, unit=UNIT)
        assert status == 200, check
    assert len(asked) == len(set(asked)) == check["answered"]
    assert check["ability"]["se"] <= 0.3 or len(asked) == MAX_ITEMS
    assert check["item"] is None and check["cells"] == []
    result = check["result"]
    assert (result["right"], result["asked"]) == (len(asked) - len(asked) // 3, len(asked))
    assert result["low"] <= result["level"] <= result["high"]
    assert f"likely between {result['low']}% and {result['high']}%" in result["summary"]

    mastery = (await api("GET", "mastery", course=COURSE))[1]
    rows = [row for row in mastery["evidence"] if row["event_id"] == check["check"]]
    skills = {
        s
        for c in load_course(COURSES / COURSE).check_items(UNIT)
        if c.id in asked
        for s in c.skills
    }
    assert sorted(row["skill"] for row in rows) == sorted(skills)
    assert all("likely between" in row["reason"] for row in rows)
    assert {row["skill"] for row in mastery["mastery"]} == skills

    again = (await api("GET", "check", course=COURSE, unit=UNIT))[1]
    assert again["check"] != check["check"] and again["done"] is False


async def test_a_check_needs_consent_and_a_known_course_and_unit(api: Api) -> None:
    status, refused = await api("GET", "check", course=COURSE, unit=UNIT)
    assert status == 409 and refused["error"].endswith(".")
    await api("PUT", "consent", {"course": COURSE, "level": "outcomes"})
    for params, code in [
        ({}, 400),
        ({"course": "nope"}, 404),
        ({"course": COURSE, "unit": "9"}, 404),
    ]:
        status, error = await api("GET", "check", **params)
        assert status == code and error["error"].endswith("."), params


async def test_a_course_check_spans_units(api: Api) -> None:
    await api("PUT", "consent", {"course": COURSE, "level": "outcomes"})
    status, check = await api("GET", "check", course=COURSE)
    assert status == 200 and check["unit"] is None and check["item"]
    assert check["title"] == load_course(COURSES / COURSE).title


async def test_items_lists_calibrated_parameters_then_priors(api: Api, tmp_path: Path) -> None:
    pool = load_course(COURSES / COURSE).check_items()
    calibrated = ItemParameters(
        pool[0].id, pool[0].skills, 0.05, 0.4, 0.04, 0.3, 250, "fit", ("near-zero discrimination",)
    )
    (tmp_path / "models").mkdir()
    ItemBank(COURSE, {calibrated.item: calibrated}).write(bank_path(tmp_path / "models", COURSE))
    status, answer_ = await api("GET", "items", course=COURSE)
    assert status == 200, answer_
    items = answer_["items"]
    assert len(items) == len(pool)
    assert items[0] == {**calibrated.as_dict()}
    assert set(items[1]) >= {"item", "skills", "a", "b", "se_a", "se_b", "n", "flags"}
    assert items[1]["source"] == "prior" and items[1]["n"] == 0
    assert np.isclose(items[1]["a"], 1.0)


class TestTeachersOnly:
    @pytest.fixture
    def jp_server_config(self, jp_server_config: dict[str, Any]) -> dict[str, Any]:
        return with_named_users(jp_server_config, teachers=["teacher"])

    async def test_items_are_for_teachers_only(self, jp_fetch: Any) -> None:
        assert (await call_as(jp_fetch, "teacher", "GET", "items", course=COURSE))[0] == 200
        status, refused = await call_as(jp_fetch, "learner", "GET", "items", course=COURSE)
        assert status == 403 and "teachers" in refused["error"]
