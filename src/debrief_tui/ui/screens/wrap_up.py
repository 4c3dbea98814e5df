"""Wrap-up: what is still missing before the room leaves (a checklist that jumps to it), the
document's status, a summary of the meeting, and the parking lot with an owner per topic."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Static

from debrief_tui.core.actions import ActionRow, owners_of
from debrief_tui.core.clock import today_in
from debrief_tui.core.meeting import (
    CheckLine,
    MinuteMark,
    actions_not_created,
    checklist,
    decisions_taken,
    meeting_summary,
)
from debrief_tui.core.reference import STATUSES
from debrief_tui.core.sessions import session_timeliness
from debrief_tui.core.text import counted
from debrief_tui.core.timeline import zone
from debrief_tui.paths import styles_path
from debrief_tui.ui.dialogs.confirm import ConfirmDialog
from debrief_tui.ui.dialogs.parking_item import ParkingItemDialog
from debrief_tui.ui.dialogs.seen_before import SeenBeforeDialog
from debrief_tui.ui.literal import literal
from debrief_tui.ui.refusal import attempt
from debrief_tui.ui.screens.stage import StageScreen
from debrief_tui.ui.tones import ERROR, OK, WARNING, tone, toner
from debrief_tui.ui.widgets.fitted_table import FittedTable, widest
from debrief_tui.ui.widgets.summary_table import summary_table

REVIEW_STATUS = "in review"
"""The last status the checklist may be open at; moving past it asks first."""
_LISTED = 8
"""Open checklist lines listed in that question (the rest are counted)."""

if TYPE_CHECKING:
    from debrief_tui.core.meeting import SessionData
    from debrief_tui.core.persistence import Job, ParkingItem, PostmortemSession, Unit
    from debrief_tui.core.sessions import Match, Timeliness


class ParkingTable(FittedTable):
    """The parking lot; its keys apply while it has focus."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,e", "screen.edit_parked", "Edit topic/owner", id="edit-parked"),
        Binding("d,delete", "screen.delete_parked", "Remove topic", id="delete-parked"),
    ]


class CheckTable(FittedTable):
    """The wrap-up checklist; Enter goes where a line points."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "screen.go_to_line", "Go there", id="check-go"),
        Binding("t", "screen.next_status(1)", "Status ▶", id="status-next"),
        Binding("T", "screen.next_status(-1)", "◀ Status", id="status-back", show=False),
        Binding("v", "screen.show_summary", "Summary", id="summary"),
        Binding("x", "screen.export", "Export", id="wrap-export"),
        Binding("s", "screen.seen_before", "Seen before", id="seen-before"),
    ]


class MarksTable(FittedTable):
    """Decisions taken and actions mentioned in the minutes; an action one can become an item."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n,enter", "screen.action_from_minute", "Make it an action", id="minute-action"),
    ]


