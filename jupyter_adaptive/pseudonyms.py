"""Learner pseudonyms: an HMAC of the server identity with a per-deployment secret.

The store never sees a user name; the same user always maps to the same pseudonym in one deployment,
and nobody without the secret can map a pseudonym back.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import tempfile
from collections.abc import Callable
from pathlib import Path

from .errors import NotFoundError

__all__ = ["create_private_file", "load_or_create_secret", "load_secret", "pseudonym"]

_SECRET_BYTES = 32


def create_private_file(path: Path, content: Callable[[], bytes]) -> None:
    """Create ``path`` (mode 0600) holding ``content()``, unless it exists already.

    Written whole to a private temporary file, then linked into place: nobody ever reads a
    half-written secret, and of two processes starting at once the first link wins.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        return
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content())
            handle.flush()
            os.fsync(handle.fileno())
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        os.unlink(temporary)


def load_or_create_secret(path: Path) -> bytes:
    """Read the deployment's secret, creating it (mode 0600) on first use."""
    create_private_file(path, lambda: secrets.token_hex(_SECRET_BYTES).encode())
    return load_secret(path)


def load_secret(path: Path) -> bytes:
    """Read the deployment's existing secret (tools that must use the server's, never a new one).

    Raises
    ------
    NotFoundError
        When there is no secret at ``path``.
    ValueError
        When the secret there is too short, or others than its owner can read or change it.
    """
    try:
        mode = path.stat().st_mode
        secret = path.read_bytes().strip()
    except FileNotFoundError as exc:
        raise NotFoundError(
            f"No pseudonym secret at {path}: give the server's own (--secret-file, or "
            "c.AdaptiveApp.secret_file in the Jupyter configuration); a new one would store "
            "learners under pseudonyms the server does not know."
        ) from exc
    if len(secret) < _SECRET_BYTES:
        raise ValueError(f"The pseudonym secret in {path} is too short; delete it to renew it.")
    if mode & 0o077:
        raise ValueError(
            f"The pseudonym secret in {path} is open to other users (mode {mode & 0o777:o}): "
            f"`chmod 600 {path}`, and renew it if others may have read it."
        )
    return secret


def pseudonym(secret: bytes, identity: str) -> str:
    """The learner id stored for a server identity (64 hex characters)."""
    return hmac.new(secret, identity.encode("utf-8"), hashlib.sha256).hexdigest()
