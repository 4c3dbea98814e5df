"""Timeline review: the events in time order, milestones, the strip and the metrics.

Every confirmed change is committed through the store at once; the table is then updated in
place (one row added, changed or removed, then sorted), so it keeps up at thousands of events.
"""

from __future__ import annotations

import bisect
import gc
from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.coordinate import Coordinate
from textual.widget import Widget
from textual.widgets import Static
from textual.widgets.data_table import RowDoesNotExist

from debrief_tui.core.errors import InputError, NotFound
from debrief_tui.core.export.json_export import session_facts
from debrief_tui.core.store_types import TimelineRow
from debrief_tui.core.timeline.metrics import MILESTONE_LABELS, MILESTONES, compute_metrics
from debrief_tui.core.timeline.timeparse import zone
from debrief_tui.paths import styles_path
from debrief_tui.ui.literal import literal
from debrief_tui.ui.screens.stage import StageScreen
from debrief_tui.ui.widgets.fitted_table import FittedTable
from debrief_tui.ui.widgets.timeline_strip import TimelineStrip, metrics_text

if TYPE_CHECKING:
    from debrief_tui.core.persistence.models import PostmortemSession, TimelineEvent
    from debrief_tui.core.timeline.importing import ImportedEvent

SECOND_ZONE = "UTC"
_MILESTONE_KEYS = {name: str(i) for i, (name, _) in enumerate(MILESTONES, start=1)}


class TimeCell(Text):
    """A time as shown, carrying the moment it stands for so the table can sort by it."""

    def __init__(self, text: str, at: datetime, event_id: int, **kwargs: object) -> None:
        super().__init__(text, **kwargs)  # type: ignore[arg-type]
        self.sort_key = (at, event_id)


