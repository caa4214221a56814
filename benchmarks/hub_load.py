"""Load on a class's JupyterHub: learners with Hub tokens posting single attempts with think times
to the service ``adaptive`` on PostgreSQL, through the Hub's proxy and directly, and a teacher
loading the class view.

Starts its own PostgreSQL (a temporary cluster, default durability settings) and its own JupyterHub
(``deploy/jupyterhub/jupyterhub_config.py`` in demo mode, plus the learners and a service whose
token may make users' tokens), and makes every learner's and the teacher's API token through the
Hub's API. Then two phases on the same service, each with a cohort of its own: learners through
the proxy, then as many sent to the service's own port. In each cohort half the learners are new
and half have ``--answers - 1`` answers of history, posted in batches just before the phase; every
learner then answers ``--measured`` times with think times, so that the same moment shows a
learner's 1st answer and another's ``--answers``-th. Once every learner has answered on every
skill, teacher1 loads the class view ``--class-loads`` times while they work. The simulated class
(``simulated_class.py``) runs in a process of its own.

Prints, side by side: p50/p95/p99 latency and events/s through the proxy and directly (the
proxy's share), p95 at the 1st and the ``--answers``-th answer, the class view's latency, and the
CPU seconds of the service, the Hub, the proxy, PostgreSQL, the load generator and the rest of the
machine.

    python benchmarks/hub_load.py [--learners 300] [--answers 200] [--measured 40]
                                  [--think-mean 10] [--class-loads 20] [--quick]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import jupyterhub  # noqa: E402

from tests.fixtures.hub import CONFIG, PROXY_BIN, HubProcess  # noqa: E402
from tests.fixtures.postgres import create_database  # noqa: E402
from tests.fixtures.servers import free_port  # noqa: E402

COURSE_DIR = ROOT / "courses" / "data-science-foundations"
TEACHER = "teacher1"
GOAL_P95_MS = 50.0
GOAL_CLASS_MS = 200.0
PG_BINDIRS = list(Path("/usr/lib/postgresql").glob("*/bin"))

HUB_CONFIG = '''"""The benchmark's Hub (written by benchmarks/hub_load.py): the project's
configuration in demo mode, the benchmark's learners, and a service whose token makes users' API
tokens."""

import os

c = get_config()  # noqa: F821
load_subconfig({config!r})  # noqa: F821
c.Authenticator.allowed_users |= set({learners!r})
# The project's configuration passes course_paths as a Python list literal, which the service
# reads as one folder named "['...']": it would find no course and give no advice. Pass the folder.
for service in c.JupyterHub.services:
    if service["name"] == "adaptive":
        service["command"] = [
            f"--AdaptiveApp.course_paths={{os.environ['ADAPTIVE_COURSES']}}"
            if argument.startswith("--AdaptiveApp.course_paths=[")
            else argument
            for argument in service["command"]
        ]
c.JupyterHub.services.append({{"name": "hub-load", "api_token": os.environ["HUB_LOAD_TOKEN"]}})
c.JupyterHub.load_roles.append(
    {{"name": "hub-load", "description": "Makes users' API tokens", "scopes": ["tokens"],
      "services": ["hub-load"]}}
)
'''


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def loadavg() -> str:
    """The 1, 5 and 15 minute load averages."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _pg_bindir() -> Path:
    """The programs of Debian's newest installed PostgreSQL."""
    found = max(PG_BINDIRS, key=lambda path: float(path.parent.name), default=None)
    if found is None:
        raise SystemExit("PostgreSQL is not installed: run `make test`, which installs it")
    return found


