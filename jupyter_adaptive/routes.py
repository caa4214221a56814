"""REST API under ``/adaptive/api/``: thin handlers that call the domain and map its errors."""

from __future__ import annotations

import asyncio
import contextvars
import gzip
import json
import re
import uuid
import zlib
from collections.abc import Callable
from typing import Any, TypeVar

import tornado.web
from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import APIHandler
from jupyter_server.extension.handler import ExtensionHandlerMixin
from sqlalchemy.exc import OperationalError

from .app import AdaptiveContext
from .course_note import NoteFacts, course_note
from .errors import AdaptiveError, ConsentRefusedError, InvalidRequestError, NotFoundError
from .events import EVENT_SCHEMA_ID, parse_batch
from .grading import checked_grades, record_grades
from .store import CONSENT_LEVELS
from .store.class_queries import class_states
from .store.models import utcnow
from .translation import _, negotiate, set_language

__all__ = [
    "AUTH_RESOURCE",
    "MAX_BODY_BYTES",
    "TEACHER_AUTH_RESOURCE",
    "JSONAPIHandler",
    "handlers",
]

#: The largest request body the API reads.
MAX_BODY_BYTES = 1024 * 1024
#: Answers shorter than this go uncompressed: gzip's header and trailer would eat the saving.
_GZIP_MIN_BYTES = 200

#: How long a request waits for an SQLite write lock held by another program before a 503.
_LOCK_WAIT_SECONDS = 30.0
#: A learner's pseudonym: HMAC-SHA256 in hexadecimal.
_PSEUDONYM = re.compile(r"[0-9a-f]{64}")
_STATUS = {InvalidRequestError: 400, ConsentRefusedError: 409, NotFoundError: 404}
_T = TypeVar("_T")


#: The resources jupyter_server's Authorizer is asked about (actions: ``read`` for GET, ``write``
#: for POST, PUT and DELETE), so that a deployment can make the API read-only or teacher-only.
AUTH_RESOURCE = "adaptive"
TEACHER_AUTH_RESOURCE = "adaptive-teacher"


class JSONAPIHandler(ExtensionHandlerMixin, APIHandler):
    """Base of every handler of ours: JSON bodies, JSON errors ``{"error", "details"}`` and never a
    traceback."""

    auth_resource = AUTH_RESOURCE

    async def prepare(self) -> None:  # type: ignore[override]
        """Speak the request's language (``Accept-Language``, which the labextension sets to
        JupyterLab's) in every sentence made for it."""
        set_language(negotiate(self.request.headers.get("Accept-Language")))
        await super().prepare()

    @property
    def username(self) -> str:
        return str(self.current_user.username)

    def set_default_headers(self) -> None:
        """No ``Server`` header: it names tornado's version and costs bytes on every answer."""
        super().set_default_headers()
        self.clear_header("Server")

    def request_body(self) -> bytes:
        """The request's body, gunzipped when the client compressed it (the labextension gzips
        its batches of events); 413 when it is larger than :data:`MAX_BODY_BYTES` either way."""
        body = self.request.body
        encoding = self.request.headers.get("Content-Encoding", "identity").strip().lower()
        if encoding == "gzip":
            inflater = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
            try:
                body = inflater.decompress(body, MAX_BODY_BYTES + 1)
            except zlib.error as exc:
                raise InvalidRequestError("The request body is not valid gzip.") from exc
        elif encoding != "identity":
            raise InvalidRequestError(
                f"The request body's Content-Encoding {encoding!r} is not supported: send gzip "
                "or none."
            )
        if len(body) > MAX_BODY_BYTES:
            raise tornado.web.HTTPError(
                413, f"The request body is larger than {MAX_BODY_BYTES} bytes."
            )
        return body

    def json_body(self) -> Any:
        body = self.request_body()
        try:
            return json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise InvalidRequestError("The request body is not UTF-8 JSON.") from exc

    def write_json(self, data: Any, status: int = 200) -> None:
        self.set_status(status)
        self.finish_json(json.dumps(data, separators=(",", ":")))

    def finish_json(self, body: str | bytes) -> None:
        """Finish with a JSON body, gzip-compressed when the client accepts gzip.

        Learners on slow networks pay for every byte of an attempt's round trip. Our handlers
        compress their own answers, in every host (a learner's JupyterLab, a forwarding server,
        the Hub service), rather than relying on tornado's ``compress_response`` setting, which
        only the whole server's configuration can turn on; with it on, tornado leaves a body
        that already has a ``Content-Encoding`` alone.
        """
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.set_header("Content-Type", "application/json")
        if self.request.method in ("GET", "HEAD"):
            # Only a cacheable answer needs to tell caches that it depends on Accept-Encoding.
            self.set_header("Vary", "Accept-Encoding")
        if len(data) >= _GZIP_MIN_BYTES and "gzip" in self.request.headers.get(
            "Accept-Encoding", ""
        ):
            data = gzip.compress(data, compresslevel=6, mtime=0)
            self.set_header("Content-Encoding", "gzip")
        self.finish(data)

    def _handle_request_exception(self, e: BaseException) -> None:
        if isinstance(e, AdaptiveError):
            status = next((code for kind, code in _STATUS.items() if isinstance(e, kind)), 400)
            self.log.info(
                "jupyter_adaptive: %s %s -> %d: %s",
                self.request.method,
                self.request.path,
                status,
                e.message,
            )
            self.write_json({"error": e.message, "details": e.details}, status)
            return
        super()._handle_request_exception(e)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        error = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(error, tornado.web.HTTPError) and error.log_message:
            message = error.log_message % error.args if error.args else error.log_message
        elif status_code == 403:
            message = _("Authentication required: send the server's token or log in.")
        elif status_code >= 500:
            self.log.error("jupyter_adaptive: unexpected error", exc_info=kwargs.get("exc_info"))
            message = _("The server failed to handle this request; its log has the details.")
        else:
            message = self._reason
        self.finish_json(json.dumps({"error": message, "details": []}))


