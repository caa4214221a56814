"""``AdaptiveApp``: the jupyter_server extension. Configuration and wiring only."""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

from jupyter_server.auth.identity import (
    IdentityProvider,
    LegacyIdentityProvider,
    PasswordIdentityProvider,
)
from jupyter_server.extension.application import ExtensionApp
from tornado.ioloop import PeriodicCallback
from traitlets import Enum, Float, Int, List, TraitError, Unicode, default, validate

from . import __version__
from .assessment.cat import CatSettings
from .assessment.item_bank import BankFiles
from .checks import Checks
from .events import EVENT_SCHEMA_PATH
from .mastery.course_models import CourseModels
from .mastery.model_file import DEFAULT_MODEL, MODELS
from .model_refresh import ModelRefresh, course_priors
from .paths import default_db_url, default_model_dir, default_secret_file
from .pseudonyms import load_or_create_secret, pseudonym
from .recommend.advisor import Advisor
from .recommend.catalog import CourseCatalog
from .recommend.policy import PolicySettings
from .recording import Recorder, RecordingPolicy
from .roles import NamedRoles, OwnerRoles, Roles
from .service_client import ServiceClient
from .store import Store
from .store.models import utcnow
from .store.responses import observation_courses

__all__ = ["AdaptiveApp", "AdaptiveContext", "IdentityGuessError"]

#: jupyter_server's own single-user identity providers: whoever holds the token or password is the
#: owner. (Its legacy provider wraps a custom login handler, which may know many users.)
_SINGLE_USER_PROVIDERS = (IdentityProvider, PasswordIdentityProvider)


class IdentityGuessError(ValueError):
    """``learner_identity = "auto"`` cannot tell whether the server has one user or many."""


class AdaptiveContext:
    """What the REST handlers need: the recorder, the advisor, the store, who is who, a worker pool.

    Database work is blocking. PostgreSQL's network round trips run on a few worker threads
    (``executor``). SQLite has one writer and answers in a few milliseconds from a local file, so
    its work runs on the event loop itself (``executor`` is None): handing it to a thread cost more
    in GIL hand-overs than it saved (benchmarks/api_load.py, 200 students: p95 67 ms with one
    worker thread, 18 ms inline).
    """

    def __init__(
        self, app: AdaptiveApp, store: Store, secret: bytes, roles: Roles, db_url: str
    ) -> None:
        #: The configured extension (its traits describe the deployment, e.g. for the note).
        self.app = app
        self.store = store
        self.db_url = db_url
        root = Path(app.serverapp.root_dir) if app.serverapp else Path.cwd()
        self.catalog = CourseCatalog([root / folder for folder in app.course_paths])
        self.models = CourseModels(app.model_dir, course_priors(self.catalog))
        # Refits run in a process of their own (started at the first one), off the event loop and
        # the server's interpreter lock.
        self.refresh = ModelRefresh(
            self.models,
            db_url,
            ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")),
            every_answers=app.refit_every_answers,
            min_answers=app.refit_min_answers,
            name=app.refit_model,
        )
        self.recorder = Recorder(
            store,
            RecordingPolicy(
                consent_default=app.consent_default,
                draft_max_bytes=app.draft_max_bytes,
                mastery_threshold=app.mastery_threshold,
                review_below=app.review_below,
                observation_weight=app.observation_weight,
            ),
            self.models,
            answered=self.refresh.answered,
            skill_names=self.catalog.skill_name,
        )
        self.advisor = Advisor(
            store,
            self.catalog,
            self.recorder.parameters,
            PolicySettings(threshold=app.mastery_threshold, review_below=app.review_below),
        )
        self.checks = Checks(
            store,
            self.catalog,
            self.recorder,
            BankFiles(app.model_dir),
            CatSettings(
                se_target=app.check_se_target,
                max_items=app.check_max_items,
                max_exposure=app.check_max_exposure,
            ),
        )
        self.executor = (
            None
            if store.dialect == "sqlite"
            else ThreadPoolExecutor(max_workers=4, thread_name_prefix="adaptive-store")
        )
        self.consent_default = app.consent_default
        self.grades_without_consent = app.grades_without_consent
        self.roles = roles
        #: The pseudonym secret (server-side only; never in a response or an environment).
        self.secret = secret

    def learner_id(self, username: str) -> str:
        """The pseudonym under which the user's data are stored."""
        return pseudonym(self.secret, self.roles.identity(username))

    def forget(self, learner_id: str | None = None) -> None:
        """Drop what is kept between requests of a learner (every learner when None), after their
        stored data changed elsewhere (deleted, purged)."""
        self.advisor.forget(learner_id)
        self.recorder.histories.forget(learner_id)

    def close(self) -> None:
        """Stop the workers (a running refit is abandoned; its model file is written whole or not
        at all) and release database connections."""
        if self.executor is not None:
            self.executor.shutdown(wait=True)
        self.refresh.executor.shutdown(wait=False, cancel_futures=True)
        self.store.close()


