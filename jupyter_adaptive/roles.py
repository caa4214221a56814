"""Who a request's user is to jupyter-adaptive: the learner identity their data are stored under,
and whether they teach a course.

Each host picks one policy at start:

- :class:`OwnerRoles`: a single-user Jupyter server; whoever holds its token or password is its
  owner, the one learner and the teacher.
- :class:`NamedRoles`: a server whose identity provider authenticates many users by name; teachers
  are listed in the configuration.
- :class:`HubRoles`: the Hub service; learners are Hub users, and teachers are the members of the
  Hub groups the deployment names (``instructors`` for every course, nbgrader's
  ``formgrade-<course>`` for one course), looked up in the Hub with the service's own token.

No policy ever takes a learner's identity from the request body: the user name comes from the
host's identity provider (jupyter_server's, or the Hub's).
"""

from __future__ import annotations

import getpass
from collections.abc import Awaitable, Callable, Iterable
from typing import Protocol

__all__ = ["HubRoles", "NamedRoles", "OwnerRoles", "Roles"]


class Roles(Protocol):
    """The policy a host applies to its authenticated users."""

    def identity(self, username: str) -> str:
        """The identity whose pseudonym holds this user's learner data."""
        ...

    async def teaches(self, username: str, course: str | None) -> bool:
        """Whether the user teaches ``course`` (``None``: any course at all)."""
        ...

    async def courses_taught(self, username: str) -> set[str] | None:
        """The courses the user teaches: ``None`` for every course, empty for none."""
        ...


class OwnerRoles:
    """A single-user server: one learner (the account running the server), who also teaches."""

    def __init__(self, owner: str | None = None) -> None:
        self.owner = owner or getpass.getuser()

    def identity(self, username: str) -> str:
        """Every session of the server is its owner's."""
        return self.owner

    async def teaches(self, username: str, course: str | None) -> bool:
        """The owner teaches every course."""
        return True

    async def courses_taught(self, username: str) -> set[str] | None:
        """Every course."""
        return None


class NamedRoles:
    """Many users known by name; ``teachers`` teach every course."""

    def __init__(self, teachers: Iterable[str]) -> None:
        self.teachers = frozenset(teachers)

    def identity(self, username: str) -> str:
        """The authenticated user name."""
        return username

    async def teaches(self, username: str, course: str | None) -> bool:
        """Listed teachers teach every course."""
        return username in self.teachers

    async def courses_taught(self, username: str) -> set[str] | None:
        """Every course for a listed teacher, none otherwise."""
        return None if username in self.teachers else set()


#: Looks up a Hub user's groups (``None`` when the Hub does not know the user).
GroupLookup = Callable[[str], Awaitable[set[str] | None]]


class HubRoles:
    """Hub users; teachers by Hub group membership.

    Parameters
    ----------
    groups_of
        Gives a user's Hub groups (the service asks the Hub with its own token, so nothing the
        learner's server sends can make anyone a teacher).
    teacher_groups
        Groups whose members teach every course (``instructors``).
    course_group
        The per-course group, ``{course}`` standing for the course id (nbgrader's
        ``formgrade-{course}``).
    """

    def __init__(
        self, groups_of: GroupLookup, teacher_groups: Iterable[str], course_group: str
    ) -> None:
        self.groups_of = groups_of
        self.teacher_groups = frozenset(teacher_groups)
        self.course_group = course_group
        prefix, marker, suffix = course_group.partition("{course}")
        self._course_affixes = (prefix, suffix) if marker else None

    def identity(self, username: str) -> str:
        """The Hub user name."""
        return username

    async def teaches(self, username: str, course: str | None) -> bool:
        """Members of a teacher group teach every course; a course group's members teach it."""
        taught = await self.courses_taught(username)
        return taught is None or (bool(taught) if course is None else course in taught)

    async def courses_taught(self, username: str) -> set[str] | None:
        """Every course for a teacher group's member; else the courses of their course groups."""
        groups = await self.groups_of(username) or set()
        if groups & self.teacher_groups:
            return None
        if self._course_affixes is None:
            return set()
        prefix, suffix = self._course_affixes
        return {
            group[len(prefix) : len(group) - len(suffix)]
            for group in groups
            if group.startswith(prefix)
            and group.endswith(suffix)
            and len(group) > len(prefix) + len(suffix)
        }
