"""Evidence sentences: why one observation moved one estimate, in words a learner can read."""

from __future__ import annotations

from typing import Any

__all__ = ["describe_observation"]

_ORDINALS = {1: "on the first try", 2: "on the second try", 3: "on the third try"}


def describe_observation(event: dict[str, Any], prior: float, posterior: float) -> str:
    """One sentence for the evidence row of an attempt or grade event, e.g.
    "passed `groupby_mean_2` on the first try: 0.41 → 0.68"."""
    item = f"`{event.get('item', 'an exercise')}`"
    attempt = int(event.get("attempt") or 1)
    tries = _ORDINALS.get(attempt, f"on try {attempt}")
    change = f"{prior:.2f} → {posterior:.2f}"
    if event.get("type") == "grade":
        return (
            f"nbgrader gave {event['score']:g} of {event['max_score']:g} points on {item}: {change}"
        )
    outcome = event.get("outcome")
    if outcome == "correct":
        return f"passed {item} {tries}: {change}"
    if outcome == "incorrect":
        return f"failed a test of {item} {tries}: {change}"
    ename = (event.get("error") or {}).get("ename", "an error")
    return f"{item} stopped with {ename} {tries}: {change}"
