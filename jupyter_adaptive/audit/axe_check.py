"""The audit's accessibility part: axe-core (WCAG 2.1 A and AA) on the teacher dashboard and on a
notebook with our widgets, in Debian's chromium.

Nothing touches the deployment: a temporary JupyterLab of this installation runs with isolated
Jupyter folders, the course's folder and a class seeded on a temporary SQLite store. In it the
check opens the dashboard (every tab) and the course's first unit notebook, where a learner's run
brings up the consent dialog, then the feedback under the tests cell, then the mastery panel; axe
checks each of our elements (:func:`~jupyter_adaptive.accessibility.run_axe`) and the result says
what it found. Without playwright, axe-playwright-python or chromium the result says "not run" and
why; a page that does not come up says "failed" and why: never a silent pass.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..isolated_lab import QUIET_LAB_SETTINGS, free_port, isolated_env, write_lab_settings

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from ..accessibility import AxeRun
    from ..curriculum import Course

__all__ = ["NOT_RUN", "check_accessibility"]

#: The result's status when the check could not run.
NOT_RUN = "not run"
#: Seconds a page may take to show our elements (Voila runs the dashboard notebook first).
_PAGE_TIMEOUT_MS = 120_000
_TOKEN = "adaptive-audit"


def _not_run(reason: str) -> dict[str, Any]:
    return {"status": NOT_RUN, "reason": reason, "pages": [], "violations": 0}


@contextmanager
def _lab(base: Path, db_url: str, courses: Path) -> Iterator[str]:
    """A JupyterLab of this installation on loopback, everything it writes under ``base``; yields
    its URL."""
    env = isolated_env(base)
    write_lab_settings(base / "settings", QUIET_LAB_SETTINGS)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = (base / "lab.log").open("ab")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            f"--port={port}",
            "--ip=127.0.0.1",
            f"--IdentityProvider.token={_TOKEN}",
            f"--ServerApp.root_dir={base / 'notebooks'}",
            f"--AdaptiveApp.db_url={db_url}",
            f"--AdaptiveApp.course_paths=['{courses}']",
            "--ServerApp.allow_root=True",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=base / "notebooks",
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    "the temporary JupyterLab did not start; its log:\n"
                    + (base / "lab.log").read_text(errors="replace")[-2000:]
                )
            try:
                urllib.request.urlopen(f"{url}/api/status?token={_TOKEN}", timeout=5).close()
                break
            except OSError:
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)
        log.close()


def _first_exercise(notebook: Path) -> tuple[int, int]:
    """Indices of the first graded exercise's answer cell and of its first tests cell."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    answer = None
    for index, cell in enumerate(cells):
        meta = cell.get("metadata", {})
        nbgrader = meta.get("nbgrader", {})
        if not meta.get("adaptive", {}).get("item"):
            continue
        if answer is None and nbgrader.get("solution"):
            answer = index
        elif answer is not None and nbgrader.get("grade"):
            return answer, index
    raise ValueError(f"{notebook.name} has no graded exercise with an answer and a tests cell")


def _run_cell(page: Page, index: int) -> None:
    cell = page.locator(".jp-NotebookPanel:visible .jp-Notebook .jp-Cell").nth(index)
    cell.scroll_into_view_if_needed()
    cell.locator(".jp-InputPrompt").click()
    page.keyboard.press("Control+Enter")


def _dashboard_runs(page: Page, url: str, course: str) -> list[AxeRun]:
    from ..accessibility import run_axe
    from ..dashboard.widgets import TITLES, tab_class

    page.goto(f"{url}/adaptive/dashboard?course={course}&token={_TOKEN}")
    page.locator(".adaptive-class-heatmap").first.wait_for(timeout=_PAGE_TIMEOUT_MS)
    runs = []
    for title in TITLES:
        page.get_by_role("tab", name=title).click()
        content = page.locator(f".{tab_class(title)}")
        content.wait_for(state="visible", timeout=_PAGE_TIMEOUT_MS)
        page.wait_for_function(
            "(selector) => document.querySelector(selector).innerText.trim().length > 0",
            arg=f".{tab_class(title)}",
            timeout=_PAGE_TIMEOUT_MS,
        )
        runs.append(run_axe(page, [f".{tab_class(title)}"], name=f"dashboard: {title}"))
    return runs


