"""Teachers' observations (issue 14, item 3b): an oral defense or work seen in class, scored, moves
the learner's estimate as documented evidence, shows in their panel and export, can be appealed;
learners cannot record them, nor post them as events."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from jupyter_adaptive.mastery import SkillParams, posterior_after
from jupyter_adaptive.store import Store
from jupyter_adaptive.store.models import AuditEntry
from tests.fixtures.courses import course_server_config
from tests.fixtures.identities import call_as, with_named_users

COURSE = "data-science-foundations"
SKILL = "py-functions"


@pytest.fixture
def jp_server_config(db_url: str, tmp_path: Path) -> dict[str, Any]:
    config = course_server_config(db_url, tmp_path)
    return with_named_users(config, teachers=["teacher"])


async def learner_id(jp_fetch: Any) -> str:
    await call_as(jp_fetch, "ana", "PUT", "consent", {"course": COURSE, "level": "outcomes"})
    _, me = await call_as(jp_fetch, "ana", "GET", "export")
    return str(me["learner"])


def observation(learner: str, **change: Any) -> dict[str, Any]:
    body = {
        "learner": learner,
        "course": COURSE,
        "skill": SKILL,
        "kind": "oral_defense",
        "score": 4,
        "max_score": 4,
        "note": "Explained why return hands the value back.",
    }
    return {**body, **change}


async def test_an_oral_defense_moves_the_estimate_and_the_learner_reads_why(
    jp_fetch: Any, db_url: str
) -> None:
    learner = await learner_id(jp_fetch)
    status, answer = await call_as(
        jp_fetch, "teacher", "POST", "observations", observation(learner)
    )
    assert status == 200, answer
    assert answer["after"] > answer["before"]
    assert "weighed as 2 answers" in answer["reason"]

    _, mastery = await call_as(jp_fetch, "ana", "GET", "mastery", course=COURSE)
    [estimate] = [m for m in mastery["mastery"] if m["skill"] == SKILL]
    assert estimate["p_mastery"] == pytest.approx(answer["after"])
    [evidence] = [e for e in mastery["evidence"] if e["skill"] == SKILL]
    reason = evidence["reason"]
    # Full marks weigh as two right answers (the documented default) with the skill's parameters.
    params = SkillParams(**evidence["params"])
    once = posterior_after(answer["before"], True, params)
    assert answer["after"] == pytest.approx(posterior_after(once, True, params))
    assert "an oral defense 4 of 4 on `Writing functions`" in reason  # the skill by its name
    assert "Explained why return hands the value back." in reason
    _, export = await call_as(jp_fetch, "ana", "GET", "export")
    [stored] = [e for e in export["events"] if e["type"] == "observation"]
    assert (stored["kind"], stored["score"], stored["skills"]) == ("oral_defense", 4, [SKILL])
    assert stored["event_id"] == answer["event_id"]

    # The learner can appeal it like any estimate.
    appeal = {
        "event_id": str(uuid.uuid4()),
        "schema_version": 1,
        "type": "appeal",
        "client_time": "2026-12-02T10:00:00Z",
        "course": COURSE,
        "skills": [SKILL],
        "message": "I was nervous; ask me again.",
    }
    status, _ = await call_as(jp_fetch, "ana", "POST", "events", {"events": [appeal]})
    assert status == 200

    store = Store.open(db_url, migrate=False)
    with store.transaction() as session:
        [entry] = session.scalars(select(AuditEntry).where(AuditEntry.action == "observation"))
        assert (entry.actor, entry.learner_id, entry.skill) == ("teacher", learner, SKILL)
        assert entry.new_value == pytest.approx(answer["after"])
    store.close()


async def test_no_marks_lower_the_estimate(jp_fetch: Any) -> None:
    learner = await learner_id(jp_fetch)
    body = observation(learner, kind="observation", score=0, note="Could not start the loop.")
    status, answer = await call_as(jp_fetch, "teacher", "POST", "observations", body)
    assert status == 200, answer
    assert answer["after"] < answer["before"]


async def test_learners_cannot_record_observations(jp_fetch: Any) -> None:
    learner = await learner_id(jp_fetch)
    status, _ = await call_as(jp_fetch, "ana", "POST", "observations", observation(learner))
    assert status == 403
    event = {
        "event_id": str(uuid.uuid4()),
        "schema_version": 1,
        "type": "observation",
        "client_time": "2026-12-02T10:00:00Z",
        "course": COURSE,
        "skills": [SKILL],
        "kind": "oral_defense",
        "score": 4,
        "max_score": 4,
        "message": "I defended it brilliantly.",
    }
    status, answer = await call_as(jp_fetch, "ana", "POST", "events", {"events": [event]})
    assert status == 400
    assert "observations are recorded by teachers" in answer["details"][0]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"skill": "no-such-skill"}, "has no skill 'no-such-skill'"),
        ({"kind": "rumour"}, "kind is one of oral_defense, observation"),
        ({"score": 5}, "between 0 and max_score"),
        ({"max_score": 0}, "between 0 and max_score"),
        ({"note": "  "}, "needs a note"),
        ({"learner": "not-a-pseudonym"}, ""),
        ({"learner": "c" * 64}, "check the pseudonym"),
    ],
)
async def test_bad_observations_are_clear_400s(
    jp_fetch: Any, change: dict[str, Any], message: str
) -> None:
    learner = await learner_id(jp_fetch)
    body = {**observation(learner), **change}
    status, answer = await call_as(jp_fetch, "teacher", "POST", "observations", body)
    assert status == 400, answer
    assert message in answer["error"]
    _, export = await call_as(jp_fetch, "ana", "GET", "export")
    assert not [e for e in export["events"] if e["type"] == "observation"]


async def test_a_learner_who_chose_off_gets_no_observation(jp_fetch: Any) -> None:
    learner = await learner_id(jp_fetch)
    await call_as(jp_fetch, "ana", "PUT", "consent", {"course": COURSE, "level": "off"})
    status, answer = await call_as(
        jp_fetch, "teacher", "POST", "observations", observation(learner)
    )
    assert status == 409, answer
    assert "nothing recorded" in answer["error"]
