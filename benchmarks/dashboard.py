"""Dashboard benchmark: every view's data and its first render, next to pandas loading the same
events, one run.

Seeds a synthetic class (``jupyter-adaptive seed``: 1,000 learners × 50 skills × 100,000 events
by default) into a fresh SQLite file, or uses ``--db-url`` as it is when given, then times, as
the median of ``--repeat`` runs:

- *data*: each view's view-model - class view (the heat map's matrix), at risk (rules and the
  flagged learners' weekly trend), item
  analysis with the item map, one learner's story (detail, mastery history, step log), success
  (progress per learner and skill, intervals per unit, weekly share mastered);
- *first render*: building the dashboard (Class tab and the first learner's story) and each other
  tab's first refresh, in this process: the widgets' state as the kernel sends it to the browser
  (the browser's own drawing is not included; ``ui-tests/test_dashboard.py`` waits for it);
- *baseline*: ``pandas.read_sql`` of the course's events (learner, type, item, outcome, time),
  what a notebook would start from.

Goal: each view's data under 1 s and its first render under 3 s.

Usage::

    python benchmarks/dashboard.py
    python benchmarks/dashboard.py --learners 200 --skills 20 --events 20000
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from sqlalchemy import select

from jupyter_adaptive.dashboard.at_risk import at_risk, risk_trend
from jupyter_adaptive.dashboard.class_view import class_view
from jupyter_adaptive.dashboard.item_analysis import item_analysis
from jupyter_adaptive.dashboard.item_map import item_map
from jupyter_adaptive.dashboard.learner_detail import learner_detail
from jupyter_adaptive.dashboard.mastery_history import mastery_history
from jupyter_adaptive.dashboard.seed import seed_class
from jupyter_adaptive.dashboard.step_log import step_log, units_worked
from jupyter_adaptive.dashboard.success import grouped, intervals, success_figures
from jupyter_adaptive.dashboard.widgets import Dashboard
from jupyter_adaptive.recording import Recorder
from jupyter_adaptive.store import Store
from jupyter_adaptive.store.models import Event

DATA_GOAL = 1.0
RENDER_GOAL = 3.0


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
        learner = class_view(store, course).rows[0].learner

        def story() -> None:
            detail = learner_detail(store, learner, course)
            mastery_history(detail)
            for unit in units_worked(detail):
                step_log(detail, unit)

        def success() -> None:
            progress, _weeks = success_figures(store, course)
            units = grouped(progress, "unit")
            intervals(units, "gain")
            intervals(units, "answers")

        data: dict[str, Callable[[], object]] = {
            "class": lambda: class_view(store, course),
            "at risk": lambda: risk_trend(
                store, course, [r.learner for r in at_risk(store, course) if r.flagged]
            ),
            "items": lambda: item_map(item_analysis(store, course)),
            "learner": story,
            "success": success,
        }
        recorder = Recorder(store)
        dashboard = Dashboard(recorder, course, "teacher")
        render: dict[str, Callable[[], object]] = {
            "class": lambda: Dashboard(recorder, course, "teacher"),
            "at risk": dashboard.risk_tab.refresh,
            "items": dashboard.items_tab.refresh,
            "learner": lambda: dashboard.learner_tab.show(learner),
            "success": dashboard.success_tab.refresh,
        }
        rows = [
            (name, _median_seconds(data[name], args.repeat), _median_seconds(render[name], 1))
            for name in data
        ]
        query = select(
            Event.learner_id, Event.type, Event.item, Event.outcome, Event.server_time
        ).where(Event.course == course)

        def load() -> pd.DataFrame:
            with store.engine.connect() as connection:
                return pd.read_sql(query, connection)

        frame = load()
        baseline = _median_seconds(load, args.repeat)
        store.close()
    load_now = os.getloadavg()[0]
    print(
        f"database: {store.dialect}, {len(frame)} events, median of {args.repeat} runs "
        f"(data), one run (render); load average {load_now:.1f} on {os.cpu_count()} cores"
    )
    print(f"{'view':<10}{'data s':>8}{'first render s':>16}  goal (data < 1 s, render < 3 s)")
    for name, seconds, first in rows:
        verdict = "meets" if seconds < DATA_GOAL and first < RENDER_GOAL else "misses"
        print(f"{name:<10}{seconds:>8.3f}{first:>16.3f}  {verdict}")
    print(f"{'baseline: pandas.read_sql of the events':<40}{baseline:>8.3f}")


if __name__ == "__main__":
    main()
