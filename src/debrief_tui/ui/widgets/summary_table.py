"""The meeting summary as the wrap-up shows it: time per stage against its timebox, minutes,
actions by type and by owner."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from debrief_tui.core.meeting import MeetingSummary, format_duration
from debrief_tui.ui.literal import literal
from debrief_tui.ui.tones import WARNING, Tone


def summary_table(summary: MeetingSummary, tone: Tone) -> Group:
    """A compact table of the stages, then one line each for actions by type and by owner."""
    table = Table(box=None, padding=(0, 1), show_edge=False, expand=False)
    table.add_column("Stage", style="bold", no_wrap=True)
    table.add_column("Time", no_wrap=True)
    table.add_column("Timebox", no_wrap=True)
    table.add_column("Minutes", justify="right")
    for stage in summary.stages:
        over = stage.spent > stage.timebox
        table.add_row(
            stage.title,
            Text(format_duration(stage.spent), style=tone(WARNING) if over else ""),
            format_duration(stage.timebox),
            str(stage.minutes),
        )
    table.add_row(
        "Total",
        format_duration(summary.total_spent),
        format_duration(summary.total_timebox),
        str(summary.minutes),
        style="bold",
    )
    by_type = Text("Actions by type: ", style="bold")
    by_type.append(
        " · ".join(f"{kind} {n}" for kind, n in sorted(summary.actions_by_type.items())) or "none"
    )
    by_owner = Text("By owner: ", style="bold")
    owners = sorted(summary.actions_by_owner.items(), key=lambda item: (-item[1], item[0]))
    by_owner.append_text(
        Text(" · ").join(literal(f"{owner} {n}") for owner, n in owners) if owners else Text("none")
    )
    return Group(table, by_type, by_owner)
