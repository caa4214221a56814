"""Talking to the central ``jupyter-adaptive service`` from elsewhere: a learner's Jupyter server
(forwarding its REST API) and the command line (``grading import --service``).

Requests carry a token (the server's Hub API token, or a user's); the service asks the Hub whose
it is. Nothing else identifies the learner.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlparse

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest

from .errors import AdaptiveError

__all__ = ["ServiceClient", "ServiceUnavailableError"]


class ServiceUnavailableError(AdaptiveError):
    """The service could not be reached or did not answer in time."""


class ServiceClient:
    """Calls ``<service_url>api/<endpoint>`` with a token.

    Parameters
    ----------
    service_url
        The service's base URL, e.g. ``http://127.0.0.1:10101/services/adaptive/``.
    token
        Sent as ``Authorization: token <token>``.
    timeout
        Seconds before a request counts as failed (the browser keeps what it sent and retries).
    """

    def __init__(self, service_url: str, token: str, timeout: float = 20.0) -> None:
        self.base_url = service_url if service_url.endswith("/") else service_url + "/"
        self.token = token
        self.timeout = timeout

    @property
    def public_path(self) -> str:
        """The service's path, as the Hub's proxy routes it (``/services/adaptive/``)."""
        return urlparse(self.base_url).path

    async def request(
        self,
        method: str,
        endpoint: str,
        query: str = "",
        body: bytes | None = None,
        *,
        language: str | None = None,
    ) -> tuple[int, bytes]:
        """Send one request; return the service's status and body, whatever the status.

        ``language`` is the learner's ``Accept-Language``: the service answers in it.

        Raises
        ------
        ServiceUnavailableError
            When the service cannot be reached (refused, reset, timed out).
        """
        url = f"{self.base_url}api/{endpoint}" + (f"?{query}" if query else "")
        headers = {"Authorization": f"token {self.token}", "Content-Type": "application/json"}
        if language:
            headers["Accept-Language"] = language
        request = HTTPRequest(
            url,
            method=method,
            body=body if body is not None or method not in ("POST", "PUT") else b"",
            headers=headers,
            request_timeout=self.timeout,
            connect_timeout=min(self.timeout, 5.0),
            follow_redirects=False,
        )
        try:
            response = await AsyncHTTPClient().fetch(request, raise_error=False)
        except (OSError, HTTPClientError) as exc:
            raise ServiceUnavailableError(
                f"The adaptive service at {self.base_url} cannot be reached ({exc})."
            ) from exc
        if response.code == 599:
            raise ServiceUnavailableError(
                f"The adaptive service at {self.base_url} did not answer ({response.error})."
            )
        return response.code, response.body or b""

    async def call(self, method: str, endpoint: str, payload: Any = None) -> Any:
        """Send JSON, return the decoded answer.

        Raises
        ------
        AdaptiveError
            With the service's own error sentence when it answers an error.
        """
        body = None if payload is None else json.dumps(payload).encode()
        status, raw = await self.request(method, endpoint, body=body)
        try:
            answer = json.loads(raw) if raw else None
        except ValueError:
            answer = None
        if status >= 400:
            error = answer.get("error") if isinstance(answer, dict) else None
            shown = error or raw[:200].decode(errors="replace")
            raise AdaptiveError(f"The adaptive service answered {status}: {shown}")
        return answer
