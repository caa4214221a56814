"""CSV export of the class view and of one learner's full record, safe to open in a spreadsheet."""

from __future__ import annotations

import io

from ..spreadsheet_csv import SpreadsheetWriter
from .class_view import ClassView
from .learner_detail import LearnerDetail

__all__ = ["to_csv"]


def to_csv(view: ClassView | LearnerDetail) -> str:
    """The view's table as CSV text (header first)."""
    header, rows = view.table()
    out = io.StringIO()
    writer = SpreadsheetWriter(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()
