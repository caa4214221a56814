"""The constant-time BKT update and its evidence."""

from __future__ import annotations

import pytest

from jupyter_adaptive.mastery import (
    SkillParams,
    explain_update,
    override,
    posterior_after,
    predict_correct,
    update_skill,
)

PARAMS = SkillParams(prior=0.3, learn=0.2, guess=0.25, slip=0.1, forget=0.05)


def test_posterior_after_a_right_answer_is_bayes_rule_then_the_transition() -> None:
    conditioned = 0.4 * 0.9 / (0.4 * 0.9 + 0.6 * 0.25)
    expected = conditioned * (1 - 0.05) + (1 - conditioned) * 0.2
    assert posterior_after(0.4, True, PARAMS) == pytest.approx(expected)


def test_posterior_after_a_wrong_answer_is_bayes_rule_then_the_transition() -> None:
    conditioned = 0.4 * 0.1 / (0.4 * 0.1 + 0.6 * 0.75)
    expected = conditioned * (1 - 0.05) + (1 - conditioned) * 0.2
    assert posterior_after(0.4, False, PARAMS) == pytest.approx(expected)


def test_right_answers_raise_and_wrong_answers_lower_the_estimate() -> None:
    right, wrong = posterior_after(0.5, True, PARAMS), posterior_after(0.5, False, PARAMS)
    assert wrong < 0.5 < right


def test_predict_correct_mixes_slip_and_guess() -> None:
    assert predict_correct(1.0, PARAMS) == pytest.approx(0.9)
    assert predict_correct(0.0, PARAMS) == pytest.approx(0.25)


def test_an_answer_the_parameters_call_impossible_leaves_the_estimate_unchanged() -> None:
    certain = SkillParams(prior=1.0, learn=0.0, guess=0.2, slip=0.0, forget=0.0)
    assert posterior_after(1.0, False, certain) == pytest.approx(1.0)


def test_explain_update_reads_as_one_sentence() -> None:
    assert str(explain_update("groupby_mean_2", True, 0.41, 0.68)) == (
        "passed `groupby_mean_2` on the first try: 0.41 → 0.68"
    )
    assert str(explain_update("merge_1", False, 0.5, 0.37, attempt=3, skill="merge")) == (
        "did not pass `merge_1` on try 3: `merge` 0.50 → 0.37"
    )


def test_update_skill_returns_an_evidence_row_with_prior_posterior_and_parameters() -> None:
    evidence = update_skill(0.41, True, PARAMS, skill="groupby", item="groupby_mean_2")
    assert evidence.prior == 0.41
    assert evidence.posterior == pytest.approx(posterior_after(0.41, True, PARAMS))
    assert evidence.reason.startswith("passed `groupby_mean_2` on the first try: 0.41 → ")
    row = evidence.as_dict()
    assert row["params"] == PARAMS.as_dict()
    assert row["skill"] == "groupby" and row["correct"] is True


def test_an_item_with_several_skills_names_each_skill_in_its_evidence() -> None:
    rows = [
        update_skill(0.5, False, PARAMS, skill=s, item="join_2", name_skill=True)
        for s in ("merge", "indexing")
    ]
    assert ["`merge`" in rows[0].reason, "`indexing`" in rows[1].reason] == [True, True]


def test_a_teacher_override_keeps_both_values_and_updates_continue_from_it() -> None:
    evidence = override("merge", 0.35, 0.9, "passed the oral exam")
    assert (evidence.prior, evidence.posterior) == (0.35, 0.9)
    assert "0.90" in evidence.reason and "0.35" in evidence.reason
    assert "passed the oral exam" in evidence.reason
    after = update_skill(evidence.posterior, True, PARAMS, skill="merge", item="m1")
    assert after.prior == 0.9


def test_an_override_outside_zero_one_is_refused() -> None:
    with pytest.raises(ValueError, match="probability"):
        override("merge", 0.3, 1.5, "typo")
