"""Keeping each course's model fitted without a person: background refits from the store.

The process that holds the store counts the answers it records per course; once a course has
``every_answers`` new ones, or at each ``tick`` (the host calls it every ``refit_interval``
seconds, e.g. nightly) when it has any, its model is refitted on every stored answer of the
course. The fit runs in a worker (a separate process by default), never on the event loop and
never holding a lock that recording needs: answers keep being recorded meanwhile. The new model file
is written whole (temporary file, then rename) with its reliability diagram, then served from the
next answer on; a failed fit leaves the old model in place and logs why.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .mastery.bkt import BKT
from .mastery.cold_start import course_prior_model
from .mastery.course_models import CourseModels
from .mastery.model_file import DEFAULT_MODEL
from .recommend.catalog import CourseCatalog

if TYPE_CHECKING:
    import pandas as pd

    from .curriculum import Course

__all__ = [
    "ModelRefresh",
    "RefitResult",
    "course_prior",
    "course_priors",
    "fit_course_model",
    "refit_course",
    "reliability_path",
]

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RefitResult:
    """What one background refit did: ``fitted`` (a new model file), or why not."""

    course: str
    fitted: bool
    answers: int
    message: str


def course_prior(course: Course) -> BKT:
    """A course's prior model, from its declared item difficulty and skill graph."""
    return course_prior_model(
        {skill.id: skill.prerequisites for skill in course.skills.values()},
        ((item.id, item.skills, item.difficulty) for item in course.items.values()),
    )


def course_priors(catalog: CourseCatalog) -> Callable[[str], BKT | None]:
    """The prior model of each course of a catalogue (None for a course that is not installed)."""

    def prior(course_id: str) -> BKT | None:
        course = catalog.get(course_id)
        return course_prior(course) if course is not None else None

    return prior


def reliability_path(model_path: Path) -> Path:
    """Where the reliability diagram of a model file goes: beside it, ``<name>.reliability.png``."""
    return model_path.with_suffix(".reliability.png")


def fit_course_model(
    models: CourseModels, course: str, data: pd.DataFrame, name: str = DEFAULT_MODEL
) -> str:
    """Fit a course's model on a response log (calibration included), write its model file and
    its reliability diagram, and serve it; returns one sentence saying what was fitted.

    Raises
    ------
    InvalidRequestError
        When the log cannot be fitted (e.g. all right); the old model file stays.
    """
    from .mastery.calibration import reliability_png
    from .mastery.fitting import fit_model

    model = fit_model(data, name)
    served = models.swap(course, model)
    report = model.calibration_report_
    ece = ""
    if report is not None:
        reliability_png(report, reliability_path(models.path(course)), f"{course}: {served.id}")
        ece = f"; held-out ECE {report.ece:.3f} (before calibration {report.ece_before:.3f})"
    users = data["user_id"].nunique()
    return f"fitted `{name}` on {len(data):,} answers of {users:,} learners{ece}"


def refit_course(
    db_url: str,
    course: str,
    model_dir: str,
    name: str = DEFAULT_MODEL,
    min_answers: int = 500,
) -> RefitResult:
    """Refit a course's model on its stored answers (:func:`fit_course_model`), unless the store
    holds fewer than ``min_answers`` answers or none that the current model has not seen. Runs in
    a worker; opens the store itself.

    Raises
    ------
    InvalidRequestError
        When the answers cannot be fitted (e.g. all right); the old model file stays.
    """
    from .mastery.responses import stored_responses, validate
    from .store import Store

    models = CourseModels(model_dir)
    seen = models.served(course).estimator.n_rows_
    store = Store.open(db_url, migrate=False)
    try:
        data = stored_responses(store, course)
    finally:
        store.close()
    if len(data) < min_answers:
        message = f"{len(data)} answers, fewer than {min_answers}"
        return RefitResult(course, False, len(data), message)
    if len(data) <= seen:
        return RefitResult(course, False, len(data), "no answer since the last fit")
    data = validate(data, f"the events of {course}")
    return RefitResult(course, True, len(data), fit_course_model(models, course, data, name))


#: Runs one refit in a worker: (db_url, course, model_dir, name, min_answers) -> RefitResult.
RefitJob = Callable[[str, str, str, str, int], RefitResult]


class ModelRefresh:
    """Schedules background refits of course models.

    Parameters
    ----------
    models : CourseModels
        The served models; a finished refit is loaded into them (the swap).
    db_url : str
        The store the worker reads.
    executor : concurrent.futures.Executor
        Where refits run (one at a time per course); a process pool keeps them off the server's
        interpreter.
    every_answers : int
        New answers of a course that start a refit (0: only at ``tick``).
    min_answers : int
        Stored answers a course needs before its first fitted model replaces its prior.
    name : str
        The model fitted (see :data:`~jupyter_adaptive.mastery.model_file.MODELS`).
    job : callable
        The refit itself (:func:`refit_course`; tests give another).
    """

    def __init__(
        self,
        models: CourseModels,
        db_url: str,
        executor: Executor,
        *,
        every_answers: int = 2000,
        min_answers: int = 500,
        name: str = DEFAULT_MODEL,
        job: RefitJob = refit_course,
    ) -> None:
        self.models = models
        self.db_url = db_url
        self.executor = executor
        self.every_answers = every_answers
        self.min_answers = min_answers
        self.name = name
        self.job = job
        self._lock = threading.Lock()
        self._pending: dict[str, int] = {}
        self._running: dict[str, Future[RefitResult]] = {}

    def answered(self, course: str, answers: int = 1) -> None:
        """Count newly recorded answers of a course; start its refit once there are enough.
        Returns at once: the refit runs in the worker."""
        with self._lock:
            pending = self._pending.get(course, 0) + answers
            self._pending[course] = pending
            due = self.every_answers > 0 and pending >= self.every_answers
        if due:
            self.refit(course)

    def tick(self, courses: Iterable[str] = ()) -> None:
        """Start a refit of every course with answers since its last one, and of ``courses`` (the
        worker skips a course whose model has seen every stored answer)."""
        with self._lock:
            due = {c for c, n in self._pending.items() if n > 0} | set(courses)
        for course in sorted(due):
            self.refit(course)

    def refit(self, course: str) -> Future[RefitResult] | None:
        """Start a refit of the course unless one is running; the future of the started one."""
        old = self.models.served(course).id
        with self._lock:
            if course in self._running:
                return None
            self._pending[course] = 0
            future = self.executor.submit(
                self.job,
                self.db_url,
                course,
                str(self.models.model_dir),
                self.name,
                self.min_answers,
            )
            self._running[course] = future
        future.add_done_callback(lambda done: self._finished(course, old, done))
        return future

    def running(self) -> list[str]:
        """Courses whose refit is under way."""
        with self._lock:
            return sorted(self._running)

    def _finished(self, course: str, old: str, future: Future[RefitResult]) -> None:
        try:
            result = future.result()
        except Exception as exc:
            _log.error(
                "jupyter_adaptive: refit of %s failed, still serving %s: %s", course, old, exc
            )
        else:
            if result.fitted:
                new = self.models.served(course).id
                _log.info("jupyter_adaptive: %s now serves %s (%s)", course, new, result.message)
            else:
                _log.info("jupyter_adaptive: %s keeps %s: %s", course, old, result.message)
        finally:
            with self._lock:
                del self._running[course]
