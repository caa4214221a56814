"""What a teacher using a screen reader, or seeing colours differently, gets from the dashboard:
the heat map as a table with the same numbers, skills by their names, tables with headers."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import ipywidgets as widgets

from jupyter_adaptive.curriculum import read_course
from jupyter_adaptive.dashboard.names import Names
from jupyter_adaptive.dashboard.rendering import (
    NOT_PRACTISED_FILL,
    STYLE,
    html_table,
    sparkline_svg,
)
from jupyter_adaptive.dashboard.seed import seed_class
from jupyter_adaptive.dashboard.views.class_tab import NOT_PRACTISED, SCHEME, ClassTab
from jupyter_adaptive.dashboard.views.context import ViewContext
from jupyter_adaptive.dashboard.widgets import Dashboard, tab_class
from jupyter_adaptive.recording import Recorder
from jupyter_adaptive.store import Store
from tests.fixtures.courses import COURSES

from .conftest import COURSE

NAMES = Names(skills={"a": "Adding numbers", "b": "Branching"})


class _Cells(HTMLParser):
    """A table's rows as (tag, attributes, text) per cell, and its caption."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[tuple[str, dict[str, str | None], str]]] = []
        self.caption = ""
        self._open: tuple[str, dict[str, str | None]] | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        if tag in ("th", "td", "caption"):
            self._open, self._text = (tag, dict(attrs)), ""

    def handle_data(self, data: str) -> None:
        self._text += data

    def handle_endtag(self, tag: str) -> None:
        if self._open is None or tag != self._open[0]:
            return
        if tag == "caption":
            self.caption = self._text
        else:
            self.rows[-1].append((tag, self._open[1], self._text))
        self._open = None


def cells(table: str) -> _Cells:
    parser = _Cells()
    parser.feed(table)
    return parser


def test_the_heat_map_has_a_table_with_the_same_numbers_and_the_skills_by_name(
    recorder: Recorder,
) -> None:
    context = ViewContext(recorder, COURSE, "teacher", NAMES, recorder.models)
    tab = ClassTab(context, lambda _learner: None)
    assert tab.heatmap.scales["color"].scheme == SCHEME == "viridis"
    assert list(tab.heatmap.column) == ["Adding numbers", "Branching"]

    table = cells(tab.table.value)
    assert table.caption == (
        "P(mastered) per learner and skill, page 1 of 1 (4 learners, 2 skills)"
    )
    header, *rows = table.rows
    assert [(tag, attrs.get("scope"), text) for tag, attrs, text in header] == [
        ("th", "col", name)
        for name in (
            "learner",
            "mean mastery",
            "attempts",
            "last activity",
            "Adding numbers",
            "Branching",
        )
    ]
    # One row per learner, named by its header cell; per skill the heat map's number.
    assert [(row[0][0], row[0][1].get("scope"), row[0][2]) for row in rows] == [
        ("th", "row", learner) for learner in tab.heatmap.row
    ]
    for row, colours in zip(rows, tab.heatmap.color, strict=True):
        shown = [text for _, _, text in row[4:]]
        assert shown == [NOT_PRACTISED if p != p else f"{p:.2f}" for p in colours]
    ben = next(row for row in rows if row[0][2] == "ben")
    assert [text for _, _, text in ben[1:]][1:3] == ["5", ben[3][2]]
    assert ben[-1][2] == "not practised"


def test_not_practised_is_light_grey_and_status_colours_come_from_the_theme() -> None:
    assert NOT_PRACTISED_FILL == "#d4d4d4"
    assert ".adaptive-class-heatmap rect.heatmapcell{fill:#d4d4d4}" in STYLE
    # No fixed text colour: a colour that reads on white fails on JupyterLab's dark theme.
    assert not re.search(r"[{;]color:#", STYLE)
    assert "var(--jp-error-color1" in STYLE and "var(--jp-success-color1" in STYLE


def test_tables_have_headers_and_captions_and_sparklines_a_spoken_label() -> None:
    table = html_table(["skill", "P"], [["<b>", 0.5]], caption="Estimates", row_headers=True)
    assert table == (
        '<div class="adaptive-scroll" tabindex="0" role="region" aria-label="Estimates">'
        '<table class="adaptive-table"><caption>Estimates</caption><thead><tr>'
        '<th scope="col">skill</th><th scope="col">P</th></tr></thead><tbody><tr>'
        '<th scope="row">&lt;b&gt;</th><td>0.50</td></tr></tbody></table></div>'
    )
    line = sparkline_svg([0.25, 0.5], mark=0.5, label="rule score by week")
    assert 'role="img" aria-label="rule score by week: 0.25, 0.50"' in line


def test_every_view_names_skills_not_ids() -> None:
    course, _ = read_course(COURSES / "data-science-foundations")
    store = Store.open("sqlite://")
    seed_class(store, learners=4, skills=0, events=120, curriculum=course)
    dashboard = Dashboard(Recorder(store), course.id, "teacher", curriculum=course)
    for index in range(len(dashboard.tabs.children)):
        dashboard.tabs.selected_index = index
    learner = dashboard.learner_tab
    shown = {
        "class": dashboard.class_tab.table.value,
        "at risk": dashboard.risk_tab.widget.value,
        "learner": learner.detail.value + learner.steps.value,
        "audit": learner.actions.audit.value,
        "items": dashboard.items_tab.table.value,
        "success": "".join(
            child.value
            for child in dashboard.success_tab.widget.children
            if isinstance(child, widgets.HTML)
        ),
    }
    assert "Values, types and variables" in shown["class"] + shown["learner"]
    for view, text in shown.items():
        raw = [skill for skill in course.skills if re.search(rf"(?<![\w-]){skill}(?![\w-])", text)]
        assert not raw, f"{view} shows skill ids {raw}"
    options = [label for label, _ in learner.actions.skill_pick.options]
    assert "Values, types and variables" in options
    assert tab_class("At risk") == "adaptive-dashboard-at-risk"
    assert tab_class("At risk") in dashboard.risk_tab.widget._dom_classes
