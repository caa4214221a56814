"""``jupyter-adaptive risk fit|predict|evaluate`` and ``fairness report``, and their errors."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from jupyter_adaptive import cli


@pytest.fixture(autouse=True)
def only_risk_commands(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep these tests independent of the other sub-commands."""
    monkeypatch.setattr(cli, "COMMAND_MODULES", ("risk", "fairness"))


@pytest.fixture(scope="module")
def model_path(tmp_path_factory: pytest.TempPathFactory, ct_path: Path) -> Path:
    path = tmp_path_factory.mktemp("model") / "risk.model"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cli, "COMMAND_MODULES", ("risk",))
        assert cli.main(["risk", "fit", "--data", str(ct_path), "--out", str(path)]) == 0
    return path


def _error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    return err[0]


def test_predict_writes_user_id_and_risk(model_path: Path, ct_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "risk.csv"
    argv = ["risk", "predict", "--model", str(model_path), "--data", str(ct_path)]
    assert cli.main([*argv, "--out", str(out)]) == 0
    written = pd.read_csv(out, dtype={"user_id": str})
    assert list(written.columns) == ["user_id", "risk"]
    assert written["risk"].between(0, 1).all()
    assert cli.main([*argv, "--out", str(tmp_path / "why.csv"), "--explain"]) == 0
    explained = pd.read_csv(tmp_path / "why.csv", dtype={"user_id": str})
    assert list(explained.columns) == ["user_id", "risk", "flagged", "reasons"]


def test_evaluate_prints_ours_next_to_the_baseline_as_json(
    ct_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    arguments = ["risk", "evaluate", "--data", str(ct_path), "--horizon", "5", "10", "--json"]
    assert cli.main(arguments) == 0
    result = json.loads(capsys.readouterr().out)
    assert [one["horizon"] for one in result["horizons"]] == [5, 10]
    for one in result["horizons"]:
        assert {"auc", "baseline_auc", "gain", "test_learners"} <= set(one)
        assert one["test_learners"] > 0


def test_fairness_report_with_a_roster(
    ct_path: Path, ct: pd.DataFrame, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    roster = tmp_path / "roster.csv"
    users = sorted(ct["user_id"].unique())
    pd.DataFrame({"user_id": users, "section": ["A", "B"] * (len(users) // 2)}).to_csv(
        roster, index=False
    )
    argv = ["fairness", "report", "--data", str(ct_path), "--groups", str(roster), "--json"]
    assert cli.main(argv) == 0
    (report,) = json.loads(capsys.readouterr().out)["reports"]
    assert report["attribute"] == "section"
    assert set(report["groups"]) == {"A", "B"}


def test_a_missing_data_file_is_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "model"
    argv = ["risk", "fit", "--data", str(tmp_path / "nope.csv"), "--out", str(out)]
    assert cli.main(argv) == 1
    assert "nope.csv does not exist" in _error_line(capsys)
    assert not out.exists()


def test_a_file_that_is_not_a_risk_model_is_refused(
    ct_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = tmp_path / "model.json"
    fake.write_text('{"format": "jupyter-adaptive-mastery-model"}')
    out = tmp_path / "risk.csv"
    argv = ["risk", "predict", "--model", str(fake), "--data", str(ct_path), "--out", str(out)]
    assert cli.main(argv) == 1
    assert "is not a jupyter-adaptive risk model file" in _error_line(capsys)
    assert list(tmp_path.iterdir()) == [fake]


def test_predict_refuses_a_pickled_model_file_in_one_line_without_running_it(
    malicious_pickle: tuple[Path, Path], ct_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model, marker = malicious_pickle
    out = model.parent / "risk.csv"
    argv = ["risk", "predict", "--model", str(model), "--data", str(ct_path), "--out", str(out)]
    assert cli.main(argv) == 1
    assert "refit the model with `jupyter-adaptive risk fit`" in _error_line(capsys)
    assert not marker.exists() and not out.exists()


def test_a_log_without_the_correct_column_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("order_id,user_id,skill_name\n1,a,s\n")
    assert cli.main(["risk", "evaluate", "--data", str(bad)]) == 1
    assert "lacks the column `correct`" in _error_line(capsys)


def test_a_roster_without_user_id_is_refused(
    ct_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("student,section\na,A\n")
    argv = ["fairness", "report", "--data", str(ct_path), "--groups", str(roster)]
    assert cli.main(argv) == 1
    assert "lacks the column `user_id`" in _error_line(capsys)
