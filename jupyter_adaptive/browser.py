"""Debian's chromium, driven by Playwright: the one browser the tests, benchmarks and audit use.

Never a downloaded browser: ``/usr/bin/chromium`` (``apt-get install chromium``). As root it needs
``--no-sandbox``, and background networking off so it does not keep reaching for the internet.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "MissingBrowser", "launch_chromium"]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class MissingBrowser(RuntimeError):
    """Debian's chromium is not installed."""


def launch_chromium(playwright: Playwright) -> Browser:
    """Launch Debian's chromium headless (:class:`MissingBrowser` names the fix when absent)."""
    if not CHROMIUM.exists():
        raise MissingBrowser(
            f"Debian's chromium is not installed at {CHROMIUM}: `apt-get install chromium` "
            "(`make test` does it)"
        )
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )
