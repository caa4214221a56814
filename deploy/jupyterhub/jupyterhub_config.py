"""JupyterHub for a class using jupyter-adaptive: one central service, learners' servers without
credentials.

- The service ``adaptive`` (``jupyter-adaptive service``) is the only process holding the database
  URL, the pseudonym secret and the models. Browsers reach it at ``/services/adaptive/`` (HubOAuth);
  learners' servers forward their REST API to it with their own Hub API token.
- Teachers are the members of the Hub group ``instructors`` (every course) or of nbgrader's
  ``formgrade-<course>`` (that course). The dashboard is ``/services/adaptive/dashboard``.
- The store: PostgreSQL from ``$ADAPTIVE_DB_URL`` (e.g. ``postgresql+psycopg://adaptive:...@db/
  adaptive``); an SQLite file in the state folder when unset.

Demo mode (``ADAPTIVE_HUB_DEMO=1``, what ``make hub`` starts): DummyAuthenticator with the password
``$ADAPTIVE_HUB_PASSWORD``, SimpleLocalProcessSpawner, users ``teacher1`` (in ``instructors``) and
``student1``..``student3``, each server opening the released demo unit. SimpleLocalProcessSpawner
runs every server as the Hub's own system user: it keeps credentials out of learners' environments,
kernels and configuration, but not out of reach of the file system. A real deployment spawns each
learner as their own system user or container (LocalProcessSpawner, DockerSpawner, KubeSpawner;
Zero to JupyterHub: ``zero-to-jupyterhub.md`` next to this file).

LTI mode (``ADAPTIVE_HUB_LTI=1``): learners and teachers arrive from the LMS by an LTI 1.3 launch
(jupyterhub-ltiauthenticator; ``deploy/lti/README.md`` says how to register the tool in Canvas or
Moodle), land on the launched unit in their own server (teachers: on the course's dashboard), and
the service reads the LMS roster and posts grades back. It needs the platform's
``ADAPTIVE_LTI_ISSUER``, ``ADAPTIVE_LTI_CLIENT_ID`` (the tool's client id there),
``ADAPTIVE_LTI_LOGIN_URL`` (its OIDC authorization endpoint), ``ADAPTIVE_LTI_JWKS_URL`` (its keys)
and ``ADAPTIVE_LTI_TOKEN_URL`` (its OAuth 2 token endpoint); optional ``ADAPTIVE_LMS_SYNC_INTERVAL``
(seconds between grade syncs, default 3600, 0: only ``jupyter-adaptive lms sync``) and
``ADAPTIVE_LMS_SKILL_SCORES`` (comma-separated courses that also pass per-skill mastery back).

Environment:
``ADAPTIVE_HUB_STATE``    folder for the Hub's and the service's files (default: ./hub-state)
``ADAPTIVE_DB_URL``       the store (default: SQLite in the state folder)
``ADAPTIVE_HUB_PORT``     the Hub's public port on 127.0.0.1 (default 8000)
``ADAPTIVE_SERVICE_PORT`` the service's port on 127.0.0.1 (default 10101)
``ADAPTIVE_COURSES``      the folder of courses (default: this repository's courses/)
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from jupyter_adaptive.lti.launch import Launch

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

HERE = Path(__file__).resolve().parent
STATE = Path(os.environ.get("ADAPTIVE_HUB_STATE", "hub-state")).resolve()
COURSES = Path(os.environ.get("ADAPTIVE_COURSES", HERE.parent.parent / "courses")).resolve()
COURSE = "data-science-foundations"
DEMO_UNIT = "01_python_basics"
HUB_PORT = int(os.environ.get("ADAPTIVE_HUB_PORT", "8000"))
SERVICE_PORT = int(os.environ.get("ADAPTIVE_SERVICE_PORT", "10101"))
DB_URL = os.environ.get("ADAPTIVE_DB_URL") or f"sqlite:///{STATE / 'service' / 'adaptive.sqlite'}"
SERVICE_URL = f"http://127.0.0.1:{SERVICE_PORT}"
for folder in (STATE / "service" / "root", STATE / "hub"):
    folder.mkdir(parents=True, exist_ok=True)

# --- The Hub ---------------------------------------------------------------------------------
c.JupyterHub.bind_url = f"http://127.0.0.1:{HUB_PORT}"
c.JupyterHub.hub_port = int(os.environ.get("ADAPTIVE_HUB_API_PORT", "8081"))
c.JupyterHub.db_url = f"sqlite:///{STATE / 'hub' / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "hub" / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(STATE / "hub" / "proxy.pid")
PROXY_API_PORT = int(os.environ.get("ADAPTIVE_PROXY_API_PORT", "8001"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{PROXY_API_PORT}"
# npm's configurable-http-proxy, installed next to this file by `make hub` / `make test`.
_proxy = HERE / "node_modules" / ".bin" / "configurable-http-proxy"
if _proxy.exists():
    c.ConfigurableHTTPProxy.command = [str(_proxy)]

# --- The service: the only holder of the store's URL and the secret ---------------------------
c.JupyterHub.services = [
    {
        "name": "adaptive",
        "url": SERVICE_URL,
        "display": False,
        "oauth_no_confirm": True,
        "command": [
            sys.executable,
            "-m",
            "jupyter_adaptive",
            "service",
            f"--root-dir={STATE / 'service' / 'root'}",
            "--",
            f"--AdaptiveApp.secret_file={STATE / 'service' / 'pseudonym_secret'}",
            f"--AdaptiveApp.model_dir={STATE / 'service' / 'models'}",
            # A list option: each --AdaptiveApp.course_paths=FOLDER adds one folder.
            f"--AdaptiveApp.course_paths={COURSES}",
        ],
        # In the environment, not on the command line: `ps` shows command lines to everyone.
        "environment": {"JUPYTER_ADAPTIVE_DB_URL": DB_URL},
    }
]

# Least privilege, scope by scope:
c.JupyterHub.load_roles = [
    {
        "name": "user",
        "description": "Every Hub user: their own things, and the adaptive service",
        "scopes": [
            # JupyterHub's default for users: their own server, tokens and model.
            "self",
            # Log in to the service in a browser (the dashboard; a learner gets 403 there) and
            # call its API with a token of their own.
            "access:services!service=adaptive",
        ],
    },
    {
        "name": "server",
        "description": "The token of each user's server ($JUPYTERHUB_API_TOKEN)",
        "scopes": [
            # JupyterHub's defaults: report activity, accept the owner's browser.
            "users:activity!user",
            "access:servers!server",
            # Forward the owner's events, consent, mastery... to the service, as its owner.
            "access:services!service=adaptive",
        ],
    },
    {
        "name": "adaptive-service",
        "description": "The service's own token",
        "services": ["adaptive"],
        "scopes": [
            # Who teaches: the service reads users' group membership (instructors,
            # formgrade-<course>); nothing else of theirs.
            "read:users:name",
            "read:users:groups",
        ],
    },
]

# --- Learners' servers: the extension forwards to the service ---------------------------------
# JupyterLab's extension finds the service here; the server's own Hub token authenticates it.
# The Spawner passes on only the variables it is told to: never the Hub's or the service's.
c.Spawner.environment = {"JUPYTER_ADAPTIVE_SERVICE_URL": f"{SERVICE_URL}/services/adaptive/"}
c.Spawner.default_url = "/lab"

# nbgrader's exchange on the Hub: one shared folder (release, fetch, submit, collect), named in an
# nbgrader_config.py every server reads from $JUPYTER_CONFIG_PATH. It holds no credentials.
NBGRADER_CONFIG = STATE / "etc" / "jupyter"
EXCHANGE = STATE / "exchange"
NBGRADER_CONFIG.mkdir(parents=True, exist_ok=True)
EXCHANGE.mkdir(parents=True, exist_ok=True)
EXCHANGE.chmod(0o777)
nbgrader_config = (
    "c = get_config()  # noqa: F821\n"
    f"c.CourseDirectory.course_id = {COURSE!r}\n"
    f"c.Exchange.root = {str(EXCHANGE)!r}\n"
)
c.Spawner.environment["JUPYTER_CONFIG_PATH"] = str(NBGRADER_CONFIG)


def _course_copy(home: Path, course: str) -> None:
    """A teacher's copy of the course folder (nbgrader's course directory)."""
    if (COURSES / course).is_dir() and not (home / course).exists():
        shutil.copytree(
            COURSES / course,
            home / course,
            ignore=shutil.ignore_patterns("release", "submitted", "autograded", "*.db"),
        )


if os.environ.get("ADAPTIVE_HUB_DEMO") == "1":
    password = os.environ.get("ADAPTIVE_HUB_PASSWORD")
    if not password:
        sys.exit("ADAPTIVE_HUB_DEMO=1 needs ADAPTIVE_HUB_PASSWORD: the demo users' password.")
    TEACHERS = ["teacher1"]
    STUDENTS = ["student1", "student2", "student3"]
    HOMES = STATE / "home"

    c.JupyterHub.authenticator_class = "dummy"
    c.DummyAuthenticator.password = password
    c.Authenticator.allowed_users = set(TEACHERS + STUDENTS)
    c.JupyterHub.load_groups = {
        "instructors": {"users": TEACHERS},
        f"formgrade-{COURSE}": {"users": TEACHERS},
        f"nbgrader-{COURSE}": {"users": STUDENTS},
    }
    c.JupyterHub.spawner_class = "simple"
    c.SimpleLocalProcessSpawner.home_dir_template = str(HOMES / "{username}")
    if os.geteuid() == 0:
        c.Spawner.args = ["--allow-root"]

    def _prepare_home(spawner: object) -> None:
        """The teacher gets a copy of the course folder (nbgrader's course directory); a learner
        gets the released demo unit, as `nbgrader fetch_assignment` would leave it."""
        name = spawner.user.name  # type: ignore[attr-defined]
        home = HOMES / name
        home.mkdir(parents=True, exist_ok=True)
        if name in TEACHERS:
            _course_copy(home, COURSE)
            spawner.default_url = f"/lab/tree/{COURSE}"  # type: ignore[attr-defined]
            return
        released = COURSES / COURSE / "release" / DEMO_UNIT
        if released.exists() and not (home / DEMO_UNIT).exists():
            shutil.copytree(released, home / DEMO_UNIT)
        spawner.default_url = f"/lab/tree/{DEMO_UNIT}/{DEMO_UNIT}.ipynb"  # type: ignore[attr-defined]

    c.Spawner.pre_spawn_hook = _prepare_home
    # Every demo server runs as the Hub's system user, so nbgrader cannot tell learners apart by
    # their system user name (as it does with LocalProcessSpawner, or by $JUPYTERHUB_USER in
    # containers): a learner's submissions carry their Hub name.
    nbgrader_config += (
        "import os\n"
        f"if os.environ.get('JUPYTERHUB_USER', '') not in {set(TEACHERS)!r}:\n"
        "    c.CourseDirectory.student_id = os.environ.get('JUPYTERHUB_USER', '*')\n"
    )


if os.environ.get("ADAPTIVE_HUB_LTI") == "1":

    def _platform(name: str) -> str:
        value = os.environ.get(f"ADAPTIVE_LTI_{name}", "")
        if not value:
            sys.exit(f"ADAPTIVE_HUB_LTI=1 needs ADAPTIVE_LTI_{name} (see deploy/lti/README.md).")
        return value

    LTI_HOMES = STATE / "home"
    c.JupyterHub.authenticator_class = (
        "jupyter_adaptive.lti.authenticator.AdaptiveLTI13Authenticator"
    )
    c.LTI13Authenticator.issuer = _platform("ISSUER")
    c.LTI13Authenticator.client_id = {_platform("CLIENT_ID")}
    c.LTI13Authenticator.authorize_url = _platform("LOGIN_URL")
    c.LTI13Authenticator.jwks_endpoint = _platform("JWKS_URL")
    c.LTI13Authenticator.tool_name = "jupyter-adaptive"
    c.LTI13Authenticator.tool_description = "Adaptive practice in the course's Jupyter notebooks"
    # Whoever the platform launches may log in; their launch decides course and role.
    c.Authenticator.allow_all = True
    # A launch, and anyone arriving at the Hub's root, lands through the launch's course and unit.
    c.JupyterHub.default_url = "/hub/lti13/open"
    # auth_state (the launch's claims) is kept encrypted: the key from $JUPYTERHUB_CRYPT_KEY, or
    # one made once in the state folder.
    if not os.environ.get("JUPYTERHUB_CRYPT_KEY"):
        crypt_key = STATE / "hub" / "crypt_key"
        if not crypt_key.exists():
            crypt_key.write_text(os.urandom(32).hex())
            crypt_key.chmod(0o600)
        c.CryptKeeper.keys = [crypt_key.read_text().strip()]
    service = c.JupyterHub.services[0]
    service["command"] += [
        f"--AdaptiveService.lti_client_id={_platform('CLIENT_ID')}",
        f"--AdaptiveService.lti_token_url={_platform('TOKEN_URL')}",
        "--AdaptiveService.lms_sync_interval="
        + os.environ.get("ADAPTIVE_LMS_SYNC_INTERVAL", "3600"),
        *(
            f"--AdaptiveService.lms_skill_scores={course}"
            for course in os.environ.get("ADAPTIVE_LMS_SKILL_SCORES", "").split(",")
            if course
        ),
    ]
    # The service reads the launches (each user's latest, kept as auth_state): the course's LTI
    # service URLs and its learners' subgroup claims.
    c.JupyterHub.load_roles[2]["scopes"] += ["list:users", "admin:auth_state"]
    c.JupyterHub.spawner_class = "simple"
    c.SimpleLocalProcessSpawner.home_dir_template = str(LTI_HOMES / "{username}")
    if os.geteuid() == 0:
        c.Spawner.args = ["--allow-root"]

    async def _prepare_launch_home(spawner: object) -> None:
        """A teacher gets a copy of the launched course; a learner gets its released units in
        <course>/<unit>/, as `nbgrader fetch_assignment` would leave them."""
        user = spawner.user  # type: ignore[attr-defined]
        launch = Launch.from_claims(await user.get_auth_state() or {})
        home = LTI_HOMES / user.name
        home.mkdir(parents=True, exist_ok=True)
        if launch.course is None:
            return
        if launch.teaches:
            _course_copy(home, launch.course)
            return
        released = COURSES / launch.course / "release"
        for unit in sorted(released.iterdir()) if released.is_dir() else ():
            if not (home / launch.course / unit.name).exists():
                shutil.copytree(unit, home / launch.course / unit.name)

    c.Spawner.pre_spawn_hook = _prepare_launch_home

(NBGRADER_CONFIG / "nbgrader_config.py").write_text(nbgrader_config)
