"""``AdaptiveService``: the jupyter_adaptive extension as the one process of a class.

It reuses :class:`~jupyter_adaptive.app.AdaptiveApp` (the same recorder, advisor, store and
dashboard) and changes three things:

- its routes sit at the root of its URL space: ``/services/adaptive/api/<endpoint>`` and
  ``/services/adaptive/dashboard`` on a Hub;
- on a Hub, users are the Hub's (HubOAuth for browsers, Hub API tokens for servers and scripts,
  through jupyterhub's identity provider), and teachers are members of ``teacher_groups`` or of
  ``course_teacher_group`` for one course;
- Jupyter's own APIs (contents, kernels, terminals) serve nobody: see :mod:`.authorizer`;
- linked to an LMS (``lti_client_id``), it reads rosters and posts grades there: see :mod:`.lms`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from tornado.ioloop import PeriodicCallback
from traitlets import Float, List, Unicode, default

from ..app import AdaptiveApp
from ..roles import HubRoles, OwnerRoles, Roles
from .authorizer import DASHBOARD_MESSAGE_TYPES
from .hub_groups import HubGroups

__all__ = ["AdaptiveService", "server_arguments"]


class AdaptiveService(AdaptiveApp):
    """The REST API, the store and the dashboard of a whole class, as a JupyterHub service."""

    name = "jupyter_adaptive_service"
    load_other_extensions = False
    #: Voila's server extension serves the dashboard's scripts and styles; nothing else loads.
    serverapp_config: dict[str, Any] = {  # noqa: RUF012 (ExtensionApp reads the class attribute)
        "jpserver_extensions": {"voila.server_extension": True}
    }

    teacher_groups = List(
        Unicode(),
        default_value=["instructors"],
        help="Hub groups whose members teach every course.",
    ).tag(config=True)

    course_teacher_group = Unicode(
        "formgrade-{course}",
        help="The Hub group whose members teach one course, {course} standing for its id "
        "(nbgrader's per-course grader group by default).",
    ).tag(config=True)

    lti_client_id = Unicode(
        help="The tool's client id in the LMS (the Hub's LTI13Authenticator.client_id); set, the "
        "service reads course rosters from the LMS and posts grades there (LTI Advantage).",
    ).tag(config=True)

    lti_token_url = Unicode(
        help="The LMS's OAuth 2 token endpoint (Canvas: https://<canvas>/login/oauth2/token; "
        "Moodle: https://<moodle>/mod/lti/token.php).",
    ).tag(config=True)

    lti_token_audience = Unicode(
        help="The `aud` of the tool's signed token request, when the LMS wants another than "
        "its token endpoint.",
    ).tag(config=True)

    lti_key_file = Unicode(
        help="The tool's private signing key (PEM), created with mode 0600 on first start; its "
        "public half is served at lti/jwks. Default: lti_tool_key.pem next to the secret file.",
    ).tag(config=True)

    lms_sync_interval = Float(
        0.0,
        help="Seconds between two syncs of every course launched from the LMS (roster and "
        "grades, as `jupyter-adaptive lms sync`); 0 syncs only on request.",
    ).tag(config=True)

    lms_skill_scores = List(
        Unicode(),
        help="Courses whose per-skill mastery estimates go to the LMS gradebook too, one line "
        "item per skill ('*': every course); unit scores always go.",
    ).tag(config=True)

    @default("lti_key_file")
    def _default_lti_key_file(self) -> str:
        return str(Path(self.secret_file).parent / "lti_tool_key.pem")

    @classmethod
    def get_extension_package(cls) -> str:
        """Loaded from :mod:`jupyter_adaptive.service`, not from ``jupyter_adaptive``."""
        return "jupyter_adaptive.service"

    @property
    def forwarding(self) -> bool:
        """The service is where requests are forwarded to, never a forwarder."""
        return False

    def make_roles(self) -> Roles:
        """Hub users and Hub groups on a Hub; the account running the service otherwise."""
        hub_auth = getattr(getattr(self.serverapp, "identity_provider", None), "hub_auth", None)
        if hub_auth is None:
            return OwnerRoles()
        groups = HubGroups(hub_auth.api_url, hub_auth.api_token)
        return HubRoles(groups, self.teacher_groups, self.course_teacher_group)

    def initialize_settings(self) -> None:
        """As a Jupyter server holding the store, with one change on a Hub: tornado's own XSRF
        check runs before the Hub's identity provider can say a request carries a token (a
        forwarding server's), so it is left to jupyter_server's, which runs after (as
        jupyterhub-singleuser does)."""
        super().initialize_settings()
        hub_auth = getattr(getattr(self.serverapp, "identity_provider", None), "hub_auth", None)
        if hub_auth is not None:
            self.settings["xsrf_cookies"] = False
        if self.lti_client_id:
            self._link_lms(hub_auth)

    def _link_lms(self, hub_auth: Any) -> None:
        """Load the tool's key and, on a Hub, the LMS link and its periodic sync."""
        from ..lti.sync import PlatformSettings
        from ..lti.tool_key import load_or_create_tool_key
        from .lms import LMSLink

        key = load_or_create_tool_key(Path(self.lti_key_file))
        self.settings["jupyter_adaptive_lti_key"] = key
        if hub_auth is None:
            self.log.error("jupyter_adaptive: the LMS link needs JupyterHub (the launches).")
            return
        link = LMSLink(
            self.context,
            PlatformSettings(self.lti_client_id, self.lti_token_url, key, self.lti_token_audience),
            (hub_auth.api_url, hub_auth.api_token),
            list(self.lms_skill_scores),
        )
        self.settings["jupyter_adaptive_lms"] = link
        if self.lms_sync_interval > 0:
            self._lms_timer = PeriodicCallback(link.sync_all, self.lms_sync_interval * 1000)
            self._lms_timer.start()

    def initialize_handlers(self) -> None:
        """The REST API under ``api/`` and the dashboard at ``dashboard``, at the service's root."""
        from ..dashboard.server import dashboard_handler
        from ..routes import handlers
        from .lms import lms_handlers

        self.handlers.extend(handlers(prefix=""))
        self.handlers.extend(lms_handlers())
        self.handlers.append(dashboard_handler(self.serverapp, r"/dashboard"))

    async def stop_extension(self) -> None:
        """Stop the LMS sync timer too."""
        timer = getattr(self, "_lms_timer", None)
        if timer is not None:
            timer.stop()
        await super().stop_extension()


