"""``jupyter-adaptive export``: the stored events, as JSON lines or in pyBKT's columns."""

from __future__ import annotations

import argparse
import json

from ..spreadsheet_csv import SpreadsheetWriter
from .options import add_db_url, atomic_output, configured_db_url

__all__ = ["register"]


def _export(args: argparse.Namespace) -> int:
    from ..store import Store
    from ..store.repository import event_dict
    from ..store.responses import RESPONSE_COLUMNS, responses

    store = Store.open(args.db_url or configured_db_url())
    try:
        with store.transaction() as session, atomic_output(args.out) as out:
            if args.format == "jsonl":
                for row in store.events(session, course=args.course):
                    record = {"learner": row.learner_id, **event_dict(row)}
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
            else:
                writer = SpreadsheetWriter(out)
                writer.writerow(RESPONSE_COLUMNS)
                writer.writerows(responses(store, session, args.course))
    finally:
        store.close()
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``export``."""
    parser = subparsers.add_parser(
        "export", help="export stored events (learners appear by pseudonym only)"
    )
    add_db_url(parser)
    parser.add_argument("--course", help="only this course")
    parser.add_argument(
        "--format",
        choices=("jsonl", "pybkt"),
        default="jsonl",
        help="jsonl: one event per line; pybkt: one row per skill of each attempt, in pyBKT's "
        "columns (default: jsonl)",
    )
    parser.add_argument("--out", help="output file (default: stdout)")
    parser.set_defaults(func=_export)
