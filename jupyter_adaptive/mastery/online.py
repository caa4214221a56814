"""The constant-time Bayesian Knowledge Tracing update of one skill after one observed answer."""

from __future__ import annotations

from dataclasses import asdict, dataclass

__all__ = ["DEFAULT_PARAMS", "SkillParams", "posterior_after", "predict_correct"]


@dataclass(frozen=True)
class SkillParams:
    """BKT parameters of one skill (probabilities in [0, 1])."""

    prior: float = 0.3
    learn: float = 0.15
    guess: float = 0.2
    slip: float = 0.1
    forget: float = 0.0

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
        conditioned = evidence / (evidence + (1.0 - p_mastery) * params.guess)
    else:
        evidence = p_mastery * params.slip
        conditioned = evidence / (evidence + (1.0 - p_mastery) * (1.0 - params.guess))
    return conditioned * (1.0 - params.forget) + (1.0 - conditioned) * params.learn
