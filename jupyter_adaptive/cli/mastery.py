"""``jupyter-adaptive mastery``: fit a knowledge-tracing model on a response log, predict with it.

pandas, scikit-learn and pyBKT are imported inside the commands, so ``--help`` stays fast.
"""

from __future__ import annotations

import argparse
from typing import Any

from .options import add_db_url

__all__ = ["register"]


def _fit(args: argparse.Namespace) -> int:
    from ..mastery.model_file import make_model, save_model
    from ..mastery.responses import read_responses

    model = make_model(args.model)
    data = read_responses(args.data)
    model.fit(data)
    save_model(model, args.out, args.model)
    print(f"fitted `{args.model}` on {len(data):,} rows; wrote {args.out}")
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


def _refit(args: argparse.Namespace) -> int:
    import pandas as pd

    from ..errors import InvalidRequestError
    from ..mastery.bkt import BKT
    from ..mastery.course_models import CourseModels
    from ..mastery.model_file import save_model
    from ..mastery.responses import validate
    from ..store import Store
    from ..store.responses import RESPONSE_COLUMNS, responses
    from .options import configured_db_url, configured_model_dir

    store = Store.open(args.db_url or configured_db_url())
    try:
        with store.transaction() as session:
            rows = list(responses(store, session, args.course))
    finally:
        store.close()
    if not rows:
        raise InvalidRequestError(
            f"Course {args.course!r} has no stored attempts or grades to fit parameters on."
        )
    data = validate(pd.DataFrame(rows, columns=RESPONSE_COLUMNS), f"the events of {args.course}")
    model = BKT().fit(data)
    path = CourseModels(args.model_dir or configured_model_dir()).path(args.course)
    path.parent.mkdir(parents=True, exist_ok=True)
    save_model(model, path, "bkt")
    print(
        f"refitted `{args.course}` on {len(data):,} answers of {data['user_id'].nunique()} "
        f"learners and {data['skill_name'].nunique()} skills; wrote {path}"
    )
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
        "optional problem_id, template_id, timestamp) and write it as JSON.",
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
        help="refit a course's BKT parameters from its own stored events",
        description="Fit BKT (pyBKT's C++ core) on every stored attempt and grade of a course and "
        "write the course's model file, which the server uses from its next update on.",
    )
    refit.add_argument("--course", required=True, help="the course id")
    add_db_url(refit)
    refit.add_argument(
        "--model-dir", help="where course models live (default: c.AdaptiveApp.model_dir)"
    )
    refit.set_defaults(func=_refit)
