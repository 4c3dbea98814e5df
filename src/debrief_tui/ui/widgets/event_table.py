"""The timeline's table of events: one row per event, in time order, with its marks."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType

from debrief_tui.core.timeline import MILESTONES, zone
from debrief_tui.ui.literal import literal
from debrief_tui.ui.tones import LABEL, WARNING, tone
from debrief_tui.ui.widgets.fitted_table import Column, FittedTable, widest

if TYPE_CHECKING:
    from collections.abc import Sequence

    from debrief_tui.core.persistence import TimelineEvent


def columns(fmt: str, second_zone: str | None) -> list[Column]:
    """The table's columns for times written with `fmt` (and a second zone's, if shown)."""
    laid: list[Column] = [("", "marks", 1), ("Time", "time", len(fmt) + 4)]
    if second_zone is not None:
        laid.append((second_zone, "time2", len(fmt) + 3))
    return [
        *laid,
        ("Kind", "kind", 11),
        # As wide as the longest milestone's name, so none is cut; several at one time wrap.
        ("Milestone", "milestone", widest("Milestone", (label for _, label in MILESTONES))),
        ("What happened", "text", None),
    ]


def time_format(ends: Sequence[datetime], zone_name: str) -> str:
    """How times read, from the first and last event: alone for a one-day incident, with the
    date when it spans days, and with the year when it spans years."""
    if not ends:
        return "%H:%M"
    tz = zone(zone_name)
    first, last = (moment.astimezone(tz).date() for moment in (ends[0], ends[-1]))
    if first.year != last.year:
        return "%Y-%m-%d %H:%M"
    return "%H:%M" if first == last else "%m-%d %H:%M"


class TimeCell(Text):
    """A time as shown, carrying the moment it stands for so the table can sort by it."""

    def __init__(self, text: str, at: datetime, event_id: int, **kwargs: object) -> None:
        super().__init__(text, **kwargs)  # type: ignore[arg-type]
        self.sort_key = (at, event_id)


class EventTable(FittedTable):
    """The events; these keys apply while it has focus. The kind gives way first when the
    width runs short (the event's dialog shows it)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "screen.add_event", "Add", id="add-event"),
        Binding("enter,e", "screen.edit_event", "Edit", id="edit-event"),
        Binding("d,delete", "screen.delete_event", "Delete", id="delete-event"),
        Binding("u", "screen.undo", "Undo", id="undo-event"),
        Binding("k", "screen.toggle_key", "Key event", id="key-event"),
        Binding("tilde", "screen.toggle_approximate", "≈ Approx.", id="approx-event"),
        Binding("m", "screen.milestone", "Milestone", id="milestone"),
        Binding("i", "screen.paste_timeline", "Paste timeline", id="paste-timeline"),
        Binding("c", "screen.import_chat", "Chat export", id="import-chat"),
        Binding("z", "screen.toggle_second_zone", "+UTC", id="second-zone"),
        Binding("o", "screen.open_links", "Open link", id="open-link"),
        *(
            Binding(str(i), f"screen.set_milestone('{name}')", f"Mark {label}", show=False)
            for i, (name, label) in enumerate(MILESTONES, start=1)
        ),
    ]

    def __init__(self, columns: Sequence[Column], **kwargs: object) -> None:
        super().__init__(columns, optional=("kind",), **kwargs)

    def cells(
        self,
        event: TimelineEvent,
        fmt: str,
        zones: tuple[str, str | None],
        labels: list[str],
        links: int = 0,
    ) -> list[Text]:
        """An event's cells: key mark, time (in the session's zone, then the second zone if
        shown), kind, the milestones at its time, and its author and text (the table wraps
        them to their columns), starting with ↗ when it has links (`o` opens them)."""
        assert event.id is not None
        local = event.at.astimezone(zone(zones[0]))
        shown = ("~" if event.approximate else " ") + local.strftime(fmt)
        cells: list[Text] = [
            Text("◆", style=tone(self, WARNING)) if event.key_event else Text(" "),
            TimeCell(shown, event.at, event.id, style="bold" if event.key_event else ""),
        ]
        if zones[1] is not None:
            cells.append(Text(event.at.astimezone(zone(zones[1])).strftime(fmt), style="dim"))
        cells += [
            Text(event.kind, style=tone(self, LABEL)),
            milestone_cell(self, labels),
            said(event.text, event.author),
        ]
        if links:
            # First, so that a text cut short at 80 columns keeps it.
            marked = Text(f"↗{links if links > 1 else ''} ", end="")
            marked.stylize(tone(self, LABEL))  # the mark only, not the text after it
            cells[-1] = marked.append_text(cells[-1])
        return cells


def milestone_cell(table: EventTable, labels: list[str]) -> Text:
    """The milestones set at an event's time, one a line so that each reads whole."""
    return Text("\n".join(labels), style=tone(table, "bold $text-success"))


def said(text: str, author: str | None) -> Text:
    """An event's text, after its author (dimmed) when it has one: a chat message's."""
    if not author:
        return literal(text)
    return literal(author, "dim") + Text(": ", style="dim") + literal(text)
