"""JupyterHub in the browser: the Hub's login form, and a learner's server behind the Hub as
``NotebookPage`` sees a server (its URL, a token, its REST API)."""

from __future__ import annotations

from typing import Any, cast

from notebook_page import NotebookPage
from playwright.sync_api import Page

from tests.fixtures.hub import DEMO_UNIT, PASSWORD, HubProcess
from tests.fixtures.servers import ServerProcess

DEMO_PATH = f"{DEMO_UNIT}/{DEMO_UNIT}.ipynb"
SERVICE_API = "/services/adaptive/api"
# Where JupyterLab keeps the extension's settings (the consent levels it remembers) in a home.
ADAPTIVE_SETTINGS = ".jupyter/lab/user-settings/jupyter-adaptive/plugin.jupyterlab-settings"


class HubServer:
    """A demo user's single-user server behind the Hub, reached with that user's API token.

    It offers what ``NotebookPage`` uses of a ``ServerProcess``: ``url``, ``token``, ``request``.
    """

    def __init__(self, hub: HubProcess, user: str, token: str) -> None:
        self.hub = hub
        self.user = user
        self.token = token

    @property
    def url(self) -> str:
        return f"{self.hub.url}/user/{self.user}"

    def request(self, method: str, path: str, body: Any = None) -> Any:
        """Call the server's REST API through the Hub's proxy; return the decoded answer."""
        status, answer = self.hub.call(self.token, method, f"/user/{self.user}{path}", body)
        assert status < 300, (status, answer)
        return answer


def log_in(page: Page, user: str) -> None:
    """Fill in and send the Hub's login form that the page shows."""
    page.locator("#username_input").fill(user)
    page.locator("#password_input").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def log_out(page: Page) -> str:
    """Log out through JupyterLab's File > Log Out; return the extension's console line about
    the outbox it cleared on the way."""
    cleared_line = "jupyter-adaptive: cleared outbox "
    with page.expect_console_message(lambda m: m.text.startswith(cleared_line)) as cleared:
        page.get_by_role("menuitem", name="File").click()
        page.get_by_role("menuitem", name="Log Out").click()
    return cleared.value.text


def open_demo_notebook(page: Page, hub: HubProcess, user: str, token: str) -> NotebookPage:
    """Log ``user`` in at the Hub's login page and wait for the released demo notebook.

    The Hub spawns the user's server if it is not running; it opens the notebook by itself.
    """
    if not page.url.startswith(f"{hub.url}/hub/login"):
        page.goto(f"{hub.url}/hub/login")
    log_in(page, user)
    page.wait_for_url(f"{hub.url}/user/{user}/lab/tree/{DEMO_PATH}*", timeout=120_000)
    server = cast(ServerProcess, HubServer(hub, user, token))
    return NotebookPage(page, server, DEMO_PATH).ready()


def outbox_name(hub: HubProcess, user: str) -> str:
    """The IndexedDB outbox of ``user`` on their server (``learnerstorage.ts``)."""
    return f"jupyter-adaptive:{hub.url}/user/{user}/:{user}:outbox"


def export(hub: HubProcess, token: str) -> dict[str, Any]:
    """Everything the service stores about the token's user (``GET export``)."""
    status, answer = hub.call(token, "GET", f"{SERVICE_API}/export")
    assert status == 200, answer
    return dict(answer)


def forget_learner(hub: HubProcess, user: str, token: str) -> None:
    """Start ``user`` afresh: erase their data at the service (events, consent) and the consent
    levels their JupyterLab remembers, so that the consent dialog asks again."""
    status, answer = hub.call(token, "DELETE", f"{SERVICE_API}/data")
    assert status == 200, answer
    (hub.state / "home" / user / ADAPTIVE_SETTINGS).unlink(missing_ok=True)
