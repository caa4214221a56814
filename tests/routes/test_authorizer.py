"""A deployment's jupyter_server Authorizer governs the API (issue 13, item 11): here one that
makes it read-only and keeps the teacher endpoints closed."""

from __future__ import annotations

from typing import Any

import pytest
from jupyter_server.auth.authorizer import Authorizer

from jupyter_adaptive.routes import AUTH_RESOURCE
from tests.fixtures.api import Api, attempt_event

COURSE = "data-science-foundations"


class ReadOnlyLearnerAPI(Authorizer):
    """Reading the learner API only."""

    def is_authorized(self, handler: Any, user: Any, action: str, resource: str) -> bool:
        return resource == AUTH_RESOURCE and action == "read"


@pytest.fixture
def jp_server_config(jp_server_config: dict[str, Any]) -> dict[str, Any]:
    server = {
        **jp_server_config["ServerApp"],
        "authorizer_class": f"{__name__}.{ReadOnlyLearnerAPI.__name__}",
    }
    return {**jp_server_config, "ServerApp": server}


async def test_the_authorizer_decides_what_the_api_allows(api: Api) -> None:
    assert (await api("GET", "mastery"))[0] == 200
    assert (await api("GET", "consent", course=COURSE))[0] == 200
    assert (await api("PUT", "consent", {"course": COURSE, "level": "drafts"}))[0] == 403
    assert (await api("POST", "events", {"events": [attempt_event()]}))[0] == 403
    assert (await api("DELETE", "data"))[0] == 403
    # The owner teaches, but the teacher endpoints are another resource, not allowed here.
    assert (await api("GET", "class", course=COURSE))[0] == 403
    _, export = await api("GET", "export")
    assert export["events"] == []
