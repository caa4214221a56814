"""Forgetting in time: how fast a skill's estimate decays per day without practice.

BKT's ``forget`` is a probability per *answer*; spaced review needs a rate per *day*. With
timestamps, :func:`fit_forget_per_day` finds, per skill, the daily rate that best explains the
answers given after a pause: the estimate before such an answer is decayed by ``(1 - rate) ** days``
and the rate with the highest likelihood over a grid wins. A skill's own answers are pooled with
the course's (worth :data:`PRIOR_PAUSED_ANSWERS` answers after a pause), so a skill with few such
answers keeps close to the course's rate. Without timestamps the documented default,
:data:`DEFAULT_FORGET_PER_DAY`, is used.

:func:`estimate_in_time` and :func:`days_until_review` turn a rate into a review schedule: a
mastered skill stays mastered, and is due for review once its decayed estimate falls below the
review level (0.85 by default, under the mastery threshold of 0.95).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DEFAULT_FORGET_PER_DAY",
    "PRIOR_PAUSED_ANSWERS",
    "days_until_review",
    "decayed",
    "estimate_in_time",
    "fit_forget_per_day",
    "review_date",
]

#: Share of P(mastered) lost per day without practice when no timestamps allow fitting it: a skill
#: mastered at 0.97 falls to a review level of 0.85 after about 13 days.
DEFAULT_FORGET_PER_DAY = 0.01
#: How many answers given a day or more after the previous one on the skill the course's rate is
#: worth when a skill's own rate is fitted.
PRIOR_PAUSED_ANSWERS = 100
#: Candidate daily rates: none, then from 0.0005 to 0.3 a day.
_GRID = np.concatenate([[0.0], np.geomspace(5e-4, 0.3, 48)])
_DAY = 86400.0


def decayed(p: float, rate: float, days: float) -> float:
    """An estimate after ``days`` without practice at a daily forgetting ``rate``."""
    return p * (1.0 - rate) ** max(0.0, days)


def days_until_review(p: float, rate: float, review_below: float) -> float | None:
    """Days until an estimate ``p`` decays below ``review_below``; 0 if it is there already,
    None if it never gets there (no forgetting)."""
    if p < review_below:
        return 0.0
    if rate <= 0.0 or review_below <= 0.0:
        return None
    return math.log(review_below / p) / math.log(1.0 - rate)


def _log_likelihood(
    mastery: np.ndarray,
    guess: np.ndarray,
    slip: np.ndarray,
    days: np.ndarray,
    correct: np.ndarray,
) -> np.ndarray:
    """Log-likelihood of the answers under each rate of the grid (one column per rate)."""
    kept = (1.0 - _GRID)[None, :] ** days[:, None]
    p_known = mastery[:, None] * kept
    p = p_known * (1.0 - slip[:, None]) + (1.0 - p_known) * guess[:, None]
    p = np.clip(p, 1e-6, 1.0 - 1e-6)
    y = correct[:, None]
    result: np.ndarray = y * np.log(p) + (1.0 - y) * np.log(1.0 - p)
    return result


def fit_forget_per_day(
    data: pd.DataFrame, mastery: np.ndarray, guess: np.ndarray, slip: np.ndarray
) -> tuple[dict[str, float], float]:
    """Daily forgetting rates per skill from the answers given after a pause.

    Parameters
    ----------
    data : pandas.DataFrame
        A validated log sorted by user then ``order_id``, with a ``timestamp`` column (seconds).
    mastery, guess, slip : numpy.ndarray
        Aligned with the rows: P(mastered) of the row's skill before it (without decay in time) and
        the guess and slip that apply to it.

    Returns
    -------
    per_skill : dict of str to float
        Rates of the skills with answers after a day's pause.
    course : float
        The rate fitted on every skill's answers together (the default for other skills), or
        :data:`DEFAULT_FORGET_PER_DAY` when no answer came after a day's pause.
    """
    stamps = data["timestamp"].astype("float64")
    previous = stamps.groupby([data["user_id"], data["skill_name"]], sort=False).shift(1)
    days = ((stamps - previous) / _DAY).to_numpy()
    usable = np.isfinite(days) & (days > 0)
    paused = usable & (days >= 1.0)
    if not paused.any():
        return {}, DEFAULT_FORGET_PER_DAY
    ll = _log_likelihood(
        mastery[usable],
        guess[usable],
        slip[usable],
        days[usable],
        data["correct"].to_numpy(dtype=np.float64)[usable],
    )
    total = ll.sum(axis=0)
    course = float(_GRID[int(np.argmax(total))])
    prior = total * PRIOR_PAUSED_ANSWERS / int(paused.sum())
    skills = data["skill_name"].to_numpy()[usable]
    long_pause = paused[usable]
    per_skill: dict[str, float] = {}
    for skill in np.unique(skills[long_pause]):
        rows = skills == skill
        per_skill[str(skill)] = float(_GRID[int(np.argmax(ll[rows].sum(axis=0) + prior))])
    return per_skill, course


def estimate_in_time(
    p: float, rate: float, days: float, threshold: float, review_below: float
) -> float:
    """A skill's estimate ``days`` after it was last practised.

    A mastered skill (``p`` at least ``threshold``) keeps its estimate until the decayed one falls
    below ``review_below``, then reads the decayed one and comes back for review: one pause of a
    day never sends a skill mastered today back. Other skills read the decayed estimate.
    """
    now = decayed(p, rate, days)
    return p if p >= threshold and now >= review_below else now


def review_date(
    p: float, practised_at: datetime, rate: float, threshold: float, review_below: float
) -> datetime | None:
    """When a mastered skill, last practised at ``practised_at``, comes back for review; None for
    a skill not mastered (it is practised anyway) or one that is never forgotten."""
    if p < threshold:
        return None
    days = days_until_review(p, rate, review_below)
    return None if days is None else practised_at + timedelta(days=days)
