"""Accessibility of the learner's UIs (issue 15): axe-core's WCAG 2.1 A/AA rules find nothing on our
elements, the whole learner path works from the keyboard alone with visible focus, feedback is
announced in a polite live region, skills are read by their names, and the dark theme at 200 %
zoom keeps everything readable (screenshots in ``ui-tests/artifacts/a11y-*.png``).

One server for the module; each test opens its own copy of the demo notebook.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator

import pytest
from notebook_page import DEMO_COURSE, DEMO_NOTEBOOK, NotebookPage, demo_cell_index, eventually
from playwright.sync_api import Browser, Locator, Page, expect

from conftest import ARTIFACTS
from jupyter_adaptive.accessibility import run_axe
from tests.fixtures.courses import COURSES
from tests.fixtures.servers import ServerProcess

pytestmark = pytest.mark.browser

ITEM = "py-basics-ticket-total"
#: A wrong answer to ITEM, typed by the learner: its tests fail, so hints are offered.
WRONG = 'n_tickets_text = "3"\nticket_price_text = "12.50"\ntotal_cost = 3 * 12\n'
SKILL, SKILL_NAME = "py-values-types", "Values, types and variables"
CONSENT = '[data-testid="adaptive-consent"]'
FEEDBACK = '[data-testid="adaptive-feedback"]'
MASTERY = '[data-testid="adaptive-mastery"]'
CHECKIN = '[data-testid="adaptive-checkin"]'
THEMES = "/lab/api/settings/@jupyterlab/apputils-extension:themes"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """JupyterLab serving the repository's courses (skill names, hints, feedback, check-ins)."""
    lab = ServerProcess(
        tmp_path_factory.mktemp("a11y"), extra_args=[f"--AdaptiveApp.course_paths={COURSES}"]
    ).start()
    yield lab
    lab.stop()


def open_notebook(page: Page, server: ServerProcess, name: str) -> NotebookPage:
    """A fresh copy of the demo notebook, open with all its cells."""
    shutil.copy(DEMO_NOTEBOOK, server.root_dir / name)
    nb = NotebookPage(page, server, name).open()
    expect(nb.cells).to_have_count(len(json.loads(DEMO_NOTEBOOK.read_text())["cells"]))
    return nb


def checkin_widget(nb: NotebookPage) -> Locator:
    """The unit's check-in widget, scrolled into view: axe checks colour contrast on screen only."""
    cell = nb.cells.filter(has=nb.page.get_by_test_id("adaptive-checkin"))
    cell.scroll_into_view_if_needed()
    widget = cell.get_by_test_id("adaptive-checkin")
    expect(widget).to_be_visible()
    widget.scroll_into_view_if_needed()
    return widget


def assert_axe_clean(page: Page, selector: str, name: str) -> None:
    """axe's WCAG 2.1 A/AA rules find nothing on the elements of ``selector``; the run is kept in
    ``artifacts/axe-<name>.json``."""
    run = run_axe(page, [selector], name=name)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"axe-{name}.json").write_text(json.dumps(run.as_dict(), indent=1))
    assert run.violations == (), run.report()
    assert run.passes > 0


#: What has the focus, in a few words.
FOCUSED = """() => { const e = document.activeElement;
  return e ? `${e.tagName}.${e.className} ${(e.textContent || '').slice(0, 30)}` : 'nothing'; }"""


def is_focused(locator: Locator) -> bool:
    return bool(locator.evaluate("el => el === document.activeElement"))


def tab_to(page: Page, target: Locator, key: str = "Tab", most: int = 15) -> None:
    """Press Tab (or Shift+Tab) until ``target`` has the focus, and check its focus is visible."""
    seen = []
    for _ in range(most):
        if is_focused(target):
            break
        page.keyboard.press(key)
        seen.append(page.evaluate(FOCUSED))
    assert is_focused(target), f"{key} went through {seen}, never to {target}"
    outline = target.evaluate(
        "el => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth]; }"
    )
    assert outline[0] != "none" and float(outline[1].removesuffix("px")) >= 1, outline


def active_cell(page: Page) -> int:
    return int(
        page.evaluate(
            "() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) "
            ".jp-Notebook .jp-Cell')].findIndex(c => c.classList.contains('jp-mod-active'))"
        )
    )


def normalized(text: str) -> str:
    return " ".join(text.split())


