"""A course's item bank: the 2PL parameters of its items as calibrated (or, for items with too few
answers, as their declared difficulty suggests), kept in ``<model_dir>/<course>.items.json``.

``jupyter-adaptive items calibrate`` writes the file; the check-in engine, ``GET items`` and the
dashboard's item analysis read it. A course without a file, and any item the file lacks, gets the
prior from its declared difficulty, so check-ins work from the first day of a course.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import InvalidRequestError
from ..mastery.atomic_write import write_atomically

__all__ = [
    "BANK_FORMAT",
    "PRIOR_A",
    "PRIOR_SE_A",
    "PRIOR_SE_B",
    "BankFiles",
    "ItemBank",
    "ItemParameters",
    "bank_path",
    "prior_difficulty",
    "prior_parameters",
]

_log = logging.getLogger(__name__)

#: The version of the file format.
BANK_FORMAT = 1
#: The discrimination an uncalibrated item is assumed to have, and the uncertainty of that guess.
PRIOR_A = 1.0
PRIOR_SE_A = 0.5
#: The uncertainty of a difficulty read from the declared level.
PRIOR_SE_B = 1.0


def prior_difficulty(declared: int) -> float:
    """The 2PL difficulty of a declared level (1 easy, 2 medium, 3 hard): -1, 0 and 1, i.e. an
    average learner passes an easy item three times in four and a hard one once in four."""
    return float(declared) - 2.0


@dataclass(frozen=True)
class ItemParameters:
    """One item's 2PL parameters with their standard errors.

    ``n`` is the number of first answers behind them; ``source`` is ``fit`` (calibrated) or
    ``prior`` (from the declared difficulty); ``flags`` are sentences stating why the item looks
    misfitting, each with its evidence; ``fit_p`` is the p-value of the item's S-X² fit statistic
    (None where none was computed). A standard error is None where the fit has none (a parameter
    at the bound of its range).
    """

    item: str
    skills: tuple[str, ...]
    a: float
    b: float
    se_a: float | None
    se_b: float | None
    n: int
    source: str = "prior"
    flags: tuple[str, ...] = ()
    fit_p: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """The item as ``GET items`` answers it."""
        return {
            "item": self.item,
            "skills": list(self.skills),
            "a": round(self.a, 4),
            "b": round(self.b, 4),
            "se_a": _rounded(self.se_a),
            "se_b": _rounded(self.se_b),
            "n": self.n,
            "flags": list(self.flags),
            "source": self.source,
            "fit_p": None if self.fit_p is None else round(self.fit_p, 6),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ItemParameters:
        """An item read back from :meth:`as_dict`."""
        return cls(
            item=str(data["item"]),
            skills=tuple(str(skill) for skill in data["skills"]),
            a=float(data["a"]),
            b=float(data["b"]),
            se_a=None if data["se_a"] is None else float(data["se_a"]),
            se_b=None if data["se_b"] is None else float(data["se_b"]),
            n=int(data["n"]),
            source=str(data.get("source", "fit")),
            flags=tuple(str(flag) for flag in data.get("flags", ())),
            fit_p=None if data.get("fit_p") is None else float(data["fit_p"]),
        )


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def prior_parameters(item: str, skills: Iterable[str], declared: int, n: int = 0) -> ItemParameters:
    """An item's parameters before calibration: discrimination 1, difficulty from its level."""
    return ItemParameters(
        item=item,
        skills=tuple(skills),
        a=PRIOR_A,
        b=prior_difficulty(declared),
        se_a=PRIOR_SE_A,
        se_b=PRIOR_SE_B,
        n=n,
    )


@dataclass(frozen=True)
class ItemBank:
    """The calibrated items of one course; ``summary`` says what the calibration was fitted on."""

    course: str
    items: dict[str, ItemParameters] = field(default_factory=dict)
    summary: str = ""

    def get(self, item: str) -> ItemParameters | None:
        """The item's parameters, if the bank has them."""
        return self.items.get(item)

    def parameters(self, item: str, skills: Iterable[str], declared: int) -> ItemParameters:
        """The item's calibrated parameters with these (the course's) skills, else its prior
        from the ``declared`` difficulty."""
        found = self.items.get(item)
        if found is None:
            return prior_parameters(item, skills, declared)
        return replace(found, skills=tuple(skills))

    def to_json(self) -> str:
        """The bank as the file holds it."""
        return json.dumps(
            {
                "format": BANK_FORMAT,
                "course": self.course,
                "summary": self.summary,
                "items": [params.as_dict() for params in self.items.values()],
            },
            indent=1,
        )

    def write(self, path: str | os.PathLike[str]) -> None:
        """Write the bank to ``path`` whole (a reader never sees half a file)."""
        text = self.to_json()

        def save(temporary: str) -> None:
            Path(temporary).write_text(text, encoding="utf-8")

        write_atomically(str(path), save)

    @classmethod
    def read(cls, path: str | os.PathLike[str]) -> ItemBank:
        """Read a bank file.

        Raises
        ------
        InvalidRequestError
            When the file is not an item bank of this format.
        """
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            if data.get("format") != BANK_FORMAT:
                raise ValueError(f"format {data.get('format')!r}, expected {BANK_FORMAT}")
            items = [ItemParameters.from_dict(entry) for entry in data["items"]]
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise InvalidRequestError(f"{path} is not a readable item bank: {exc}.") from exc
        return cls(str(data["course"]), {p.item: p for p in items}, str(data.get("summary", "")))


def bank_path(model_dir: str | os.PathLike[str], course: str) -> Path:
    """Where a course's item bank lives: ``<model_dir>/<course>.items.json``."""
    return Path(model_dir) / f"{course}.items.json"


class BankFiles:
    """The item banks of a model folder, each read again when its file changes; a course
    without a readable file has an empty bank (every item keeps its prior)."""

    def __init__(self, model_dir: str | os.PathLike[str] | None) -> None:
        self.model_dir = model_dir
        self._cache: dict[str, tuple[float, ItemBank]] = {}

    def get(self, course: str) -> ItemBank:
        """The course's bank as its file now is."""
        if self.model_dir is None:
            return ItemBank(course)
        path = bank_path(self.model_dir, course)
        try:
            changed = path.stat().st_mtime
        except OSError:
            return ItemBank(course)
        cached = self._cache.get(course)
        if cached is None or cached[0] != changed:
            try:
                bank = ItemBank.read(path)
            except InvalidRequestError as exc:
                _log.warning("jupyter_adaptive: items keep their priors: %s", exc.message)
                bank = ItemBank(course)
            self._cache[course] = (changed, bank)
            return bank
        return cached[1]