def server_arguments(environ: dict[str, str], root_dir: str) -> list[str]:
    """The Jupyter server options of the service: locked down everywhere, and on a Hub (when
    ``$JUPYTERHUB_SERVICE_URL`` is set) listening where the Hub expects it, authenticating with
    the Hub."""
    arguments = [
        f"--ServerApp.root_dir={root_dir}",
        "--ServerApp.open_browser=False",
        "--ServerApp.authorizer_class=jupyter_adaptive.service.authorizer.ServiceAuthorizer",
        *(
            option
            for message in DASHBOARD_MESSAGE_TYPES
            for option in ("--MappingKernelManager.allowed_message_types", message)
        ),
        "--ServerApp.default_url=/dashboard",
    ]
    service_url = environ.get("JUPYTERHUB_SERVICE_URL")
    if service_url:
        url = urlparse(service_url)
        arguments += [
            "--ServerApp.identity_provider_class="
            "jupyterhub.singleuser.extension.JupyterHubIdentityProvider",
            f"--ServerApp.ip={url.hostname or '127.0.0.1'}",
            f"--ServerApp.port={url.port or 80}",
            f"--ServerApp.base_url={environ.get('JUPYTERHUB_SERVICE_PREFIX', '/')}",
            "--ServerApp.allow_remote_access=True",
            "--ServerApp.trust_xheaders=True",
            "--ServerApp.port_retries=0",
            "--ServerApp.quit_button=False",
        ]
    if os.geteuid() == 0:
        arguments.append("--ServerApp.allow_root=True")
    return arguments
