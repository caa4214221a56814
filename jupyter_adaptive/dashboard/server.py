"""The dashboard served by the server that holds the store, teachers only: at
``/adaptive/dashboard`` in a single-user Jupyter server, at ``/services/adaptive/dashboard`` in the
Hub service.

Voila's own server extension renders notebooks of the server's root; this handler renders the
package's dashboard notebook instead, and refuses (403) anyone who teaches no course, so learners
never see others' data. Only the dashboard's own kernel learns the store's URL, the teacher's name
and the courses they may see, through its environment: the server's environment (which every other
kernel inherits) never holds them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jupyter_server.services.contents.filemanager import FileContentsManager
from voila.configuration import VoilaConfiguration
from voila.paths import collect_template_paths
from voila.tornado.handler import TornadoVoilaHandler

__all__ = ["DASHBOARD_KERNELS", "NOTEBOOK", "TeacherDashboardHandler", "dashboard_handler"]

#: The dashboard notebook.
NOTEBOOK = Path(__file__).resolve().parent / "dashboard.ipynb"
_CONTENTS = FileContentsManager(root_dir=str(NOTEBOOK.parent))

#: Variables a dashboard kernel never inherits: the server's own Hub token.
_WITHHELD = ("JUPYTERHUB_API_TOKEN", "JPY_API_TOKEN")

#: Each dashboard kernel's teacher (kernel id -> user name): the service lets only them use it.
DASHBOARD_KERNELS: dict[str, str] = {}


class _DashboardKernels:
    """The server's kernel manager, starting kernels with the dashboard's environment."""

    def __init__(self, manager: Any, env: dict[str, str], teacher: str) -> None:
        self._manager = manager
        self._env = env
        self._teacher = teacher

    async def start_kernel(self, *, env: dict[str, str], **kwargs: Any) -> str:
        kept = {name: value for name, value in env.items() if name not in _WITHHELD}
        kernel_id = await self._manager.start_kernel(env={**kept, **self._env}, **kwargs)
        DASHBOARD_KERNELS[str(kernel_id)] = self._teacher
        return str(kernel_id)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._manager, name)


class TeacherDashboardHandler(TornadoVoilaHandler):
    """Voila's page handler over the dashboard notebook, for teachers only."""

    _kernel_env: dict[str, str]

    @property
    def contents_manager(self) -> FileContentsManager:
        """The notebook's own folder: the dashboard is not a file of the server's root."""
        return _CONTENTS

    @property
    def kernel_manager(self) -> Any:
        """Kernels started for this page get the dashboard's environment."""
        return _DashboardKernels(
            self.settings["kernel_manager"], self._kernel_env, str(self.current_user.username)
        )

    async def prepare(self) -> None:
        """Authenticate as Jupyter does (``get`` sends anyone not logged in to the login page),
        then refuse whoever teaches no course."""
        await super().prepare()
        user = self.current_user
        if user is None:
            return
        context = self.settings["jupyter_adaptive"]
        taught = await context.roles.courses_taught(str(user.username))
        if taught == set():
            # Finished here rather than raised: Voila's templates have no error page.
            self.set_status(403)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish("The dashboard is for teachers.")
            return
        self._kernel_env = {
            "JUPYTER_ADAPTIVE_DB_URL": context.db_url,
            # Overrides are audited under the teacher's name (a single-user server's owner).
            "JUPYTER_ADAPTIVE_TEACHER": context.roles.identity(str(user.username)),
            "JUPYTER_ADAPTIVE_MODEL_DIR": str(context.models.model_dir),
        }
        course = self._course(taught, context)
        if course:
            self._kernel_env["JUPYTER_ADAPTIVE_COURSE"] = course
            found = context.catalog.get(course)
            if found is not None:
                self._kernel_env["JUPYTER_ADAPTIVE_COURSE_DIR"] = str(found.path)

    def _course(self, taught: set[str] | None, context: Any) -> str | None:
        """The course asked for (``?course=``) if the teacher teaches it; else, for a teacher of
        some courses only, the first of them; else none (the dashboard picks)."""
        asked = self.get_argument("course", None)
        if asked and (taught is None or asked in taught):
            return asked
        return min(taught) if taught else None


def dashboard_handler(
    serverapp: Any, path: str = r"/adaptive/dashboard"
) -> tuple[str, type, dict[str, Any]]:
    """The route of the teacher dashboard, configured like Voila's server extension."""
    configuration = VoilaConfiguration(parent=serverapp)
    return (
        path,
        TeacherDashboardHandler,
        {
            "config": serverapp.config,
            "template_paths": collect_template_paths(
                ["voila", "nbconvert"], configuration.template
            ),
            "voila_configuration": configuration,
            "notebook_path": NOTEBOOK.name,
        },
    )
