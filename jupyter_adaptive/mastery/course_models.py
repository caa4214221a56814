"""The model each course serves: its fitted model file, reloaded when it changes, else its prior.

``<model_dir>/<course>.json`` is written by ``jupyter-adaptive mastery refit --course C`` or by the
server's background refit (:mod:`~jupyter_adaptive.model_refresh`), always whole (written to a
temporary file, then renamed). A course without a readable model file is served the prior of its
declared difficulty and skill graph (:mod:`.cold_start`), or default parameters when the course is
not installed, so recording never stops for want of a model.

A :class:`ServedModel` is never changed once loaded: a swap replaces the course's entry with a new
object, so a request that took the old one finishes with it whole.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .bkt import BKT
from .model_file import ModelFileError, load_model, model_kind, save_model
from .online import SkillParams

if TYPE_CHECKING:
    from .features import LearnerHistory
    from .model_file import Estimator

__all__ = ["COLD_START", "DEFAULTS", "CourseModels", "ServedModel", "model_id"]

_log = logging.getLogger(__name__)
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")

#: How results and evidence name the models of courses without a fitted one.
COLD_START = "bkt prior from the course's declared difficulty and skill graph"
DEFAULTS = "bkt default parameters"

#: Gives the prior model of a course (None when the course is not installed).
ColdStart = Callable[[str], BKT | None]


def model_id(model: Estimator) -> str:
    """How a prediction or an evidence row names its model: kind and fit date."""
    if model.n_rows_ == 0:
        return COLD_START
    return f"{model_kind(model)} fitted {model.fitted_at_}"


@dataclass(frozen=True)
class ServedModel:
    """A course's model as the server uses it: the estimator, its name and its source file's
    modification time (None for a prior)."""

    estimator: Estimator
    id: str
    stamp: int | None = None

    def mastery_params(self, skill: str, item: str | None = None) -> SkillParams:
        """The BKT parameters of the estimate people see for ``skill`` (and ``item``)."""
        return self.estimator.mastery_params(skill, item)

    def step(
        self,
        history: LearnerHistory,
        skill: str,
        correct: bool,
        item: str | None,
        timestamp: float | None,
    ) -> tuple[float, bool]:
        """Predict a learner's answer, then add it to their history, in constant time.

        Returns
        -------
        p_correct : float
            The model's probability of a right answer, made before the answer was seen.
        rose : bool
            Whether the answer raised the model's probability of a right answer on the skill (on
            the same item, next time): the estimate people see must not fall then.
        """
        model = self.estimator
        p_correct = model.predict_next(history, skill, item, timestamp)
        model.record(history, skill, correct, item, timestamp)
        return p_correct, model.predict_next(history, skill, item, timestamp) > p_correct

    def record(
        self,
        history: LearnerHistory,
        skill: str,
        correct: bool,
        item: str | None,
        timestamp: float | None,
    ) -> None:
        """Add an answer recorded elsewhere to a learner's history (no prediction needed)."""
        self.estimator.record(history, skill, correct, item, timestamp)


class CourseModels:
    """The served model of each course, by course id, under ``model_dir``.

    Parameters
    ----------
    model_dir : path or None
        Folder of the ``<course>.json`` model files (None: serve every course its prior).
    cold_start : callable, optional
        Gives a course's prior model from its declared difficulty and skill graph (None for a
        course that is not installed).
    """

    def __init__(
        self, model_dir: str | os.PathLike[str] | None, cold_start: ColdStart | None = None
    ) -> None:
        self.model_dir = Path(model_dir) if model_dir is not None else None
        self.cold_start = cold_start
        self._lock = threading.Lock()
        self._served: dict[str, ServedModel] = {}
        self._priors: dict[str, ServedModel] = {}

    def path(self, course: str) -> Path:
        """The model file of a course (its id made safe as a file name).

        Raises
        ------
        ValueError
            Without a model folder.
        """
        if self.model_dir is None:
            raise ValueError("these course models have no model folder")
        return self.model_dir / f"{_UNSAFE.sub('_', course)}.json"

    def served(self, course: str) -> ServedModel:
        """The course's model: its model file if readable, else its prior; never raises."""
        if self.model_dir is None:
            return self._prior(course)
        path = self.path(course)
        try:
            stamp = path.stat().st_mtime_ns
        except FileNotFoundError:
            return self._prior(course)
        with self._lock:
            cached = self._served.get(course)
            if cached is not None and cached.stamp == stamp:
                return cached
            try:
                model = load_model(path)
            except ModelFileError as exc:
                _log.error("jupyter_adaptive: serving the prior model of %s: %s", course, exc)
                return self._prior(course)
            served = ServedModel(model, model_id(model), stamp)
            self._served[course] = served
            return served

    def _prior(self, course: str) -> ServedModel:
        prior = self._priors.get(course)
        if prior is None:
            model = self.cold_start(course) if self.cold_start is not None else None
            if model is None:
                prior = ServedModel(BKT.from_params(_DEFAULT_MODEL), DEFAULTS)
            else:
                prior = ServedModel(model, COLD_START)
            self._priors[course] = prior
        return prior

    def params(self, course: str, skill: str, item: str | None) -> SkillParams:
        """Parameters of the estimate of ``skill`` after an answer on ``item`` in ``course``."""
        return self.served(course).mastery_params(skill, item)

    def swap(self, course: str, model: Estimator) -> ServedModel:
        """Write a newly fitted model as the course's model file and serve it from now on.

        The file is written whole before it replaces the old one; requests that already hold the
        old model finish with it.
        """
        path = self.path(course)
        path.parent.mkdir(parents=True, exist_ok=True)
        save_model(model, path, model_kind(model))
        served = ServedModel(model, model_id(model), path.stat().st_mtime_ns)
        with self._lock:
            self._served[course] = served
        return served


#: A BKT model with no skill of its own: every skill gets the default parameters.
_DEFAULT_MODEL = {
    "hyperparameters": {},
    "item_column": None,
    "skills": {},
    "items": {},
    "default": SkillParams().as_dict(),
    "fitted_at": None,
    "data": {"rows": 0, "users": 0, "skills": 0},
}