class AdaptiveHandler(JSONAPIHandler):
    """Base of the handlers of a server that holds the store."""

    @property
    def context(self) -> AdaptiveContext:
        context: AdaptiveContext = self.settings["jupyter_adaptive"]
        return context

    @property
    def learner_id(self) -> str:
        return self.context.learner_id(self.username)

    async def run(self, function: Callable[..., _T], *args: Any) -> _T:
        """Run store work: on the store's workers when it has some, else right here (SQLite).

        Right here, a try waits at most the store's short busy timeout for another process's
        write lock; the pause between tries is spent off the event loop, so the server keeps
        answering. The work is a transaction: a failed try left nothing behind.
        """
        loop = asyncio.get_running_loop()
        if self.context.executor is not None:
            # The worker speaks the request's language too.
            work = contextvars.copy_context().run
            return await loop.run_in_executor(self.context.executor, work, function, *args)
        deadline = loop.time() + _LOCK_WAIT_SECONDS
        pause = 0.02
        while True:
            try:
                return function(*args)
            except OperationalError as exc:
                if "locked" not in str(exc.orig):
                    raise
                if loop.time() > deadline:
                    raise tornado.web.HTTPError(
                        503, _("The store is busy with another program; try again shortly.")
                    ) from exc
            await asyncio.sleep(pause)
            pause = min(pause * 2, 0.5)

    async def require_teacher(self, course: str, action: str) -> None:
        """403 unless the user teaches ``course``; ``action`` completes "Only teachers of the
        course can ..."."""
        if not await self.context.roles.teaches(self.username, course):
            raise tornado.web.HTTPError(403, f"Only teachers of {course!r} can {action}.")

    def course_argument(self) -> str:
        course = self.get_argument("course", "")
        if not course:
            raise InvalidRequestError("The query parameter `course` is required.")
        return course


#: Event types only the course's own records make, and where they come from.
_TEACHERS_OWN = {
    "grade": "grades come from nbgrader only (`jupyter-adaptive grading import`).",
    "observation": "observations are recorded by teachers (`POST /adaptive/api/observations`).",
}


#: What ``POST events?view=widget`` keeps of each result: what the labextension shows.
_WIDGET_VIEW = ("event_id", "status", "skill_names", "check")
#: The widget shows estimates as whole percents: four decimals are plenty.
_WIDGET_DECIMALS = 4


def _widget_view(result: dict[str, Any]) -> dict[str, Any]:
    """One event's result as the labextension's widgets read it: no prediction and no next
    exercise (``GET next`` brings it when asked for), the feedback's kind and message only and
    estimates to four decimals, so that an attempt's round trip stays small on a slow network."""
    view = {key: result[key] for key in _WIDGET_VIEW if key in result}
    if "mastery" in result:
        view["mastery"] = {s: round(p, _WIDGET_DECIMALS) for s, p in result["mastery"].items()}
    if "evidence" in result:
        view["evidence"] = [
            {
                **row,
                "prior": round(row["prior"], _WIDGET_DECIMALS),
                "posterior": round(row["posterior"], _WIDGET_DECIMALS),
            }
            for row in result["evidence"]
        ]
    if "feedback" in result:
        view["feedback"] = {key: result["feedback"][key] for key in ("kind", "message")}
    return view


