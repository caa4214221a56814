"""The service's side of the LMS link (LTI 1.3; the Hub's side is
:mod:`jupyter_adaptive.lti.authenticator`):

- ``GET lti/jwks`` (public): the tool's public key, which the LMS checks the tool's token
  requests against;
- ``POST api/lms/sync`` (teachers of the course), body ``{"course": C}``: one sync
  (:func:`~jupyter_adaptive.lti.sync.sync_course`), answering its report;
- ``GET api/lms/roster?course=C`` (teachers): the roster under pseudonyms;
  ``PUT api/lms/roster``, body ``{"course": C, "subgroups": {user: {attribute: value}}}``
  (teachers): subgroups from a roster file, keyed by Hub user name or LMS user id and stored
  under pseudonyms;
- every ``lms_sync_interval`` seconds, a sync of each course launched from the LMS.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Callable
from typing import Any, TypeVar

import tornado.web
from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.extension.handler import ExtensionHandlerMixin

from ..app import AdaptiveContext
from ..errors import AdaptiveError, InvalidRequestError
from ..lti.hub_launches import hub_launches
from ..lti.launch import hub_username
from ..lti.sync import PlatformSettings, SyncReport, sync_course
from ..lti.tool_key import jwks
from ..pseudonyms import pseudonym
from ..routes import TEACHER_AUTH_RESOURCE, AdaptiveHandler
from ..store import lms as queries

__all__ = ["LMSLink", "lms_handlers"]

_T = TypeVar("_T")


class LMSLink:
    """What the service needs to reach the LMS, and the syncs it runs.

    Parameters
    ----------
    context
        The service's store, secret, catalog and workers.
    platform
        The tool's client id, the platform's token endpoint and the tool's key.
    hub_api
        The Hub's API URL and the service's token (to read the launches).
    skill_scores
        Courses whose per-skill estimates go to the gradebook too (``*``: every course).
    """

    def __init__(
        self,
        context: AdaptiveContext,
        platform: PlatformSettings,
        hub_api: tuple[str, str],
        skill_scores: list[str],
    ) -> None:
        self.context = context
        self.platform = platform
        self.hub_api = hub_api
        self.skill_scores = set(skill_scores)
        self._lock = asyncio.Lock()

    async def run(self, function: Callable[..., _T], *args: Any) -> _T:
        """Store work on the store's workers when it has some, else here (SQLite)."""
        if self.context.executor is None:
            return function(*args)
        work = contextvars.copy_context().run
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.context.executor, work, function, *args)

    def label(self, course_id: str) -> Callable[[str], str]:
        """Names of a course's line items in the gradebook: the unit's title, the skill's name."""
        course = self.context.catalog.get(course_id)

        def name(resource: str) -> str:
            kind, _, key = resource.partition(":")
            if kind == "skill":
                return f"Mastery: {self.context.catalog.skill_name(course_id, key)}"
            unit = course.unit(key) if course is not None else None
            return unit.title if unit is not None else key

        return name

    async def sync(self, course: str, actor: str) -> SyncReport:
        """Sync one course (one sync at a time: two would post the same scores twice)."""
        async with self._lock:
            launches = await hub_launches(*self.hub_api, course=course)
            return await sync_course(
                self.context.store,
                self.context.secret,
                course,
                launches,
                self.platform,
                skill_scores=bool({"*", course} & self.skill_scores),
                label=self.label(course),
                actor=actor,
                run=self.run,
            )

    async def sync_all(self) -> None:
        """The periodic job: sync every course launched from the LMS, logging each report."""
        log = self.context.app.log
        try:
            launches = await hub_launches(*self.hub_api)
        except AdaptiveError as exc:
            log.error("jupyter_adaptive: LMS sync: %s", exc.message)
            return
        for course in sorted({launch.course for launch in launches if launch.course}):
            try:
                report = await self.sync(course, "lms-sync")
            except AdaptiveError as exc:
                log.error("jupyter_adaptive: LMS sync of %s: %s", course, exc.message)
                continue
            log.info("jupyter_adaptive: LMS sync: %s", report.as_dict())


class _LMSHandler(AdaptiveHandler):
    auth_resource = TEACHER_AUTH_RESOURCE

    @property
    def lms(self) -> LMSLink:
        link: LMSLink | None = self.settings.get("jupyter_adaptive_lms")
        if link is None:
            raise tornado.web.HTTPError(
                404, "This service is not linked to an LMS (c.AdaptiveService.lti_client_id)."
            )
        return link

    def course_body(self, *keys: str) -> dict[str, Any]:
        body = self.json_body()
        if not isinstance(body, dict) or set(body) != {"course", *keys}:
            fields = ", ".join(f'"{key}"' for key in ("course", *keys))
            raise InvalidRequestError(f"The body must be an object with exactly {fields}.")
        return body


class SyncHandler(_LMSHandler):
    """``POST api/lms/sync``: sync one course now."""

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        course = str(self.course_body()["course"])
        await self.require_teacher(course, "sync the course with the LMS")
        report = await self.lms.sync(course, self.username)
        self.write_json(report.as_dict())


class RosterHandler(_LMSHandler):
    """``GET|PUT api/lms/roster``: the course's roster by pseudonym; subgroups from a file."""

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        course = self.course_argument()
        await self.require_teacher(course, "read the roster")

        def read() -> list[dict[str, Any]]:
            with self.context.store.transaction() as session:
                return queries.roster(session, course)

        self.write_json({"course": course, "members": await self.run(read)})

    @tornado.web.authenticated
    @authorized
    async def put(self) -> None:
        body = self.course_body("subgroups")
        course, given = str(body["course"]), body["subgroups"]
        await self.require_teacher(course, "set the roster's subgroups")
        if not isinstance(given, dict) or not all(
            isinstance(user, str)
            and user
            and isinstance(groups, dict)
            and all(isinstance(v, str) for v in groups.values())
            for user, groups in given.items()
        ):
            raise InvalidRequestError(
                "`subgroups` must map user names to objects of attribute names and text values."
            )
        secret = self.context.secret
        subgroups = {
            pseudonym(secret, hub_username(user)): {str(k): v for k, v in groups.items() if v}
            for user, groups in given.items()
        }

        def save() -> None:
            with self.context.store.transaction() as session:
                queries.save_subgroups(session, course, subgroups, replace=True)

        await self.run(save)
        self.write_json({"course": course, "members": len(subgroups)})


class ToolKeysHandler(ExtensionHandlerMixin, JupyterHandler):
    """``GET lti/jwks``: the tool's public JSON Web Key Set (public, as LTI requires)."""

    def check_xsrf_cookie(self) -> None:
        """A GET of public keys changes nothing."""

    async def get(self) -> None:
        key = self.settings.get("jupyter_adaptive_lti_key")
        if key is None:
            raise tornado.web.HTTPError(404)
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "max-age=300")
        self.finish(jwks(key))


def lms_handlers() -> list[tuple[str, Any]]:
    """URL patterns of the LMS link, relative to the service's base URL."""
    return [
        (r"/api/lms/sync", SyncHandler),
        (r"/api/lms/roster", RosterHandler),
        (r"/lti/jwks", ToolKeysHandler),
    ]
