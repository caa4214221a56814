"""Mastery trajectories: each learner's P(mastered) per skill, answer by answer, from a BKT model.

Both the at-risk features and the success metrics read these, so the dashboard, the flags and the
reports agree on what "mastered" means.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..mastery.online import posterior_after

if TYPE_CHECKING:
    import pandas as pd

    from ..mastery.bkt import BKT

__all__ = ["MASTERED", "mastery_trajectory"]

#: P(mastered) at or above which a skill counts as mastered (the usual BKT cut-off).
MASTERED = 0.95


def mastery_trajectory(model: BKT, data: pd.DataFrame) -> pd.DataFrame:
    """Per answer, the skill's P(mastered) before and after it and the P(right) predicted for it.

    Parameters
    ----------
    model : BKT
        A fitted :class:`~jupyter_adaptive.mastery.bkt.BKT`.
    data : pandas.DataFrame
        A validated response log sorted by user, then ``order_id``.

    Returns
    -------
    pandas.DataFrame
        Same index as ``data``, columns ``before``, ``after`` and ``p_correct``.
    """
    import pandas as pd

    p_correct, before = model.trace(data)
    column = model.item_column_
    items = data[column].tolist() if column is not None and column in data else [None] * len(data)
    after = np.fromiter(
        (
            posterior_after(prior, bool(correct), model.params_for(skill, item))
            for prior, correct, skill, item in zip(
                before, data["correct"], data["skill_name"], items, strict=True
            )
        ),
        dtype=np.float64,
        count=len(data),
    )
    return pd.DataFrame(
        {"before": before, "after": after, "p_correct": p_correct}, index=data.index
    )
