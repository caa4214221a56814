"""Teacher overrides: the estimate is set with a reason, updates continue from it, the audit log
keeps both values; learners cannot override."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from jupyter_adaptive.mastery import DEFAULT_PARAMS, posterior_after
from jupyter_adaptive.store import Store
from jupyter_adaptive.store.models import AuditEntry
from tests.fixtures.api import attempt_event
from tests.fixtures.identities import token_for

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
    body = {"learner": "x", "course": COURSE, "skill": "s", "value": 0.5, "reason": "r", **change}
    status, answer = await api("PUT", "override", body)
    assert status == 400
    assert message in answer["error"]


class TestLearnersCannotOverride:
    @pytest.fixture
    def jp_server_config(self, db_url: str, tmp_path: Path) -> dict[str, Any]:
        return {
            "ServerApp": {
                "jpserver_extensions": {"jupyter_adaptive": True},
                "identity_provider_class": "tests.fixtures.identities.NamedTokenIdentityProvider",
            },
            "AdaptiveApp": {
                "db_url": db_url,
                "secret_file": str(tmp_path / "secret"),
                "teachers": ["teacher"],
            },
        }

    async def test_only_teachers_override(self, jp_fetch: Any) -> None:
        body = {"learner": "x", "course": COURSE, "skill": "s", "value": 1.0, "reason": "r"}
        codes = {}
        for who in ("learner", "teacher"):
            response = await jp_fetch(
                "adaptive",
                "api",
                "override",
                method="PUT",
                body=json.dumps(body),
                headers={"Authorization": f"token {token_for(who)}"},
                raise_error=False,
            )
            codes[who] = response.code
        assert codes == {"learner": 403, "teacher": 200}
