"""Formats of practice items (text, worked example, video or audio link); a learner's preference."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping

from ..curriculum import Item

__all__ = ["FORMATS", "item_format", "preferred_format"]

FORMATS = ("text", "worked example", "video", "audio")

_VIDEO = re.compile(r"https?://\S*(youtube\.com|youtu\.be|vimeo\.com|\.mp4|\.webm)", re.I)
_AUDIO = re.compile(r"https?://\S*(\.mp3|\.ogg|\.wav|\.m4a|podcast)", re.I)
_WORKED = re.compile(r"```|^\s*\**(worked )?example\b", re.I | re.M)


def item_format(item: Item) -> str:
    """The format an item's prompt offers: a video or audio link, a worked example, or text."""
    if _VIDEO.search(item.prompt):
        return "video"
    if _AUDIO.search(item.prompt):
        return "audio"
    if _WORKED.search(item.prompt):
        return "worked example"
    return "text"


def preferred_format(
    first_outcomes: Mapping[str, bool], formats: Mapping[str, str], *, min_attempts: int = 2
) -> str | None:
    """The format in which the learner passes clearly more often than in the others, if any.

    ``first_outcomes`` tells, per item, whether the learner's first attempt on it passed (each
    item counts once, by its first attempt); ``formats`` maps item ids to their format. A format
    needs ``min_attempts`` items and a pass rate at least 0.2 above the learner's rate in the
    other formats.
    """
    outcomes: dict[str, list[bool]] = defaultdict(list)
    for item_id, correct in first_outcomes.items():
        if item_id in formats:
            outcomes[formats[item_id]].append(correct)
    if len(outcomes) < 2:
        return None
    best: tuple[float, str] | None = None
    for name, results in outcomes.items():
        others = [r for other, rs in outcomes.items() if other != name for r in rs]
        if len(results) < min_attempts or len(others) < min_attempts:
            continue
        lift = sum(results) / len(results) - sum(others) / len(others)
        if lift >= 0.2 and (best is None or lift > best[0]):
            best = (lift, name)
    return best[1] if best else None
