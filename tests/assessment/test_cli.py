"""``jupyter-adaptive items calibrate`` and ``jupyter-adaptive simulate-check``."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from jupyter_adaptive.assessment.item_bank import ItemBank, bank_path
from jupyter_adaptive.cli import main
from jupyter_adaptive.curriculum import load_course
from jupyter_adaptive.recording import Recorder, RecordingPolicy
from jupyter_adaptive.store import Store
from tests.fixtures.api import attempt_event
from tests.fixtures.courses import COURSES

from .conftest import generate

COURSE = "data-science-foundations"


def test_calibrate_a_csv_into_the_course_bank_with_priors_for_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    checks = load_course(COURSES / COURSE).check_items()
    data = generate(300, np.full(4, 1.3), np.array([-1.0, 0.0, 0.5, 1.0]), seed=2)
    log = data.log.replace({"problem_id": {f"q{j:02d}": checks[j].id for j in range(4)}})
    log.to_csv(tmp_path / "answers.csv", index=False)
    code = main(
        [
            "items",
            "calibrate",
            "--course",
            COURSE,
            "--courses",
            str(COURSES),
            "--data",
            str(tmp_path / "answers.csv"),
            "--model-dir",
            str(tmp_path),
        ]
    )
    assert code == 0
    assert "to 4 items with 30+ answers" in capsys.readouterr().out
    bank = ItemBank.read(bank_path(tmp_path, COURSE))
    fitted = {p.item for p in bank.items.values() if p.source == "fit"}
    assert fitted == {c.id for c in checks[:4]}
    assert bank.items[checks[0].id].skills == checks[0].skills  # the course's, not the log's
    assert bank.items[checks[4].id].source == "prior" and bank.items[checks[4].id].n == 0


def test_calibrate_reads_first_answers_from_the_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_url = f"sqlite:///{tmp_path / 'store.db'}"
    recorder = Recorder(Store.open(db_url), RecordingPolicy(consent_default="outcomes"))
    rng = np.random.default_rng(0)
    for learner in range(40):
        events = [
            attempt_event(item=item, skills=["groupby"], outcome=outcome)
            for item in ("easy", "hard")
            for outcome in [("correct" if rng.random() < 0.6 else "incorrect")]
        ]
        recorder.record(f"learner-{learner}", events)
    recorder.store.close()
    out = tmp_path / "bank.json"
    assert (
        main(
            [
                "items",
                "calibrate",
                "--course",
                COURSE,
                "--courses",
                str(tmp_path),
                "--db-url",
                db_url,
                "--out",
                str(out),
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert "no course" in printed and "40 learners to 2 items" in printed
    assert {p.n for p in ItemBank.read(out).items.values()} == {40}


def test_calibrate_refuses_a_log_without_items(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.csv").write_text("order_id,user_id,skill_name,correct\n1,u,s,1\n")
    code = main(
        [
            "items",
            "calibrate",
            "--course",
            COURSE,
            "--data",
            str(tmp_path / "a.csv"),
            "--out",
            str(tmp_path / "b.json"),
        ]
    )
    assert code == 1
    assert "problem_id" in capsys.readouterr().err
    assert not (tmp_path / "b.json").exists()


def test_simulate_check_prints_both_designs_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "simulate-check",
            "--learners",
            "40",
            "--seed",
            "3",
            "--json",
            "--course",
            str(COURSES / COURSE),
            "--unit",
            "01_python_basics",
        ]
    )
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    for design in ("cat", "fixed"):
        assert set(result[design]) >= {"items_mean", "se_mean", "corr_theta"}
    assert result["pool"] == len(load_course(COURSES / COURSE).check_items("01_python_basics"))
    assert result["cat"]["items_mean"] <= result["pool"]
