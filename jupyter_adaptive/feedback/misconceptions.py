"""Recognising the course's catalogued misconceptions in one attempt: its error and its draft.

An error signature is specific enough to report on any attempt. A code pattern is only a shape that
usually comes with the mistake, so it is reported for a failed attempt only; the same holds for the
draft classifier, which adds what the rules miss, with its confidence.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..curriculum import Course, Misconception
from .classifier import DraftClassifier

__all__ = ["Detection", "detect_misconceptions", "skills_in_scope"]

_SHOWN_CHARS = 120


@dataclass(frozen=True)
class Detection:
    """A misconception found in an attempt: how (``error``, ``pattern`` or ``classifier``), the
    evidence in plain words, and, for the classifier, its confidence."""

    misconception: Misconception
    via: str
    evidence: str
    confidence: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data for the attempt's feedback."""
        m = self.misconception
        return {
            "id": m.id,
            "title": m.title,
            "skill": m.skill,
            "via": self.via,
            "evidence": self.evidence,
            "confidence": self.confidence,
            "feedback": m.feedback.strip(),
        }


def skills_in_scope(course: Course, skills: Sequence[str]) -> list[str]:
    """The attempt's skills, then their prerequisites, nearest first: a mistake may come from an
    earlier skill."""
    scope = [s for s in skills if s in course.skills]
    for skill in scope:
        scope.extend(p for p in course.skills[skill].prerequisites if p not in scope)
    return scope


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 1] + "…"


def _pattern_evidence(misconception: Misconception, source: str) -> str | None:
    for pattern in misconception.patterns:
        node = pattern.search(source)
        if node is not None:
            line = getattr(node, "lineno", None)
            where = f" (line {line})" if line else ""
            return f"your code has `{_shorten(ast.unparse(node))}`{where}"
    return None


def detect_misconceptions(
    course: Course,
    skills: Sequence[str],
    *,
    error: tuple[str, str] | None = None,
    source: str | None = None,
    failed: bool = True,
    classifier: DraftClassifier | None = None,
) -> list[Detection]:
    """Every catalogued misconception of the attempt's skills (and their prerequisites) it shows.

    Error matches come first, then pattern matches, then the classifier's, each at most once.
    """
    scope = skills_in_scope(course, skills)
    catalogue = [m for skill in scope for m in course.misconceptions_for(skill)]
    found: dict[str, Detection] = {}
    if error is not None:
        ename, evalue = error
        for m in catalogue:
            if m.matches_error(ename, evalue):
                evidence = f"your code stopped with {ename}: {_shorten(evalue)}"
                found.setdefault(m.id, Detection(m, "error", evidence))
    if failed and source:
        for m in catalogue:
            shown = _pattern_evidence(m, source) if m.id not in found else None
            if shown is not None:
                found[m.id] = Detection(m, "pattern", shown)
        if classifier is not None:
            by_id = {m.id: m for m in catalogue}
            for label, confidence in classifier.detect(source, list(by_id)):
                if label not in found:
                    resembles = (
                        f"your draft resembles drafts that show this mistake "
                        f"(confidence {confidence:.2f})"
                    )
                    found[label] = Detection(by_id[label], "classifier", resembles, confidence)
    return list(found.values())
