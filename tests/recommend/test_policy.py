"""The next-best exercise: what is in reach, mastery learning, teachers' rules, and reasons that
name the factors that actually drove the choice."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import replace

from jupyter_adaptive.curriculum import Course
from jupyter_adaptive.mastery import DEFAULT_PARAMS
from jupyter_adaptive.recommend import (
    Attempt,
    CollaborativeModel,
    ItemRules,
    LearnerHistory,
    Pace,
    Policy,
    PolicySettings,
)

MASTERED = 0.99


def history(mastery: Mapping[str, float], *attempts: Attempt) -> LearnerHistory:
    return LearnerHistory.of(mastery, attempts)


def all_but(course: Course, *open_skills: str) -> dict[str, float]:
    """Every skill mastered except ``open_skills`` (at 0.3)."""
    return {s: (0.3 if s in open_skills else MASTERED) for s in course.skills}


def miss(item: str, skill: str, error: str | None = None) -> Attempt:
    return Attempt(item, (skill,), False, error)


def test_prerequisites_are_respected(course: Course, policy: Policy) -> None:
    rng = random.Random(8)
    for _ in range(200):
        mastery = {s: rng.choice([0.1, 0.5, 0.97]) for s in course.skills}
        found = policy.recommend(history(mastery), explain=False).item
        if found is None:
            continue
        for skill in found.skills:
            assert all(mastery[p] >= 0.95 for p in course.prerequisites_closure(skill))
        assert any(mastery[s] < 0.95 for s in found.skills)


def test_a_new_learner_starts_at_the_root_of_the_skill_graph(policy: Policy) -> None:
    found = policy.recommend(history({}))
    assert found.skills == ("py-values-types",)
    assert "not mastered yet" in found.reason


def test_mastered_skills_get_no_more_practice(course: Course, policy: Policy) -> None:
    found = policy.recommend(history(all_but(course, "pd-merge")))
    assert found.item is not None and found.skills == ("pd-merge",)
    done = policy.recommend(history(all_but(course)))
    assert done.item is None
    assert "mastered" in done.reason
    assert done.as_dict()["cells"] == [] and done.as_dict()["item"] is None


def test_the_threshold_decides_what_counts_as_mastered(course: Course) -> None:
    mastery = {s: 0.9 for s in course.skills}
    strict = Policy(course, lambda _s: DEFAULT_PARAMS, PolicySettings(threshold=0.95))
    lenient = Policy(course, lambda _s: DEFAULT_PARAMS, PolicySettings(threshold=0.85))
    assert strict.recommend(history(mastery)).item is not None
    assert lenient.recommend(history(mastery)).item is None


def test_a_unit_narrows_practice_to_its_skills_and_their_prerequisites(
    course: Course, policy: Policy
) -> None:
    mastery = all_but(course, "pd-merge", "ml-evaluation")
    found = policy.recommend(history(mastery), unit="08_first_model")
    assert found.skills == ("ml-evaluation",)
    assert policy.recommend(history(mastery), unit="05_joins_reshaping").skills == ("pd-merge",)


def test_pins_come_first_until_passed(course: Course, policy: Policy) -> None:
    rules = ItemRules(pinned=("group-mean",))
    pinned = policy.recommend(history({}), rules=rules)
    assert pinned.item is not None and pinned.item.id == "group-mean"
    assert "teacher pinned" in pinned.reason and pinned.factors == ("pin",)
    passed = history({}, Attempt("group-mean", ("pd-groupby",), True))
    assert policy.recommend(passed, rules=rules).skills == ("py-values-types",)


def test_exclusions_are_honoured(course: Course, policy: Policy) -> None:
    items = [i.id for i in course.items_for_skill("py-values-types")]
    first = policy.recommend(history({})).item
    assert first is not None
    kept = next(i for i in items if i != first.id)
    rules = ItemRules(excluded=frozenset(set(items) - {kept}))
    found = policy.recommend(history({}), rules=rules).item
    assert found is not None and found.id == kept
    nothing = policy.recommend(history({}), rules=ItemRules(excluded=frozenset(items)))
    assert nothing.item is None and "No practice item" in nothing.reason


def test_a_just_failed_variant_is_not_repeated(course: Course, policy: Policy) -> None:
    first = policy.recommend(history({})).item
    assert first is not None
    failed = history({}, miss(first.id, "py-values-types"))
    again = policy.recommend(failed)
    assert again.item is not None and again.item.id != first.id
    assert f"not a repeat of `{first.id}`" in again.reason
    assert "novelty" in again.factors


def test_the_reason_names_repeated_misses_and_their_error(course: Course, policy: Policy) -> None:
    mastery = all_but(course, "pd-groupby")
    misses = (miss("x1", "pd-groupby", "KeyError"), miss("x2", "pd-groupby", "KeyError"))
    found = policy.recommend(history(mastery, *misses))
    assert found.reason.startswith("You missed Grouping and aggregating twice with a KeyError.")


def test_pace_changes_the_choice_and_the_reason(course: Course, policy: Policy) -> None:
    mastery = {**all_but(course, "pd-reshape"), "pd-reshape": 0.5}
    usual = policy.recommend(history(mastery), pace=Pace(1.0, 10))
    slow = policy.recommend(history(mastery), pace=Pace(2.0, 10))
    fast = policy.recommend(history(mastery), pace=Pace(0.5, 10))
    assert usual.item is not None and slow.item is not None and fast.item is not None
    assert (slow.item.difficulty, usual.item.difficulty, fast.item.difficulty) == (1, 2, 3)
    assert "pace" in slow.factors and "slower than most learners" in slow.reason
    assert "pace" in fast.factors and "faster than most learners" in fast.reason
    assert "pace" not in usual.factors and "pace" not in usual.reason


def with_video(course: Course, *item_ids: str) -> Course:
    video = "\n\nWatch https://youtu.be/abc first."
    items = dict(course.items)
    items.update({i: replace(items[i], prompt=items[i].prompt + video) for i in item_ids})
    return replace(course, items=items)


def test_a_preferred_format_changes_the_choice_and_the_reason(course: Course) -> None:
    edited = with_video(course, "reshape-melt-v2", "count-values", "count-values-v2")
    policy = Policy(edited, lambda _s: DEFAULT_PARAMS)
    attempts = [
        Attempt("iloc-by-position", ("pd-loc-iloc",), False),
        Attempt("loc-by-label", ("pd-loc-iloc",), False),
        Attempt("count-values", ("pd-sort-count",), True),
        Attempt("count-values-v2", ("pd-sort-count",), True),
    ]
    mastery = all_but(course, "pd-reshape")
    plain = policy.recommend(history(mastery))
    preferring = policy.recommend(history(mastery, *attempts))
    assert plain.item is not None and plain.item.id == "reshape-melt"
    assert preferring.item is not None and preferring.item.id == "reshape-melt-v2"
    assert "format" in preferring.factors and "video" in preferring.reason
    assert "format" not in plain.factors and "format" not in plain.reason


def test_what_helped_similar_learners_changes_the_choice_and_the_reason(
    course: Course, policy: Policy
) -> None:
    histories = {}
    for n in range(30):
        then = "group-size" if n % 2 else "group-mean"
        histories[f"l{n}"] = [
            miss("a", "pd-groupby", "KeyError"),
            Attempt(then, ("pd-groupby",), n % 2 == 1),
            Attempt("b", ("pd-groupby",), n % 2 == 1),
        ]
    model = CollaborativeModel().fit(histories)
    mastery = all_but(course, "pd-groupby")
    me = history(mastery, miss("a", "pd-groupby", "KeyError"), Attempt("z", ("pd-merge",), True))
    alone = policy.recommend(me)
    helped = policy.recommend(me, collaborative=model)
    assert alone.item is not None and alone.item.id == "group-mean"
    assert helped.item is not None and helped.item.id == "group-size"
    assert "Learners like you passed the next step after it (15 of 15)." in helped.reason
    assert "collaborative" in helped.factors and "collaborative" not in alone.factors


def test_no_collaborative_signal_before_enough_learners(course: Course) -> None:
    few = {"l1": [miss("a", "s", "KeyError"), Attempt("x", ("s",), True)]}
    from collections import Counter

    assert CollaborativeModel().fit(few).signal("s", Counter({"KeyError": 1}), "x") is None


def test_spaced_review_brings_back_a_decayed_skill(course: Course) -> None:
    forgetful = replace(DEFAULT_PARAMS, forget_per_day=0.05)
    policy = Policy(course, lambda _s: forgetful)
    mastery = {s: MASTERED for s in course.skills}
    assert policy.recommend(history(mastery), days_since={"pd-merge": 0.5}).item is None
    review = policy.recommend(history(mastery), days_since={"pd-merge": 30})
    assert review.skills == ("pd-merge",) and review.review
    assert "decayed" in review.reason


def test_misses_in_a_row_check_a_prerequisite(course: Course, policy: Policy) -> None:
    mastery = all_but(course, "pd-groupby")
    misses = [miss(f"g{n}", "pd-groupby") for n in range(3)]
    found = policy.recommend(history(mastery, *misses))
    assert found.item is not None
    assert found.skills[0] in course.prerequisites_closure("pd-groupby")
    assert found.factors == ("prerequisite",) and "3 times in a row" in found.reason


def test_a_faster_learner_gets_two_exercises_at_once(course: Course, policy: Policy) -> None:
    mastery = {**all_but(course, "pd-reshape"), "pd-reshape": 0.5}
    usual = policy.recommend(history(mastery), pace=Pace(1.0, 10))
    fast = policy.recommend(history(mastery), pace=Pace(0.5, 10))
    assert usual.also == () and len(usual.as_dict()["cells"]) == 3
    assert fast.item is not None and len(fast.also) == 1
    [other] = fast.also
    assert (other.variant_of or other.id) != (fast.item.variant_of or fast.item.id)
    assert fast.as_dict()["also"] == [other.id] and len(fast.as_dict()["cells"]) == 6
    assert f"`{other.id}` comes with it" in fast.reason
