"""Early warning and success metrics: who is at risk, why, and how learners progress.

Free of Jupyter imports; reads response logs in pyBKT's columns.

- :mod:`.halves`: the fixed at-risk definition (second-half proportion correct below 0.6);
- :mod:`.features`: features of the first half of each learner's attempts;
- :mod:`.model`: :class:`RiskModel`, the at-risk estimator; :mod:`.explain`: why, in sentences;
- :mod:`.evaluation`: the 80/20 evaluation by learner next to the baseline;
- :mod:`.success`: mastery gain, time to mastery and completion per skill, unit or subgroup;
- :mod:`.fairness`: per-subgroup audit of the mastery and at-risk models (fairlearn).
"""
