"""Early warning and success metrics: who is at risk, why, and how learners progress.

Free of Jupyter imports; reads response logs in pyBKT's columns.

- :mod:`.horizon`: the at-risk definition at a fixed horizon (proportion correct below 0.6 over
  the attempts after a learner's first ``K``);
- :mod:`.features`: features of each learner's first ``K`` attempts;
- :mod:`.model`: :class:`RiskModel`, the at-risk estimator; :mod:`.explain`: why, in sentences;
- :mod:`.model_file`: its JSON model files;
- :mod:`.evaluation`: the 80/20 evaluation by learner next to the baseline;
- :mod:`.success`: mastery gain, time to mastery and completion per skill, unit or subgroup;
- :mod:`.fairness`: per-subgroup audit of the mastery and at-risk models (fairlearn).
"""

from .evaluation import baseline_risk, evaluate, split_by_learner
from .explain import RiskExplanation, explain
from .fairness import FairnessReport, Gap, activity_quartiles, fairness_report, read_roster
from .features import FEATURES
from .horizon import (
    AT_RISK_THRESHOLD,
    DEFAULT_HORIZON,
    HORIZONS,
    at_risk_labels,
    early_attempts,
    split_at_horizon,
)
from .model import RiskModel
from .model_file import load_risk_model, save_risk_model
from .success import learner_gain, skill_progress, success_metrics
from .trajectory import MASTERED, mastery_trajectory

__all__ = [
    "AT_RISK_THRESHOLD",
    "DEFAULT_HORIZON",
    "FEATURES",
    "HORIZONS",
    "MASTERED",
    "FairnessReport",
    "Gap",
    "RiskExplanation",
    "RiskModel",
    "activity_quartiles",
    "at_risk_labels",
    "baseline_risk",
    "early_attempts",
    "evaluate",
    "explain",
    "fairness_report",
    "learner_gain",
    "load_risk_model",
    "mastery_trajectory",
    "read_roster",
    "save_risk_model",
    "skill_progress",
    "split_at_horizon",
    "split_by_learner",
    "success_metrics",
]
