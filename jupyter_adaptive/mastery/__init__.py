"""Knowledge tracing: fitting, online update and evidence. Imports nothing from Jupyter or tornado.

- :mod:`.online`: the constant-time BKT update of one skill and its evidence sentence;
- :mod:`.bkt`: BKT fitted with pyBKT's C++ core (what the server shows to people);
- :mod:`.logistic`: the default predictor, logistic knowledge tracing with per-term evidence;
- :mod:`.responses`, :mod:`.features`, :mod:`.model_file`: input logs, practice counts, JSON files.
"""

from .online import (
    DEFAULT_PARAMS,
    OBSERVATION_KINDS,
    Evidence,
    SkillParams,
    explain_update,
    override,
    posterior_after,
    predict_correct,
    teacher_observation,
    update_skill,
)

__all__ = [
    "DEFAULT_PARAMS",
    "OBSERVATION_KINDS",
    "Evidence",
    "SkillParams",
    "explain_update",
    "override",
    "posterior_after",
    "predict_correct",
    "teacher_observation",
    "update_skill",
]
