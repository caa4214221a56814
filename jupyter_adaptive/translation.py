"""The server's sentences in the learner's language.

Sentences are English ``msgid`` s with named ``{placeholders}``, translated through gettext
catalogues: ``locale/<language>/LC_MESSAGES/jupyter_adaptive_server.po`` beside this module (the
labextension's own catalogue, ``jupyter_adaptive.json``, sits in the same folders). The ``.po``
files are the source; they are compiled in memory the first time a language is asked for, so no
build step can leave a stale ``.mo`` behind.

The language is chosen per request: the REST handlers set it from the ``Accept-Language`` header
that the labextension fills with JupyterLab's language (:func:`negotiate`, :func:`speaking`), and
it lives in a context variable, so the domain code marks sentences without passing a language
around:

- ``_("Your code stopped with {error}.", error=name)``: the sentence, now, in the request's
  language;
- ``ngettext("{n} minute", "{n} minutes", n)``: the same with a plural (``{n}`` is the count);
- ``Message("...", **args)``: the sentence kept as data (``as_dict``), rendered later in whoever
  reads it's language (``str(message)`` or ``render``): for sentences that are stored, such as
  evidence reasons.

``pybabel extract`` finds all three (see the Makefile's ``translations`` target); a test fails
while any of them lacks a Spanish translation.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

__all__ = [
    "DOMAIN",
    "LOCALE_DIR",
    "SOURCE_LANGUAGE",
    "Message",
    "_",
    "available_languages",
    "current_language",
    "negotiate",
    "ngettext",
    "set_language",
    "speaking",
]

#: The gettext domain of the server's sentences.
DOMAIN = "jupyter_adaptive_server"
#: Where the catalogues are: ``<language>/LC_MESSAGES/<DOMAIN>.po``.
LOCALE_DIR = Path(__file__).parent / "locale"
#: The language the sentences are written in.
SOURCE_LANGUAGE = "en"

_LANGUAGE: ContextVar[str] = ContextVar("jupyter_adaptive_language", default=SOURCE_LANGUAGE)


@cache
def available_languages() -> tuple[str, ...]:
    """The languages the server speaks: English and every language with a catalogue (folder
    names such as ``es_ES``)."""
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return (SOURCE_LANGUAGE, *found)


def negotiate(accept_language: str | None) -> str:
    """The best language we speak for an ``Accept-Language`` header (``es-ES,es;q=0.9,en;q=0.8``),
    English when none fits: an exact match first (``es-ES`` is ``es_ES``), else the same
    language in another region (``es-MX`` gets ``es_ES``)."""
    wanted: list[tuple[float, int, str]] = []
    for index, part in enumerate((accept_language or "").split(",")):
        tag, _sep, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and quality > 0:
            wanted.append((-quality, index, tag.strip().replace("-", "_").lower()))
    spoken = {language.lower(): language for language in available_languages()}
    by_base: dict[str, str] = {}
    for key, language in spoken.items():
        by_base.setdefault(key.split("_")[0], language)
    for _quality, _index, tag in sorted(wanted):
        if tag in spoken:
            return spoken[tag]
        base = tag.split("_")[0]
        if base in by_base:
            return by_base[base]
    return SOURCE_LANGUAGE


def current_language() -> str:
    """The language of the sentences made now (the request's, else English)."""
    return _LANGUAGE.get()


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Make the sentences of the block in ``language`` (one of :func:`available_languages`)."""
    token = _LANGUAGE.set(language)
    try:
        yield
    finally:
        _LANGUAGE.reset(token)


def set_language(language: str) -> None:
    """Make the sentences of the rest of this context (one request) in ``language``."""
    _LANGUAGE.set(language)


@cache
def _catalogue(language: str) -> gettext.NullTranslations:
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if language == SOURCE_LANGUAGE or not path.is_file():
        return gettext.NullTranslations()
    with path.open("rb") as source:
        catalog = read_po(source, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def _fill(template: str, fallback: str, args: Mapping[str, Any], language: str) -> str:
    values = {
        key: value.render(language) if isinstance(value, Message) else value
        for key, value in args.items()
    }
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        # A broken translation must not cost the learner the sentence: say it in English.
        return fallback.format(**values)


def _(msgid: str, /, **args: Any) -> str:
    """``msgid`` in the current language, its ``{placeholders}`` filled from ``args``."""
    return Message(msgid, args).render()


def ngettext(singular: str, plural: str, n: int, /, **args: Any) -> str:
    """The singular or plural sentence for ``n`` in the current language, filled from ``args``
    and ``{n}``."""
    return Message(singular, args, plural=plural, n=n).render()


@dataclass(frozen=True, init=False)
class Message:
    """A sentence kept as data: its English ``msgid`` (and ``plural`` for ``n``) and the values
    of its placeholders, which may be messages themselves. Rendered in any language on demand."""

    msgid: str
    args: Mapping[str, Any] = field(default_factory=dict)
    plural: str | None = None
    n: int | None = None

    def __init__(
        self,
        msgid: str,
        args: Mapping[str, Any] | None = None,
        /,
        *,
        plural: str | None = None,
        n: int | None = None,
        **kwargs: Any,
    ) -> None:
        object.__setattr__(self, "msgid", msgid)
        object.__setattr__(self, "args", {**(args or {}), **kwargs})
        object.__setattr__(self, "plural", plural)
        object.__setattr__(self, "n", n)

    def render(self, language: str | None = None) -> str:
        """The sentence in ``language`` (default: the current one)."""
        language = language or current_language()
        catalogue = _catalogue(language)
        if self.plural is not None:
            count = self.n or 0
            template = catalogue.ngettext(self.msgid, self.plural, count)
            english = self.msgid if count == 1 else self.plural
            return _fill(template, english, {"n": count, **self.args}, language)
        return _fill(catalogue.gettext(self.msgid), self.msgid, self.args, language)

    def __str__(self) -> str:
        return self.render()

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data, nested messages included, for :meth:`from_dict`."""
        data: dict[str, Any] = {
            "id": self.msgid,
            "args": {
                key: value.as_dict() if isinstance(value, Message) else value
                for key, value in self.args.items()
            },
        }
        if self.plural is not None:
            data.update(plural=self.plural, n=self.n)
        return data

    def with_arg(self, key: str, change: Callable[[Any], Any]) -> Message:
        """This message with its argument ``key`` (and that of nested messages) passed through
        ``change``: e.g. a skill's id made the name its reader knows."""
        args = {
            name: value.with_arg(key, change)
            if isinstance(value, Message)
            else change(value)
            if name == key
            else value
            for name, value in self.args.items()
        }
        return Message(self.msgid, args, plural=self.plural, n=self.n)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Message:
        """The message :meth:`as_dict` wrote (a nested dict argument is a nested message)."""
        args = {
            key: cls.from_dict(value) if isinstance(value, Mapping) else value
            for key, value in dict(data.get("args") or {}).items()
        }
        return cls(str(data["id"]), args, plural=data.get("plural"), n=data.get("n"))
