"""Options several sub-commands share."""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING

from jupyter_core.paths import jupyter_config_path
from traitlets.config import Config
from traitlets.config.loader import ConfigFileNotFound, JSONFileConfigLoader, PyFileConfigLoader

from ..mastery.atomic_write import write_atomically
from ..paths import default_db_url, default_model_dir, default_secret_file

if TYPE_CHECKING:
    from ..app import AdaptiveApp

__all__ = [
    "add_db_url",
    "atomic_output",
    "configured_app",
    "configured_db_url",
    "configured_model_dir",
    "configured_secret_file",
    "configured_setting",
    "server_config",
]


def server_config() -> Config:
    """The Jupyter server configuration files' settings, as the server would merge them."""
    config = Config()
    for folder in reversed(jupyter_config_path()):
        for loader in (
            JSONFileConfigLoader("jupyter_server_config.json", folder),
            PyFileConfigLoader("jupyter_server_config.py", folder),
        ):
            try:
                config.merge(loader.load_config())
            except ConfigFileNotFound:
                continue
    return config


def configured_setting(name: str) -> str | None:
    """``c.AdaptiveApp.<name>`` from the Jupyter server configuration files, if set."""
    value = server_config().get("AdaptiveApp", {}).get(name)
    return str(value) if value else None


def configured_app() -> AdaptiveApp:
    """An :class:`~jupyter_adaptive.app.AdaptiveApp` holding the server configuration's settings
    (defaults for the rest), for commands that describe the deployment; it runs nothing."""
    from ..app import AdaptiveApp

    return AdaptiveApp(config=server_config())


def configured_db_url() -> str:
    """``$JUPYTER_ADAPTIVE_DB_URL`` (how the Hub service and dashboard kernels get it: an
    environment is not shown to other users as a command line is), else ``c.AdaptiveApp.db_url``
    from the Jupyter server configuration, else the default."""
    return (
        os.environ.get("JUPYTER_ADAPTIVE_DB_URL")
        or configured_setting("db_url")
        or default_db_url()
    )


def configured_secret_file() -> str:
    """``c.AdaptiveApp.secret_file`` from the Jupyter server configuration, else the default."""
    return configured_setting("secret_file") or str(default_secret_file())


def configured_model_dir() -> str:
    """``c.AdaptiveApp.model_dir`` from the Jupyter server configuration, else the default."""
    return configured_setting("model_dir") or str(default_model_dir())


def add_db_url(parser: argparse.ArgumentParser) -> None:
    """Add ``--db-url``, defaulting to what the Jupyter server would use."""
    parser.add_argument(
        "--db-url",
        default=None,
        help="SQLAlchemy URL of the store (default: c.AdaptiveApp.db_url from the Jupyter "
        "configuration, else the SQLite file in the Jupyter data directory)",
    )


@contextmanager
def atomic_output(path: str | None) -> Iterator[IO[str]]:
    """A text stream for ``path`` whose content appears there complete at the end of the block, or
    not at all when the block fails; ``None`` or ``-`` writes to stdout."""
    if path in (None, "-"):
        yield sys.stdout
        return
    buffer = io.StringIO()
    yield buffer

    def save(temporary: str) -> None:
        Path(temporary).write_text(buffer.getvalue(), encoding="utf-8")

    write_atomically(path, save)
