"""Check items: the shipped ones are sound and enough, and their test cells accept the key and
refuse wrong answers without ever holding the key in plain text."""

from __future__ import annotations

import dataclasses
import io
import shutil
from collections import Counter
from functools import partial
from pathlib import Path
from typing import Any

import nbformat
import numpy as np
import pandas as pd
import pytest
import yaml
from nbformat.v4 import new_notebook

from jupyter_adaptive.curriculum import (
    CHECK_KINDS,
    CheckItem,
    Course,
    load_course,
    validate_course,
)
from jupyter_adaptive.curriculum.answer_fingerprint import answer_fingerprint
from jupyter_adaptive.curriculum.check_items import option_letters
from jupyter_adaptive.translation import speaking

from .conftest import COURSE_PATH, FIXTURES
from .running import CellFailed, run_code

CHECKS = {check.id: check for check in load_course(COURSE_PATH).check_items()}


def _answer_cell(check: CheckItem, answer: str) -> str:
    """The answer cell with the learner's ``answer = ...`` line filled in."""
    assert check.answer_code.endswith("answer = ...")
    return check.answer_code.removesuffix("...") + answer


def _given(check: CheckItem) -> str:
    """The key as a learner types it after ``answer = ``."""
    return check.key if check.kind in ("numeric", "expression") else repr(check.key)


def _wrong_values(check: CheckItem, right: Any) -> list[Any]:
    """Answers a learner might give that must be refused: the other options, a number off by
    one place of the checked precision, a changed text, a value with one element missing."""
    if check.kind == "choice":
        return [x for x in option_letters(len(check.options)) if x != check.key]
    if check.kind == "output":
        return [right.strip() + "0", "\n".join(right.strip().splitlines()[:-1]) or "0"]
    if check.kind == "numeric":
        step = 10.0**-check.decimals
        return [right + step, right - step]
    if isinstance(right, bool):
        return [not right]
    if hasattr(right, "iloc"):  # a Series or a DataFrame
        return [right.iloc[:-1]]
    if isinstance(right, list | str):
        return [right[:-1]]
    return [right + 1]


def _tests_pass(check: CheckItem, namespace: dict[str, Any]) -> bool:
    try:
        run_code(check.cells()[2]["source"], namespace=namespace)
    except CellFailed as failed:
        assert isinstance(failed.exc, AssertionError), failed
        return False
    return True


@pytest.mark.parametrize("check_id", sorted(CHECKS))
def test_the_key_passes_and_wrong_answers_fail(check_id: str) -> None:
    check = CHECKS[check_id]
    namespace = run_code(_answer_cell(check, _given(check)))
    right = namespace["answer"]
    assert _tests_pass(check, namespace), "the key is refused by its own test cell"
    for wrong in _wrong_values(check, right):
        assert not _tests_pass(check, {**namespace, "answer": wrong}), wrong
    assert not _tests_pass(check, run_code(check.answer_code)), "the placeholder passes"


@pytest.mark.parametrize("check_id", sorted(CHECKS))
def test_answers_are_normalised_before_they_are_compared(check_id: str) -> None:
    check = CHECKS[check_id]
    namespace = run_code(_answer_cell(check, _given(check)))
    right = namespace["answer"]
    close: object
    if check.kind == "choice":
        close = f"  {right.upper()} "
    elif check.kind == "output":
        close = "\n" + "  \n".join(right.strip().splitlines()) + "  \n"
    elif check.kind == "numeric":
        close = right + 0.4 * 10.0**-check.decimals
    elif isinstance(right, float):
        close = round(right, check.decimals)
    else:
        return
    assert _tests_pass(check, {**namespace, "answer": close}), close


@pytest.mark.parametrize("check_id", sorted(c.id for c in CHECKS.values() if c.kind == "output"))
def test_an_output_key_is_what_its_code_prints(check_id: str) -> None:
    check = CHECKS[check_id]
    printed = io.StringIO()
    run_code(check.code, namespace={"__name__": "__main__", "print": partial(print, file=printed)})
    assert printed.getvalue().strip() == check.key.strip()


@pytest.mark.parametrize("check_id", sorted(CHECKS))
def test_the_cells_hold_the_key_only_as_its_fingerprint(check_id: str) -> None:
    check = CHECKS[check_id]
    other_key = {"choice": "a" if check.key != "a" else "b", "expression": "None"}
    other = dataclasses.replace(check, key=other_key.get(check.kind, "12345"))
    assert other.key_fingerprint != check.key_fingerprint

    def without_fingerprint(item: CheckItem) -> list[dict[str, Any]]:
        cells = [{k: v for k, v in cell.items() if k != "id"} for cell in item.cells()]
        cells[2]["source"] = cells[2]["source"].replace(item.key_fingerprint, "<fingerprint>")
        return cells

    assert without_fingerprint(other) == without_fingerprint(check)


def test_check_cells_are_marked_as_checks_and_make_a_valid_notebook() -> None:
    cells = [cell for check in CHECKS.values() for cell in check.cells()]
    nbformat.validate(new_notebook(cells=cells))
    check = CHECKS["ck-combine-masks"]
    prompt, answer, tests = check.cells()
    assert [c["metadata"]["adaptive"]["role"] for c in (prompt, answer, tests)] == [
        "prompt",
        "answer",
        "tests",
    ]
    for cell in (prompt, answer, tests):
        meta = cell["metadata"]["adaptive"]
        assert meta["kind"] == "check" and meta["format"] == "choice"
        assert meta["item"] == check.id and meta["unit"] == "02_pandas_selection"
        assert meta["skills"] == ["pd-boolean-filtering"] and meta["hints"] == []
        assert "nbgrader" not in cell["metadata"]
    assert "- **b)** `cities[(cities" in prompt["source"]
    assert answer["source"] == "answer = ..."
    assert tests["metadata"]["editable"] is False


