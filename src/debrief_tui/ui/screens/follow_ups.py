"""Follow-ups: every action of every incident, grouped by owner or by incident, overdue first
(the order, the overdue judgement and the SMART marks of `debrief actions`); status, owner and
due date changed in place, each change committed at once and taken back with u."""

from __future__ import annotations

import dataclasses
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Input, Static

from debrief_tui.core.actions import (
    CLOSED,
    GROUPINGS,
    Board,
    FollowUp,
    FollowUpChange,
    Group,
    View,
    due_phrase,
    owners_of,
    to_follow_up,
    with_change,
)
from debrief_tui.core.errors import NotFound, Refusal
from debrief_tui.core.reference import ACTION_STATUSES
from debrief_tui.core.text import counted, one_line, shorten
from debrief_tui.paths import styles_path
from debrief_tui.ui.literal import literal
from debrief_tui.ui.refusal import show_refusal
from debrief_tui.ui.tones import LABEL, OK, WARNING, tone
from debrief_tui.ui.widgets.fitted_table import Column, FittedTable, widest
from debrief_tui.ui.widgets.keys_footer import KeysFooter
from debrief_tui.ui.widgets.paging import go_to_last_row
from debrief_tui.ui.widgets.safe_input import SafeInput

if TYPE_CHECKING:
    from datetime import date, datetime

    from debrief_tui.core.clock import Clock
    from debrief_tui.core.persistence import Gateway, Unit

PAGE = 80
"""Rows the table adds at a time as the cursor comes within a screenful of the last it holds
(it starts with two screenfuls): a row takes a millisecond or more to lay out (its cells
wrapped), so the 25,000 open actions of the scale test would take half a minute."""

KEEP_WITHIN = 2 * PAGE
"""How far down a view the selected action may be and stay selected when the view changes
(grouped the other way, say); further down, the cursor starts at the top rather than lay out
every row above it."""

_WHEN = ("Due", "when", widest("Due", ("overdue 999d", "due in 99d")))
_TEXT = ("Action", "text", None)
_STATUS = ("Status", "status", widest("Status", ACTION_STATUSES))
_SMART = ("SMART", "smart", widest("SMART", ("no due date,", "2+ owners,")))
_TICKET = ("Ticket", "ticket", 10)
_COLUMNS: dict[str, tuple[Column, ...]] = {
    # The group's heading names what the group shares; the other of the two is a column.
    "owner": (_WHEN, _TEXT, ("Incident", "incident", 16), _STATUS, _SMART, _TICKET),
    "incident": (_WHEN, _TEXT, ("Owner", "owner", 14), _STATUS, _SMART, _TICKET),
}


@contextmanager
def _no_collection() -> Iterator[None]:
    """No garbage collection while 50,000 actions' records are built: they hold no cycles,
    and the collector, woken every few hundred new objects, went through the app's whole heap
    again and again (measured: a quarter of a second of the half taken, half of it in the
    median run)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _quarter(moment: datetime) -> datetime:
    return moment.replace(minute=moment.minute // 15 * 15, second=0, microsecond=0)


class FollowUpTable(FittedTable):
    """The actions and their group headings; these keys change the action under the cursor."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "screen.next_status", "Status ▶", id="follow-up-status"),
        Binding("o", "screen.set_owner", "Owner", id="follow-up-owner"),
        Binding("d", "screen.set_due", "Due", id="follow-up-due"),
        Binding("u", "screen.undo", "Undo", id="follow-up-undo"),
        Binding("end", "screen.last_row", "Last", id="follow-up-last", show=False),
    ]


def _board(tx: Unit, *, closed: bool, now: datetime, since: int | None) -> tuple[int, Board] | None:
    """The actions read and arranged (on the database thread: the follow-up rules run there
    too, so the event loop only draws); None when nothing changed after change `since`."""
    if since is not None and not tx.actions.changed_since(since):
        return None
    version = tx.actions.last_change()  # first: what follows is at least as new
    with _no_collection():
        return version, Board(to_follow_up(tx.actions.everywhere(closed=closed), now))


