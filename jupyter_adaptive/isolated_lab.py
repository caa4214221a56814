"""What a JupyterLab started by this project for itself needs (the audit's accessibility check,
the tests' servers): a free loopback port, Jupyter folders of its own, and the user settings that
keep a fresh profile from asking questions or going online."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path
from typing import Any

__all__ = ["QUIET_LAB_SETTINGS", "free_port", "isolated_env", "write_lab_settings"]

# A fresh profile would otherwise ask about Jupyter news, check for updates over the network and
# ask which kernel to start.
QUIET_LAB_SETTINGS: dict[str, dict[str, Any]] = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
    # Start the notebook's own kernel instead of asking which one.
    "@jupyterlab/notebook-extension:tracker": {"autoStartDefaultKernel": True},
}


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def write_lab_settings(folder: Path, settings: dict[str, dict[str, Any]]) -> None:
    """Write JupyterLab user settings (plugin id -> values) into a user-settings folder."""
    for plugin_id, values in settings.items():
        package, _, plugin = plugin_id.partition(":")
        path = folder / package / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


def isolated_env(base: Path) -> dict[str, str]:
    """This process's environment with every Jupyter and IPython folder (configuration, data,
    runtime, JupyterLab settings and workspaces) made under ``base``: a server started with it
    reads and writes nothing of the user's."""
    env = dict(os.environ, JUPYTER_PLATFORM_DIRS="1")
    for name, sub in (
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTER_DATA_DIR", "data"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("JUPYTERLAB_SETTINGS_DIR", "settings"),
        ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"),
        ("IPYTHONDIR", "ipython"),
    ):
        (base / sub).mkdir(parents=True, exist_ok=True)
        env[name] = str(base / sub)
    return env
