"""Success targets in ``course.yaml``: read into :class:`Targets`; a wrong block is a problem."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from jupyter_adaptive.curriculum import Targets, load_course, read_course, validate_course

from .conftest import FIXTURES

SHIPPED = Path(__file__).resolve().parents[2] / "courses" / "data-science-foundations"


def course_with(tmp_path: Path, course_yaml: str) -> Path:
    folder = tmp_path / "course"
    shutil.copytree(FIXTURES / "valid", folder)
    (folder / "course.yaml").write_text(course_yaml, encoding="utf-8")
    return folder


def test_targets_are_read_and_optional(tmp_path: Path) -> None:
    folder = course_with(
        tmp_path, "title: T\ntargets:\n  mastery_gain: 0.4\n  answers_to_mastery: 6\n"
    )
    course, problems = read_course(folder)
    assert problems == []
    assert course.targets == Targets(mastery_gain=0.4, answers_to_mastery=6.0)
    assert read_course(course_with(tmp_path / "b", "title: T\n"))[0].targets == Targets()


def test_the_shipped_course_declares_every_target() -> None:
    targets = load_course(SHIPPED).targets
    assert None not in (
        targets.mastery_gain,
        targets.answers_to_mastery,
        targets.minutes_to_mastery,
        targets.subgroup_gap,
    )


@pytest.mark.parametrize(
    ("block", "where", "message"),
    [
        ("targets: 0.4", "targets", "expected a mapping of target names to numbers"),
        ("targets:\n  gain: 0.4", "targets.gain", "unknown target 'gain'; the targets are"),
        ("targets:\n  mastery_gain: high", "targets.mastery_gain", "'high' is not a number"),
        ("targets:\n  subgroup_gap: true", "targets.subgroup_gap", "True is not a number"),
        ("targets:\n  mastery_gain: 1.5", "targets.mastery_gain", "1.5 is not between 0 and 1"),
    ],
)
def test_a_wrong_targets_block_is_a_clear_problem(
    tmp_path: Path, block: str, where: str, message: str
) -> None:
    folder = course_with(tmp_path, f"title: T\n{block}\n")
    [problem] = validate_course(folder)
    assert problem.code == "invalid-targets"
    assert problem.file == str(folder / "course.yaml")
    assert problem.where == where
    assert message in problem.message
