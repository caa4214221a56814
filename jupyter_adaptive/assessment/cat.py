"""The adaptive check-in (computerized adaptive testing): which item comes next, and when to stop.

After each answer the ability is re-estimated (EAP, :func:`~.irt.estimate_ability`). The next
item is the one with the most Fisher information at that estimate, among

- items not asked yet in this check (no item repeats);
- items under the exposure limit: an item asked in a share ``max_exposure`` of the pool's checks
  so far waits (the restricted maximum-information method: no item's exposure exceeds the rate,
  so no item becomes known to the whole class). The rate can hold only while checks ask at most
  ``max_exposure`` times the pool's size; past that the least exposed items are asked;
- items of the content areas asked least so far in this check (content balance: by default an
  item's areas are its skills, so each skill of a unit's pool gets its turn; a check across
  units balances units; at the start every area ties, so the first item is the most informative
  of the whole pool at the prior).

The check stops once the standard error is at most ``se_target``, after ``max_items`` items, or
when the pool has no item left.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .irt import Ability, estimate_ability, information
from .item_bank import ItemParameters

__all__ = ["STOP_REASONS", "CatSettings", "Selection", "select_next"]

#: Why a check stops: precision reached, length reached, pool used up.
STOP_REASONS = ("precision", "length", "pool")


@dataclass(frozen=True)
class CatSettings:
    """The stop rule and the exposure limit of check-ins."""

    se_target: float = 0.3
    max_items: int = 40
    max_exposure: float = 0.5


@dataclass(frozen=True)
class Selection:
    """The state of a check after its answers so far: the ability, and either the next item
    (with its ``information`` at the estimate) or ``stop`` (one of :data:`STOP_REASONS`)."""

    ability: Ability
    item: ItemParameters | None
    information: float
    stop: str | None
    answered: int

    @property
    def done(self) -> bool:
        """Whether the check is over."""
        return self.stop is not None


def _eligible(
    remaining: Sequence[ItemParameters],
    exposure: Mapping[str, int],
    checks: int,
    max_exposure: float,
) -> list[ItemParameters]:
    """The remaining items whose use in this check keeps their exposure within the limit; when
    none would (a check longer than the rate times the pool), the least exposed of them."""
    limit = max(1.0, max_exposure * checks)
    under = [p for p in remaining if exposure.get(p.item, 0) + 1 <= limit]
    if under:
        return under
    least = min(exposure.get(p.item, 0) for p in remaining)
    return [p for p in remaining if exposure.get(p.item, 0) == least]


def _balanced(
    candidates: list[ItemParameters], asked: Counter[str], areas: Mapping[str, tuple[str, ...]]
) -> list[ItemParameters]:
    """The candidates of a content area asked least so far in this check."""
    present = {area for p in candidates for area in areas[p.item]}
    if not present:
        return candidates
    fewest = min(asked.get(area, 0) for area in present)
    wanted = {area for area in present if asked.get(area, 0) == fewest}
    return [p for p in candidates if wanted.intersection(areas[p.item])]


def select_next(
    pool: Sequence[ItemParameters],
    answers: Sequence[tuple[str, bool]],
    settings: CatSettings | None = None,
    exposure: Mapping[str, int] | None = None,
    checks: int = 1,
    areas: Mapping[str, tuple[str, ...]] | None = None,
) -> Selection:
    """The next step of a check over ``pool`` after ``answers`` (item, right) in order.

    ``exposure`` counts, per item, the checks of this pool that asked it so far (this one
    included) and ``checks`` how many checks of the pool were started (this one included);
    ``areas`` gives each item's content areas (default: its skills).
    """
    settings = settings or CatSettings()
    by_id = {p.item: p for p in pool}
    asked = [by_id[item] for item, _right in answers]
    ability = estimate_ability(
        [p.a for p in asked], [p.b for p in asked], [right for _item, right in answers]
    )
    remaining = [p for p in pool if p.item not in {q.item for q in asked}]
    stop = None
    if answers and ability.se <= settings.se_target:
        stop = "precision"
    elif len(answers) >= settings.max_items:
        stop = "length"
    elif not remaining:
        stop = "pool"
    if stop is not None:
        return Selection(ability, None, 0.0, stop, len(answers))
    candidates = _eligible(remaining, exposure or {}, checks, settings.max_exposure)
    areas = areas or {p.item: p.skills for p in pool}
    areas_asked = Counter(area for p in asked for area in areas[p.item])
    candidates = _balanced(candidates, areas_asked, areas)
    gains = information(ability.theta, [p.a for p in candidates], [p.b for p in candidates])
    best = min(range(len(candidates)), key=lambda k: (-gains[k], candidates[k].item))
    return Selection(ability, candidates[best], float(gains[best]), None, len(answers))
