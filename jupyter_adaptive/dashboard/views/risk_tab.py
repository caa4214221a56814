"""The At risk tab: flagged learners, each reason with its weight as a sentence and a bar."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import ipywidgets as widgets

from ..at_risk import FLAG_AT, at_risk, model_risks, risk_trend
from ..rendering import bar_html, html_table, sparkline_svg
from .context import ViewContext

if TYPE_CHECKING:
    from ...risk.model import RiskModel

__all__ = ["RiskTab"]


class RiskTab:
    """Who is flagged and why (the fitted model's reasons when it is given, else the rules')."""

    def __init__(self, context: ViewContext, risk_model: RiskModel | None = None) -> None:
        self.context = context
        self.risk_model = risk_model
        self.widget = widgets.HTML()
        self.widget.add_class("adaptive-at-risk")

    def refresh(self) -> None:
        """Read the flags again."""
        store, course = self.context.store, self.context.course
        if self.risk_model is None:
            risks = at_risk(store, course)
            source = (
                "by transparent rules</b> (not a fitted model): a rule that holds adds its "
                f"weight; {FLAG_AT:.2f} or more flags the learner."
            )
        else:
            risks = model_risks(store, course, self.risk_model, self.context.names.skill)
            source = (
                "by the early-warning model</b> (score: its risk from the first half of each "
                "learner's attempts; weight: the feature's share of the decision in log-odds)."
            )
        flagged = [risk for risk in risks if risk.flagged]
        trend = risk_trend(store, course, [risk.learner for risk in flagged])
        rows = [
            [
                risk.learner,
                bar_html(min(risk.score, 1.0)) + f"{risk.score:.2f}",
                sparkline_svg(
                    [score for _, score in trend.get(risk.learner, [])],
                    mark=FLAG_AT,
                    label="rule score by week",
                ),
                "<br>".join(
                    bar_html(abs(reason.weight))
                    + f"{html.escape(reason.sentence)} (weight {reason.weight:.2f})"
                    for reason in risk.reasons
                ),
            ]
            for risk in flagged
        ]
        self.widget.value = f"<p><b>{len(flagged)} learners flagged {source}</p>" + html_table(
            ["learner", "score", "rule score by week", "reasons (weight)"], rows, raw={1, 2, 3}
        )
