"""One LMS sync of a course (``jupyter-adaptive lms sync``, and the service's periodic job):

1. the roster: the members the LMS lists (Names and Role Provisioning Services) and the subgroup
   claims of their launches, stored under pseudonyms only;
2. the grades: per unit, the nbgrader score (when graded) and, where the course enables it, per
   skill, the mastery estimate with a comment naming its evidence, posted through Assignment and
   Grade Services to line items created on first sync. Only learners whose consent for the course
   is ``outcomes`` or ``drafts`` are posted; a score already posted unchanged is not posted again;
   every post is in the audit log.

The platform's user ids exist only in memory during the sync: the store keeps pseudonyms.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from joserfc.jwk import RSAKey

from ..errors import NotFoundError
from ..pseudonyms import pseudonym
from ..store import Store
from ..store import lms as queries
from ..store.lms import Score
from .launch import Launch, hub_username, is_teacher_role
from .platform_client import LINEITEM_SCOPE, NRPS_SCOPE, SCORE_SCOPE, PlatformClient

__all__ = ["PlatformSettings", "SyncReport", "sync_course"]

_T = TypeVar("_T")
#: Runs store work (a blocking function and its arguments) the way the host does.
Runner = Callable[..., Awaitable[Any]]


@dataclass(frozen=True)
class PlatformSettings:
    """How the service reaches the LMS."""

    client_id: str
    token_url: str
    key: RSAKey
    audience: str = ""


@dataclass
class SyncReport:
    """What a sync did."""

    course: str
    #: Members the LMS listed (0 without its roster service).
    members: int = 0
    #: Learners whose launch claims gave subgroups.
    subgrouped: int = 0
    #: Scores posted, and scores left alone because the LMS already has them.
    posted: int = 0
    unchanged: int = 0
    #: Learners with scores that were not posted: their consent does not allow it.
    without_consent: int = 0
    line_items_created: int = 0

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON (what ``POST /services/adaptive/api/lms/sync`` answers)."""
        return asdict(self)


async def _inline(function: Callable[..., _T], *args: Any) -> _T:
    return function(*args)


def _save_roster(
    store: Store,
    course: str,
    members: dict[str, tuple[str, str | None]] | None,
    subgroups: dict[str, dict[str, str]],
) -> None:
    with store.transaction() as session:
        if members is not None:
            queries.save_members(session, course, members)
        queries.save_subgroups(session, course, subgroups)


def _planned(
    store: Store, course: str, learners: Sequence[str], skills: bool
) -> tuple[dict[tuple[str, str], Score], dict[tuple[str, str], Score], int, dict[str, Any]]:
    """The scores to post (pseudonym, resource id) -> score, those posted before, how many
    learners with scores lack consent, and the known line items."""
    with store.transaction() as session:
        wanted: dict[tuple[str, str], Score] = {}
        for learner, units in queries.unit_scores(session, course, learners).items():
            wanted.update({(learner, f"unit:{unit}"): score for unit, score in units.items()})
        if skills:
            for learner, found in queries.skill_scores(session, course, learners).items():
                wanted.update({(learner, f"skill:{skill}"): s for skill, s in found.items()})
        allowed = queries.consenting(session, course, learners)
        refused = {learner for learner, _ in wanted if learner not in allowed}
        wanted = {key: score for key, score in wanted.items() if key[0] in allowed}
        items = {
            resource: (row.url, row.label, row.score_maximum)
            for resource, row in queries.line_items(session, course).items()
        }
        return wanted, queries.posted_scores(session, course), len(refused), items


def _record_line_item(
    store: Store, course: str, resource: str, url: str, label: str, maximum: float
) -> None:
    with store.transaction() as session:
        queries.record_line_item(session, course, resource, url, label, maximum)


def _record_passback(
    store: Store, course: str, learner: str, resource: str, score: Score, actor: str
) -> None:
    with store.transaction() as session:
        queries.record_passback(session, course, learner, resource, score, actor)


