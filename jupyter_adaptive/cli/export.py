"""``jupyter-adaptive export``: the stored events, as JSON lines or in pyBKT's columns."""

from __future__ import annotations

import argparse
import csv
import json

from .options import add_db_url, atomic_output, configured_db_url

__all__ = ["PYBKT_COLUMNS", "register"]

#: Columns of ``--format pybkt``: one row per skill of each attempt or grade, ready for
#: ``jupyter-adaptive mastery fit``.
PYBKT_COLUMNS = (
    "order_id",
    "user_id",
    "skill_name",
    "correct",
    "problem_id",
    "attempt_count",
    "hint_count",
    "ms_first_response",
    "course",
)


def _export(args: argparse.Namespace) -> int:
    from ..events import OBSERVATION_TYPES, is_correct
    from ..store import Store
    from ..store.repository import event_dict

    store = Store.open(args.db_url or configured_db_url())
    try:
        with store.transaction() as session, atomic_output(args.out) as out:
            events = store.events(session, course=args.course)
            if args.format == "jsonl":
                for row in events:
                    record = {"learner": row.learner_id, **event_dict(row)}
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
            else:
                writer = csv.writer(out)
                writer.writerow(PYBKT_COLUMNS)
                for row in events:
                    if row.type not in OBSERVATION_TYPES:
                        continue
                    correct = int(is_correct(event_dict(row)))
                    for skill in row.skills:
                        writer.writerow(
                            (
                                row.id,
                                row.learner_id,
                                skill,
                                correct,
                                row.item,
                                row.attempt or 1,
                                row.hints_used or 0,
                                "" if row.duration_ms is None else row.duration_ms,
                                row.course,
                            )
                        )
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
