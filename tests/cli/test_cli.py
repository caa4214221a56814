"""The ``jupyter-adaptive`` command: help, clear errors, ``db upgrade`` and ``export``."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from jupyter_adaptive.cli import main
from jupyter_adaptive.recording import Recorder, RecordingPolicy
from jupyter_adaptive.store import Store
from tests.fixtures.api import attempt_event


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jupyter_adaptive", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_help_lists_the_commands() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in ("db", "export"):
        assert command in result.stdout


@pytest.mark.parametrize("args", [["no-such-command"], ["db"], ["export", "--format", "xml"]])
def test_bad_arguments_give_one_clear_line_and_exit_2(args: list[str]) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert result.stderr.count("error:") == 1
    assert "Traceback" not in result.stderr


def test_a_bad_database_url_is_one_line_and_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "upgrade", "--db-url", "not a url"]) == 1
    assert capsys.readouterr().err.startswith("jupyter-adaptive: error: The database URL")


def test_db_upgrade_creates_the_schema(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new' / 'store.sqlite'}"
    assert main(["db", "upgrade", "--db-url", url]) == 0
    store = Store(Store.open(url, migrate=False).engine)
    with store.transaction() as session:
        assert store.count_events(session) == 0


def recorded_store(url: str) -> list[dict[str, object]]:
    events = [
        attempt_event(outcome="incorrect", skills=["groupby", "selection"]),
        attempt_event(outcome="correct", attempt=2),
    ]
    recorder = Recorder(Store.open(url), RecordingPolicy(consent_default="drafts"))
    recorder.record("learner-a", events)
    recorder.store.close()
    return events


def test_export_jsonl_and_pybkt(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    events = recorded_store(url)
    assert main(["export", "--db-url", url, "--out", str(tmp_path / "events.jsonl")]) == 0
    lines = [json.loads(line) for line in (tmp_path / "events.jsonl").read_text().splitlines()]
    assert [line["event_id"] for line in lines] == [e["event_id"] for e in events]
    assert {line["learner"] for line in lines} == {"learner-a"}

    out = tmp_path / "events.csv"
    assert main(["export", "--db-url", url, "--format", "pybkt", "--out", str(out)]) == 0
    rows = list(csv.DictReader(out.open()))
    assert [(r["skill_name"], r["correct"]) for r in rows] == [
        ("groupby", "0"),
        ("selection", "0"),
        ("groupby", "1"),
    ]
    assert rows[0]["order_id"] == rows[1]["order_id"] < rows[2]["order_id"]


def test_export_mastery_and_evidence_round_trip(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    recorded_store(url)
    store = Store.open(url)
    with store.transaction() as session:
        stored = {
            (s.skill, s.p_mastery, s.n_observations) for s in store.mastery(session, "learner-a")
        }
        reasons = [e.reason for e in reversed(store.evidence(session, "learner-a"))]
    store.close()

    jsonl, table = tmp_path / "mastery.jsonl", tmp_path / "mastery.csv"
    assert main(["export", "--db-url", url, "--what", "mastery", "--out", str(jsonl)]) == 0
    args = ["export", "--db-url", url, "--what", "mastery", "--format", "csv", "--out", str(table)]
    assert main(args) == 0
    lines = [json.loads(line) for line in jsonl.read_text().splitlines()]
    rows = list(csv.DictReader(table.open()))
    assert {(r["skill"], r["p_mastery"], r["n_observations"]) for r in lines} == stored
    assert {(r["skill"], float(r["p_mastery"]), int(r["n_observations"])) for r in rows} == stored
    assert {r["learner"] for r in [*lines, *rows]} == {"learner-a"}

    evidence = tmp_path / "evidence.csv"
    args = ["export", "--db-url", url, "--what", "evidence", "--format", "csv"]
    assert main([*args, "--out", str(evidence)]) == 0
    rows = list(csv.DictReader(evidence.open()))
    assert [r["reason"] for r in rows] == reasons
    assert all(json.loads(r["params"])["learn"] >= 0 for r in rows)


def test_export_refuses_a_format_the_record_has_not(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    recorded_store(url)
    out = tmp_path / "mastery.csv"
    assert (
        main(
            ["export", "--db-url", url, "--what", "mastery", "--format", "pybkt", "--out", str(out)]
        )
        == 1
    )
    assert "--what mastery is written as jsonl or csv, not pybkt." in capsys.readouterr().err
    assert not out.exists()
