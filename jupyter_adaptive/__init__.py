"""jupyter-adaptive: adaptive, explainable personalized learning inside Jupyter."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = ["__version__"]


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": "jupyter-adaptive"}]


def _jupyter_server_extension_points() -> list[dict[str, Any]]:
    from .app import AdaptiveApp

    return [{"module": "jupyter_adaptive", "app": AdaptiveApp}]
