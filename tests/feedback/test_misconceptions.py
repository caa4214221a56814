"""Every catalogued misconception is recognised on a draft that shows it and not on a correct
solution; patterns and the classifier speak only for failed attempts."""

from __future__ import annotations

import warnings

from jupyter_adaptive.curriculum import Course, Misconception
from jupyter_adaptive.feedback import (
    Detection,
    DraftClassifier,
    detect_misconceptions,
    skills_in_scope,
)


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
    detected = detect_misconceptions(course, [m.skill], source=draft, error=error, failed=failed)
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


def ids(detections: list[Detection]) -> list[str]:
    return [d.misconception.id for d in detections]


def test_the_answer_cells_error_is_read_before_the_tests(course: Course) -> None:
    [first, *_] = detect_misconceptions(
        course,
        ["py-values-types"],
        answer_error=("TypeError", 'can only concatenate str (not "int") to str'),
        error=("NameError", "name 'total_cost' is not defined"),
        source="total_cost = int(n_tickets_text) + ticket_price_text",
    )
    assert first.misconception.id == "text-plus-number"
    assert first.evidence.startswith("your code stopped with TypeError")
    [from_tests] = detect_misconceptions(
        course, ["py-functions"], error=("TypeError", "'int' object is not callable")
    )
    assert from_tests.evidence.startswith("the tests stopped with TypeError")


def test_an_error_with_a_pattern_outranks_an_error_alone(course: Course) -> None:
    ambiguous = ("ValueError", "The truth value of a Series is ambiguous. Use a.empty, ...")
    unparenthesised = 'big = df[df["a"] > 1 & df["b"] > 5]'
    assert ids(
        detect_misconceptions(
            course, ["pd-boolean-filtering"], answer_error=ambiguous, source=unparenthesised
        )
    )[:2] == ["missing-parentheses-in-mask", "python-and-on-series"]
    with_and = 'big = df[(df["a"] > 1) and (df["b"] > 5)]'
    assert ids(
        detect_misconceptions(
            course, ["pd-boolean-filtering"], answer_error=ambiguous, source=with_and
        )
    )[:2] == ["python-and-on-series", "missing-parentheses-in-mask"]


def test_a_pattern_the_solution_has_as_often_is_no_evidence(course: Course) -> None:
    reference = course.reference_code("ml-train-vs-test")
    assert reference is not None
    train = "train_acc = accuracy_score(y_train, model.predict(X_train))\n"
    test = "test_acc = accuracy_score(y_test, model.predict(X_test))\n"
    as_asked = train + test + "honest_score = round(test_acc, 1)\n"
    twice = train + test.replace("y_test", "y_train").replace("X_test", "X_train")
    scope = ["ml-evaluation"]
    assert "training-accuracy" not in ids(
        detect_misconceptions(course, scope, source=as_asked, reference=reference)
    )
    assert "training-accuracy" in ids(
        detect_misconceptions(course, scope, source=twice, reference=reference)
    )


def test_the_drafts_of_the_issue_are_recognised(course: Course) -> None:
    prints = "def to_fahrenheit(celsius):\n    print(celsius * 9 / 5 + 32)\n"
    assert ids(detect_misconceptions(course, ["py-functions"], source=prints))[0] == (
        "print-instead-of-return"
    )
    guarded = "for t in min_temps:\n    frost_days = 0\n    if t < 0:\n        frost_days += 1\n"
    assert ids(detect_misconceptions(course, ["py-control-flow"], source=guarded)) == [
        "accumulator-reset-in-loop"
    ]
    once = "frost_days = 0\nfor t in min_temps:\n    if t < 0:\n        frost_days += 1\n"
    assert not detect_misconceptions(course, ["py-control-flow"], source=once)
