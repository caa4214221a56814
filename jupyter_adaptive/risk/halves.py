"""The fixed at-risk definition: each learner's attempts split in two halves by ``order_id``.

A learner's first half is their first ``n // 2`` attempts and the second half the rest; a learner
with fewer than two attempts has no second half and is left out. Features read the first half
only; the label reads the second half only: *at risk* means a proportion correct below
:data:`AT_RISK_THRESHOLD` there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import InvalidRequestError
from ..mastery.responses import sort_responses

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["AT_RISK_THRESHOLD", "MIN_ATTEMPTS", "at_risk_labels", "first_half", "split_halves"]

#: Proportion correct over the second half below which a learner is at risk.
AT_RISK_THRESHOLD = 0.6
#: Attempts a learner needs to have both halves.
MIN_ATTEMPTS = 2


def split_halves(data: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The first and second halves of each learner's attempts in a validated response log.

    Both halves are sorted by user, then ``order_id``; learners with fewer than
    :data:`MIN_ATTEMPTS` attempts are in neither.

    Raises
    ------
    InvalidRequestError
        No learner has two attempts.
    """
    data = sort_responses(data)
    users = data["user_id"]
    position = data.groupby(users, sort=False).cumcount().to_numpy()
    size = users.map(users.value_counts()).to_numpy()
    kept = size >= MIN_ATTEMPTS
    if not kept.any():
        raise InvalidRequestError(
            f"no learner has {MIN_ATTEMPTS} or more attempts, so none has a second half to predict."
        )
    early = position < size // 2
    return data[kept & early], data[kept & ~early]


def first_half(data: pd.DataFrame) -> pd.DataFrame:
    """Only the first half of each learner's attempts (what a prediction may read)."""
    return split_halves(data)[0]


def at_risk_labels(data: pd.DataFrame) -> pd.Series:
    """Per learner (index ``user_id``): 1 if their second-half proportion correct is below
    :data:`AT_RISK_THRESHOLD`, else 0."""
    second = split_halves(data)[1]
    proportion = second.groupby("user_id", sort=True)["correct"].mean()
    return (proportion < AT_RISK_THRESHOLD).astype("int8").rename("at_risk")
