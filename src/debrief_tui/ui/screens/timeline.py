"""Timeline review: the events in time order, milestones, the strip and the metrics.

Every confirmed change is committed through the gateway at once; the table is then updated in
place (one row added, changed or removed, then sorted), so it keeps up at thousands of events.
Each visit reads the stage's snapshot and lays the table out again only if the events changed.
"""

from __future__ import annotations

import bisect
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.coordinate import Coordinate
from textual.widget import Widget
from textual.widgets import Static
from textual.widgets.data_table import RowDoesNotExist

from debrief_tui.core.timeline import (
    MILESTONE_LABELS,
    IncidentWindow,
    TimelineRow,
    compute_metrics,
    milestone_facts,
    zone,
)
from debrief_tui.paths import styles_path
from debrief_tui.ui.compat import freeze_long_lived
from debrief_tui.ui.screens.stage import StageScreen
from debrief_tui.ui.tones import toner
from debrief_tui.ui.undo import ImportedEvents, MilestoneChange, add_imported
from debrief_tui.ui.widgets.event_table import EventTable, columns, time_format
from debrief_tui.ui.widgets.fitted_table import FittedTable
from debrief_tui.ui.widgets.timeline_strip import TimelineStrip, metrics_text

if TYPE_CHECKING:
    from debrief_tui.core.persistence import (
        Job,
        PostmortemSession,
        Removed,
        TimelineEvent,
        TimelineSnapshot,
        Unit,
    )
    from debrief_tui.core.timeline import ChatMessage, ImportedEvent, LinkRow

SECOND_ZONE = "UTC"
"""The zone `z` adds a column for."""


