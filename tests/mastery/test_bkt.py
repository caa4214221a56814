"""BKT fitted with pyBKT's compiled core: parameter recovery, item-level guess/slip, defaults."""

from __future__ import annotations

import importlib.machinery

import numpy as np
import pandas as pd
import pytest

from jupyter_adaptive.mastery import SkillParams
from jupyter_adaptive.mastery.bkt import BKT, pybkt_core_is_compiled

#: Largest absolute error allowed on each recovered parameter (500 learners × 40 answers per skill).
TOLERANCE = 0.05

TRUE_PARAMS = {
    "fractions": SkillParams(prior=0.3, learn=0.15, guess=0.2, slip=0.1, forget=0.0),
    "ratios": SkillParams(prior=0.6, learn=0.05, guess=0.3, slip=0.15, forget=0.0),
}


def simulate(params: dict[str, SkillParams], learners: int, steps: int, seed: int) -> pd.DataFrame:
    """Answers drawn from the BKT generative model, one skill after the other per learner."""
    rng = np.random.default_rng(seed)
    rows = []
    order = 0
    for learner in range(learners):
        for skill, p in params.items():
            mastered = rng.random() < p.prior
            for _ in range(steps):
                correct = rng.random() < (1 - p.slip if mastered else p.guess)
                rows.append((order, f"u{learner}", skill, int(correct)))
                order += 1
                mastered = rng.random() >= p.forget if mastered else rng.random() < p.learn
    return pd.DataFrame(rows, columns=["order_id", "user_id", "skill_name", "correct"])


def test_the_compiled_pybkt_core_is_the_one_in_use() -> None:
    from pyBKT.fit import E_step

    assert isinstance(E_step.__loader__, importlib.machinery.ExtensionFileLoader)
    assert pybkt_core_is_compiled()


@pytest.mark.parametrize("skill", list(TRUE_PARAMS))
def test_parameters_are_recovered_from_data_generated_with_them(skill: str) -> None:
    data = simulate(TRUE_PARAMS, learners=500, steps=40, seed=1)
    model = BKT(forgets=False, item_guess_slip=False, num_fits=3).fit(data)
    fitted, true = model.params_[skill], TRUE_PARAMS[skill]
    for name in ("prior", "learn", "guess", "slip"):
        assert getattr(fitted, name) == pytest.approx(getattr(true, name), abs=TOLERANCE), name
    assert fitted.forget == 0.0


def test_predictions_follow_the_online_update_from_the_prior(ct_bkt: BKT, ct: pd.DataFrame) -> None:
    from jupyter_adaptive.mastery import posterior_after, predict_correct

    learner = ct[ct["user_id"] == ct["user_id"].iloc[0]].sort_values("order_id")
    p = ct_bkt.predict_proba(learner)[:, 1]
    state: dict[str, float] = {}
    for (skill, item, correct), predicted in zip(
        learner[["skill_name", "problem_id", "correct"]].itertuples(index=False), p, strict=True
    ):
        params = ct_bkt.params_for(skill, item)
        before = state.get(skill, params.prior)
        assert predicted == pytest.approx(predict_correct(before, params))
        state[skill] = posterior_after(before, bool(correct), params)


def test_frequent_templates_get_their_own_guess_and_slip(assist: pd.DataFrame) -> None:
    model = BKT(min_item_rows=30).fit(assist)
    assert model.item_column_ == "template_id"
    skill, items = next((s, d) for s, d in model.item_params_.items() if d)
    template, (guess, slip) = next(iter(items.items()))
    params = model.params_for(skill, template)
    assert (params.guess, params.slip) == (guess, slip)
    assert model.params_for(skill, "a template never seen") == model.params_[skill]


def test_unseen_skills_and_learners_get_default_parameters(ct_bkt: BKT) -> None:
    new = pd.DataFrame(
        {
            "order_id": [1, 2],
            "user_id": ["new", "new"],
            "skill_name": ["new skill"] * 2,
            "correct": [1, 0],
        }
    )
    p = ct_bkt.predict_proba(new)[:, 1]
    assert p[0] == pytest.approx(
        ct_bkt.default_params_.prior * (1 - ct_bkt.default_params_.slip)
        + (1 - ct_bkt.default_params_.prior) * ct_bkt.default_params_.guess
    )
    assert np.all((p > 0) & (p < 1))
