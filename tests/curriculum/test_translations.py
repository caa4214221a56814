"""Course content in the learner's language: ``<field>_<language>`` next to each original."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from jupyter_adaptive.curriculum import read_course, validate_course
from jupyter_adaptive.translation import speaking

from .conftest import FIXTURES


def _edit_yaml(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True))


@pytest.fixture
def translated(tmp_path: Path) -> Path:
    """The valid fixture course with Spanish for a skill, an item, a misconception and the hints
    of a graded exercise."""
    root = tmp_path / "course"
    shutil.copytree(FIXTURES / "valid", root)

    def skills(data: dict) -> None:
        data["skills"][0]["name_es"] = "Sumar números"

    def items(data: dict) -> None:
        data["items"][0]["prompt_es"] = "Asigna `a + b` a `total`."
        data["items"][0]["hints_es"] = ["Usa el operador +.", "Asigna la suma a total."]

    def misconceptions(data: dict) -> None:
        data["add"][0]["title_es"] = "Sumar texto y un número"
        data["add"][0]["feedback_es"] = "Convierte primero el texto en **número**."

    _edit_yaml(root / "skills.yaml", skills)
    _edit_yaml(root / "items/add.yaml", items)
    _edit_yaml(root / "misconceptions.yaml", misconceptions)
    notebook = root / "source/u1/u1.ipynb"
    nb = json.loads(notebook.read_text())
    nb["cells"][2]["metadata"]["adaptive"]["hints_es"] = ["Empieza en 0.", "Suma cada valor."]
    notebook.write_text(json.dumps(nb))
    return root


def test_a_translated_course_is_valid_and_speaks_the_learner_language(translated: Path) -> None:
    assert validate_course(translated) == []
    course, _problems = read_course(translated)
    item, variant = course.items["add-two"], course.items["add-two-v2"]
    (exercise,) = course.exercises
    (misconception,) = course.misconceptions
    assert item.localized("prompt") == "Set `total` to `a + b`."
    with speaking("es_ES"):
        assert item.localized("prompt") == "Asigna `a + b` a `total`."
        assert variant.localized("hints") == ("Usa el operador +.", "Asigna la suma a total.")
        assert course.skills["add"].localized("name") == "Sumar números"
        assert course.skills["loops"].localized("name") == "Loops"
        assert misconception.localized("title") == "Sumar texto y un número"
        assert exercise.localized("hints") == ("Empieza en 0.", "Suma cada valor.")
        prompt, answer, _tests = item.cells()
    assert prompt["source"] == "**Práctica** · `add-two`\n\nAsigna `a + b` a `total`."
    assert answer["metadata"]["adaptive"]["hints"] == [
        "Use the + operator.",
        "Assign the sum to total.",
    ]
    assert answer["metadata"]["adaptive"]["hints_es"] == [
        "Usa el operador +.",
        "Asigna la suma a total.",
    ]
    assert item.cells()[0]["source"].startswith("**Practice** · `add-two`\n\nSet `total`")


def test_a_variant_that_rewrites_a_field_drops_its_base_translation(translated: Path) -> None:
    def rewrite(data: dict) -> None:
        data["items"][1]["prompt"] = "Set `total` to the sum of `a` and `b`."

    _edit_yaml(translated / "items/add.yaml", rewrite)
    course, _problems = read_course(translated)
    with speaking("es_ES"):
        assert course.items["add-two-v2"].localized("prompt").startswith("Set `total` to the sum")
        assert course.items["add-two-v2"].localized("hints")[0] == "Usa el operador +."


@pytest.mark.parametrize(
    ("file", "where", "change", "message"),
    [
        (
            "items/add.yaml",
            "item 'add-two'",
            lambda d: d["items"][0].update(hints_es=["Solo una pista."]),
            "1 hints for the 2",
        ),
        (
            "skills.yaml",
            "skill 'add'",
            lambda d: d["skills"][0].update(name_es=["not", "text"]),
            "must be a non-empty text",
        ),
        (
            "misconceptions.yaml",
            "misconception 'text-plus-number'",
            lambda d: d["add"][0].update(examples_es=["x"], title_fr="Ajouter"),
            "unknown key 'examples_es'",
        ),
        (
            "items/add.yaml",
            "item 'add-two-v2'",
            lambda d: d["items"][1].update(starter_es="total = ..."),
            "unknown key 'starter_es'",
        ),
    ],
)
def test_a_broken_translation_is_reported_with_file_and_entry(
    translated: Path,
    file: str,
    where: str,
    change,
    message: str,  # type: ignore[no-untyped-def]
) -> None:
    _edit_yaml(translated / file, change)
    problems = validate_course(translated)
    # A variant that inherits a broken translation has it too: the base's comes first.
    assert (problems[0].file, problems[0].where) == (str(translated / file), where)
    assert message in problems[0].message


def test_translated_notebook_hints_must_match_the_originals(translated: Path) -> None:
    notebook = translated / "source/u1/u1.ipynb"
    nb = json.loads(notebook.read_text())
    nb["cells"][2]["metadata"]["adaptive"]["hints_es"] = "Empieza en 0."
    notebook.write_text(json.dumps(nb))
    (problem,) = validate_course(translated)
    assert problem.code == "invalid-translation"
    assert problem.where == "cell 3 (item 'sum-loop')"
    assert "'hints_es' must be a list of texts" in problem.message