async def sync_course(
    store: Store,
    secret: bytes,
    course: str,
    launches: Sequence[Launch],
    platform: PlatformSettings,
    *,
    skill_scores: bool = False,
    label: Callable[[str], str] = str,
    actor: str = "lms-sync",
    run: Runner = _inline,
) -> SyncReport:
    """Sync ``course`` with the LMS it was launched from (see the module's description).

    ``launches`` are the Hub's latest launches into the course (:func:`.hub_launches`); the
    newest that names the LTI services gives their URLs. ``label`` names a line item's resource
    id (``unit:<id>``, ``skill:<id>``) in the gradebook. ``run`` runs store work as the host does.

    Raises
    ------
    NotFoundError
        When no launch into the course names the LMS's services.
    PlatformError
        When the LMS refuses or cannot be reached.
    """
    report = SyncReport(course)
    served = [launch for launch in launches if launch.memberships_url or launch.lineitems_url]
    if not served:
        raise NotFoundError(
            f"No launch into {course!r} names the LMS's roster or grade services yet: open the "
            "course once from the LMS, with the tool's services enabled there."
        )
    latest = max(served, key=lambda launch: launch.issued_at)
    grades = (
        latest.lineitems_url if {LINEITEM_SCOPE, SCORE_SCOPE} <= set(latest.ags_scopes) else None
    )
    scopes = [NRPS_SCOPE] * bool(latest.memberships_url) + [LINEITEM_SCOPE, SCORE_SCOPE] * bool(
        grades
    )
    # Learners by pseudonym -> platform user id; teachers get no scores.
    learners = {
        pseudonym(secret, launch.username): launch.user_id
        for launch in launches
        if not launch.teaches
    }
    subgroups = {
        pseudonym(secret, launch.username): launch.subgroups
        for launch in launches
        if launch.subgroups
    }
    report.subgrouped = len(subgroups)
    client = PlatformClient(
        platform.client_id, platform.token_url, platform.key, scopes, platform.audience
    )
    members: dict[str, tuple[str, str | None]] | None = None
    if latest.memberships_url:
        members = {}
        for member in await client.members(latest.memberships_url):
            user_id = str(member["user_id"])
            learner = pseudonym(secret, hub_username(user_id))
            teaches = any(is_teacher_role(str(role)) for role in member.get("roles", ()))
            status = str(member.get("status", "Active"))
            members[learner] = ("teacher" if teaches else "learner", status)
            if not teaches and status == "Active":
                learners[learner] = user_id
        report.members = len(members)
    await run(_save_roster, store, course, members, subgroups)
    if grades is None:
        return report
    wanted, posted, report.without_consent, items = await run(
        _planned, store, course, sorted(learners), skill_scores
    )
    report.unchanged = sum(posted.get(key) == score for key, score in wanted.items())
    changed = {key: score for key, score in wanted.items() if posted.get(key) != score}
    urls: dict[str, str] = {}
    for resource in sorted({resource for _, resource in changed}):
        maximum = max(score.maximum for (_, r), score in wanted.items() if r == resource)
        name = label(resource)
        url, known_label, known_maximum = items.get(resource, ("", "", 0.0))
        if not url:
            found = await client.find_line_item(grades, resource)
            url = str(found["id"]) if found else ""
            report.line_items_created += not found
        if (name, maximum) != (known_label, known_maximum) or not url:
            url = await client.save_line_item(grades, resource, name, maximum, url)
            await run(_record_line_item, store, course, resource, url, name, maximum)
        urls[resource] = url
    now = datetime.now(UTC).isoformat()
    for (learner, resource), score in sorted(changed.items()):
        await client.post_score(
            urls[resource], learners[learner], (score.given, score.maximum, score.comment), now
        )
        await run(_record_passback, store, course, learner, resource, score, actor)
        report.posted += 1
    return report
