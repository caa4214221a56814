"""``jupyter-adaptive service``: the store, the pseudonym secret, the models, the REST API and the
teacher dashboard in one process, run by JupyterHub as the service ``adaptive`` (or standalone).

A package of its own so that Jupyter servers that load ``jupyter_adaptive`` never load the
service: only ``jupyter-adaptive service`` does.
"""

from __future__ import annotations

from typing import Any

__all__: list[str] = []


def _jupyter_server_extension_points() -> list[dict[str, Any]]:
    from .app import AdaptiveService

    return [{"module": "jupyter_adaptive.service", "app": AdaptiveService}]
