"""``/adaptive/dashboard`` in the running Jupyter server: teachers only."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures.identities import token_for


@pytest.fixture
def jp_server_config(tmp_path: Path) -> dict[str, Any]:
    return {
        "ServerApp": {
            "jpserver_extensions": {"jupyter_adaptive": True, "voila.server_extension": True},
            "identity_provider_class": "tests.fixtures.identities.NamedTokenIdentityProvider",
        },
        "AdaptiveApp": {
            "db_url": f"sqlite:///{tmp_path / 'class.sqlite'}",
            "secret_file": str(tmp_path / "secret"),
            "teachers": ["teacher"],
        },
    }


async def test_a_learner_gets_403_and_a_teacher_the_dashboard(
    jp_fetch: Any, jp_serverapp: Any, tmp_path: Path
) -> None:
    codes = {}
    for who in ("learner", "teacher"):
        response = await jp_fetch(
            "adaptive",
            "dashboard",
            headers={"Authorization": f"token {token_for(who)}"},
            raise_error=False,
        )
        codes[who] = response.code
        if who == "teacher":
            page = response.body.decode()
            assert "Teacher dashboard" in page
            assert "jupyter_adaptive.dashboard.widgets import open_dashboard" not in page
        else:
            assert response.body.decode() == "The dashboard is for teachers."
    assert codes == {"learner": 403, "teacher": 200}
    # The store's URL went to the dashboard's kernel only, not into the server's environment
    # that every other kernel inherits.
    assert "JUPYTER_ADAPTIVE_DB_URL" not in os.environ
    [kernel_id] = jp_serverapp.kernel_manager.list_kernel_ids()
    env = jp_serverapp.kernel_manager.get_kernel(kernel_id)._launch_args["env"]
    assert env["JUPYTER_ADAPTIVE_DB_URL"] == f"sqlite:///{tmp_path / 'class.sqlite'}"
    # Overrides made in this dashboard are audited under the teacher's name.
    assert env["JUPYTER_ADAPTIVE_TEACHER"] == "teacher"
