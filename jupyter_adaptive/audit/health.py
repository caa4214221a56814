"""Model health: the served mastery model's calibration (the dashboard's Model tab,
:func:`~..dashboard.model_panel.model_summary`), the early-warning model's over the class, and the
drift of these figures since the previous audit (read from that audit's JSON report)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..dashboard.model_panel import model_summary
from ..mastery.course_models import CourseModels
from .fairness import METRICS, EarlyWarning, risk_row

__all__ = ["DRIFT_FIGURES", "drift", "model_health", "previous_health"]

#: The model-health figures compared between audits.
DRIFT_FIGURES = (
    "mastery_ece",
    "mastery_ece_before_map",
    "mastery_answers",
    "early_warning_auc",
    "early_warning_calibration",
    "false_positive_rate",
    "false_negative_rate",
    "at_risk_share",
    "flagged_share",
)


def model_health(models: CourseModels, course: str, warning: EarlyWarning) -> dict[str, Any]:
    """The mastery model's and the early-warning model's health figures (JSON-ready)."""
    summary = model_summary(models, course)
    labelled = warning.learners
    rows = [risk_row(r) for r in labelled]
    early = {
        metric: function(rows) for metric, (_, function, kind) in METRICS.items() if kind == "risk"
    }
    return {
        "mastery_model": summary.model,
        "mastery_kind": summary.kind,
        "mastery_fitted": summary.fitted,
        "mastery_answers": summary.answers,
        "mastery_learners": summary.learners,
        "mastery_calibration_map": summary.calibration,
        "mastery_ece": summary.ece,
        "mastery_ece_before_map": summary.ece_before,
        "mastery_held_out_answers": summary.held_out_answers,
        "mastery_reliability_bins": summary.bins,
        "early_warning_source": warning.source,
        "early_warning_horizon": warning.horizon,
        "early_warning_not_measured": warning.not_measured,
        "labelled_learners": len(labelled),
        "at_risk_share": sum(r.at_risk for r in labelled) / len(labelled) if labelled else None,
        "flagged_share": sum(r.flagged for r in labelled) / len(labelled) if labelled else None,
        **early,
    }


def previous_health(report: str | None) -> tuple[dict[str, Any] | None, str]:
    """The model-health part of the previous audit's JSON report at ``report``, and a sentence
    when it cannot be read (none ran, or the file moved)."""
    if report is None:
        return None, "no previous audit: drift is measured from the next one on."
    try:
        data = json.loads(Path(report).read_text(encoding="utf-8"))
        return dict(data["model_health"]), ""
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return None, f"the previous audit's report {report} cannot be read ({exc})."


def drift(now: dict[str, Any], previous: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Each of :data:`DRIFT_FIGURES` then and now, with the change (None where either is
    missing); a served model that changed is said too."""
    if previous is None:
        return []
    found = []
    if previous.get("mastery_model") != now.get("mastery_model"):
        found.append(
            {
                "figure": "mastery_model",
                "previous": previous.get("mastery_model"),
                "now": now.get("mastery_model"),
                "change": None,
            }
        )
    for figure in DRIFT_FIGURES:
        before, after = previous.get(figure), now.get(figure)
        change = (
            after - before
            if isinstance(before, int | float) and isinstance(after, int | float)
            else None
        )
        found.append({"figure": figure, "previous": before, "now": after, "change": change})
    return found
