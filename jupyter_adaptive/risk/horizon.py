"""The at-risk definition at a fixed horizon: the first ``K`` attempts of each learner, and what
follows.

A teacher acts at a point they can name in advance: after a learner's first ``K`` attempts
(:data:`HORIZONS`). A prediction reads those ``K`` attempts and nothing else: no count or feature
of what comes later, not even how long the learner keeps going. The label reads only what follows:
*at risk* means a proportion correct below :data:`AT_RISK_THRESHOLD` over the attempts after the
horizon. A learner is labelled when at least :data:`MIN_FOLLOWING` attempts follow; one with fewer
than ``K`` attempts has not reached the horizon and is not scored yet.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import InvalidRequestError
from ..mastery.responses import sort_responses

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = [
    "AT_RISK_THRESHOLD",
    "DEFAULT_HORIZON",
    "HORIZONS",
    "MIN_FOLLOWING",
    "at_risk_labels",
    "early_attempts",
    "split_at_horizon",
]

#: Proportion correct over the attempts after the horizon below which a learner is at risk.
AT_RISK_THRESHOLD = 0.6
#: The horizons (attempts) reported by the benchmark and ``risk evaluate``.
HORIZONS = (5, 10, 20)
#: The horizon a model is fitted for unless told otherwise.
DEFAULT_HORIZON = 10
#: Attempts after the horizon a learner needs to be labelled.
MIN_FOLLOWING = 5


def _check(horizon: int) -> None:
    if horizon < 1:
        raise InvalidRequestError(f"the horizon must be at least 1 attempt, not {horizon}.")


def _positions(data: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Each row's position in its learner's attempts, and that learner's number of attempts."""
    users = data["user_id"]
    position = data.groupby(users, sort=False).cumcount().to_numpy()
    size = users.map(users.value_counts()).to_numpy()
    return position, size


def split_at_horizon(data: pd.DataFrame, horizon: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The first ``horizon`` attempts and the attempts after them, of each learner with at least
    ``horizon + MIN_FOLLOWING`` attempts (the learners that can be labelled), sorted by user, then
    ``order_id``.

    Raises
    ------
    InvalidRequestError
        No learner has that many attempts.
    """
    _check(horizon)
    data = sort_responses(data)
    position, size = _positions(data)
    kept = size >= horizon + MIN_FOLLOWING
    if not kept.any():
        raise InvalidRequestError(
            f"no learner has {horizon + MIN_FOLLOWING} or more attempts, so none has "
            f"{MIN_FOLLOWING} attempts after a horizon of {horizon} to predict."
        )
    early = position < horizon
    return data[kept & early], data[kept & ~early]


def early_attempts(data: pd.DataFrame, horizon: int) -> pd.DataFrame:
    """The first ``horizon`` attempts of each learner who has reached the horizon: all that a
    prediction may read."""
    _check(horizon)
    data = sort_responses(data)
    position, size = _positions(data)
    return data[(size >= horizon) & (position < horizon)]


def at_risk_labels(data: pd.DataFrame, horizon: int) -> pd.Series:
    """Per labelled learner (index ``user_id``): 1 if their proportion correct after the first
    ``horizon`` attempts is below :data:`AT_RISK_THRESHOLD`, else 0."""
    later = split_at_horizon(data, horizon)[1]
    proportion = later.groupby("user_id", sort=True)["correct"].mean()
    return (proportion < AT_RISK_THRESHOLD).astype("int8").rename("at_risk")