class EventsHandler(AdaptiveHandler):
    """``POST /adaptive/api/events[?view=widget]``: a batch of events, stored once each; the
    answer has every result in full, or (``view=widget``) as the labextension shows it."""

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        view = self.get_argument("view", "full")
        if view not in ("full", "widget"):
            raise InvalidRequestError("The query parameter `view` must be `full` or `widget`.")
        events = parse_batch(self.request_body())
        teachers_own = [
            f"Event {index} (id {event['event_id']}): {_TEACHERS_OWN[event['type']]}"
            for index, event in enumerate(events)
            if event["type"] in _TEACHERS_OWN
        ]
        if teachers_own:
            raise InvalidRequestError(
                "Grade and observation events cannot be posted; nothing of this batch was stored.",
                details=teachers_own,
            )
        learner_id, context = self.learner_id, self.context
        context.advisor.check_skills(events)

        def record() -> list[dict[str, Any]]:
            results = context.recorder.record(learner_id, events)
            # Exam mode: answers to a check-in get no feedback and no next exercise.
            practice = [(e, r) for e, r in zip(events, results, strict=True) if not e.get("check")]
            context.advisor.annotate(
                learner_id, [e for e, _r in practice], [r for _e, r in practice]
            )
            return results

        results = await self.run(record)
        stored = {result["event_id"] for result in results if result["status"] == "stored"}
        for event in events:
            if event["event_id"] in stored:
                self.event_logger.emit(
                    schema_id=EVENT_SCHEMA_ID,
                    data={key: value for key, value in event.items() if key != "source"},
                )
        self.write_json(
            {"results": [_widget_view(r) for r in results] if view == "widget" else results}
        )


class MasteryHandler(AdaptiveHandler):
    """``GET /adaptive/api/mastery[?course=C]``: the current learner's estimates and evidence."""

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        course = self.get_argument("course", None)
        self.write_json(await self.run(self.context.recorder.mastery, self.learner_id, course))


class ConsentHandler(AdaptiveHandler):
    """``GET|PUT /adaptive/api/consent``: the current learner's consent level for a course."""

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        course = self.course_argument()
        level = await self.run(self.context.recorder.consent, self.learner_id, course)
        self.write_json(
            {
                "course": course,
                "level": level,
                "levels": list(CONSENT_LEVELS),
                "default": self.context.consent_default,
            }
        )

    @tornado.web.authenticated
    @authorized
    async def put(self) -> None:
        body = self.json_body()
        if not isinstance(body, dict) or set(body) != {"course", "level"}:
            raise InvalidRequestError(
                'The body must be {"course": C, "level": "off"|"outcomes"|"drafts"}.'
            )
        event = {
            "event_id": str(uuid.uuid4()),
            "schema_version": 1,
            "type": "consent",
            "client_time": utcnow().isoformat(),
            "course": body["course"],
            "level": body["level"],
        }
        parse_batch(json.dumps({"events": [event]}).encode())
        await self.run(self.context.recorder.record, self.learner_id, [event])
        self.write_json({"course": body["course"], "level": body["level"]})


class ExportHandler(AdaptiveHandler):
    """``GET /adaptive/api/export``: everything stored about the current learner."""

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        store = self.context.store

        def export(learner_id: str) -> dict[str, Any]:
            with store.transaction() as session:
                return store.export_learner(session, learner_id)

        self.write_json(await self.run(export, self.learner_id))


class DataHandler(AdaptiveHandler):
    """``DELETE /adaptive/api/data``: erase the current learner's data."""

    @tornado.web.authenticated
    @authorized
    async def delete(self) -> None:
        store = self.context.store

        def erase(learner_id: str, actor: str) -> int:
            with store.transaction() as session:
                return store.delete_learner(session, learner_id, actor)

        deleted = await self.run(erase, self.learner_id, self.learner_id)
        self.context.forget(self.learner_id)
        self.write_json({"deleted_events": deleted})


