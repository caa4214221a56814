"""Calls to the LMS's LTI Advantage services: Names and Role Provisioning (the course roster) and
Assignment and Grade Services (line items and scores).

The access token comes from the platform's OAuth 2 token endpoint by the client-credentials grant,
the tool authenticating with a JWT signed by its private key (RFC 7523 ``private_key_jwt``, as the
LTI Security Framework asks): Authlib signs that assertion (``private_key_jwt_sign``: issuer,
subject, audience, unique ``jti``, expiry). The requests are tornado's, as every other HTTP call
of ours; the two services are plain JSON over HTTP with the media types their specifications name.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from authlib.oauth2.rfc7523 import private_key_jwt_sign
from joserfc.jwk import RSAKey
from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest
from tornado.httputil import url_concat

from ..errors import AdaptiveError

__all__ = ["LINEITEM_SCOPE", "NRPS_SCOPE", "SCORE_SCOPE", "PlatformClient", "PlatformError"]

NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
LINEITEM_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"

_MEMBERSHIPS = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
_LINEITEMS = "application/vnd.ims.lis.v2.lineitemcontainer+json"
_LINEITEM = "application/vnd.ims.lis.v2.lineitem+json"
_SCORE = "application/vnd.ims.lis.v1.score+json"
_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
_NEXT_LINK = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')


class PlatformError(AdaptiveError):
    """The LMS refused a request or could not be reached."""


def scores_url(line_item_url: str) -> str:
    """A line item's scores endpoint: ``/scores`` appended to its path (AGS 2.0, 3.4)."""
    parts = urlsplit(line_item_url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "/scores"))


class PlatformClient:
    """One LMS, as the tool ``client_id`` registered there.

    Parameters
    ----------
    client_id
        The tool's client id on the platform (the same as the Hub's).
    token_url
        The platform's OAuth 2 token endpoint.
    key
        The tool's private key (:func:`~jupyter_adaptive.lti.tool_key.load_or_create_tool_key`).
    scopes
        The scopes to ask for.
    audience
        The ``aud`` of the tool's JWT: the token endpoint unless the platform names another.
    """

    def __init__(
        self,
        client_id: str,
        token_url: str,
        key: RSAKey,
        scopes: Iterable[str],
        audience: str = "",
        timeout: float = 30.0,
    ) -> None:
        self.client_id = client_id
        self.token_url = token_url
        self.key = key
        self.scopes = " ".join(sorted(set(scopes)))
        self.audience = audience or token_url
        self.timeout = timeout
        self._token = ""

    async def _fetch(self, request: HTTPRequest) -> Any:
        try:
            answer = await AsyncHTTPClient().fetch(request, raise_error=False)
        except (OSError, HTTPClientError) as exc:
            raise PlatformError(f"The LMS could not be reached at {request.url} ({exc}).") from exc
        if answer.code >= 400:
            text = answer.body.decode("utf-8", "replace")[:300] if answer.body else ""
            raise PlatformError(
                f"The LMS answered {answer.code} to {request.method} {request.url}: {text}"
            )
        return answer

    async def access_token(self) -> str:
        """An access token for the scopes (asked once per client)."""
        if not self._token:
            assertion = private_key_jwt_sign(
                self.key, self.client_id, self.audience, header={"kid": self.key.kid}
            )
            body = urlencode(
                {
                    "grant_type": "client_credentials",
                    "client_assertion_type": _ASSERTION_TYPE,
                    "client_assertion": assertion,
                    "scope": self.scopes,
                }
            )
            answer = await self._fetch(
                HTTPRequest(self.token_url, "POST", body=body, request_timeout=self.timeout)
            )
            self._token = str(json.loads(answer.body)["access_token"])
        return self._token

    async def _call(
        self, method: str, url: str, accept: str, body: Any = None, content_type: str = ""
    ) -> Any:
        headers = {"Accept": accept, "Authorization": f"Bearer {await self.access_token()}"}
        if body is not None:
            headers["Content-Type"] = content_type
        return await self._fetch(
            HTTPRequest(
                url,
                method,
                headers=headers,
                body=None if body is None else json.dumps(body),
                request_timeout=self.timeout,
            )
        )

    async def members(self, memberships_url: str) -> list[dict[str, Any]]:
        """Every member of the context, following the service's ``next`` pages."""
        found: list[dict[str, Any]] = []
        url: str | None = memberships_url
        while url:
            answer = await self._call("GET", url, _MEMBERSHIPS)
            found.extend(json.loads(answer.body).get("members", []))
            following = _NEXT_LINK.search(answer.headers.get("Link", ""))
            url = following.group(1) if following else None
        return found

    async def find_line_item(self, lineitems_url: str, resource_id: str) -> dict[str, Any] | None:
        """The context's line item for ``resource_id`` (ours: tagged ``jupyter-adaptive``)."""
        query = {"resource_id": resource_id, "tag": "jupyter-adaptive"}
        answer = await self._call("GET", url_concat(lineitems_url, query), _LINEITEMS)
        items = [item for item in json.loads(answer.body) if item.get("resourceId") == resource_id]
        return items[0] if items else None

    async def save_line_item(
        self, lineitems_url: str, resource_id: str, label: str, maximum: float, url: str = ""
    ) -> str:
        """Create the line item (no ``url``) or update it; return its URL."""
        body = {
            "label": label,
            "scoreMaximum": maximum,
            "resourceId": resource_id,
            "tag": "jupyter-adaptive",
        }
        if url:
            await self._call("PUT", url, _LINEITEM, {**body, "id": url}, _LINEITEM)
            return url
        answer = await self._call("POST", lineitems_url, _LINEITEM, body, _LINEITEM)
        return str(json.loads(answer.body)["id"])

    async def post_score(
        self,
        line_item_url: str,
        user_id: str,
        score: tuple[float, float, str],
        timestamp: str,
    ) -> None:
        """Post one learner's score (given, maximum, comment) to a line item, as final
        (``Completed``, ``FullyGraded``)."""
        given, maximum, comment = score
        body = {
            "userId": user_id,
            "scoreGiven": given,
            "scoreMaximum": maximum,
            "comment": comment,
            "timestamp": timestamp,
            "activityProgress": "Completed",
            "gradingProgress": "FullyGraded",
        }
        await self._call("POST", scores_url(line_item_url), "application/json", body, _SCORE)