def test_the_learner_path_works_from_the_keyboard_alone(server: ServerProcess, page: Page) -> None:
    nb = open_notebook(page, server, "keyboard.ipynb")
    answer, tests = demo_cell_index(ITEM, "answer"), demo_cell_index(ITEM, "tests")
    checkin_widget(nb)
    assert_axe_clean(page, CHECKIN, "checkin")

    # Command mode: J moves down to the answer, Enter edits it, Shift+Enter runs it.
    page.keyboard.press("Escape")
    while active_cell(page) < answer:
        page.keyboard.press("j")
    page.keyboard.press("Enter")
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(WRONG)
    page.keyboard.press("Shift+Enter")

    # The first graded run asks for consent: Tab to a level, Enter chooses it.
    dialog = page.locator(".jp-Dialog").filter(has=page.locator(CONSENT))
    expect(dialog).to_be_visible()
    assert_axe_clean(page, CONSENT, "consent")
    # Tab reaches the course's note (Space opens it: the dialog keeps Enter for its buttons).
    note = dialog.get_by_test_id("adaptive-note")
    tab_to(page, note.locator("summary"))
    page.keyboard.press("Space")
    expect(note).to_have_attribute("open", "")
    expect(note.locator("section").first).to_be_visible()
    tab_to(page, dialog.get_by_role("button", name="Outcomes only"))
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    # The dialog closes as the choice goes to the server: the server has it a moment later.
    consent_url = f"/adaptive/api/consent?course={DEMO_COURSE}"
    eventually(lambda: server.request("GET", consent_url)["level"] == "outcomes")

    # Shift+Enter runs the tests; their feedback is announced in a polite status region.
    eventually(lambda: active_cell(page) == tests)
    page.keyboard.press("Shift+Enter")
    feedback = nb.feedback(tests)
    expect(feedback.get_by_role("meter")).to_be_visible()
    message = feedback.get_by_test_id("adaptive-message")
    expect(message).not_to_be_empty()
    announce = feedback.get_by_test_id("adaptive-announce")
    expect(announce).to_have_attribute("role", "status")
    expect(announce).to_have_attribute("aria-live", "polite")
    outcome = feedback.get_by_test_id("adaptive-outcome").inner_text()
    assert normalized(announce.inner_text()) == normalized(f"{outcome} {message.inner_text()}")

    # Skills by name: the bar and its meter say "Values, types and variables", not the id.
    bar = feedback.locator(f"[data-skill='{SKILL}']")
    expect(bar.locator(".jp-adaptive-Mastery-name")).to_have_text(SKILL_NAME)
    expect(bar.get_by_role("meter")).to_have_attribute("aria-label", f"Mastery of {SKILL_NAME}")

    # F (command mode) sends the focus into the feedback; Tab and Enter open a hint.
    page.keyboard.press("f")
    assert is_focused(feedback)
    tab_to(page, feedback.get_by_role("button", name="Show a hint"))
    page.keyboard.press("Enter")
    hint = feedback.get_by_test_id("adaptive-hint").first
    expect(hint).to_be_visible()
    expect(hint).to_be_focused()

    # Space on "Next exercise" inserts the recommended exercise below.
    count = nb.cells.count()
    tab_to(page, feedback.get_by_test_id("adaptive-next"))
    page.keyboard.press("Space")
    expect(nb.cells).to_have_count(count + 3)
    expect(feedback.locator(".jp-adaptive-Feedback-nextStatus")).to_contain_text("Inserted below")
    assert_axe_clean(page, FEEDBACK, "feedback")
    feedback.screenshot(path=str(ARTIFACTS / "a11y-feedback-light.png"))

    # "Why?" and its "All my skills and their evidence" open the mastery panel, focused.
    tab_to(page, feedback.locator("summary"), key="Shift+Tab")
    page.keyboard.press("Enter")
    tab_to(page, feedback.get_by_role("button", name="All my skills and their evidence"))
    page.keyboard.press("Enter")
    panel = page.locator(MASTERY)
    skill = panel.locator(f"[data-skill='{SKILL}']")
    expect(skill.locator(".jp-adaptive-Mastery-name")).to_have_text(SKILL_NAME)
    expect(panel).to_be_focused()
    tab_to(page, skill.locator("summary"))
    page.keyboard.press("Enter")
    expect(skill.locator("details li").first).to_be_visible()
    tab_to(page, skill.get_by_test_id("adaptive-appeal"))
    expect(skill.get_by_test_id("adaptive-appeal")).to_have_accessible_name(
        f"I think this is wrong: {SKILL_NAME}"
    )
    assert_axe_clean(page, MASTERY, "mastery")
    panel.screenshot(path=str(ARTIFACTS / "a11y-mastery-light.png"))


