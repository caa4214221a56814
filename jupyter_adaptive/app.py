"""``AdaptiveApp``: the jupyter_server extension. Configuration and wiring only."""

from __future__ import annotations

import getpass
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

from jupyter_server.auth.identity import (
    IdentityProvider,
    LegacyIdentityProvider,
    PasswordIdentityProvider,
)
from jupyter_server.extension.application import ExtensionApp
from traitlets import Enum, Float, Int, List, Unicode, default

from . import __version__
from .events import EVENT_SCHEMA_PATH
from .mastery.course_models import CourseModels
from .paths import default_db_url, default_model_dir, default_secret_file
from .pseudonyms import load_or_create_secret, pseudonym
from .recommend.advisor import Advisor
from .recommend.catalog import CourseCatalog
from .recommend.policy import PolicySettings
from .recording import Recorder, RecordingPolicy
from .store import Store
from .store.models import utcnow

__all__ = ["AdaptiveApp", "AdaptiveContext"]

#: jupyter_server's own identity providers: whoever holds the token or password is the owner.
_SINGLE_USER_PROVIDERS = (IdentityProvider, PasswordIdentityProvider, LegacyIdentityProvider)


class AdaptiveContext:
    """What the REST handlers need: the recorder, the store, identities and a worker pool.

    Database work is blocking. PostgreSQL's network round trips run on a few worker threads
    (``executor``). SQLite has one writer and answers in a few milliseconds from a local file, so
    its work runs on the event loop itself (``executor`` is None): handing it to a thread cost more
    in GIL hand-overs than it saved (benchmarks/api_load.py, 200 students: p95 67 ms with one
    worker thread, 18 ms inline).
    """

    def __init__(self, app: AdaptiveApp, store: Store, secret: bytes) -> None:
        self.store = store
        self.recorder = Recorder(
            store,
            RecordingPolicy(
                consent_default=app.consent_default, draft_max_bytes=app.draft_max_bytes
            ),
            CourseModels(app.model_dir).params,
        )
        root = Path(app.serverapp.root_dir) if app.serverapp else Path.cwd()
        self.advisor = Advisor(
            store,
            CourseCatalog([root / folder for folder in app.course_paths]),
            self.recorder.parameters,
            PolicySettings(threshold=app.mastery_threshold),
        )
        self.executor = (
            None
            if store.dialect == "sqlite"
            else ThreadPoolExecutor(max_workers=4, thread_name_prefix="adaptive-store")
        )
        self.consent_default = app.consent_default
        self._secret = secret
        self._teachers = set(app.teachers)
        identity_provider = app.serverapp.identity_provider if app.serverapp else None
        self._owner_mode = app.learner_identity == "owner" or (
            app.learner_identity == "auto" and type(identity_provider) in _SINGLE_USER_PROVIDERS
        )
        self._owner = getpass.getuser()

    def identity(self, username: str) -> str:
        """The server identity a learner is known by: the server's owner in a single-user server,
        the authenticated user name otherwise."""
        return self._owner if self._owner_mode else username

    def learner_id(self, username: str) -> str:
        """The pseudonym under which the user's data are stored."""
        return pseudonym(self._secret, self.identity(username))

    def is_teacher(self, username: str) -> bool:
        """Teachers see the class; in a single-user server the owner is the teacher."""
        return self._owner_mode or username in self._teachers

    def close(self) -> None:
        """Stop the workers and release database connections."""
        if self.executor is not None:
            self.executor.shutdown(wait=True)
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

    retention_days = Int(
        365,
        help="Events older than this many days are deleted at start-up; 0 keeps them forever.",
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

    secret_file = Unicode(
        help="File holding the secret that turns user names into pseudonyms; created with mode "
        "0600 on first start. Default: in the Jupyter data directory."
    ).tag(config=True)

    learner_identity = Enum(
        ["auto", "owner", "user"],
        default_value="auto",
        help="Who a learner is: 'owner' (the single user of this server), 'user' (the name "
        "the identity provider authenticates, e.g. on JupyterHub), or 'auto' (owner with "
        "jupyter_server's default token identity provider, user otherwise).",
    ).tag(config=True)

    teachers = List(
        Unicode(),
        help="User names with the teacher role when learners are identified by user name.",
    ).tag(config=True)

    model_dir = Unicode(
        help="Folder of the fitted BKT model of each course (<course>.json, written by "
        "`jupyter-adaptive mastery refit --course C`). Default: in the Jupyter data directory."
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

    def initialize_settings(self) -> None:
        """Open (and migrate) the store, load the secret, register the event schema."""
        store = Store.open(self.db_url)
        if self.retention_days > 0:
            purged = store.purge_events_before(utcnow() - timedelta(days=self.retention_days))
            if purged:
                self.log.info("jupyter_adaptive: deleted %d events past retention", purged)
        secret = load_or_create_secret(Path(self.secret_file))
        self.context = AdaptiveContext(self, store, secret)
        self.settings["jupyter_adaptive"] = self.context
        if self.serverapp is not None and self.serverapp.event_logger is not None:
            self.serverapp.event_logger.register_event_schema(EVENT_SCHEMA_PATH)
        self.log.info("jupyter_adaptive: storing events in %s", store.engine.url.render_as_string())

    def initialize_handlers(self) -> None:
        """Add the REST API under ``/adaptive/api/`` and the teacher dashboard."""
        from .dashboard.server import dashboard_handler
        from .routes import handlers

        self.handlers.extend(handlers())
        self.handlers.append(dashboard_handler(self.serverapp, self.db_url))

    async def stop_extension(self) -> None:
        """Release the store when the server stops."""
        context: Any = getattr(self, "context", None)
        if context is not None:
            context.close()
