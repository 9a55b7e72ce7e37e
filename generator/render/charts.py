"""Charts as inline SVG, drawn at build time from a statistics `Table`.

No chart library is downloaded by the reader and nothing needs JavaScript: the SVG is
part of the page, scales to a 360 px phone (labels sit above their bars, so the drawing
can be narrow), and prints. Screen readers get the data table the page puts beside
each chart, so the SVG itself is a labelled image (`role="img"` + `<title>`).
Every string is escaped: labels are editors' text (issuers, place names).
"""

from __future__ import annotations

from markupsafe import Markup, escape

from ..stats import Table
from ..text import format_number

WIDTH = 360  # viewBox units; the SVG scales to its box
ROW = 34  # label line + bar
BAR = 12
LABEL_SIZE = 13
# Colours for stacked series (the four fields, or kinds): distinct, ≥ 3:1 against white.
SERIES_COLOURS = ("#a3161a", "#1f5fa8", "#2e7d32", "#8a5a00", "#6a1b9a", "#00695c")


def render_chart(table: Table, chart_id: str) -> Markup:
    """The SVG for a table whose `chart` is "bars" or "stacked"; empty for table-only ones."""
    if table.chart not in ("bars", "stacked") or not table.rows:
        return Markup("")
    series = list(table.columns[1:-1]) if table.chart == "stacked" else [table.columns[-1]]
    values = [list(row[1:-1]) if table.chart == "stacked" else [row[-1]] for row in table.rows]
    top = max((sum(v) for v in values), default=0) or 1
    legend_height = _legend_height(series) if table.chart == "stacked" else 0
    height = legend_height + ROW * len(table.rows) + 4
    parts = [
        f'<svg class="dvk-svgchart" id="{escape(chart_id)}" role="img" aria-labelledby="{escape(chart_id)}-t" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{escape(chart_id)}-t">{escape(table.title)}</title>',
    ]
    if table.chart == "stacked":
        parts.append(_draw_legend(series))
    for index, (row, counts) in enumerate(zip(table.rows, values)):
        y = legend_height + index * ROW
        total = sum(counts)
        parts.append(f'<text x="0" y="{y + LABEL_SIZE}" font-size="{LABEL_SIZE}">{escape(_shorten(str(row[0])))}</text>')
        x = 0.0
        usable = WIDTH - 56  # room for the number after the bar
        for series_index, count in enumerate(counts):
            if not count:
                continue
            width = usable * count / top
            colour = SERIES_COLOURS[series_index % len(SERIES_COLOURS)]
            parts.append(f'<rect x="{x:.1f}" y="{y + LABEL_SIZE + 4}" width="{max(width, 1):.1f}" height="{BAR}" fill="{colour}"/>')
            x += width
        parts.append(f'<text x="{x + 4:.1f}" y="{y + LABEL_SIZE + 4 + BAR - 1}" font-size="{LABEL_SIZE - 1}">{format_number(total)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _legend_height(series: list[str]) -> int:
    return 18 * len(series) + 6


def _draw_legend(series: list[str]) -> str:
    items = []
    for index, name in enumerate(series):
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        y = index * 18
        items.append(f'<rect x="0" y="{y + 2}" width="12" height="12" fill="{colour}"/><text x="18" y="{y + 12}" font-size="12">{escape(name)}</text>')
    return "".join(items)


def _shorten(label: str, limit: int = 48) -> str:
    """Keep a long label (an issuer's full name) on one line of the drawing; the table
    beside the chart has it in full."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"
