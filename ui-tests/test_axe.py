"""The accessibility check itself: axe finds a deliberately unlabelled button of ours and refuses to
pass a page where the UI to check is missing (so a green run of the UI tests means something)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from jupyter_adaptive.accessibility import run_axe

PAGE = """<!doctype html><html lang="en"><head><title>check</title></head><body><main>
<div data-testid="adaptive-broken"><button class="jp-Button"></button></div>
<div data-testid="adaptive-fine"><button>Next exercise</button></div>
<div data-testid="theirs"><button></button></div>
</main></body></html>"""


def test_axe_finds_an_unlabelled_button_of_ours_and_only_ours(page: Page) -> None:
    page.set_content(PAGE)

    broken = run_axe(page, ['[data-testid="adaptive-broken"]'], name="broken")
    fine = run_axe(page, ['[data-testid="adaptive-fine"]'], name="fine")

    assert [v.rule for v in broken.violations] == ["button-name"]
    assert (
        broken.report()
        == "button-name (critical): Buttons must have discernible text, on .jp-Button"
    )
    assert fine.violations == ()
    assert fine.passes > 0
    assert fine.axe_version.startswith("4.")


def test_axe_refuses_a_page_without_the_ui_to_check(page: Page) -> None:
    page.set_content(PAGE)

    with pytest.raises(ValueError, match="adaptive-feedback"):
        run_axe(page, ['[data-testid="adaptive-feedback"]'])
