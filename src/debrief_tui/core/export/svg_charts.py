"""Charts as inline SVG for the HTML report: stacked bars and lines over the months, with
axes, a legend and a title, and nothing that runs or fetches.

Our own small writer rather than a library: pygal embeds a tooltip script from the web by
default and styles with its own fonts, and leather is barely maintained; both would need
their output checked and trimmed for a page that must hold no script and ask for nothing.
Here every element is one we wrote, every text is escaped, and colours are CSS classes
(`c0`...), so the page's light and dark styles colour them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from debrief_tui.core.export.chart_series import Chart
from debrief_tui.core.export.escaping import plain

WIDTH = 720
PLOT_TOP = 12
PLOT_LEFT = 72
PLOT_RIGHT = WIDTH - 16
PLOT_HEIGHT = 220
LEGEND_ROW = 18
COLOURS = 8
"""How many colour classes the report's style defines; series beyond them repeat."""


def _text(value: str) -> str:
    return escape(plain(value), quote=True)


def _number(value: float) -> str:
    return f"{value:,.1f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"


def _x_labels(months: Sequence[str], slot: float) -> list[str]:
    # Month labels are 7 characters (about 45 px): skip some when the months crowd together.
    every = max(1, math.ceil(48 / slot)) if slot else 1
    parts = []
    for i, month in enumerate(months):
        if i % every:
            continue
        x = PLOT_LEFT + slot * (i + 0.5)
        parts.append(
            f'<text class="axis" x="{x:.1f}" y="{PLOT_TOP + PLOT_HEIGHT + 16}" '
            f'text-anchor="middle">{_text(month)}</text>'
        )
    return parts


def _grid(top: float, step: float, unit: str) -> list[str]:
    parts = []
    ticks = round(top / step)
    for i in range(ticks + 1):
        value = i * step
        y = PLOT_TOP + PLOT_HEIGHT - PLOT_HEIGHT * value / top
        parts.append(
            f'<line class="grid" x1="{PLOT_LEFT}" y1="{y:.1f}" x2="{PLOT_RIGHT}" y2="{y:.1f}"/>'
        )
        parts.append(
            f'<text class="axis" x="{PLOT_LEFT - 6}" y="{y + 4:.1f}" '
            f'text-anchor="end">{_number(value)}</text>'
        )
    middle = PLOT_TOP + PLOT_HEIGHT / 2
    parts.append(
        f'<text class="axis" x="12" y="{middle:.1f}" text-anchor="middle" '
        f'transform="rotate(-90 12 {middle:.1f})">{_text(unit)}</text>'
    )
    return parts


def _bars(chart: Chart, top: float, slot: float) -> list[str]:
    parts = []
    width = max(1.0, slot * 0.7)
    for i, month in enumerate(chart.months):
        base = 0.0
        x = PLOT_LEFT + slot * i + (slot - width) / 2
        for n, series in enumerate(chart.series):
            value = series.values[i] or 0
            if value <= 0:
                continue
            y = PLOT_TOP + PLOT_HEIGHT - PLOT_HEIGHT * (base + value) / top
            height = PLOT_HEIGHT * value / top
            parts.append(
                f'<rect class="c{n % COLOURS}" x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" '
                f'height="{height:.1f}"><title>{_text(month)} {_text(series.name)}: '
                f"{_number(value)}</title></rect>"
            )
            base += value
    return parts


def _lines(chart: Chart, top: float, slot: float) -> list[str]:
    parts = []
    if chart.reference is not None:
        name, level = chart.reference
        y = PLOT_TOP + PLOT_HEIGHT - PLOT_HEIGHT * level / top
        parts.append(
            f'<line class="reference" x1="{PLOT_LEFT}" y1="{y:.1f}" x2="{PLOT_RIGHT}" '
            f'y2="{y:.1f}"><title>{_text(name)}: {_number(level)}</title></line>'
        )
    for n, series in enumerate(chart.series):
        colour = f"c{n % COLOURS}"
        runs: list[list[tuple[float, float]]] = [[]]
        for i, value in enumerate(series.values):
            if value is None:
                runs.append([])  # a month with nothing measured breaks the line
                continue
            x = PLOT_LEFT + slot * (i + 0.5)
            y = PLOT_TOP + PLOT_HEIGHT - PLOT_HEIGHT * value / top
            runs[-1].append((x, y))
            parts.append(
                f'<circle class="{colour}" cx="{x:.1f}" cy="{y:.1f}" r="3">'
                f"<title>{_text(chart.months[i])} {_text(series.name)}: "
                f"{_number(value)}</title></circle>"
            )
        for run in runs:
            if len(run) > 1:
                points = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
                parts.append(f'<polyline class="line {colour}" points="{points}"/>')
    return parts


def _legend(chart: Chart, y: float) -> tuple[list[str], int]:
    parts = []
    rows = 1
    x = float(PLOT_LEFT)
    entries = [(f"c{n % COLOURS}", s.name) for n, s in enumerate(chart.series)]
    if chart.reference is not None:
        entries.append(("reference", chart.reference[0]))
    for colour, name in entries:
        label = plain(name)
        width = 24 + 7.2 * len(label)
        if x + width > PLOT_RIGHT and x > PLOT_LEFT:
            x, y, rows = float(PLOT_LEFT), y + LEGEND_ROW, rows + 1
        parts.append(
            f'<rect class="{colour} key" x="{x:.1f}" y="{y - 9:.1f}" width="12" height="10"/>'
        )
        parts.append(f'<text x="{x + 17:.1f}" y="{y:.1f}">{_text(label)}</text>')
        x += width + 12
    return parts, rows


def chart_svg(chart: Chart, ident: str) -> str:
    """`chart` as one `<svg>` element, titled and described for screen readers; `ident`
    names its title element (unique in the page)."""
    top, step = chart.scale
    slot = (PLOT_RIGHT - PLOT_LEFT) / max(1, len(chart.months))
    body = _grid(top, step, chart.unit) + _x_labels(chart.months, slot)
    body += _bars(chart, top, slot) if chart.kind == "bars" else _lines(chart, top, slot)
    legend_top = PLOT_TOP + PLOT_HEIGHT + 40
    legend, rows = _legend(chart, legend_top)
    height = legend_top + LEGEND_ROW * rows
    # Inline in HTML, an <svg> needs no namespace: the page names no address at all.
    return (
        f'<svg viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{ident}" class="chart">'
        f'<title id="{ident}">{_text(chart.title)}</title>'
        f'<line class="axis-line" x1="{PLOT_LEFT}" y1="{PLOT_TOP + PLOT_HEIGHT}" '
        f'x2="{PLOT_RIGHT}" y2="{PLOT_TOP + PLOT_HEIGHT}"/>'
        + "".join(body)
        + "".join(legend)
        + "</svg>"
    )
