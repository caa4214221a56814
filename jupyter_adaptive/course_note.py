"""The course's AI-use and privacy note, written from the deployment's actual configuration.

What is recorded at each consent level, how long it is kept, who sees what, which models decide
what (and what they never decide), how teachers override, and how a learner exports, deletes and
appeals. The note is built as data (:class:`Note`: a title and sections of paragraphs) in the
current language (:mod:`~jupyter_adaptive.translation`), so the same note is served to the
consent dialog (``GET /adaptive/api/note``) and written as Markdown and HTML by
``jupyter-adaptive course note``. Its sentences take their figures from :class:`NoteFacts`: change
the configuration and the note changes with it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

from .translation import _, current_language, ngettext, speaking

__all__ = ["Note", "NoteFacts", "course_note"]

_CODE = re.compile(r"`([^`]+)`")


@dataclass(frozen=True)
class NoteFacts:
    """What the note states about one course on one deployment (the server's configuration)."""

    course: str
    title: str
    consent_default: str = "ask"
    retention_days: int = 365
    draft_max_bytes: int = 20_000
    grades_without_consent: str = "skip"
    mastery_threshold: float = 0.95
    review_below: float = 0.85
    observation_weight: int = 2
    check_max_items: int = 25
    check_se_target: float = 0.3
    #: The served model of the course, in words (its kind and fit date), or None for the prior.
    model: str | None = None
    refit_every_answers: int = 2000
    #: Whether the class runs on JupyterHub (one central service holds the records).
    on_hub: bool = False
    #: Hub groups whose members teach every course, and the one of this course (on a Hub).
    teacher_groups: tuple[str, ...] = ()
    course_teacher_group: str = ""

    @classmethod
    def from_app(cls, app: Any, course: str, title: str, model: str | None) -> NoteFacts:
        """The facts of a configured :class:`~jupyter_adaptive.app.AdaptiveApp` (or service)."""
        return cls(
            course=course,
            title=title,
            consent_default=app.consent_default,
            retention_days=app.retention_days,
            draft_max_bytes=app.draft_max_bytes,
            grades_without_consent=app.grades_without_consent,
            mastery_threshold=app.mastery_threshold,
            review_below=app.review_below,
            observation_weight=app.observation_weight,
            check_max_items=app.check_max_items,
            check_se_target=app.check_se_target,
            model=model,
            refit_every_answers=app.refit_every_answers,
            on_hub=bool(getattr(app, "teacher_groups", None) is not None or app.service_url),
            teacher_groups=tuple(getattr(app, "teacher_groups", ()) or ()),
            course_teacher_group=str(getattr(app, "course_teacher_group", "")).format(
                course=course
            ),
        )


@dataclass(frozen=True)
class Section:
    """One heading of the note and its paragraphs (``code`` spans in backquotes)."""

    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Note:
    """The note in one language: its title, its sections, and the language they are in."""

    title: str
    language: str
    sections: tuple[Section, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        """JSON for ``GET /adaptive/api/note``."""
        return {
            "title": self.title,
            "language": self.language,
            "sections": [
                {"heading": s.heading, "paragraphs": list(s.paragraphs)} for s in self.sections
            ],
        }

    def markdown(self) -> str:
        """The note as Markdown."""
        parts = [f"# {self.title}"]
        for section in self.sections:
            parts.append(f"## {section.heading}")
            parts.extend(section.paragraphs)
        return "\n\n".join(parts) + "\n"

    def html(self) -> str:
        """The note as a standalone HTML page (every text escaped; backquoted spans as code)."""

        def text(value: str) -> str:
            return _CODE.sub(r"<code>\1</code>", html.escape(value, quote=False))

        body = [f"<h1>{text(self.title)}</h1>"]
        for section in self.sections:
            body.append(f"<h2>{text(section.heading)}</h2>")
            body.extend(f"<p>{text(paragraph)}</p>" for paragraph in section.paragraphs)
        return (
            f'<!DOCTYPE html>\n<html lang="{html.escape(self.language.split("_")[0])}">\n'
            f'<head><meta charset="utf-8"><title>{text(self.title)}</title></head>\n'
            f"<body>\n{chr(10).join(body)}\n</body>\n</html>\n"
        )


def _recorded(facts: NoteFacts) -> Section:
    default = {
        "ask": _("Nothing is recorded until you choose a level in the consent dialog."),
        "off": _("Until you choose, nothing is recorded (the course's default is “off”)."),
        "outcomes": _(
            "Until you choose, the course records outcomes only (the course's default is "
            "“outcomes”)."
        ),
        "drafts": _(
            "Until you choose, the course records outcomes and drafts (the course's default is "
            "“drafts”)."
        ),
    }[facts.consent_default]
    grades = (
        _(
            "nbgrader grades of learners who were never asked are recorded at the outcomes "
            "level; a learner who chose “off” gets none recorded."
        )
        if facts.grades_without_consent == "outcomes"
        else _("nbgrader grades are recorded only for learners who chose outcomes or drafts.")
    )
    return Section(
        _("What is recorded"),
        (
            _(
                "“Record nothing” (off): nothing leaves your browser. “Outcomes only”: which "
                "exercise you ran, whether its tests passed, the name of the error, how long you "
                "worked on it and how many hints you opened. “Outcomes and drafts”: also the code "
                "of your answer (at most {size} bytes) and the error's message, never your "
                "outputs.",
                size=f"{facts.draft_max_bytes:,}",
            ),
            default,
            grades,
            _(
                "Your records are stored under a pseudonym (a keyed hash of your user name), "
                "not your name."
            ),
        ),
    )


def _kept(facts: NoteFacts) -> Section:
    retention = (
        ngettext(
            "Records are deleted {n} day after they were made.",
            "Records are deleted {n} days after they were made.",
            facts.retention_days,
        )
        if facts.retention_days > 0
        else _("Records are kept until you or the course delete them (no retention limit).")
    )
    return Section(
        _("How long it is kept"),
        (retention, _("“Delete my data” in your “My mastery” panel erases your records at once.")),
    )


def _who(facts: NoteFacts) -> Section:
    where = (
        _(
            "The class runs on JupyterHub: your records go to the course's adaptive service, "
            "not to your own server, which holds no credentials."
        )
        if facts.on_hub
        else _("Your records are stored by the Jupyter server you work on.")
    )
    groups = [*facts.teacher_groups, *filter(None, [facts.course_teacher_group])]
    teachers = (
        _(
            "Teachers are the members of the Hub groups {groups}.",
            groups=", ".join(f"`{g}`" for g in groups),
        )
        if groups
        else _("Teachers are the people the course's server names as its teachers.")
    )
    return Section(
        _("Who sees what"),
        (
            _(
                "You see everything recorded about you: your estimates, the evidence behind each "
                "change, your feedback and your records (in your panel and its export)."
            ),
            _(
                "The course's teachers see the class's estimates and records, under pseudonyms, "
                "in the teacher dashboard; no one else does."
            ),
            where,
            teachers,
        ),
    )


def _models(facts: NoteFacts) -> Section:
    model = (
        _(
            "Your mastery estimates come from the course's fitted model ({model}), refitted "
            "from the class's answers every {n} answers.",
            model=facts.model,
            n=f"{facts.refit_every_answers:,}",
        )
        if facts.model
        else _(
            "Your mastery estimates come from the course's declared item difficulty and skill "
            "graph until enough answers are recorded to fit a model on them."
        )
    )
    return Section(
        _("Which models decide what"),
        (
            model,
            _(
                "Mastery: each answer updates the estimate of its skills; a skill counts as "
                "mastered from {threshold:.0%} on, and comes back for review once its estimate "
                "has decayed below {review:.0%}.",
                threshold=facts.mastery_threshold,
                review=facts.review_below,
            ),
            _(
                "Next exercise: the policy suggests the exercise that helps most now, and says "
                "why; you may always do another one."
            ),
            _(
                "Check-ins: at most {n} questions, stopping earlier once the estimate of your "
                "level has a standard error of {se} or less; no feedback until the end.",
                n=facts.check_max_items,
                se=f"{facts.check_se_target:g}",
            ),
            _(
                "At-risk flags: shown to teachers only, each with its reasons, so that they can "
                "offer help."
            ),
            _(
                "What they never decide: grades (nbgrader's and your teachers' alone), passing "
                "or failing the course, or any sanction. They never see your outputs or files."
            ),
        ),
    )


def _rights(facts: NoteFacts) -> Section:
    return Section(
        _("Teachers in charge, and your rights"),
        (
            _(
                "Teachers can override any estimate, with a reason you read in your panel; the "
                "audit log keeps what the model said and what the teacher set."
            ),
            _(
                "Teachers can record evidence no cell can give (an oral defense, work seen in "
                "class); it weighs as {n} answers and shows in your panel with their note.",
                n=facts.observation_weight,
            ),
            _(
                "Export: “Download my data” in your “My mastery” panel gives everything stored "
                "about you. Delete: “Delete my data” erases it. Appeal: “I think this is wrong” "
                "next to an estimate sends your teacher your reason; their answer appears in "
                "your panel."
            ),
            _(
                "You can change your consent at any time: command palette, “Change adaptive "
                "learning consent”."
            ),
        ),
    )


def course_note(facts: NoteFacts, language: str | None = None) -> Note:
    """The note of ``facts.course`` in ``language`` (default: the current language)."""
    language = language or current_language()
    with speaking(language):
        return Note(
            _("AI use and privacy: {title}", title=facts.title),
            language,
            (_recorded(facts), _kept(facts), _who(facts), _models(facts), _rights(facts)),
        )
