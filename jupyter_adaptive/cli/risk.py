"""``jupyter-adaptive risk``: fit the at-risk model, flag learners, evaluate against the baseline.

pandas and scikit-learn are imported inside the commands, so ``--help`` stays fast.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from .options import atomic_output

__all__ = ["register"]


def _fit(args: argparse.Namespace) -> int:
    from ..mastery.responses import read_responses
    from ..risk.horizon import DEFAULT_HORIZON
    from ..risk.model import RiskModel
    from ..risk.model_file import save_risk_model

    data = read_responses(args.data)
    model = RiskModel(horizon=args.horizon or DEFAULT_HORIZON).fit(data)
    save_risk_model(model, args.out)
    print(
        f"fitted the at-risk model for a horizon of {model.horizon} attempts on "
        f"{model.n_users_:,} learners ({100 * model.base_rate_:.0f}% at risk); wrote {args.out}"
    )
    return 0


def _predict(args: argparse.Namespace) -> int:
    from ..mastery.responses import read_responses
    from ..risk.explain import explain
    from ..risk.model_file import load_risk_model

    model = load_risk_model(args.model)
    data = read_responses(args.data)
    explanations = explain(model, data) if args.explain else None
    risk = model.risk(data)
    with atomic_output(args.out) as handle:
        if explanations is None:
            risk.rename_axis("user_id").to_csv(handle, float_format="%.6f")
        else:
            import pandas as pd

            frame = pd.DataFrame(
                {
                    "user_id": [e.user_id for e in explanations],
                    "risk": [e.risk for e in explanations],
                    "flagged": [int(e.flagged) for e in explanations],
                    "reasons": [" ".join(e.sentences) for e in explanations],
                }
            )
            frame.to_csv(handle, index=False, float_format="%.6f")
    if args.out not in (None, "-"):
        flagged = int((risk >= model.flag_threshold).sum())
        left_out = data["user_id"].nunique() - len(risk)
        too_few = (
            f"; {left_out:,} with fewer than {model.horizon} attempts not scored yet"
            if left_out
            else ""
        )
        print(f"scored {len(risk):,} learners ({flagged:,} flagged{too_few}); wrote {args.out}")
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from ..mastery.responses import read_responses
    from ..risk.evaluation import evaluate
    from ..risk.horizon import HORIZONS

    data = read_responses(args.data)
    results = [evaluate(data, horizon=horizon) for horizon in args.horizon or HORIZONS]
    if args.json:
        print(json.dumps({"data": args.data, "horizons": results}, indent=1))
        return 0

    def auc(value: float | None) -> str:
        return "n/a (test learners all of one kind)" if value is None else f"{value:.4f}"

    for result in results:
        horizon = result["horizon"]
        print(f"{args.data}, after {horizon} attempts: {result['test_learners']:,} test learners")
        print(f"  ours      AUC {auc(result['auc'])}")
        print(
            f"  baseline  AUC {auc(result['baseline_auc'])} (proportion correct in the first "
            f"{horizon} attempts)"
        )
        if result["gain"] is not None:
            print(f"  gain      {result['gain']:+.4f}")
    return 0


def register(subparsers: Any) -> None:
    """Add ``risk fit``, ``risk predict`` and ``risk evaluate``."""
    parser = subparsers.add_parser(
        "risk",
        help="flag learners at risk of falling behind, with reasons",
        description="A learner is at risk when under 60% of their attempts after the first K (the "
        "horizon, by order_id) are right; the model reads those first K attempts only.",
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)

    fit = commands.add_parser(
        "fit",
        help="train the at-risk model on whole histories",
        description="Train on TRAIN.csv[.gz] (pyBKT's columns): features from each learner's "
        "first K attempts, the label from the attempts after them.",
    )
    fit.add_argument("--data", required=True, metavar="TRAIN.csv[.gz]")
    fit.add_argument(
        "--horizon",
        type=int,
        metavar="K",
        help="attempts after which learners are scored (default: the standard horizon, "
        "jupyter_adaptive.risk.horizon.DEFAULT_HORIZON)",
    )
    fit.add_argument("--out", required=True, metavar="MODEL")
    fit.set_defaults(func=_fit)

    predict = commands.add_parser(
        "predict",
        help="write user_id,risk for each learner",
        description="Score each learner of TEST.csv[.gz] from their first K attempts only (K: "
        "the model's horizon); write user_id,risk (with --explain also flagged and reasons). "
        "Learners with fewer than K attempts are not scored yet.",
    )
    predict.add_argument("--model", required=True, metavar="MODEL")
    predict.add_argument("--data", required=True, metavar="TEST.csv[.gz]")
    predict.add_argument("--out", required=True, metavar="RISK.csv", help="'-' for stdout")
    predict.add_argument(
        "--explain", action="store_true", help="add flagged and reasons (sentences) columns"
    )
    predict.set_defaults(func=_predict)

    evaluate = commands.add_parser(
        "evaluate",
        help="our AUC next to the same-horizon accuracy baseline (80/20 by learner)",
        description="Split FILE 80/20 by learner (numpy RandomState(0)), fit on the training "
        "learners at each horizon, and compare our AUC with the baseline 'proportion correct in "
        "the first K attempts'.",
    )
    evaluate.add_argument("--data", required=True, metavar="FILE")
    evaluate.add_argument(
        "--horizon",
        type=int,
        nargs="+",
        metavar="K",
        help="horizons in attempts (default: jupyter_adaptive.risk.horizon.HORIZONS)",
    )
    evaluate.add_argument("--json", action="store_true", help="print the result as JSON")
    evaluate.set_defaults(func=_evaluate)
