"""Fitting a model as it is served: the estimator, then a calibration map judged on held-out
learners.

Every model that ``mastery fit``, ``mastery refit`` or the server's background refit writes goes
through :func:`fit_model`: a probe model fitted on 80% of the learners predicts the other 20%; the
calibration map that makes those predictions most reliable (none, Platt or isotonic, chosen by
cross-validation over the held-out learners) is kept with the model fitted on every learner,
together with the report (expected calibration error before and after, reliability bins).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .calibration import fit_calibration
from .model_file import DEFAULT_MODEL, make_model
from .responses import ordered_log

if TYPE_CHECKING:
    import pandas as pd

    from .model_file import Estimator

__all__ = ["HELD_OUT_SHARE", "MIN_LEARNERS_TO_CALIBRATE", "fit_model"]

#: Share of learners held out to fit and judge the calibration map.
HELD_OUT_SHARE = 0.2
#: Learners the data needs before a calibration map is fitted (fewer: the model is left as fitted).
MIN_LEARNERS_TO_CALIBRATE = 20


def fit_model(data: pd.DataFrame, name: str = DEFAULT_MODEL, seed: int = 0) -> Estimator:
    """Fit the model ``name`` (see :data:`~jupyter_adaptive.mastery.model_file.MODELS`) on a
    response log, with its calibration map and report.

    Raises
    ------
    InvalidRequestError
        When the log is malformed or cannot be fitted (e.g. every answer is right).
    """
    log = ordered_log(data)
    users = np.array(sorted(log["user_id"].unique()))
    model = make_model(name)
    if len(users) >= MIN_LEARNERS_TO_CALIBRATE:
        np.random.RandomState(seed).shuffle(users)
        held_out = set(users[: max(1, round(HELD_OUT_SHARE * len(users)))])
        is_held = log["user_id"].isin(held_out).to_numpy()
        train, test = log[~is_held], log[is_held]
        if train["correct"].nunique() == 2:
            probe = make_model(name).fit(train.reset_index(drop=True))
            p = probe.predict_proba(test.reset_index(drop=True))[:, 1]
            calibration, report = fit_calibration(test["correct"], p, test["user_id"], seed=seed)
            model.fit(log.reset_index(drop=True))
            model.calibration_, model.calibration_report_ = calibration, report
            return model
    return model.fit(log.reset_index(drop=True))