class AdaptiveApp(ExtensionApp):
    """Records graded-cell attempts, traces mastery and serves it to the JupyterLab extension."""

    name = "jupyter_adaptive"
    description = __doc__ or ""
    version = __version__
    load_other_extensions = True

    db_url = Unicode(
        help="SQLAlchemy URL of the store, e.g. postgresql+psycopg://user@host/db. "
        "Default: an SQLite file in the Jupyter data directory."
    ).tag(config=True)

    consent_default = Enum(
        ["ask", "off", "outcomes", "drafts"],
        default_value="ask",
        help="Consent level assumed before a learner answers for a course; 'ask' records nothing "
        "until the learner chooses.",
    ).tag(config=True)

    grades_without_consent = Enum(
        ["skip", "outcomes"],
        default_value="skip",
        help="nbgrader grades of learners never asked for consent in a course: 'skip' them, or "
        "record them at 'outcomes' (grades are the course's own records and carry no draft).",
    ).tag(config=True)

    retention_days = Int(
        365,
        help="Events older than this many days are deleted (at start, then every "
        "`retention_interval` seconds); 0 keeps them forever.",
    ).tag(config=True)

    draft_max_bytes = Int(
        20_000, help="Answer sources (drafts) are cut to this many bytes of UTF-8 before storage."
    ).tag(config=True)

    course_paths = List(
        Unicode(),
        default_value=["courses"],
        help="Folders holding courses (one sub-folder per course), relative to the server root.",
    ).tag(config=True)

    mastery_threshold = Float(
        0.95,
        help="A skill counts as mastered once its estimate reaches this; mastered skills get no "
        "more practice until spaced review brings them back.",
    ).tag(config=True)

    observation_weight = Int(
        2,
        help="How many answers a teacher's observation (an oral defense, work seen in class; "
        "POST /adaptive/api/observations) weighs in the learner's estimate.",
    ).tag(config=True)

    @validate("observation_weight")
    def _positive_weight(self, proposal: dict[str, Any]) -> int:
        if proposal["value"] < 1:
            raise TraitError("observation_weight is a number of answers: 1 or more.")
        return int(proposal["value"])

    secret_file = Unicode(
        help="File holding the secret that turns user names into pseudonyms; created with mode "
        "0600 on first start. Default: in the Jupyter data directory."
    ).tag(config=True)

    learner_identity = Enum(
        ["auto", "owner", "user"],
        default_value="auto",
        help="Who a learner is: 'owner' (the single user of this server), 'user' (the name "
        "the identity provider authenticates, e.g. on JupyterHub), or 'auto' (owner with "
        "jupyter_server's own token or password identity provider, user with any other; a "
        "custom login handler (jupyter_server's legacy provider) is refused: set this).",
    ).tag(config=True)

    teachers = List(
        Unicode(),
        help="User names with the teacher role when learners are identified by user name.",
    ).tag(config=True)

    service_url = Unicode(
        help="URL of the central `jupyter-adaptive service` (on JupyterHub: "
        "http://<service host>:<port>/services/adaptive/). When set, this server stores "
        "nothing: it forwards its REST API to the service, authenticated with `service_token`, "
        "and holds no database URL and no secret. Default: $JUPYTER_ADAPTIVE_SERVICE_URL."
    ).tag(config=True)

    service_token = Unicode(
        help="Token this server sends to the service; the service asks the Hub whose it is. "
        "Default: the server's own Hub API token ($JUPYTERHUB_API_TOKEN)."
    ).tag(config=True)

    retention_interval = Float(
        3600.0,
        help="Seconds between two retention purges of a server that holds the store (the first "
        "runs at start).",
    ).tag(config=True)

    @default("service_url")
    def _default_service_url(self) -> str:
        return os.environ.get("JUPYTER_ADAPTIVE_SERVICE_URL", "")

    @default("service_token")
    def _default_service_token(self) -> str:
        return os.environ.get("JUPYTERHUB_API_TOKEN", "")

    model_dir = Unicode(
        help="Folder of the fitted model of each course (<course>.json, written by the background "
        "refit or `jupyter-adaptive mastery refit --course C`). Default: in the Jupyter data "
        "directory."
    ).tag(config=True)

    refit_every_answers = Int(
        2000,
        help="A course's model is refitted in the background once this many answers were recorded "
        "since its last refit (0: only every `refit_interval`).",
    ).tag(config=True)

    refit_interval = Float(
        86400.0,
        help="Seconds between two checks that refit, in the background, every course with answers "
        "its model has not seen (the first check runs at start); 0 turns them off.",
    ).tag(config=True)

    refit_min_answers = Int(
        500,
        help="Stored answers a course needs before a fitted model replaces the prior from its "
        "declared item difficulty and skill graph.",
    ).tag(config=True)

    refit_model = Enum(
        list(MODELS),
        default_value=DEFAULT_MODEL,
        help="The model the background refit fits (see `jupyter-adaptive mastery fit --help`).",
    ).tag(config=True)

    review_below = Float(
        0.85,
        help="A mastered skill comes back for spaced review once its estimate, decayed by the "
        "skill's forgetting rate per day since it was last practised, falls below this.",
    ).tag(config=True)

    check_se_target = Float(
        CatSettings.se_target,
        help="A check-in stops once the standard error of the learner's ability estimate is at "
        "most this (or after `check_max_items` items).",
    ).tag(config=True)

    check_max_items = Int(
        CatSettings.max_items,
        help="The most items a check-in asks, whatever its precision by then.",
    ).tag(config=True)

    check_max_exposure = Float(
        CatSettings.max_exposure,
        help="No check item is asked in more than this share of a unit's check-ins (the most "
        "informative item waits its turn), so that no item becomes known to the whole class.",
    ).tag(config=True)

    @default("model_dir")
    def _default_model_dir(self) -> str:
        return str(default_model_dir())

    @default("db_url")
    def _default_db_url(self) -> str:
        return default_db_url()

    @default("secret_file")
    def _default_secret_file(self) -> str:
        return str(default_secret_file())

    @property
    def forwarding(self) -> bool:
        """Whether this server forwards to a central service instead of holding the store."""
        return bool(self.service_url)

    def make_roles(self) -> Roles:
        """Who learners and teachers are on this server (see :mod:`jupyter_adaptive.roles`).

        Raises
        ------
        IdentityGuessError
            With ``learner_identity = "auto"`` behind a custom login handler, which may know one
            user or many: guessing wrong would store many users' work as one learner's.
        """
        provider = self.serverapp.identity_provider if self.serverapp else None
        mode = self.learner_identity
        if mode == "auto":
            if isinstance(provider, LegacyIdentityProvider):
                raise IdentityGuessError(
                    "jupyter_adaptive cannot tell who the learner is behind a custom login "
                    "handler: set c.AdaptiveApp.learner_identity to 'owner' (one user per "
                    "server) or 'user' (the name the login handler authenticates)."
                )
            mode = "owner" if type(provider) in _SINGLE_USER_PROVIDERS else "user"
        return OwnerRoles() if mode == "owner" else NamedRoles(self.teachers)

    def initialize_settings(self) -> None:
        """Open (and migrate) the store, load the secret, schedule retention, register the event
        schema; or, when forwarding to a service, none of that."""
        if self.serverapp is not None and self.serverapp.event_logger is not None:
            self.serverapp.event_logger.register_event_schema(EVENT_SCHEMA_PATH)
        if self.forwarding:
            self.settings["jupyter_adaptive_service"] = ServiceClient(
                self.service_url, self.service_token
            )
            # On a Hub, the user whose token this server holds: only they may record through it.
            self.settings["jupyter_adaptive_owner"] = os.environ.get("JUPYTERHUB_USER", "")
            self.log.info("jupyter_adaptive: forwarding to the service at %s", self.service_url)
            if not self.service_token:
                self.log.error(
                    "jupyter_adaptive: no token for the service: set c.AdaptiveApp.service_token "
                    "(on JupyterHub, $JUPYTERHUB_API_TOKEN is used); the service will refuse (403)"
                )
            return
        roles = self.make_roles()
        # SQLite work runs on the event loop: a statement waits at most 50 ms for another
        # process's write lock (a command's), then the request retries after a pause off the loop.
        store = Store.open(self.db_url, sqlite_busy_ms=50)
        secret = load_or_create_secret(Path(self.secret_file))
        self.context = AdaptiveContext(self, store, secret, roles, self.db_url)
        self.settings["jupyter_adaptive"] = self.context
        self._purge_expired()
        if self.retention_days > 0:
            self._retention_timer = PeriodicCallback(
                self._purge_expired, self.retention_interval * 1000
            )
            self._retention_timer.start()
        if self.refit_interval > 0:
            self._refit_courses()
            self._refit_timer = PeriodicCallback(self._refit_courses, self.refit_interval * 1000)
            self._refit_timer.start()
        self.log.info("jupyter_adaptive: storing events in %s", store.engine.url.render_as_string())

    def _purge_expired(self) -> None:
        """Delete learner content past ``retention_days`` (this deployment's setting, nobody
        else's), logging what went from each table."""
        if self.retention_days <= 0:
            return
        cutoff = utcnow() - timedelta(days=self.retention_days)
        purged = self.context.store.purge_before(cutoff)
        if any(purged.values()):
            self.context.forget()
        self.log.info(
            "jupyter_adaptive: retention purge: %d events older than %d days deleted (%s)",
            purged["events"],
            self.retention_days,
            ", ".join(f"{table}: {count}" for table, count in purged.items()),
        )

    def _refit_courses(self) -> None:
        """Start a background refit of every course with answers its model has not seen (the
        worker skips the others)."""
        with self.context.store.transaction() as session:
            courses = observation_courses(session)
        self.context.refresh.tick(courses)

    def initialize_handlers(self) -> None:
        """Add the REST API under ``/adaptive/api/`` and the teacher dashboard (or, when
        forwarding, the routes that relay both to the service)."""
        if self.forwarding:
            from .forwarding import forwarding_handlers

            self.handlers.extend(forwarding_handlers())
            return
        from .dashboard.server import dashboard_handler
        from .routes import handlers

        self.handlers.extend(handlers())
        self.handlers.append(dashboard_handler(self.serverapp))

    async def stop_extension(self) -> None:
        """Stop the retention timer and release the store when the server stops."""
        for name in ("_retention_timer", "_refit_timer"):
            timer = getattr(self, name, None)
            if timer is not None:
                timer.stop()
        context: Any = getattr(self, "context", None)
        if context is not None:
            context.close()
