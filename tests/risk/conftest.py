"""Fixtures of the risk tests: the mastery tests' small real sample, synthetic logs, and a
malicious old-style (pickled) model file."""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from jupyter_adaptive.mastery.responses import read_responses
from jupyter_adaptive.risk.model import RiskModel
from jupyter_adaptive.risk.model_file import FORMAT

#: Reused from the mastery tests (see the README there for the source and credit).
CT_SAMPLE = Path(__file__).parent.parent / "mastery" / "data" / "ct_sample.csv.gz"


@pytest.fixture(scope="session")
def ct_path() -> Path:
    return CT_SAMPLE


@pytest.fixture(scope="session")
def ct() -> pd.DataFrame:
    return read_responses(CT_SAMPLE)


@pytest.fixture(scope="session")
def ct_risk(ct: pd.DataFrame) -> RiskModel:
    return RiskModel().fit(ct)


def synthetic_log(
    learners: int = 300,
    attempts: int = 30,
    skills: int = 4,
    noisy: set[str] | None = None,
    seed: int = 0,
) -> pd.DataFrame:
    """Answers of learners of varied ability who improve with practice.

    Learners in ``noisy`` answer at random (a coin flip), whatever their history: no model can
    predict them, which plants a gap in the mastery model's AUC.
    """
    rng = np.random.RandomState(seed)
    rows = []
    for u in range(learners):
        user = f"u{u:04d}"
        ability = rng.normal(0.0, 1.2)
        practice = np.zeros(skills)
        for t in range(attempts):
            skill = rng.randint(skills)
            logit = ability - 0.3 * skill + 0.25 * practice[skill] - 0.5
            p = 0.5 if noisy and user in noisy else 1.0 / (1.0 + np.exp(-logit))
            rows.append((u * attempts + t, user, f"skill {skill}", int(rng.rand() < p)))
            practice[skill] += 1
    return pd.DataFrame(rows, columns=["order_id", "user_id", "skill_name", "correct"])


class _MakesDirectory:
    """Unpickled, makes a directory: what any code in a pickle could do instead."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self) -> tuple[Any, ...]:
        return os.mkdir, (str(self.path),)


@pytest.fixture
def malicious_pickle(tmp_path: Path) -> tuple[Path, Path]:
    """A model file laid out as the pickled ones were, header first, whose model makes the
    directory ``marker`` when unpickled: (file, marker)."""
    path, marker = tmp_path / "risk.model", tmp_path / "marker"
    header = {"format": FORMAT, "format_version": 1, "versions": {}}
    path.write_bytes(pickle.dumps({**header, "model": _MakesDirectory(marker)}, protocol=5))
    return path, marker