def test_the_dark_theme_at_200_percent_zoom_keeps_everything_readable(
    server: ServerProcess, browser: Browser
) -> None:
    server.request("PUT", THEMES, {"raw": json.dumps({"theme": "JupyterLab Dark"})})
    server.request("PUT", "/adaptive/api/consent", {"course": DEMO_COURSE, "level": "outcomes"})
    # Half the CSS pixels at twice the density: what a 1400 x 900 window shows at 200 % zoom.
    context = browser.new_context(viewport={"width": 700, "height": 450}, device_scale_factor=2)
    try:
        page = context.new_page()
        nb = open_notebook(page, server, "dark.ipynb")
        expect(page.locator("body")).to_have_attribute("data-jp-theme-light", "false")
        answer, tests = demo_cell_index(ITEM, "answer"), demo_cell_index(ITEM, "tests")
        nb.set_source(answer, WRONG)
        nb.run(answer)
        nb.wait_for_run(answer)
        nb.run(tests)
        feedback = nb.feedback(tests)
        expect(feedback.get_by_role("meter")).to_be_visible()
        feedback.get_by_role("button", name="Show a hint").click()
        feedback.locator("summary").click()
        expect(feedback.get_by_test_id("adaptive-hint").first).to_be_visible()
        next_ = feedback.get_by_test_id("adaptive-next")
        next_.click()
        expect(feedback.locator(".jp-adaptive-Feedback-nextStatus")).to_contain_text("Inserted")
        overflow = feedback.evaluate("el => el.scrollWidth - el.clientWidth")
        assert overflow <= 1, f"the feedback is {overflow} px wider than the notebook at 200 %"
        # Taller than the window at 200 %: checked and shown from its top, then at its end.
        for part, end in (("top", feedback.get_by_test_id("adaptive-outcome")), ("end", next_)):
            end.scroll_into_view_if_needed()
            assert_axe_clean(page, FEEDBACK, f"feedback-dark-{part}")
            page.screenshot(path=str(ARTIFACTS / f"a11y-feedback-dark-200-{part}.png"))

        checkin = checkin_widget(nb)
        assert_axe_clean(page, CHECKIN, "checkin-dark")
        checkin.screenshot(path=str(ARTIFACTS / "a11y-checkin-dark-200.png"))

        nb.run_command("Show my mastery")
        panel = page.locator(MASTERY)
        expect(panel.locator(f"[data-skill='{SKILL}']")).to_contain_text(SKILL_NAME)
        assert_axe_clean(page, MASTERY, "mastery-dark")
        panel.screenshot(path=str(ARTIFACTS / "a11y-mastery-dark-200.png"))

        nb.run_command("Change adaptive learning consent")
        dialog = page.locator(".jp-Dialog").filter(has=page.locator(CONSENT))
        expect(dialog).to_be_visible()
        assert_axe_clean(page, CONSENT, "consent-dark")
        dialog.locator(".jp-Dialog-content").screenshot(
            path=str(ARTIFACTS / "a11y-consent-dark-200.png")
        )
        page.keyboard.press("Escape")
        expect(dialog).to_be_hidden()
    finally:
        context.close()
        server.request("PUT", THEMES, {"raw": "{}"})


def test_waiting_and_refused_events_are_told_accessibly(server: ServerProcess, page: Page) -> None:
    server.request("PUT", "/adaptive/api/consent", {"course": DEMO_COURSE, "level": "outcomes"})
    page.route("**/adaptive/api/events*", lambda route: route.abort("internetdisconnected"))
    nb = open_notebook(page, server, "refused.ipynb")
    tests = nb.run_item(ITEM)

    queue = page.get_by_test_id("adaptive-queue")
    expect(queue).to_contain_text(re.compile(r"learning events? waiting"))
    expect(queue).to_have_attribute("role", "status")
    assert_axe_clean(page, '[data-testid="adaptive-queue"]', "queue")
    queue.screenshot(path=str(ARTIFACTS / "a11y-queue.png"))

    refusal = {
        "error": "Recording is not allowed by the learner's consent; nothing was stored.",
        "details": ["Event 0: the consent level for course 'data-science-foundations' is off."],
    }
    page.unroute("**/adaptive/api/events*")
    page.route("**/adaptive/api/events*", lambda route: route.fulfill(status=409, json=refusal))
    nb.run_command("Send waiting learning events now")
    feedback = nb.feedback(tests)
    expect(feedback.locator(".jp-adaptive-Feedback-refused")).to_contain_text("Not recorded")
    assert_axe_clean(page, FEEDBACK, "feedback-refused")

    page.get_by_role("button", name="Details").first.click()
    details = page.get_by_test_id("adaptive-refusal")
    expect(details).to_be_visible()
    assert_axe_clean(page, '[data-testid="adaptive-refusal"]', "refusal")
    details.screenshot(path=str(ARTIFACTS / "a11y-refusal.png"))
