"""The timeline stage's summary: a strip of the incident across the width, and its metrics."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from debrief_tui.core.timeline import MILESTONES, Metrics, impact_end, zone
from debrief_tui.ui.tones import ALARM, CAUTION, ERROR, OK, WARNING, Tone, toner

# One letter per milestone on the strip; the legend line spells them out.
MILESTONE_MARKS = {
    "started_at": "S",
    "detected_at": "D",
    "first_logged_at": "L",
    "acknowledged_at": "A",
    "first_communication_at": "C",
    "mitigated_at": "M",
    "resolved_at": "R",
}


def duration(minutes: int | None) -> str:
    """`7m`, `2h49m`, `1d3h5m`; an em dash when unknown."""
    if minutes is None:
        return "—"
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    parts = [f"{days}d"] if days else []
    if hours or days:
        parts.append(f"{hours}h")
    parts.append(f"{mins}m")
    return "".join(parts)


def strip_text(
    times: Sequence[datetime],
    key_times: Sequence[datetime],
    facts: Mapping[str, datetime | None],
    zone_name: str,
    width: int,
    tone: Tone,
) -> Text:
    """Two lines: the incident from its first event to resolution as a bar, with the impact
    window (red), the detection delay (amber), key events (◆) and milestone letters; then the
    ends and a legend."""
    moments = [*times, *(v for v in facts.values() if v is not None)]
    if not moments:
        return Text("No events yet: i pastes a timeline, a adds one event.", style="dim")
    first = min(moments)
    last = max(moments)
    tz = zone(zone_name)
    fmt = "%m-%d %H:%M" if first.astimezone(tz).date() != last.astimezone(tz).date() else "%H:%M"
    left, right = first.astimezone(tz).strftime(fmt), last.astimezone(tz).strftime(fmt)
    bar_width = max(10, width - len(left) - len(right) - 2)
    span = max((last - first).total_seconds(), 1.0)

    def column(moment: datetime) -> int:
        return min(bar_width - 1, int((moment - first).total_seconds() / span * (bar_width - 1)))

    impact, detection = tone(ALARM), tone(CAUTION)
    cells = ["─"] * bar_width
    styles: list[str | Style] = ["dim"] * bar_width
    started, detected, end = facts.get("started_at"), facts.get("detected_at"), impact_end(facts)
    if started is not None and end is not None and end >= started:
        for i in range(column(started), column(end) + 1):
            cells[i], styles[i] = "━", impact
    if started is not None and detected is not None and detected >= started:
        for i in range(column(started), column(detected) + 1):
            cells[i], styles[i] = "━", detection
    for moment in times:
        if styles[column(moment)] == "dim":
            cells[column(moment)] = "┼"
    for moment in key_times:
        cells[column(moment)] = "◆"
    for name, _label in MILESTONES:
        when = facts.get(name)
        if when is not None:
            cells[column(when)] = MILESTONE_MARKS[name]
    bar = Text(f"{left} ", style="bold")
    for cell, style in zip(cells, styles, strict=True):
        bar.append(cell, style="bold" if cell.isalpha() or cell == "◆" else style)
    bar.append(f" {right}", style="bold")
    return Text("\n").join([bar, _legend(width, impact, detection)])


_LEGENDS = (
    (" to detect ", "  ◆ key  S start D detect L log A ack C comms M mitigate R resolve"),
    (" to detect ", " ◆ key S start D detect L log A ack C comms M mitigate R resolve"),
    (" detect ", "◆ key S start D detect L log A ack C comms M mitig. R resolve"),
    (" detect ", "◆ key  S D L A C M R milestones"),
)
"""The legend, widest first: the first that fits is shown (at 80 columns the widest lost
"R resolve" to an ellipsis); each names every mark, the last (for a narrow pane) only as
milestones."""


def _legend(width: int, impact: str | Style, detection: str | Style) -> Text:
    for detect, marks in _LEGENDS:
        if len(" impact ") + 1 + len(detect) + len(marks) <= width:
            break
    legend = Text(no_wrap=True, overflow="ellipsis")
    legend.append(" impact ", style=impact)
    legend.append(" ")
    legend.append(detect, style=detection)
    legend.append(marks, style="dim")
    return legend


def _downtime_name(names: Mapping[str, object]) -> str:
    return next((n for n in names if n.startswith("downtime")), "")


def metrics_text(metrics: Metrics, tone: Tone) -> Text:
    """The metrics against their targets on one line, then problems and breaches."""
    line = Text(no_wrap=False)
    targets = {c.name: c for c in metrics.sla}
    rows = (
        ("detect", metrics.minutes_to_detect, "time to detect"),
        ("ack", metrics.minutes_to_acknowledge, "time to acknowledge"),
        ("mitigate", metrics.minutes_to_mitigate, "time to mitigate"),
        ("resolve", metrics.minutes_to_resolve, "time to resolve"),
        ("down", metrics.downtime_minutes, _downtime_name(targets)),
        ("gap", metrics.longest_gap_minutes, ""),
    )
    for label, minutes, target_name in rows:
        if len(line):
            line.append("  ")
        line.append(f"{label} ", style="dim")  # "gap" is the longest gap between events
        line.append(duration(minutes), style="bold")
        check = targets.get(target_name)
        if check is not None:
            if check.breached:
                line.append(f"✗>{duration(check.target_minutes)}", style=tone(ERROR))
            elif check.breached is False:
                line.append("✓", style=tone(OK))
    notes = [*(f"⚠ {p}" for p in metrics.problems)]
    if metrics.observability_gap:
        notes.append(f"⚠ observability gap: {metrics.observability_gap}")
    if notes:
        line.append("\n")
        line.append(" · ".join(notes), style=tone(WARNING))
    return line


class TimelineStrip(Static):
    """The strip, drawn to the widget's width and redrawn when it changes."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._data: tuple[
            Sequence[datetime], Sequence[datetime], Mapping[str, datetime | None], str
        ] = ((), (), {}, "UTC")

    def show(
        self,
        times: Sequence[datetime],
        key_times: Sequence[datetime],
        facts: Mapping[str, datetime | None],
        zone_name: str,
    ) -> None:
        """Keep what to draw and draw it."""
        self._data = (times, key_times, facts, zone_name)
        self._draw()

    def on_resize(self) -> None:
        """The bar spans the width."""
        self._draw()

    def _draw(self) -> None:
        width = self.content_region.width or self.app.size.width
        self.update(strip_text(*self._data, width=width, tone=toner(self)))