def test_the_course_has_enough_check_items_in_every_unit(course: Course) -> None:
    checks = course.check_items()
    assert len(checks) >= 60
    assert set(Counter(c.kind for c in checks)) == set(CHECK_KINDS)
    for unit in course.units:
        in_unit = course.check_items(unit.id)
        assert len(in_unit) >= 6, unit.id
        assert {c.unit for c in in_unit} == {unit.id}
        assert set(unit.skills) <= {s for c in in_unit for s in c.skills}, unit.id
        assert {c.difficulty for c in in_unit} == {1, 2, 3}, unit.id


def _changed_fixture(tmp_path: Path, change: Any) -> Path:
    """A copy of the valid fixture course with ``change`` applied to its ``checks/u1.yaml``."""
    root = tmp_path / "course"
    shutil.copytree(FIXTURES / "valid", root)
    checks = root / "checks" / "u1.yaml"
    data = yaml.safe_load(checks.read_text())
    change(data)
    checks.write_text(yaml.safe_dump(data, allow_unicode=True))
    return checks


def _broken(entry: int, **change: Any) -> Any:
    """A change to the valid fixture's ``checks/u1.yaml``: set (or, with None, remove) fields of
    its ``entry``-th check, or of the file itself when ``entry`` is -1."""

    def apply(data: dict[str, Any]) -> None:
        target = data if entry < 0 else data["checks"][entry]
        for key, value in change.items():
            if value is None:
                del target[key]
            else:
                target[key] = value

    return apply


@pytest.mark.parametrize(
    ("code", "where", "change"),
    [
        ("unknown-skill", "check 'sum-type'", _broken(0, skills=["adding"])),
        ("unknown-unit", "check 'sum-type'", _broken(-1, unit="u2")),
        ("duplicate-item", "check 'add-two'", _broken(1, id="add-two")),
        ("duplicate-item", "check 'sum-loop'", _broken(2, id="sum-loop")),
        ("duplicate-item", "check 'sum-type'", _broken(3, id="sum-type")),
        ("missing-key", "check 'sum-value'", _broken(1, key=None)),
        ("key-not-an-option", "check 'sum-type'", _broken(0, key="d")),
        ("invalid-check", "check 'sum-type'", _broken(0, kind="essay")),
        ("invalid-check", "check 'sum-value'", _broken(1, key="about 0.67")),
        ("invalid-check", "check 'loop-expression'", _broken(3, key="total = 14")),
        ("invalid-check", "check 'loop-output'", _broken(2, code=None)),
        ("invalid-check", "check 'sum-value'", _broken(1, options=["0.67", "0.66"])),
        ("invalid-translation", "check 'sum-type'", _broken(0, options_es=["`5`, un int"])),
        ("invalid-translation", "check 'sum-value'", _broken(1, options_es=["0.67", "0.66"])),
    ],
)
def test_a_broken_check_item_is_reported_with_file_and_entry(
    tmp_path: Path, code: str, where: str, change: Any
) -> None:
    checks = _changed_fixture(tmp_path, change)
    problems = validate_course(checks.parents[1])
    assert {p.code for p in problems} == {code}, problems
    assert (problems[0].file, problems[0].where) == (str(checks), where)


def test_check_cells_speak_the_learner_language() -> None:
    check = CHECKS["ck-sample-std"]
    with speaking("es_ES"):
        prompt, _answer, tests = check.cells()
    assert prompt["source"].startswith("**Comprobación** · `ck-sample-std`")
    assert "(se comprueba con 2 decimales)" in prompt["source"]
    with pytest.raises(CellFailed, match="No es la respuesta correcta"):
        run_code(_answer_cell(check, "2.0"), tests["source"])
    with pytest.raises(CellFailed, match="Responde con un número"):
        run_code(_answer_cell(check, '"2.14"'), tests["source"])


def test_fingerprints_tell_answers_apart_only_where_they_differ() -> None:
    value = partial(answer_fingerprint, kind="expression", salt="s", decimals=2)
    assert value(np.float64(0.5)) == value(0.5) == value(0.501) == value(np.int64(1) / 2)
    assert value(-0.0) == value(0)
    assert value(True) != value(1) and value("1") != value(1)
    assert value([1, 2]) == value((1, 2)) == value(np.array([1.0, 2.0]))
    series = pd.Series([1, 2], index=["a", "b"])
    assert value(series) == value({"a": 1, "b": 2.0})
    assert value(series) != value(series.sort_index(ascending=False))
    assert value(series.to_frame("n")) == value({"n": {"a": 1, "b": 2}})
    assert answer_fingerprint(" B\n", "choice", "s") == answer_fingerprint("b", "choice", "s")
    assert answer_fingerprint("b", "choice", "s") != answer_fingerprint("b", "choice", "t")


def test_a_check_item_may_be_translated(tmp_path: Path) -> None:
    spanish = _broken(
        0,
        prompt_es="¿Qué da `2 + 3.0`?",
        options_es=["`5`, un int", "`5.0`, un float", "`'23.0'`, un texto"],
    )
    root = _changed_fixture(tmp_path, spanish).parents[1]
    assert validate_course(root) == []
    check = load_course(root).checks["sum-type"]
    with speaking("es_ES"):
        spoken = check.cells()
    english = check.cells()
    assert "¿Qué da `2 + 3.0`?\n\n- **a)** `5`, un int\n- **b)** `5.0`" in spoken[0]["source"]
    assert "What does `2 + 3.0` give?\n\n- **a)** `5`, an int" in english[0]["source"]
    # One key in every language.
    assert check.key_fingerprint in spoken[2]["source"]
    assert check.key_fingerprint in english[2]["source"]
