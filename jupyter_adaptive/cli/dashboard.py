"""``jupyter-adaptive dashboard``: the teacher dashboard, standalone in Voila.

Like Jupyter, it listens on loopback and prints its URL with a token (generated unless
``--token`` is given); requests without the token are refused.
"""

from __future__ import annotations

import argparse
import os
import secrets
from pathlib import Path

from .options import add_db_url, configured_db_url

__all__ = ["NOTEBOOK", "register"]

#: The dashboard notebook Voila renders.
NOTEBOOK = Path(__file__).resolve().parent.parent / "dashboard" / "dashboard.ipynb"


def _dashboard(args: argparse.Namespace) -> int:
    from voila.app import Voila

    from ..store import Store

    db_url = args.db_url or configured_db_url()
    Store.open(db_url).close()
    token = args.token or secrets.token_urlsafe(24)
    # The dashboard's kernel is a child process: its options travel in its environment.
    os.environ["JUPYTER_ADAPTIVE_DB_URL"] = db_url
    if args.course:
        os.environ["JUPYTER_ADAPTIVE_COURSE"] = args.course
    if args.course_dir:
        os.environ["JUPYTER_ADAPTIVE_COURSE_DIR"] = str(Path(args.course_dir).resolve())
    if args.risk_model:
        os.environ["JUPYTER_ADAPTIVE_RISK_MODEL"] = str(Path(args.risk_model).resolve())
    app = Voila()
    app.initialize(
        [
            str(NOTEBOOK),
            f"--port={args.port}",
            f"--Voila.ip={args.ip}",
            "--Voila.port_retries=0",
            "--no-browser",
            f"--token={token}",
            "--Voila.identity_provider_class="
            "jupyter_adaptive.dashboard.access.TokenOnlyIdentityProvider",
        ]
    )
    print(f"teacher dashboard: http://{args.ip}:{app.port}/?token={token}", flush=True)
    app.start()
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``dashboard``."""
    parser = subparsers.add_parser(
        "dashboard", help="serve the teacher dashboard (Voila) on loopback, behind a token"
    )
    add_db_url(parser)
    parser.add_argument("--port", type=int, default=8866, help="port (default: 8866)")
    parser.add_argument("--ip", default="127.0.0.1", help="address (default: 127.0.0.1)")
    parser.add_argument("--token", help="access token (default: a new random one)")
    parser.add_argument("--course", help="course to show (default: the one with most events)")
    parser.add_argument(
        "--course-dir",
        help="the course's folder (courses/<course>): item analysis names its misconceptions",
    )
    parser.add_argument(
        "--risk-model",
        help="at-risk model from `jupyter-adaptive risk fit` (default: transparent rules)",
    )
    parser.set_defaults(func=_dashboard)
