"""``Item.cells()``: what the adaptive loop inserts into a notebook for practice."""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_notebook

from jupyter_adaptive.curriculum import Course


def test_cells_are_prompt_answer_tests_with_adaptive_metadata(course: Course) -> None:
    item = course.items["loc-after-sort-v2"]
    cells = item.cells()
    assert [c["cell_type"] for c in cells] == ["markdown", "code", "code"]
    roles = [c["metadata"]["adaptive"]["role"] for c in cells]
    assert roles == ["prompt", "answer", "tests"]
    for cell in cells:
        meta = cell["metadata"]["adaptive"]
        assert meta["injected"] is True
        assert meta["item"] == item.id and meta["skills"] == ["pd-loc-iloc"]
        assert meta["variant_of"] == "loc-after-sort"
        assert 1 <= meta["difficulty"] <= 3 and len(meta["hints"]) >= 2
        assert "nbgrader" not in cell["metadata"]
    assert cells[1]["source"] == item.starter_code
    assert cells[2]["source"] == item.tests.strip()


def test_injected_cells_make_a_valid_notebook(course: Course) -> None:
    cells = [cell for item in list(course.items.values())[:5] for cell in item.cells()]
    nbformat.validate(new_notebook(cells=cells))
