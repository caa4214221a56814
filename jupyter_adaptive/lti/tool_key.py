"""The tool's signing key: the private half signs the JWT with which the service asks the LMS for
an access token (OAuth 2 client credentials, LTI Security Framework); the public half is published
as a JSON Web Key Set at ``/services/adaptive/lti/jwks`` for the LMS to check those signatures.

The key is an RSA key in a PEM file, created (mode 0600) on first use like the pseudonym secret;
its ``kid`` is its RFC 7638 thumbprint, so a new key is a new ``kid``.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from joserfc.jwk import KeyParameters, RSAKey

__all__ = ["jwks", "load_or_create_tool_key"]

_PARAMETERS: KeyParameters = {"use": "sig", "alg": "RS256"}


def load_or_create_tool_key(path: Path) -> RSAKey:
    """The tool's private key from ``path``, created there first if there is none."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        # Written whole to a private file, then linked into place: nobody reads half a key, and of
        # two processes starting at once the first link wins.
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(RSAKey.generate_key(2048).as_pem(private=True))
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    key = RSAKey.import_key(path.read_bytes(), parameters=_PARAMETERS)
    key.ensure_kid()
    return key


def jwks(key: RSAKey) -> dict[str, Any]:
    """The public JSON Web Key Set of ``key``."""
    return {"keys": [key.as_dict(private=False)]}
