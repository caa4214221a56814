"""Course content in the learner's language: a translated field sits next to its original, named
after it with the language's code as suffix (``prompt_es``, ``hints_es``, ``title_es``, ...).

Which fields can be translated: a skill's ``name`` and ``description``, a practice item's
``prompt`` and ``hints``, a check item's ``prompt`` and ``options``, a misconception's ``title``
and ``feedback``, and the ``hints`` of a graded exercise (in its cells' ``metadata.adaptive``,
where the labextension reads them too). Translated hints and options come in the same number and
order as the originals, since a hint or an option is named by its position. Whatever is not
translated is shown in the original.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..translation import current_language

__all__ = ["TRANSLATABLE", "Translatable", "content_language", "inherited", "split_translations"]

#: The fields that may carry translations, by kind of course entry.
TRANSLATABLE: dict[str, tuple[str, ...]] = {
    "skill": ("name", "description"),
    "item": ("prompt", "hints"),
    "check": ("prompt", "options"),
    "misconception": ("title", "feedback"),
    "exercise": ("hints",),
}

_SUFFIXED = re.compile(r"(?P<field>[a-z]+)_(?P<language>[a-z]{2,3})")

#: Translations of one entry: language code -> field -> translated value.
Translations = Mapping[str, Mapping[str, Any]]


def content_language(language: str | None = None) -> str:
    """The code course files use for a language: ``es`` for the server's ``es_ES``."""
    return (language or current_language()).split("_")[0].lower()


def split_translations(
    entry: Mapping[str, Any], fields: tuple[str, ...]
) -> tuple[dict[str, Any], dict[str, dict[str, Any]], list[str]]:
    """Separate an entry's translated fields from the rest.

    Returns the entry without them, its translations (language -> field -> value) and one
    sentence per problem: a translation of a field the entry does not set, a translation that is
    not text, translated hints or options that are not a list of as many texts as the originals.
    """
    rest: dict[str, Any] = {}
    translations: dict[str, dict[str, Any]] = {}
    problems: list[str] = []
    for key, value in entry.items():
        match = _SUFFIXED.fullmatch(key)
        if match is None or match["field"] not in fields:
            rest[key] = value
            continue
        name, language = match["field"], match["language"]
        original = entry.get(name)
        if original is None:
            problems.append(f"{key!r} translates {name!r}, which is not set")
        elif isinstance(original, list):
            if not isinstance(value, list) or not all(isinstance(h, str) for h in value):
                problems.append(f"{key!r} must be a list of texts")
            elif len(value) != len(original):
                problems.append(
                    f"{key!r} has {len(value)} {name} for the {len(original)} of {name!r}: "
                    "each is named by its position"
                )
            else:
                translations.setdefault(language, {})[name] = tuple(value)
        elif not isinstance(value, str) or not value.strip():
            problems.append(f"{key!r} must be a non-empty text")
        else:
            translations.setdefault(language, {})[name] = value
    return rest, translations, problems


def inherited(base: Mapping[str, Any], entry: Mapping[str, Any], keys: tuple[str, ...]) -> dict:
    """What a variant takes from its base: the ``keys`` it does not set, each with its
    translations (a translation never outlives the original it translates)."""
    taken: dict[str, Any] = {}
    for key, value in base.items():
        match = _SUFFIXED.fullmatch(key)
        name = match["field"] if match and match["field"] in keys else key
        if name in keys and name not in entry:
            taken[key] = value
    return taken


class Translatable:
    """A course entry with ``translations`` (language -> field -> value): :meth:`localized` gives
    a field in the learner's language."""

    translations: Translations

    def localized(self, name: str, language: str | None = None) -> Any:
        """The field ``name`` in ``language`` (default: the current one), else the original."""
        translated = self.translations.get(content_language(language), {})
        return translated.get(name, getattr(self, name))
