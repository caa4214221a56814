"""Load on the REST API: simulated students on loopback, their history filled up, then bursts.

The measured server runs in a process of its own and the load generator in another, each pinned
to a CPU of its own when the machine has two or more, so that the generator's work does not slow
the server; this process only starts both and reports. Events are answers on the shipped course's
practice items, mostly the ones the server recommends, so the advisor does its full work.

Phases, in one run on one database:

1. ``answers 1+``: N students answer one attempt at a time with think times;
2. ``history fill``: each student's history is brought to 199 answers with batches;
3. ``answers 200+``: the same students answer one at a time again;
4. ``batched ingest``: a few clients send batches back to back.

Prints per phase: requests, events/s, p50/p95/p99 latency, CPU seconds of the server and of the
load generator, and the server's CPU milliseconds per event; p95 at a learner's 1st answer next to
p95 at their 200th (flat when per-answer work does not grow with history); and, as the baseline,
raw SQLAlchemy inserts of the same rows into the same database next to batched ingest.

    python benchmarks/api_load.py [--students 200] [--seconds 30] [--db-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402
from sqlalchemy import insert  # noqa: E402
from tornado.httpclient import AsyncHTTPClient, HTTPClientError  # noqa: E402

from jupyter_adaptive.curriculum import Course, read_course  # noqa: E402
from jupyter_adaptive.store import Store  # noqa: E402
from jupyter_adaptive.store.models import Event, Learner  # noqa: E402
from jupyter_adaptive.store.repository import event_row  # noqa: E402
from tests.fixtures.courses import COURSES  # noqa: E402
from tests.fixtures.identities import token_for  # noqa: E402
from tests.fixtures.learners import Learner as SimulatedLearner  # noqa: E402
from tests.fixtures.servers import ServerProcess  # noqa: E402

COURSE = "data-science-foundations"

#: The answer whose latency shows whether per-answer work grows with history.
LATE_ANSWER = 200


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))] if ordered else 0.0


def shipped_course() -> Course:
    course, _problems = read_course(COURSES / COURSE)
    return course


@dataclass
class Phase:
    """What one phase measured: latencies (s) by answer number, events, wall and CPU seconds."""

    name: str
    samples: list[tuple[int, float]] = field(default_factory=list)
    events: int = 0
    wall: float = 0.0
    server_cpu: float = 0.0
    generator_cpu: float = 0.0

    def latencies_ms(self, answer: int | None = None) -> list[float]:
        return [s * 1000 for n, s in self.samples if answer is None or n == answer]


@contextmanager
def measured(phase: Phase, server: psutil.Process) -> Iterator[Phase]:
    """Wall time, this process's CPU time and the server's CPU time spent in the block."""

    def server_cpu() -> float:
        times = server.cpu_times()
        return times.user + times.system

    wall, own, served = time.perf_counter(), time.process_time(), server_cpu()
    yield phase
    phase.wall = time.perf_counter() - wall
    phase.generator_cpu = time.process_time() - own
    phase.server_cpu = server_cpu() - served


class LoadGenerator:
    """The simulated students and the clients that talk to the server for them."""

    def __init__(self, url: str, course: Course, students: int, clients: int, seed: int) -> None:
        self.url = url
        self.http = AsyncHTTPClient(max_clients=max(students, clients))
        self.students = [f"student{i}" for i in range(students)]
        self.bursts = [f"burst{i}" for i in range(clients)]
        self.learners = {
            name: SimulatedLearner(course, seed + i)
            for i, name in enumerate([*self.students, *self.bursts])
        }
        self.answered: Counter[str] = Counter()

    async def post(self, name: str, events: list[dict[str, Any]]) -> tuple[float, Any]:
        """Post a batch as ``name``; the latency and the results."""
        started = time.perf_counter()
        response = await self.http.fetch(
            self.url + "/adaptive/api/events",
            method="POST",
            body=json.dumps({"events": events}),
            headers={"Authorization": f"token {token_for(name)}"},
            request_timeout=120,
        )
        latency = time.perf_counter() - started
        return latency, json.loads(response.body)["results"]

    async def consent(self, names: list[str], level: str) -> None:
        for name in names:
            await self.http.fetch(
                self.url + "/adaptive/api/consent",
                method="PUT",
                body=json.dumps({"course": COURSE, "level": level}),
                headers={"Authorization": f"token {token_for(name)}"},
            )

    async def answer(self, phase: Phase, name: str, count: int) -> None:
        """Post ``count`` new answers of a learner, recording the latency under the number of the
        last one; the learner follows the advice that comes back."""
        learner = self.learners[name]
        self.answered[name] += count
        latency, results = await self.post(name, [learner.answer() for _ in range(count)])
        phase.samples.append((self.answered[name], latency))
        phase.events += count
        learner.follow(results)

    async def students_phase(self, phase: Phase, seconds: float, think: float) -> None:
        """Each student answers one attempt, thinks (exponential, mean ``think`` s), and again."""
        deadline = time.perf_counter() + seconds

        async def student(name: str) -> None:
            rng = self.learners[name].rng
            await asyncio.sleep(rng.uniform(0, think))
            while time.perf_counter() < deadline:
                await self.answer(phase, name, 1)
                await asyncio.sleep(rng.expovariate(1 / think))

        await asyncio.gather(*map(student, self.students))

    async def fill_phase(self, phase: Phase, up_to: int, size: int, clients: int) -> None:
        """Bring every student's history to ``up_to`` answers, ``clients`` batches at a time."""
        gate = asyncio.Semaphore(clients)

        async def fill(name: str) -> None:
            while self.answered[name] < up_to:
                async with gate:
                    await self.answer(phase, name, min(size, up_to - self.answered[name]))

        await asyncio.gather(*map(fill, self.students))

    async def burst_phase(self, phase: Phase, batches: int, size: int) -> None:
        """Each burst client sends ``batches`` batches of ``size`` answers back to back."""

        async def sender(name: str) -> None:
            for _ in range(batches):
                await self.answer(phase, name, size)

        await asyncio.gather(*map(sender, self.bursts))

    async def run(self, plan: dict[str, Any]) -> list[Phase]:
        server = psutil.Process(plan["server_pid"])
        await self.consent([*self.students, *self.bursts], plan["consent"])
        phases = [
            Phase("answers 1+ (one per post)"),
            Phase(f"history fill ({plan['fill_size']}/batch)"),
            Phase(f"answers {LATE_ANSWER}+ (one per post)"),
            Phase(f"batched ingest ({plan['batch_size']}/batch)"),
        ]
        first, fill, late, burst = phases
        with measured(first, server):
            await self.students_phase(first, plan["seconds"], plan["think"])
        with measured(fill, server):
            await self.fill_phase(fill, LATE_ANSWER - 1, plan["fill_size"], plan["burst_clients"])
        with measured(late, server):
            await self.students_phase(late, plan["seconds"], plan["think"])
        with measured(burst, server):
            await self.burst_phase(burst, plan["burst_batches"], plan["batch_size"])
        return phases


