"""Low-bandwidth benchmark (issue 15): what one attempt costs on the wire, how long its feedback
takes on throttled networks, what the teacher dashboard weighs, and whether going offline in the
middle of a burst of runs loses anything; before and ours side by side, one run.

Starts a real JupyterLab with the shipped course (``tests/fixtures/servers.py``) and drives Debian's
chromium through Playwright. Chromium's DevTools protocol counts each request's bytes on the wire
(request line, headers with cookies, body; status line, headers, encoded body: HTTP/1.1, as a
learner's own JupyterLab or a plain proxy sends them) and throttles the page to DevTools'
profiles (``tests/fixtures/network.py``: Fast 3G, Slow 3G, Regular 2G).

- *attempt round trip*: the labextension's ``POST /adaptive/api/events`` for one graded run, as
  sent and answered. *Before* is the same exchange as client and server made it before issue 15:
  the batch as plain JSON with JupyterLab's cache buster, ``Cache-Control``, ``Pragma`` and
  ``Referer``; the whole result uncompressed (with the next exercise's cells) and the ``Server``
  header. Its body is measured: the same batch (a new event id) posted for the full result.
- *time until feedback*: from pressing Run on a tests cell to the server's feedback under it, per
  profile (an item of its own each); the goal is 3 s on Fast 3G.
- *dashboard page weight*: the teacher dashboard (``jupyter-adaptive dashboard``, Voila) on a
  seeded class: every HTTP answer and WebSocket payload until the heat map shows, next to the same
  answers gzipped (what tornado's ``compress_response`` would send).
- *offline mid-burst*: three runs back to back on Slow 3G, the browser offline while their events
  are on the way (a batch in flight fails), then online again: every attempt must be stored once.

Usage::

    python benchmarks/bandwidth.py [--learners 30] [--events 1500]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "ui-tests")]

from bandwidth_runs import EVENTS_URL, feedback_seconds, offline_mid_burst  # noqa: E402
from notebook_page import (  # noqa: E402
    DEMO_COURSE,
    NotebookPage,
    copy_demo_notebook,
    stored_attempts,
)
from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402

from jupyter_adaptive.browser import launch_chromium  # noqa: E402
from jupyter_adaptive.dashboard.seed import seed_class  # noqa: E402
from jupyter_adaptive.store import Store  # noqa: E402
from tests.fixtures.courses import COURSES  # noqa: E402
from tests.fixtures.dashboard import dashboard_process  # noqa: E402
from tests.fixtures.network import PROFILES, Exchange, NetworkMeter, Profile  # noqa: E402
from tests.fixtures.servers import ServerProcess  # noqa: E402

ROUND_TRIP_GOAL = 2048
FEEDBACK_GOAL_S = 3.0
UNIT = "01_python_basics"
#: One item per network profile; the offline burst runs them again.
RUNS: list[tuple[str, Profile | None]] = [
    ("py-basics-ticket-total", None),
    ("py-basics-weekly-readings", PROFILES["3G"]),
    ("py-basics-count-frost", PROFILES["slow-3G"]),
    ("py-basics-celsius-function", PROFILES["2G"]),
]
#: What the labextension sent before issue 15 and sends no more: JupyterLab's cache buster
#: (``?`` and a 13-digit time) and these headers (the Referer is added per page); its batch went
#: as ``text/plain;charset=UTF-8``.
_OLD_QUERY = len("?1796220654442")
_OLD_HEADERS = ("Cache-Control: no-cache\r\n", "Pragma: no-cache\r\n")
_OLD_SERVER = "Server: TornadoServer/6.6.1\r\n"


def _header_bytes(exchange: Exchange) -> int:
    return exchange.response_bytes - int(exchange.response_headers.get("content-length", "0"))


def _full_result(server: ServerProcess, batch: dict[str, Any]) -> bytes:
    """The answer the server gave before issue 15 to ``batch`` (posted again under a new event
    id): the whole result, with the next exercise's cells, as plain JSON."""
    event = {**batch["events"][0], "event_id": str(uuid.uuid4())}
    [result] = server.request("POST", "/adaptive/api/events", {"events": [event]})["results"]
    result["next"] = server.request("GET", f"/adaptive/api/next?course={DEMO_COURSE}&unit={UNIT}")
    return json.dumps({"results": [result]}).encode()


def attempt_round_trip(
    server: ServerProcess, meter: NetworkMeter, page: Page
) -> dict[str, tuple[int, int]]:
    """(before, ours) bytes of the first attempt's round trip: request and answer."""
    ours = meter.exchanges(EVENTS_URL)[0]
    sent = meter.request_body(ours)
    batch = gzip.decompress(sent) if ours.request_headers.get("content-encoding") else sent
    old_headers = sum(map(len, _OLD_HEADERS)) + len(f"Referer: {page.url}\r\n")
    request_before = (
        ours.request_bytes
        - int(ours.request_headers["content-length"])
        - len("content-encoding: gzip\r\n") * bool(ours.request_headers.get("content-encoding"))
        - len("?view=widget")
        - len("application/json")
        + len("text/plain;charset=UTF-8")
        + _OLD_QUERY
        + old_headers
        + len(batch)
    )
    full = _full_result(server, json.loads(batch))
    compressed = (
        "content-encoding: gzip\r\n" if ours.response_headers.get("content-encoding") else ""
    )
    response_before = (
        _header_bytes(ours)
        - len(compressed)
        + len(_OLD_SERVER)
        + len(full)
        + len(str(len(full)))
        - len(ours.response_headers.get("content-length", ""))
    )
    return {
        "request": (request_before, ours.request_bytes),
        "answer": (response_before, ours.response_bytes),
        "round trip": (request_before + response_before, ours.total),
    }


