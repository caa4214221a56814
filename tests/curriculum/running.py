"""Running course code in a fresh namespace: items, and unit notebooks cell by cell."""

from __future__ import annotations

import contextlib
import io
import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import matplotlib
import nbformat
from IPython.display import display

matplotlib.use("Agg")

__all__ = [
    "CellFailed",
    "answered",
    "emptied_solution",
    "in_folder",
    "released_solution",
    "released_tests",
    "run_code",
    "run_notebook",
]

_SOLUTION = re.compile(
    r"^([ \t]*)### BEGIN SOLUTION\n.*?^[ \t]*### END SOLUTION[ \t]*$", re.S | re.M
)
_HIDDEN_TESTS = re.compile(
    r"^[ \t]*### BEGIN HIDDEN TESTS\n.*?^[ \t]*### END HIDDEN TESTS[ \t]*\n?", re.S | re.M
)


class CellFailed(AssertionError):
    """A cell raised; ``cell`` is its 1-based index (0 for item code)."""

    def __init__(self, cell: int, exc: BaseException) -> None:
        super().__init__(f"cell {cell}: {type(exc).__name__}: {exc}")
        self.cell = cell
        self.exc = exc


def run_code(*sources: str, namespace: dict[str, Any] | None = None) -> dict[str, Any]:
    """Execute the sources one after the other in one fresh namespace; raise CellFailed."""
    ns: dict[str, Any] = (
        {"__name__": "__main__", "display": display} if namespace is None else namespace
    )
    for source in sources:
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(source, "<cell>", "exec"), ns)
        except Exception as exc:
            raise CellFailed(0, exc) from exc
        finally:
            _close_figures()
    return ns


def _close_figures() -> None:
    import matplotlib.pyplot as plt

    plt.close("all")


@contextlib.contextmanager
def in_folder(path: Path) -> Iterator[None]:
    """Run the block with ``path`` as the working directory, as a notebook's kernel would."""
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def run_notebook(
    path: Path, replace: Mapping[int, str] | None = None, stop_after: int | None = None
) -> dict[str, Any]:
    """Run a notebook's code cells in order in its folder; ``replace`` swaps sources by index."""
    nb = nbformat.read(path, as_version=4)
    ns: dict[str, Any] = {"__name__": "__main__", "display": display}
    with in_folder(path.parent):
        for index, cell in enumerate(nb.cells, start=1):
            if cell.cell_type == "code":
                source = (replace or {}).get(index, cell.source)
                try:
                    run_code(source, namespace=ns)
                except CellFailed as failed:
                    raise CellFailed(index, failed.exc) from failed.exc
            if stop_after is not None and index >= stop_after:
                break
    return ns


def released_solution(source: str) -> str:
    """The answer cell as nbgrader releases it: the solution replaced by a stub that raises."""
    return _SOLUTION.sub(
        lambda m: f"{m.group(1)}# YOUR CODE HERE\n{m.group(1)}raise NotImplementedError()", source
    )


def emptied_solution(source: str) -> str:
    """The answer cell with its solution simply removed (a ``pass`` keeps blocks valid)."""
    return _SOLUTION.sub(lambda m: f"{m.group(1)}pass", source)


def answered(source: str, draft: str) -> str:
    """The answer cell with a learner's draft in place of the solution, at its indentation."""
    return _SOLUTION.sub(
        lambda m: "\n".join(m.group(1) + line for line in draft.rstrip("\n").split("\n")),
        source,
    )


def released_tests(source: str) -> str:
    """A test cell as nbgrader releases it: without its hidden tests."""
    return _HIDDEN_TESTS.sub("", source)
