"""The cells the adaptive loop inserts into a learner's notebook: a prompt, an answer, its tests.

Practice items (:meth:`Item.cells`) and check items (:meth:`CheckItem.cells`) are inserted the
same way, so the labextension recognises both by the same ``metadata.adaptive``.
"""

from __future__ import annotations

from typing import Any

from nbformat.v4 import new_code_cell, new_markdown_cell

__all__ = ["injected_cells"]


def injected_cells(
    prompt: str, answer: str, tests: str, metadata: dict[str, Any]
) -> list[dict[str, Any]]:
    """The nbformat 4 cells of one inserted exercise: prompt, answer, tests.

    Parameters
    ----------
    prompt
        The markdown the learner reads.
    answer
        The code cell's source the learner edits.
    tests
        The code that decides whether the answer is right; raises ``AssertionError`` when not.
    metadata
        The ``metadata.adaptive`` shared by the three cells (item id, skills, ...).

    Returns
    -------
    list of dict
        Three cells, each with ``metadata.adaptive`` carrying ``injected: true`` and its ``role``
        (``prompt``, ``answer`` or ``tests``) and no nbgrader metadata, so that nbgrader grades
        the assignment as if they were not there. The test cell is read-only.
    """
    return [
        new_markdown_cell(
            prompt, metadata={"adaptive": {**metadata, "injected": True, "role": "prompt"}}
        ),
        new_code_cell(
            answer, metadata={"adaptive": {**metadata, "injected": True, "role": "answer"}}
        ),
        new_code_cell(
            tests,
            metadata={
                "adaptive": {**metadata, "injected": True, "role": "tests"},
                "editable": False,
                "deletable": True,
            },
        ),
    ]
