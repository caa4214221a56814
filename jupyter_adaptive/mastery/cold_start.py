"""Parameters before any data: from the course's declared item difficulty and skill graph.

A course's first learners are traced with a BKT model whose parameters come from what the author
declared, not from one global default:

- a skill's *depth* in the skill graph (0 without prerequisites, else one more than its deepest
  prerequisite) lowers its prior and its learning rate: a skill that builds on others is less
  likely known at the start and takes more practice;
- an item's declared difficulty (1 to 3) sets its guess and slip: an easy item is guessed more
  often and slipped on less. A skill's pooled guess and slip are the means over its items.

Once enough answers are stored, the fitted model replaces this one (see
:mod:`~jupyter_adaptive.model_refresh`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from .bkt import BKT
from .online import DEFAULT_PARAMS, SkillParams

__all__ = ["DIFFICULTY_GUESS_SLIP", "course_prior_model", "skill_depths"]

#: (guess, slip) of an item by its declared difficulty.
DIFFICULTY_GUESS_SLIP: dict[int, tuple[float, float]] = {
    1: (0.30, 0.08),
    2: (0.20, 0.10),
    3: (0.12, 0.15),
}
#: Factors applied to the prior and to the learning rate per level of depth in the skill graph.
_PRIOR_PER_LEVEL = 0.75
_LEARN_PER_LEVEL = 0.85


def skill_depths(prerequisites: Mapping[str, Sequence[str]]) -> dict[str, int]:
    """Each skill's depth: 0 without prerequisites, else one more than its deepest prerequisite.

    Prerequisites that are not skills of the mapping, and cycles, add no depth.
    """
    depths: dict[str, int] = {}

    def depth(skill: str, path: frozenset[str]) -> int:
        if skill in depths:
            return depths[skill]
        below = [
            depth(p, path | {skill})
            for p in prerequisites.get(skill, ())
            if p in prerequisites and p not in path and p != skill
        ]
        depths[skill] = 1 + max(below) if below else 0
        return depths[skill]

    for skill in prerequisites:
        depth(skill, frozenset())
    return depths


def course_prior_model(
    prerequisites: Mapping[str, Sequence[str]],
    items: Iterable[tuple[str, Sequence[str], int]],
) -> BKT:
    """A BKT model of a course before any answer, from its skill graph and its items.

    Parameters
    ----------
    prerequisites : mapping of str to sequence of str
        Each skill of the course and the skills to learn before it.
    items : iterable of (item id, skills, difficulty)
        The course's exercises with their declared difficulty (1 to 3).
    """
    per_skill: dict[str, list[tuple[float, float]]] = {skill: [] for skill in prerequisites}
    item_params: dict[str, dict[str, tuple[float, float]]] = {}
    for item, skills, difficulty in items:
        guess_slip = DIFFICULTY_GUESS_SLIP.get(difficulty, DIFFICULTY_GUESS_SLIP[2])
        for skill in skills:
            if skill in per_skill:
                per_skill[skill].append(guess_slip)
                item_params.setdefault(skill, {})[item] = guess_slip
    depths = skill_depths(prerequisites)
    params: dict[str, SkillParams] = {}
    for skill, pairs in per_skill.items():
        pairs = pairs or [DIFFICULTY_GUESS_SLIP[2]]
        level = depths[skill]
        params[skill] = SkillParams(
            prior=DEFAULT_PARAMS.prior * _PRIOR_PER_LEVEL**level,
            learn=DEFAULT_PARAMS.learn * _LEARN_PER_LEVEL**level,
            guess=sum(g for g, _ in pairs) / len(pairs),
            slip=sum(s for _, s in pairs) / len(pairs),
        )
    return BKT.from_params(
        {
            "hyperparameters": BKT().get_params(),
            "item_column": "problem_id",
            "skills": {skill: p.as_dict() for skill, p in params.items()},
            "items": {s: {i: list(gs) for i, gs in d.items()} for s, d in item_params.items()},
            "default": DEFAULT_PARAMS.as_dict(),
            "fitted_at": None,
            "data": {"rows": 0, "users": 0, "skills": len(params)},
        }
    )
