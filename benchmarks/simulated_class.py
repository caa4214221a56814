"""A simulated class, the load generator of ``hub_load.py``, run in a process of its own.

Learners post attempts on the course's real items: first one item of each skill in the course's
prerequisite order (so that the class view has a row for every learner and skill), then the item
the service recommends (``next``), or any item of the pool when it recommends none; they get
answers right more often as they practise a skill.

Two modes. ``seed``: each learner consents and posts ``answers`` attempts in batches, back to
back, a few learners at a time (history before a measured phase). ``measure``: each learner
(consenting first when ``first`` is 1) posts ``answers`` single attempts numbered from ``first``,
each after an exponential think time; once every learner has answered on every skill, a teacher
loads the class view at even intervals while they work.

Reads its plan as JSON on stdin, writes what it measured as JSON on stdout::

    {"mode": "seed" | "measure", "url", "course_dir", "seed",
     "learners": [{"token", "first", "answers"}],
     "batch", "concurrency",                                               (seed)
     "teacher_url", "teacher_token", "measured", "think_mean", "class_loads"}  (measure)
"""

from __future__ import annotations

import asyncio
import json
import math
import random
import resource
import sys
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tornado.httpclient import AsyncHTTPClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from jupyter_adaptive.curriculum import Course, Item, load_course  # noqa: E402

#: Exceptions of failed attempts, with the short message the extension sends.
ERRORS = [("NameError", "name 'df' is not defined"), ("KeyError", "'team'"), ("TypeError", "")]


def cpu_seconds() -> float:
    """CPU time used by this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class SimulatedLearner:
    """One learner's answers: an ability, practice per skill, and the attempt count per item."""

    def __init__(self, course: Course, rng: random.Random) -> None:
        self.course = course
        self.rng = rng
        self.ability = rng.gauss(0.0, 1.0)
        self.practice: Counter[str] = Counter()
        self.attempts: Counter[str] = Counter()
        self.units = {skill: unit.id for unit in course.units for skill in unit.skills}
        self.order = course.skills_in_order()

    def choose(self, answered: int, recommended: str | None) -> Item:
        """The item of the next answer: one of each skill first, then the service's advice."""
        if answered < len(self.order):
            return self.rng.choice(self.course.items_for_skill(self.order[answered]))
        if recommended in self.course.items:
            return self.course.items[recommended]
        return self.rng.choice(list(self.course.items.values()))

    def attempt(self, item: Item, duration_s: float) -> dict[str, Any]:
        """An attempt event on ``item``, right more often as practice on its skill grows."""
        skill = item.skills[0]
        logit = self.ability - (item.difficulty - 2) + 0.3 * self.practice[skill] - 0.5
        self.practice[skill] += 1
        self.attempts[item.id] += 1
        event: dict[str, Any] = {
            "event_id": str(uuid.uuid4()),
            "schema_version": 1,
            "type": "attempt",
            "client_time": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
            "course": self.course.id,
            "item": item.id,
            "skills": list(item.skills),
            "attempt": self.attempts[item.id],
            "outcome": "correct",
            "duration_ms": int(duration_s * 1000),
            "hints_used": int(self.rng.random() < 0.1),
        }
        if skill in self.units:
            event["unit"] = self.units[skill]
        if self.rng.random() > 1 / (1 + math.exp(-logit)):
            if self.rng.random() < 0.5:
                event["outcome"] = "incorrect"
                event["error"] = {"ename": "AssertionError", "evalue": ""}
            else:
                ename, evalue = self.rng.choice(ERRORS)
                event["outcome"] = "error"
                event["error"] = {"ename": ename, "evalue": evalue}
        return event


