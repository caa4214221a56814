"""Fixtures of the mastery tests: small real response logs and models fitted on them."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from jupyter_adaptive.mastery.bkt import BKT
from jupyter_adaptive.mastery.logistic import LogisticKT
from jupyter_adaptive.mastery.responses import read_responses

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def ct_path() -> Path:
    return DATA / "ct_sample.csv.gz"


@pytest.fixture(scope="session")
def ct(ct_path: Path) -> pd.DataFrame:
    return read_responses(ct_path)


@pytest.fixture(scope="session")
def algebra() -> pd.DataFrame:
    """A log with timestamps, so the time-window features are in play."""
    return read_responses(DATA / "algebra2005_sample.csv.gz")


@pytest.fixture(scope="session")
def assist() -> pd.DataFrame:
    """A log with ``template_id``, so items get their own guess and slip."""
    return read_responses(DATA / "assist2009_early_sample.csv.gz")


@pytest.fixture(scope="session")
def ct_logistic(ct: pd.DataFrame) -> LogisticKT:
    return LogisticKT().fit(ct)


@pytest.fixture(scope="session")
def ct_bkt(ct: pd.DataFrame) -> BKT:
    return BKT().fit(ct)
