"""The next-best exercise, pace and spaced review. Imports nothing from Jupyter or tornado.

- :mod:`.policy`: candidates in reach, their ranking and the reason in plain words;
- :mod:`.history`, :mod:`.pace`, :mod:`.formats`, :mod:`.collaborative`: what the ranking reads;
- :mod:`.simulation`: synthetic learners that compare the policy with fixed and random orders;
- :mod:`.advisor`, :mod:`.catalog`: what the server answers (next exercise, attempt feedback,
  teachers' item rules), read from the store and the course folders.
"""

from .collaborative import CollaborativeModel, Signal
from .formats import FORMATS, item_format, preferred_format
from .history import Attempt, LearnerHistory
from .pace import Pace, learner_pace, peer_medians
from .policy import FACTORS, ItemRules, Policy, PolicySettings, Recommendation

__all__ = [
    "FACTORS",
    "FORMATS",
    "Attempt",
    "CollaborativeModel",
    "ItemRules",
    "LearnerHistory",
    "Pace",
    "Policy",
    "PolicySettings",
    "Recommendation",
    "Signal",
    "item_format",
    "learner_pace",
    "peer_medians",
    "preferred_format",
]
