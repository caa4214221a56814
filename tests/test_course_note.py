"""The AI-use and privacy note (issue 15, item 3): written from the deployment's configuration, in
English and Spanish, as Markdown and HTML; served to the consent dialog."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from jupyter_adaptive.cli import main
from jupyter_adaptive.course_note import NoteFacts, course_note
from tests.fixtures.courses import COURSES, course_server_config

COURSE = "data-science-foundations"


def note_files(
    out: Path, config_dir: Path, monkeypatch: pytest.MonkeyPatch, **settings: Any
) -> dict[str, str]:
    """Run ``course note`` under a Jupyter configuration with these AdaptiveApp settings."""
    config_dir.mkdir(exist_ok=True)
    (config_dir / "jupyter_server_config.json").write_text(json.dumps({"AdaptiveApp": settings}))
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(config_dir))
    assert main(["course", "note", "--course", str(COURSES / COURSE), "--out", str(out)]) == 0
    return {path.name: path.read_text(encoding="utf-8") for path in out.iterdir()}


def test_the_note_follows_the_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = note_files(tmp_path / "a", tmp_path / "config", monkeypatch)
    assert sorted(before) == [
        f"{COURSE}-ai-use-note.{language}.{suffix}"
        for language in ("en", "es_ES")
        for suffix in ("html", "md")
    ]
    english = before[f"{COURSE}-ai-use-note.en.md"]
    assert english.startswith("# AI use and privacy: Data Science Foundations")
    assert "Records are deleted 365 days after they were made." in english
    assert "Nothing is recorded until you choose a level" in english

    after = note_files(
        tmp_path / "b",
        tmp_path / "config",
        monkeypatch,
        retention_days=30,
        consent_default="outcomes",
        observation_weight=3,
        service_url="http://hub:8081/services/adaptive/",
    )
    english = after[f"{COURSE}-ai-use-note.en.md"]
    assert "Records are deleted 30 days after they were made." in english
    assert "the course records outcomes only" in english
    assert "it weighs as 3 answers" in english
    assert "The class runs on JupyterHub" in english
    spanish = after[f"{COURSE}-ai-use-note.es_ES.md"]
    assert spanish.startswith("# Uso de IA y privacidad: Data Science Foundations")
    assert "Los registros se borran 30 días después de hacerse." in spanish
    assert '<html lang="es">' in after[f"{COURSE}-ai-use-note.es_ES.html"]


def test_the_html_note_escapes_what_it_quotes() -> None:
    facts = NoteFacts(course="c", title="<script>alert(1)</script> & co", retention_days=0)
    page = course_note(facts, "en").html()
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page
    assert "no retention limit" in page
    assert "<code>" not in page or "</code>" in page


async def test_the_consent_dialog_reads_the_note_in_the_learners_language(
    jp_fetch: Any, jp_server_config: dict[str, Any]
) -> None:
    response = await jp_fetch(
        "adaptive", "api", "note", params={"course": COURSE}, headers={"Accept-Language": "es-ES"}
    )
    note = json.loads(response.body)
    assert note["title"] == "Uso de IA y privacidad: Data Science Foundations"
    assert note["language"] == "es_ES"
    assert [s["heading"] for s in note["sections"]][:2] == [
        "Qué se registra",
        "Cuánto tiempo se guarda",
    ]
    missing = await jp_fetch(
        "adaptive", "api", "note", params={"course": "nope"}, raise_error=False
    )
    assert missing.code == 404


@pytest.fixture
def jp_server_config(db_url: str, tmp_path: Path) -> dict[str, Any]:
    return course_server_config(db_url, tmp_path)
