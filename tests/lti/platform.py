"""A small LTI 1.3 platform (an LMS's side) for tests, following the specifications:

- OIDC third-party login: ``GET /auth`` answers the tool's authentication request with a page
  that posts a signed ``id_token`` (RS256, this platform's own key) and the ``state`` back to the
  tool's registered redirect URI (``response_mode=form_post``);
- ``GET /jwks``: the platform's public keys;
- ``POST /token``: OAuth 2 client credentials, the tool authenticated by a JWT assertion checked
  against the tool's own JWKS URL (RFC 7523);
- ``GET /nrps/<context>``: Names and Role Provisioning Services 2.0 membership, two members a page
  (``Link: rel="next"``);
- ``/ags/<context>/lineitems``: Assignment and Grade Services 2.0 line items (GET filtered by
  ``resource_id``, POST, PUT) and their ``/scores`` (POST).

Every service request is recorded (``requests``, ``scores``) for the tests to read. Launches are
registered beforehand (:meth:`Platform.add_launch`); the ``lti_message_hint`` names one.
"""

from __future__ import annotations

import asyncio
import html
import json
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import jwt
import tornado.httpserver
import tornado.web
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.fixtures.servers import free_port

__all__ = ["LaunchSpec", "Platform"]

_LTI = "https://purl.imsglobal.org/spec/lti/claim/"
_ROLE = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
AGS_SCOPES = [
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
    "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/score",
]


@dataclass
class LaunchSpec:
    """One launch the platform will make: who, in which context, with what."""

    user_id: str
    role: str = "Learner"
    context: str = "ctx-1"
    label: str = "data-science-foundations"
    target_link_uri: str = ""
    custom: dict[str, str] = field(default_factory=dict)
    #: Signed with a key the platform does not publish.
    forged: bool = False
    #: Issued and expired an hour ago.
    expired: bool = False


def _key() -> tuple[Any, dict[str, Any]]:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(private.public_key()))
    return private, public


class Platform:
    """The platform, served on 127.0.0.1 from a thread of its own."""

    client_id = "jupyter-adaptive-tool"
    deployment_id = "deployment-1"

    def __init__(self) -> None:
        self.port = free_port()
        self.kid = "platform-key-1"
        self.key, public = _key()
        self.jwks = {"keys": [{**public, "kid": self.kid, "alg": "RS256", "use": "sig"}]}
        self.foreign_key, _ = _key()
        self.launches: dict[str, LaunchSpec] = {}
        #: context -> NRPS members (``user_id``, ``roles``, ``status``).
        self.members: dict[str, list[dict[str, Any]]] = {}
        #: context -> line item URL -> line item.
        self.line_items: dict[str, dict[str, dict[str, Any]]] = {}
        self.scores: list[dict[str, Any]] = []
        self.requests: list[tuple[str, str]] = []
        self.tokens: dict[str, set[str]] = {}
        #: Where the tool publishes its keys, or (``tool_jwks``) the keys an admin pasted.
        self.tool_jwks_url = ""
        self.tool_jwks: dict[str, Any] | None = None
        self.redirect_uri = ""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: tornado.httpserver.HTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def issuer(self) -> str:
        return self.url

    def hub_env(self) -> dict[str, str]:
        """The Hub's LTI settings for this platform."""
        return {
            "ADAPTIVE_HUB_LTI": "1",
            "ADAPTIVE_LTI_ISSUER": self.issuer,
            "ADAPTIVE_LTI_CLIENT_ID": self.client_id,
            "ADAPTIVE_LTI_LOGIN_URL": f"{self.url}/auth",
            "ADAPTIVE_LTI_JWKS_URL": f"{self.url}/jwks",
            "ADAPTIVE_LTI_TOKEN_URL": f"{self.url}/token",
        }

    def add_launch(self, spec: LaunchSpec) -> str:
        """Register a launch; its ``lti_message_hint``."""
        hint = uuid.uuid4().hex
        self.launches[hint] = spec
        return hint

    def id_token(self, spec: LaunchSpec, nonce: str) -> str:
        """The signed id_token of a launch."""
        now = int(time.time()) - (3600 if spec.expired else 0)
        context_url = f"{self.url}/nrps/{spec.context}"
        claims = {
            "iss": self.issuer,
            "aud": self.client_id,
            "sub": spec.user_id,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            _LTI + "message_type": "LtiResourceLinkRequest",
            _LTI + "version": "1.3.0",
            _LTI + "deployment_id": self.deployment_id,
            _LTI + "target_link_uri": spec.target_link_uri,
            _LTI + "resource_link": {"id": f"link-{spec.context}"},
            _LTI + "roles": [_ROLE + spec.role],
            _LTI + "context": {"id": spec.context, "label": spec.label, "title": "A course"},
            _LTI + "custom": spec.custom,
            "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice": {
                "context_memberships_url": context_url,
                "service_versions": ["2.0"],
            },
            "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint": {
                "scope": AGS_SCOPES,
                "lineitems": f"{self.url}/ags/{spec.context}/lineitems",
            },
        }
        key = self.foreign_key if spec.forged else self.key
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": self.kid})

    def start(self) -> Platform:
        """Serve from a daemon thread; return once listening."""
        ready = threading.Event()

        def serve() -> None:
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            self._server = tornado.httpserver.HTTPServer(self.app())
            self._server.listen(self.port, "127.0.0.1")
            self._loop = loop
            ready.set()
            loop.run_forever()

        threading.Thread(target=serve, daemon=True).start()
        ready.wait(10)
        return self

    def stop(self) -> None:
        """Stop serving."""
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)

    def app(self) -> tornado.web.Application:
        """The platform's endpoints."""
        return tornado.web.Application(
            [
                (r"/auth", _AuthHandler, {"platform": self}),
                (r"/jwks", _JWKSHandler, {"platform": self}),
                (r"/token", _TokenHandler, {"platform": self}),
                (r"/nrps/([^/]+)", _MembershipHandler, {"platform": self}),
                (r"/ags/([^/]+)/lineitems", _LineItemsHandler, {"platform": self}),
                (r"/ags/([^/]+)/lineitems/([^/]+)", _LineItemHandler, {"platform": self}),
                (r"/ags/([^/]+)/lineitems/([^/]+)/scores", _ScoresHandler, {"platform": self}),
            ]
        )


