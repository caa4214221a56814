"""The BKT parameters of each course: one model file per course, reloaded when it changes.

``jupyter-adaptive mastery refit --course C`` writes ``<model_dir>/<C>.json`` from the course's own
stored events; the server reads it here. A course without a model file, or with one that cannot be
read, uses the default parameters, so recording never stops for want of a model.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from pathlib import Path

from .bkt import BKT
from .model_file import ModelFileError, load_model
from .online import DEFAULT_PARAMS, SkillParams

__all__ = ["CourseModels"]

_log = logging.getLogger(__name__)
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")


class CourseModels:
    """Fitted BKT models of the courses, by course id, under ``model_dir``."""

    def __init__(self, model_dir: str | os.PathLike[str]) -> None:
        self.model_dir = Path(model_dir)
        self._lock = threading.Lock()
        self._loaded: dict[str, tuple[float, BKT | None]] = {}

    def path(self, course: str) -> Path:
        """The model file of a course (its id made safe as a file name)."""
        return self.model_dir / f"{_UNSAFE.sub('_', course)}.json"

    def model(self, course: str) -> BKT | None:
        """The course's BKT model, or None when it has none that can be read."""
        path = self.path(course)
        try:
            stamp = path.stat().st_mtime
        except FileNotFoundError:
            return None
        with self._lock:
            cached = self._loaded.get(course)
            if cached is not None and cached[0] == stamp:
                return cached[1]
            try:
                loaded = load_model(path)
            except ModelFileError as exc:
                _log.error("jupyter_adaptive: using default BKT parameters for %s: %s", course, exc)
                loaded = None
            bkt = loaded if isinstance(loaded, BKT) else getattr(loaded, "bkt_", None)
            self._loaded[course] = (stamp, bkt)
            return bkt

    def params(self, course: str, skill: str, item: str | None) -> SkillParams:
        """Parameters for an answer on ``skill`` (and ``item``) in ``course``; never raises."""
        model = self.model(course)
        return model.params_for(skill, item) if model is not None else DEFAULT_PARAMS
