"""A Hub user's groups, asked of the Hub with the service's own token.

The service decides who teaches from these; a learner's server or browser sends nothing that
counts. Answers are cached for a minute, so a class posting answers does not ask the Hub each time,
and a teacher added to a group is one minute away from the dashboard.
"""

from __future__ import annotations

import json
import time
from urllib.parse import quote

from tornado.httpclient import AsyncHTTPClient, HTTPRequest

__all__ = ["HubGroups"]


class HubGroups:
    """``await groups(name)``: the set of the user's groups, or None when the Hub has no such
    user (or cannot be asked: then nobody is a teacher until it can).

    Parameters
    ----------
    api_url
        The Hub's REST API (``$JUPYTERHUB_API_URL``, e.g. ``http://127.0.0.1:8081/hub/api``).
    token
        The service's API token; its role needs ``read:users:groups``.
    ttl
        Seconds an answer is reused.
    """

    def __init__(self, api_url: str, token: str, ttl: float = 60.0) -> None:
        self.api_url = api_url.rstrip("/")
        self.token = token
        self.ttl = ttl
        self._cache: dict[str, tuple[float, set[str] | None]] = {}

    async def __call__(self, username: str) -> set[str] | None:
        now = time.monotonic()
        cached = self._cache.get(username)
        if cached is not None and now - cached[0] < self.ttl:
            return cached[1]
        request = HTTPRequest(
            f"{self.api_url}/users/{quote(username, safe='')}",
            headers={"Authorization": f"token {self.token}"},
            request_timeout=10.0,
        )
        response = await AsyncHTTPClient().fetch(request, raise_error=False)
        if response.code == 200:
            groups: set[str] | None = set(json.loads(response.body).get("groups") or ())
        elif response.code == 404:
            groups = None
        else:
            # Unknown, not cached: the next request asks again.
            return None
        self._cache[username] = (now, groups)
        return groups
