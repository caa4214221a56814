"""The teacher dashboard: view-models read through the store, the Voila notebook, a demo seeder.

Each panel has a plain-Python view-model (no widgets, no SQL):

- :mod:`.class_view`: learners × skills mastery, attempts, last activity; filters and sorting;
- :mod:`.at_risk`: who may be at risk, by transparent rules with weighted reasons;
- :mod:`.learner_detail`: one learner's timeline with drafts, hints, evidence and appeals;
- :mod:`.item_analysis`: per item attempts, proportion correct, discrimination, errors, flags;
- :mod:`.success`: mastery gain and time to mastery per skill, unit and roster group;
- :mod:`.decisions`: overrides, "mastered" marks and appeal answers, all in the audit log;
- :mod:`.export`: CSV of the class view and of one learner's record;
- :mod:`.seed`: a realistic synthetic class (``jupyter-adaptive seed``).
"""
