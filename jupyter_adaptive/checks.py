"""Adaptive check-ins: the application layer between ``GET check`` / ``GET items`` and the
assessment domain, the course catalogue and the store.

A check is a short adaptive test over the check items of a unit (or of the whole course). Each
``GET check`` returns the item to answer now: the one asked and not answered yet, or the next one
:func:`~.assessment.cat.select_next` picks from the answers so far. An answer is an ordinary
attempt event on that item whose ``check`` field names the check; the recorder stores it in exam
mode (no feedback, hints, next exercise or estimate in its result). The ``GET check`` that finds
the stop rule met ends the check: it records the ability estimate and moves each skill's estimate
once, with one evidence row per skill stating the estimate and its uncertainty, and returns the
result in words. The next ``GET check`` starts a new check.
"""

from __future__ import annotations

from statistics import NormalDist
from typing import Any

from sqlalchemy.orm import Session

from .assessment.cat import CatSettings, Selection, select_next
from .assessment.irt import Ability, estimate_ability, information
from .assessment.item_bank import BankFiles, ItemBank, ItemParameters, prior_parameters
from .curriculum import Course
from .curriculum.check_items import CheckItem
from .errors import ConsentRefusedError, NotFoundError
from .recommend.catalog import CourseCatalog
from .recording import Recorder
from .store import Store
from .store.checks import check_answers, check_exposure, current_check, finish_check, start_check
from .store.models import Check
from .translation import Message, _

__all__ = ["Checks", "check_pool", "level_words"]

_NORMAL = NormalDist()


def level_words(ability: Ability) -> dict[str, int]:
    """The ability as shares of the calibration's learners (whose abilities are N(0, 1)): the
    share below the estimate (``level``) and the 95 % range of that share (``low``, ``high``),
    in whole percent."""
    low, high = ability.interval()
    return {
        "level": round(100 * _NORMAL.cdf(ability.theta)),
        "low": round(100 * _NORMAL.cdf(low)),
        "high": round(100 * _NORMAL.cdf(high)),
    }


def check_pool(
    course: Course, unit: str | None, bank: ItemBank
) -> tuple[dict[str, CheckItem], list[ItemParameters], dict[str, tuple[str, ...]]]:
    """The check items of a unit (every unit when None) by id, their parameters from the bank,
    and their content areas: a unit's check balances its skills, a course's check its units."""
    items = {item.id: item for item in course.check_items(unit)}
    pool = [bank.parameters(i.id, i.skills, i.difficulty) for i in items.values()]
    areas = {i.id: i.skills if unit is not None else (i.unit,) for i in items.values()}
    return items, pool, areas


