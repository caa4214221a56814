"""Knowledge tracing: fitting, online update and evidence.

Imports nothing from Jupyter or tornado.
"""

from .online import DEFAULT_PARAMS, SkillParams, posterior_after, predict_correct

__all__ = ["DEFAULT_PARAMS", "SkillParams", "posterior_after", "predict_correct"]
