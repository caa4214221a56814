"""The Model tab: the served model, what it was fitted on, and its calibration."""

from __future__ import annotations

import base64
import html

import ipywidgets as widgets

from ..model_panel import model_summary
from ..rendering import html_table
from .context import ViewContext

__all__ = ["ModelTab"]


class ModelTab:
    """What the served model of the course is and how well calibrated it is."""

    def __init__(self, context: ViewContext) -> None:
        self.context = context
        self.widget = widgets.HTML()
        self.widget.add_class("adaptive-model")

    def refresh(self) -> None:
        """Read the model's summary again."""
        summary = model_summary(self.context.models, self.context.course)
        if not summary.fitted:
            source = (
                "No fitted model yet: estimates come from the course's declared item difficulty "
                "and skill graph until enough answers are stored for a refit."
            )
        else:
            source = (
                f"Fitted on {summary.answers:,} answers of {summary.learners:,} learners; refitted "
                "in the background as new answers arrive."
            )
        rows: list[list[object]] = [["model", summary.model], ["kind", summary.kind]]
        if summary.ece is not None:
            rows += [
                ["calibration map", summary.calibration],
                ["expected calibration error", f"{summary.ece:.3f}"],
                ["before the map", f"{summary.ece_before:.3f}"],
                ["held-out answers", f"{summary.held_out_answers:,}"],
            ]
            meaning = (
                "<p>Calibration, on learners held out of the fit: among answers predicted right "
                "with probability about p, the share actually right should be p. The expected "
                "calibration error is the average gap, weighted by answers.</p>"
            )
        else:
            meaning = "<p>Calibration not measured: too few learners when the model was fitted.</p>"
        diagram = ""
        if summary.diagram is not None:
            payload = base64.b64encode(summary.diagram).decode("ascii")
            diagram = (
                f'<img alt="reliability diagram" src="data:image/png;base64,{payload}" '
                'style="max-width:26em">'
            )
        elif summary.bins:
            diagram = html_table(
                ["predicted", "observed", "answers"],
                [[b["predicted"], b["observed"], int(b["n"])] for b in summary.bins],
            )
        self.widget.value = (
            f"<p>{html.escape(source)}</p>" + html_table(["", ""], rows) + meaning + diagram
        )
