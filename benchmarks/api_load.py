"""Load on the REST API: simulated students on loopback, then bursts of batches.

Prints, in one run on one database: p50/p95/p99 latency and throughput of single-attempt posts by N
students with think times; events/s of batched ingest through the API; and, as the baseline, the
events/s of raw SQLAlchemy inserts of the same rows into the same database.

    python benchmarks/api_load.py [--students 200] [--seconds 30] [--db-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402
from tornado.httpclient import AsyncHTTPClient, HTTPClientError  # noqa: E402

from jupyter_adaptive.store import Store  # noqa: E402
from jupyter_adaptive.store.models import Event, Learner  # noqa: E402
from jupyter_adaptive.store.repository import event_row  # noqa: E402
from tests.fixtures.api import attempt_event  # noqa: E402
from tests.fixtures.identities import token_for  # noqa: E402
from tests.fixtures.servers import ServerProcess  # noqa: E402

COURSE = "data-science-foundations"
SKILLS = [f"skill_{i}" for i in range(20)]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


def student_event(rng: random.Random, attempt: int) -> dict[str, object]:
    outcome = rng.choice(["correct", "incorrect", "error"])
    extra = {"error": {"ename": "KeyError", "evalue": "'team'"}} if outcome == "error" else {}
    return attempt_event(
        item=f"item_{rng.randrange(60)}",
        skills=rng.sample(SKILLS, rng.choice([1, 1, 2])),
        attempt=attempt,
        outcome=outcome,
        **extra,
    )


async def post(
    client: AsyncHTTPClient, url: str, student: str, events: list[dict[str, object]]
) -> float:
    started = time.perf_counter()
    response = await client.fetch(
        url + "/adaptive/api/events",
        method="POST",
        body=json.dumps({"events": events}),
        headers={"Authorization": f"token {token_for(student)}"},
        request_timeout=60,
    )
    assert response.code == 200
    return time.perf_counter() - started


async def consent_all(client: AsyncHTTPClient, url: str, students: list[str]) -> None:
    for student in students:
        await client.fetch(
            url + "/adaptive/api/consent",
            method="PUT",
            body=json.dumps({"course": COURSE, "level": "drafts"}),
            headers={"Authorization": f"token {token_for(student)}"},
        )


async def students_phase(
    url: str, count: int, seconds: float, think: float
) -> tuple[list[float], float]:
    """Each student posts one attempt, thinks (exponential, mean ``think`` s), and again."""
    client = AsyncHTTPClient(max_clients=count)
    students = [f"student{i}" for i in range(count)]
    await consent_all(client, url, students)
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds

    async def student(name: str, seed: int) -> None:
        rng = random.Random(seed)
        await asyncio.sleep(rng.uniform(0, think))
        attempt = 1
        while time.perf_counter() < deadline:
            latencies.append(await post(client, url, name, [student_event(rng, attempt)]))
            attempt += 1
            await asyncio.sleep(rng.expovariate(1 / think))

    started = time.perf_counter()
    await asyncio.gather(*(student(name, i) for i, name in enumerate(students)))
    return latencies, time.perf_counter() - started


async def burst_phase(url: str, clients: int, batches: int, size: int) -> float:
    """``clients`` students each send ``batches`` batches of ``size`` events back to back."""
    client = AsyncHTTPClient(max_clients=clients)
    names = [f"burst{i}" for i in range(clients)]
    await consent_all(client, url, names)

    async def sender(name: str, seed: int) -> None:
        rng = random.Random(seed)
        for b in range(batches):
            await post(
                client, url, name, [student_event(rng, b * size + i + 1) for i in range(size)]
            )

    started = time.perf_counter()
    await asyncio.gather(*(sender(name, i) for i, name in enumerate(names)))
    return clients * batches * size / (time.perf_counter() - started)


def raw_insert_rate(db_url: str, total: int, size: int) -> float:
    """Baseline: the same rows inserted with SQLAlchemy Core, no validation, no mastery update."""
    store = Store.open(db_url)
    rng = random.Random(7)
    with store.transaction() as session:
        session.add(Learner(id="raw-baseline"))
    started = time.perf_counter()
    for _ in range(total // size):
        rows = [event_row("raw-baseline", student_event(rng, 1)) for _ in range(size)]
        with store.transaction() as session:
            session.execute(insert(Event), rows)
    rate = total / (time.perf_counter() - started)
    store.close()
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=30.0, help="length of the students phase")
    parser.add_argument(
        "--think", type=float, default=2.0, help="mean think time between attempts, s"
    )
    parser.add_argument("--burst-clients", type=int, default=4)
    parser.add_argument("--burst-batches", type=int, default=50)
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--db-url", help="database to load (default: a fresh SQLite file)")
    args = parser.parse_args()

    base = Path(tempfile.mkdtemp(prefix="adaptive-bench-"))
    db_url = args.db_url or f"sqlite:///{base / 'bench.sqlite'}"
    os.environ["PYTHONPATH"] = str(ROOT)
    server = ServerProcess(
        base,
        app="jupyter_server",
        db_url=db_url,
        extra_args=[
            "--ServerApp.identity_provider_class=tests.fixtures.identities.NamedTokenIdentityProvider",
            "--ServerApp.log_level=WARN",
        ],
    ).start()
    try:
        latencies, elapsed = asyncio.run(
            students_phase(server.url, args.students, args.seconds, args.think)
        )
        burst_rate = asyncio.run(
            burst_phase(server.url, args.burst_clients, args.burst_batches, args.batch_size)
        )
    except HTTPClientError as error:
        body = error.response.body if error.response else b""
        raise SystemExit(f"the server answered {error.code}: {body!r}") from error
    finally:
        server.stop()
    total = args.burst_clients * args.burst_batches * args.batch_size
    raw_rate = raw_insert_rate(db_url, total, args.batch_size)

    ms = [value * 1000 for value in latencies]
    print(
        f"database: {db_url.split(':', 1)[0]}; {args.students} students, "
        f"think time {args.think} s, {elapsed:.0f} s"
    )
    print(f"{'measure':<44}{'API (ours)':>14}{'raw SQLAlchemy':>16}")
    print(f"{'single attempts: requests':<44}{len(ms):>14}")
    print(f"{'single attempts: events/s':<44}{len(ms) / elapsed:>14.1f}")
    for q in (50, 95, 99):
        print(f"{f'single attempts: p{q} latency (ms)':<44}{percentile(ms, q):>14.1f}")
    print(f"{'single attempts: mean latency (ms)':<44}{statistics.fmean(ms):>14.1f}")
    label = f"batched ingest ({args.batch_size}/batch): events/s"
    print(f"{label:<44}{burst_rate:>14.0f}{raw_rate:>16.0f}")
    goal_latency = percentile(ms, 95) < 50
    goal_rate = burst_rate >= 2000
    print(
        f"goals: p95 < 50 ms: {'met' if goal_latency else 'MISSED'}; batched >= 2000 events/s: "
        f"{'met' if goal_rate else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
