"""The dashboard served by the running Jupyter server at ``/adaptive/dashboard``, teachers only.

Voila's own server extension renders notebooks of the server's root; this handler renders the
package's dashboard notebook instead, and refuses (403) anyone who is not a teacher, so learners
never see others' data. The notebook's kernel learns the store's URL from its environment.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from jupyter_server.services.contents.filemanager import FileContentsManager
from voila.configuration import VoilaConfiguration
from voila.paths import collect_template_paths
from voila.tornado.handler import TornadoVoilaHandler

__all__ = ["NOTEBOOK", "TeacherDashboardHandler", "dashboard_handler"]

#: The dashboard notebook.
NOTEBOOK = Path(__file__).resolve().parent / "dashboard.ipynb"
_CONTENTS = FileContentsManager(root_dir=str(NOTEBOOK.parent))


class TeacherDashboardHandler(TornadoVoilaHandler):
    """Voila's page handler over the dashboard notebook, for teachers only."""

    @property
    def contents_manager(self) -> FileContentsManager:
        """The notebook's own folder: the dashboard is not a file of the server's root."""
        return _CONTENTS

    async def prepare(self) -> None:
        """Authenticate as Jupyter does, then refuse whoever is not a teacher."""
        await super().prepare()
        user = self.current_user
        context = self.settings["jupyter_adaptive"]
        if user is None or not context.is_teacher(str(user.username)):
            # Finished here rather than raised: Voila's templates have no error page.
            self.set_status(403)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish("The dashboard is for teachers.")


def dashboard_handler(serverapp: Any, db_url: str) -> tuple[str, type, dict[str, Any]]:
    """The route of the teacher dashboard, configured like Voila's server extension."""
    # The dashboard's kernel is a child process of this server: its store travels in its
    # environment, as with `jupyter-adaptive dashboard`.
    os.environ["JUPYTER_ADAPTIVE_DB_URL"] = db_url
    configuration = VoilaConfiguration(parent=serverapp)
    return (
        r"/adaptive/dashboard",
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