def dashboard_weight(page: Page, learners: int, events: int, base: Path) -> dict[str, float]:
    """The dashboard's weight on a seeded class: HTTP bytes on the wire, the same gzipped,
    WebSocket payload bytes, and the number of requests."""
    url = f"sqlite:///{base / 'class.sqlite'}"
    store = Store.open(url)
    seed_class(store, learners=learners, skills=10, events=events)
    store.close()
    meter = NetworkMeter(page)
    with dashboard_process(url) as dashboard:
        page.goto(dashboard.url)
        heatmap = page.locator(".adaptive-class-heatmap rect.heatmapcell").first
        expect(heatmap).to_be_visible(timeout=120_000)
        page.wait_for_load_state("networkidle")
        exchanges = [e for e in meter.exchanges() if e.response_bytes]
        wire = sum(e.total for e in exchanges)
        gzipped = 0
        for exchange in exchanges:
            body = meter.response_body(exchange)
            squeezed = gzip.compress(body, 6)
            compressible = exchange.mime_type.startswith(("text/", "application/"))
            smaller = len(squeezed) + len("Content-Encoding: gzip\r\n") < len(body)
            saving = len(body) - len(squeezed) if compressible and smaller else 0
            gzipped += exchange.total - saving
    return {
        "requests": len(exchanges),
        "wire": wire,
        "gzipped": gzipped,
        "websocket": meter.websocket_bytes,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=30, help="the dashboard's seeded class")
    parser.add_argument("--events", type=int, default=1500, help="events of the seeded class")
    args = parser.parse_args()

    base = Path(tempfile.mkdtemp(prefix="bandwidth-"))
    server = ServerProcess(base / "lab", extra_args=[f"--AdaptiveApp.course_paths={COURSES}"])
    server.start()
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
            meter = NetworkMeter(page)
            nb = NotebookPage(page, server, copy_demo_notebook(server)).open()
            nb.run(5)
            nb.answer_consent("Outcomes only")
            times = []
            for item, profile in RUNS:
                meter.throttle(profile)
                seconds = feedback_seconds(nb, item, timeout_ms=120_000)
                times.append((profile.name if profile else "no throttling", seconds))
            meter.throttle(None)
            before = len(stored_attempts(server))
            burst = [item for item, _profile in RUNS[1:]]
            waiting = offline_mid_burst(nb, meter, burst)
            stored = len({a["event_id"] for a in stored_attempts(server)}) - before
            bytes_ = attempt_round_trip(server, meter, page)
            weight = dashboard_weight(
                browser.new_context().new_page(), args.learners, args.events, base
            )
            browser.close()
    finally:
        server.stop()

    print("Attempt round trip (one graded run, HTTP/1.1, bytes on the wire)")
    print(f"  {'':<28}{'before':>10}{'ours':>10}")
    for name, (before, ours) in bytes_.items():
        print(f"  {name:<28}{before:>10,}{ours:>10,}")
    verdict = "met" if bytes_["round trip"][1] <= ROUND_TRIP_GOAL else "MISSED"
    print(f"  goal: <= {ROUND_TRIP_GOAL:,} bytes per round trip: {verdict}")
    print("\nTime until feedback shows (Run pressed -> the server's feedback under the cell)")
    for name, seconds in times:
        print(f"  {name:<28}{seconds:>9.2f} s")
    fast_3g = dict(times)[PROFILES["3G"].name]
    print(f"  goal: <= {FEEDBACK_GOAL_S:.0f} s on Fast 3G: {'met' if fast_3g <= 3 else 'MISSED'}")
    print(f"\nDashboard page weight ({args.learners} learners, {args.events:,} events)")
    print(f"  {'HTTP requests':<28}{weight['requests']:>10,}")
    print(f"  {'HTTP bytes as served':<28}{weight['wire'] / 1e6:>9.2f} MB")
    print(f"  {'HTTP bytes gzipped':<28}{weight['gzipped'] / 1e6:>9.2f} MB")
    print(f"  {'WebSocket payloads':<28}{weight['websocket'] / 1e6:>9.2f} MB")
    print("\nOffline mid-burst (three runs on Slow 3G, offline while their events are on the way)")
    lost = "nothing lost" if stored == len(burst) else "LOST"
    print(f"  attempts {len(burst)}, waiting when offline {waiting}, stored once {stored}: {lost}")


if __name__ == "__main__":
    main()
