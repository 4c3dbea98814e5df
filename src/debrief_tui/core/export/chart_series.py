"""The trends as charts: what each chart plots, with its title, units, legend and the numbers
of its table, whoever draws it (the report's SVG, the Trends screen's plotext).

A chart's `series` are drawn; its `table_only` series are shown in its table beside them (a
rate next to the counts it comes from, minutes next to a percentage of the budget).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from debrief_tui.core.export.trends import (
    ACTION_STANDINGS,
    DETECTION_SOURCES,
    MonthTrend,
    Trends,
)

Value = float | None
"""One month's number; None where there is nothing to measure (no line is drawn there)."""


@dataclass(frozen=True)
class Series:
    """One named row of numbers, one per month."""

    name: str
    values: tuple[Value, ...]


@dataclass(frozen=True)
class Chart:
    """One chart: `bars` are stacked, `lines` are drawn over the months."""

    key: str
    title: str
    kind: Literal["bars", "lines"]
    unit: str
    """What the vertical axis counts."""
    months: tuple[str, ...]
    series: tuple[Series, ...]
    table_only: tuple[Series, ...] = ()
    reference: tuple[str, float] | None = None
    """A level drawn across the chart (the budget), with its name."""
    note: str = ""
    """One sentence under the title: how the numbers were counted."""

    @property
    def top(self) -> float:
        """The largest number drawn: a stack of bars, a point of a line, or the reference."""
        if self.kind == "bars":
            sums = (sum(s.values[i] or 0 for s in self.series) for i in range(len(self.months)))
            top = max(sums, default=0.0)
        else:
            top = max((v for s in self.series for v in s.values if v is not None), default=0.0)
        return max(top, self.reference[1]) if self.reference is not None else top

    @property
    def scale(self) -> tuple[float, float]:
        """The vertical axis's top and tick step, the same in the report and on the screen."""
        return nice_ceiling(self.top)

    @property
    def empty(self) -> bool:
        """Whether there is nothing to draw."""
        return not any(v for s in self.series for v in s.values)


def nice_ceiling(top: float) -> tuple[float, float]:
    """An axis top at or above `top` and a tick step (1, 2 or 5 times a power of ten, never
    below 1 for a top over 1: counts have no halves) giving at most six ticks."""
    if top <= 1:
        return 1.0, 0.2  # (the numbers shown have one decimal at most)
    raw = top / 5
    power = 10 ** math.floor(math.log10(raw))
    step = max(1.0, next(m * power for m in (1, 2, 5, 10) if m * power >= raw))
    return math.ceil(top / step - 1e-9) * step, step


def _counts(months: tuple[MonthTrend, ...], part: str, key: str) -> tuple[Value, ...]:
    return tuple(float(getattr(m, part).get(key, 0)) for m in months)


def _spread_chart(trends: Trends, name: str, label: str, done: str) -> Chart:
    spreads = [m.spread(name) for m in trends.months]
    return Chart(
        key=name,
        title=f"Time to {label} per month",
        kind="lines",
        unit="minutes",
        months=tuple(m.month for m in trends.months),
        series=(
            Series("median", tuple(s.median for s in spreads)),
            Series("worst", tuple(None if s.worst is None else float(s.worst) for s in spreads)),
        ),
        table_only=(Series("incidents measured", tuple(float(s.count) for s in spreads)),),
        note=f"From the incident's start to when it was {done}; the worst is the longest.",
    )


def _percent(part: float, whole: float) -> Value:
    return None if whole <= 0 else round(100 * part / whole, 1)


def trend_charts(trends: Trends) -> tuple[Chart, ...]:
    """Every chart of the trends, in the order the report and the screen show them."""
    months = trends.months
    labels = tuple(m.month for m in months)
    budgeted = [s for s in trends.severities if s in trends.budgets]
    used = tuple(
        Series(
            sev,
            tuple(_percent(m.downtime.get(sev, 0), trends.budgets[sev]) for m in months),
        )
        for sev in budgeted
    )
    minutes = tuple(Series(f"{sev} minutes", _counts(months, "downtime", sev)) for sev in budgeted)
    budget_rows = tuple(
        Series(f"{sev} budget", tuple(float(trends.budgets[sev]) for _ in months))
        for sev in budgeted
    )
    monitoring = tuple(
        _percent(
            m.detection.get("monitoring", 0),
            m.total - m.detection.get(DETECTION_SOURCES[-1], 0),
        )
        for m in months
    )
    return (
        Chart(
            key="incidents",
            title="Incidents per month by severity",
            kind="bars",
            unit="incidents",
            months=labels,
            series=tuple(
                Series(sev, _counts(months, "incidents", sev)) for sev in trends.severities
            ),
            table_only=(Series("total", tuple(float(m.total) for m in months)),),
        ),
        _spread_chart(trends, "detect", "detect", "detected"),
        _spread_chart(trends, "mitigate", "mitigate", "mitigated"),
        _spread_chart(trends, "resolve", "resolve", "resolved"),
        Chart(
            key="downtime",
            title="Downtime against the SLA budget",
            kind="lines",
            unit="% of the monthly budget",
            months=labels,
            series=used,
            table_only=minutes + budget_rows,
            reference=("budget", 100.0),
            note="Each severity's downtime in the month (start to mitigation, else resolution)"
            " as a share of what its availability objective (data/sla.toml) allows in 30 days.",
        ),
        Chart(
            key="factors",
            title="Contributing-factor categories over time",
            kind="bars",
            unit="incidents",
            months=labels,
            series=tuple(
                Series(
                    f"{category} (recurring)" if category in trends.recurring else category,
                    _counts(months, "categories", category),
                )
                for category in trends.categories
            ),
            note="Incidents with at least one factor in the category; recurring: seen in more"
            " than one month.",
        ),
        Chart(
            key="actions",
            title="Actions: done, open and overdue",
            kind="bars",
            unit="actions",
            months=labels,
            series=tuple(
                Series(standing, _counts(months, "actions", standing))
                for standing in ACTION_STANDINGS
            ),
            table_only=(
                Series("completion %", tuple(_rounded(m.completion_percent) for m in months)),
            ),
            note="The actions of each month's incidents as they stand today; completion is"
            " done out of those not dropped (won't do).",
        ),
        Chart(
            key="detection",
            title="Who noticed first: the observability gap",
            kind="bars",
            unit="incidents",
            months=labels,
            series=tuple(
                Series(source, _counts(months, "detection", source)) for source in DETECTION_SOURCES
            ),
            table_only=(Series("by monitoring %", monitoring),),
            note="Our monitoring, a person inside, or a customer, from each session's"
            " detection method; the share found by monitoring counts those recorded.",
        ),
    )


def _rounded(value: float | None) -> Value:
    return None if value is None else round(value, 1)
