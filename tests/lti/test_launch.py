"""What a launch means to jupyter-adaptive: course, unit, role and groups from its claims."""

from __future__ import annotations

from typing import Any

import pytest

from jupyter_adaptive.lti.launch import CONTEXT_CLAIM, CUSTOM_CLAIM, Launch, is_teacher_role

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership"


def claims(**extra: Any) -> dict[str, Any]:
    """A learner's launch into the context labelled ``dsf``."""
    return {"sub": "User-7", "iat": 5, CONTEXT_CLAIM: {"label": "dsf"}, **extra}


def test_the_course_is_the_custom_parameter_else_a_safe_context_label() -> None:
    assert Launch.from_claims(claims()).course == "dsf"
    assert Launch.from_claims(claims(**{CUSTOM_CLAIM: {"course": "c-2"}})).course == "c-2"
    assert Launch.from_claims(claims(**{CONTEXT_CLAIM: {"label": "../etc"}})).course is None
    assert Launch.from_claims({"sub": "x"}).course is None


def test_the_unit_is_the_custom_parameter_else_the_deep_links_unit() -> None:
    link = {LTI + "target_link_uri": "https://hub/hub/lti13/open?unit=02_pandas"}
    assert Launch.from_claims(claims(**link)).unit == "02_pandas"
    both = {**link, CUSTOM_CLAIM: {"unit": "03_clean"}}
    assert Launch.from_claims(claims(**both)).unit == "03_clean"
    assert Launch.from_claims(claims()).unit is None


@pytest.mark.parametrize(
    ("role", "teaches"),
    [
        (f"{MEMBERSHIP}#Instructor", True),
        (f"{MEMBERSHIP}/Instructor#TeachingAssistant", True),
        (f"{MEMBERSHIP}#TeachingAssistant", True),
        ("Instructor", True),
        (f"{MEMBERSHIP}#Learner", False),
        ("http://purl.imsglobal.org/vocab/lis/v2/institution/person#Instructor", False),
    ],
)
def test_instructors_and_teaching_assistants_of_the_context_teach(role: str, teaches: bool) -> None:
    assert is_teacher_role(role) is teaches


def test_the_user_is_the_sub_in_lower_case_and_custom_subgroups_are_kept() -> None:
    launch = Launch.from_claims(
        claims(**{CUSTOM_CLAIM: {"subgroup_section": "B", "subgroup_": "x", "other": "y"}})
    )
    assert (launch.user_id, launch.username) == ("User-7", "user-7")
    assert launch.subgroups == {"section": "B"}


def test_a_launch_sets_the_courses_group_and_keeps_other_courses_groups() -> None:
    teacher = Launch.from_claims(claims(**{LTI + "roles": [f"{MEMBERSHIP}#Instructor"]}))
    current = ["nbgrader-dsf", "formgrade-other", "instructors"]
    assert teacher.groups(current, "formgrade-{course}", "nbgrader-{course}") == [
        "formgrade-dsf",
        "formgrade-other",
        "instructors",
    ]
    learner = Launch.from_claims(claims())
    assert learner.groups(["formgrade-dsf"], "formgrade-{course}", "nbgrader-{course}") == [
        "nbgrader-dsf"
    ]
