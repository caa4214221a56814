"""The Hub's LTI 1.3 login: jupyterhub-ltiauthenticator's ``LTI13Authenticator`` (which runs the
OIDC login, fetches the platform's keys and validates the id_token), told what a launch means to
jupyter-adaptive (:mod:`.launch`):

- the user is the launch's ``sub``; their whole id_token is kept as ``auth_state``
  (``c.Authenticator.enable_auth_state``), where the service reads the course's LTI endpoints;
- their Hub groups follow the launch's roles: the course's teacher group (``formgrade-<course>``,
  which the service and nbgrader read) or its learner group (``nbgrader-<course>``); groups of
  their other courses stay;
- after the launch, ``/hub/lti13/open`` sends a teacher to the course's dashboard and a learner
  to their own server, on the unit the launch names.

It also serves the tool's configuration for Canvas at ``/hub/lti13/config``.

Used by ``deploy/jupyterhub/jupyterhub_config.py`` when ``ADAPTIVE_HUB_LTI=1``; imported by the
Hub only.
"""

from __future__ import annotations

import json
from typing import Any

from jupyterhub.handlers import BaseHandler
from jupyterhub.utils import url_path_join
from ltiauthenticator.lti13.auth import LTI13Authenticator
from ltiauthenticator.lti13.error import LoginError
from ltiauthenticator.lti13.handlers import LTI13ConfigHandler
from tornado import web
from tornado.httputil import url_concat
from traitlets import Unicode, default

from .launch import Launch

__all__ = ["AdaptiveLTI13Authenticator", "LaunchLandingHandler", "ToolConfigHandler"]

#: The LTI Advantage scopes the tool asks for: grades (line items, scores) and the roster.
TOOL_SCOPES = (
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
    "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/score",
    "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
)


class LaunchLandingHandler(BaseHandler):
    """``/hub/lti13/open``: where a launch lands (the tool's target link, and the Hub's default
    URL in LTI mode)."""

    @web.authenticated
    async def get(self) -> None:
        user = self.current_user
        launch = Launch.from_claims(await user.get_auth_state() or {})
        if launch.course is None:
            raise web.HTTPError(
                400, "Open jupyter-adaptive from your course in the LMS: no course launch is known."
            )
        authenticator: AdaptiveLTI13Authenticator = self.authenticator
        if launch.teaches:
            dashboard = url_path_join(self.base_url, authenticator.service_prefix, "dashboard")
            self.redirect(url_concat(dashboard, {"course": launch.course}))
            return
        folder = f"{launch.course}/{launch.unit}" if launch.unit else launch.course
        page = f"lab/tree/{folder}/{launch.unit}.ipynb" if launch.unit else f"lab/tree/{folder}"
        spawn = url_path_join(self.hub.base_url, "spawn", user.escaped_name)
        # The spawn page starts the server if it is not running, then goes on to `next`.
        self.redirect(url_concat(spawn, {"next": url_path_join(user.url, page)}))


class ToolConfigHandler(LTI13ConfigHandler):
    """``/hub/lti13/config``: the tool's configuration in Canvas's developer key format (what an
    admin pastes into Canvas), naming our landing page, the tool's public keys and only the scopes
    it uses. No custom field asks for names or e-mail addresses."""

    async def get(self) -> None:
        authenticator: AdaptiveLTI13Authenticator = self.authenticator
        origin = f"{authenticator.get_uri_scheme(self.request)}://{self.request.host}"
        landing = origin + url_path_join(self.hub.base_url, "lti13/open")
        custom = {"subgroup_section": "$com.instructure.User.sectionNames"}
        placements = [
            {
                "placement": placement,
                "message_type": "LtiResourceLinkRequest",
                "target_link_uri": landing,
                **({"windowTarget": "_blank"} if placement == "course_navigation" else {}),
            }
            for placement in ("course_navigation", "link_selection", "assignment_selection")
        ]
        config = {
            "title": authenticator.tool_name,
            "description": authenticator.tool_description,
            "oidc_initiation_url": origin + authenticator.login_url(self.hub.base_url),
            "target_link_uri": landing,
            "public_jwk_url": origin
            + url_path_join(self.base_url, authenticator.service_prefix, "lti/jwks"),
            "scopes": list(TOOL_SCOPES),
            "custom_fields": custom,
            "extensions": [
                {
                    "platform": "canvas.instructure.com",
                    "privacy_level": "anonymous",
                    "settings": {"platform": "canvas.instructure.com", "placements": placements},
                }
            ],
        }
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(config, indent=1))


class AdaptiveLTI13Authenticator(LTI13Authenticator):
    """LTI 1.3 launches into the class's Hub, mapped to jupyter-adaptive's courses and roles."""

    config_handler = ToolConfigHandler

    teacher_group = Unicode(
        "formgrade-{course}",
        help="The Hub group of a course's teachers (launch role Instructor or "
        "TeachingAssistant), {course} standing for the course id; the service's "
        "course_teacher_group.",
    ).tag(config=True)

    learner_group = Unicode(
        "nbgrader-{course}",
        help="The Hub group of a course's learners, {course} standing for the course id.",
    ).tag(config=True)

    service_prefix = Unicode(
        "services/adaptive/",
        help="Where the adaptive service is, from the Hub's public base URL.",
    ).tag(config=True)

    @default("manage_groups")
    def _default_manage_groups(self) -> bool:
        return True

    @default("enable_auth_state")
    def _default_enable_auth_state(self) -> bool:
        return True

    def get_handlers(self, app: Any) -> list[tuple[str, Any]]:
        """The library's login, callback and configuration pages, and the landing page."""
        return [*super().get_handlers(app), ("/lti13/open", LaunchLandingHandler)]

    async def authenticate(
        self, handler: Any, data: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """The Hub user of a validated launch, with its claims and the groups its roles give."""
        claims = data or {}
        launch = Launch.from_claims(claims)
        if not launch.username:
            raise LoginError("The launch carries no user id (`sub`).")
        if launch.course is None:
            raise LoginError(
                "The launch names no course: set the custom parameter `course` in the LMS, or "
                "give the course a label that is a course id."
            )
        user = handler.find_user(launch.username)
        current = [group.name for group in user.groups] if user is not None else []
        return {
            "name": launch.username,
            "auth_state": claims,
            "groups": launch.groups(current, self.teacher_group, self.learner_group),
        }