def _kernel_idle(url: str, name: str) -> None:
    """Wait until the notebook's kernel has started and is idle."""
    deadline = time.monotonic() + _PAGE_TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"{url}/api/sessions?token={_TOKEN}", timeout=5) as answer:
            sessions = json.loads(answer.read())
        if any(
            s["path"].endswith(name) and (s.get("kernel") or {}).get("execution_state") == "idle"
            for s in sessions
        ):
            return
        time.sleep(0.3)
    raise RuntimeError(f"the kernel of {name} did not start")


def _notebook_runs(page: Page, url: str, notebook: Path) -> list[AxeRun]:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    from ..accessibility import run_axe

    answer, tests = _first_exercise(notebook)
    page.goto(f"{url}/lab/tree/{notebook.name}?token={_TOKEN}")
    page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for(timeout=_PAGE_TIMEOUT_MS)
    _kernel_idle(url, notebook.name)
    consent = page.get_by_test_id("adaptive-consent")
    # A notebook that has just opened may drop the first key press: run again if no dialog.
    for wait in (10_000, _PAGE_TIMEOUT_MS):
        _run_cell(page, answer)
        try:
            consent.wait_for(timeout=wait)
            break
        except PlaywrightTimeout:
            if wait == _PAGE_TIMEOUT_MS:
                raise
    runs = [run_axe(page, ['[data-testid="adaptive-consent"]'], name="consent dialog")]
    page.locator(".jp-Dialog").get_by_role("button", name="Outcomes only").click()
    _run_cell(page, tests)
    page.get_by_test_id("adaptive-feedback").first.wait_for(timeout=_PAGE_TIMEOUT_MS)
    runs.append(run_axe(page, ['[data-testid="adaptive-feedback"]'], name="feedback widget"))
    page.keyboard.press("Control+Shift+c")
    palette = page.locator("#command-palette")
    palette.locator("input").fill("Show my mastery")
    palette.locator(".lm-CommandPalette-item", has_text="Show my mastery").first.click()
    page.get_by_test_id("adaptive-mastery").locator("[data-skill]").first.wait_for(
        timeout=_PAGE_TIMEOUT_MS
    )
    runs.append(run_axe(page, ['[data-testid="adaptive-mastery"]'], name="mastery panel"))
    return runs


def _result(status: str, reason: str, runs: list[AxeRun]) -> dict[str, Any]:
    return {
        "status": status,
        "reason": reason,
        "pages": [run.as_dict() for run in runs],
        "violations": sum(len(run.violations) for run in runs),
    }


def check_accessibility(course: Course) -> dict[str, Any]:
    """axe on the dashboard and a notebook of ``course`` (JSON-ready): ``status`` (``run``,
    ``not run`` or ``failed``), ``reason``, the ``pages`` checked with their violations, and the
    number of ``violations`` in all."""
    try:
        import axe_playwright_python  # noqa: F401  (ships the axe-core script run_axe injects)
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        return _result(
            NOT_RUN, f"{exc.name} is not installed: `pip install 'jupyter-adaptive[audit]'`", []
        )
    from ..browser import MissingBrowser, launch_chromium
    from ..dashboard.seed import seed_class
    from ..store import Store

    units = sorted((course.path / "source").glob("*/*.ipynb"))
    if not units:
        return _result(NOT_RUN, f"the course at {course.path} has no unit notebook to open", [])
    runs: list[AxeRun] = []
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as folder:
        try:
            browser = launch_chromium(playwright)
        except MissingBrowser as exc:
            return _result(NOT_RUN, str(exc), [])
        base = Path(folder)
        (base / "notebooks").mkdir()
        notebook = base / "notebooks" / units[0].name
        shutil.copy(units[0], notebook)
        db_url = f"sqlite:///{base / 'class.sqlite'}"
        store = Store.open(db_url)
        try:
            seed_class(store, learners=12, skills=0, events=400, curriculum=course)
        finally:
            store.close()
        try:
            with _lab(base, db_url, course.path.resolve().parent) as url:
                page = browser.new_page()
                runs += _dashboard_runs(page, url, course.id)
                runs += _notebook_runs(page, url, notebook)
        except (PlaywrightError, RuntimeError, ValueError) as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            return _result("failed", f"{type(exc).__name__}: {first}", runs)
        finally:
            browser.close()
    return _result("run", "", runs)
