"""``mastery refit --course``: a course's BKT parameters from its own stored events, used online."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from jupyter_adaptive.cli import main
from jupyter_adaptive.mastery import DEFAULT_PARAMS, SkillParams, posterior_after
from jupyter_adaptive.mastery.course_models import DEFAULTS, CourseModels
from jupyter_adaptive.model_refresh import reliability_path
from jupyter_adaptive.recording import Recorder, RecordingPolicy
from jupyter_adaptive.store import Store
from tests.fixtures.api import attempt_event

COURSE = "data-science-foundations"
TRUE = SkillParams(prior=0.2, learn=0.2, guess=0.25, slip=0.1)


def simulated_store(url: str, learners: int = 80, answers: int = 15) -> None:
    """Learners whose answers follow TRUE, recorded through the server's own recording path."""
    rng = random.Random(0)
    recorder = Recorder(Store.open(url), RecordingPolicy(consent_default="outcomes"))
    for learner in range(learners):
        known = rng.random() < TRUE.prior
        events = []
        for attempt in range(1, answers + 1):
            p_right = 1 - TRUE.slip if known else TRUE.guess
            outcome = "correct" if rng.random() < p_right else "incorrect"
            events.append(attempt_event(skills=["groupby"], attempt=attempt, outcome=outcome))
            known = known or rng.random() < TRUE.learn
        recorder.record(f"learner-{learner}", events)
    recorder.store.close()


def test_refit_writes_the_course_model_and_the_server_uses_it(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    simulated_store(url)
    model_dir = tmp_path / "models"
    args = ["mastery", "refit", "--course", COURSE, "--db-url", url, "--model-dir", str(model_dir)]
    assert main(args) == 0
    models = CourseModels(model_dir)
    fitted = models.params(COURSE, "groupby", None)
    assert fitted != DEFAULT_PARAMS
    assert fitted.guess == pytest.approx(TRUE.guess, abs=0.1)
    assert fitted.slip == pytest.approx(TRUE.slip, abs=0.1)

    recorder = Recorder(Store.open(url), RecordingPolicy(consent_default="outcomes"), models)
    [result] = recorder.record("new-learner", [attempt_event(skills=["groupby"])])
    expected = posterior_after(fitted.prior, True, fitted)
    assert result["mastery"]["groupby"] == pytest.approx(expected)
    recorder.store.close()


def test_refit_without_events_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    args = ["mastery", "refit", "--course", COURSE, "--db-url", url, "--model-dir", str(tmp_path)]
    assert main(args) == 1
    assert "has no stored attempts or grades" in capsys.readouterr().err
    assert list(tmp_path.glob("*.json")) == []


def test_an_unreadable_model_file_falls_back_to_defaults(tmp_path: Path) -> None:
    models = CourseModels(tmp_path)
    models.path(COURSE).write_text("{not json")
    assert models.params(COURSE, "groupby", None) == DEFAULT_PARAMS
    assert models.served(COURSE).id == DEFAULTS


def test_refit_from_a_csv_writes_the_model_and_its_reliability_diagram(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = Path(__file__).parent / "data" / "ct_sample.csv.gz"
    args = ["mastery", "refit", "--course", COURSE, "--data", str(data), "--model", "bkt"]
    assert main([*args, "--model-dir", str(tmp_path)]) == 0
    models = CourseModels(tmp_path)
    assert models.served(COURSE).id.startswith("bkt fitted ")
    assert reliability_path(models.path(COURSE)).read_bytes().startswith(b"\x89PNG")
    assert "held-out ECE" in capsys.readouterr().out
