"""The feedback on one attempt: what went wrong (a misconception, with its evidence), a hint when
one is due, and the next step, all in plain words."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..curriculum import Course
from ..translation import _
from .classifier import DraftClassifier
from .hints import HintTiming, next_hint
from .misconceptions import Detection, detect_misconceptions

__all__ = ["AttemptContext", "attempt_feedback", "item_hints"]


@dataclass(frozen=True)
class AttemptContext:
    """What the feedback needs to know beyond the event: earlier failed tries on the same item,
    the peers' median time on it and the learner's pace ratio."""

    earlier_failures: int = 0
    peer_median_ms: float | None = None
    pace_ratio: float = 1.0


def item_hints(course: Course | None, item_id: str) -> tuple[str, ...]:
    """The hints of a practice item or graded exercise of the course, in the current language."""
    if course is None:
        return ()
    if item_id in course.items:
        return tuple(course.items[item_id].localized("hints"))
    exercise = next((e for e in course.exercises if e.id == item_id), None)
    return tuple(exercise.localized("hints")) if exercise else ()


def _raised(error: Mapping[str, Any] | None) -> tuple[str, str] | None:
    """An event's ``error`` or ``answer_error`` as (name, message), if it names an exception."""
    if not error or not error.get("ename"):
        return None
    return str(error["ename"]), str(error.get("evalue", ""))


def _first_paragraph(markdown: str) -> str:
    return " ".join(markdown.strip().split("\n\n")[0].split())


def attempt_feedback(
    course: Course | None,
    event: Mapping[str, Any],
    context: AttemptContext | None = None,
    *,
    classifier: DraftClassifier | None = None,
    timing: HintTiming | None = None,
    next_item: str | None = None,
) -> dict[str, Any]:
    """Feedback for an attempt event: ``kind`` (``correct``, ``misconception``, ``hint``,
    ``retry`` or ``skipped``), ``message``, ``misconceptions``, ``hint`` and ``next_step`` (which
    names ``next_item``, the recommended exercise, after a pass)."""
    context = context or AttemptContext()
    timing = timing or HintTiming()
    if event.get("outcome") == "skipped":
        step = _(
            "Replace `raise NotImplementedError()` with your answer, then run the tests again."
        )
        return {
            "kind": "skipped",
            "message": _("No answer yet, so nothing changed. {step}", step=step),
            "misconceptions": [],
            "hint": None,
            "next_step": step,
        }
    if event.get("outcome") == "correct":
        return {
            "kind": "correct",
            "message": _("All tests passed."),
            "misconceptions": [],
            "hint": None,
            "next_step": (
                _("Go on with the next exercise, `{item}`.", item=next_item)
                if next_item
                else _("Go on with the next exercise.")
            ),
        }
    error = event.get("error") or {}
    detections: list[Detection] = []
    if course is not None:
        detections = detect_misconceptions(
            course,
            event.get("skills") or (),
            answer_error=_raised(event.get("answer_error")),
            error=_raised(error),
            source=event.get("source"),
            failed=True,
            classifier=classifier,
            reference=course.reference_code(str(event.get("item"))),
        )
    failed_tries = context.earlier_failures + 1
    why = timing.why_due(
        failed_tries, event.get("duration_ms"), context.peer_median_ms, context.pace_ratio
    )
    hint = next_hint(item_hints(course, str(event.get("item"))), int(event.get("hints_used") or 0))
    offered = {"index": hint[0], "text": hint[1], "why": why} if hint and why else None
    if detections:
        top = detections[0]
        m = top.misconception
        step = (
            _("Fix this and run the tests again. A hint is below.")
            if offered
            else _("Fix this and run the tests again.")
        )
        message = _(
            "{title}: {evidence}. {explanation} {step}",
            title=m.localized("title"),
            evidence=top.evidence,
            explanation=_first_paragraph(m.localized("feedback")),
            step=step,
        )
        kind = "misconception"
    elif offered:
        step = _("Read the hint, change your code and run the tests again.")
        message = _("A hint, because {why}: {hint}", why=why, hint=offered["text"])
        kind = "hint"
    else:
        step = _("Read the test's message, change your code and run the tests again.")
        message = (
            _("Your code stopped with {error}.", error=error["ename"])
            if error
            else _("Not yet: a test failed.")
        )
        kind = "retry"
    return {
        "kind": kind,
        "message": f"{message} {step}" if kind != "misconception" else message,
        "misconceptions": [d.as_dict() for d in detections],
        "hint": offered,
        "next_step": step,
    }
