"""The launches the Hub keeps: each Hub user's latest LTI launch (their ``auth_state``), asked of
the Hub with the service's own token (scopes ``list:users`` and ``admin:auth_state``).

From them the service learns a course's LTI service endpoints (from its latest launch) and its
learners' subgroup claims. A learner's ``auth_state`` is their latest launch from any course, so
their subgroups in a course are those of their latest launch from it, when it is still the one
kept.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any
from urllib.parse import quote

from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.httputil import url_concat

from ..errors import AdaptiveError
from .launch import Launch

__all__ = ["hub_launches"]

_PAGE = 200
#: Users whose launch is asked for at once.
_AT_ONCE = 10


async def _get(url: str, token: str, **headers: str) -> dict[str, Any]:
    request = HTTPRequest(
        url, headers={"Authorization": f"token {token}", **headers}, request_timeout=30.0
    )
    response = await AsyncHTTPClient().fetch(request, raise_error=False)
    if response.code != 200:
        raise AdaptiveError(
            f"The Hub did not show its users' launches ({response.code}): the service's role "
            "needs the scopes list:users and admin:auth_state."
        )
    answer: dict[str, Any] = json.loads(response.body)
    return answer


async def hub_launches(api_url: str, token: str, course: str | None = None) -> list[Launch]:
    """The latest launch of every Hub user who has one (into ``course`` only, when given).

    The Hub lists users without their ``auth_state``; each user's own model has it.
    """
    base = api_url.rstrip("/")
    names: list[str] = []
    offset: int | None = 0
    while offset is not None:
        page = await _get(
            url_concat(f"{base}/users", {"offset": str(offset), "limit": str(_PAGE)}),
            token,
            Accept="application/jupyterhub-pagination+json",
        )
        names.extend(user["name"] for user in page["items"])
        following = page["_pagination"].get("next")
        offset = following["offset"] if following else None
    launches = []
    for start in range(0, len(names), _AT_ONCE):
        models = await asyncio.gather(
            *(
                _get(f"{base}/users/{quote(name, safe='')}", token)
                for name in names[start : start + _AT_ONCE]
            )
        )
        for model in models:
            if model.get("auth_state"):
                launch = Launch.from_claims(model["auth_state"])
                if launch.course is not None and course in (None, launch.course):
                    launches.append(launch)
    return launches
