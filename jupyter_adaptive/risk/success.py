"""Success metrics shared with the dashboard: mastery gain, time to mastery and completion.

Per learner and skill, from the mastery model's trajectory (:mod:`.trajectory`):

- *mastery gain*: P(mastered) after the last answer minus before the first;
- *time to mastery*: answers on the skill until P(mastered) first reaches
  :data:`~jupyter_adaptive.risk.trajectory.MASTERED` (missing when it never does);
- *completion*: whether the skill is mastered after the last answer.

:func:`success_metrics` summarizes them per skill, unit (a ``unit`` or ``unit_section`` column)
or any subgroup column joined from a roster.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..errors import InvalidRequestError
from ..mastery.responses import sort_responses
from .trajectory import MASTERED, mastery_trajectory

if TYPE_CHECKING:
    import pandas as pd

    from ..mastery.bkt import BKT

__all__ = ["UNIT_COLUMNS", "learner_gain", "skill_progress", "success_metrics"]

#: Columns naming an answer's unit, in order of preference.
UNIT_COLUMNS = ("unit", "unit_section")


def skill_progress(model: BKT, data: pd.DataFrame) -> pd.DataFrame:
    """One row per learner and skill: ``user_id``, ``skill_name``, ``unit`` (when the log has
    one), ``attempts``, ``first``, ``last``, ``mastery_gain``, ``time_to_mastery``,
    ``completed``.

    Parameters
    ----------
    model : BKT
        A fitted mastery model.
    data : pandas.DataFrame
        A validated response log.
    """
    data = sort_responses(data)
    trajectory = mastery_trajectory(model, data)
    keys = [data["user_id"], data["skill_name"]]
    step = data.groupby(keys, sort=False).cumcount() + 1
    reached = step.where(trajectory["after"] >= MASTERED)
    frame = trajectory.assign(step=step, reached=reached)
    unit = next((c for c in UNIT_COLUMNS if c in data), None)
    if unit is not None:
        frame["unit"] = data[unit].astype(str)
    grouped = frame.groupby(keys, sort=True)
    result = grouped.agg(
        attempts=("step", "size"),
        first=("before", "first"),
        last=("after", "last"),
        time_to_mastery=("reached", "min"),
        **({"unit": ("unit", "first")} if unit is not None else {}),
    )
    result["mastery_gain"] = result["last"] - result["first"]
    result["completed"] = result["last"] >= MASTERED
    return result.reset_index()


def learner_gain(progress: pd.DataFrame) -> pd.Series:
    """Mean mastery gain over each learner's skills (index ``user_id``)."""
    return progress.groupby("user_id", sort=True)["mastery_gain"].mean().rename("mastery_gain")


def success_metrics(
    progress: pd.DataFrame, by: str = "skill_name", groups: pd.Series | None = None
) -> pd.DataFrame:
    """Success metrics per value of ``by``.

    Parameters
    ----------
    progress : pandas.DataFrame
        From :func:`skill_progress`.
    by : str
        ``skill_name``, ``unit``, ``user_id``, or ``group`` (then ``groups`` is required).
    groups : pandas.Series, optional
        Each learner's subgroup (index ``user_id``); learners missing from it are ``unknown``.

    Returns
    -------
    pandas.DataFrame
        Index the values of ``by``; columns ``learners``, ``mastery_gain`` (mean),
        ``time_to_mastery`` (median answers, over skills that were mastered) and ``completion``
        (share of learner-skills mastered).
    """
    if by == "group":
        if groups is None:
            raise InvalidRequestError("metrics by subgroup need a roster of learners' groups.")
        progress = progress.assign(group=progress["user_id"].map(groups).fillna("unknown"))
    elif by not in progress:
        raise InvalidRequestError(
            f"the log has no `{by}` column, so there are no metrics per {by}"
            + (f" (looked for {', '.join(UNIT_COLUMNS)})." if by == "unit" else ".")
        )
    grouped = progress.groupby(by, sort=True)
    return grouped.agg(
        learners=("user_id", "nunique"),
        mastery_gain=("mastery_gain", "mean"),
        time_to_mastery=("time_to_mastery", "median"),
        completion=("completed", "mean"),
    ).astype({"completion": np.float64})
