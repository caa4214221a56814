"""What an LTI 1.3 launch says, read from its validated claims (the id_token that
jupyterhub-ltiauthenticator checked and keeps as the user's ``auth_state``).

The rules, documented in ``deploy/lti/README.md``:

- **Who.** The Hub user name is the launch's ``sub`` (the platform's opaque, stable user id), in
  lower case as JupyterHub normalizes names. The Names and Role Provisioning Service lists members
  by the same id, so a roster member and a Hub user are matched without names or e-mails.
- **Which course.** The custom parameter ``course``, else the context's ``label``; either must be
  a course id (letters, digits, ``.``, ``_`` and ``-``).
- **Which unit.** The custom parameter ``unit``, else a ``unit`` query parameter of the link's
  target URL (a deep link to one unit); none opens the course.
- **Teacher or learner.** A context role Instructor or TeachingAssistant (LTI's vocabulary, any
  sub-role) teaches the course; anyone else learns in it.
- **Subgroups.** Custom parameters named ``subgroup_<attribute>`` are the learner's groups for the
  fairness and success views (e.g. ``subgroup_section``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlparse

__all__ = [
    "AGS_CLAIM",
    "CONTEXT_CLAIM",
    "CUSTOM_CLAIM",
    "NRPS_CLAIM",
    "Launch",
    "hub_username",
    "is_teacher_role",
]

_LTI = "https://purl.imsglobal.org/spec/lti/claim/"
CUSTOM_CLAIM = _LTI + "custom"
CONTEXT_CLAIM = _LTI + "context"
ROLES_CLAIM = _LTI + "roles"
TARGET_LINK_CLAIM = _LTI + "target_link_uri"
DEPLOYMENT_CLAIM = _LTI + "deployment_id"
NRPS_CLAIM = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"

#: Context roles (LIS vocabulary) whose holders teach the course.
_TEACHING_ROLES = ("Instructor", "TeachingAssistant")
_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}")
SUBGROUP_PREFIX = "subgroup_"


def hub_username(sub: str) -> str:
    """The Hub user name of a platform user id (JupyterHub's default normalization)."""
    return sub.lower()


def is_teacher_role(role: str) -> bool:
    """Whether an LTI role URI (or a short name) teaches: Instructor or TeachingAssistant, as a
    context role (``.../membership#Instructor``), one of its sub-roles
    (``.../membership/Instructor#TeachingAssistant``) or a short name."""
    name = role.rsplit("#", 1)[-1]
    parent = role.rsplit("#", 1)[0].rsplit("/", 1)[-1]
    if "/institution/" in role or "/system/" in role:
        return False
    return name in _TEACHING_ROLES or parent in _TEACHING_ROLES


def _safe(value: Any) -> str | None:
    text = str(value or "").strip()
    return text if _SAFE_ID.fullmatch(text) else None


@dataclass(frozen=True)
class Launch:
    """The parts of a launch that jupyter-adaptive uses."""

    #: The platform's id of the user (``sub``), as its services name them.
    user_id: str
    username: str
    course: str | None
    unit: str | None
    teaches: bool
    issued_at: int = 0
    subgroups: dict[str, str] = field(default_factory=dict)
    #: The context's membership URL (Names and Role Provisioning Services), if offered.
    memberships_url: str | None = None
    #: The context's line items URL (Assignment and Grade Services), if offered.
    lineitems_url: str | None = None
    #: The AGS scopes the platform grants in this context.
    ags_scopes: tuple[str, ...] = ()

    @classmethod
    def from_claims(cls, claims: Mapping[str, Any]) -> Launch:
        """Read a launch's validated claims."""
        custom = claims.get(CUSTOM_CLAIM) or {}
        context = claims.get(CONTEXT_CLAIM) or {}
        target = urlparse(str(claims.get(TARGET_LINK_CLAIM) or ""))
        linked_unit = (parse_qs(target.query).get("unit") or [""])[0]
        nrps = claims.get(NRPS_CLAIM) or {}
        ags = claims.get(AGS_CLAIM) or {}
        sub = str(claims.get("sub", ""))
        return cls(
            user_id=sub,
            username=hub_username(sub),
            course=_safe(custom.get("course")) or _safe(context.get("label")),
            unit=_safe(custom.get("unit")) or _safe(linked_unit),
            teaches=any(is_teacher_role(str(role)) for role in claims.get(ROLES_CLAIM) or ()),
            issued_at=int(claims.get("iat") or 0),
            subgroups={
                key[len(SUBGROUP_PREFIX) :]: str(value)
                for key, value in custom.items()
                if key.startswith(SUBGROUP_PREFIX) and len(key) > len(SUBGROUP_PREFIX) and value
            },
            memberships_url=nrps.get("context_memberships_url") or None,
            lineitems_url=ags.get("lineitems") or None,
            ags_scopes=tuple(ags.get("scope") or ()),
        )

    def groups(
        self, current: Iterable[str], teacher_group: str, learner_group: str
    ) -> list[str] | None:
        """The user's Hub groups after this launch: the course's teacher group (``{course}``
        standing for the course id) when they teach it, else its learner group; their groups of
        other courses stay. None when the launch names no course (nothing changes)."""
        if self.course is None:
            return None
        teacher, learner = (
            name.format(course=self.course) for name in (teacher_group, learner_group)
        )
        kept = set(current) - {teacher, learner}
        return sorted(kept | {teacher if self.teaches else learner})
