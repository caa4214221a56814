"""The dashboard's model panel: the served model, its data and its calibration."""

from __future__ import annotations

from pathlib import Path

from jupyter_adaptive.dashboard.widgets import Dashboard
from jupyter_adaptive.mastery.course_models import DEFAULTS, CourseModels
from jupyter_adaptive.mastery.responses import read_responses
from jupyter_adaptive.model_refresh import fit_course_model
from jupyter_adaptive.recording import Recorder

from .conftest import COURSE

CT = Path(__file__).parents[1] / "mastery" / "data" / "ct_sample.csv.gz"


def test_before_a_fit_the_panel_says_the_prior_is_served(recorder: Recorder) -> None:
    dashboard = Dashboard(recorder, COURSE, "teacher")
    dashboard.tabs.selected_index = 5
    assert "No fitted model yet" in dashboard.model_tab.widget.value
    assert DEFAULTS in dashboard.model_tab.widget.value


def test_the_panel_shows_the_fitted_model_and_its_calibration(
    recorder: Recorder, tmp_path: Path
) -> None:
    models = CourseModels(tmp_path)
    fit_course_model(models, COURSE, read_responses(CT), "bkt")
    dashboard = Dashboard(recorder, COURSE, "teacher", models=models)
    dashboard.tabs.selected_index = 5
    panel = dashboard.model_tab.widget.value
    assert models.served(COURSE).id in panel
    assert "expected calibration error" in panel
    assert '<img alt="reliability diagram" src="data:image/png;base64,' in panel
