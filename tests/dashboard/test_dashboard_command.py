"""``jupyter-adaptive dashboard``: loopback, a printed URL with a token, 403 without it."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from jupyter_adaptive.dashboard.seed import seed_class
from jupyter_adaptive.store import Store
from tests.fixtures.servers import free_port


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_the_dashboard_needs_its_generated_token(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'class.sqlite'}"
    seed_class(Store.open(url), learners=3, skills=2, events=30)
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter_adaptive",
            "dashboard",
            "--db-url",
            url,
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        prefix = f"teacher dashboard: http://127.0.0.1:{port}/?token="
        assert line.startswith(prefix)
        token = line.strip()[len(prefix) :]
        assert len(token) >= 24
        base = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 60
        while True:
            try:
                first = status(base)
                break
            except (ConnectionError, urllib.error.URLError):
                assert time.monotonic() < deadline, "the dashboard did not start"
                time.sleep(0.2)
        assert first == 403
        assert status(f"{base}?token=not-{token}") == 403
        assert status(f"{base}?token={token}") == 200
    finally:
        process.terminate()
        process.wait(timeout=30)
