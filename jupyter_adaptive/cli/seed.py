"""``jupyter-adaptive seed``: fill a database with a realistic synthetic class."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from .options import add_db_url, configured_db_url

__all__ = ["register"]


def _seed(args: argparse.Namespace) -> int:
    from ..dashboard.seed import seed_class
    from ..store import Store

    curriculum = None
    if Path(args.course).is_dir():
        from ..curriculum import load_course

        curriculum = load_course(args.course)
    store = Store.open(args.db_url or configured_db_url())
    try:
        started = time.perf_counter()
        summary = seed_class(
            store,
            learners=args.learners,
            skills=args.skills,
            events=args.events,
            course=args.course,
            seed=args.seed,
            curriculum=curriculum,
        )
        seconds = time.perf_counter() - started
    finally:
        store.close()
    print(
        f"seeded course {summary.course}: {summary.learners} learners, {summary.skills} skills, "
        f"{summary.events} events ({summary.attempts} attempts, {summary.evidence} evidence rows) "
        f"in {seconds:.1f} s"
    )
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``seed``."""
    parser = subparsers.add_parser(
        "seed", help="fill a database with a synthetic class (tests, benchmarks, the demo)"
    )
    add_db_url(parser)
    parser.add_argument("--learners", type=int, default=30, help="learners (default: 30)")
    parser.add_argument("--skills", type=int, default=10, help="skills, 5 per unit (default: 10)")
    parser.add_argument("--events", type=int, default=3000, help="events in all (default: 3000)")
    parser.add_argument(
        "--course",
        default="demo-course",
        help="a course's folder (courses/<id>: the class works on its skills, units, items and "
        "misconceptions; --skills is ignored), or the id of a synthetic course "
        "(default: demo-course)",
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    parser.set_defaults(func=_seed)