class OverrideHandler(AdaptiveHandler):
    """``PUT /adaptive/api/override`` (teachers): set a learner's estimate of a skill, with reason.

    Body ``{"learner": pseudonym, "course", "skill", "value": 0..1, "reason"}``.
    """

    auth_resource = TEACHER_AUTH_RESOURCE

    @tornado.web.authenticated
    @authorized
    async def put(self) -> None:
        body = self.json_body()
        fields = {"learner", "course", "skill", "value", "reason"}
        if (
            not isinstance(body, dict)
            or set(body) != fields
            or not all(isinstance(body[key], str) for key in fields - {"value"})
            or not isinstance(body["value"], int | float)
        ):
            raise InvalidRequestError(
                'The body must be {"learner": ID, "course": C, "skill": S, "value": 0..1, '
                '"reason": TEXT}.'
            )
        await self.require_teacher(body["course"], "override an estimate")
        _check_learner(body["learner"])
        result = await self.run(
            self.context.recorder.override,
            body["learner"],
            body["course"],
            body["skill"],
            float(body["value"]),
            body["reason"],
            self.username,
        )
        self.write_json(result)


class ObservationsHandler(AdaptiveHandler):
    """``POST /adaptive/api/observations`` (teachers): evidence no cell can give, e.g. an oral
    defense. Body ``{"learner": pseudonym, "course", "skill", "kind": "oral_defense" |
    "observation", "score", "max_score", "note"}``; answers the change of the estimate."""

    auth_resource = TEACHER_AUTH_RESOURCE

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        body = self.json_body()
        fields = {"learner", "course", "skill", "kind", "score", "max_score", "note"}
        if (
            not isinstance(body, dict)
            or set(body) != fields
            or not all(isinstance(body[key], str) for key in ("learner", "course", "skill"))
        ):
            raise InvalidRequestError(
                'The body must be {"learner": ID, "course": C, "skill": S, "kind": '
                '"oral_defense"|"observation", "score": N, "max_score": N, "note": TEXT}.'
            )
        await self.require_teacher(body["course"], "record an observation")
        _check_learner(body["learner"])
        course = self.context.catalog.get(body["course"])
        if course is None or body["skill"] not in course.skills:
            known = ", ".join(sorted(course.skills)) if course else "no installed course"
            raise InvalidRequestError(
                f"Course {body['course']!r} has no skill {body['skill']!r} (known: {known})."
            )
        result = await self.run(
            self.context.recorder.record_observation,
            body["learner"],
            body["course"],
            body["skill"],
            {key: body[key] for key in ("kind", "score", "max_score", "note")},
            self.username,
        )
        self.write_json(result)


class NoteHandler(AdaptiveHandler):
    """``GET /adaptive/api/note?course=C``: the course's AI-use and privacy note, from this
    deployment's configuration, in the request's language (``{"title", "language",
    "sections": [{"heading", "paragraphs"}]}``); the consent dialog shows it."""

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        course_id = self.course_argument()
        course = self.context.catalog.get(course_id)
        if course is None:
            raise NotFoundError(_("Course {course} is not installed here.", course=repr(course_id)))
        served = self.context.models.served(course_id)
        facts = NoteFacts.from_app(
            self.context.app, course_id, course.title, served.id if served.stamp else None
        )
        self.write_json(course_note(facts).as_dict())


class NextHandler(AdaptiveHandler):
    """``GET /adaptive/api/next?course=C[&unit=U]``: the current learner's next exercise."""

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        course = self.course_argument()
        unit = self.get_argument("unit", None) or None
        self.write_json(await self.run(self.context.advisor.next, self.learner_id, course, unit))


class CheckHandler(AdaptiveHandler):
    """``GET /adaptive/api/check?course=C[&unit=U]``: the current learner's check-in at its
    current step (the item to answer, or the result once done)."""

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        course = self.course_argument()
        unit = self.get_argument("unit", None) or None
        self.write_json(await self.run(self.context.checks.check, self.learner_id, course, unit))


class ItemsHandler(AdaptiveHandler):
    """``GET /adaptive/api/items?course=C`` (teachers): the 2PL parameters of the course's items
    with their standard errors, answers behind them and misfit flags."""

    auth_resource = TEACHER_AUTH_RESOURCE

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        course = self.course_argument()
        await self.require_teacher(course, "read the item parameters")
        self.write_json({"course": course, "items": self.context.checks.items(course)})


