"""Feedback on attempts: misconceptions from the error and the draft, hint timing, the next step.
Imports nothing from Jupyter or tornado; scikit-learn only when a draft classifier is fitted.
"""

from .attempt_feedback import AttemptContext, attempt_feedback, item_hints
from .classifier import CORRECT, DraftClassifier
from .hints import DEFAULT_IDLE_MS, HintTiming, next_hint
from .misconceptions import Detection, detect_misconceptions, skills_in_scope

__all__ = [
    "CORRECT",
    "DEFAULT_IDLE_MS",
    "AttemptContext",
    "Detection",
    "DraftClassifier",
    "HintTiming",
    "attempt_feedback",
    "detect_misconceptions",
    "item_hints",
    "next_hint",
    "skills_in_scope",
]