class TimelineScreen(StageScreen):
    """The timeline stage."""

    LIVE_KINDS: ClassVar[frozenset[str]] = frozenset({"timeline", "session"})

    CSS_PATH = styles_path("timeline.tcss")
    _time_format = "%H:%M"  # set per load: see _format_needed

    def compose_content(self) -> ComposeResult:
        """Strip, metrics, table."""
        with Vertical(id="timeline"):
            yield TimelineStrip(id="timeline-strip")
            yield Static(id="timeline-metrics")
            yield EventTable(columns(self._time_format, None), id="timeline-table")

    def prepare_content(self) -> None:
        """Nothing read yet: the strip and the table wait for the first snapshot."""
        self.events: list[TimelineEvent] = []
        self.links: dict[int, list[LinkRow]] = {}
        """The links of each event that has any."""
        self.session: PostmortemSession | None = None
        self.second_zone = False
        self._frozen = False
        self._theme = self.app.theme
        self._draw_summary()

    def snapshot_job(self) -> tuple[Job[TimelineSnapshot], bool]:
        """The session and its events."""
        session_id = self.context.session_id
        return (lambda tx: tx.snapshots.timeline(session_id)), False

    def show_snapshot(self, snapshot: TimelineSnapshot, select: int | None) -> None:
        """Lay the table out again only if the events (or the zone, or the theme) changed,
        else just redraw the milestones that moved."""
        self._take(snapshot)
        if select is not None:
            self._select(select)
        self.show_wanted()

    def _take(self, snapshot: TimelineSnapshot) -> None:
        before, session = self._facts(), self.session
        self.session = snapshot.session
        if (
            session is None
            or session.timezone != snapshot.session.timezone
            or _shown(self.events) != _shown(snapshot.events)
            or self.links != snapshot.links
            or self._theme != self.app.theme
        ):
            self.events = snapshot.events
            self.links = snapshot.links
            self._theme = self.app.theme
            self._rebuild()
        elif self._facts() != before:
            moments = [*before.values(), *self._facts().values()]
            self._refresh_milestones(m for m in moments if m is not None)
        if not self._frozen:
            # Thousands of events and table rows live as long as the stage: move them out of
            # the garbage collector's way, or each full collection pauses an edit by 100 ms.
            freeze_long_lived()
            self._frozen = True

    def main_widget(self) -> Widget:
        """The table: its keys add, edit and mark events."""
        return self.query_one(EventTable)

    def selected_topic(self) -> str | None:
        """The selected event's text, to park."""
        event = self._selected()
        return event.text if event else None

    # Loading and drawing ------------------------------------------------------------------

    @property
    def zone_name(self) -> str:
        """The session's zone (it may change in setup)."""
        return self.session.timezone if self.session else self.context.zone_name

    def _facts(self) -> dict[str, datetime | None]:
        return milestone_facts(self.session) if self.session else {}

    def _milestones_at(self) -> dict[datetime, list[str]]:
        marks: dict[datetime, list[str]] = {}
        for name, value in self._facts().items():
            if value is not None:
                marks.setdefault(value, []).append(name)
        return marks

    def _format_needed(self) -> str:
        return time_format([e.at for e in self.events[:1] + self.events[-1:]], self.zone_name)

    def _rebuild(self) -> None:
        """Lay out the table and add every row: on load, resize, zone or day-span changes."""
        table = self.query_one(EventTable)
        self._time_format = self._format_needed()
        table.set_columns(columns(self._time_format, SECOND_ZONE if self.second_zone else None))
        cursor = table.cursor_row
        table.fit_columns()
        marks = self._milestones_at()
        for event in self.events:
            table.add_fitted(self._cells(event, marks), key=str(event.id))
        if self.events:
            table.move_cursor(row=min(max(cursor, 0), len(self.events) - 1))
        self._draw_summary()

    def _cells(self, event: TimelineEvent, marks: dict[datetime, list[str]]) -> list[Text]:
        labels = [MILESTONE_LABELS[n] for n in marks.get(event.at, [])]
        zones = (self.zone_name, SECOND_ZONE if self.second_zone else None)
        links = len(self.links.get(event.id or 0, ()))
        return self.query_one(EventTable).cells(event, self._time_format, zones, labels, links)

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
        self.query_one("#timeline-metrics", Static).update(metrics_text(metrics, toner(self)))

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
                moved = not at_end  # a new row is appended: sort only when it belongs before
            else:
                moved = True
            table.put_fitted(cells, key=key)
            if moved:
                table.sort("time", key=lambda cell: cell.sort_key)
            self._draw_summary()
        self._select(event.id)

    def _refresh_milestones(self, at: Iterable[datetime]) -> None:
        """Redraw the milestone column of the events at these times."""
        table = self.query_one(EventTable)
        marks = self._milestones_at()
        moments = set(at)
        selected = self._selected()
        moved = False
        for event in self.events:
            if event.at in moments:
                # The whole row: a second milestone at one time makes it taller.
                moved |= table.put_fitted(self._cells(event, marks), key=str(event.id))
        if moved:
            table.sort("time", key=lambda cell: cell.sort_key)
            if selected is not None and selected.id is not None:
                self._select(selected.id)
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

    def _incident(self) -> IncidentWindow:
        """The incident an import is checked against (`IncidentWindow.of_incident`)."""
        return IncidentWindow.of_incident(self._facts().values(), (e.at for e in self.events))

    def _window(self) -> IncidentWindow:
        """What a time typed without a date is placed in: the incident's milestones and events,
        next to the selected event (else the start)."""
        event = self._selected()
        moments = [*self._facts().values(), *(e.at for e in self.events)]
        return IncidentWindow.around(
            moments, event.at if event else self._facts().get("started_at")
        )

    # Keys ---------------------------------------------------------------------------------

    def _adding(self) -> Callable[[TimelineRow], Awaitable[None]]:
        """What saves a new event and shows it in place."""
        session_id, gateway = self.context.session_id, self.context.gateway

        async def save(row: TimelineRow) -> None:
            event = await gateway.write(lambda tx: tx.timeline.add(session_id, row))
            self._keep_links(event, row)
            self._put(event)

        return save

    def _keep_links(self, event: TimelineEvent, row: TimelineRow) -> None:
        """Remember the links just saved with an event (None: they stayed as they were)."""
        if row.links is not None and event.id is not None:
            self.links[event.id] = list(row.links)
            if not row.links:
                del self.links[event.id]

    def action_add_event(self) -> None:
        """Add an event (dialog)."""
        from debrief_tui.ui.dialogs.event_dialog import EventDialog

        self.app.push_screen(EventDialog(self.zone_name, self._window(), save=self._adding()))

    def action_edit_event(self) -> None:
        """Edit the selected event; a new time moves it into place (and its milestones)."""
        from debrief_tui.ui.dialogs.event_dialog import EventDialog

        event = self._selected()
        if event is None or event.id is None:
            return
        event_id, old_at, session_id = event.id, event.at, self.context.session_id

        def update(tx: Unit, row: TimelineRow) -> tuple[TimelineEvent, PostmortemSession]:
            return tx.timeline.update(event_id, row), tx.sessions.get(session_id)

        async def save(row: TimelineRow) -> None:
            changed, self.session = await self.context.gateway.write(lambda tx: update(tx, row))
            self._keep_links(changed, row)
            self._put(changed)
            self._refresh_milestones((old_at, changed.at))

        links = self.links.get(event_id, [])
        dialog = EventDialog(self.zone_name, self._window(), event, save, links)
        dialog.as_new = self._adding()  # offered if another seat deletes the event meanwhile
        self.app.push_screen(dialog)

    def action_open_links(self) -> None:
        """Open the selected event's link, or choose one of its links."""
        from debrief_tui.ui.dialogs.link_picker import LinkPicker
        from debrief_tui.ui.links import open_link

        event = self._selected()
        links = self.links.get(event.id or 0, []) if event else []
        if event is None or not links:
            self.notify("This event has no links: e adds them (a dashboard, a recording…).")
            return

        def chosen(url: str | None) -> None:
            if url:
                self.notify(f"{open_link(self.app, url)}: {url}", markup=False)

        if len(links) == 1:
            chosen(links[0].url)
        else:
            self.app.push_screen(LinkPicker(f"Links of: {event.text}", links), chosen)

    async def action_delete_event(self) -> None:
        """Delete the selected event (u brings it back)."""
        event = self._selected()
        if event is None or event.id is None:
            return
        event_id = event.id
        removed = await self.write(lambda tx: tx.timeline.delete(event_id))
        if removed is None:
            return
        self.context.undo.push(self.stage.key, removed)
        self.events = [e for e in self.events if e.id != event_id]
        table = self.query_one(EventTable)
        table.remove_row(str(event_id))
        if self._format_needed() != self._time_format:
            self._rebuild()
        self._draw_summary()
        self.notify("Event deleted. u brings it back.", timeout=4)

    async def restored(self, removed: Removed, row: object) -> None:
        """Show the event undo brought back, in its place, with its links."""
        from debrief_tui.core.timeline import LinkRow

        event = cast("TimelineEvent", row)
        links = [
            LinkRow(getattr(k, "url", ""), getattr(k, "label", ""))
            for k in removed.rows
            if getattr(k, "__tablename__", "") == "link"
        ]
        if links and event.id is not None:
            self.links[event.id] = links
        self._put(event)

    async def _change(
        self, *, key_event: bool | None = None, approximate: bool | None = None
    ) -> None:
        event = self._selected()
        if event is None or event.id is None:
            return
        event_id = event.id
        row = TimelineRow(
            event.at,
            event.text,
            event.kind,
            event.key_event if key_event is None else key_event,
            event.approximate if approximate is None else approximate,
        )
        changed = await self.write(lambda tx: tx.timeline.update(event_id, row))
        if changed is not None:
            self._put(changed)

    async def action_toggle_key(self) -> None:
        """Mark or unmark the selected event as a key event."""
        event = self._selected()
        if event is not None:
            await self._change(key_event=not event.key_event)

    async def action_toggle_approximate(self) -> None:
        """Mark or unmark the selected event's time as approximate."""
        event = self._selected()
        if event is not None:
            await self._change(approximate=not event.approximate)

    def action_milestone(self) -> None:
        """Choose a milestone for the selected event's time."""
        from debrief_tui.ui.dialogs.milestone_picker import MilestonePicker

        event = self._selected()
        if event is None:
            self.notify("Select an event first (a adds one).", timeout=3)
            return
        marked = set(self._milestones_at().get(event.at, []))

        async def chosen(name: str | None) -> None:
            if name is not None:
                await self.action_set_milestone(name)

        self.app.push_screen(MilestonePicker(event.text, marked), chosen)

    async def action_set_milestone(self, name: str) -> None:
        """Set milestone `name` to the selected event's time; again on the same event clears it.

        Milestones are the session's facts: setup, the export and the metrics see the change.
        `u` takes it back (the previous value, as stored when the change was made); replacing
        a milestone that was set says what it replaced.
        """
        event = self._selected()
        if event is None or self.session is None:
            return
        shown = getattr(self.session, name)
        value = None if shown == event.at else event.at
        session_id = self.context.session_id

        def change(tx: Unit) -> tuple[datetime | None, PostmortemSession]:
            # What undo puts back is what was stored, even if another seat changed it since
            # this stage was read.
            stored = getattr(tx.sessions.get(session_id), name)
            return stored, tx.sessions.set_milestone(session_id, name, value)

        done = await self.write(change)
        if done is None:
            return
        previous, self.session = done
        self.context.undo.push(self.stage.key, MilestoneChange(name, previous, value))
        label = MILESTONE_LABELS[name].capitalize()
        self._refresh_milestones([t for t in (shown, previous, event.at) if t is not None])
        problems = compute_metrics(self._facts(), [], self.session.severity).problems
        if value is None:
            self.notify(f"{label} cleared. u puts it back.", timeout=4)
            return
        said = f"{label} set to {self._moment(value)}"
        if previous is not None and previous != value:
            said += f", replacing {self._moment(previous)}"
        said += f", but {problems[0]}." if problems else "."
        self.notify(
            f"{said} u undoes.",
            severity="warning" if problems else "information",
            timeout=8 if previous is not None or problems else 4,
            markup=False,
        )

    async def take_back(self, change: MilestoneChange | ImportedEvents) -> None:
        """Undo a milestone change (put back the value it had before) or an import."""
        if isinstance(change, ImportedEvents):
            await self._take_back_import(change)
            return
        session_id, name, previous = self.context.session_id, change.name, change.previous
        session = await self.write(lambda tx: tx.sessions.set_milestone(session_id, name, previous))
        if session is None:
            return
        shown = [t for t in (getattr(self.session, name, None), change.value) if t is not None]
        self.session = session
        self._refresh_milestones([*shown, *([previous] if previous else [])])
        label = MILESTONE_LABELS[name].capitalize()
        if previous is None:
            self.notify(f"Undone: {label} is not set again.", timeout=4, markup=False)
            return
        self.notify(f"Undone: {label} is back at {self._moment(previous)}.", markup=False)
        match = next((e for e in self.events if e.at == previous), None)
        if match is not None and match.id is not None:
            self._select(match.id)

    async def _take_back_import(self, change: ImportedEvents) -> None:
        """Delete the events an import added, in one step, and say how many went."""
        from collections import Counter

        from debrief_tui.core.text import counted
        from debrief_tui.ui.undo import remove_imported

        gone = await self.write(lambda tx: remove_imported(tx, change))
        if gone is None:
            return
        await self.reload()
        # A chat import's authors leave the room panel with their messages.
        self.context.voices = dict(Counter(e.author for e in self.events if e.author).most_common())
        self.update_room()
        self.notify(f"Undid: import of {counted(gone, 'event')}.", timeout=4)

    def _moment(self, at: datetime) -> str:
        """A milestone's time as the table shows it, with the event at that time (if any)."""
        shown = at.astimezone(zone(self.zone_name)).strftime(self._time_format)
        event = next((e for e in self.events if e.at == at), None)
        if event is None:
            return shown
        text = event.text if len(event.text) <= 40 else event.text[:39] + "…"
        return f'{shown} ("{text}")'

    def action_toggle_second_zone(self) -> None:
        """Show or hide UTC beside the session's zone."""
        self.second_zone = not self.second_zone
        self._rebuild()

    def action_paste_timeline(self) -> None:
        """Paste a timeline, check what was read, import it."""
        from debrief_tui.ui.dialogs.timeline_paste import TimelinePaste

        started = self._facts().get("started_at")
        start_day = started.astimezone(zone(self.zone_name)).date() if started else None
        session_id = self.context.session_id

        async def done(events: list[ImportedEvent] | None) -> None:
            from debrief_tui.core.text import counted

            if not events:
                return
            rows = [
                TimelineRow(e.at, e.text, e.kind, e.key_event, e.approximate, e.author)
                for e in events
            ]
            added = await self.write(lambda tx: add_imported(tx, session_id, rows))
            if added is None:
                return
            count = len(added.ids)
            self.context.undo.push(self.stage.key, added)
            await self.reload()
            # Show where the import landed: the earliest imported event is selected.
            first = min(rows, key=lambda r: r.at)
            match = next(
                (e for e in self.events if (e.at, e.text) == (first.at, first.text.strip())), None
            )
            if match is not None and match.id is not None:
                self._select(match.id)
            self.notify(f"Imported {counted(count, 'event')}.", timeout=4)

        self.app.push_screen(
            TimelinePaste(self.zone_name, start_day, window=self._incident(), existing=self.events),
            done,
        )

    def action_import_chat(self) -> None:
        """Import messages of an incident channel from a chat export: choose the channel and
        the messages, check them in the preview, import them with their authors."""
        from collections import Counter

        from debrief_tui.core.timeline import chat_rows
        from debrief_tui.ui.dialogs.chat_import import ChatImport

        started = self._facts().get("started_at")
        start_day = started.astimezone(zone(self.zone_name)).date() if started else None
        session_id, gateway = self.context.session_id, self.context.gateway

        def add(tx: Unit, messages: list[ChatMessage]) -> ImportedEvents:
            # Authors are matched against the attendees as stored when the import commits.
            people = [person.name for person in tx.attendees.of(session_id)]
            return add_imported(tx, session_id, chat_rows(messages, people))

        async def save(messages: list[ChatMessage]) -> None:
            added = await gateway.write(lambda tx: add(tx, messages))
            self.context.undo.push(self.stage.key, added)

        async def done(messages: list[ChatMessage] | None) -> None:
            if not messages:
                return
            await self.reload()
            first = min(messages, key=lambda m: m.at)
            match = next((e for e in self.events if (e.at, e.text) == (first.at, first.text)), None)
            if match is not None and match.id is not None:
                self._select(match.id)
            voices = Counter(e.author for e in self.events if e.author)
            self.context.voices = dict(voices.most_common())
            self.update_room()
            self.notify(f"Imported {len(messages)} messages as events.", timeout=4)

        people = [name for name, _role in self.context.people]
        self.app.push_screen(
            ChatImport(self.zone_name, start_day, people, save, self._incident(), self.events),
            done,
        )


def _shown(events: list[TimelineEvent]) -> list[tuple[object, ...]]:
    """What the table shows of each event, to tell whether a new snapshot changes it."""
    return [(e.id, e.at, e.text, e.kind, e.key_event, e.approximate, e.author) for e in events]
