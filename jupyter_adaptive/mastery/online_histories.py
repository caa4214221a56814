"""Each learner's history as the served model reads it, kept between answers.

The served model predicts an answer from counts of the learner's earlier answers
(:class:`~jupyter_adaptive.mastery.features.LearnerHistory`) and, for its BKT part, the learner's
P(mastered) as that model traced it. Both are kept per (learner, course) for at most
``max_learners`` pairs, least recently used dropped, with the model that traced them and the last
stored row folded in. A state is rebuilt from the stored answers when it is missing or was traced
by another model (after a refit), so each answer costs constant time and the predictions are the
ones ``mastery predict`` makes on the same rows with the same model.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from .course_models import ServedModel
from .features import LearnerHistory

__all__ = ["Answer", "OnlineHistories", "OnlineState", "Prediction", "fold"]

#: One skill of one stored answer: row id, event id, skill, correct, item, timestamp (seconds).
Answer = tuple[int, str, str, bool, str | None, float]


@dataclass
class OnlineState:
    """A learner's history in a course, traced by the model ``model_id`` up to row ``last_row``."""

    model_id: str
    history: LearnerHistory = field(default_factory=LearnerHistory)
    last_row: int = 0


@dataclass(frozen=True)
class Prediction:
    """The served model's probability of a right answer on one skill, made before the answer, and
    whether the answer raised its probability of a right answer on that skill."""

    skill: str
    p_correct: float
    rose: bool


def fold(
    served: ServedModel,
    state: OnlineState,
    answers: Iterable[Answer],
    predict: Collection[str] = (),
) -> dict[str, list[Prediction]]:
    """Add stored answers to a learner's state in order, predicting those of the events in
    ``predict`` before adding them.

    Returns
    -------
    dict of str to list of Prediction
        Per predicted event id, one prediction per skill in the order of the event's skills.
    """
    predictions: dict[str, list[Prediction]] = {}
    for row_id, event_id, skill, correct, item, stamp in answers:
        if event_id in predict:
            p, rose = served.step(state.history, skill, correct, item, stamp)
            predictions.setdefault(event_id, []).append(Prediction(skill, p, rose))
        else:
            served.record(state.history, skill, correct, item, stamp)
        state.last_row = max(state.last_row, row_id)
    return predictions


class OnlineHistories:
    """Learners' online states by (learner, course), at most ``max_learners`` of them."""

    def __init__(self, max_learners: int = 5000) -> None:
        self.max_learners = max_learners
        self._lock = threading.Lock()
        self._states: OrderedDict[tuple[str, str], OnlineState] = OrderedDict()

    def state(self, learner_id: str, course: str, model_id: str) -> OnlineState:
        """The learner's state traced by ``model_id``; a new, empty one (to be filled from the
        stored answers) when there is none or another model traced it."""
        key = (learner_id, course)
        with self._lock:
            found = self._states.get(key)
            if found is None or found.model_id != model_id:
                found = OnlineState(model_id)
                self._states[key] = found
            self._states.move_to_end(key)
            while len(self._states) > self.max_learners:
                self._states.popitem(last=False)
            return found

    def forget(self, learner_id: str | None = None, course: str | None = None) -> None:
        """Drop the states of a learner (every learner when None) in a course (every course
        when None): after their data changed elsewhere (deleted, purged, a failed batch)."""
        with self._lock:
            for key in list(self._states):
                if learner_id in (None, key[0]) and course in (None, key[1]):
                    del self._states[key]
