"""Who may open the standalone dashboard: whoever holds its token, nobody else.

Jupyter would offer a login page to a request without the token; the dashboard refuses it with
403, like the teacher-only REST endpoints.
"""

from __future__ import annotations

from jupyter_server.auth.identity import IdentityProvider, User
from tornado import web

__all__ = ["TokenOnlyIdentityProvider"]


class TokenOnlyIdentityProvider(IdentityProvider):
    """Authenticates by the token (in the URL, then in the cookie it sets); 403 otherwise."""

    async def get_user(self, handler: web.RequestHandler) -> User | None:
        """The token's user; a request without a valid token is refused."""
        user = await self._get_user(handler)
        if user is None:
            raise web.HTTPError(403, "The dashboard needs its token.")
        return user
