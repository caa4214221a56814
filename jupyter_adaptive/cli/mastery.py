"""``jupyter-adaptive mastery``: fit a knowledge-tracing model on a response log, predict with it.

pandas, scikit-learn and pyBKT are imported inside the commands, so ``--help`` stays fast.
"""

from __future__ import annotations

import argparse
from typing import Any

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


def _raw_rows(path: str) -> Any:
    """The input rows exactly as written, so the output is the input plus ``p_correct``."""
    import pandas as pd

    return pd.read_csv(path, dtype=str, keep_default_na=False)


def register(subparsers: Any) -> None:
    """Add ``mastery fit`` and ``mastery predict``."""
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
