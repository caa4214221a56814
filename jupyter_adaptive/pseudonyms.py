"""Learner pseudonyms: an HMAC of the server identity with a per-deployment secret.

The store never sees a user name; the same user always maps to the same pseudonym in one deployment,
and nobody without the secret can map a pseudonym back.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from .errors import NotFoundError

__all__ = ["load_or_create_secret", "load_secret", "pseudonym"]

_SECRET_BYTES = 32


def load_or_create_secret(path: Path) -> bytes:
    """Read the deployment's secret, creating it (mode 0600) on first use.

    The file is created with ``O_EXCL``, so two servers starting at once agree on one secret.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return load_secret(path)
    secret = secrets.token_hex(_SECRET_BYTES).encode()
    with os.fdopen(fd, "wb") as handle:
        handle.write(secret)
    return secret


def load_secret(path: Path) -> bytes:
    """Read the deployment's existing secret (tools that must use the server's, never a new one).

    Raises
    ------
    NotFoundError
        When there is no secret at ``path``.
    ValueError
        When the secret there is too short.
    """
    try:
        secret = path.read_bytes().strip()
    except FileNotFoundError as exc:
        raise NotFoundError(
            f"No pseudonym secret at {path}: give the server's own (--secret-file, or "
            "c.AdaptiveApp.secret_file in the Jupyter configuration); a new one would store "
            "learners under pseudonyms the server does not know."
        ) from exc
    if len(secret) < _SECRET_BYTES:
        raise ValueError(f"The pseudonym secret in {path} is too short; delete it to renew it.")
    return secret


def pseudonym(secret: bytes, identity: str) -> str:
    """The learner id stored for a server identity (64 hex characters)."""
    return hmac.new(secret, identity.encode("utf-8"), hashlib.sha256).hexdigest()
