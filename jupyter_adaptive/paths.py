"""Where a deployment keeps its files unless configured: under the Jupyter data directory.

``AdaptiveApp`` uses these as its defaults, and so do the command-line tools, so that both find
the same store, secret and model files.
"""

from __future__ import annotations

from pathlib import Path

from jupyter_core.paths import jupyter_data_dir

__all__ = ["data_dir", "default_db_url", "default_model_dir", "default_secret_file"]


def data_dir() -> Path:
    """``<jupyter data dir>/jupyter_adaptive``."""
    return Path(jupyter_data_dir()) / "jupyter_adaptive"


def default_db_url() -> str:
    """The embedded store: an SQLite file."""
    return f"sqlite:///{data_dir() / 'adaptive.sqlite'}"


def default_secret_file() -> Path:
    """The secret that turns user names into pseudonyms."""
    return data_dir() / "pseudonym_secret"


def default_model_dir() -> Path:
    """The fitted BKT model of each course, one JSON file per course."""
    return data_dir() / "models"