def _pg_command(tool: str, *args: str) -> list[str]:
    """A PostgreSQL program's command line, as the ``postgres`` user when run as root:
    PostgreSQL refuses to run as root."""
    command = [str(_pg_bindir() / tool), *args]
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextlib.contextmanager
def postgres(base: Path) -> Iterator[tuple[str, int]]:
    """A throw-away PostgreSQL cluster in ``base`` on loopback: a new database's URL and the
    postmaster's pid. Unlike the tests' cluster it keeps fsync on, as a class's server would."""
    data = base / "postgres"
    data.mkdir()
    if os.geteuid() == 0:
        shutil.chown(data, "postgres", "postgres")
    port = free_port()
    subprocess.run(
        _pg_command("initdb", "-D", str(data), "-A", "trust", "-U", "postgres"),
        check=True,
        capture_output=True,
    )
    pg_ctl = ["pg_ctl", "-D", str(data), "-l", str(data / "server.log")]
    options = f"-p {port} -k {data} -c listen_addresses=127.0.0.1"
    subprocess.run(_pg_command(*pg_ctl, "-o", options, "-w", "start"), check=True)
    try:
        pid = int((data / "postmaster.pid").read_text().split()[0])
        yield create_database(f"postgresql+psycopg://postgres@127.0.0.1:{port}"), pid
    finally:
        subprocess.run(_pg_command(*pg_ctl, "-m", "fast", "stop"), check=False)


class BenchmarkHub(HubProcess):
    """The tests' demo Hub, started from a configuration that adds the benchmark's learners and
    a token-making service to the project's."""

    def __init__(self, base: Path, db_url: str, learners: list[str]) -> None:
        super().__init__(base, db_url, ROOT / "courses")
        self.admin_token = secrets.token_hex(32)
        self.config = base / "hub_load_config.py"
        self.config.write_text(HUB_CONFIG.format(config=str(CONFIG), learners=learners))

    def env(self) -> dict[str, str]:
        return {**super().env(), "HUB_LOAD_TOKEN": self.admin_token}

    def start(self, timeout: float = 120.0) -> BenchmarkHub:
        with self.log_path.open("ab") as hub_log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "jupyterhub", "-f", str(self.config)],
                env=self.env(),
                cwd=self.base,
                stdout=hub_log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.wait_for_service(timeout)
        return self

    def make_token(self, name: str) -> str:
        """A new API token of ``name``, made through the Hub's API."""
        status, answer = self.call(
            self.admin_token, "POST", f"/hub/api/users/{name}/tokens", {"note": "hub_load"}
        )
        if status != 201:
            raise RuntimeError(f"the Hub made no token for {name}: {status} {answer}")
        return str(answer["token"])

    def pids(self, postmaster: int) -> dict[str, int]:
        """The processes whose CPU time is counted."""
        assert self.process is not None
        return {
            "service": self.service_pid(),
            "Hub": self.process.pid,
            "proxy": int((self.state / "hub" / "proxy.pid").read_text()),
            "PostgreSQL": postmaster,
        }


def _stat(pid: int) -> list[str]:
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2 :].split()


def cpu_seconds(pids: dict[str, int]) -> dict[str, float]:
    """CPU seconds used so far by each process; PostgreSQL's also counts its backends, living
    (children of the postmaster) and ended (the postmaster's waited-for children)."""
    tick = os.sysconf("SC_CLK_TCK")
    used = {}
    for name, pid in pids.items():
        fields = _stat(pid)
        used[name] = sum(int(value) for value in fields[11:13]) / tick
    postmaster = pids["PostgreSQL"]
    used["PostgreSQL"] += sum(int(value) for value in _stat(postmaster)[13:15]) / tick
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError):
                fields = _stat(int(entry.name))
                if int(fields[1]) == postmaster:
                    used["PostgreSQL"] += sum(int(value) for value in fields[11:13]) / tick
    return used


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy (all cores, every process)."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def simulate(plan: dict[str, Any]) -> dict[str, Any]:
    """Run the simulated class (``simulated_class.py``) in a process of its own."""
    finished = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("simulated_class.py"))],
        input=json.dumps({"course_dir": str(COURSE_DIR), **plan}),
        capture_output=True,
        text=True,
        check=False,
    )
    if finished.returncode != 0:
        raise RuntimeError(f"the simulated class failed:\n{finished.stderr[-5000:]}")
    return dict(json.loads(finished.stdout))


