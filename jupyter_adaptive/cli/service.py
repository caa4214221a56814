"""``jupyter-adaptive service``: the central service of a class (:mod:`jupyter_adaptive.service`).

Run by JupyterHub (``c.JupyterHub.services``), it reads where to listen and how to authenticate
from the environment the Hub gives it. Run by hand, it is a standalone server on loopback whose
token holder is the one learner and teacher. Options after ``--`` go to the Jupyter server as
they are (e.g. ``--AdaptiveService.teacher_groups=instructors``).
"""

from __future__ import annotations

import argparse
import os
import tempfile

from .options import add_db_url, configured_db_url

__all__ = ["register"]


def _service(args: argparse.Namespace) -> int:
    from ..service.app import AdaptiveService, server_arguments

    arguments = server_arguments(dict(os.environ), args.root_dir or tempfile.mkdtemp())
    arguments.append(f"--AdaptiveApp.db_url={args.db_url or configured_db_url()}")
    if "JUPYTERHUB_SERVICE_URL" not in os.environ:
        arguments += [f"--ServerApp.ip={args.ip}", f"--ServerApp.port={args.port}"]
    options = args.server_options[1:] if args.server_options[:1] == ["--"] else args.server_options
    AdaptiveService.launch_instance([*arguments, *options])
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``service``."""
    parser = subparsers.add_parser(
        "service",
        help="run the central service of a class: on JupyterHub as the service `adaptive`, "
        "or standalone",
    )
    add_db_url(parser)
    parser.add_argument("--ip", default="127.0.0.1", help="address when standalone")
    parser.add_argument("--port", type=int, default=8890, help="port when standalone")
    parser.add_argument(
        "--root-dir",
        help="the Jupyter server's root: an empty folder (default: a new temporary one)",
    )
    parser.add_argument(
        "server_options",
        nargs=argparse.REMAINDER,
        help="options for the Jupyter server and AdaptiveService, after --",
    )
    parser.set_defaults(func=_service)
