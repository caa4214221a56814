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
from ..translation import _
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
            "title": m.localized("title"),
            "skill": m.skill,
            "via": self.via,
            "evidence": self.evidence,
            "confidence": self.confidence,
            "feedback": m.localized("feedback").strip(),
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


def _pattern_evidence(
    misconception: Misconception, source: str, reference: str | None
) -> str | None:
    for pattern in misconception.patterns:
        shown = pattern.find_all(source)
        if shown and len(shown) > len(pattern.find_all(reference or "")):
            node = shown[0]
            line = getattr(node, "lineno", None)
            code = _shorten(ast.unparse(node))
            if line:
                return _("your code has `{code}` (line {line})", code=code, line=line)
            return _("your code has `{code}`", code=code)
    return None


def _error_evidence(ename: str, evalue: str, in_answer: bool) -> str:
    message = _shorten(evalue)
    if in_answer:
        return _("your code stopped with {error}: {message}", error=ename, message=message)
    if ename == "AssertionError":
        return _("a test failed: {message}", message=message)
    return _("the tests stopped with {error}: {message}", error=ename, message=message)


def detect_misconceptions(
    course: Course,
    skills: Sequence[str],
    *,
    answer_error: tuple[str, str] | None = None,
    error: tuple[str, str] | None = None,
    source: str | None = None,
    failed: bool = True,
    classifier: DraftClassifier | None = None,
    reference: str | None = None,
) -> list[Detection]:
    """Every catalogued misconception of the attempt's skills (and their prerequisites) it shows,
    best supported first.

    ``answer_error`` is the error (name, message) of the learner's answer cell, ``error`` the
    tests'; the answer's is read first, since the tests often stop only at its consequence (a
    name the answer never defined). A misconception whose error signature and code pattern both
    match comes first, then error matches (the answer's before the tests'), then pattern matches,
    then the classifier's; within each, the attempt's own skills before their prerequisites.
    ``reference`` is a correct answer to the exercise: a pattern counts only where the draft has
    it more often than the reference, since the exercise asks for the reference's shapes.
    """
    scope = skills_in_scope(course, skills)
    catalogue = [m for skill in scope for m in course.misconceptions_for(skill)]
    by_error: dict[str, Detection] = {}
    for raised, in_answer in ((answer_error, True), (error, False)):
        if raised is None:
            continue
        for m in catalogue:
            if m.id not in by_error and m.matches_error(*raised):
                by_error[m.id] = Detection(m, "error", _error_evidence(*raised, in_answer))
    by_pattern: dict[str, Detection] = {}
    if failed and source:
        for m in catalogue:
            shown = _pattern_evidence(m, source, reference)
            if shown is not None:
                by_pattern[m.id] = Detection(m, "pattern", shown)
    found = {key: d for key, d in by_error.items() if key in by_pattern}
    found.update(by_error)
    for key, detection in by_pattern.items():
        found.setdefault(key, detection)
    if failed and source and classifier is not None:
        by_id = {m.id: m for m in catalogue}
        for label, confidence in classifier.detect(source, list(by_id)):
            if label not in found:
                resembles = _(
                    "your draft resembles drafts that show this mistake "
                    "(confidence {confidence:.2f})",
                    confidence=confidence,
                )
                found[label] = Detection(by_id[label], "classifier", resembles, confidence)
    return list(found.values())
