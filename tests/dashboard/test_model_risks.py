"""The at-risk list from the fitted early-warning model: its risk, its sentences, their weights."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from jupyter_adaptive.dashboard.at_risk import MODEL, model_risks
from jupyter_adaptive.dashboard.seed import seed_class
from jupyter_adaptive.dashboard.widgets import Dashboard
from jupyter_adaptive.mastery.responses import validate
from jupyter_adaptive.recording import Recorder
from jupyter_adaptive.risk.model import RiskModel
from jupyter_adaptive.store import Store
from jupyter_adaptive.store.responses import RESPONSE_COLUMNS, responses


def test_model_reasons_carry_the_model_contributions() -> None:
    store = Store.open("sqlite://")
    seed_class(store, learners=40, skills=3, events=1600, seed=1)
    with store.transaction() as session:
        data = validate(pd.DataFrame(list(responses(store, session)), columns=RESPONSE_COLUMNS))
    model = RiskModel().fit(data)
    risks = model_risks(store, "demo-course", model)
    reached = data.groupby("user_id").size() >= model.horizon
    assert len(risks) == reached.sum() >= 35 and {r.model for r in risks} == {MODEL}
    assert any(r.flagged for r in risks) and not all(r.flagged for r in risks)
    assert all(r.flagged == (r.score >= model.flag_threshold) for r in risks)
    flagged = risks[0]
    assert flagged.flagged and flagged.reasons
    weighted = [reason for reason in flagged.reasons if reason.rule != "weakest_skills"]
    for reason in weighted:
        assert reason.sentence.endswith(".")
        assert f"by {abs(reason.weight):.2f}" in reason.sentence
    assert weighted[0].weight == pytest.approx(max(r.weight for r in weighted))
    # The weakest skills are named as the dashboard names them, not by id.
    named = model_risks(store, "demo-course", model, lambda skill: f"Skill {skill.upper()}")
    [weakest] = [reason for reason in named[0].reasons if reason.rule == "weakest_skills"]
    assert re.fullmatch(
        r"Weakest skills by P\(mastered\): Skill SKILL-\d+ \(\d\.\d\d\)(, Skill SKILL-\d+ "
        r"\(\d\.\d\d\))*\.",
        weakest.sentence,
    ), weakest.sentence
    assert model_risks(store, "no-such-course", model) == []
    dashboard = Dashboard(Recorder(store), "demo-course", "teacher", model)
    dashboard.risk_tab.refresh()
    assert "flagged by the early-warning model" in dashboard.risk_tab.widget.value
    assert flagged.learner in dashboard.risk_tab.widget.value
