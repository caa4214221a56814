"""Teacher overrides: the estimate is set with a reason, updates continue from it, the audit log
keeps both values; learners cannot override."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from jupyter_adaptive.mastery import DEFAULT_PARAMS, posterior_after
from jupyter_adaptive.store import Store
from jupyter_adaptive.store.models import AuditEntry
from tests.fixtures.api import attempt_event
from tests.fixtures.identities import status_as, with_named_users

COURSE = "data-science-foundations"


async def test_override_sets_the_estimate_and_updates_continue_from_it(
    api: Any, db_url: str
) -> None:
    await api("PUT", "consent", {"course": COURSE, "level": "outcomes"})
    _, first = await api("POST", "events", {"events": [attempt_event(outcome="incorrect")]})
    model_value = first["results"][0]["mastery"]["groupby"]
    _, me = await api("GET", "export")
    body = {
        "learner": me["learner"],
        "course": COURSE,
        "skill": "groupby",
        "value": 0.9,
        "reason": "showed it in the oral exam",
    }
    status, answer = await api("PUT", "override", body)
    assert status == 200, answer
    assert answer["before"] == pytest.approx(model_value)
    assert "showed it in the oral exam" in answer["reason"]

    _, after = await api("POST", "events", {"events": [attempt_event(attempt=2)]})
    assert after["results"][0]["mastery"]["groupby"] == pytest.approx(
        posterior_after(0.9, True, DEFAULT_PARAMS)
    )
    _, mastery = await api("GET", "mastery", course=COURSE)
    reasons = [e["reason"] for e in mastery["evidence"]]
    assert any("your teacher set `groupby` to 0.90" in reason for reason in reasons)

    store = Store.open(db_url, migrate=False)
    with store.transaction() as session:
        [entry] = session.scalars(select(AuditEntry).where(AuditEntry.action == "override"))
        assert (entry.old_value, entry.new_value) == (pytest.approx(model_value), 0.9)
        assert entry.reason == "showed it in the oral exam"
    store.close()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"value": 1.5}, "between 0 and 1"),
        ({"reason": " "}, "needs a reason"),
        ({"value": "x"}, ""),
    ],
)
async def test_bad_overrides_are_clear_400s(api: Any, change: dict[str, Any], message: str) -> None:
    body = {
        "learner": "b" * 64,
        "course": COURSE,
        "skill": "s",
        "value": 0.5,
        "reason": "r",
        **change,
    }
    status, answer = await api("PUT", "override", body)
    assert status == 400
    assert message in answer["error"]


class TestLearnersCannotOverride:
    @pytest.fixture
    def jp_server_config(self, jp_server_config: dict[str, Any]) -> dict[str, Any]:
        return with_named_users(jp_server_config, teachers=["teacher"])

    async def test_only_teachers_override(self, jp_fetch: Any) -> None:
        body = {"learner": "b" * 64, "course": COURSE, "skill": "s", "value": 1.0, "reason": "r"}
        codes = {
            who: await status_as(jp_fetch, who, "PUT", "override", body)
            for who in ("learner", "teacher")
        }
        assert codes == {"learner": 403, "teacher": 200}
