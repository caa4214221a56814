"""The server's sentences in the learner's language: the Spanish catalogue is complete and in step
with the code, the language follows the request, and stored sentences are said in the reader's."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import jupyter_adaptive
from jupyter_adaptive import translation
from jupyter_adaptive.feedback.hints import HintTiming
from jupyter_adaptive.mastery import explain_update, override
from jupyter_adaptive.store.repository import evidence_reason
from jupyter_adaptive.translation import Message, _, negotiate, ngettext, speaking

PACKAGE = Path(jupyter_adaptive.__file__).parent
#: The calls `make translations` extracts, as Babel's keywords.
KEYWORDS = {"_": None, "ngettext": (1, 2), "Message": None}
_PLACEHOLDER = re.compile(r"\{(\w+)(?::[^}]*)?\}")


@pytest.fixture(scope="module")
def marked() -> dict[str | tuple[str, ...], str]:
    """Every sentence the code marks for translation, with where it is."""
    found: dict[str | tuple[str, ...], str] = {}
    for filename, line, message, _comments, _context in extract_from_dir(
        str(PACKAGE), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        found.setdefault(message, f"{filename}:{line}")
    return found


@pytest.fixture(scope="module")
def spanish() -> dict[str | tuple[str, ...], object]:
    path = PACKAGE / "locale/es_ES/LC_MESSAGES" / f"{translation.DOMAIN}.po"
    with path.open("rb") as source:
        catalog = read_po(source)
    return {m.id if isinstance(m.id, str) else tuple(m.id): m for m in catalog if m.id}


def test_the_code_marks_sentences_for_translation(marked: dict) -> None:
    assert "All tests passed." in marked
    assert ("this try took {n} minute, longer than usual for you") in {
        m[0] if isinstance(m, tuple) else m for m in marked
    }


def test_every_marked_sentence_has_a_spanish_translation(marked: dict, spanish: dict) -> None:
    untranslated = []
    for message, where in marked.items():
        entry = spanish.get(message)
        strings = [] if entry is None else entry.string  # type: ignore[attr-defined]
        strings = [strings] if isinstance(strings, str) else list(strings)
        if entry is None or entry.fuzzy or not strings or not all(strings):  # type: ignore[attr-defined]
            untranslated.append(f"{where}: {message!r}")
    assert not untranslated, (
        "Sentences without a Spanish translation (run `make translations`, then translate them "
        "in jupyter_adaptive/locale/es_ES/LC_MESSAGES/jupyter_adaptive_server.po):\n"
        + "\n".join(untranslated)
    )


def test_translations_keep_every_placeholder(spanish: dict) -> None:
    for message, entry in spanish.items():
        ids = [message] if isinstance(message, str) else list(message)
        strings = [entry.string] if isinstance(entry.string, str) else list(entry.string)  # type: ignore[attr-defined]
        wanted = {name for text in ids for name in _PLACEHOLDER.findall(text)} - {"n"}
        for text in strings:
            assert set(_PLACEHOLDER.findall(text)) - {"n"} == wanted, (message, text)


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("es-ES", "es_ES"),
        ("es", "es_ES"),
        ("es-MX,es;q=0.9", "es_ES"),
        ("fr-FR,es;q=0.4", "es_ES"),
        ("en-US,es;q=0.5", "en"),
        ("es;q=0, en", "en"),
        ("de", "en"),
        ("", "en"),
        (None, "en"),
        ("es;q=nonsense", "en"),
    ],
)
def test_the_language_is_the_best_spoken_one_the_request_accepts(
    header: str | None, language: str
) -> None:
    assert negotiate(header) == language


def test_sentences_are_said_in_the_current_language() -> None:
    assert _("All tests passed.") == "All tests passed."
    with speaking("es_ES"):
        assert _("All tests passed.") == "Todas las pruebas han pasado."
        assert _("Your code stopped with {error}.", error="KeyError") == (
            "Tu código se detuvo con KeyError."
        )
        why = HintTiming().why_due(1, 11 * 60_000)
        assert why == "este intento te llevó 11 minutos, más de lo habitual para ti"
    assert _("All tests passed.") == "All tests passed."


def test_a_plural_follows_the_count_in_each_language() -> None:
    one, many = (
        "this try took {n} minute, longer than usual for you",
        ("this try took {n} minutes, longer than usual for you"),
    )
    assert ngettext(one, many, 1) == "this try took 1 minute, longer than usual for you"
    with speaking("es_ES"):
        assert ngettext(one, many, 1).startswith("este intento te llevó 1 minuto,")
        assert ngettext(one, many, 3).startswith("este intento te llevó 3 minutos,")


def test_a_stored_message_is_said_in_the_reader_language() -> None:
    update = explain_update("merge_1", False, 0.5, 0.37, attempt=2, error="KeyError")
    stored = Message.from_dict(update.as_dict())
    assert stored == update
    assert stored.render("en") == "did not pass `merge_1` on try 2 (KeyError): 0.50 → 0.37"
    assert stored.render("es_ES") == (
        "no superaste `merge_1` en el intento 2 (KeyError): 0.50 → 0.37"
    )
    change = override("merge", 0.35, 0.9, "oral exam")
    assert change.reason == "your teacher set `merge` to 0.90 (the model said 0.35): oral exam"
    with speaking("es_ES"):
        assert change.as_dict()["reason"] == (
            "tu profesor fijó `merge` en 0.90 (el modelo decía 0.35): oral exam"
        )
        assert change.reason.startswith("your teacher set")


def test_stored_reasons_name_skills_as_their_readers_know_them() -> None:
    names = {"merge": "Joining tables"}.get
    update = explain_update("merge_1", False, 0.5, 0.37, attempt=2, skill="merge")
    change = override("merge", 0.35, 0.9, "oral exam")
    assert evidence_reason("stored", update.as_dict(), lambda s: names(s, s)) == (
        "did not pass `merge_1` on try 2: `Joining tables` 0.50 → 0.37"
    )
    with speaking("es_ES"):
        assert evidence_reason("stored", change.message.as_dict(), lambda s: names(s, s)) == (
            "tu profesor fijó `Joining tables` en 0.90 (el modelo decía 0.35): oral exam"
        )
    assert evidence_reason("stored", change.message.as_dict()) == change.reason
    assert evidence_reason("a row from before messages", None, str) == "a row from before messages"


def test_nested_messages_are_said_in_the_same_language() -> None:
    nested = Message("A hint, because {why}: {hint}", why=Message("It is new to you."), hint="x")
    assert Message.from_dict(nested.as_dict()).render("es_ES") == (
        "Una pista, porque Es nuevo para ti.: x"
    )


def test_a_broken_translation_falls_back_to_english(monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken:
        def gettext(self, message: str) -> str:
            return "{missing} roto"

    monkeypatch.setattr(translation, "_catalogue", lambda language: Broken())
    assert Message("Your code stopped with {error}.", error="KeyError").render("es_ES") == (
        "Your code stopped with KeyError."
    )


def test_users_get_jupyterlab_in_spanish_with_the_es_extra() -> None:
    root = PACKAGE.parent
    extras = tomllib.loads((root / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    assert any(r.startswith("jupyterlab-language-pack-es-ES") for r in extras["es"])
    assert 'pip install "jupyter-adaptive[es]"' in (root / "README.md").read_text()
