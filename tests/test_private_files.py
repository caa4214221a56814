"""Files that hold learners' data or the secret are private, and CSV is safe in a spreadsheet
(issue 13, items 6 and 8)."""

from __future__ import annotations

import csv
import io
import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from jupyter_adaptive.cli import main
from jupyter_adaptive.pseudonyms import load_or_create_secret
from jupyter_adaptive.recording import Recorder, RecordingPolicy
from jupyter_adaptive.spreadsheet_csv import SpreadsheetWriter
from jupyter_adaptive.store import Store
from tests.fixtures.api import attempt_event


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_secret_is_created_private_and_once(tmp_path: Path) -> None:
    path = tmp_path / "secret"
    with ThreadPoolExecutor(max_workers=8) as pool:
        secrets = set(pool.map(lambda _: load_or_create_secret(path), range(16)))
    assert len(secrets) == 1
    assert mode(path) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["secret"]  # no temporary left behind


def test_a_secret_others_can_read_is_refused_at_start(tmp_path: Path) -> None:
    path = tmp_path / "secret"
    load_or_create_secret(path)
    path.chmod(0o644)
    with pytest.raises(ValueError, match="open to other users"):
        load_or_create_secret(path)


def test_the_sqlite_store_and_exports_are_private(tmp_path: Path) -> None:
    db = tmp_path / "store.sqlite"
    store = Store.open(f"sqlite:///{db}")
    Recorder(store, RecordingPolicy(consent_default="drafts")).record(
        "learner-1", [attempt_event(source="=1+1")]
    )
    assert mode(db) == 0o600
    assert all(mode(p) == 0o600 for p in tmp_path.glob("store.sqlite*"))
    store.close()
    out = tmp_path / "events.csv"
    assert (
        main(["export", "--db-url", f"sqlite:///{db}", "--format", "pybkt", "--out", str(out)]) == 0
    )
    assert mode(out) == 0o600


def test_text_a_spreadsheet_would_run_is_written_as_text() -> None:
    out = io.StringIO()
    SpreadsheetWriter(out).writerows(
        [['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "plain", -3, 0.5]]
    )
    [row] = list(csv.reader(io.StringIO(out.getvalue())))
    assert row == ['\'=HYPERLINK("http://x")', "'+1", "'-2", "'@SUM(A1)", "plain", "-3", "0.5"]
