"""A client that sends N attempt events in small batches, retrying until each batch is taken.

Connection failures and 5xx answers are retried with backoff; a 4xx answer is final (exit 1).
Run as ``python -m tests.routes.durability_client URL TOKEN N``; exits 0 once every batch got a 200.
"""

from __future__ import annotations

import json
import sys
import time

from tests.fixtures.api import attempt_event
from tests.fixtures.http import send

BATCH = 10


def main(url: str, token: str, count: int) -> int:
    # Skills of the demo course: a server that has the course refuses others.
    events = [
        attempt_event(item=f"item_{i % 7}", attempt=1 + i // 7, skills=["py-values-types"])
        for i in range(count)
    ]
    for start in range(0, count, BATCH):
        data = json.dumps({"events": events[start : start + BATCH]}).encode()
        delay = 0.05
        while True:
            try:
                status, _ = send(url, token, "POST", "/adaptive/api/events", data, timeout=5)
            except OSError:
                status = 0
            if status == 200:
                break
            if 400 <= status < 500:
                print(f"batch at {start} refused with {status}", file=sys.stderr)
                return 1
            time.sleep(delay)
            delay = min(delay * 2, 1.0)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
