"""When the course's audit last ran and when the next (quarterly) one is due.

Each run is an entry of the store's audit log (action ``quarterly_audit``, its reason the path of
the JSON report), so the dashboard, which reads the store, knows the last one without another
table or a folder to configure; the previous report's JSON is what drift is measured against.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from ..store import Store
from ..store.privacy_queries import audit_runs

__all__ = ["QUARTER_DAYS", "AuditStatus", "audit_status"]

#: Days after an audit from which the next is due (a quarter).
QUARTER_DAYS = 91


@dataclass(frozen=True)
class AuditStatus:
    """The course's last audit (None when none ran) seen on ``today``."""

    course: str
    today: date
    last: datetime | None = None
    report: str | None = None

    @property
    def next_due(self) -> date | None:
        """The day the next audit is due (None: one is due now, as none ran)."""
        return self.last.date() + timedelta(days=QUARTER_DAYS) if self.last else None

    @property
    def due(self) -> bool:
        """Whether an audit is due: none ran, or the last is :data:`QUARTER_DAYS` days old."""
        return self.next_due is None or self.today >= self.next_due

    def sentence(self) -> str:
        """The status in plain words, with the command to run when an audit is due."""
        command = f"`jupyter-adaptive audit --course {self.course} --out DIR`"
        if self.last is None or self.next_due is None:
            return f"No audit of this course has run yet: run {command}."
        age = (self.today - self.last.date()).days
        ran = f"The last audit ran on {self.last.date().isoformat()} ({age} days ago)"
        if self.due:
            return f"{ran}: the quarterly audit is due, run {command}."
        return f"{ran}; the next is due by {self.next_due.isoformat()}."


def audit_status(store: Store, course: str, today: date | None = None) -> AuditStatus:
    """The course's :class:`AuditStatus` on ``today`` (default: today in UTC)."""
    with store.transaction() as session:
        runs = audit_runs(session, course)
    day = today or datetime.now(UTC).date()
    if not runs:
        return AuditStatus(course, day)
    last, report = runs[0]
    return AuditStatus(course, day, last, report)
