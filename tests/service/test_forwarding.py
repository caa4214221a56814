"""A learner's server that forwards to the service holds nothing itself and answers 503 (so the
browser keeps its events) while the service is down."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import tornado.web

from jupyter_adaptive.app import AdaptiveContext
from jupyter_adaptive.service_client import ServiceClient
from tests.fixtures.api import attempt_event
from tests.fixtures.servers import free_port


@pytest.fixture
def jp_server_config(tmp_path: Path) -> dict[str, Any]:
    """The extension forwarding to a service that nobody runs."""
    return {
        "ServerApp": {"jpserver_extensions": {"jupyter_adaptive": True}},
        "AdaptiveApp": {
            "service_url": f"http://127.0.0.1:{free_port()}/services/adaptive/",
            "service_token": "server-token",
            "db_url": f"sqlite:///{tmp_path / 'must-not-exist.sqlite'}",
            "secret_file": str(tmp_path / "must-not-exist-secret"),
        },
    }


async def test_a_dead_service_answers_503_and_nothing_is_stored_here(
    jp_fetch: Any, jp_serverapp: Any, tmp_path: Path
) -> None:
    response = await jp_fetch(
        "adaptive",
        "api",
        "events",
        method="POST",
        body=json.dumps({"events": [attempt_event()]}),
        raise_error=False,
    )
    assert response.code == 503
    assert "not reachable" in json.loads(response.body)["error"]
    assert not isinstance(jp_serverapp.web_app.settings["jupyter_adaptive"], AdaptiveContext)
    assert not (tmp_path / "must-not-exist.sqlite").exists()
    assert not (tmp_path / "must-not-exist-secret").exists()


async def test_the_dashboard_is_the_services(jp_fetch: Any) -> None:
    response = await jp_fetch("adaptive", "dashboard", follow_redirects=False, raise_error=False)
    assert response.code == 302
    assert response.headers["Location"] == "/services/adaptive/dashboard"


async def test_a_dead_service_is_explained_in_the_learner_language(jp_fetch: Any) -> None:
    response = await jp_fetch(
        "adaptive",
        "api",
        "mastery",
        headers={"Accept-Language": "es-ES"},
        raise_error=False,
    )
    assert response.code == 503
    assert json.loads(response.body)["error"].startswith(
        "No se puede contactar con el servicio de aprendizaje adaptativo"
    )


async def test_the_learner_language_goes_on_to_the_service(
    jp_fetch: Any, jp_serverapp: Any
) -> None:
    seen: list[str | None] = []

    class Service(tornado.web.RequestHandler):
        def get(self) -> None:
            seen.append(self.request.headers.get("Accept-Language"))
            self.write({"mastery": [], "evidence": []})

    service: ServiceClient = jp_serverapp.web_app.settings["jupyter_adaptive_service"]
    port = urlparse(service.base_url).port
    server = tornado.web.Application([(r"/services/adaptive/api/mastery", Service)]).listen(
        port, "127.0.0.1"
    )
    try:
        spanish = await jp_fetch("adaptive", "api", "mastery", headers={"Accept-Language": "es"})
        plain = await jp_fetch("adaptive", "api", "mastery")
    finally:
        server.stop()
    assert (spanish.code, plain.code) == (200, 200)
    assert seen == ["es", None]


async def test_the_relay_unzips_what_it_forwards_and_zips_what_it_answers(
    jp_fetch: Any, jp_serverapp: Any
) -> None:
    seen: list[tuple[bytes, str]] = []
    results = {"results": [{"event_id": "e", "status": "stored", "evidence": ["x" * 300]}]}

    class Service(tornado.web.RequestHandler):
        def post(self) -> None:
            seen.append((self.request.body, self.request.query))
            self.write(results)

    service: ServiceClient = jp_serverapp.web_app.settings["jupyter_adaptive_service"]
    port = urlparse(service.base_url).port
    app = tornado.web.Application(
        [(r"/services/adaptive/api/events", Service)], compress_response=True
    )
    server = app.listen(port, "127.0.0.1")
    batch = json.dumps({"events": [attempt_event()]}).encode()
    try:
        response = await jp_fetch(
            "adaptive",
            "api",
            "events",
            method="POST",
            params={"view": "widget"},
            body=gzip.compress(batch),
            headers={
                "Content-Encoding": "gzip",
                "Content-Type": "application/json",
                "Accept-Encoding": "gzip",
            },
            decompress_response=False,
        )
    finally:
        server.stop()
    assert seen == [(batch, "view=widget")]
    assert response.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(response.body)) == results
