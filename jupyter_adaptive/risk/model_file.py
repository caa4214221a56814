"""At-risk model files: the fitted :class:`~jupyter_adaptive.risk.model.RiskModel` with its fit
date, data size and library versions.

A gradient-boosting model has no JSON form in scikit-learn, so the file is a pickle behind a
header that is checked before use; as with any pickle, load only model files you trust.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InvalidRequestError
from ..mastery.atomic_write import write_atomically

if TYPE_CHECKING:
    from .model import RiskModel

__all__ = ["FORMAT", "FORMAT_VERSION", "load_risk_model", "save_risk_model"]

FORMAT = "jupyter-adaptive-risk-model"
#: Bumped whenever a file written by this code could be misread by older code, or the reverse.
FORMAT_VERSION = 1


def _versions() -> dict[str, str]:
    from importlib import metadata

    versions = {}
    for package in ("jupyter-adaptive", "numpy", "pandas", "scikit-learn"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "unknown"
    return versions


def save_risk_model(model: RiskModel, path: str | os.PathLike[str]) -> None:
    """Write a fitted model atomically: the file appears complete or not at all."""
    document: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "fitted_at": model.fitted_at_,
        "learners": model.n_users_,
        "versions": _versions(),
        "model": model,
    }

    def write(temporary: str) -> None:
        with open(temporary, "wb") as handle:
            pickle.dump(document, handle, protocol=pickle.HIGHEST_PROTOCOL)

    write_atomically(path, write)


def load_risk_model(path: str | os.PathLike[str]) -> RiskModel:
    """Read a model file written by :func:`save_risk_model`.

    Raises
    ------
    InvalidRequestError
        The file is missing, not a risk model file, of another format version, or was written
        with another scikit-learn version.
    """
    from .model import RiskModel

    source = Path(path).name
    try:
        with open(path, "rb") as handle:
            document = pickle.load(handle)
    except FileNotFoundError:
        raise InvalidRequestError(f"model file {source} does not exist.") from None
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
        raise InvalidRequestError(
            f"{source} is not a jupyter-adaptive risk model file (write one with "
            "`jupyter-adaptive risk fit`)."
        ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InvalidRequestError(
            f"{source} is not a jupyter-adaptive risk model file (write one with "
            "`jupyter-adaptive risk fit`)."
        )
    if document.get("format_version") != FORMAT_VERSION:
        raise InvalidRequestError(
            f"model file {source} has format version {document.get('format_version')}, but this "
            f"jupyter-adaptive reads only version {FORMAT_VERSION}; refit it with "
            "`jupyter-adaptive risk fit`."
        )
    written = document.get("versions", {}).get("scikit-learn")
    current = _versions()["scikit-learn"]
    if written != current:
        raise InvalidRequestError(
            f"model file {source} was written with scikit-learn {written}, but {current} is "
            "installed; refit it with `jupyter-adaptive risk fit`."
        )
    model = document.get("model")
    if not isinstance(model, RiskModel):
        raise InvalidRequestError(f"model file {source} is damaged: it holds no risk model.")
    return model
