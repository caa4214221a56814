"""``jupyter-adaptive audit``: the quarterly audit of a course, written as a dated report (JSON
and HTML) and logged in the store so the dashboard knows when the next is due.

pandas, scikit-learn and playwright are imported inside the command, so ``--help`` stays fast.
"""

from __future__ import annotations

import argparse
from typing import Any

from .options import add_db_url, configured_db_url

__all__ = ["register"]


def _audit(args: argparse.Namespace) -> int:
    import getpass
    from pathlib import Path

    from ..audit import run_audit
    from ..audit.report import write_report
    from ..curriculum import load_course
    from ..mastery.course_models import CourseModels
    from ..store import Store
    from ..store.privacy_queries import record_audit_run
    from .options import configured_app

    course = load_course(Path(args.course))
    app = configured_app()
    roster = None
    if args.roster:
        from ..risk.fairness import read_roster

        table = read_roster(args.roster)
        roster = {
            str(who): {k: str(v) for k, v in row.items() if v} for who, row in table.iterrows()
        }
    risk_model = None
    if args.risk_model:
        from ..risk.model_file import load_risk_model

        risk_model = load_risk_model(args.risk_model)
    store = Store.open(args.db_url or configured_db_url())
    try:
        report = run_audit(
            store,
            course,
            CourseModels(app.model_dir),
            retention_days=app.retention_days,
            roster=roster,
            risk_model=risk_model,
            accessibility=not args.no_accessibility,
            seed=args.seed,
        )
        json_path, html_path = write_report(report, Path(args.out))
        with store.transaction() as session:
            record_audit_run(session, course.id, getpass.getuser(), str(json_path.resolve()))
    finally:
        store.close()
    print(f"wrote {json_path}\nwrote {html_path}")
    for target in report["targets"]:
        verdict = {True: "met", False: "MISSED", None: "no figure yet"}[target["met"]]
        actual = "—" if target["actual"] is None else f"{target['actual']:.3g}"
        print(f"  {target['label']}: {actual} for {target['target']:g}: {verdict}")
    access = report["accessibility"]
    reason = f" ({access['reason']})" if access["reason"] else ""
    print(f"  accessibility: {access['status']}{reason}, {access['violations']} violation(s)")
    print(f"  next audit due by {report['next_due']} ({report['seconds']} s)")
    return 0


def register(subparsers: Any) -> None:
    """Add ``audit``."""
    parser = subparsers.add_parser(
        "audit",
        help="write the course's quarterly audit (fairness, model health, accessibility, privacy)",
        description="Write a dated report (JSON and HTML with plots) of the course: success "
        "against its targets; per subgroup the early-warning model's AUC, calibration and error "
        "rates, mastery gain and time to mastery, with the gaps' bootstrap standard errors; model "
        "health and its drift since the last audit; axe on the dashboard and a notebook in "
        "chromium; retention, consent, exports, deletions, appeals and overrides.",
    )
    add_db_url(parser)
    parser.add_argument("--course", required=True, help="the course folder (courses/<course>)")
    parser.add_argument("--out", required=True, help="folder to write the report to")
    parser.add_argument(
        "--roster",
        metavar="ROSTER.csv",
        help="user_id (pseudonyms) plus one column per subgroup attribute (default: quartiles "
        "of activity)",
    )
    parser.add_argument(
        "--risk-model",
        help="the early-warning model from `jupyter-adaptive risk fit` the dashboard uses "
        "(default: one fitted on the class, each learner scored out of fold)",
    )
    parser.add_argument(
        "--no-accessibility",
        action="store_true",
        help="skip the axe check in chromium (the report says it was not run)",
    )
    parser.add_argument("--seed", type=int, default=0, help="bootstrap and fold seed (default: 0)")
    parser.set_defaults(func=_audit)