@dataclass
class Phase:
    """One cohort of learners: half of them new, half with ``answers - 1`` answers of history
    (seeded in batches before the phase), all answering ``measured`` times during it."""

    name: str
    url: str
    tokens: list[str]
    args: argparse.Namespace
    result: dict[str, Any] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)
    load: tuple[str, str] = ("", "")
    seeding: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def seeded(self) -> list[str]:
        return self.tokens[len(self.tokens) // 2 :]

    def seed(self, service_url: str) -> None:
        """The seeded half's history, posted to the service's own port in batches."""
        learners = [
            {"token": token, "first": 1, "answers": self.args.answers - 1} for token in self.seeded
        ]
        self.seeding = simulate(
            {
                "mode": "seed",
                "url": service_url,
                "learners": learners,
                "batch": 50,
                "concurrency": 4,
                "seed": self.args.seed,
            }
        )

    def run(self, pids: dict[str, int], teacher: tuple[str, str]) -> None:
        """The measured phase in a process of its own; CPU seconds of each process meanwhile."""
        args = self.args
        learners = [
            {
                "token": token,
                "first": 1 if token not in self.seeded else args.answers,
                "answers": args.measured,
            }
            for token in self.tokens
        ]
        before, busy, load_before = cpu_seconds(pids), machine_busy_seconds(), loadavg()
        started = time.monotonic()
        self.result = simulate(
            {
                "mode": "measure",
                "url": self.url,
                "teacher_url": teacher[0],
                "teacher_token": teacher[1],
                "learners": learners,
                "measured": args.measured,
                "think_mean": args.think_mean,
                "class_loads": args.class_loads,
                "seed": args.seed,
            }
        )
        after, busy = cpu_seconds(pids), machine_busy_seconds() - busy
        self.seconds = time.monotonic() - started
        self.load = (load_before, loadavg())
        self.cpu = {name: after[name] - before[name] for name in pids}
        self.cpu["load generator"] = self.result["cpu_seconds"]
        self.cpu["other processes on the machine"] = max(0.0, busy - sum(self.cpu.values()))

    def latencies(self, first: int | None = None, last: int | None = None) -> np.ndarray:
        """Latencies (ms) of the measured answers: all, or those numbered ``first`` to ``last``
        in their learner's history."""
        rows = np.array(self.result["answers"]).reshape(-1, 4)
        if first is not None:
            rows = rows[(rows[:, 1] >= first) & (rows[:, 1] <= (last or first))]
        return rows[:, 2]

    def rates(self) -> tuple[float, float]:
        """Events/s over the whole phase, and over its middle 80% of answers (the steady state
        between the learners' staggered start and their staggered finish)."""
        done = np.sort(np.array(self.result["answers"]).reshape(-1, 4)[:, 3])
        if len(done) < 10:
            return float("nan"), float("nan")
        low, high = np.percentile(done, [10, 90])
        return len(done) / done[-1], 0.8 * len(done) / (high - low)

    def by_minute(self) -> list[float]:
        """p95 latency (ms) of the answers finished in each minute of the phase."""
        rows = np.array(self.result["answers"]).reshape(-1, 4)
        minutes = (rows[:, 3] // 60).astype(int)
        return [_p(rows[minutes == m, 2], 95) for m in range(minutes.max(initial=-1) + 1)]

    def fewest_answers(self) -> int:
        """Measured answers of the learner with the fewest."""
        learners = np.array(self.result["answers"]).reshape(-1, 4)[:, 0].astype(int)
        return int(np.bincount(learners, minlength=len(self.tokens)).min())


def _p(values: np.ndarray | list[float], q: float) -> float:
    return float(np.percentile(values, q)) if len(values) else float("nan")


def report(phases: list[Phase], args: argparse.Namespace, machine: tuple[str, str]) -> None:
    """The table: through the proxy, directly, and the difference where it is the proxy's
    share."""
    proxy = phases[0]
    a, window, cores = args.answers, min(10, args.measured), os.cpu_count() or 1

    def row(label: str, values: list[float], fmt: str = ".1f", share: bool = False) -> None:
        cells = [format(value, fmt) for value in values]
        if share:
            cells.append(format(values[0] - values[1], "+" + fmt))
        print(f"{label:<56}" + "".join(f"{cell:>15}" for cell in cells))

    chp = json.loads((PROXY_BIN.parent / "configurable-http-proxy" / "package.json").read_text())
    print(
        f"JupyterHub {jupyterhub.__version__}, configurable-http-proxy {chp['version']}, "
        f"PostgreSQL {_pg_bindir().parent.name} (fsync on); {cores} cores"
    )
    print(
        f"per phase {args.learners} learners with Hub tokens: {args.learners - args.learners // 2} "
        f"new, {args.learners // 2} with {a - 1} answers of history (seeded in batches of 50 "
        f"before the phase); each answers {args.measured} times, think time exponential with mean "
        f"{args.think_mean} s: offered {args.learners / args.think_mean:.0f} events/s"
    )
    for p in phases:
        failed = sum(n for code, n in p.seeding["statuses"].items() if code != "200")
        print(
            f"seeding before the {p.name} phase: {len(p.seeded) * (a - 1)} answers in "
            f"{p.seeding['seconds']:.0f} s (to the service's port); failed requests: {failed}"
        )
    print(
        "the direct phase's learners are a second cohort: the store also holds the proxy "
        "phase's learners"
    )
    print(f"{'measure':<56}{'through proxy':>15}{'direct':>15}{'proxy share':>15}")
    row("answers measured", [len(p.result["answers"]) for p in phases], "d")
    row("measured answers of the learner with fewest", [p.fewest_answers() for p in phases], "d")
    row(
        "answers with a recommended next item (advisor at work)",
        [p.result["advised"] for p in phases],
        "d",
    )
    row(
        "responses other than 200",
        [sum(n for code, n in p.result["statuses"].items() if code != "200") for p in phases],
        "d",
    )
    rates = [p.rates() for p in phases]
    row("events/s, whole phase", [r[0] for r in rates])
    row("events/s, steady (middle 80% of answers)", [r[1] for r in rates])
    for q in (50, 95, 99):
        row(f"latency p{q} (ms)", [_p(p.latencies(), q) for p in phases], share=True)
    row("latency mean (ms)", [float(np.mean(p.latencies())) for p in phases], share=True)
    row("p95 at a new learner's 1st answer (ms)", [_p(p.latencies(1), 95) for p in phases])
    row(f"p95 at a seeded learner's {a}th answer (ms)", [_p(p.latencies(a), 95) for p in phases])
    row(f"p95 of answers 1-{window} (ms)", [_p(p.latencies(1, window), 95) for p in phases])
    row(
        f"p95 of answers {a}-{a + window - 1} (ms)",
        [_p(p.latencies(a, a + window - 1), 95) for p in phases],
    )
    row(
        "p95 of a new learner's 1st request (consent, ms)",
        [_p(p.result["first_requests"], 95) for p in phases],
    )
    for p in phases:
        print(
            f"p95 (ms) minute by minute, {p.name}: " + " ".join(f"{v:.0f}" for v in p.by_minute())
        )
    for p in phases:
        loads = p.result["class_loads"]
        shape = f"{loads[-1][1]} learners, {loads[-1][2]} rows" if loads else "not loaded"
        print(f"class view during the {p.name} phase (teacher1 through the proxy): {shape}")
    views = [[c[0] for c in p.result["class_loads"]] for p in phases]
    row("class view loads", [len(v) for v in views], "d")
    for q in (50, 95):
        row(f"class view p{q} (ms)", [_p(v, q) for v in views])
    row("class view max (ms)", [max(v, default=np.nan) for v in views])
    for name in proxy.cpu:
        row(f"CPU s: {name}", [p.cpu[name] for p in phases])
    for name in ("service", "proxy", "Hub", "PostgreSQL"):
        row(
            f"CPU ms per answer: {name}",
            [1000 * p.cpu[name] / max(1, len(p.result["answers"])) for p in phases],
        )
    row(
        "machine busy, % of all cores",
        [100 * sum(p.cpu.values()) / p.seconds / cores for p in phases],
    )
    for p in phases:
        print(f"load average (1, 5, 15 min) during the {p.name} phase: {p.load[0]} -> {p.load[1]}")
    print(f"load average at the start and end of the run: {machine[0]} -> {machine[1]}")
    p95 = _p(proxy.latencies(), 95)
    class_p95 = _p(views[0], 95)
    print(
        f"goals: p95 < {GOAL_P95_MS:.0f} ms through the proxy: "
        f"{'met' if p95 < GOAL_P95_MS else 'MISSED'} ({p95:.1f} ms); class view p95 < "
        f"{GOAL_CLASS_MS:.0f} ms at {args.learners} learners x {proxy.result['skills']} skills: "
        f"{'met' if class_p95 < GOAL_CLASS_MS else 'MISSED'} ({class_p95:.1f} ms)"
    )


def keep_logs(base: Path, folder: Path) -> None:
    """Copy the Hub's log (with the service's and the proxy's) and PostgreSQL's to ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for log_file in (base / "hub.log", base / "postgres" / "server.log"):
        if log_file.exists():
            shutil.copy(log_file, folder / log_file.name)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=300, help="learners per phase")
    parser.add_argument(
        "--answers",
        type=int,
        default=200,
        help="the answer whose latency is compared with the 1st: the seeded half of the "
        "learners has answered one fewer times before the phase",
    )
    parser.add_argument(
        "--measured", type=int, default=40, help="answers of each learner during the phase"
    )
    parser.add_argument(
        "--think-mean", type=float, default=10.0, help="mean think time before an answer, s"
    )
    parser.add_argument("--class-loads", type=int, default=20, help="class view loads per phase")
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--raw", type=Path, help="also write every measurement to this JSON file")
    parser.add_argument(
        "--logs", type=Path, help="keep the Hub's (and service's) and PostgreSQL's logs here"
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a smoke run: 20 learners, 30th answer, 25 answers per phase, 0.3 s think time",
    )
    args = parser.parse_args()
    if args.quick:
        args.learners, args.answers, args.measured = 20, 30, 25
        args.think_mean, args.class_loads = 0.3, 5
    if not 0 < args.measured < args.answers:
        parser.error("--measured must be at least 1 and below --answers")
    return args


def main() -> None:
    args = parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    machine_start = loadavg()
    base = Path(tempfile.mkdtemp(prefix="adaptive-hub-load-"))
    base.chmod(0o755)  # PostgreSQL's user reaches its data folder inside
    cohorts = [
        [f"learner{i:04d}" for i in range(k * args.learners + 1, (k + 1) * args.learners + 1)]
        for k in range(2)
    ]
    with contextlib.ExitStack() as cleanup:
        cleanup.callback(shutil.rmtree, base, ignore_errors=True)
        if args.logs:
            cleanup.callback(keep_logs, base, args.logs)
        log("starting PostgreSQL and JupyterHub ...")
        db_url, postmaster = cleanup.enter_context(postgres(base))
        hub = BenchmarkHub(base, db_url, cohorts[0] + cohorts[1])
        cleanup.callback(hub.stop)
        hub.start()
        log(f"making {2 * args.learners + 1} API tokens through the Hub's API ...")
        with ThreadPoolExecutor(max_workers=4) as pool:
            tokens = [list(pool.map(hub.make_token, cohort)) for cohort in cohorts]
        teacher = (hub.url, hub.make_token(TEACHER))
        service_url = f"http://127.0.0.1:{hub.service_port}"
        phases = [
            Phase("proxy", hub.url, tokens[0], args),
            Phase("direct", service_url, tokens[1], args),
        ]
        pids = hub.pids(postmaster)
        for phase in phases:
            log(f"seeding {len(phase.seeded)} learners' history for the {phase.name} phase ...")
            phase.seed(service_url)
            log(
                f"phase {phase.name}: {args.learners} learners x {args.measured} answers "
                f"(about {args.measured * args.think_mean:.0f} s) ..."
            )
            phase.run(pids, teacher)
        report(phases, args, (machine_start, loadavg()))
        if args.raw:
            args.raw.write_text(
                json.dumps(
                    {p.name: {"seeding": p.seeding, "cpu": p.cpu, **p.result} for p in phases}
                )
            )


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("interrupted: what the benchmark started is stopped and its files removed")
