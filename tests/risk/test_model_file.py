"""Risk model files: the same model back, and a clear refusal of what cannot be trusted."""

from __future__ import annotations

import json
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from jupyter_adaptive.errors import InvalidRequestError
from jupyter_adaptive.risk.explain import explain
from jupyter_adaptive.risk.model import RiskModel
from jupyter_adaptive.risk.model_file import FORMAT_VERSION, load_risk_model, save_risk_model

REFIT = "refit the model with `jupyter-adaptive risk fit`"


@pytest.fixture
def saved(ct_risk: RiskModel, tmp_path: Path) -> Path:
    path = tmp_path / "risk.model"
    save_risk_model(ct_risk, path)
    return path


def test_a_saved_model_scores_and_explains_learners_as_before(
    ct: pd.DataFrame, ct_risk: RiskModel, saved: Path
) -> None:
    loaded = load_risk_model(saved)
    pd.testing.assert_series_equal(loaded.risk(ct), ct_risk.risk(ct), check_exact=True)
    assert explain(loaded, ct) == explain(ct_risk, ct)


def test_a_model_file_is_json_with_its_fit_date_and_size(ct_risk: RiskModel, saved: Path) -> None:
    document = json.loads(saved.read_text(encoding="utf-8"))
    assert document["format_version"] == FORMAT_VERSION
    assert document["fitted_at"] == ct_risk.fitted_at_
    assert document["learners"] == ct_risk.n_users_


def test_a_pickled_model_file_is_refused_without_running_it(
    malicious_pickle: tuple[Path, Path],
) -> None:
    path, marker = malicious_pickle
    with pytest.raises(InvalidRequestError, match=REFIT) as refused:
        load_risk_model(path)
    assert "is a pickle" in refused.value.message
    assert not marker.exists()
    pickle.loads(path.read_bytes())
    assert marker.is_dir(), "the file was harmless: this test proves nothing"


def test_a_file_that_is_not_a_model_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a model\n")
    with pytest.raises(InvalidRequestError, match="is not a jupyter-adaptive risk model file"):
        load_risk_model(path)


def test_a_model_file_of_another_format_version_is_refused(saved: Path) -> None:
    document = json.loads(saved.read_text(encoding="utf-8"))
    document["format_version"] = FORMAT_VERSION + 1
    saved.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(InvalidRequestError, match=f"format version {FORMAT_VERSION + 1}"):
        load_risk_model(saved)


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        (lambda model: model.pop("decision"), "'decision' is missing"),
        (lambda model: model["decision"]["coef"].pop(), "does not read the model's"),
        (lambda model: model["decision"].__setitem__("sigma", -1.0), "not a usable number"),
        (lambda model: model["reference"].pop(), "one value per feature"),
        (lambda model: model["feature_names"].append("__class__"), "not all features"),
    ],
)
def test_a_damaged_model_file_is_refused(
    saved: Path, damage: Callable[[dict[str, Any]], object], problem: str
) -> None:
    document = json.loads(saved.read_text(encoding="utf-8"))
    damage(document["model"])
    saved.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(InvalidRequestError, match=REFIT) as refused:
        load_risk_model(saved)
    assert "is damaged (" in refused.value.message and problem in refused.value.message
