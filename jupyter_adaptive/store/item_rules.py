"""Queries on teachers' pins and exclusions of practice items. Each runs in the caller's session."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from .models import ItemRule, utcnow

__all__ = ["ITEM_RULE_ACTIONS", "delete_item_rule", "item_rules", "set_item_rule"]

#: What a rule does: ``pin`` puts the item first, ``exclude`` never recommends it.
ITEM_RULE_ACTIONS = ("pin", "exclude")


def set_item_rule(
    session: Session,
    course: str,
    item: str,
    action: str,
    *,
    learner_id: str | None,
    teacher: str,
    reason: str = "",
) -> None:
    """Pin or exclude an item for one learner (or the class, ``learner_id`` None); replaces an
    earlier rule on the same item and learner."""
    delete_item_rule(session, course, item, learner_id=learner_id)
    session.add(
        ItemRule(
            course=course,
            item=item,
            learner_id=learner_id,
            action=action,
            reason=reason,
            teacher=teacher,
            created_at=utcnow(),
        )
    )


def delete_item_rule(session: Session, course: str, item: str, *, learner_id: str | None) -> int:
    """Remove the rule on an item for one learner (or the class); return how many went."""
    owner = (
        ItemRule.learner_id.is_(None) if learner_id is None else ItemRule.learner_id == learner_id
    )
    result = session.execute(
        delete(ItemRule).where(ItemRule.course == course, ItemRule.item == item, owner)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def item_rules(
    session: Session, course: str, learner_id: str | None = None, *, whole_class: bool = False
) -> list[dict[str, Any]]:
    """Rules of a course, oldest first: those for the class and for ``learner_id`` (or, with
    ``whole_class``, every learner's)."""
    query = select(ItemRule).where(ItemRule.course == course)
    if not whole_class:
        query = query.where(or_(ItemRule.learner_id.is_(None), ItemRule.learner_id == learner_id))
    return [
        {
            "course": rule.course,
            "item": rule.item,
            "action": rule.action,
            "learner": rule.learner_id,
            "reason": rule.reason,
            "teacher": rule.teacher,
            "created_at": rule.created_at.isoformat(),
        }
        for rule in session.scalars(query.order_by(ItemRule.id))
    ]
