"""HTML pieces every view of the dashboard shares: escaped tables, drafts, downloads, small bars.

Everything a learner typed (drafts, appeal messages) is escaped before it reaches an HTML widget,
so it shows as text and never runs.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Collection, Sequence

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

__all__ = [
    "STYLE",
    "bar_html",
    "diff_html",
    "download_link",
    "draft_html",
    "html_table",
    "sparkline_svg",
]

_FORMATTER = HtmlFormatter(noclasses=True, nowrap=True)
#: The dashboard's stylesheet, shown once above the tabs.
STYLE = (
    "<style>.adaptive-draft{white-space:pre;overflow-x:auto;max-width:36em;margin:0}"
    ".adaptive-table td{vertical-align:top;padding:2px 8px}"
    ".adaptive-table th{text-align:left;padding:2px 8px}"
    ".adaptive-audit{font-size:0.85em}"
    ".adaptive-bar{display:inline-block;height:0.8em;background:#c62828;margin-right:4px}"
    ".adaptive-diff{white-space:pre;font-family:monospace;margin:0;max-width:40em;"
    "overflow-x:auto}"
    ".adaptive-error{color:#b00020}.adaptive-done{color:#1b5e20}</style>"
)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return html.escape(str(value))


def html_table(
    header: Sequence[str], rows: Sequence[Sequence[object]], *, raw: Collection[int] = ()
) -> str:
    """An HTML table with every cell escaped, except the columns in ``raw`` (already safe HTML)."""
    head = "".join(f"<th>{html.escape(name)}</th>" for name in header)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td>{value if index in raw else _cell(value)}</td>" for index, value in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return (
        f'<table class="adaptive-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
    )


def draft_html(source: str | None) -> str:
    """A draft as syntax-highlighted, escaped text: markup in it is shown, never interpreted."""
    if not source:
        return ""
    return f'<pre class="adaptive-draft">{highlight(source, PythonLexer(), _FORMATTER)}</pre>'


def diff_html(lines: Sequence[str]) -> str:
    """A unified diff as escaped text, added lines green and removed lines red."""
    colour = {"+": "#1b5e20", "-": "#b00020"}
    shown = []
    for line in lines:
        escaped = html.escape(line)
        tint = colour.get(line[:1]) if not line.startswith(("+++", "---")) else None
        shown.append(f'<span style="color:{tint}">{escaped}</span>' if tint else escaped)
    return '<pre class="adaptive-diff">' + "\n".join(shown) + "</pre>"


def bar_html(share: float, width_px: int = 120) -> str:
    """A small horizontal bar for a share between 0 and 1 (a reason's weight, say)."""
    share = min(max(share, 0.0), 1.0)
    return f'<span class="adaptive-bar" style="width:{round(share * width_px)}px"></span>'


def download_link(label: str, filename: str, text: str) -> str:
    """A link that downloads ``text`` as a CSV file."""
    payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return (
        f'<a download="{html.escape(filename)}" href="data:text/csv;base64,{payload}">'
        f"{html.escape(label)}</a>"
    )


def sparkline_svg(values: Sequence[float], *, high: float = 1.0, mark: float | None = None) -> str:
    """A small inline line of ``values`` (0 to ``high``), with a dashed line at ``mark``."""
    width, height = 120, 24
    if not values:
        return ""
    step = width / max(1, len(values) - 1)

    def y(value: float) -> float:
        return height - 2 - (height - 4) * min(max(value / high, 0.0), 1.0)

    points = " ".join(f"{i * step:.1f},{y(v):.1f}" for i, v in enumerate(values))
    line = (
        f'<line x1="0" x2="{width}" y1="{y(mark):.1f}" y2="{y(mark):.1f}" stroke="#999" '
        'stroke-dasharray="3,2"/>'
        if mark is not None
        else ""
    )
    return (
        f'<svg class="adaptive-sparkline" width="{width}" height="{height}">{line}'
        f'<polyline fill="none" stroke="#c62828" stroke-width="1.5" points="{points}"/></svg>'
    )
