"""``jupyter-adaptive mastery``: fit a knowledge-tracing model on a response log, predict with it.

pandas, scikit-learn and pyBKT are imported inside the commands, so ``--help`` stays fast.
"""

from __future__ import annotations

import argparse
from typing import Any

from .options import add_db_url

__all__ = ["course_responses", "register"]


def _fit(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..mastery.calibration import reliability_png
    from ..mastery.fitting import fit_model
    from ..mastery.model_file import save_model
    from ..mastery.responses import read_responses
    from ..model_refresh import reliability_path

    data = read_responses(args.data)
    model = fit_model(data, args.model)
    save_model(model, args.out, args.model)
    print(f"fitted `{args.model}` on {len(data):,} rows; wrote {args.out}")
    report = model.calibration_report_
    if report is not None:
        picture = reliability_path(Path(args.out))
        reliability_png(report, picture, f"{Path(args.data).name}: {args.model}")
        print(
            f"held-out calibration: ECE {report.ece:.4f} ({report.method}; "
            f"{report.ece_before:.4f} before); reliability diagram: {picture}"
        )
    return 0


def _predict(args: argparse.Namespace) -> int:
    from ..mastery.atomic_write import write_atomically
    from ..mastery.model_file import load_model
    from ..mastery.responses import read_responses

    model = load_model(args.model)
    data = read_responses(args.data)
    rows = _raw_rows(args.data)
    rows["p_correct"] = model.predict_proba(data)[:, 1]
    write_atomically(
        args.out, lambda temporary: rows.to_csv(temporary, index=False, float_format="%.6f")
    )
    print(f"predicted {len(rows):,} rows; wrote {args.out}")
    return 0


def course_responses(data: str | None, course: str, db_url: str | None) -> Any:
    """The response log (pyBKT's columns) in the file ``data``, else the course's stored attempts
    and grades, from the store at ``db_url`` (default: the server's).

    Raises
    ------
    InvalidRequestError
        When the file is not a valid response log, or the store has no answers of the course.
    """
    from ..errors import InvalidRequestError
    from ..mastery.responses import read_responses, stored_responses, validate
    from ..store import Store
    from .options import configured_db_url

    if data:
        return read_responses(data)
    store = Store.open(db_url or configured_db_url())
    try:
        stored = stored_responses(store, course)
    finally:
        store.close()
    if stored.empty:
        raise InvalidRequestError(f"Course {course!r} has no stored attempts or grades.")
    return validate(stored, f"the events of {course}")


def _refit(args: argparse.Namespace) -> int:
    from ..mastery.course_models import CourseModels
    from ..model_refresh import fit_course_model
    from .options import configured_model_dir

    data = course_responses(args.data, args.course, args.db_url)
    models = CourseModels(args.model_dir or configured_model_dir())
    message = fit_course_model(models, args.course, data, args.model)
    print(f"refitted `{args.course}`: {message}; wrote {models.path(args.course)}")
    return 0


def _raw_rows(path: str) -> Any:
    """The input rows exactly as written, so the output is the input plus ``p_correct``."""
    import pandas as pd

    return pd.read_csv(path, dtype=str, keep_default_na=False)


def register(subparsers: Any) -> None:
    """Add ``mastery fit``, ``mastery predict`` and ``mastery refit``."""
    from ..mastery.model_file import DEFAULT_MODEL, MODELS

    parser = subparsers.add_parser(
        "mastery",
        help="fit and apply knowledge-tracing models",
        description="Fit knowledge-tracing models on response logs (pyBKT's columns) and predict.",
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)

    fit = commands.add_parser(
        "fit",
        help="fit a model on a response log",
        description="Fit a model on TRAIN.csv[.gz] (order_id, user_id, skill_name, correct, "
        "optional problem_id, template_id, timestamp), calibrate it on held-out learners, and "
        "write it as JSON with its reliability diagram (MODEL.reliability.png).",
    )
    fit.add_argument("--data", required=True, metavar="TRAIN.csv[.gz]")
    fit.add_argument("--out", required=True, metavar="MODEL.json")
    fit.add_argument(
        "--model",
        default=DEFAULT_MODEL,
        choices=list(MODELS),
        help="; ".join(f"{name}: {text}" for name, text in MODELS.items()),
    )
    fit.set_defaults(func=_fit)

    predict = commands.add_parser(
        "predict",
        help="add p_correct to each row of a response log",
        description="Write the rows of TEST.csv[.gz] plus p_correct: the probability of a correct "
        "answer predicted before the row is seen, per user in order_id order.",
    )
    predict.add_argument("--model", required=True, metavar="MODEL.json")
    predict.add_argument("--data", required=True, metavar="TEST.csv[.gz]")
    predict.add_argument("--out", required=True, metavar="PRED.csv")
    predict.set_defaults(func=_predict)

    refit = commands.add_parser(
        "refit",
        help="refit a course's served model from its stored events or a CSV",
        description="Fit the course's model (calibrated on held-out learners) on every stored "
        "attempt and grade of a course, or on --data in pyBKT's columns, and write the course's "
        "model file and reliability diagram; the server serves it from its next answer on.",
    )
    refit.add_argument("--course", required=True, help="the course id")
    refit.add_argument(
        "--data",
        metavar="TRAIN.csv[.gz]",
        help="fit on this response log (problem_id = the course's item ids) instead of the store",
    )
    refit.add_argument(
        "--model",
        default=DEFAULT_MODEL,
        choices=list(MODELS),
        help="the model to fit (default: %(default)s)",
    )
    add_db_url(refit)
    refit.add_argument(
        "--model-dir", help="where course models live (default: c.AdaptiveApp.model_dir)"
    )
    refit.set_defaults(func=_refit)
