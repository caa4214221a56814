"""Model files: JSON round trip, metadata, and refusal of other format versions."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from jupyter_adaptive.mastery.model_file import (
    FORMAT_VERSION,
    MODELS,
    ModelFileError,
    load_model,
    make_model,
    save_model,
)


@pytest.mark.parametrize("name", list(MODELS))
def test_a_saved_model_loads_back_with_the_same_predictions(
    name: str, assist: pd.DataFrame, tmp_path: Path
) -> None:
    model = make_model(name).fit(assist)
    path = tmp_path / "model.json"
    save_model(model, path, name)
    loaded = load_model(path)
    np.testing.assert_allclose(
        loaded.predict_proba(assist), model.predict_proba(assist), atol=1e-12
    )
    assert loaded.to_params() == model.to_params()


def test_a_model_file_records_fit_date_data_size_and_library_versions(
    ct_logistic: object, tmp_path: Path
) -> None:
    path = tmp_path / "model.json"
    save_model(ct_logistic, path, "logistic")  # type: ignore[arg-type]
    document = json.loads(path.read_text())
    assert document["format_version"] == FORMAT_VERSION
    assert document["model"] == "logistic"
    assert document["fitted_at"].endswith("+00:00")
    assert document["data"]["rows"] > 0 and document["data"]["users"] > 0
    assert {"numpy", "scikit-learn", "pyBKT", "jupyter-adaptive"} <= set(document["versions"])


def test_a_file_of_another_format_version_is_refused_clearly(
    ct_bkt: object, tmp_path: Path
) -> None:
    path = tmp_path / "model.json"
    save_model(ct_bkt, path, "bkt")  # type: ignore[arg-type]
    document = json.loads(path.read_text())
    document["format_version"] = FORMAT_VERSION + 1
    path.write_text(json.dumps(document))
    with pytest.raises(ModelFileError, match=f"format version {FORMAT_VERSION + 1}.*refit"):
        load_model(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [("{not json", "not valid JSON"), ('{"format": "something else"}', "not a jupyter-adaptive")],
)
def test_files_that_are_not_model_files_are_refused(
    content: str, message: str, tmp_path: Path
) -> None:
    path = tmp_path / "model.json"
    path.write_text(content)
    with pytest.raises(ModelFileError, match=message):
        load_model(path)
