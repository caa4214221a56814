"""The audit report as files: JSON (every figure) and a standalone HTML page with its plots (inline
SVG, so the page needs nothing else to open and no plotting library to be written)."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..mastery.atomic_write import write_atomically

__all__ = ["report_html", "write_report"]

_WIDTH, _HEIGHT, _LEFT, _BOTTOM = 460, 220, 44, 56


def _number(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_number(v)}" for k, v in value.items()) or "—"
    return str(value)


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    head = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_number(v))}</td>" for v in row) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _bars_svg(
    title: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    intervals: Sequence[Sequence[float] | None] | None = None,
) -> str:
    """Bars (with 95% intervals when given) as an accessible inline SVG."""
    known = [v for v in values if v is not None]
    tops = [i[1] for i in intervals or [] if i is not None]
    top = max([*known, *tops, 1e-9])
    bottom = min([0.0, *known, *(i[0] for i in intervals or [] if i is not None)])
    span = top - bottom
    step = (_WIDTH - _LEFT) / max(len(labels), 1)

    def y(value: float) -> float:
        return 10 + (_HEIGHT - 10 - _BOTTOM) * (top - value) / span

    parts = [
        f'<line x1="{_LEFT}" x2="{_WIDTH}" y1="{y(0):.1f}" y2="{y(0):.1f}" stroke="#555"/>',
        f'<text x="4" y="{y(top) + 4:.1f}" font-size="11">{top:.2f}</text>',
    ]
    if bottom < 0:
        parts.append(f'<text x="4" y="{y(bottom):.1f}" font-size="11">{bottom:.2f}</text>')
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = _LEFT + index * step + step * 0.2
        if value is not None:
            upper, lower = max(value, 0.0), min(value, 0.0)
            parts.append(
                f'<rect x="{x:.1f}" y="{y(upper):.1f}" width="{step * 0.6:.1f}" '
                f'height="{y(lower) - y(upper):.1f}" fill="#4a78b5"><title>'
                f"{html.escape(label)}: {value:.3f}</title></rect>"
            )
        interval = intervals[index] if intervals else None
        if interval is not None:
            middle = x + step * 0.3
            parts.append(
                f'<line x1="{middle:.1f}" x2="{middle:.1f}" y1="{y(interval[1]):.1f}" '
                f'y2="{y(interval[0]):.1f}" stroke="#1b1b1b" stroke-width="2"/>'
            )
        parts.append(
            f'<text x="{x + step * 0.3:.1f}" y="{_HEIGHT - _BOTTOM + 16}" font-size="11" '
            f'text-anchor="middle">{html.escape(label[:18])}</text>'
        )
    described = "; ".join(
        f"{label}: {_number(value)}" for label, value in zip(labels, values, strict=True)
    )
    return (
        f'<figure><svg role="img" width="{_WIDTH}" height="{_HEIGHT}" '
        f'viewBox="0 0 {_WIDTH} {_HEIGHT}" aria-label="{html.escape(title)}: '
        f'{html.escape(described)}">{"".join(parts)}</svg>'
        f"<figcaption>{html.escape(title)}</figcaption></figure>"
    )


def _reliability_svg(bins: Sequence[dict[str, float]]) -> str:
    size, pad = 220, 30

    def at(value: float) -> float:
        return pad + (size - 2 * pad) * value

    points = "".join(
        f'<circle cx="{at(b["predicted"]):.1f}" cy="{size - at(b["observed"]):.1f}" r="4" '
        f'fill="#4a78b5"><title>predicted {b["predicted"]:.2f}, observed {b["observed"]:.2f}, '
        f"{int(b['n'])} answers</title></circle>"
        for b in bins
    )
    return (
        f'<figure><svg role="img" width="{size}" height="{size}" aria-label="reliability '
        f'diagram of the mastery model: observed share right against predicted">'
        f'<line x1="{at(0)}" y1="{size - at(0)}" x2="{at(1)}" y2="{size - at(1)}" '
        f'stroke="#999" stroke-dasharray="4"/>{points}</svg>'
        "<figcaption>Mastery model: observed share right (up) against predicted P(right) "
        "(across), held-out answers; the dashed line is perfect calibration</figcaption></figure>"
    )


_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:60em;margin:1em auto;padding:0 1em;"
    "color:#1b1b1b}table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #999;"
    "padding:.2em .5em;text-align:left}figure{display:inline-block;margin:.5em}"
    ".missed{color:#a00000;font-weight:bold}"
)


def report_html(report: dict[str, Any]) -> str:
    """The report as one standalone, accessible HTML page (every text escaped)."""
    e = html.escape
    parts = [
        f"<h1>Quarterly audit: {e(report['title'])}</h1>",
        f"<p>Course <code>{e(report['course'])}</code>, run on {e(report['ran_at'])} "
        f"(next due by {e(report['next_due'])}). Subgroups: {e(report['subgroups'])}.</p>",
        "<h2>Success against targets</h2>",
    ]
    if report["targets"]:
        parts.append(
            _table(
                ["target", "wanted", "actual", "met"],
                [
                    [
                        t["label"] + (f" ({t['detail']})" if t["detail"] else ""),
                        t["target"],
                        t["actual"],
                        t["met"],
                    ]
                    for t in report["targets"]
                ],
            )
        )
    else:
        parts.append("<p>The course declares no targets (course.yaml, <code>targets</code>).</p>")
    parts.append("<h2>Fairness by subgroup</h2>")
    if not report["fairness"]:
        parts.append("<p>No subgroup column has two groups with evidence: nothing to compare.</p>")
    for attribute in report["fairness"]:
        groups = attribute["groups"]
        names = [g["group"] for g in groups]
        parts.append(f"<h3>By {e(attribute['attribute'])}</h3>")
        parts.append(
            _table(
                [
                    "group",
                    "learners",
                    "labelled",
                    "early-warning AUC",
                    "calibration",
                    "false positives",
                    "false negatives",
                    "mean gain",
                    "mean answers to mastery",
                    "mastered share",
                    "median minutes to mastery",
                ],
                [
                    [
                        g["group"],
                        g["learners"],
                        g["labelled_learners"],
                        g["early_warning_auc"],
                        g["early_warning_calibration"],
                        g["false_positive_rate"],
                        g["false_negative_rate"],
                        g["mastery_gain"],
                        g["answers_to_mastery"],
                        g["mastered_share"],
                        g["median_minutes_to_mastery"],
                    ]
                    for g in groups
                ],
            )
        )
        parts.append(
            _bars_svg(
                f"Mean mastery gain by {attribute['attribute']} (95% intervals)",
                names,
                [g["mastery_gain"] for g in groups],
                [g["mastery_gain_interval"] for g in groups],
            )
        )
        parts.append(
            _bars_svg(
                f"Early-warning AUC by {attribute['attribute']}",
                names,
                [g["early_warning_auc"] for g in groups],
            )
        )
        parts.append(
            _table(
                ["metric", "highest", "lowest", "gap", "bootstrap SE", "gap / SE"],
                [
                    [
                        gap["meaning"],
                        gap["high_group"],
                        gap["low_group"],
                        gap["gap"],
                        gap["standard_error"],
                        gap["z"],
                    ]
                    for gap in attribute["gaps"]
                ],
            )
        )
    health = report["model_health"]
    parts.append("<h2>Model health</h2>")
    parts.append(
        _table(
            ["figure", "value"],
            [[k, v] for k, v in health.items() if k != "mastery_reliability_bins"],
        )
    )
    if health["mastery_reliability_bins"]:
        parts.append(_reliability_svg(health["mastery_reliability_bins"]))
    drift = report["drift"]
    parts.append("<h3>Drift since the last audit</h3>")
    if drift["figures"]:
        parts.append(f"<p>Compared with {e(str(drift['previous_report']))}.</p>")
        parts.append(
            _table(
                ["figure", "then", "now", "change"],
                [[d["figure"], d["previous"], d["now"], d["change"]] for d in drift["figures"]],
            )
        )
    else:
        parts.append(f"<p>{e(drift['note'])}</p>")
    access = report["accessibility"]
    parts.append("<h2>Accessibility (axe-core, WCAG 2.1 A and AA)</h2>")
    status = access["status"]
    reason = f": {access['reason']}" if access["reason"] else ""
    parts.append(
        f'<p class="{"missed" if status != "run" or access["violations"] else ""}">'
        f"{e(status)}{e(reason)}; {access['violations']} violation(s).</p>"
    )
    rows = [
        [
            page["name"],
            len(page["violations"]),
            "; ".join(f"{v['rule']} ({v['impact']}): {v['help']}" for v in page["violations"]),
        ]
        for page in access["pages"]
    ]
    if rows:
        parts.append(_table(["page", "violations", "rules broken"], rows))
    parts.append("<h2>Privacy</h2>")
    parts.append(_table(["figure", "value"], list(report["privacy"].items())))
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">'
        f"<title>Quarterly audit: {e(report['title'])} ({e(report['ran_at'][:10])})</title>"
        f"<style>{_STYLE}</style></head>\n<body><main>\n"
        + "\n".join(parts)
        + "\n</main></body>\n</html>\n"
    )


def write_report(report: dict[str, Any], out: Path) -> tuple[Path, Path]:
    """Write ``<course>-audit-<date>.json`` and ``.html`` into ``out``; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    stem = out / f"{report['course']}-audit-{report['ran_at'][:10]}"
    written = []
    for suffix, text in (
        (".json", json.dumps(report, indent=1, default=str) + "\n"),
        (".html", report_html(report)),
    ):
        path = Path(f"{stem}{suffix}")

        def save(temporary: str, text: str = text) -> None:
            Path(temporary).write_text(text, encoding="utf-8")

        write_atomically(str(path), save)
        written.append(path)
    return written[0], written[1]