class Checks:
    """Check-ins over the courses of a catalogue, with the item banks of a model folder."""

    def __init__(
        self,
        store: Store,
        catalog: CourseCatalog,
        recorder: Recorder,
        banks: BankFiles,
        settings: CatSettings | None = None,
    ) -> None:
        self.store = store
        self.catalog = catalog
        self.recorder = recorder
        self.banks = banks
        self.settings = settings or CatSettings()

    def _course(self, course_id: str) -> Course:
        course = self.catalog.get(course_id)
        if course is None:
            raise NotFoundError(
                _("No course {course} in the course folders.", course=repr(course_id))
            )
        return course

    def items(self, course_id: str) -> list[dict[str, Any]]:
        """``GET items``: every item of the course's bank, most misfitting first, then the check
        items the bank lacks, with the prior from their declared difficulty.

        Raises
        ------
        NotFoundError
            When the course is neither installed nor calibrated.
        """
        bank = self.banks.get(course_id)
        course = self.catalog.get(course_id)
        if course is None and not bank.items:
            raise NotFoundError(
                f"No course {course_id!r} in the course folders and no calibrated items."
            )
        found = dict(bank.items)
        for item in course.check_items() if course is not None else []:
            found.setdefault(item.id, prior_parameters(item.id, item.skills, item.difficulty))
        return [params.as_dict() for params in found.values()]

    def check(self, learner_id: str, course_id: str, unit: str | None = None) -> dict[str, Any]:
        """``GET check``: the learner's running check of the course's unit (the whole course when
        ``unit`` is None), started if there is none, at its current step.

        Raises
        ------
        NotFoundError
            When the course, the unit or its check items do not exist.
        ConsentRefusedError
            When the learner's consent does not allow recording their answers.
        """
        course = self._course(course_id)
        if unit is not None and course.unit(unit) is None:
            raise NotFoundError(
                _("Course {course} has no unit {unit}.", course=repr(course_id), unit=repr(unit))
            )
        items, pool, areas = check_pool(course, unit, self.banks.get(course_id))
        if not items:
            raise NotFoundError(_("There are no check items here yet."))
        with self.store.transaction() as session:
            if self.recorder.level_in_force(session, learner_id, course_id) in (None, "off"):
                raise ConsentRefusedError(
                    _(
                        "A check-in records your answers: choose what may be recorded in course "
                        "{course} first.",
                        course=repr(course_id),
                    )
                )
            self.store.ensure_learner(session, learner_id)
            check = current_check(session, learner_id, course_id, unit, lock=True)
            if check is None:
                check = start_check(session, learner_id, course_id, unit)
            answers = [
                (item, right) for item, right in check_answers(session, check) if item in items
            ]
            waiting = [item for item in check.items if item not in dict(answers)]
            if waiting and waiting[0] in items:
                step = self._waiting(pool, answers, items[waiting[0]].id)
            else:
                started, exposure = check_exposure(session, course_id, unit)
                step = select_next(pool, answers, self.settings, exposure, started, areas)
                if step.item is not None:
                    check.items = [*check.items, step.item.item]
                else:
                    self._finish(session, check, step, answers, items)
        found = course.unit(unit) if unit is not None else None
        title = found.title if found is not None else course.title
        return {"title": title, **self._answer(check, step, items, answers)}

    def _waiting(
        self, pool: list[ItemParameters], answers: list[tuple[str, bool]], item: str
    ) -> Selection:
        """The step of a check whose last item is not answered yet: that item again."""
        by_id = {p.item: p for p in pool}
        asked = [by_id[name] for name, _right in answers]
        ability = estimate_ability(
            [p.a for p in asked], [p.b for p in asked], [right for _name, right in answers]
        )
        gain = float(information(ability.theta, by_id[item].a, by_id[item].b))
        return Selection(ability, by_id[item], gain, None, len(answers))

    def _finish(
        self,
        session: Session,
        check: Check,
        step: Selection,
        answers: list[tuple[str, bool]],
        items: dict[str, CheckItem],
    ) -> None:
        """End the check: its estimate, then each skill's estimate moved once by its answers."""
        assert step.stop is not None
        finish_check(session, check, step.ability.theta, step.ability.se, step.stop)
        words = level_words(step.ability)

        def reason(skill: str, right: int, asked: int) -> Message:
            return Message(
                "check-in: {right} of {asked} answers on {skill} right; your overall level is "
                "estimated above {level}% of learners, likely between {low}% and {high}%",
                {"right": right, "asked": asked, "skill": skill, **words},
            )

        self.recorder.record_check(
            session,
            check.learner_id,
            check.course,
            check.id,
            [(item, items[item].skills, right) for item, right in answers],
            reason,
        )

    def _answer(
        self,
        check: Check,
        step: Selection,
        items: dict[str, CheckItem],
        answers: list[tuple[str, bool]],
    ) -> dict[str, Any]:
        """The API's answer for this step."""
        ability = step.ability
        # Figures as the sentences show them, formatted once.
        se, theta, gain = (
            f"{value:.2f}" for value in (ability.se, ability.theta, step.information)
        )
        answer: dict[str, Any] = {
            "check": check.id,
            "course": check.course,
            "unit": check.unit,
            "item": None,
            "skills": [],
            "cells": [],
            "ability": ability.as_dict(),
            "done": step.done,
            "answered": len(answers),
            "max_items": self.settings.max_items,
        }
        if step.item is not None:
            item = items[step.item.item]
            answer.update(
                item=item.id,
                skills=list(item.skills),
                cells=item.cells(),
                reason=_(
                    "This item tells the most about you now: its information is {information} at "
                    "your current estimate {theta} (standard error {se}).",
                    information=gain,
                    theta=theta,
                    se=se,
                ),
            )
            return answer
        if step.stop == "precision":
            reason = _(
                "The check is done: after {n} items your estimate is precise enough (standard "
                "error {se}).",
                n=len(answers),
                se=se,
            )
        elif step.stop == "length":
            reason = _(
                "The check is done: it asked its {n} items (standard error {se}).",
                n=len(answers),
                se=se,
            )
        else:
            reason = _(
                "The check is done: it asked every check item there is (standard error {se}).",
                se=se,
            )
        words = level_words(ability)
        answer.update(
            reason=reason,
            result={
                **words,
                "right": sum(right for _item, right in answers),
                "asked": len(answers),
                "summary": _(
                    "You answered {right} of {asked} right. Your level is estimated above "
                    "{level}% of learners, likely between {low}% and {high}%.",
                    right=sum(right for _item, right in answers),
                    asked=len(answers),
                    **words,
                ),
            },
        )
        return answer