class ClassRun:
    """The learners and the teacher of one phase, and what they measured."""

    def __init__(self, plan: dict[str, Any]) -> None:
        self.plan = plan
        self.course = load_course(plan["course_dir"])
        self.api = plan["url"] + "/services/adaptive/api/"
        self.client: AsyncHTTPClient
        self.answers: list[tuple[int, int, float, float]] = []
        self.first_requests: list[float] = []
        self.statuses: Counter[int] = Counter()
        self.class_loads: list[tuple[float, int, int, float]] = []
        self.advised = 0
        self.uncovered = len(plan["learners"])
        self.all_covered = asyncio.Event()
        self.started = 0.0

    async def call(self, url: str, token: str, method: str, body: Any = None) -> tuple[int, Any]:
        """One request; its status and decoded body (None unless 200)."""
        response = await self.client.fetch(
            url,
            method=method,
            body=None if body is None else json.dumps(body),
            headers={"Authorization": f"token {token}", "Content-Type": "application/json"},
            request_timeout=300,
            raise_error=False,
        )
        self.statuses[response.code] += 1
        return response.code, json.loads(response.body) if response.code == 200 else None

    async def consent(self, token: str) -> int:
        """The learner's consent to record outcomes; the status."""
        body = {"course": self.course.id, "level": "outcomes"}
        status, _ = await self.call(self.api + "consent", token, "PUT", body)
        return status

    def _covered(self) -> None:
        self.uncovered -= 1
        if self.uncovered == 0:
            self.all_covered.set()

    def _simulated(self, index: int) -> SimulatedLearner:
        rng = random.Random(f"{self.plan['seed']}:{self.plan['mode']}:{index}")
        return SimulatedLearner(self.course, rng)

    async def seed_learner(
        self, index: int, learner: dict[str, Any], slots: asyncio.Semaphore
    ) -> None:
        """Consent and ``answers`` answers in batches, back to back: the history before the
        measured phase."""
        simulated, recommended = self._simulated(index), None
        async with slots:
            if await self.consent(learner["token"]) != 200:
                return
            for first in range(0, learner["answers"], self.plan["batch"]):
                events = []
                for n in range(first, min(first + self.plan["batch"], learner["answers"])):
                    events.append(simulated.attempt(simulated.choose(n, recommended), 30.0))
                    recommended = None
                status, answer = await self.call(
                    self.api + "events", learner["token"], "POST", {"events": events}
                )
                if status == 200:
                    recommended = (answer["results"][-1].get("next") or {}).get("item")

    async def learner(self, index: int, learner: dict[str, Any]) -> None:
        """Consent (a new learner), then single attempts, each after an exponential think time."""
        simulated = self._simulated(index)
        think = self.plan["think_mean"]
        first, token = learner["first"], learner["token"]
        await asyncio.sleep(simulated.rng.uniform(0, think))
        status = 200
        if first == 1:
            began = time.perf_counter()
            status = await self.consent(token)
            self.first_requests.append((time.perf_counter() - began) * 1000)
        covered, recommended = first > len(simulated.order), None
        if covered:
            self._covered()
        try:
            for n in range(first, first + learner["answers"] if status == 200 else first):
                pause = simulated.rng.expovariate(1 / think)
                await asyncio.sleep(pause)
                event = simulated.attempt(simulated.choose(n - 1, recommended), pause)
                began = time.perf_counter()
                status, answer = await self.call(
                    self.api + "events", token, "POST", {"events": [event]}
                )
                ended = time.perf_counter()
                if status == 200:
                    self.answers.append((index, n, (ended - began) * 1000, ended - self.started))
                    recommended = (answer["results"][0].get("next") or {}).get("item")
                    self.advised += recommended is not None
                if n == len(simulated.order):
                    self._covered()
                    covered = True
        finally:
            if not covered:
                self._covered()

    async def teacher(self) -> None:
        """Once every learner has answered on every skill, load the class view at even
        intervals over the rest of the learners' work."""
        await self.all_covered.wait()
        loads = self.plan["class_loads"]
        remaining = (self.plan["measured"] - len(self.course.skills)) * self.plan["think_mean"]
        url = self.plan["teacher_url"] + f"/services/adaptive/api/class?course={self.course.id}"
        for _ in range(loads):
            began = time.perf_counter()
            status, view = await self.call(url, self.plan["teacher_token"], "GET")
            elapsed = (time.perf_counter() - began) * 1000
            if status == 200:
                done = time.perf_counter() - self.started
                self.class_loads.append((elapsed, view["learners"], len(view["rows"]), done))
            await asyncio.sleep(max(0.0, 0.8 * remaining / loads - elapsed / 1000))

    async def run(self) -> dict[str, Any]:
        """Seed the learners' history, or run the measured phase: every learner and the teacher
        at once. The figures as plain data."""
        learners = self.plan["learners"]
        AsyncHTTPClient.configure(None, max_clients=len(learners) + 1)
        self.client = AsyncHTTPClient()
        cpu = cpu_seconds()
        self.started = time.perf_counter()
        if self.plan["mode"] == "seed":
            slots = asyncio.Semaphore(self.plan["concurrency"])
            await asyncio.gather(
                *(self.seed_learner(i, learner, slots) for i, learner in enumerate(learners))
            )
        else:
            await asyncio.gather(
                self.teacher(), *(self.learner(i, learner) for i, learner in enumerate(learners))
            )
        return {
            "seconds": time.perf_counter() - self.started,
            "answers": self.answers,
            "first_requests": self.first_requests,
            "statuses": {str(code): count for code, count in self.statuses.items()},
            "class_loads": self.class_loads,
            "advised": self.advised,
            "skills": len(self.course.skills),
            "cpu_seconds": cpu_seconds() - cpu,
        }


def main() -> None:
    plan = json.load(sys.stdin)
    json.dump(asyncio.run(ClassRun(plan).run()), sys.stdout)


if __name__ == "__main__":
    main()
