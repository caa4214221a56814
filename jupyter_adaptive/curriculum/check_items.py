"""Check items: short auto-checked questions of a unit, asked by the adaptive check-in (CAT).

A check item has one right answer, its ``key``, which never reaches the learner: the inserted test
cell holds only a salted SHA-256 of the normalised key (see :mod:`.answer_fingerprint`) and
compares it with the fingerprint of the learner's ``answer``. Four kinds:

``choice``
    pick one of the lettered ``options``; the key is a letter.
``numeric``
    a number, compared after rounding to ``decimals`` places.
``output``
    predict what ``code`` prints; the key is the printed text.
``expression``
    one line of Python computing a value from the ``setup`` data; the key is a reference
    expression, evaluated with the setup to fingerprint its value (course code is trusted, as its
    notebooks are).
"""

from __future__ import annotations

import inspect
import string
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..translation import _, ngettext
from .answer_fingerprint import answer_fingerprint
from .injected_cells import injected_cells
from .translations import Translatable, Translations

__all__ = ["CHECK_KINDS", "CheckItem", "option_letters"]

#: The kinds of check items, in the order the course format documents them.
CHECK_KINDS = ("choice", "numeric", "output", "expression")

_FINGERPRINT_SOURCE = inspect.getsource(answer_fingerprint)


def option_letters(count: int) -> tuple[str, ...]:
    """The letters naming ``count`` options of a choice: ``a``, ``b``, ..."""
    return tuple(string.ascii_lowercase[:count])


@dataclass(frozen=True)
class CheckItem(Translatable):
    """One check item of a unit, read from ``checks/<unit>.yaml``.

    ``key`` is kept as text: the letter of a choice, the number of a numeric check, the printed
    text of an output check, the reference expression of an expression check. ``difficulty`` is
    declared on the practice items' scale (1 easy .. 3 hard) and is the calibration's prior.
    The prompt and the options may be translated (``prompt_es``, ``options_es``); the key is the
    same in every language.
    """

    id: str
    unit: str
    skills: tuple[str, ...]
    difficulty: int
    kind: str
    prompt: str
    key: str
    options: tuple[str, ...] = ()
    setup: str = ""
    code: str = ""
    decimals: int = 2
    file: str = ""
    translations: Translations = field(default_factory=dict, compare=False)

    @property
    def answer_code(self) -> str:
        """The answer cell as the learner first sees it: the setup, then ``answer = ...``."""
        return "\n\n".join(part for part in (self.setup.strip("\n"), "answer = ...") if part)

    def key_value(self) -> object:
        """The right answer as a learner would give it: for an expression check, the value of the
        reference expression run after the setup."""
        if self.kind == "numeric":
            return float(self.key)
        if self.kind == "expression":
            namespace: dict[str, Any] = {"__name__": "__check__"}
            exec(compile(self.setup, f"<setup of {self.id}>", "exec"), namespace)
            return eval(compile(self.key, f"<key of {self.id}>", "eval"), namespace)
        return self.key

    @cached_property
    def key_fingerprint(self) -> str:
        """The salted SHA-256 the test cell compares the learner's answer with."""
        return answer_fingerprint(self.key_value(), self.kind, self.id, self.decimals)

    def adaptive_metadata(self) -> dict[str, Any]:
        """The ``metadata.adaptive`` shared by the cells of this check: marked ``kind: check``
        with its ``format`` (the kind of check), and without hints."""
        return {
            "item": self.id,
            "skills": list(self.skills),
            "difficulty": self.difficulty,
            "unit": self.unit,
            "kind": "check",
            "format": self.kind,
            "hints": [],
        }

    def cells(self) -> list[dict[str, Any]]:
        """The nbformat 4 cells to insert: prompt, answer (``answer = ...``), auto-check."""
        return injected_cells(
            self._prompt_markdown(), self.answer_code, self._test_code(), self.adaptive_metadata()
        )

    def _prompt_markdown(self) -> str:
        parts = [_("**Check** · `{item}`", item=self.id), self.localized("prompt").strip()]
        if self.kind == "output":
            parts.append(f"```python\n{self.code.strip()}\n```")
        if self.kind == "choice":
            letters = option_letters(len(self.options))
            listed = zip(letters, self.localized("options"), strict=True)
            parts.append("\n".join(f"- **{x})** {option.strip()}" for x, option in listed))
        parts.append(f"*{self._instruction()}*")
        return "\n\n".join(parts)

    def _instruction(self) -> str:
        if self.kind == "choice":
            return _('Set `answer` to the letter of your choice, e.g. `answer = "a"`.')
        if self.kind == "numeric" and self.decimals == 0:
            return _("Set `answer` to a whole number.")
        if self.kind == "numeric":
            return ngettext(
                "Set `answer` to a number (checked to {n} decimal place).",
                "Set `answer` to a number (checked to {n} decimal places).",
                self.decimals,
            )
        if self.kind == "output":
            return _(
                "Set `answer` to the text this code prints, as a string "
                '(`"""..."""` for several lines).'
            )
        return _("Set `answer` to one expression that computes it from the data in the cell below.")

    def _answer_form_check(self) -> str:
        """A first assertion that the answer has the right form, with a message saying which."""
        if self.kind == "choice":
            letters = option_letters(len(self.options))
            message = _(
                "Answer with one of the letters {letters}.",
                letters=", ".join(repr(x) for x in letters),
            )
            return f"assert str(answer).strip().lower() in {letters!r}, {message!r}\n"
        if self.kind == "numeric":
            message = _("Answer with a number such as 0.25, without quotes.")
            return (
                "import numbers\n\n"
                "assert isinstance(answer, numbers.Real) and not isinstance(answer, bool), "
                f"{message!r}\n"
            )
        if self.kind == "output":
            message = _("Answer with the printed text, in quotes.")
            return f"assert isinstance(answer, str), {message!r}\n"
        return ""

    def _test_code(self) -> str:
        comment = _("The right answer is kept here only as a fingerprint; this cell checks yours.")
        placeholder = _("Replace `...` with your answer.")
        wrong = _("Not the right answer.")
        return (
            f"# {comment}\n"
            f"{_FINGERPRINT_SOURCE}\n\n"
            f"assert answer is not ..., {placeholder!r}\n"
            f"{self._answer_form_check()}"
            f"assert answer_fingerprint(answer, {self.kind!r}, {self.id!r}, {self.decimals}) == "
            f"{self.key_fingerprint!r}, {wrong!r}\n"
        )
