"""``jupyter-adaptive export``: the stored events, estimates or evidence, as JSON lines or CSV
(events also in pyBKT's columns)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable, Sequence
from typing import IO, Any

from ..errors import InvalidRequestError
from ..spreadsheet_csv import SpreadsheetWriter
from .options import add_db_url, atomic_output, configured_db_url

__all__ = ["register"]

#: What can be exported, and the formats each one has.
FORMATS = {
    "events": ("jsonl", "pybkt"),
    "mastery": ("jsonl", "csv"),
    "evidence": ("jsonl", "csv"),
}


def _write_jsonl(out: IO[str], records: Iterable[dict[str, Any]]) -> None:
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")


def _write_csv(out: IO[str], fields: Sequence[str], records: Iterable[dict[str, Any]]) -> None:
    writer = SpreadsheetWriter(out)
    writer.writerow(fields)
    for record in records:
        writer.writerow(
            json.dumps(record[f], sort_keys=True) if isinstance(record[f], dict) else record[f]
            for f in fields
        )


def _export(args: argparse.Namespace) -> int:
    from ..store import Store
    from ..store.export_rows import EVIDENCE_FIELDS, MASTERY_FIELDS, evidence_rows, mastery_rows
    from ..store.repository import event_dict
    from ..store.responses import RESPONSE_COLUMNS, responses

    if args.format not in FORMATS[args.what]:
        raise InvalidRequestError(
            f"--what {args.what} is written as {' or '.join(FORMATS[args.what])}, "
            f"not {args.format}."
        )
    store = Store.open(args.db_url or configured_db_url())
    try:
        with store.transaction() as session, atomic_output(args.out) as out:
            if args.what == "events" and args.format == "pybkt":
                writer = SpreadsheetWriter(out)
                writer.writerow(RESPONSE_COLUMNS)
                writer.writerows(responses(store, session, args.course))
                return 0
            if args.what == "events":
                records: Iterable[dict[str, Any]] = (
                    {"learner": row.learner_id, **event_dict(row)}
                    for row in store.events(session, course=args.course)
                )
                fields: Sequence[str] = ()
            elif args.what == "mastery":
                records, fields = mastery_rows(session, args.course), MASTERY_FIELDS
            else:
                records, fields = evidence_rows(session, args.course), EVIDENCE_FIELDS
            if args.format == "csv":
                _write_csv(out, fields, records)
            else:
                _write_jsonl(out, records)
    finally:
        store.close()
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``export``."""
    parser = subparsers.add_parser(
        "export",
        help="export stored events, estimates or evidence (learners appear by pseudonym only)",
    )
    add_db_url(parser)
    parser.add_argument("--course", help="only this course")
    parser.add_argument(
        "--what",
        choices=tuple(FORMATS),
        default="events",
        help="events: what learners did; mastery: each learner's current estimate per skill; "
        "evidence: every change of an estimate and its reason (default: events)",
    )
    parser.add_argument(
        "--format",
        choices=("jsonl", "csv", "pybkt"),
        default="jsonl",
        help="jsonl: one record per line; csv: one row per record (mastery, evidence); pybkt: "
        "one row per skill of each attempt, in pyBKT's columns (events) (default: jsonl)",
    )
    parser.add_argument("--out", help="output file (default: stdout)")
    parser.set_defaults(func=_export)
