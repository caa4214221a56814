"""A learner's Jupyter server on JupyterHub: it holds no store, no secret and no database URL, and
relays its REST API (``/adaptive/api/<endpoint>``) to the central service, authenticated with the
server's own Hub token. The service asks the Hub whose token it is, so the learner is the server's
owner as the Hub knows them, whatever the request says.

When the service is down, requests answer 503 and the browser's outbox keeps the events and
retries: nothing is lost.
"""

from __future__ import annotations

import tornado.web
from jupyter_server.auth.decorator import authorized

from .routes import JSONAPIHandler
from .service_client import ServiceClient, ServiceUnavailableError
from .translation import _

__all__ = ["forwarding_handlers"]

#: Statuses relayed as they are; anything else from the service (a proxy error page) is a 503.
_RELAYED = {200, 400, 403, 404, 409, 413}


class ForwardingHandler(JSONAPIHandler):
    """``/adaptive/api/<endpoint>``: the same request, sent on to the service."""

    @property
    def service(self) -> ServiceClient:
        client: ServiceClient = self.settings["jupyter_adaptive_service"]
        return client

    async def _forward(self, endpoint: str) -> None:
        owner = self.settings.get("jupyter_adaptive_owner")
        if owner and self.username != owner:
            # The service would record this visitor's work as the owner's.
            raise tornado.web.HTTPError(
                403, f"Only {owner} records adaptive learning on this server."
            )
        sent = self.request_body() if self.request.method in ("POST", "PUT") else None
        try:
            status, body = await self.service.request(
                self.request.method or "GET",
                endpoint,
                self.request.query,
                sent,
                language=self.request.headers.get("Accept-Language"),
            )
        except ServiceUnavailableError as exc:
            self.log.warning("jupyter_adaptive: %s", exc.message)
            raise tornado.web.HTTPError(
                503,
                _(
                    "The adaptive learning service is not reachable; your work waits and is sent "
                    "when it is back."
                ),
            ) from exc
        if status not in _RELAYED:
            self.log.warning("jupyter_adaptive: the service answered %d to %s", status, endpoint)
            raise tornado.web.HTTPError(
                503,
                _(
                    "The adaptive learning service answered {status}; try again later.",
                    status=status,
                ),
            )
        self.set_status(status)
        self.finish_json(body)

    @tornado.web.authenticated
    @authorized
    async def get(self, endpoint: str) -> None:
        await self._forward(endpoint)

    @tornado.web.authenticated
    @authorized
    async def post(self, endpoint: str) -> None:
        await self._forward(endpoint)

    @tornado.web.authenticated
    @authorized
    async def put(self, endpoint: str) -> None:
        await self._forward(endpoint)

    @tornado.web.authenticated
    @authorized
    async def delete(self, endpoint: str) -> None:
        await self._forward(endpoint)


class DashboardRedirectHandler(JSONAPIHandler):
    """``/adaptive/dashboard``: the dashboard lives in the service (teachers only)."""

    @tornado.web.authenticated
    @authorized
    def get(self) -> None:
        client: ServiceClient = self.settings["jupyter_adaptive_service"]
        self.redirect(client.public_path + "dashboard")


def forwarding_handlers() -> list[tuple[str, type[JSONAPIHandler]]]:
    """The routes of a forwarding server."""
    return [
        (r"/adaptive/api/([a-z-]+)", ForwardingHandler),
        (r"/adaptive/dashboard", DashboardRedirectHandler),
    ]
