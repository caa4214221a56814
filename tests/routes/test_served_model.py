"""The served model through the API: each answer's prediction is the one ``mastery predict`` makes
on the same stored rows with the same model file, and the estimates move with it."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from jupyter_adaptive import cli
from jupyter_adaptive.mastery.calibration import Calibration
from jupyter_adaptive.mastery.course_models import CourseModels, model_id
from jupyter_adaptive.mastery.features import LearnerHistory
from jupyter_adaptive.mastery.logistic import LogisticKT
from jupyter_adaptive.mastery.model_file import load_model, save_model
from jupyter_adaptive.mastery.responses import read_responses, stored_responses
from jupyter_adaptive.store import Store
from tests.fixtures.api import attempt_event

#: Not an installed course, so any skill is accepted.
COURSE = "replay-course"
DATA = Path(__file__).parents[1] / "mastery" / "data" / "algebra2005_sample.csv.gz"


@pytest.fixture(scope="module")
def model_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A logistic model with time-window features and a calibration map, as a model file."""
    model = LogisticKT().fit(read_responses(DATA))
    model.calibration_ = Calibration("platt", a=0.9, b=0.1)
    path = tmp_path_factory.mktemp("model") / "model.json"
    save_model(model, path, "logistic")
    return path


@pytest.fixture
def jp_server_config(db_url: str, tmp_path: Path, model_file: Path) -> dict[str, Any]:
    models = tmp_path / "models"
    models.mkdir()
    shutil.copy(model_file, CourseModels(models).path(COURSE))
    return {
        "ServerApp": {"jpserver_extensions": {"jupyter_adaptive": True}},
        "AdaptiveApp": {
            "db_url": db_url,
            "secret_file": str(tmp_path / "secret"),
            "model_dir": str(models),
            "refit_interval": 0.0,
            "refit_every_answers": 0,
        },
    }


def replayed_rows() -> pd.DataFrame:
    """Two learners' answers, replayed one after the other by the API's learner."""
    data = read_responses(DATA)
    users = sorted(data["user_id"].unique())[:2]
    return data[data["user_id"].isin(users)].groupby("user_id").head(40)


async def test_served_predictions_equal_mastery_predict(
    api: Any, db_url: str, model_file: Path, tmp_path: Path
) -> None:
    status, body = await api("PUT", "consent", {"course": COURSE, "level": "outcomes"})
    assert status == 200, body
    events = [
        attempt_event(
            course=COURSE,
            unit="replay",
            item=str(row.problem_id),
            skills=[str(row.skill_name)],
            outcome="correct" if row.correct else "incorrect",
        )
        for row in replayed_rows().itertuples()
    ]
    results = []
    for start in range(0, len(events), 7):  # batches of several answers, and single ones
        status, body = await api("POST", "events", {"events": events[start : start + 7]})
        assert status == 200, body
        results += body["results"]
    served = [r["prediction"] for r in results]
    model = load_model(model_file)
    assert {p["model"] for p in served} == {model_id(model)}
    assert model_id(model).startswith("logistic fitted ")

    store = Store.open(db_url)
    try:
        stored = stored_responses(store, COURSE)
    finally:
        store.close()
    stored.to_csv(tmp_path / "stored.csv", index=False)
    argv = ["mastery", "predict", "--model", str(model_file)]
    argv += ["--data", str(tmp_path / "stored.csv"), "--out", str(tmp_path / "pred.csv")]
    assert cli.main(argv) == 0
    batch = pd.read_csv(tmp_path / "pred.csv").sort_values("order_id")["p_correct"].to_numpy()
    assert len(batch) == len(served)
    assert [p["p_correct"] for p in served] == pytest.approx(list(batch), abs=1e-6)

    status, body = await api("GET", "mastery", course=COURSE)
    assert {row["model"] for row in body["evidence"]} == {model_id(model)}

    # An answer that raised the model's prediction on its skill never lowered the estimate.
    history, raised = LearnerHistory(), 0
    for row, result in zip(stored.itertuples(), results, strict=True):
        skill, item, stamp = str(row.skill_name), str(row.problem_id), float(row.timestamp)
        before = model.predict_next(history, skill, item, stamp)
        model.record(history, skill, bool(row.correct), item, stamp)
        if model.predict_next(history, skill, item, stamp) > before:
            raised += 1
            [evidence] = result["evidence"]
            assert evidence["posterior"] >= evidence["prior"]
    assert raised > 0
