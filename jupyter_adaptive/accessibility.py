"""Accessibility checks with axe-core (WCAG 2.1 A and AA rules) on a page open in Playwright.

The axe-core script ships inside ``axe-playwright-python``; :func:`run_axe` injects it into the page
and checks *our* elements only (the selectors given), since JupyterLab's and Voila's own markup is
theirs to fix. A selector that matches nothing is an error, not a pass: a check of a UI that is not
on the page proves nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Page

__all__ = ["WCAG21_AA", "AxeRun", "Violation", "run_axe"]

#: The axe-core tags of the WCAG 2.0 and 2.1 level A and AA rules.
WCAG21_AA = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")


@dataclass(frozen=True)
class Violation:
    """One axe rule broken, with the elements that break it."""

    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]

    def sentence(self) -> str:
        """``rule (impact): help — on target, target``."""
        return f"{self.rule} ({self.impact}): {self.help}, on {', '.join(self.targets)}"

    def as_dict(self) -> dict[str, Any]:
        """The violation as JSON-ready fields."""
        return {
            "rule": self.rule,
            "impact": self.impact,
            "help": self.help,
            "targets": list(self.targets),
        }


@dataclass(frozen=True)
class AxeRun:
    """What axe found on one page: the rules broken and how many rules passed."""

    name: str
    violations: tuple[Violation, ...]
    passes: int
    axe_version: str

    def report(self) -> str:
        """One line per violation (empty when there are none)."""
        return "\n".join(v.sentence() for v in self.violations)

    def as_dict(self) -> dict[str, Any]:
        """The run as JSON-ready fields."""
        return {
            "name": self.name,
            "violations": [v.as_dict() for v in self.violations],
            "passes": self.passes,
            "axe_version": self.axe_version,
        }


#: JupyterLab's body has no height (its shell is positioned absolutely) and hides its overflow, so
#: axe takes everything in it for clipped and skips colour contrast. While axe runs the body gets
#: the viewport's height as its least height, which changes nothing on screen.
_BODY_TO_VIEWPORT = """() => {
  const style = document.body.style, before = style.minHeight;
  style.minHeight = '100vh';
  return before;
}"""
_BODY_RESTORED = "before => { document.body.style.minHeight = before; }"


def _axe_script() -> str:
    from axe_playwright_python.base import AXE_SCRIPT

    return AXE_SCRIPT


def run_axe(
    page: Page, include: Sequence[str], *, name: str = "", exclude: Sequence[str] = ()
) -> AxeRun:
    """Run axe's WCAG 2.1 A/AA rules on the elements matching ``include`` (CSS selectors).

    Raises :class:`ValueError` when a selector matches nothing on the page.
    """
    missing = [s for s in include if page.locator(s).count() == 0]
    if missing:
        raise ValueError(f"nothing on the page matches {', '.join(missing)}: nothing to check")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_script())
    context = {"include": [[s] for s in include], "exclude": [[s] for s in exclude]}
    options = {
        "runOnly": {"type": "tag", "values": list(WCAG21_AA)},
        "resultTypes": ["violations"],
    }
    before = page.evaluate(_BODY_TO_VIEWPORT)
    try:
        result = page.evaluate(
            "([context, options]) => axe.run(context, options)", [context, options]
        )
    finally:
        page.evaluate(_BODY_RESTORED, before)
    violations = tuple(
        Violation(
            rule=v["id"],
            impact=v.get("impact") or "",
            help=v["help"],
            targets=tuple(" ".join(map(str, node["target"])) for node in v["nodes"]),
        )
        for v in result["violations"]
    )
    return AxeRun(
        name=name or page.url,
        violations=violations,
        passes=len(result.get("passes", [])),
        axe_version=result["testEngine"]["version"],
    )
