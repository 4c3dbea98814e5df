"""The trends report (`debrief report`): one self-contained HTML page, a sibling of the HTML
export (its stylesheet, no script, nothing fetched), with a summary and each chart as inline
SVG over a table of its numbers (for screen readers, and for copying).

User text (severities and factor categories teams name in `data/`) is escaped wherever it
lands: the page, the charts' labels and titles.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from html import escape

from debrief_tui.core.export.chart_series import Chart, Value, trend_charts
from debrief_tui.core.export.escaping import plain
from debrief_tui.core.export.svg_charts import chart_svg
from debrief_tui.core.export.trends import NOT_RECORDED, Trends
from debrief_tui.core.text import counted
from debrief_tui.paths import data_path

# The charts' colours, for light and dark pages (the Okabe-Ito palette: told apart with any
# colour vision), and the lines and labels in the page's own text colours.
CHART_CSS = """
svg.chart { width: 100%; height: auto; font: 12px system-ui, sans-serif; }
svg.chart text { fill: currentColor; }
svg.chart .axis { fill: #5b6578; }
svg.chart .grid { stroke: #d0d6e0; stroke-width: 1; }
svg.chart .axis-line { stroke: #7a8699; stroke-width: 1; }
svg.chart .line { fill: none; stroke-width: 2; }
svg.chart .reference { stroke: #b3261e; stroke-width: 1.5; stroke-dasharray: 6 4; fill: #b3261e; }
svg.chart rect.reference { stroke: none; }
.c0 { fill: #0072b2; stroke: #0072b2; } .c1 { fill: #e69f00; stroke: #e69f00; }
.c2 { fill: #009e73; stroke: #009e73; } .c3 { fill: #d55e00; stroke: #d55e00; }
.c4 { fill: #cc79a7; stroke: #cc79a7; } .c5 { fill: #56b4e9; stroke: #56b4e9; }
.c6 { fill: #8a7f00; stroke: #8a7f00; } .c7 { fill: #555f6e; stroke: #555f6e; }
svg.chart rect { stroke: none; }
.note { color: #5b6578; font-size: .93rem; }
td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
@media (prefers-color-scheme: dark) {
  svg.chart .axis, .note { fill: #a8b1c0; color: #a8b1c0; }
  svg.chart .grid { stroke: #3a4250; }
  .c7 { fill: #a8b1c0; stroke: #a8b1c0; }
}
@media print { svg.chart { break-inside: avoid; } }
"""


def _h(text: str) -> str:
    return escape(plain(text), quote=True)


def _number(value: Value) -> str:
    if value is None:
        return "\u2013"  # an en dash: nothing measured
    return f"{value:,.1f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"


def _minutes(values: Iterable[int]) -> str:
    found = list(values)
    if not found:
        return "not measured"
    return f"median {_number(statistics.median(found))} min, worst {_number(max(found))} min"


def summary_lines(trends: Trends) -> list[tuple[str, str]]:
    """The summary at the top of the report, as (label, text) rows."""
    months = trends.months
    by_severity = ", ".join(
        f"{sev} {_number(trends.total('incidents', sev))}" for sev in trends.severities
    )
    # Months in which at least one severity's downtime passed its budget.
    over = sum(
        1
        for m in months
        if any(m.downtime.get(sev, 0) > budget for sev, budget in trends.budgets.items())
    )
    done = trends.total("actions", "done")
    kept = done + trends.total("actions", "open") + trends.total("actions", "overdue")
    rate = f" ({_number(round(100 * done / kept, 1))}%)" if kept else ""
    recorded = trends.incidents - trends.total("detection", NOT_RECORDED)
    monitoring = trends.total("detection", "monitoring")
    share = f" ({_number(round(100 * monitoring / recorded, 1))}%)" if recorded else ""
    downtime = sum(sum(m.downtime.values()) for m in months)
    dropped = trends.total("actions", "won't do")
    rows = [
        ("Period", f"{months[0].month} to {months[-1].month}"),
        ("Incidents", f"{_number(trends.incidents)} ({by_severity})"),
        ("Time to detect", _minutes(v for m in months for v in m.detect)),
        ("Time to mitigate", _minutes(v for m in months for v in m.mitigate)),
        ("Time to resolve", _minutes(v for m in months for v in m.resolve)),
        (
            "Downtime",
            f"{_number(downtime)} min in all; "
            f"{counted(over, 'month')} over a severity's SLA budget",
        ),
        (
            "Actions",
            f"{_number(done)} of {counted(kept, 'action')} done{rate}, "
            f"{_number(trends.total('actions', 'overdue'))} overdue, "
            f"{_number(dropped)} dropped",
        ),
        (
            "Detected by our monitoring",
            f"{_number(monitoring)} of {counted(recorded, 'incident')} recorded{share}; "
            f"{_number(trends.total('detection', 'customer'))} by a customer",
        ),
        ("Recurring factor categories", ", ".join(trends.recurring) or "none"),
    ]
    late, overdue = trends.total("reviews", "late"), trends.total("reviews", "overdue")
    judged = late + overdue + trends.total("reviews", "on time")
    judged += trends.total("reviews", "not yet held")
    rows.append(
        (
            "Review meetings (targets in data/review_targets.toml)",
            f"{_number(late)} held late, {_number(overdue)} not held past the target, "
            f"of {counted(judged, 'resolved incident')}",
        )
    )
    return rows


def _table(chart: Chart) -> str:
    columns = (*chart.series, *chart.table_only)
    head = "".join(f'<th scope="col" class="number">{_h(s.name)}</th>' for s in columns)
    rows = []
    for i, month in enumerate(chart.months):
        cells = "".join(f'<td class="number">{_number(s.values[i])}</td>' for s in columns)
        rows.append(f'<tr><th scope="row">{_h(month)}</th>{cells}</tr>')
    return (
        f'<table>\n<thead><tr><th scope="col">month</th>{head}</tr></thead>\n<tbody>\n'
        + "\n".join(rows)
        + "\n</tbody>\n</table>\n"
    )


def _section(chart: Chart, n: int) -> str:
    note = f'<p class="note">{_h(chart.note)}</p>\n' if chart.note else ""
    if chart.empty:
        figure = '<p class="note">Nothing to chart in this period.</p>\n'
    else:
        figure = f"<figure>{chart_svg(chart, f'chart-{n}')}</figure>\n"
    return f'<h2 id="{chart.key}">{_h(chart.title)}</h2>\n{note}{figure}{_table(chart)}'


def render_report(trends: Trends) -> str:
    """The trends as one self-contained HTML page."""
    since = f" since {trends.since.isoformat()}" if trends.since else ""
    title = f"Incident trends{since}"
    as_of = trends.as_of.strftime("%Y-%m-%d %H:%M UTC")
    parts = [f"<h1>{_h(title)}</h1>\n", f'<p class="note">As of {as_of}.</p>\n']
    if not trends.months:
        empty = f"No incidents{since}." if since else "No incidents recorded yet."
        parts.append(f"<p>{_h(empty)}</p>\n")
    else:
        rows = "".join(
            f'<tr><th scope="row">{_h(label)}</th><td>{_h(text)}</td></tr>\n'
            for label, text in summary_lines(trends)
        )
        parts.append(f'<h2 id="summary">Summary</h2>\n<table>\n<tbody>\n{rows}</tbody>\n</table>\n')
        parts += [_section(chart, n) for n, chart in enumerate(trend_charts(trends), start=1)]
    css = data_path("templates/document.css").read_text(encoding="utf-8") + CHART_CSS
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_h(title)}</title>\n<style>\n{css}</style>\n</head>\n"
        f'<body>\n<main dir="auto">\n{"".join(parts)}</main>\n</body>\n</html>\n'
    )
