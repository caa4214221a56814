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
    "NOT_PRACTISED_FILL",
    "STYLE",
    "bar_html",
    "diff_html",
    "download_link",
    "draft_html",
    "html_table",
    "sparkline_svg",
]

_FORMATTER = HtmlFormatter(noclasses=True, nowrap=True)
#: The heat map's colour for a skill not practised: a light grey that no viridis colour comes near.
NOT_PRACTISED_FILL = "#d4d4d4"
#: The dashboard's stylesheet, shown once above the tabs. Colours come from JupyterLab's theme
#: variables (``--jp-*``), so text stays readable in the dark theme; state is never told by the
#: text's colour alone (a coloured rule beside it, a word in it).
STYLE = (
    "<style>.adaptive-draft{white-space:pre;overflow-x:auto;max-width:36em;margin:0}"
    ".adaptive-table td{vertical-align:top;padding:2px 8px}"
    ".adaptive-table th{text-align:left;vertical-align:top;padding:2px 8px}"
    ".adaptive-table caption{text-align:left;font-weight:bold;padding:4px 0}"
    # ipywidgets' HTML boxes grow with their content; let them shrink so a wide table scrolls.
    ".widget-html-content{min-width:0;max-width:100%}"
    ".adaptive-scroll{overflow-x:auto;max-width:100%}"
    ".adaptive-audit{font-size:0.85em}"
    # A heat map cell without a value (a skill not practised) gets no fill from bqplot, which
    # would draw it black.
    f".adaptive-class-heatmap rect.heatmapcell{{fill:{NOT_PRACTISED_FILL}}}"
    ".adaptive-swatch{display:inline-block;width:0.9em;height:0.9em;vertical-align:middle;"
    "border:1px solid var(--jp-border-color1,#999)}"
    ".adaptive-dashboard-class .adaptive-table :is(td,tbody th){white-space:nowrap}"
    ".adaptive-bar{display:inline-block;height:0.8em;margin-right:4px;"
    "background:var(--jp-error-color1,#c62828)}"
    ".adaptive-diff{white-space:pre;font-family:monospace;margin:0;max-width:40em;"
    "overflow-x:auto}"
    ".adaptive-added{background:rgba(76,175,80,0.25)}"
    ".adaptive-removed{background:rgba(244,67,54,0.25)}"
    ".adaptive-error,.adaptive-done{padding-left:6px;color:var(--jp-content-font-color1)}"
    ".adaptive-error{border-left:4px solid var(--jp-error-color1,#c62828)}"
    ".adaptive-done{border-left:4px solid var(--jp-success-color1,#2e7d32)}</style>"
)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return html.escape(str(value))


def html_table(
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    raw: Collection[int] = (),
    caption: str = "",
    row_headers: bool = False,
) -> str:
    """An HTML table with every cell escaped, except the columns in ``raw`` (already safe HTML).

    Column headers are ``<th scope="col">``; with ``row_headers`` each row's first cell is its
    header (``<th scope="row">``), so a screen reader names the row with every cell it reads;
    ``caption`` (plain text) says what the table shows. A table wider than the window scrolls
    sideways inside its box (a region named by the caption, else the headers, that the keyboard
    can reach), so the page around it still fits (200 % zoom).
    """
    head = "".join(f'<th scope="col">{html.escape(name)}</th>' for name in header)

    def cell(index: int, value: object) -> str:
        shown = value if index in raw else _cell(value)
        return (
            f'<th scope="row">{shown}</th>' if row_headers and index == 0 else f"<td>{shown}</td>"
        )

    body = "".join(
        "<tr>" + "".join(cell(index, value) for index, value in enumerate(row)) + "</tr>"
        for row in rows
    )
    title = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    # The box a wide table scrolls in takes the keyboard's focus, so arrows scroll it too.
    region = html.escape(caption or ", ".join(header))
    return (
        f'<div class="adaptive-scroll" tabindex="0" role="region" aria-label="{region}">'
        f'<table class="adaptive-table">{title}<thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def draft_html(source: str | None) -> str:
    """A draft as syntax-highlighted, escaped text: markup in it is shown, never interpreted."""
    if not source:
        return ""
    return f'<pre class="adaptive-draft">{highlight(source, PythonLexer(), _FORMATTER)}</pre>'


def diff_html(lines: Sequence[str]) -> str:
    """A unified diff as escaped text, added lines on a green tint and removed lines on a red one
    (the text keeps the theme's colour; the ``+`` and ``-`` say it too)."""
    tints = {"+": "adaptive-added", "-": "adaptive-removed"}
    shown = []
    for line in lines:
        escaped = html.escape(line)
        tint = tints.get(line[:1]) if not line.startswith(("+++", "---")) else None
        shown.append(f'<span class="{tint}">{escaped}</span>' if tint else escaped)
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


def sparkline_svg(
    values: Sequence[float], *, high: float = 1.0, mark: float | None = None, label: str = ""
) -> str:
    """A small inline line of ``values`` (0 to ``high``), with a dashed line at ``mark``; a screen
    reader reads ``label`` followed by the values (the line is an image to it)."""
    width, height = 120, 24
    if not values:
        return ""
    step = width / max(1, len(values) - 1)

    def y(value: float) -> float:
        return height - 2 - (height - 4) * min(max(value / high, 0.0), 1.0)

    points = " ".join(f"{i * step:.1f},{y(v):.1f}" for i, v in enumerate(values))
    spoken = html.escape(f"{label}: " + ", ".join(f"{v:.2f}" for v in values))
    line = (
        f'<line x1="0" x2="{width}" y1="{y(mark):.1f}" y2="{y(mark):.1f}" '
        'style="stroke:var(--jp-ui-font-color2,#999)" stroke-dasharray="3,2"/>'
        if mark is not None
        else ""
    )
    return (
        f'<svg class="adaptive-sparkline" width="{width}" height="{height}" role="img" '
        f'aria-label="{spoken}">'
        f'{line}<polyline fill="none" style="stroke:var(--jp-error-color1,#c62828)" '
        f'stroke-width="1.5" points="{points}"/></svg>'
    )