class ItemRulesHandler(AdaptiveHandler):
    """``GET|PUT|DELETE /adaptive/api/item-rules`` (teachers): pin or exclude practice items.

    PUT body ``{"course", "item", "action": "pin"|"exclude", "learner": pseudonym or null (the
    class), "reason"}``; DELETE takes ``course``, ``item`` and optional ``learner`` parameters.
    """

    auth_resource = TEACHER_AUTH_RESOURCE

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        course = self.course_argument()
        await self.require_teacher(course, "read item rules")
        rules = await self.run(self.context.advisor.rules, course)
        self.write_json({"rules": rules})

    @tornado.web.authenticated
    @authorized
    async def put(self) -> None:
        body = self.json_body()
        if not isinstance(body, dict) or not {"course", "item", "action"} <= set(body):
            raise InvalidRequestError(
                'The body must be {"course": C, "item": I, "action": "pin"|"exclude", '
                '"learner": ID or null, "reason": TEXT}.'
            )
        await self.require_teacher(str(body["course"]), "pin or exclude items")
        _check_learner(body.get("learner"))
        await self.run(
            lambda: self.context.advisor.set_rule(
                str(body["course"]),
                str(body["item"]),
                str(body["action"]),
                learner_id=body.get("learner"),
                teacher=self.username,
                reason=str(body.get("reason") or ""),
            )
        )
        self.write_json({key: body.get(key) for key in ("course", "item", "action", "learner")})

    @tornado.web.authenticated
    @authorized
    async def delete(self) -> None:
        course, item = self.course_argument(), self.get_argument("item", "")
        await self.require_teacher(course, "pin or exclude items")
        learner = self.get_argument("learner", None) or None
        _check_learner(learner)
        deleted = await self.run(
            lambda: self.context.advisor.delete_rule(course, item, learner_id=learner)
        )
        self.write_json({"deleted": deleted})


def _check_learner(learner: Any) -> None:
    """A learner named by a teacher is a pseudonym, or None for the whole class."""
    if learner is not None and not (isinstance(learner, str) and _PSEUDONYM.fullmatch(learner)):
        raise InvalidRequestError(
            "`learner` must be a learner's pseudonym (64 hexadecimal characters) or null "
            "(the whole class)."
        )


class ClassHandler(AdaptiveHandler):
    """``GET /adaptive/api/class?course=C`` (teachers): per learner pseudonym and skill, the
    estimate, the number of answers behind it and the last activity."""

    auth_resource = TEACHER_AUTH_RESOURCE

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        course = self.course_argument()
        await self.require_teacher(course, "read the class")
        store = self.context.store

        def read() -> list[tuple[str, str, float, int, Any]]:
            with store.transaction() as session:
                return class_states(session, course)

        rows = await self.run(read)
        self.write_json(
            {
                "course": course,
                "learners": len({learner for learner, *_ in rows}),
                "rows": [
                    {
                        "learner": learner,
                        "skill": skill,
                        "estimate": estimate,
                        "attempts": attempts,
                        "last_activity": when.isoformat() if when else None,
                    }
                    for learner, skill, estimate, attempts, when in rows
                ],
            }
        )


class GradesHandler(AdaptiveHandler):
    """``POST /adaptive/api/grades`` (teachers): nbgrader grades read from a gradebook by
    ``jupyter-adaptive grading import --service``, stored under the pseudonyms only this server
    can compute. Body ``{"course": C, "grades": {student id: [grade events]}}``."""

    auth_resource = TEACHER_AUTH_RESOURCE

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        body = self.json_body()
        if not isinstance(body, dict) or set(body) != {"course", "grades"}:
            raise InvalidRequestError('The body must be {"course": C, "grades": {...}}.')
        course = str(body["course"])
        await self.require_teacher(course, "import grades")
        grades = checked_grades(course, body["grades"])
        context = self.context
        report = await self.run(
            record_grades,
            context.store,
            context.secret,
            grades,
            context.recorder.models,
            None,
            context.grades_without_consent,
        )
        self.write_json(report.as_dict())


def handlers(prefix: str = "/adaptive") -> list[tuple[str, type[AdaptiveHandler]]]:
    """URL patterns (relative to the server's base URL) and their handlers: under
    ``/adaptive/api/`` in a Jupyter server, under ``/api/`` in the service (``prefix=""``)."""
    return [
        (rf"{prefix}/api/{name}", handler)
        for name, handler in (
            ("events", EventsHandler),
            ("mastery", MasteryHandler),
            ("consent", ConsentHandler),
            ("export", ExportHandler),
            ("data", DataHandler),
            ("override", OverrideHandler),
            ("observations", ObservationsHandler),
            ("next", NextHandler),
            ("note", NoteHandler),
            ("check", CheckHandler),
            ("items", ItemsHandler),
            ("item-rules", ItemRulesHandler),
            ("class", ClassHandler),
            ("grades", GradesHandler),
        )
    ]
