"""Checks of nbgrader's own cell metadata, as ``nbgrader validate``/``generate_assignment`` do them.

nbgrader's package imports its server extensions (and tornado) on import, which this package must
not do, so the schema file shipped with the installed nbgrader is read directly and the few rules
that nbgrader's ``MetadataValidatorV3`` adds to the schema are restated here.
"""

from __future__ import annotations

import importlib.util
import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from ..errors import AdaptiveError

__all__ = ["SCHEMA_VERSION", "nbgrader_cell_problems"]

#: The version of nbgrader's cell metadata schema the course notebooks must use.
SCHEMA_VERSION = 3


@cache
def _schema() -> dict[str, Any]:
    spec = importlib.util.find_spec("nbgrader")
    if spec is None or not spec.submodule_search_locations:
        raise AdaptiveError("nbgrader is not installed, so nbgrader metadata cannot be checked.")
    path = Path(spec.submodule_search_locations[0], "nbgraderformat", f"v{SCHEMA_VERSION}.json")
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


def nbgrader_cell_problems(cell: dict[str, Any]) -> list[str]:
    """What is wrong with one cell's ``metadata.nbgrader`` (empty when it is valid or absent)."""
    meta = cell.get("metadata", {}).get("nbgrader")
    if meta is None:
        return []
    if not isinstance(meta, dict):
        return ["metadata.nbgrader is not an object"]
    version = meta.get("schema_version", 0)
    if version != SCHEMA_VERSION:
        return [f"nbgrader schema_version is {version}, expected {SCHEMA_VERSION}"]
    try:
        jsonschema.validate(meta, _schema())
    except jsonschema.ValidationError as exc:
        return [f"metadata.nbgrader does not fit nbgrader's schema: {exc.message}"]
    problems = []
    grade, solution, locked = meta["grade"], meta["solution"], meta["locked"]
    if (grade or solution or locked) and not meta.get("grade_id"):
        problems.append("nbgrader cell has no grade_id")
    if grade and "points" not in meta:
        problems.append(f"nbgrader grade cell {meta.get('grade_id')!r} has no points")
    is_markdown = cell.get("cell_type") == "markdown"
    if meta.get("task", False):
        if not is_markdown:
            problems.append("nbgrader task cells must be markdown cells")
    elif is_markdown and grade != solution:
        problems.append("a markdown nbgrader cell must be both a grade and a solution cell")
    return problems
