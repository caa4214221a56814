"""``jupyter-adaptive service`` without a Hub: one machine, its token holder the learner and
teacher; Jupyter's own APIs still serve nobody."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.fixtures.api import attempt_event
from tests.fixtures.servers import free_port

TOKEN = "standalone-token"
COURSE = "data-science-foundations"


@pytest.fixture
def service(tmp_path: Path) -> Iterator[str]:
    """The service on loopback, storing into SQLite under ``tmp_path``; its URL."""
    port = free_port()
    log = (tmp_path / "service.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter_adaptive",
            "service",
            f"--port={port}",
            f"--db-url=sqlite:///{tmp_path / 'store.sqlite'}",
            f"--root-dir={tmp_path}",
            "--",
            f"--IdentityProvider.token={TOKEN}",
            f"--AdaptiveApp.secret_file={tmp_path / 'secret'}",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            requests.get(f"{url}/api/status", timeout=2)
            break
        except requests.ConnectionError:
            assert process.poll() is None, (tmp_path / "service.log").read_text()
            time.sleep(0.3)
    yield url
    process.terminate()
    process.wait(timeout=30)


def test_standalone_service_records_and_answers_its_owner(service: str) -> None:
    auth = {"Authorization": f"token {TOKEN}"}
    consent = {"course": COURSE, "level": "outcomes"}
    assert requests.put(f"{service}/api/consent", json=consent, headers=auth).status_code == 200
    answer = requests.post(
        f"{service}/api/events", json={"events": [attempt_event()]}, headers=auth, timeout=30
    )
    assert answer.status_code == 200, answer.text
    view = requests.get(f"{service}/api/class", params={"course": COURSE}, headers=auth).json()
    assert view["learners"] == 1

    assert requests.get(f"{service}/api/mastery").status_code == 403
    for path in ("api/contents", "api/kernels", "api/sessions"):
        assert requests.get(f"{service}/{path}", headers=auth).status_code == 403, path
