"""Model files: a fitted model as JSON with its fit date, data size, library versions and format.

The estimators are imported when needed, so naming the models (for ``--help``) stays cheap.

Reading a file of another format version raises :class:`ModelFileError` instead of guessing.
"""

from __future__ import annotations

import json
import os
import platform
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InvalidRequestError
from .atomic_write import write_atomically

if TYPE_CHECKING:
    from .bkt import BKT
    from .logistic import LogisticKT

    Estimator = LogisticKT | BKT

__all__ = [
    "DEFAULT_MODEL",
    "FORMAT",
    "FORMAT_VERSION",
    "MODELS",
    "READABLE_VERSIONS",
    "ModelFileError",
    "load_model",
    "make_model",
    "model_kind",
    "model_to_dict",
    "save_model",
]

FORMAT = "jupyter-adaptive-mastery-model"
#: Bumped whenever a file written by this code could be misread by older code, or the reverse.
#: Version 2 added the calibration map and the forgetting rates per day.
FORMAT_VERSION = 2
#: Versions this code reads: a version 1 file is a model without calibration (the identity map)
#: whose skills forget at the default rate per day.
READABLE_VERSIONS = (1, 2)

#: Model names accepted by ``mastery fit --model`` and what each one is.
MODELS: dict[str, str] = {
    "logistic": "logistic knowledge tracing over readable practice features and BKT (default)",
    "bkt": "Bayesian Knowledge Tracing with forgetting and item-level guess/slip (pyBKT core)",
    "pfa": "Performance Factors Analysis: skill difficulty and per-skill right/wrong counts",
}
DEFAULT_MODEL = "logistic"


class ModelFileError(InvalidRequestError):
    """A model file cannot be read: wrong format, other format version, or damaged."""


def make_model(name: str = DEFAULT_MODEL) -> Estimator:
    """A new, unfitted model by its name in :data:`MODELS`."""
    from .bkt import BKT
    from .logistic import PFA_FEATURES, LogisticKT

    if name == "logistic":
        return LogisticKT()
    if name == "pfa":
        return LogisticKT(features=PFA_FEATURES)
    if name == "bkt":
        return BKT()
    raise InvalidRequestError(
        f"unknown model `{name}`; choose one of {', '.join(f'`{m}`' for m in MODELS)}."
    )


def model_kind(model: Estimator) -> str:
    """The name in :data:`MODELS` of a fitted model."""
    from .logistic import PFA_FEATURES, LogisticKT

    if isinstance(model, LogisticKT):
        return "pfa" if tuple(model.features) == PFA_FEATURES else "logistic"
    return "bkt"


def _versions() -> dict[str, str]:
    from importlib import metadata

    versions = {"python": platform.python_version()}
    for package in ("jupyter-adaptive", "numpy", "pandas", "scikit-learn", "pyBKT"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "unknown"
    return versions


def model_to_dict(model: Estimator, name: str) -> dict[str, Any]:
    """A fitted model as the JSON document :func:`save_model` writes."""
    params = model.to_params()
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "model": name,
        "estimator": type(model).__name__,
        "fitted_at": params["fitted_at"],
        "data": params["data"],
        "versions": _versions(),
        "params": params,
    }


def save_model(model: Estimator, path: str | os.PathLike[str], name: str) -> None:
    """Write a fitted model atomically: the file appears complete or not at all."""
    text = json.dumps(model_to_dict(model, name), indent=1)

    def write(temporary: str) -> None:
        Path(temporary).write_text(text + "\n", encoding="utf-8")

    write_atomically(path, write)


def load_model(path: str | os.PathLike[str]) -> Estimator:
    """Read a model file written by :func:`save_model`.

    Raises
    ------
    ModelFileError
        The file is missing, not JSON, not a model file, or of another format version.
    """
    source = Path(path).name
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelFileError(f"model file {source} does not exist.") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelFileError(f"model file {source} is not valid JSON ({exc}).") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ModelFileError(f"{source} is not a jupyter-adaptive mastery model file.")
    version = document.get("format_version")
    if version not in READABLE_VERSIONS:
        written_by = document.get("versions", {}).get("jupyter-adaptive", "an unknown version")
        raise ModelFileError(
            f"model file {source} has format version {version} (written by jupyter-adaptive "
            f"{written_by}), but this jupyter-adaptive reads versions "
            f"{', '.join(map(str, READABLE_VERSIONS))}; "
            "refit the model with `jupyter-adaptive mastery fit`."
        )
    from .bkt import BKT
    from .logistic import LogisticKT

    classes: dict[str, type[LogisticKT] | type[BKT]] = {"LogisticKT": LogisticKT, "BKT": BKT}
    estimator = classes.get(str(document.get("estimator")))
    if estimator is None:
        raise ModelFileError(
            f"model file {source} names an unknown estimator {document.get('estimator')!r}."
        )
    try:
        return estimator.from_params(document["params"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelFileError(
            f"model file {source} is damaged: {exc!r} is missing or invalid."
        ) from None