class _Handler(tornado.web.RequestHandler):
    def initialize(self, platform: Platform) -> None:
        self.platform = platform

    def prepare(self) -> None:
        self.platform.requests.append((self.request.method or "", self.request.uri or ""))

    def authorize(self, scope: str, media_type: str = "") -> None:
        """A bearer token granted ``scope`` (and the body of the media type)."""
        token = self.request.headers.get("Authorization", "").removeprefix("Bearer ")
        if scope not in self.platform.tokens.get(token, set()):
            raise tornado.web.HTTPError(401, "no token with scope %s", scope)
        if media_type and self.request.headers.get("Content-Type") != media_type:
            raise tornado.web.HTTPError(415)

    def reply(self, data: Any, media_type: str, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", media_type)
        self.finish(json.dumps(data))


class _AuthHandler(_Handler):
    """The OIDC authentication request: answered with the id_token posted to the tool."""

    def get(self) -> None:
        args = {name: self.get_argument(name) for name in self.request.arguments}
        spec = self.platform.launches.get(args.get("lti_message_hint", ""))
        if (
            spec is None
            or args.get("client_id") != self.platform.client_id
            or args.get("response_type") != "id_token"
            or args.get("scope") != "openid"
            or args.get("login_hint") != spec.user_id
            or not args.get("nonce")
        ):
            raise tornado.web.HTTPError(400, "not an authentication request of a known launch")
        if self.platform.redirect_uri and args["redirect_uri"] != self.platform.redirect_uri:
            raise tornado.web.HTTPError(400, "redirect_uri is not the tool's")
        fields = {"id_token": self.platform.id_token(spec, args["nonce"]), "state": args["state"]}
        inputs = "".join(
            f'<input type="hidden" name="{name}" value="{html.escape(value)}">'
            for name, value in fields.items()
        )
        self.finish(
            f'<form method="post" action="{html.escape(args["redirect_uri"])}">{inputs}</form>'
        )


class _JWKSHandler(_Handler):
    def get(self) -> None:
        self.reply(self.platform.jwks, "application/json")


class _TokenHandler(_Handler):
    """Client credentials with the tool's signed JWT (RFC 7523), checked against its JWKS."""

    def post(self) -> None:
        form = {name: self.get_body_argument(name, "") for name in self.request.body_arguments}
        if (
            form.get("grant_type") != "client_credentials"
            or form.get("client_assertion_type")
            != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
        ):
            raise tornado.web.HTTPError(400, "not a client credentials grant with a JWT")
        assertion = form.get("client_assertion", "")
        try:
            if self.platform.tool_jwks is not None:
                kid = jwt.get_unverified_header(assertion).get("kid")
                key = jwt.PyJWKSet.from_dict(self.platform.tool_jwks)[kid]
            else:
                key = jwt.PyJWKClient(self.platform.tool_jwks_url).get_signing_key_from_jwt(
                    assertion
                )
            claims = jwt.decode(
                assertion,
                key.key,
                algorithms=["RS256"],
                audience=f"{self.platform.url}/token",
                issuer=self.platform.client_id,
                options={"require": ["exp", "iat", "jti", "sub"]},
            )
        except (jwt.PyJWTError, KeyError) as exc:
            raise tornado.web.HTTPError(401, "bad client assertion: %s", exc) from exc
        if claims["sub"] != self.platform.client_id:
            raise tornado.web.HTTPError(401, "the assertion's subject is not the client")
        granted = set(form.get("scope", "").split()) & {NRPS_SCOPE, *AGS_SCOPES}
        token = secrets.token_hex(16)
        self.platform.tokens[token] = granted
        self.reply(
            {
                "access_token": token,
                "token_type": "Bearer",
                "expires_in": 3600,
                "scope": " ".join(sorted(granted)),
            },
            "application/json",
        )


class _MembershipHandler(_Handler):
    def get(self, context: str) -> None:
        self.authorize(NRPS_SCOPE)
        members = self.platform.members.get(context, [])
        page = int(self.get_argument("page", "0"))
        if 2 * (page + 1) < len(members):
            following = f"{self.platform.url}/nrps/{context}?{urlencode({'page': page + 1})}"
            self.set_header("Link", f'<{following}>; rel="next"')
        self.reply(
            {
                "id": self.request.full_url(),
                "context": {"id": context},
                "members": members[2 * page : 2 * page + 2],
            },
            "application/vnd.ims.lti-nrps.v2.membershipcontainer+json",
        )


class _LineItemsHandler(_Handler):
    def get(self, context: str) -> None:
        self.authorize(AGS_SCOPES[0])
        wanted = self.get_argument("resource_id", None)
        items = [
            item
            for item in self.platform.line_items.get(context, {}).values()
            if wanted is None or item.get("resourceId") == wanted
        ]
        self.reply(items, "application/vnd.ims.lis.v2.lineitemcontainer+json")

    def post(self, context: str) -> None:
        self.authorize(AGS_SCOPES[0], "application/vnd.ims.lis.v2.lineitem+json")
        items = self.platform.line_items.setdefault(context, {})
        url = f"{self.platform.url}/ags/{context}/lineitems/{len(items) + 1}"
        item = {**json.loads(self.request.body), "id": url}
        if "label" not in item or "scoreMaximum" not in item:
            raise tornado.web.HTTPError(400, "a line item needs a label and a scoreMaximum")
        items[url] = item
        self.reply(item, "application/vnd.ims.lis.v2.lineitem+json", 201)


class _LineItemHandler(_Handler):
    def put(self, context: str, number: str) -> None:
        self.authorize(AGS_SCOPES[0], "application/vnd.ims.lis.v2.lineitem+json")
        url = f"{self.platform.url}/ags/{context}/lineitems/{number}"
        items = self.platform.line_items.get(context, {})
        if url not in items:
            raise tornado.web.HTTPError(404)
        items[url] = {**json.loads(self.request.body), "id": url}
        self.reply(items[url], "application/vnd.ims.lis.v2.lineitem+json")


class _ScoresHandler(_Handler):
    def post(self, context: str, number: str) -> None:
        self.authorize(AGS_SCOPES[2], "application/vnd.ims.lis.v1.score+json")
        url = f"{self.platform.url}/ags/{context}/lineitems/{number}"
        if url not in self.platform.line_items.get(context, {}):
            raise tornado.web.HTTPError(404)
        score = json.loads(self.request.body)
        required = {"userId", "scoreGiven", "scoreMaximum", "timestamp", "activityProgress"}
        if not required <= set(score) or "gradingProgress" not in score:
            raise tornado.web.HTTPError(400, "a score needs %s", sorted(required))
        self.platform.scores.append({**score, "lineItem": url})
        self.set_status(204)
        self.finish()
