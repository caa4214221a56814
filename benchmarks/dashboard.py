"""Dashboard benchmark: the class view's data next to pandas loading the same events, one run.

Seeds a synthetic class (``jupyter-adaptive seed``: 1,000 learners × 50 skills × 100,000 events
by default) into a fresh SQLite file, or uses ``--db-url`` as it is when given, then times:

- *class view*: :func:`jupyter_adaptive.dashboard.class_view.class_view`, the heat map's data
  (mastery matrix, attempts and last activity per learner, units), median of ``--repeat`` runs;
- *pandas*: ``pandas.read_sql`` of the course's events (learner, type, item, outcome, time) from
  the same database, the baseline a notebook would start from, median of ``--repeat`` runs.

The goal is a class view under 2 s.

Usage::

    python benchmarks/dashboard.py
    python benchmarks/dashboard.py --learners 200 --skills 20 --events 20000
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from sqlalchemy import select

from jupyter_adaptive.dashboard.class_view import class_view
from jupyter_adaptive.dashboard.seed import seed_class
from jupyter_adaptive.store import Store
from jupyter_adaptive.store.models import Event

GOAL_SECONDS = 2.0


def _median_seconds(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=1000)
    parser.add_argument("--skills", type=int, default=50)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--db-url", help="an already seeded database (default: seed a new one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.db_url or f"sqlite:///{Path(folder) / 'dashboard.sqlite'}"
        store = Store.open(url)
        course = "demo-course"
        if args.db_url is None:
            started = time.perf_counter()
            summary = seed_class(
                store, learners=args.learners, skills=args.skills, events=args.events
            )
            print(
                f"seeded {summary.learners} learners × {summary.skills} skills × "
                f"{summary.events} events in {time.perf_counter() - started:.1f} s"
            )
        view = class_view(store, course)
        ours = _median_seconds(lambda: class_view(store, course), args.repeat)
        query = select(
            Event.learner_id, Event.type, Event.item, Event.outcome, Event.server_time
        ).where(Event.course == course)

        def load() -> pd.DataFrame:
            with store.engine.connect() as connection:
                return pd.read_sql(query, connection)

        frame = load()
        baseline = _median_seconds(load, args.repeat)
        store.close()
    print(f"database: {store.dialect}, {len(frame)} events, median of {args.repeat} runs")
    print(f"{'':<34}{'seconds':>8}")
    label = f"class view ({len(view.rows)} × {len(view.skills)})"
    print(f"{label:<34}{ours:>8.3f}")
    print(f"{'pandas.read_sql of the events':<34}{baseline:>8.3f}")
    verdict = "meets" if ours < GOAL_SECONDS else "misses"
    print(f"class view {verdict} the {GOAL_SECONDS:.0f} s goal")


if __name__ == "__main__":
    main()
