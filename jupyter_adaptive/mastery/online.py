"""The constant-time Bayesian Knowledge Tracing update of one skill after one observed answer."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from ..translation import SOURCE_LANGUAGE, Message
from .forgetting import DEFAULT_FORGET_PER_DAY

__all__ = [
    "DEFAULT_PARAMS",
    "OBSERVATION_KINDS",
    "Evidence",
    "SkillParams",
    "explain_update",
    "override",
    "posterior_after",
    "predict_correct",
    "teacher_observation",
    "update_skill",
]


@dataclass(frozen=True)
class SkillParams:
    """BKT parameters of one skill (probabilities in [0, 1]).

    ``forget`` is BKT's chance of forgetting per answer; ``forget_per_day`` the share of P(mastered)
    lost per day without practice, which schedules spaced review
    (see :mod:`~jupyter_adaptive.mastery.forgetting`).
    """

    prior: float = 0.3
    learn: float = 0.15
    guess: float = 0.2
    slip: float = 0.1
    forget: float = 0.0
    forget_per_day: float = DEFAULT_FORGET_PER_DAY

    def as_dict(self) -> dict[str, float]:
        """The parameters as plain data, e.g. for an evidence row."""
        return asdict(self)


#: Parameters used for a skill that no fitted model knows yet.
DEFAULT_PARAMS = SkillParams()


def predict_correct(p_mastery: float, params: SkillParams) -> float:
    """Probability that the next answer on the skill is correct, given P(mastered)."""
    return p_mastery * (1.0 - params.slip) + (1.0 - p_mastery) * params.guess


def posterior_after(p_mastery: float, correct: bool, params: SkillParams) -> float:
    """P(mastered) after observing one answer and the learning opportunity that follows it."""
    if correct:
        evidence = p_mastery * (1.0 - params.slip)
        total = evidence + (1.0 - p_mastery) * params.guess
    else:
        evidence = p_mastery * params.slip
        total = evidence + (1.0 - p_mastery) * (1.0 - params.guess)
    # An answer the parameters call impossible (e.g. a slip of 0) carries no usable evidence.
    conditioned = evidence / total if total > 0.0 else p_mastery
    return conditioned * (1.0 - params.forget) + (1.0 - conditioned) * params.learn


@dataclass(frozen=True)
class Evidence:
    """Why one skill's estimate changed: the row the server stores next to each update.

    ``message`` is the reason as data, to say it in each reader's language; ``reason`` is the
    same sentence in English.
    """

    skill: str
    prior: float
    posterior: float
    message: Message
    item: str | None = None
    correct: bool | None = None
    params: SkillParams | None = None

    @property
    def reason(self) -> str:
        """The reason in English, as stored for teachers and exports of the whole class."""
        return self.message.render(SOURCE_LANGUAGE)

    def as_dict(self) -> dict[str, object]:
        """The evidence as plain JSON-ready data, its reason in the current language."""
        row = {key: value for key, value in asdict(self).items() if key != "message"}
        row["reason"] = str(self.message)
        row["params"] = self.params.as_dict() if self.params is not None else None
        return row


def explain_update(
    item: str,
    correct: bool,
    before: float,
    after: float,
    *,
    attempt: int = 1,
    skill: str | None = None,
    error: str | None = None,
    points: tuple[float, float] | None = None,
) -> Message:
    """One sentence a teacher and a learner can read about one update, in any language.

    ``error`` names the exception of a failed run; ``points`` (score, maximum) makes it a grade.

    >>> print(explain_update("groupby_mean_2", True, 0.41, 0.68))
    passed `groupby_mean_2` on the first try: 0.41 → 0.68
    >>> print(explain_update("merge_1", False, 0.5, 0.37, attempt=2, skill="merge"))
    did not pass `merge_1` on try 2: `merge` 0.50 → 0.37
    >>> print(explain_update("merge_1", False, 0.5, 0.37, error="KeyError"))
    did not pass `merge_1` on the first try (KeyError): 0.50 → 0.37
    >>> print(explain_update("merge_1", False, 0.5, 0.45, points=(1, 3)))
    nbgrader gave 1 of 3 points on `merge_1`: 0.50 → 0.45
    """
    change: Message | str = f"{before:.2f} → {after:.2f}"
    if skill:
        # A message of its own, so that readers see the skill's name (Message.with_arg).
        change = Message(
            "`{skill}` {before:.2f} → {after:.2f}", skill=skill, before=before, after=after
        )
    if points is not None:
        return Message(
            "nbgrader gave {score:g} of {max_score:g} points on `{item}`: {change}",
            score=points[0],
            max_score=points[1],
            item=item,
            change=change,
        )
    args = {"item": item, "attempt": attempt, "change": change}
    if correct and attempt <= 1:
        return Message("passed `{item}` on the first try: {change}", args)
    if correct:
        return Message("passed `{item}` on try {attempt}: {change}", args)
    if error and attempt <= 1:
        return Message(
            "did not pass `{item}` on the first try ({error}): {change}", args, error=error
        )
    if error:
        return Message(
            "did not pass `{item}` on try {attempt} ({error}): {change}", args, error=error
        )
    if attempt <= 1:
        return Message("did not pass `{item}` on the first try: {change}", args)
    return Message("did not pass `{item}` on try {attempt}: {change}", args)


def update_skill(
    p_mastery: float,
    correct: bool,
    params: SkillParams,
    *,
    skill: str,
    item: str,
    attempt: int = 1,
    name_skill: bool = False,
    error: str | None = None,
    points: tuple[float, float] | None = None,
    hold: bool = False,
) -> Evidence:
    """Apply :func:`posterior_after` to one skill of an attempt and say why, in constant time.

    Items with several skills call this once per skill; ``name_skill=True`` puts the skill's name in
    the sentence so the rows can be told apart. ``hold=True`` (the answer raised the served model's
    prediction on the skill) keeps the estimate from falling, so the two never disagree.
    """
    posterior = posterior_after(p_mastery, correct, params)
    if hold:
        posterior = max(posterior, p_mastery)
    message = explain_update(
        item,
        correct,
        p_mastery,
        posterior,
        attempt=attempt,
        skill=skill if name_skill else None,
        error=error,
        points=points,
    )
    return Evidence(skill, p_mastery, posterior, message, item, bool(correct), params)


#: The kinds of evidence a teacher records outside the notebook, in the learner's words.
OBSERVATION_KINDS = {
    "oral_defense": Message("an oral defense"),
    "observation": Message("your work in class"),
}


def teacher_observation(
    skill: str,
    before: float,
    fraction: float,
    params: SkillParams,
    *,
    kind: str,
    score: float,
    max_score: float,
    weight: int,
    note: str,
) -> Evidence:
    """A teacher's observation (an oral defense, work seen in class) of ``skill``, scored
    ``fraction`` of full marks, as evidence worth ``weight`` answers.

    Each of the ``weight`` steps is a soft BKT update (Jeffrey's rule): the posteriors after a right
    and after a wrong answer, mixed by ``fraction``. Full marks then move the estimate as ``weight``
    right answers would, no marks as ``weight`` wrong ones.

    >>> step = teacher_observation("merge", 0.5, 1.0, SkillParams(), kind="oral_defense",
    ...     score=4, max_score=4, weight=1, note="explained the join keys")
    >>> round(step.posterior, 3) == round(posterior_after(0.5, True, SkillParams()), 3)
    True
    """
    if kind not in OBSERVATION_KINDS:
        raise ValueError(f"an observation is one of {', '.join(OBSERVATION_KINDS)}, not {kind!r}")
    posterior = before
    for _step in range(weight):
        posterior = fraction * posterior_after(posterior, True, params) + (
            1.0 - fraction
        ) * posterior_after(posterior, False, params)
    sentence = Message(
        "your teacher scored {what} {score:g} of {max_score:g} on `{skill}` (weighed as "
        "{weight} answers): {before:.2f} → {after:.2f}. {note}",
        what=OBSERVATION_KINDS[kind],
        score=score,
        max_score=max_score,
        skill=skill,
        weight=weight,
        before=before,
        after=posterior,
        note=note,
    )
    return Evidence(skill, before, posterior, sentence, None, None, params)


def override(skill: str, before: float, after: float, reason: str) -> Evidence:
    """A teacher's override: the estimate becomes ``after``; later updates continue from it.

    Both values stay in the evidence row, so the audit log keeps what the model said and what the
    teacher set. The teacher's ``reason`` is shown as they wrote it.
    """
    if not 0.0 <= after <= 1.0:
        raise ValueError(f"an override must be a probability in [0, 1], not {after}")
    sentence = Message(
        "your teacher set `{skill}` to {after:.2f} (the model said {before:.2f}): {reason}",
        skill=skill,
        after=after,
        before=before,
        reason=reason,
    )
    return Evidence(skill, before, after, sentence)
