"""The tool's signing key: the private half signs the JWT with which the service asks the LMS for
an access token (OAuth 2 client credentials, LTI Security Framework); the public half is published
as a JSON Web Key Set at ``/services/adaptive/lti/jwks`` for the LMS to check those signatures.

The key is an RSA key in a PEM file, created (mode 0600) on first use like the pseudonym secret;
its ``kid`` is its RFC 7638 thumbprint, so a new key is a new ``kid``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from joserfc.jwk import KeyParameters, RSAKey

from ..pseudonyms import create_private_file

__all__ = ["jwks", "load_or_create_tool_key"]

_PARAMETERS: KeyParameters = {"use": "sig", "alg": "RS256"}


def load_or_create_tool_key(path: Path) -> RSAKey:
    """The tool's private key from ``path``, created there first if there is none."""
    create_private_file(path, lambda: RSAKey.generate_key(2048).as_pem(private=True))
    key = RSAKey.import_key(path.read_bytes(), parameters=_PARAMETERS)
    key.ensure_kid()
    return key


def jwks(key: RSAKey) -> dict[str, Any]:
    """The public JSON Web Key Set of ``key``."""
    return {"keys": [key.as_dict(private=False)]}
