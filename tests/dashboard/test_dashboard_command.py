"""``jupyter-adaptive dashboard``: loopback, a printed URL with a token, 403 without it."""

from __future__ import annotations

from pathlib import Path

from jupyter_adaptive.dashboard.seed import seed_class
from jupyter_adaptive.store import Store
from tests.fixtures.dashboard import dashboard_process, http_status


def test_the_dashboard_needs_its_generated_token(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'class.sqlite'}"
    seed_class(Store.open(url), learners=3, skills=2, events=30)
    with dashboard_process(url) as dashboard:
        assert dashboard.printed == f"teacher dashboard: {dashboard.url}"
        assert dashboard.base.startswith("http://127.0.0.1:")
        assert len(dashboard.token) >= 24
        assert http_status(dashboard.base) == 403
        assert http_status(f"{dashboard.base}?token=not-{dashboard.token}") == 403
        assert http_status(dashboard.url) == 200


def test_a_given_token_is_used(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'class.sqlite'}"
    with dashboard_process(url, "--token", "given-token") as dashboard:
        assert dashboard.token == "given-token"
        assert http_status(f"{dashboard.base}?token=given-token") == 200
