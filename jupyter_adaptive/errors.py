"""Exceptions shared by the domain modules.

Domain code raises these; ``routes.py`` maps them to one HTTP status with a JSON body, and the CLI
to one line on stderr with a non-zero exit code.
"""

from __future__ import annotations

__all__ = ["AdaptiveError", "ConsentRefusedError", "InvalidRequestError", "NotFoundError"]


class AdaptiveError(Exception):
    """Base class: its message is one clear sentence meant for the person who caused it."""

    def __init__(self, message: str, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []


class InvalidRequestError(AdaptiveError):
    """The input (an event, a request body, a file) does not have the expected shape."""


class ConsentRefusedError(AdaptiveError):
    """The learner's consent level for the course does not allow recording."""


class NotFoundError(AdaptiveError):
    """A course, skill, learner or item named in the request does not exist."""
