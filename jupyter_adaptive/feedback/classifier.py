"""A text classifier of drafts, trained where labelled drafts exist: the catalogue's examples of
each misconception against correct solutions.

Drafts are split into identifiers, numbers and operator characters, so ``a and b`` and ``a & b``
differ; word pairs carry some structure. scikit-learn is imported when a classifier is fitted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..curriculum import Course

__all__ = ["CORRECT", "DraftClassifier"]

#: The label of drafts that show no misconception (reference solutions).
CORRECT = "correct"
_TOKENS = r"[A-Za-z_][A-Za-z_0-9]*|\d+|[^\sA-Za-z_0-9]"


@dataclass
class DraftClassifier:
    """TF-IDF of code tokens; one-vs-rest logistic regression on misconception ids and ``correct``.

    Parameters
    ----------
    min_confidence
        The smallest probability (among the labels in scope) reported as a detection.
    """

    min_confidence: float = 0.5
    pipeline_: Any = field(default=None, repr=False)
    labels_: tuple[str, ...] = ()

    def fit(self, drafts: Sequence[str], labels: Sequence[str]) -> DraftClassifier:
        """Learn from drafts and their labels (misconception ids or :data:`CORRECT`)."""
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.multiclass import OneVsRestClassifier
        from sklearn.pipeline import make_pipeline

        self.pipeline_ = make_pipeline(
            TfidfVectorizer(token_pattern=_TOKENS, lowercase=False, ngram_range=(1, 2)),
            OneVsRestClassifier(LogisticRegression(C=10.0, solver="liblinear")),
        )
        self.pipeline_.fit(list(drafts), list(labels))
        self.labels_ = tuple(str(c) for c in self.pipeline_.classes_)
        return self

    @classmethod
    def from_course(cls, course: Course, min_confidence: float = 0.5) -> DraftClassifier | None:
        """Fitted on the course's labelled drafts; None with under two labelled misconceptions."""
        drafts: list[str] = []
        labels: list[str] = []
        for m in course.misconceptions:
            drafts.extend(m.examples)
            labels.extend([m.id] * len(m.examples))
        if len(set(labels)) < 2:
            return None
        solutions = [item.reference_code for item in course.items.values()]
        return cls(min_confidence).fit(
            [*drafts, *solutions], [*labels, *[CORRECT] * len(solutions)]
        )

    def detect(self, draft: str, in_scope: Sequence[str]) -> list[tuple[str, float]]:
        """The labels in scope whose probability, renormalised over them and :data:`CORRECT`,
        reaches ``min_confidence``; most confident first."""
        if self.pipeline_ is None:
            return []
        proba = dict(zip(self.labels_, self.pipeline_.predict_proba([draft])[0], strict=True))
        wanted = [label for label in in_scope if label in proba]
        total = sum(proba[label] for label in wanted) + proba.get(CORRECT, 0.0)
        if not wanted or total <= 0.0:
            return []
        scored = sorted(((label, proba[label] / total) for label in wanted), key=lambda x: -x[1])
        return [(label, float(p)) for label, p in scored if p >= self.min_confidence]
