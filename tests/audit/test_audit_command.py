"""``jupyter-adaptive audit`` end to end on a seeded class, with axe in chromium: one browser run,
the slow test of the audit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jupyter_adaptive.audit.schedule import audit_status
from jupyter_adaptive.cli import main
from jupyter_adaptive.store import Store

from .conftest import COURSE_DIR

pytestmark = pytest.mark.browser


def test_the_audit_command_writes_a_dated_report_with_axe_results(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(tmp_path / "config"))
    out = tmp_path / "reports"

    code = main(["audit", "--db-url", db_url, "--course", str(COURSE_DIR), "--out", str(out)])

    assert code == 0
    [json_path] = out.glob("data-science-foundations-audit-*.json")
    report = json.loads(json_path.read_text())
    access = report["accessibility"]
    assert access["status"] == "run", access["reason"]
    assert [page["name"] for page in access["pages"]] == [
        "dashboard: Class",
        "dashboard: At risk",
        "dashboard: Learner",
        "dashboard: Items",
        "dashboard: Success",
        "dashboard: Model",
        "consent dialog",
        "feedback widget",
        "mastery panel",
    ]
    assert access["violations"] == sum(len(page["violations"]) for page in access["pages"])
    html_page = json_path.with_suffix(".html").read_text()
    assert "Accessibility (axe-core, WCAG 2.1 A and AA)" in html_page
    printed = capsys.readouterr().out
    assert f"wrote {json_path}" in printed and "accessibility: run" in printed
    store = Store.open(db_url)
    assert audit_status(store, "data-science-foundations").report == str(json_path.resolve())
    store.close()
