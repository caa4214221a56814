"""The teacher's dashboard: one tab per view (each in :mod:`jupyter_adaptive.dashboard.views`,
over its view-model), the live updates, and :func:`open_dashboard` for the notebook."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from ..curriculum import Course
from ..mastery.course_models import CourseModels
from ..recommend.advisor import Advisor
from ..recommend.catalog import CourseCatalog
from ..recording import Recorder, RecordingPolicy
from ..risk.model import RiskModel
from .names import Names
from .rendering import STYLE
from .views.class_tab import ClassTab
from .views.context import ViewContext
from .views.items_tab import ItemsTab
from .views.learner_tab import LearnerTab
from .views.live import LiveUpdates
from .views.model_tab import ModelTab
from .views.risk_tab import RiskTab
from .views.success_tab import SuccessTab

__all__ = ["TITLES", "Dashboard", "open_dashboard", "tab_class"]

#: The tabs, in order.
TITLES = ("Class", "At risk", "Learner", "Items", "Success", "Model")


def tab_class(title: str) -> str:
    """The stable CSS class of a tab's content (``adaptive-dashboard-at-risk``), for browser
    tests and the accessibility checks."""
    return "adaptive-dashboard-" + title.lower().replace(" ", "-")


class Dashboard:
    """The teacher's dashboard for one course; ``widget`` is what the notebook displays. The
    Learner tab shows the first learner at once; the other tabs load when first opened."""

    def __init__(
        self,
        recorder: Recorder,
        course: str,
        teacher: str,
        risk_model: RiskModel | None = None,
        curriculum: Course | None = None,
        models: CourseModels | None = None,
    ) -> None:
        advisor = None
        if curriculum is not None:
            catalog = CourseCatalog([curriculum.path.parent])
            advisor = Advisor(recorder.store, catalog, recorder.parameters)
        self.context = ViewContext(
            recorder,
            course,
            teacher,
            Names.of(curriculum),
            models or recorder.models,
            curriculum,
            advisor,
        )
        self.class_tab = ClassTab(self.context, self.open_learner)
        self.risk_tab = RiskTab(self.context, risk_model)
        learners = [row.learner for row in self.class_tab.view.rows]
        self.learner_tab = LearnerTab(
            self.context, learners, self.class_tab.view.units, self._changed
        )
        self.items_tab = ItemsTab(self.context)
        self.success_tab = SuccessTab(self.context)
        self.model_tab = ModelTab(self.context)
        self.tabs = widgets.Tab(
            children=[
                self.class_tab.widget,
                self.risk_tab.widget,
                self.learner_tab.widget,
                self.items_tab.widget,
                self.success_tab.widget,
                self.model_tab.widget,
            ]
        )
        for index, (title, child) in enumerate(zip(TITLES, self.tabs.children, strict=True)):
            self.tabs.set_title(index, title)
            child.add_class(tab_class(title))
        self._loaders: dict[int, Callable[[], None]] = {
            1: self.risk_tab.refresh,
            3: self.items_tab.refresh,
            4: self.success_tab.refresh,
            5: self.model_tab.refresh,
        }
        self._loaded: set[int] = {0, 2}
        self.tabs.observe(self._on_tab, names="selected_index")
        self.live = LiveUpdates(self.context, [self._follow])
        title = curriculum.title if curriculum is not None else course
        heading = widgets.HTML(STYLE + f"<h2>Course {html.escape(title)}</h2>")
        heading.add_class("adaptive-dashboard-title")
        self.widget = widgets.VBox([heading, self.live.label, self.tabs])
        if learners:
            self.learner_tab.show(learners[0])

    def _on_tab(self, change: dict[str, Any]) -> None:
        index = change["new"]
        if index not in self._loaded and index in self._loaders:
            self._loaded.add(index)
            self._loaders[index]()

    def _follow(self) -> None:
        """New work arrived: the class view and, once opened, the at-risk list follow."""
        self.class_tab.refresh()
        if 1 in self._loaded:
            self.risk_tab.refresh()

    def _changed(self) -> None:
        """A teacher's action changed estimates: the class view follows."""
        self.class_tab.refresh()

    def open_learner(self, learner: str) -> None:
        """Show one learner's story and switch to its tab."""
        self.learner_tab.show(learner)
        self.tabs.selected_index = 2


def open_dashboard(
    db_url: str | None = None,
    course: str | None = None,
    teacher: str | None = None,
    risk_model: str | None = None,
    course_dir: str | None = None,
    model_dir: str | None = None,
    live: bool = True,
) -> Dashboard:
    """The dashboard of ``course`` (default: the course with the most events) in the store at
    ``db_url`` (default: the Jupyter server's ``c.AdaptiveApp.db_url``), acting as ``teacher``
    (default: the account running the kernel, the server's owner); ``risk_model`` is the path of
    a model from ``jupyter-adaptive risk fit`` (default: transparent rules); ``course_dir`` the
    course's folder, whose names the views show and whose misconception catalogue item analysis
    uses; ``model_dir`` the folder of the courses' served models (default:
    ``c.AdaptiveApp.model_dir``). With ``live``, the views follow new work on the kernel's loop.
    Observations weigh ``c.AdaptiveApp.observation_weight`` answers."""
    import getpass

    from ..cli.options import configured_app, configured_db_url, configured_model_dir
    from ..store import Store
    from ..store.class_queries import courses

    store = Store.open(db_url or configured_db_url())
    if course is None:
        with store.transaction() as session:
            known = courses(session)
        course = known[0] if known else "demo-course"
    model = None
    if risk_model:
        from ..risk.model_file import load_risk_model

        model = load_risk_model(risk_model)
    curriculum = None
    if course_dir:
        from ..curriculum import load_course

        curriculum = load_course(course_dir)
    models = CourseModels(model_dir or configured_model_dir())
    policy = RecordingPolicy(observation_weight=configured_app().observation_weight)
    recorder = Recorder(store, policy, models=models)
    dashboard = Dashboard(recorder, course, teacher or getpass.getuser(), model, curriculum)
    if live:
        dashboard.live.start()
    return dashboard
