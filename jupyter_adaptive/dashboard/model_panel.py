"""The model panel: which model the course serves, on what data, and how well calibrated it is.

A mastery bar a learner reads must mean what it says. The panel shows the served model's kind and
fit date, the answers it was fitted on, and its calibration measured on learners held out of the
fit: the expected calibration error before and after the calibration map, the map chosen, and the
reliability diagram (observed share right against the predicted probability, per bin).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..mastery.course_models import CourseModels
from ..mastery.model_file import model_kind
from ..model_refresh import reliability_path

__all__ = ["ModelSummary", "model_summary"]


@dataclass(frozen=True)
class ModelSummary:
    """What the teacher reads about a course's served model.

    ``fitted`` is False for the prior (declared difficulty and skill graph, or defaults); the
    calibration fields are None when the model was fitted on too few learners to measure it.
    ``diagram`` is the reliability diagram (PNG bytes) written with the model file, if any.
    """

    model: str
    kind: str
    fitted: bool
    answers: int
    learners: int
    calibration: str | None = None
    ece_before: float | None = None
    ece: float | None = None
    held_out_answers: int = 0
    bins: list[dict[str, float]] = field(default_factory=list)
    diagram: bytes | None = None


def model_summary(models: CourseModels, course: str) -> ModelSummary:
    """The served model of ``course`` and its calibration, as :class:`ModelSummary`."""
    served = models.served(course)
    estimator = served.estimator
    report = estimator.calibration_report_
    diagram = None
    if models.model_dir is not None and served.stamp is not None:
        picture = reliability_path(models.path(course))
        diagram = picture.read_bytes() if picture.is_file() else None
    return ModelSummary(
        model=served.id,
        kind=model_kind(estimator),
        fitted=estimator.n_rows_ > 0,
        answers=estimator.n_rows_,
        learners=estimator.n_users_,
        calibration=report.method if report else None,
        ece_before=report.ece_before if report else None,
        ece=report.ece if report else None,
        held_out_answers=report.n if report else 0,
        bins=list(report.bins) if report else [],
        diagram=diagram,
    )
