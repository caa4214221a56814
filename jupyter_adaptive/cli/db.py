"""``jupyter-adaptive db``: manage the store's schema."""

from __future__ import annotations

import argparse

from .options import add_db_url, configured_db_url

__all__ = ["register"]


def _upgrade(args: argparse.Namespace) -> int:
    from ..store import create_store_engine, upgrade

    engine = create_store_engine(args.db_url or configured_db_url())
    try:
        upgrade(engine, args.revision)
    finally:
        engine.dispose()
    print(f"database at {engine.url.render_as_string()} is at revision {args.revision}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``db upgrade``."""
    db = subparsers.add_parser("db", help="manage the store's database schema")
    commands = db.add_subparsers(title="db commands", metavar="COMMAND", required=True)
    upgrade = commands.add_parser(
        "upgrade",
        help="create the tables or migrate them to the newest schema (the server also "
        "does this when it starts)",
    )
    add_db_url(upgrade)
    upgrade.add_argument("--revision", default="head", help="target revision (default: head)")
    upgrade.set_defaults(func=_upgrade)