class EventTable(FittedTable):
    """The events; these keys apply while it has focus."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "screen.add_event", "Add", id="add-event"),
        Binding("enter,e", "screen.edit_event", "Edit", id="edit-event"),
        Binding("d,delete", "screen.delete_event", "Delete", id="delete-event"),
        Binding("u", "screen.undo_event", "Undo", id="undo-event"),
        Binding("k", "screen.toggle_key", "Key event", id="key-event"),
        Binding("tilde", "screen.toggle_approximate", "≈ Approx.", id="approx-event"),
        Binding("m", "screen.milestone", "Milestone", id="milestone"),
        Binding("i", "screen.paste_timeline", "Paste timeline", id="paste-timeline"),
        Binding("z", "screen.toggle_second_zone", "+UTC", id="second-zone"),
        *(
            Binding(str(i), f"screen.set_milestone('{name}')", f"Mark {label}", show=False)
            for i, (name, label) in enumerate(MILESTONES, start=1)
        ),
    ]


class TimelineScreen(StageScreen):
    """The timeline stage."""

    CSS_PATH = styles_path("timeline.tcss")
    _time_format = "%H:%M"  # set per load: see _format_needed

    def compose_content(self) -> ComposeResult:
        """Strip, metrics, table."""
        with Vertical(id="timeline"):
            yield TimelineStrip(id="timeline-strip")
            yield Static(id="timeline-metrics")
            yield EventTable(self._columns(False), id="timeline-table")

    def prepare_content(self) -> None:
        """Load what the store has."""
        self.events: list[TimelineEvent] = []
        self.session: PostmortemSession | None = None
        self.second_zone = False
        self._deleted: list[TimelineEvent] = []
        self._load()

    def refresh_view(self) -> None:
        """Catch up on return: load everything when the store has just arrived; otherwise
        re-read only the session, whose facts or zone may have changed in setup. (Events
        change only here; reading thousands again on every visit would stall the stage.)"""
        super().refresh_view()
        store = self.context.store
        if store is None or not self.query(EventTable):  # not before the screen is composed
            return
        if self.session is None:
            self._load()
            return
        before, zone_before = self._facts(), self.session.timezone
        self.session = store.get_session(self.context.session_id)
        if self.session.timezone != zone_before:
            self._rebuild()
        elif self._facts() != before:
            moments = [*before.values(), *self._facts().values()]
            self._refresh_milestones(m for m in moments if m is not None)

    def main_widget(self) -> Widget:
        """The table: its keys add, edit and mark events."""
        return self.query_one(EventTable)

    def selected_topic(self) -> str | None:
        """The selected event's text, to park."""
        event = self._selected()
        return event.text if event else None

    # Loading and drawing ------------------------------------------------------------------

    def _columns(self, second_zone: bool) -> list[tuple[str, str, int | None]]:
        columns: list[tuple[str, str, int | None]] = [
            ("", "marks", 1),
            ("Time", "time", len(self._time_format) + 4),
        ]
        if second_zone:
            columns.append((SECOND_ZONE, "time2", len(self._time_format) + 3))
        columns += [
            ("Kind", "kind", 11),
            ("Milestone", "milestone", 12),
            ("What happened", "text", None),
        ]
        return columns

    def _load(self) -> None:
        store = self.context.store
        if store is None:
            self._draw_summary()
            return
        self.session = store.get_session(self.context.session_id)
        self.events = store.list_timeline(self.context.session_id)
        self._rebuild()
        # Thousands of events and table rows live as long as the stage: move them out of the
        # garbage collector's way, or each full collection pauses an edit by 100 ms or more.
        gc.freeze()

    @property
    def zone_name(self) -> str:
        """The session's zone (it may change in setup)."""
        return self.session.timezone if self.session else self.context.zone_name

    def _facts(self) -> dict[str, datetime | None]:
        return session_facts(self.session) if self.session else {}

    def _milestones_at(self) -> dict[datetime, list[str]]:
        marks: dict[datetime, list[str]] = {}
        for name, value in self._facts().items():
            if value is not None:
                marks.setdefault(value, []).append(name)
        return marks

    def _format_needed(self) -> str:
        """Times alone for a one-day incident; with the date when it spans days, and with
        the year when it spans years."""
        if not self.events:
            return "%H:%M"
        tz = zone(self.zone_name)
        first, last = (self.events[i].at.astimezone(tz).date() for i in (0, -1))
        if first.year != last.year:
            return "%Y-%m-%d %H:%M"
        return "%H:%M" if first == last else "%m-%d %H:%M"

    def _rebuild(self) -> None:
        """Lay out the table and add every row: on load, resize, zone or day-span changes."""
        table = self.query_one(EventTable)
        self._time_format = self._format_needed()
        table._spec = tuple(self._columns(self.second_zone))
        table.flex_width = -1  # force the columns to be laid out again
        cursor = table.cursor_row
        table.fit_columns()
        marks = self._milestones_at()
        for event in self.events:
            table.add_row(*self._cells(event, marks), key=str(event.id))
        if self.events:
            table.move_cursor(row=min(max(cursor, 0), len(self.events) - 1))
        self._draw_summary()

    def _cells(self, event: TimelineEvent, marks: dict[datetime, list[str]]) -> list[Text]:
        assert event.id is not None
        table = self.query_one(EventTable)
        fmt = self._time_format
        local = event.at.astimezone(zone(self.zone_name))
        shown = ("~" if event.approximate else " ") + local.strftime(fmt)
        cells: list[Text] = [
            Text("◆", style="bold #ffb000") if event.key_event else Text(" "),
            TimeCell(shown, event.at, event.id, style="bold" if event.key_event else ""),
        ]
        if self.second_zone:
            cells.append(Text(event.at.astimezone(zone(SECOND_ZONE)).strftime(fmt), style="dim"))
        labels = [MILESTONE_LABELS[n] for n in marks.get(event.at, [])]
        cells += [
            Text(event.kind, style="cyan"),
            Text(", ".join(labels), style="bold green") if labels else Text(""),
            table.fitted(literal(event.text)),
        ]
        return cells

    def _draw_summary(self) -> None:
        facts = self._facts()
        times = [e.at for e in self.events]
        self.query_one(TimelineStrip).show(
            times, [e.at for e in self.events if e.key_event], facts, self.zone_name
        )
        if self.session is None:
            self.query_one("#timeline-metrics", Static).update(Text("Opening…", style="dim"))
            return
        metrics = compute_metrics(
            facts, times, self.session.severity, self.session.detection_method
        )
        self.query_one("#timeline-metrics", Static).update(metrics_text(metrics))

    @on(FittedTable.Refit, "#timeline-table")
    def _refit(self) -> None:
        self._rebuild()

    def _put(self, event: TimelineEvent) -> None:
        """Show one added or changed event in place, keep the table in time order, select it."""
        assert event.id is not None
        order = (event.at, event.id)
        kept = [e for e in self.events if e.id != event.id]
        at_end = not kept or (kept[-1].at, kept[-1].id or 0) <= order
        position = bisect.bisect(kept, order, key=lambda e: (e.at, e.id or 0))
        kept.insert(position, event)
        self.events = kept
        if self._format_needed() != self._time_format:
            self._rebuild()
        else:
            table = self.query_one(EventTable)
            cells = self._cells(event, self._milestones_at())
            key = str(event.id)
            try:
                table.get_row_index(key)
            except RowDoesNotExist:
                table.add_row(*cells, key=key)
                moved = not at_end  # a new row is appended: sort only when it belongs before
            else:
                for column, cell in zip(table.columns, cells, strict=True):
                    table.update_cell(key, column, cell)
                moved = True
            if moved:
                table.sort("time", key=lambda cell: cell.sort_key)
            self._draw_summary()
        self._select(event.id)

    def _refresh_milestones(self, at: Iterable[datetime]) -> None:
        """Redraw the milestone column of the events at these times."""
        table = self.query_one(EventTable)
        marks = self._milestones_at()
        moments = set(at)
        for event in self.events:
            if event.at in moments:
                labels = [MILESTONE_LABELS[n] for n in marks.get(event.at, [])]
                cell = Text(", ".join(labels), style="bold green") if labels else Text("")
                table.update_cell(str(event.id), "milestone", cell)
        self._draw_summary()

    def _select(self, event_id: int) -> None:
        table = self.query_one(EventTable)
        try:
            table.move_cursor(row=table.get_row_index(str(event_id)))
        except RowDoesNotExist:
            return

    def _selected(self) -> TimelineEvent | None:
        table = self.query_one(EventTable)
        if not self.events or not 0 <= table.cursor_row < table.row_count:
            return None
        key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
        return next((e for e in self.events if str(e.id) == key), None)

    def _default_day(self) -> date | None:
        """The date a time typed without one takes: the selected event's, else the start's."""
        tz = zone(self.zone_name)
        event = self._selected()
        if event is not None:
            return event.at.astimezone(tz).date()
        started = self._facts().get("started_at")
        if started is not None:
            return started.astimezone(tz).date()
        return None

    # Keys ---------------------------------------------------------------------------------

    def action_add_event(self) -> None:
        """Add an event (dialog)."""
        from debrief_tui.ui.dialogs.event_dialog import EventDialog

        store = self.context.store
        if store is None:
            return

        def done(row: TimelineRow | None) -> None:
            if row is None:
                return
            try:
                event = store.add_timeline_event(self.context.session_id, row)
            except (InputError, NotFound) as exc:
                self.show_error(exc)
                return
            self._put(event)

        self.app.push_screen(EventDialog(self.zone_name, self._default_day()), done)

    def action_edit_event(self) -> None:
        """Edit the selected event; a new time moves it into place (and its milestones)."""
        from debrief_tui.ui.dialogs.event_dialog import EventDialog

        event, store = self._selected(), self.context.store
        if event is None or event.id is None or store is None:
            return
        event_id, old_at = event.id, event.at

        def done(row: TimelineRow | None) -> None:
            if row is None:
                return
            try:
                changed = store.update_timeline_event(event_id, row)
            except (InputError, NotFound) as exc:
                self.show_error(exc)
                return
            if changed.at != old_at:
                self.session = store.get_session(self.context.session_id)
            self._put(changed)
            self._refresh_milestones((old_at, changed.at))

        self.app.push_screen(EventDialog(self.zone_name, self._default_day(), event), done)

    def action_delete_event(self) -> None:
        """Delete the selected event (u brings it back)."""
        event, store = self._selected(), self.context.store
        if event is None or event.id is None or store is None:
            return
        try:
            removed = store.delete_timeline_event(event.id)
        except NotFound as exc:
            self.show_error(exc)
            return
        self._deleted.append(removed)
        self.events = [e for e in self.events if e.id != event.id]
        table = self.query_one(EventTable)
        table.remove_row(str(event.id))
        if self._format_needed() != self._time_format:
            self._rebuild()
        self._draw_summary()
        self.notify("Event deleted. u brings it back.", timeout=4)

    def action_undo_event(self) -> None:
        """Bring back the last deleted event."""
        store = self.context.store
        if not self._deleted or store is None:
            self.notify("Nothing to undo.", timeout=3)
            return
        try:
            event = store.restore_timeline_event(self._deleted.pop())
        except (InputError, NotFound) as exc:
            self.show_error(exc)
            return
        self._put(event)

    def _change(self, *, key_event: bool | None = None, approximate: bool | None = None) -> None:
        event, store = self._selected(), self.context.store
        if event is None or event.id is None or store is None:
            return
        row = TimelineRow(
            event.at,
            event.text,
            event.kind,
            event.key_event if key_event is None else key_event,
            event.approximate if approximate is None else approximate,
        )
        try:
            changed = store.update_timeline_event(event.id, row)
        except (InputError, NotFound) as exc:
            self.show_error(exc)
            return
        self._put(changed)

    def action_toggle_key(self) -> None:
        """Mark or unmark the selected event as a key event."""
        event = self._selected()
        if event is not None:
            self._change(key_event=not event.key_event)

    def action_toggle_approximate(self) -> None:
        """Mark or unmark the selected event's time as approximate."""
        event = self._selected()
        if event is not None:
            self._change(approximate=not event.approximate)

    def action_milestone(self) -> None:
        """Choose a milestone for the selected event's time."""
        from debrief_tui.ui.dialogs.milestone_picker import MilestonePicker

        event = self._selected()
        if event is None:
            self.notify("Select an event first (a adds one).", timeout=3)
            return
        marked = set(self._milestones_at().get(event.at, []))

        def chosen(name: str | None) -> None:
            if name is not None:
                self.action_set_milestone(name)

        self.app.push_screen(MilestonePicker(event.text, marked), chosen)

    def action_set_milestone(self, name: str) -> None:
        """Set milestone `name` to the selected event's time; again on the same event clears it.

        Milestones are the session's facts: setup, the export and the metrics see the change.
        """
        event, store = self._selected(), self.context.store
        if event is None or store is None or self.session is None:
            return
        previous = getattr(self.session, name)
        value = None if previous == event.at else event.at
        try:
            self.session = store.set_milestone(self.context.session_id, name, value)
        except (InputError, NotFound) as exc:
            self.show_error(exc)
            return
        label = MILESTONE_LABELS[name]
        self._refresh_milestones([t for t in (previous, event.at) if t is not None])
        problems = compute_metrics(self._facts(), [], self.session.severity).problems
        if value is None:
            self.notify(f"{label.capitalize()} cleared.", timeout=3)
        elif problems:
            self.notify(f"{label.capitalize()} set, but {problems[0]}.", severity="warning")
        else:
            self.notify(f"{label.capitalize()} set to this event's time.", timeout=3)

    def action_toggle_second_zone(self) -> None:
        """Show or hide UTC beside the session's zone."""
        self.second_zone = not self.second_zone
        self._rebuild()

    def action_paste_timeline(self) -> None:
        """Paste a timeline, check what was read, import it."""
        from debrief_tui.ui.dialogs.timeline_paste import TimelinePaste

        store = self.context.store
        if store is None:
            return
        started = self._facts().get("started_at")
        start_day = started.astimezone(zone(self.zone_name)).date() if started else None

        def done(events: list[ImportedEvent] | None) -> None:
            if not events:
                return
            rows = [TimelineRow(e.at, e.text, e.kind, e.key_event, e.approximate) for e in events]
            try:
                count = store.add_timeline_events(self.context.session_id, rows)
            except (InputError, NotFound) as exc:
                self.show_error(exc)
                return
            self._load()
            # Show where the import landed: the earliest imported event is selected.
            first = min(rows, key=lambda r: r.at)
            match = next(
                (e for e in self.events if (e.at, e.text) == (first.at, first.text.strip())), None
            )
            if match is not None and match.id is not None:
                self._select(match.id)
            self.notify(f"Imported {count} events.", timeout=4)

        self.app.push_screen(TimelinePaste(self.zone_name, start_day), done)
