"""The launches the Hub keeps: each Hub user's latest LTI launch (their ``auth_state``), asked of
the Hub with the service's own token (scopes ``list:users`` and ``admin:auth_state``).

From them the service learns a course's LTI service endpoints (from its latest launch) and its
learners' subgroup claims. A learner's ``auth_state`` is their latest launch from any course, so
their subgroups in a course are those of their latest launch from it, when it is still the one
kept.
"""

from __future__ import annotations

import json

from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.httputil import url_concat

from ..errors import AdaptiveError
from .launch import Launch

__all__ = ["hub_launches"]

_PAGE = 200


async def hub_launches(api_url: str, token: str, course: str | None = None) -> list[Launch]:
    """The latest launch of every Hub user who has one (into ``course`` only, when given)."""
    launches = []
    offset: int | None = 0
    while offset is not None:
        request = HTTPRequest(
            url_concat(f"{api_url.rstrip('/')}/users", {"offset": str(offset), "limit": str(_PAGE)}),
            headers={
                "Authorization": f"token {token}",
                "Accept": "application/jupyterhub-pagination+json",
            },
            request_timeout=30.0,
        )
        response = await AsyncHTTPClient().fetch(request, raise_error=False)
        if response.code != 200:
            raise AdaptiveError(
                f"The Hub did not list its users' launches ({response.code}): the service's "
                "role needs the scopes list:users and admin:auth_state."
            )
        page = json.loads(response.body)
        for user in page["items"]:
            if user.get("auth_state"):
                launch = Launch.from_claims(user["auth_state"])
                if launch.course is not None and course in (None, launch.course):
                    launches.append(launch)
        following = page["_pagination"].get("next")
        offset = following["offset"] if following else None
    return launches
