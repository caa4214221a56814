"""Early warning and success metrics: who is at risk, why, and how learners progress.

Free of Jupyter imports; reads response logs in pyBKT's columns.

- :mod:`.halves`: the fixed at-risk definition (second-half proportion correct below 0.6);
- :mod:`.features`: features of the first half of each learner's attempts;
- :mod:`.model`: :class:`RiskModel`, the at-risk estimator; :mod:`.explain`: why, in sentences;
- :mod:`.boosted_trees`: its trees as plain numbers; :mod:`.model_file`: its JSON model files;
- :mod:`.evaluation`: the 80/20 evaluation by learner next to the baseline;
- :mod:`.success`: mastery gain, time to mastery and completion per skill, unit or subgroup;
- :mod:`.fairness`: per-subgroup audit of the mastery and at-risk models (fairlearn).
"""

from .evaluation import baseline_risk, evaluate, split_by_learner
from .explain import RiskExplanation, explain
from .fairness import FairnessReport, Gap, activity_quartiles, fairness_report, read_roster
from .features import FEATURES
from .halves import AT_RISK_THRESHOLD, at_risk_labels, first_half, split_halves
from .model import RiskModel
from .model_file import load_risk_model, save_risk_model
from .success import learner_gain, skill_progress, success_metrics
from .trajectory import MASTERED, mastery_trajectory

__all__ = [
    "AT_RISK_THRESHOLD",
    "FEATURES",
    "MASTERED",
    "FairnessReport",
    "Gap",
    "RiskExplanation",
    "RiskModel",
    "activity_quartiles",
    "at_risk_labels",
    "baseline_risk",
    "evaluate",
    "explain",
    "fairness_report",
    "first_half",
    "learner_gain",
    "load_risk_model",
    "mastery_trajectory",
    "read_roster",
    "save_risk_model",
    "skill_progress",
    "split_by_learner",
    "split_halves",
    "success_metrics",
]
