"""Every catalogued misconception is recognised on a draft that shows it and not on a correct
solution; patterns and the classifier speak only for failed attempts."""

from __future__ import annotations

import warnings

from jupyter_adaptive.curriculum import Course, Misconception
from jupyter_adaptive.feedback import DraftClassifier, detect_misconceptions, skills_in_scope


def raised_by(draft: str) -> tuple[str, str] | None:
    """The exception a draft raises when run, as (name, message)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            exec(compile(draft, "<draft>", "exec"), {})
        except Exception as exc:
            return type(exc).__name__, str(exc)
    return None


def found(
    course: Course,
    m: Misconception,
    draft: str,
    *,
    error: tuple[str, str] | None = None,
    failed: bool = True,
) -> set[str]:
    detected = detect_misconceptions(course, [m.skill], source=draft, error=error, failed=failed
    )
    return {d.misconception.id for d in detected}


def test_each_misconception_is_detected_on_its_examples(course: Course) -> None:
    for m in course.misconceptions:
        for example in m.examples:
            error = raised_by(example) if m.errors and not m.matches_draft(example) else None
            ids = found(course, m, example, error=error)
            assert m.id in ids, (m.id, example)


def test_no_misconception_is_reported_on_a_correct_solution(course: Course) -> None:
    for m in course.misconceptions:
        for item in course.items_for_skill(m.skill):
            assert not found(course, m, item.reference_code, failed=False)


def test_error_matches_report_the_error_as_evidence(course: Course) -> None:
    [detection, *_] = detect_misconceptions(
        course, ["pd-column-selection"], error=("KeyError", "'Score'"), failed=True
    )
    assert detection.misconception.id == "column-name-typo"
    assert detection.via == "error" and "KeyError: 'Score'" in detection.evidence
    assert detection.confidence is None


def test_a_pattern_counts_only_when_the_attempt_failed(course: Course) -> None:
    draft = "squares = []\nsquares = squares.append(4)\n"
    assert "append-returns-none" in {
        d.misconception.id for d in detect_misconceptions(course, ["py-collections"], source=draft)
    }
    assert not detect_misconceptions(course, ["py-collections"], source=draft, failed=False)
    [detection] = [
        d
        for d in detect_misconceptions(course, ["py-collections"], source=draft)
        if d.misconception.id == "append-returns-none"
    ]
    assert detection.via == "pattern" and "line 2" in detection.evidence


def test_prerequisite_misconceptions_are_in_scope_nearest_first(course: Course) -> None:
    scope = skills_in_scope(course, ["pd-groupby"])
    assert scope[0] == "pd-groupby"
    assert scope.index("pd-column-selection") < scope.index("py-collections")
    [first, *_] = detect_misconceptions(course, ["pd-groupby"], error=("KeyError", "'Team'"))
    assert first.misconception.skill == "pd-column-selection"


def test_the_classifier_adds_detections_with_confidence(
    course: Course, classifier: DraftClassifier
) -> None:
    m = next(m for m in course.misconceptions if m.patterns and m.examples)
    draft = m.examples[0]
    labels = dict(classifier.detect(draft, [x.id for x in course.misconceptions_for(m.skill)]))
    assert m.id in labels and 0.5 <= labels[m.id] <= 1.0
    bare = Misconception(m.id, m.skill, m.title, m.feedback, examples=m.examples)
    edited = type(course)(**{**course.__dict__, "misconceptions": (bare,)})
    [detection] = detect_misconceptions(edited, [m.skill], source=draft, classifier=classifier)
    assert detection.via == "classifier" and detection.confidence is not None
    assert "confidence" in detection.evidence


def test_the_classifier_is_quiet_on_correct_solutions(
    course: Course, classifier: DraftClassifier
) -> None:
    for item in course.items.values():
        scope = [m.id for s in item.skills for m in course.misconceptions_for(s)]
        assert not classifier.detect(item.reference_code, scope), item.id
