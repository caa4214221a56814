"""Risk model files: the same model back, and a clear refusal of what cannot be trusted."""

from __future__ import annotations

import pickle
from pathlib import Path

import pandas as pd
import pytest

from jupyter_adaptive.errors import InvalidRequestError
from jupyter_adaptive.risk.model import RiskModel
from jupyter_adaptive.risk.model_file import load_risk_model, save_risk_model


def test_a_saved_model_scores_learners_as_before(
    ct: pd.DataFrame, ct_risk: RiskModel, tmp_path: Path
) -> None:
    path = tmp_path / "risk.model"
    save_risk_model(ct_risk, path)
    pd.testing.assert_series_equal(load_risk_model(path).risk(ct), ct_risk.risk(ct))


def test_a_model_written_with_another_scikit_learn_is_refused(
    ct_risk: RiskModel, tmp_path: Path
) -> None:
    path = tmp_path / "risk.model"
    save_risk_model(ct_risk, path)
    document = pickle.loads(path.read_bytes())
    document["versions"]["scikit-learn"] = "0.24.2"
    path.write_bytes(pickle.dumps(document))
    with pytest.raises(InvalidRequestError, match=r"scikit-learn 0\.24\.2"):
        load_risk_model(path)


def test_a_file_that_is_not_a_pickle_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a model\n")
    with pytest.raises(InvalidRequestError, match="is not a jupyter-adaptive risk model file"):
        load_risk_model(path)
