"""``jupyter-adaptive lms``: the course's link with the LMS (LTI 1.3), run by the Hub service,
which alone holds the pseudonym secret and the tool's key.

- ``lms sync --course C``: read the roster from the LMS and post the course's grades there now
  (the service also does it every ``lms_sync_interval`` seconds);
- ``lms roster --course C --csv FILE``: subgroups for the fairness and success views, one row per
  learner (``user_id``: their Hub user name, or their LMS user id; then one column per attribute),
  stored under pseudonyms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
from typing import Any

from ..errors import InvalidRequestError

__all__ = ["register"]


def _client(args: argparse.Namespace) -> Any:
    from ..service_client import ServiceClient

    service = args.service or os.environ.get("JUPYTER_ADAPTIVE_SERVICE_URL", "")
    token = args.token or os.environ.get("JUPYTERHUB_API_TOKEN", "")
    if not service or not token:
        raise InvalidRequestError(
            "The LMS link runs in the Hub service: give --service (default: "
            "$JUPYTER_ADAPTIVE_SERVICE_URL) and a teacher's Hub API token (--token, default: "
            "$JUPYTERHUB_API_TOKEN, set in the teacher's own server)."
        )
    return ServiceClient(service, token, timeout=600.0)


def _sync(args: argparse.Namespace) -> int:
    report = asyncio.run(_client(args).call("POST", "lms/sync", {"course": args.course}))
    print(
        f"{args.course}: {report['members']} members listed by the LMS, "
        f"{report['subgrouped']} with subgroups from their launch; "
        f"{report['posted']} scores posted, {report['unchanged']} unchanged, "
        f"{report['line_items_created']} gradebook columns created"
    )
    if report["without_consent"]:
        print(f"not posted (consent does not allow it): {report['without_consent']} learners")
    return 0


def _roster(args: argparse.Namespace) -> int:
    from ..risk.fairness import read_roster

    table = read_roster(args.csv)
    subgroups = {
        str(user): {str(column): str(value) for column, value in row.items() if value}
        for user, row in table.iterrows()
    }
    answer = asyncio.run(
        _client(args).call("PUT", "lms/roster", {"course": args.course, "subgroups": subgroups})
    )
    print(f"{args.course}: subgroups of {answer['members']} learners stored under pseudonyms")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``lms sync`` and ``lms roster``."""
    lms = subparsers.add_parser("lms", help="the course's link with the LMS (LTI 1.3)")
    commands = lms.add_subparsers(title="lms commands", metavar="COMMAND", required=True)
    sync = commands.add_parser(
        "sync",
        help="read the roster from the LMS and post unit scores (and, where enabled, per-skill "
        "mastery) to its gradebook, for learners whose consent allows it",
    )
    roster = commands.add_parser(
        "roster",
        help="store learners' subgroups (fairness and success views) from a CSV file: user_id "
        "(Hub user name or LMS user id) plus one column per attribute",
    )
    roster.add_argument("--csv", required=True, help="the roster file")
    for parser in (sync, roster):
        parser.add_argument("--course", required=True, help="the course id")
        parser.add_argument(
            "--service",
            help="the adaptive service's URL (default: $JUPYTER_ADAPTIVE_SERVICE_URL, set in "
            "every server of the Hub)",
        )
        parser.add_argument(
            "--token",
            help="a Hub API token of a teacher of the course (default: $JUPYTERHUB_API_TOKEN)",
        )
    sync.set_defaults(func=_sync)
    roster.set_defaults(func=_roster)
