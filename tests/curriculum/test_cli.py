"""``jupyter-adaptive course validate|outline``."""

from __future__ import annotations

import pytest

from jupyter_adaptive.cli import main
from jupyter_adaptive.curriculum import read_course

from .conftest import COURSE_PATH, FIXTURES


def test_validate_sound_course_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["course", "validate", str(FIXTURES / "valid")]) == 0
    assert "no problems" in capsys.readouterr().out


def test_validate_lists_problems_and_exits_non_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["course", "validate", str(FIXTURES / "missing-variant-target")]) == 1
    out = capsys.readouterr().out
    assert "items/add.yaml: item 'add-two-v2': variant of 'add-three'" in out
    assert "1 problem(s)" in out


def test_validate_missing_folder_is_one_clear_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["course", "validate", str(FIXTURES / "absent")]) == 1
    assert capsys.readouterr().err.startswith("jupyter-adaptive: error: No course folder")


def test_outline_counts_the_course(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["course", "outline", str(COURSE_PATH)]) == 0
    out = capsys.readouterr().out
    assert "01_python_basics" in out and "skills" in out
    checks = len(read_course(COURSE_PATH)[0].checks)
    assert f"graded exercises, {checks} check items, " in out