class FollowUpsScreen(Screen[None]):
    """Every action of every session, to follow up."""

    CSS_PATH = styles_path("follow_ups.tcss")

    LIVE_KINDS: ClassVar[frozenset[str]] = frozenset({"action", "session", "attendee"})
    """What another seat changes that this screen shows: it reads the actions again."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("g", "group", "Group", id="follow-up-group"),
        Binding("exclamation_mark", "overdue", "Overdue", id="follow-up-overdue"),
        Binding("c", "closed", "Done", id="follow-up-closed"),
        # Not in the footer, which needs its 80 columns for the keys above; the filter box
        # names its key, and f1 and the palette list them all.
        Binding("f", "status_filter", "Status filter", id="follow-up-status-filter", show=False),
        Binding("slash", "focus_filter", "Filter", id="follow-up-filter", show=False),
        Binding("escape", "back", "Back", id="follow-up-back"),
        Binding("q", "leave", "Back", id="follow-up-quit", show=False),
    ]

    def __init__(self, gateway: Gateway, clock: Clock) -> None:
        super().__init__()
        self.gateway = gateway
        self.clock = clock
        self.board = Board([])
        self.view = View()
        self.loaded_closed = False
        """Whether the done and dropped actions were read (they are read when first shown)."""
        self.now: datetime | None = None
        self.entries: list[Group | FollowUp] = []
        """The rows in table order: each group's heading, then its actions."""
        self.added = 0
        """How many of `entries` the table holds (they are added a page at a time)."""
        self.pinned: frozenset[int] = frozenset()
        self.undo_stack: list[tuple[int, FollowUpChange]] = []
        """(action id, the change back) of each change made here, newest last."""
        self.loaded = False
        self.version = 0
        """The change log's number when the actions were read."""

    def compose(self) -> ComposeResult:
        """The heading, the filter box, the table, the selected action's details, the keys."""
        yield Static(Text("Follow-ups  reading…"), id="follow-ups-title")
        yield SafeInput(
            hint="Filter: an owner or team, an incident, words of the action  ( / )",
            id="follow-ups-filter",
            compact=True,
        )
        yield FollowUpTable(
            _COLUMNS[self.view.by],
            # Left out in this order at 80 columns: the line under the table shows both for
            # the selected action.
            optional=("ticket", "smart"),
            id="follow-ups-table",
        )
        yield Static("", id="follow-ups-detail")
        # The meeting's footer: Textual's own rebuilt its keys on every move of the cursor
        # (the keys change between a heading and an action), a third of a second in all
        # when the screen opened at scale.
        yield KeysFooter(compact=True)

    def on_mount(self) -> None:
        """Focus the table; the actions are read when the screen resumes."""
        self.set_focus(self.query_one(FollowUpTable))

    def on_screen_resume(self) -> None:
        """Read the actions again each time the screen comes back: another seat, or the
        meeting opened meanwhile, may have changed them."""
        self.reload()

    # Reading ------------------------------------------------------------------------------

    @work(group="follow-ups", exclusive=True)
    async def reload(self, select: int | None = None) -> None:
        """Read the actions (on the database thread: the follow-up rules run there too, so
        the event loop only draws), then show them; unless no action, session or attendee
        changed since they were read (the change log says so in a moment, where reading
        50,000 actions takes a second or more)."""
        closed = self.view.closed or self.view.status in CLOSED
        now = self.clock()
        since = self.version if self._current(closed, now) else None
        try:
            read = await self.gateway.read(partial(_board, closed=closed, now=now, since=since))
        except Refusal as exc:
            show_refusal(self, exc)
            return
        if read is None:
            if select is not None or not self.entries:
                self._show(select)  # read ahead (`prepare`), or kept: shown as it is
            return
        keep = select if select is not None else self._selected_id()
        self.version, self.board = read
        self.loaded_closed, self.now, self.loaded = closed, now, True
        self._show(keep)

    async def prepare(self) -> None:
        """Read the open actions before the screen is first shown (the session list asks
        once it is drawn), so that its key shows them at once: at a team's scale (50,000
        actions) the read and the follow-up rules take most of a second. Shown later, the
        screen asks the change log whether they are still current, as on any return."""
        if self.loaded:
            return
        now = self.clock()
        try:
            read = await self.gateway.read(partial(_board, closed=False, now=now, since=None))
        except Refusal:
            return  # the screen reads them itself, and says why it cannot, when it is shown
        if read is not None and not self.loaded:
            self.version, self.board = read
            self.loaded_closed, self.now, self.loaded = False, now, True

    def _current(self, closed: bool, now: datetime) -> bool:
        """Whether the actions read can be shown for `closed` at `now`: read with the closed
        ones if asked, and within the same quarter hour (each zone's day starts on one)."""
        if not self.loaded or self.now is None or (closed and not self.loaded_closed):
            return False
        return _quarter(now) == _quarter(self.now)

    def refresh_view(self) -> None:
        """Show the board again as `view` now says (reading the closed actions first if it
        asks for them and they were not read)."""
        if (self.view.closed or self.view.status in CLOSED) and not self.loaded_closed:
            self.reload()
        else:
            self._show(self._selected_id())

    @on(FittedTable.Refit, "#follow-ups-table")
    def _refit(self) -> None:
        self._show(self._selected_id())

    def _show(self, select: int | None = None, at: int | None = None) -> None:
        """Group the actions as the view says and show the first pages (as far as the
        selected action), the cursor on `select` (else on row `at`)."""
        groups = self.board.groups(self.view, self.pinned)
        entries: list[Group | FollowUp] = []
        for group in groups:
            entries.append(group)
            entries.extend(group.items)
        self.entries = entries
        table = self.query_one(FollowUpTable)
        table.fit_columns()
        self.added = 0
        index = self._index_of(select) if select is not None else None
        if index is None:
            index = min(at, len(entries) - 1) if at is not None else None
        if index is not None and index >= KEEP_WITHIN:
            index = None
        self._add_rows((index or 0) + 2 * self._screenful())
        if index is not None and index >= 0 and table.row_count:
            table.move_cursor(row=index, animate=False)
        elif table.row_count and isinstance(self.entries[0], Group) and len(self.entries) > 1:
            table.move_cursor(row=1, animate=False)  # on the first action, not its heading
        self._show_title(groups)
        self._show_detail()
        self.refresh_bindings()

    def _index_of(self, action_id: int) -> int | None:
        for index, entry in enumerate(self.entries):
            if isinstance(entry, FollowUp) and entry.action.action_id == action_id:
                return index
        return None

    def _screenful(self) -> int:
        return max(self.query_one(FollowUpTable).size.height, 10)

    def _add_rows(self, upto: int) -> None:
        table = self.query_one(FollowUpTable)
        upto = min(upto, len(self.entries))
        for index in range(self.added, upto):
            entry = self.entries[index]
            if isinstance(entry, Group):
                table.add_fitted(self._heading_cells(entry), key=f"g{index}")
            else:
                table.add_fitted(self._cells(entry), key=f"a{entry.action.action_id}")
        self.added = max(self.added, upto)

    def action_last_row(self) -> None:
        """End: the last action, once the rows not yet laid out are."""
        go_to_last_row(self, self.query_one(FollowUpTable), lambda: self.entries, self._add_rows)

    @on(FollowUpTable.RowHighlighted, "#follow-ups-table")
    def _moved(self, event: FollowUpTable.RowHighlighted) -> None:
        if event.cursor_row + self._screenful() >= self.added:
            self._add_rows(max(self.added + PAGE, event.cursor_row + 2 * self._screenful()))
        self._show_detail()
        self.refresh_bindings()

    # Drawing ------------------------------------------------------------------------------

    def _heading_cells(self, group: Group) -> list[Text]:
        if self.view.by == "incident":
            title = Text(f"#{group.session_id} ", style=tone(self, LABEL))
            title.append_text(literal(group.title, "bold"))
        elif group.title:
            title = literal(group.title, "bold")
        else:
            title = Text("no owner", style="bold italic")
        title.append(f"  {counted(len(group.items), 'action')}", style="dim")
        if group.overdue:
            title.append(f" · {group.overdue} overdue", style=tone(self, WARNING))
        blank = Text("")
        cells = [blank] * len(_COLUMNS[self.view.by])
        cells[1] = title
        return cells

    def _cells(self, item: FollowUp) -> list[Text]:
        action = item.action
        when = Text(due_phrase(item))
        if item.days_overdue:
            when.stylize(tone(self, WARNING))
        elif when.plain == "-":
            when = Text(action.due_date.isoformat() if action.due_date else "—", style="dim")
        text = literal(action.text)
        if action.proposal:
            text.append(" (proposal)", style="dim")
        if self.view.by == "incident":
            third = literal(action.owner) if action.owner else Text("—", style="dim")
        else:
            # Two lines at most: the same incident stands beside each of its actions, and the
            # line under the table gives the selected one's at more length.
            third = literal(shorten(f"#{action.session_id} {action.incident}", 30))
        status = Text(action.status, style=tone(self, OK) if action.status == "done" else "")
        gaps = item.gaps
        smart = (
            Text(", ".join(gaps), style=tone(self, WARNING))
            if gaps
            else Text("✓", style=tone(self, OK))
        )
        ticket = literal(action.ticket) if action.ticket else Text("—", style="dim")
        return [when, text, third, status, smart, ticket]

    def _show_title(self, groups: list[Group]) -> None:
        view = self.view
        shown = sum(len(g.items) for g in groups)
        overdue = sum(g.overdue for g in groups)
        title = Text("Follow-ups", style="bold")
        kinds = "actions" if view.closed or view.status else "open actions"
        title.append(f"  {shown:,} {kinds} · {overdue:,} overdue · by {view.by}")
        narrowed = []
        if view.overdue:
            narrowed.append("overdue only")
        if view.status is not None:
            narrowed.append(f"status {view.status}")
        if narrowed:
            title.append(f" · {', '.join(narrowed)}", style=tone(self, LABEL))
        self.query_one("#follow-ups-title", Static).update(title)

    def _show_detail(self) -> None:
        """The selected action's incident, due date in its zone, owner, ticket and what the
        SMART check found; or what a heading stands for."""
        entry = self._selected()
        text = Text()
        if isinstance(entry, FollowUp):
            action = entry.action
            # What needs doing first (the SMART gaps), so that it is seen at 80x24 too.
            text.append("owner ")
            text.append_text(literal(action.owner) if action.owner else Text("none", "italic"))
            text.append(" · ticket ")
            text.append_text(literal(action.ticket) if action.ticket else Text("none", "italic"))
            if entry.gaps:
                text.append(f" · ⚠ {', '.join(entry.gaps)}", style=tone(self, WARNING))
            text.append(f"\n#{action.session_id} ", style=tone(self, LABEL))
            text.append_text(literal(shorten(action.incident, 48)))
            text.append(f" · {action.severity} · ", style="dim")
            if action.due_date is not None:
                text.append(
                    f"due {action.due_date:%a} {action.due_date.day} {action.due_date:%b %Y}"
                )
                when = due_phrase(entry)
                if when != "-":
                    text.append(f" ({when} in {action.zone})")
            else:
                text.append("no due date")
        elif isinstance(entry, Group):
            text.append("s status · o owner · d due change the action under the cursor", "dim")
        elif self.loaded:
            text.append(self._empty_note(), style="dim")
        self.query_one("#follow-ups-detail", Static).update(text)

    def _empty_note(self) -> str:
        if self.view.words or self.view.overdue or self.view.status:
            return "No action matches: Esc in the filter box clears it; ! and f change the rest."
        if not self.view.closed:
            return "No open action. c shows the done ones too."
        return "No actions yet: they are added in a meeting's Actions stage."

    # Selection ----------------------------------------------------------------------------

    def _selected(self) -> Group | FollowUp | None:
        table = self.query_one(FollowUpTable)
        row = table.cursor_row
        if not self.entries or not 0 <= row < min(self.added, len(self.entries)):
            return None
        return self.entries[row]

    def _selected_id(self) -> int | None:
        entry = self._selected()
        return entry.action.action_id if isinstance(entry, FollowUp) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The change keys need an action under the cursor (greyed on a heading), undo a
        change made here; the letters are typed while the filter box has focus."""
        typing = isinstance(self.focused, Input)
        if action in ("next_status", "set_owner", "set_due"):
            return None if typing or self._selected_id() is None else True
        if action == "undo":
            return bool(self.undo_stack) and not typing  # in the footer once there is one
        if action in ("group", "overdue", "closed", "status_filter", "focus_filter", "leave"):
            return None if typing else True
        return True

    # Filters ------------------------------------------------------------------------------

    def _change_view(self, **changes: object) -> None:
        self.view = dataclasses.replace(self.view, **changes)  # type: ignore[arg-type]
        self.pinned = frozenset()
        self.refresh_view()

    def action_group(self) -> None:
        """Group by owner, or by incident."""
        by = GROUPINGS[(GROUPINGS.index(self.view.by) + 1) % len(GROUPINGS)]
        self.query_one(FollowUpTable).set_columns(_COLUMNS[by])
        self._change_view(by=by)

    def action_overdue(self) -> None:
        """Only the overdue actions, or all again."""
        self._change_view(overdue=not self.view.overdue)

    def action_closed(self) -> None:
        """Show the done and dropped actions too, or hide them again."""
        self._change_view(closed=not self.view.closed)

    def action_status_filter(self) -> None:
        """Only one status (open, in progress, done, won't do, in turn), then all again."""
        statuses = (None, *ACTION_STATUSES)
        self._change_view(status=statuses[(statuses.index(self.view.status) + 1) % len(statuses)])

    def action_focus_filter(self) -> None:
        """Move to the filter box."""
        self.set_focus(self.query_one("#follow-ups-filter", Input))

    @on(Input.Changed, "#follow-ups-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.view = dataclasses.replace(self.view, words=event.value)
        self.pinned = frozenset()
        if self.loaded:
            self._show(self._selected_id())

    @on(Input.Submitted, "#follow-ups-filter")
    def _filter_submitted(self) -> None:
        self.set_focus(self.query_one(FollowUpTable))

    def action_back(self) -> None:
        """Esc in the filter box clears it; else back to the session list."""
        box = self.query_one("#follow-ups-filter", Input)
        if self.focused is box:
            box.value = ""
            self.set_focus(self.query_one(FollowUpTable))
            return
        self.dismiss(None)

    def action_leave(self) -> None:
        """Back to the session list."""
        self.dismiss(None)

    # Changes ------------------------------------------------------------------------------

    async def _change(self, item: FollowUp, change: FollowUpChange, said: str) -> bool:
        """Write one change (committed at once), remember how to take it back, and show the
        action where it now goes; a refusal is said in one line."""
        action_id = item.action.action_id
        before = await self._write(action_id, change)
        if before is None:
            return False
        self.undo_stack.append((action_id, before))
        self._changed(item, change)
        self.notify(f"{said} u takes it back.", timeout=3, markup=False)
        return True

    async def _write(self, action_id: int, change: FollowUpChange) -> FollowUpChange | None:
        try:
            return await self.gateway.write(lambda tx: tx.actions.follow_up(action_id, change))
        except NotFound as exc:
            show_refusal(self, exc)
            self.reload()  # it is gone: show the list as it is now
        except Refusal as exc:
            show_refusal(self, exc)
        return None

    def _changed(self, item: FollowUp, change: FollowUpChange) -> None:
        """Show the action with its new value, kept in sight (pinned) until the view
        changes, its place in the order recomputed."""
        action = with_change(item.action, change)
        assert self.now is not None
        [updated] = to_follow_up([action], self.now)
        self.board.replace(updated)
        self.pinned |= {action.action_id}
        row = self.query_one(FollowUpTable).cursor_row
        self._show(action.action_id, at=row)

    async def action_next_status(self) -> None:
        """Move the selected action to the next status (open, in progress, done, won't do)."""
        item = self._selected()
        if not isinstance(item, FollowUp):
            return
        status = item.action.status
        index = ACTION_STATUSES.index(status) if status in ACTION_STATUSES else -1
        new = ACTION_STATUSES[(index + 1) % len(ACTION_STATUSES)]
        await self._change(item, FollowUpChange("status", new), f"Now {new}.")

    def action_set_owner(self) -> None:
        """Give the selected action another owner (dialog)."""
        from debrief_tui.ui.dialogs.follow_up_fields import OwnerDialog

        item = self._selected()
        if not isinstance(item, FollowUp):
            return
        people = [_Person(name, team) for name, team in item.action.teams]

        async def save(owner: str) -> None:
            shown = one_line(" ".join(owner.split())) or "no one"
            await self._saved(item, FollowUpChange("owner", owner), f"Owner: {shown}.")

        self.app.push_screen(
            OwnerDialog(item.action.text, item.action.owner, owners_of(people), save)
        )

    def action_set_due(self) -> None:
        """Give the selected action another due date (dialog: fri, +3d, 2026-12-04)."""
        from debrief_tui.ui.dialogs.follow_up_fields import DueDialog

        item = self._selected()
        if not isinstance(item, FollowUp):
            return

        async def save(due: date | None) -> None:
            said = f"Due {due.isoformat()}." if due else "No due date."
            await self._saved(item, FollowUpChange("due_date", due), said)

        self.app.push_screen(DueDialog(item.action.text, item.action.due_date, item.today, save))

    async def _saved(self, item: FollowUp, change: FollowUpChange, said: str) -> None:
        """A dialog's save: refused for a busy database, the dialog stays open with what was
        typed (it raises); an action deleted meanwhile closes it, saying so."""
        action_id = item.action.action_id
        try:
            before = await self.gateway.write(lambda tx: tx.actions.follow_up(action_id, change))
        except NotFound as exc:
            show_refusal(self, exc)
            self.reload()
            return
        self.undo_stack.append((action_id, before))
        self._changed(item, change)
        self.notify(f"{said} u takes it back.", timeout=3, markup=False)

    async def action_undo(self) -> None:
        """Take back the newest change made here: the action gets its previous value."""
        if not self.undo_stack:
            return
        action_id, back = self.undo_stack.pop()
        if await self._write(action_id, back) is None:
            return
        item = self.board.find(action_id)
        if item is not None:
            self._changed(item, back)
        else:
            self.reload(select=action_id)
        name = {"status": "Status", "owner": "Owner", "due_date": "Due date"}[back.field]
        self.notify(f"{name} taken back.", timeout=3)


@dataclasses.dataclass(frozen=True)
class _Person:
    """An attendee as `owners_of` reads one."""

    name: str
    team: str
