"""Response logs in pyBKT's columns: reading, validating and ordering them.

A response log has one row per answer with at least ``order_id``, ``user_id``, ``skill_name`` and
``correct`` (0/1). Optional columns used by the models: ``problem_id`` (the item), ``template_id``
(the item family) and ``timestamp`` (seconds). Columns recorded *with* the answer (hints, attempts,
response time) are never used to predict that answer.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InvalidRequestError

if TYPE_CHECKING:
    import pandas as pd

    from ..store import Store

__all__ = [
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "ordered_log",
    "read_responses",
    "sort_responses",
    "stored_responses",
    "validate",
]

#: Columns every response log must have.
REQUIRED_COLUMNS = ("order_id", "user_id", "skill_name", "correct")
#: Columns the models use when present.
OPTIONAL_COLUMNS = ("problem_id", "template_id", "timestamp")

#: How many bad line numbers an error message quotes.
_MAX_LINES_QUOTED = 5


def _line_numbers(mask: pd.Series) -> str:
    """File line numbers (header = line 1) of the first rows where ``mask`` holds."""
    lines = [str(int(i) + 2) for i in mask[mask].index[:_MAX_LINES_QUOTED]]
    more = " and more" if int(mask.sum()) > len(lines) else ""
    return ", ".join(lines) + more


def validate(data: pd.DataFrame, source: str = "the data") -> pd.DataFrame:
    """Check a response log and return it with typed columns.

    Parameters
    ----------
    data : pandas.DataFrame
        Rows in file order; string or numeric columns.
    source : str
        How to name the data in error messages (usually the file name).

    Returns
    -------
    pandas.DataFrame
        The same rows: ``order_id`` int64, ``user_id`` and ``skill_name`` str, ``correct`` int8,
        ``problem_id`` / ``template_id`` str and ``timestamp`` float64 when present.

    Raises
    ------
    InvalidRequestError
        One sentence naming the column and the first bad line numbers.
    """
    import pandas as pd

    if len(data.columns) == 1 and len(REQUIRED_COLUMNS) > 1:
        header = str(data.columns[0])
        for delimiter, name in ((";", "semicolons"), ("\t", "tabs"), ("|", "pipes")):
            if delimiter in header:
                raise InvalidRequestError(
                    f"{source} looks separated by {name}, not commas: line 1 reads as one column "
                    f"`{header[:60]}`; save it as comma-separated CSV."
                )
    missing = [column for column in REQUIRED_COLUMNS if column not in data.columns]
    if missing:
        found = ", ".join(f"`{c}`" for c in list(data.columns)[:10]) or "nothing"
        raise InvalidRequestError(
            f"{source} lacks the column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(f'`{c}`' for c in missing)} (line 1 has {found})."
        )
    if data.empty:
        raise InvalidRequestError(f"{source} has a header but no rows.")

    data = data.reset_index(drop=True).copy()
    for column in (
        "user_id",
        "skill_name",
        *(c for c in ("problem_id", "template_id") if c in data),
    ):
        text = data[column].astype("string").str.strip()
        blank = text.isna() | (text == "")
        if column in REQUIRED_COLUMNS and blank.any():
            raise InvalidRequestError(
                f"{source}: column `{column}` is empty on line(s) {_line_numbers(blank)}."
            )
        data[column] = text.fillna("").astype(str)

    correct = pd.to_numeric(data["correct"], errors="coerce")
    bad = ~correct.isin([0, 1])
    if bad.any():
        raise InvalidRequestError(
            f"{source}: column `correct` must be 0 or 1, but is not on line(s) "
            f"{_line_numbers(bad)}."
        )
    data["correct"] = correct.astype("int8")

    order = pd.to_numeric(data["order_id"], errors="coerce")
    bad = order.isna() | (order != order.round())
    if bad.any():
        raise InvalidRequestError(
            f"{source}: column `order_id` must be an integer, but is not on line(s) "
            f"{_line_numbers(bad)}."
        )
    data["order_id"] = order.astype("int64")

    if "timestamp" in data:
        stamp = pd.to_numeric(data["timestamp"], errors="coerce")
        bad = stamp.isna() & data["timestamp"].notna()
        if bad.any():
            raise InvalidRequestError(
                f"{source}: column `timestamp` must be a number of seconds, but is not on line(s) "
                f"{_line_numbers(bad)}."
            )
        data["timestamp"] = stamp.astype("float64")
    return data


def read_responses(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read and validate a response log from a CSV file (``.csv`` or ``.csv.gz``).

    Raises
    ------
    InvalidRequestError
        The file is missing, empty, not comma-separated, or a column is malformed.
    """
    import pandas as pd

    source = Path(path).name
    try:
        data = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except FileNotFoundError:
        raise InvalidRequestError(f"{source} does not exist.") from None
    except pd.errors.EmptyDataError:
        raise InvalidRequestError(
            f"{source} is empty: it has no header line and no rows."
        ) from None
    except (pd.errors.ParserError, csv.Error, UnicodeDecodeError, OSError) as exc:
        raise InvalidRequestError(f"{source} is not a readable CSV file ({exc}).") from None
    return validate(data, source)


def sort_responses(data: pd.DataFrame) -> pd.DataFrame:
    """The rows in the order knowledge tracing reads them: by user, then ``order_id``.

    The index of the result keeps the input positions, so predictions can be put back in file order.
    """
    return data.sort_values(["user_id", "order_id"], kind="stable")


def ordered_log(X: pd.DataFrame, y: Any = None) -> pd.DataFrame:
    """What every estimator reads: ``X`` validated (with ``correct`` replaced by ``y`` if given),
    sorted by user then ``order_id``, its index holding the input row positions.
    """
    import numpy as np

    return sort_responses(validate(X if y is None else X.assign(correct=np.asarray(y))))


def stored_responses(store: Store, course: str) -> pd.DataFrame:
    """A course's stored attempts and grades as a response log in pyBKT's columns (not yet
    validated: empty when the course has none)."""
    import pandas as pd

    from ..store.responses import RESPONSE_COLUMNS, responses

    with store.transaction() as session:
        rows = list(responses(store, session, course))
    return pd.DataFrame(rows, columns=RESPONSE_COLUMNS)