def generate_load(plan: dict[str, Any], answer: Any) -> None:
    """The load generator's process: run every phase, send the phases back (or the error)."""
    generator = LoadGenerator(
        plan["url"], shipped_course(), plan["students"], plan["burst_clients"], plan["seed"]
    )
    try:
        answer.send([asdict(phase) for phase in asyncio.run(generator.run(plan))])
    except HTTPClientError as error:
        body = error.response.body if error.response else b""
        answer.send(f"the server answered {error.code}: {body!r}")


@contextmanager
def on_cpu(cpu: int | None) -> Iterator[None]:
    """Processes started in the block run on ``cpu`` (every CPU when None)."""
    allowed = os.sched_getaffinity(0)
    if cpu is not None:
        os.sched_setaffinity(0, {cpu})
    try:
        yield
    finally:
        os.sched_setaffinity(0, allowed)


def raw_insert_rate(db_url: str, total: int, size: int) -> float:
    """Baseline: the same rows inserted with SQLAlchemy Core, no validation, no mastery update."""
    store = Store.open(db_url)
    learner = SimulatedLearner(shipped_course(), seed=7)
    with store.transaction() as session:
        session.add(Learner(id="raw-baseline"))
    started = time.perf_counter()
    for _ in range(total // size):
        rows = [event_row("raw-baseline", learner.answer()) for _ in range(size)]
        with store.transaction() as session:
            session.execute(insert(Event), rows)
    rate = total / (time.perf_counter() - started)
    store.close()
    return rate


def report(
    phases: list[Phase], raw_rate: float, args: argparse.Namespace, database: str, pins: str
) -> None:
    first, _fill, late, burst = phases
    print(
        f"database: {database}; {args.students} students, think time {args.think} s, "
        f"{args.seconds:.0f} s per phase of single answers; consent {args.consent}; {pins}"
    )
    header = ["requests", "events/s", "p50 ms", "p95 ms", "p99 ms", "server CPU s", "load CPU s"]
    print(f"{'phase':<32}" + "".join(f"{h:>13}" for h in [*header, "server ms/event"]))
    for phase in phases:
        ms = phase.latencies_ms()
        values = [
            f"{len(ms)}",
            f"{phase.events / phase.wall:.0f}",
            *(f"{percentile(ms, q):.1f}" for q in (50, 95, 99)),
            f"{phase.server_cpu:.1f}",
            f"{phase.generator_cpu:.1f}",
            f"{1000 * phase.server_cpu / max(1, phase.events):.2f}",
        ]
        print(f"{phase.name:<32}" + "".join(f"{v:>13}" for v in values))
    at_first, at_late = first.latencies_ms(1), late.latencies_ms(LATE_ANSWER)
    print(
        f"p95 at a learner's 1st answer: {percentile(at_first, 95):.1f} ms ({len(at_first)} "
        f"learners); at their {LATE_ANSWER}th: {percentile(at_late, 95):.1f} ms "
        f"({len(at_late)} learners)"
    )
    burst_rate = burst.events / burst.wall
    print(f"{'measure':<44}{'API (ours)':>14}{'raw SQLAlchemy':>16}")
    label = f"batched ingest ({args.batch_size}/batch): events/s"
    print(f"{label:<44}{burst_rate:>14.0f}{raw_rate:>16.0f}   ({burst_rate / raw_rate:.0%})")
    p95 = percentile(first.latencies_ms() + late.latencies_ms(), 95)
    print(
        f"goals: p95 < 50 ms: {'met' if p95 < 50 else 'MISSED'}; batched >= 2000 events/s: "
        f"{'met' if burst_rate >= 2000 else 'MISSED'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=30.0, help="length of each answer phase")
    parser.add_argument(
        "--think", type=float, default=2.0, help="mean think time between attempts, s"
    )
    parser.add_argument("--fill-size", type=int, default=50, help="answers per history batch")
    parser.add_argument("--burst-clients", type=int, default=4)
    parser.add_argument("--burst-batches", type=int, default=50)
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument(
        "--consent",
        choices=["drafts", "outcomes"],
        default="drafts",
        help="the students' consent level: with drafts, failed answers go through the course's "
        "draft classifier",
    )
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--no-pin", action="store_true", help="let the OS place both processes")
    parser.add_argument("--db-url", help="database to load (default: a fresh SQLite file)")
    args = parser.parse_args()

    base = Path(tempfile.mkdtemp(prefix="adaptive-bench-"))
    db_url = args.db_url or f"sqlite:///{base / 'bench.sqlite'}"
    cpus = sorted(os.sched_getaffinity(0))
    server_cpu, generator_cpu = (None, None) if args.no_pin or len(cpus) < 2 else cpus[:2]
    pins = (
        f"server on CPU {server_cpu}, load generator on CPU {generator_cpu}"
        if server_cpu is not None
        else "processes not pinned"
    )
    os.environ["PYTHONPATH"] = str(ROOT)
    with on_cpu(server_cpu):
        server = ServerProcess(
            base,
            app="jupyter_server",
            db_url=db_url,
            extra_args=[
                "--ServerApp.identity_provider_class="
                "tests.fixtures.identities.NamedTokenIdentityProvider",
                "--ServerApp.log_level=WARN",
                f"--AdaptiveApp.course_paths={COURSES}",
            ],
        ).start()
    try:
        assert server.process is not None
        plan = {**vars(args), "url": server.url, "server_pid": server.process.pid}
        receiver, sender = multiprocessing.get_context("spawn").Pipe(duplex=False)
        with on_cpu(generator_cpu):
            generator = multiprocessing.get_context("spawn").Process(
                target=generate_load, args=(plan, sender)
            )
            generator.start()
        answer = receiver.recv()
        generator.join()
    finally:
        server.stop()
    if isinstance(answer, str):
        raise SystemExit(answer)
    phases = [Phase(**phase) for phase in answer]
    total = args.burst_clients * args.burst_batches * args.batch_size
    with on_cpu(server_cpu):
        raw_rate = raw_insert_rate(db_url, total, args.batch_size)
    report(phases, raw_rate, args, db_url.split(":", 1)[0], pins)


if __name__ == "__main__":
    main()
