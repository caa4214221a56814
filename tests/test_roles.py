"""Who teaches and who a learner is, under each host's policy."""

from __future__ import annotations

import asyncio

from jupyter_adaptive.roles import HubRoles, NamedRoles, OwnerRoles


def hub_roles(groups: dict[str, set[str]]) -> HubRoles:
    async def groups_of(name: str) -> set[str] | None:
        return groups.get(name)

    return HubRoles(groups_of, ["instructors"], "formgrade-{course}")


def test_hub_instructors_teach_every_course_and_graders_their_own() -> None:
    roles = hub_roles(
        {
            "ada": {"instructors"},
            "grace": {"formgrade-data-science-foundations", "nbgrader-stats-101"},
            "linus": {"nbgrader-data-science-foundations"},
        }
    )

    def teaches(name: str, course: str | None) -> bool:
        return asyncio.run(roles.teaches(name, course))

    assert teaches("ada", "anything") and teaches("ada", None)
    assert teaches("grace", "data-science-foundations") and teaches("grace", None)
    assert not teaches("grace", "stats-101")
    assert not teaches("linus", "data-science-foundations") and not teaches("linus", None)
    assert not teaches("nobody", None)
    assert asyncio.run(roles.courses_taught("grace")) == {"data-science-foundations"}
    assert asyncio.run(roles.courses_taught("ada")) is None
    assert roles.identity("grace") == "grace"


def test_a_group_named_like_the_prefix_alone_is_no_course() -> None:
    roles = hub_roles({"eve": {"formgrade-"}})
    assert asyncio.run(roles.courses_taught("eve")) == set()


def test_named_users_are_themselves_and_listed_teachers_teach() -> None:
    roles = NamedRoles(["ada"])
    assert roles.identity("bob") == "bob"
    assert asyncio.run(roles.teaches("ada", "c")) and not asyncio.run(roles.teaches("bob", "c"))


def test_the_owner_is_every_session_and_teaches() -> None:
    roles = OwnerRoles("owner")
    assert roles.identity("anonymous-1") == roles.identity("anonymous-2") == "owner"
    assert asyncio.run(roles.teaches("anonymous-1", "c"))
