"""One LMS sync against the platform double, without a Hub: what is posted when a grade changes,
where per-skill scores go, and the sentences a sync fails with."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest

from jupyter_adaptive.errors import NotFoundError
from jupyter_adaptive.grading import record_grades
from jupyter_adaptive.lti.launch import Launch
from jupyter_adaptive.lti.platform_client import PlatformError
from jupyter_adaptive.lti.sync import PlatformSettings, SyncReport, sync_course
from jupyter_adaptive.lti.tool_key import jwks, load_or_create_tool_key
from jupyter_adaptive.pseudonyms import pseudonym
from jupyter_adaptive.recording import Recorder, RecordingPolicy
from jupyter_adaptive.store import Store
from tests.fixtures.api import grade_event
from tests.lti.platform import LaunchSpec, Platform

COURSE = "data-science-foundations"
SECRET = b"0" * 64


@pytest.fixture(scope="module")
def platform() -> Iterator[Platform]:
    """The LMS double; the tool's keys pasted into it."""
    double = Platform().start()
    yield double
    double.stop()


@pytest.fixture
def settings(platform: Platform, tmp_path: Path) -> PlatformSettings:
    """The tool's registration with the platform, its key pasted there."""
    key = load_or_create_tool_key(tmp_path / "tool.pem")
    platform.tool_jwks = jwks(key)
    return PlatformSettings(platform.client_id, f"{platform.url}/token", key)


def launch_of(platform: Platform, user: str, context: str) -> Launch:
    """The claims of ``user``'s launch into ``context``, as the Hub keeps them."""
    token = platform.id_token(LaunchSpec(user, context=context), "nonce")
    return Launch.from_claims(jwt.decode(token, options={"verify_signature": False}))


def grade(item: str, score: float) -> dict[str, Any]:
    return grade_event(course=COURSE, item=item, score=score)


def sync(store: Store, launches: list[Launch], settings: PlatformSettings, **kw: Any) -> SyncReport:
    return asyncio.run(sync_course(store, SECRET, COURSE, launches, settings, **kw))


def test_a_regraded_exercise_posts_the_units_new_score_and_nothing_else(
    platform: Platform, settings: PlatformSettings, tmp_path: Path
) -> None:
    context = uuid.uuid4().hex
    store = Store.open(f"sqlite:///{tmp_path / 'store.sqlite'}")
    Recorder(store, RecordingPolicy()).set_consent(pseudonym(SECRET, "ana"), COURSE, "drafts")
    record_grades(store, SECRET, {"ana": [grade("a", 1.0), grade("b", 2.0)]})
    launches = [launch_of(platform, "Ana", context)]

    first = sync(store, launches, settings, label=lambda resource: f"Unit {resource}")
    assert (first.posted, first.line_items_created, first.members) == (1, 1, 0)
    record_grades(store, SECRET, {"ana": [grade("a", 2.0)]})
    second = sync(store, launches, settings, label=lambda resource: f"Unit {resource}")
    assert (second.posted, second.unchanged, second.line_items_created) == (1, 0, 0)

    scores = [s for s in platform.scores if f"/ags/{context}/" in s["lineItem"]]
    assert [(s["userId"], s["scoreGiven"], s["scoreMaximum"]) for s in scores] == [
        ("Ana", 3.0, 4.0),
        ("Ana", 4.0, 4.0),
    ]
    (item,) = platform.line_items[context].values()
    assert item["label"] == "Unit unit:01_python_basics" and item["tag"] == "jupyter-adaptive"
    store.close()


def test_skill_scores_are_posted_only_where_enabled(
    platform: Platform, settings: PlatformSettings, tmp_path: Path
) -> None:
    context = uuid.uuid4().hex
    store = Store.open(f"sqlite:///{tmp_path / 'store.sqlite'}")
    Recorder(store, RecordingPolicy()).set_consent(pseudonym(SECRET, "bo"), COURSE, "outcomes")
    record_grades(store, SECRET, {"bo": [grade("a", 2.0)]})
    launches = [launch_of(platform, "bo", context)]
    assert sync(store, launches, settings).posted == 1
    report = sync(store, launches, settings, skill_scores=True)
    assert (report.posted, report.unchanged) == (1, 1)
    resources = {item["resourceId"] for item in platform.line_items[context].values()}
    assert resources == {"unit:01_python_basics", "skill:py-values-types"}
    store.close()


def test_a_sync_fails_with_one_sentence(
    platform: Platform, settings: PlatformSettings, tmp_path: Path
) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'store.sqlite'}")
    with pytest.raises(NotFoundError, match="No launch into"):
        sync(store, [], settings)
    stranger = PlatformSettings("another-tool", settings.token_url, settings.key)
    with pytest.raises(PlatformError, match="The LMS answered 401 to POST"):
        sync(store, [launch_of(platform, "cy", "c")], stranger)
    store.close()
