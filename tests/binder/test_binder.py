"""binder/'s steps in a fresh virtual environment: the extension ends up enabled and the course's
first unit opens in JupyterLab."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures.http import send
from tests.fixtures.servers import ServerProcess

ROOT = Path(__file__).resolve().parents[2]
FIRST_UNIT = "courses/data-science-foundations/release/01_python_basics/01_python_basics.ipynb"


def tracked_copy(destination: Path) -> Path:
    """The repository's tracked files, as Binder sees a clone."""
    files = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    for name in filter(None, files):
        source = ROOT / name.decode()
        if source.is_file():
            target = destination / name.decode()
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return destination


@pytest.mark.timeout(1500)
def test_postbuild_in_a_fresh_venv_enables_the_extension_and_opens_the_course(
    tmp_path: Path,
) -> None:
    repo = tracked_copy(tmp_path / "repo")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = {**os.environ, "PATH": f"{venv / 'bin'}:{os.environ['PATH']}", "VIRTUAL_ENV": str(venv)}
    env.pop("PYTHONPATH", None)
    build = subprocess.run(
        ["bash", "binder/postBuild"], cwd=repo, env=env, capture_output=True, text=True
    )
    log = "\n".join(
        line for line in (build.stdout + build.stderr).splitlines() if "Location 'file:" not in line
    )
    assert build.returncode == 0, log[-5000:]

    def listing(kind: str) -> str:
        result = subprocess.run(
            [
                str(venv / "bin" / "jupyter"),
                kind,
                *(["extension"] if kind == "server" else []),
                "list",
            ],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout + result.stderr

    assert "jupyter_adaptive" in listing("server") and "enabled" in listing("server")
    assert "jupyter-adaptive" in listing("labextension")
    assert (repo / FIRST_UNIT).is_file()

    server = ServerProcess(tmp_path / "server", root_dir=repo, python=str(venv / "bin" / "python"))
    server.start(timeout=120)
    try:
        model = server.request("GET", f"/api/contents/{FIRST_UNIT}")
        assert model["content"]["metadata"]["adaptive"]["course"] == "data-science-foundations"
        assert "### BEGIN SOLUTION" not in str(model["content"])
        status, page = send(server.url, server.token, "GET", f"/lab/tree/{FIRST_UNIT}")
        assert status == 200
        assert "jupyter-adaptive" in page
    finally:
        server.stop()
