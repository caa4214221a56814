"""At-risk model files: the fitted :class:`~jupyter_adaptive.risk.model.RiskModel` as JSON, with
its fit date, data size and library versions.

The file holds numbers and names only, the regression's coefficients included:
reading one runs no code from it and builds no object that the file names, so a model file from
anywhere is safe to load. Files written before format version 2 were pickles; unpickling can run
any code, so they are refused unread, with a request to refit.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InvalidRequestError
from ..mastery.atomic_write import write_atomically

if TYPE_CHECKING:
    from .model import RiskModel

__all__ = ["FORMAT", "FORMAT_VERSION", "load_risk_model", "save_risk_model"]

FORMAT = "jupyter-adaptive-risk-model"
#: Bumped whenever a file written by this code could be misread by older code, or the reverse.
#: Version 3: models predict at a fixed horizon (``horizon`` attempts), no longer from halves.
FORMAT_VERSION = 3

#: How every pickle since protocol 2 begins: the version 1 files were such pickles.
_PICKLE = b"\x80"
_REFIT = "refit the model with `jupyter-adaptive risk fit`"


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
    document = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "fitted_at": model.fitted_at_,
        "learners": model.n_users_,
        "versions": _versions(),
        "model": model.to_params(),
    }
    text = json.dumps(document, separators=(",", ":"))

    def write(temporary: str) -> None:
        Path(temporary).write_text(text + "\n", encoding="utf-8")

    write_atomically(path, write)


def load_risk_model(path: str | os.PathLike[str]) -> RiskModel:
    """Read a model file written by :func:`save_risk_model`.

    Raises
    ------
    InvalidRequestError
        The file is missing, a pickle (an old model file, refused unread), not a risk model
        file, of another format version, or damaged.
    """
    from .model import RiskModel

    source = Path(path).name
    try:
        content = Path(path).read_bytes()
    except FileNotFoundError:
        raise InvalidRequestError(f"model file {source} does not exist.") from None
    if content.startswith(_PICKLE):
        raise InvalidRequestError(
            f"{source} is a pickle, as risk model files were before format version 2, and is not "
            f"loaded because unpickling can run any code; {_REFIT}."
        )
    try:
        document = json.loads(content)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
        document = None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InvalidRequestError(
            f"{source} is not a jupyter-adaptive risk model file (write one with "
            "`jupyter-adaptive risk fit`)."
        )
    if document.get("format_version") != FORMAT_VERSION:
        raise InvalidRequestError(
            f"model file {source} has format version {document.get('format_version')}, but this "
            f"jupyter-adaptive reads only version {FORMAT_VERSION}; {_REFIT}."
        )
    try:
        return RiskModel.from_params(document["model"])
    except KeyError as exc:
        problem = f"{exc} is missing"
    except (AttributeError, OverflowError, TypeError, ValueError) as exc:
        problem = str(exc)
    raise InvalidRequestError(f"model file {source} is damaged ({problem}); {_REFIT}.")
