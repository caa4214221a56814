"""A page object for a notebook open in JupyterLab or Notebook 7, driven like a learner would."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from playwright.sync_api import Locator, Page, Request, expect

from tests.fixtures.servers import ServerProcess

REPO = Path(__file__).resolve().parents[1]
DEMO_NOTEBOOK = (
    REPO / "courses/data-science-foundations/source/01_python_basics/01_python_basics.ipynb"
)
DEMO_COURSE = "data-science-foundations"

T = TypeVar("T")


def copy_demo_notebook(server: ServerProcess, name: str = "01_python_basics.ipynb") -> str:
    """Put the demo course's first unit into the server's root; return its path there."""
    shutil.copy(DEMO_NOTEBOOK, server.root_dir / name)
    return name


def demo_cell_index(item: str, role: str) -> int:
    """The index of the demo notebook's answer (``solution``) or tests cell of ``item``."""
    cells = json.loads(DEMO_NOTEBOOK.read_text())["cells"]
    for index, cell in enumerate(cells):
        meta: dict[str, Any] = cell["metadata"]
        nbgrader = meta.get("nbgrader", {})
        if meta.get("adaptive", {}).get("item") != item:
            continue
        if (role == "answer" and nbgrader.get("solution")) or (
            role == "tests" and nbgrader.get("grade") and nbgrader.get("locked")
        ):
            return index
    raise LookupError(f"no {role} cell for {item}")


class NotebookPage:
    """One notebook, opened in the browser; cells are addressed by index."""

    def __init__(self, page: Page, server: ServerProcess, path: str, app: str = "lab") -> None:
        self.page = page
        self.server = server
        self.path = path
        self.app = app

    def open(self) -> NotebookPage:
        """Open the notebook and wait until its kernel is idle."""
        route = "lab/tree" if self.app == "lab" else "notebooks"
        self.page.goto(f"{self.server.url}/{route}/{self.path}?token={self.server.token}")
        return self.ready()

    def ready(self) -> NotebookPage:
        """Wait until the cells are shown and the notebook's kernel is idle."""
        self.cells.first.wait_for()

        def idle_kernel() -> bool:
            sessions = self.server.request("GET", "/api/sessions")
            return any(
                s["path"].endswith(self.path)
                and s.get("kernel")
                and s["kernel"]["execution_state"] == "idle"
                for s in sessions
            )

        eventually(idle_kernel, timeout=60)
        return self

    @property
    def cells(self) -> Locator:
        return self.page.locator(".jp-NotebookPanel:visible .jp-Notebook .jp-Cell")

    def cell(self, index: int) -> Locator:
        return self.cells.nth(index)

    def set_source(self, index: int, source: str) -> None:
        """Replace a code cell's source as a learner would: select all, type over it."""
        editor = self.cell(index).locator(".cm-content")
        editor.scroll_into_view_if_needed()
        editor.click()
        self.page.keyboard.press("Control+a")
        self.page.keyboard.insert_text(source)

    def run(self, index: int) -> None:
        """Select a cell and run it (Ctrl+Enter: the selection stays on it).

        A notebook that has just opened may drop the first key press; the run is pressed again
        when the cell's prompt has not changed (to ``[*]`` or a new count) within a few seconds.
        """
        cell = self.cell(index)
        prompt = cell.locator(".jp-InputPrompt")
        before = prompt.inner_text()
        if "jp-CodeCell" not in (cell.get_attribute("class") or ""):
            prompt.click()
            self.page.keyboard.press("Control+Enter")
            return
        for attempt in range(2):
            cell.scroll_into_view_if_needed()
            prompt.click()
            expect(cell).to_have_class(re.compile(r"\bjp-mod-active\b"))
            self.page.keyboard.press("Control+Enter")
            try:
                expect(prompt).not_to_have_text(before, timeout=4000)
                return
            except AssertionError:
                if attempt == 1:
                    raise

    def wait_for_run(self, index: int) -> None:
        """Wait until a cell has an execution count (it ran)."""
        expect(self.cell(index).locator(".jp-InputPrompt")).to_have_text(re.compile(r"\[\d+\]"))

    def feedback(self, index: int) -> Locator:
        return self.cell(index).get_by_test_id("adaptive-feedback")

    def run_command(self, label: str) -> None:
        """Run a command from the command palette by its label."""
        self.page.keyboard.press("Control+Shift+c")
        palette = self.page.locator("#command-palette")
        palette.locator("input").fill(label)
        palette.locator(".lm-CommandPalette-item", has_text=label).first.click()

    def answer_consent(self, button: str) -> None:
        """Wait for the consent dialog and press one of its buttons (by label)."""
        dialog = self.page.locator(".jp-Dialog").filter(
            has=self.page.get_by_test_id("adaptive-consent")
        )
        expect(dialog).to_be_visible()
        dialog.get_by_role("button", name=button).click()
        expect(dialog).to_be_hidden()

    def run_item(self, item: str) -> int:
        """Run an exercise's answer cell, then its tests; return the index of the tests cell."""
        answer, tests = demo_cell_index(item, "answer"), demo_cell_index(item, "tests")
        self.run(answer)
        self.wait_for_run(answer)
        self.run(tests)
        self.wait_for_run(tests)
        return tests


def eventually(probe: Callable[[], T], timeout: float = 15.0) -> T:
    """The first truthy answer of ``probe``, polled until ``timeout`` seconds have passed."""
    deadline = time.monotonic() + timeout
    while not (answer := probe()):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{probe.__name__} stayed empty for {timeout} s")
        time.sleep(0.2)
    return answer


def stored_events(server: ServerProcess, kind: str) -> list[dict[str, Any]]:
    """The events of type ``kind`` the server stored for its (single) user."""
    events = server.request("GET", "/adaptive/api/export")["events"]
    return [event for event in events if event["type"] == kind]


def stored_attempts(server: ServerProcess) -> list[dict[str, Any]]:
    """The attempts the server stored for its (single) user."""
    return stored_events(server, "attempt")


def sent_batch(request: Request) -> dict[str, Any]:
    """The batch a ``POST events`` request carries (the labextension gzips it where it can)."""
    body = request.post_data_buffer or b"{}"
    if request.headers.get("content-encoding") == "gzip":
        body = gzip.decompress(body)
    batch: dict[str, Any] = json.loads(body)
    return batch