class WrapUpScreen(StageScreen):
    """The last stage: status, the checklist, the parking lot; the summary on request."""

    LIVE_KINDS: ClassVar[frozenset[str]] = frozenset(
        {"session", "attendee", "timeline", "why", "factor", "lesson", "action", "parking", "time"}
    )

    CSS_PATH = styles_path("wrap_up.tcss")

    def compose_content(self) -> ComposeResult:
        """Status line, the checklist, the parking lot."""
        with Vertical(id="wrap-checks"):
            yield Static(id="wrap-status")
            yield Static(id="wrap-learning")
            yield CheckTable((("", "ok", 1), ("Before we leave", "text", None)), id="check-table")
        # A stage's title is a label: its column is as wide as the longest in the agenda.
        titles = [stage.title for stage in self.context.meeting.agenda.stages]
        with Vertical(id="minute-marks"):
            yield Static(id="marks-title")
            yield MarksTable(
                (
                    ("", "mark", 1),
                    ("From the minutes", "text", None),
                    ("Stage", "stage", widest("Stage", titles)),
                ),
                id="marks-table",
            )
        with Vertical(id="parking"):
            yield Static(id="parking-title")
            yield ParkingTable(
                (
                    ("Topic", "topic", None),
                    ("Owner", "owner", widest("Owner", ["needs an owner"])),
                    ("Raised in", "stage", widest("Raised in", titles)),
                ),
                id="parking-table",
            )

    def prepare_content(self) -> None:
        """Nothing read yet."""
        self.items: list[ParkingItem] = []
        self.lines: list[CheckLine] = []
        self.session: PostmortemSession | None = None
        self.data: SessionData | None = None
        self.query_one("#wrap-status", Static).update(Text("Opening…", style="dim"))
        self.marks: list[tuple[str, MinuteMark]] = []
        self.timing: Timeliness | None = None
        self.seen: list[Match] | None = None
        """Past sessions like this one, read once a visit (across every session, so not on
        each change), and again when the list is opened."""
        self._show_parking()
        self.context.book.subscribe(self._minutes_changed)

    def on_unmount(self) -> None:
        """Stop following the minutes."""
        self.context.book.unsubscribe(self._minutes_changed)

    def _minutes_changed(self, _first: int) -> None:
        if self.data is not None:
            self._show_marks()

    @on(StageScreen.Parked)
    def _parked_here(self) -> None:
        self.load()

    def snapshot_job(self) -> tuple[Job[SessionData], bool]:
        """Everything the checklist looks at (every stage, the parking lot from any)."""
        session_id = self.context.session_id
        return (lambda tx: tx.snapshots.wrap_up(session_id)), False

    def show_snapshot(self, data: SessionData, select: int | None) -> None:
        """Show the checklist, the status and the parking lot."""
        self.data, self.session, self.items = data, data.session, list(data.parking)
        self.lines = checklist(data, today_in(data.session.timezone, self.context.clock()))
        self._show_parking()
        self._show_checks()
        self._show_status()
        self._show_marks()
        self._read_learning()
        if select is not None:
            self.select_row("parking", select)
        self.show_wanted()

    # Checklist and status -----------------------------------------------------------------

    def _show_checks(self) -> None:
        table = self.query_one(CheckTable)
        current = table.cursor_row
        table.fit_columns()
        for line in self.lines:
            table.add_fitted(
                (
                    Text("✓", style=tone(self, OK))
                    if line.ok
                    else Text("✗", style=tone(self, ERROR)),
                    literal(line.text),
                )
            )
        if self.lines:
            table.move_cursor(row=min(current, len(self.lines) - 1))

    def _show_status(self) -> None:
        session = self.session
        if session is None:
            return
        missing = sum(1 for line in self.lines if not line.ok)
        text = Text("Status: ", style="bold")
        text.append(session.status, style="bold")
        if session.status_changed_at is not None:
            since = session.status_changed_at.astimezone(zone(session.timezone))
            text.append(f" since {since:%a %d %b %Y}", style="dim")
        text.append("  ·  ")
        if missing:
            text.append(f"{counted(missing, 'thing')} missing", style=tone(self, WARNING))
        else:
            text.append("nothing missing", style=tone(self, OK))
        # The keys are in the footer; this line says what past sessions are like this one.
        text.append("  ·  ")
        if self.seen is None:
            text.append("seen before: …", style="dim")
        elif self.seen:
            text.append(f"seen before: {counted(len(self.seen), 'past session')} (s)")
        else:
            text.append("not seen before", style="dim")
        self.query_one("#wrap-status", Static).update(text)

    @work(group="wrap-learning", exclusive=True)
    async def _read_learning(self) -> None:
        """The review's timing (the meeting clock's first start) and, once a visit, the past
        sessions like this one; both on the database thread."""
        session_id, session = self.context.session_id, self.session
        if session is None:
            return
        first = self.seen is None

        def job(tx: Unit) -> tuple[datetime | None, list[Match] | None]:
            start = tx.history.meeting_starts([session_id]).get(session_id)
            return start, tx.history.seen_before(session_id) if first else None

        found = await attempt(self, self.context.gateway.read(job))
        if found is None:
            return
        start, seen = found
        self.timing = session_timeliness(session, start, self.context.clock())
        if seen is not None:
            self.seen = seen
        self._show_learning()

    def _show_learning(self) -> None:
        """The review against its target, and (in the status line) how many past sessions
        are like this one."""
        text = Text("Review: ", style="bold")
        timing = self.timing
        if timing is not None:
            flagged = tone(self, WARNING) if timing.flagged else ""
            text.append(timing.describe(), style=flagged)
        self.query_one("#wrap-learning", Static).update(text)
        self._show_status()

    async def action_seen_before(self) -> None:
        """List the past sessions like this one, read anew, with their actions."""
        session_id = self.context.session_id
        seen = await attempt(
            self, self.context.gateway.read(lambda tx: tx.history.seen_before(session_id))
        )
        if seen is None:
            return
        self.seen = seen
        self._show_learning()
        self.app.push_screen(SeenBeforeDialog(session_id, seen))

    @on(FittedTable.Refit, "#check-table")
    def _refit_checks(self) -> None:
        self._show_checks()

    def action_go_to_line(self) -> None:
        """Go where the selected checklist line points: the stage and the row, or setup."""
        table = self.query_one(CheckTable)
        if not 0 <= table.cursor_row < len(self.lines):
            return
        target = self.lines[table.cursor_row].target
        if target.stage == "setup":
            self.post_message(self.OpenSetup(target.kind or None))
            return
        index = self.context.meeting.agenda.index_of(target.stage)
        if self.context.meeting.agenda.stages[index].key != target.stage:
            self.notify(f"This agenda has no {target.stage} stage.", timeout=4)
            return
        item = (target.kind, target.row_id) if target.kind else None
        self.post_message(self.GoToStage(index, item=item))

    def select_row(self, kind: str, row_id: int) -> bool:
        """Select a parked topic asked for by id."""
        if kind != "parking":
            return True
        index = next((i for i, p in enumerate(self.items) if p.id == row_id), None)
        if index is None:
            return False
        table = self.query_one(ParkingTable)
        table.move_cursor(row=index)
        self.set_focus(table)
        return True

    async def action_next_status(self, step: int) -> None:
        """Move the document's status on (or back): draft, in review, reviewed, published."""
        session = self.session
        if session is None:
            return
        index = STATUSES.index(session.status) if session.status in STATUSES else 0
        target = index + step
        if not 0 <= target < len(STATUSES):
            self.notify(f"The status is already {session.status}.", timeout=3)
            return
        status = STATUSES[target]
        open_lines = [line.text for line in self.lines if not line.ok]
        if step > 0 and open_lines and target > STATUSES.index(REVIEW_STATUS):
            # Past review with the checklist open is a decision the room takes, not a key.
            question = Text(
                f"Mark it {status} with {counted(len(open_lines), 'checklist line')} still open?\n"
            )
            for text in open_lines[:_LISTED]:
                question.append("\n• ")
                question.append(literal(text))
            if len(open_lines) > _LISTED:
                question.append(f"\n… and {len(open_lines) - _LISTED} more")

            async def confirmed(yes: bool | None) -> None:
                if yes:
                    await self._set_status(status, len(open_lines))

            self.app.push_screen(ConfirmDialog(question, confirm_label=f"Mark {status}"), confirmed)
            return
        await self._set_status(status, len(open_lines) if step > 0 else 0)

    async def _set_status(self, status: str, still_open: int) -> None:
        session_id = self.context.session_id
        if await self.write(lambda tx: tx.sessions.update(session_id, status=status)) is None:
            return
        await self.reload()
        if still_open:
            self.notify(
                f"Now {status}, with {counted(still_open, 'checklist line')} still open.",
                timeout=5,
            )

    def action_show_summary(self) -> None:
        """The meeting summary: time per stage against its timebox, minutes, actions."""
        from debrief_tui.ui.dialogs.summary import SummaryDialog

        meeting = self.context.meeting
        actions = self.data.actions if self.data else []
        spent = {stage.key: meeting.spent(stage.key) for stage in meeting.agenda.stages}
        summary = meeting_summary(meeting.agenda, spent, self.context.book.minutes, actions)
        self.app.push_screen(SummaryDialog("Meeting summary", summary_table(summary, toner(self))))

    # Decisions and actions from the minutes -------------------------------------------------

    @on(FittedTable.Refit, "#marks-table")
    def _show_marks(self) -> None:
        """The `Decision:` minutes, then the `Action:` ones no action item was made from."""
        minutes = self.context.book.minutes
        actions = self.data.actions if self.data else []
        self.marks = [("◆", m) for m in decisions_taken(minutes)]
        self.marks += [("→", m) for m in actions_not_created(minutes, actions)]
        table = self.query_one(MarksTable)
        current = table.cursor_row
        table.fit_columns()
        for mark, found in self.marks:
            table.add_fitted(
                (
                    Text(mark, style="bold"),
                    literal(found.text),
                    Text(self.context.book.stage_title(found.minute.stage)),
                )
            )
        decided = sum(1 for mark, _ in self.marks if mark == "◆")
        mentioned = len(self.marks) - decided
        title = Text("From the minutes", style="bold")
        # One line at 80 columns: the longer "N decisions taken · N actions mentioned, not yet
        # created" lost its last words there.
        title.append(f"  {counted(decided, 'decision')}", style="dim")
        if mentioned:
            title.append(
                f" · {counted(mentioned, 'action')} not yet created (n makes one)",
                style=tone(self, WARNING),
            )
        self.query_one("#marks-title", Static).update(title)
        self.query_one("#minute-marks").display = bool(self.marks)
        if self.marks:
            table.move_cursor(row=min(max(current, 0), len(self.marks) - 1))

    def action_action_from_minute(self) -> None:
        """Make the selected `Action:` minute an action item (the action dialog, filled in)."""
        from debrief_tui.ui.dialogs.action_dialog import ActionDialog

        table = self.query_one(MarksTable)
        if self.session is None or self.data is None or not self.marks:
            return
        mark, found = self.marks[min(table.cursor_row, len(self.marks) - 1)]
        if mark != "→":
            self.notify("That is a decision: pick an action line (→) to make one.", timeout=3)
            return
        session_id = self.context.session_id

        async def save(row: ActionRow) -> None:
            await self.context.gateway.write(lambda tx: tx.actions.add(session_id, row))
            self.load()

        self.app.push_screen(
            ActionDialog(
                today=today_in(self.session.timezone, self.context.clock()),
                severity=self.session.severity,
                owners=owners_of(self.data.attendees),
                text=found.text,
                save=save,
            )
        )

    def main_widget(self) -> Widget:
        """The checklist."""
        return self.query_one(CheckTable)

    @on(FittedTable.Refit, "#parking-table")
    def _refit_parking(self) -> None:
        self._show_parking()

    def _show_parking(self) -> None:
        table = self.query_one(ParkingTable)
        current = table.cursor_row  # laid out again, the cursor stays on its row
        table.fit_columns()
        titles = {s.key: s.title for s in self.context.meeting.agenda.stages}
        for item in self.items:
            table.add_fitted(
                (
                    literal(item.text),
                    literal(item.owner)
                    if item.owner
                    else Text("needs an owner", style=tone(self, WARNING)),
                    Text(titles.get(item.stage, item.stage)),
                ),
                key=str(item.id),
            )
        missing = sum(1 for item in self.items if not item.owner)
        heading = Text("Parking lot", style="bold")
        if not self.items:
            heading.append("  empty: nothing was parked (f9 parks a topic)", style="dim")
        elif missing:
            heading.append(
                f"  {missing} of {len(self.items)} without an owner",
                style=tone(self, "$text-warning"),
            )
        else:
            heading.append(f"  {len(self.items)} topics, all owned", style=tone(self, OK))
        self.query_one("#parking-title", Static).update(heading)
        table.display = bool(self.items)
        if self.items:
            table.move_cursor(row=min(max(current, 0), len(self.items) - 1))
        self.refresh_bindings()

    def _selected_item(self) -> ParkingItem | None:
        table = self.query_one(ParkingTable)
        if not self.items or not 0 <= table.cursor_row < len(self.items):
            return None
        return self.items[table.cursor_row]

    def action_edit_parked(self) -> None:
        """Edit the selected topic's text and owner."""
        item = self._selected_item()
        if item is None or item.id is None:
            return
        item_id, gateway = item.id, self.context.gateway

        async def save(values: tuple[str, str]) -> None:
            await gateway.write(lambda tx: tx.parking.update(item_id, *values))
            # Back on the topic just edited, in the parking lot: not on the checklist, whose
            # Enter would jump to another stage.
            await self.reload(select=item_id)

        owners = owners_of(self.data.attendees) if self.data else []
        self.app.push_screen(ParkingItemDialog(item.text, item.owner, save, owners))

    def _stay_in_parking(self, row: int) -> None:
        """After a topic is removed, keep the cursor in the parking lot (on the row that took
        its place) while any topic is left."""
        table = self.query_one(ParkingTable)
        if self.items:
            table.move_cursor(row=min(row, len(self.items) - 1))
            self.set_focus(table)

    def action_delete_parked(self) -> None:
        """Remove the selected topic after confirmation."""
        item = self._selected_item()
        if item is None or item.id is None:
            return
        item_id, index = item.id, self.query_one(ParkingTable).cursor_row

        async def confirmed(yes: bool | None) -> None:
            if yes:
                await self.write(lambda tx: tx.parking.delete(item_id))
                await self.reload()
                self._stay_in_parking(index)

        question = Text.assemble("Remove ", literal(item.text, "bold"), " from the parking lot?")
        self.app.push_screen(ConfirmDialog(question, confirm_label="Remove"), confirmed)
