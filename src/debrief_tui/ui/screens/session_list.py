"""The first screen: every session, with a filter, and keys to open, create and delete."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from debrief_tui.core.errors import InputError, NotFound
from debrief_tui.core.reference import ReviewTarget, review_targets
from debrief_tui.core.sessions import TITLE, parse_search, session_timeliness
from debrief_tui.core.text import counted
from debrief_tui.core.timeline import format_input
from debrief_tui.paths import styles_path
from debrief_tui.ui.compat import freeze_long_lived
from debrief_tui.ui.dialogs.confirm import ConfirmDialog
from debrief_tui.ui.dialogs.new_session import NewSessionDialog
from debrief_tui.ui.literal import literal
from debrief_tui.ui.refusal import attempt, removed
from debrief_tui.ui.tones import LABEL, WARNING, tone
from debrief_tui.ui.widgets.fitted_table import FittedTable
from debrief_tui.ui.widgets.paging import go_to_last_row
from debrief_tui.ui.widgets.safe_input import SafeInput

if TYPE_CHECKING:
    from debrief_tui.core.clock import Clock
    from debrief_tui.core.persistence import Gateway, ListedSession
    from debrief_tui.core.sessions import SearchHit
    from debrief_tui.ui.screens.follow_ups import FollowUpsScreen


TYPING_PAUSE = 0.12
"""Seconds the filter waits after a key for the next before it searches: a search is a job on
the database thread that a later key cannot call back, so a word typed fast would queue one per
letter (each up to a few hundred milliseconds at 10,000 sessions) and its results would trail
the typing; this keeps it to one per pause, below the delay a person notices."""

PREPARE_AFTER = 0.5
"""Seconds after the list is first drawn that the Follow-ups screen reads its actions ahead."""

PAGE = 80
"""Rows laid out at a time as the cursor nears the last one laid out (two screenfuls first)."""

LISTED_AT_MOST = 500
"""The most sessions a search lists, newest first: reading every session a common word is in
(10,000 of them) took most of a second, and a list that long is narrowed by typing more."""


def _columns(id_width: int) -> tuple[tuple[str, str, int | None], ...]:
    """The list's columns, the ids `id_width` digits wide."""
    return (("ID", "id", max(3, id_width) + 1), *_FIXED_COLUMNS, ("Title", "title", None))


_FIXED_COLUMNS = (
    ("Sev", "severity", 5),
    ("Started", "started", 10),
    ("Status", "status", 10),
    ("Review", "review", 7),
)
"""The review column flags a meeting held late or overdue against data/review_targets.toml
(`due 2d` quietly for one not yet held); seven cells, so the title keeps its room at 80."""


FOLLOW_UPS = "follow-ups"
"""The name the Follow-ups screen is installed under."""


class SessionTable(FittedTable):
    """The session table: Enter opens the session under the cursor."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "screen.open_session", "Open", id="open"),
        Binding("end", "screen.last_row", "Oldest", id="oldest", show=False),
    ]


class SessionListScreen(Screen[None]):
    """All postmortem sessions in the database."""

    CSS_PATH = styles_path("session_list.tcss")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_session", "New", id="new"),
        Binding("d", "delete_session", "Delete", id="delete"),
        Binding("slash", "focus_filter", "Filter", id="filter"),
        Binding("a", "follow_ups", "Follow-ups", id="follow-ups"),
        Binding("t", "trends", "Trends", id="trends"),
        Binding("escape", "clear_filter", "Clear filter", id="clear-filter", show=False),
        Binding("q", "app.quit", "Quit", id="quit-list"),
    ]

    class OpenSession(Message):
        """Ask the app to open a session's meeting."""

        def __init__(self, session_id: int) -> None:
            super().__init__()
            self.session_id = session_id

    def __init__(self, gateway: Gateway, clock: Clock) -> None:
        super().__init__()
        self.gateway = gateway
        self.clock = clock
        self.sessions: list[ListedSession] = []
        self._reviews: dict[tuple[object, ...], Text] = {}
        """Review marks already worked out, by what they depend on: typing in the filter
        redraws the rows, and 10,000 sessions must not be judged again on every key."""
        self.hits: dict[int, SearchHit] = {}
        """Where each session listed was found, for those found by more than their title."""
        self._note = ""
        self._added = 0
        """How many of `sessions` the table holds (they are laid out a page at a time)."""
        self._prepared = False
        self._id_width = 3

    def compose(self) -> ComposeResult:
        """The heading, the filter box, the table and the footer."""
        yield Static("debrief · postmortem sessions", id="list-title")
        yield SafeInput(
            hint="Search every text: words, sev:SEV1 status: service: since: until:  ( / )",
            id="filter",
        )
        yield SessionTable(_columns(self._id_width), id="sessions")
        yield Static(Text("Reading the sessions…", style="dim"), id="list-empty")
        yield Footer()

    def on_mount(self) -> None:
        """Focus the table; rows arrive from `reload` when the screen resumes."""
        self.set_focus(self.query_one("#sessions", DataTable))

    @on(FittedTable.Refit, "#sessions")
    def _refit(self) -> None:
        rows = [(row, self.hits.get(row.id or 0)) for row in self.sessions]
        filtered = self.query_one("#filter", Input).value
        self._show(rows, filtered, self.selected_id, note=self._note)

    def on_screen_resume(self) -> None:
        """Reload whenever the screen comes back, since sessions may have changed."""
        self.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Open and delete need a selected session; the filter keys need the table focused."""
        if action in ("open_session", "delete_session"):
            return bool(self.sessions)
        if action in ("new_session", "focus_filter", "trends", "follow_ups", "app.quit"):
            # These are letters: while the filter box has focus they are typed, not run.
            return None if isinstance(self.focused, Input) else True
        return True

    @work(group="session-list", exclusive=True)
    async def reload(self, select_id: int | None = None, *, typing: bool = False) -> None:
        """Search every session's text for the filter's words (on the database thread, through
        the full-text index), then show the sessions found; a malformed filter word is said
        instead. While `typing`, wait for a pause first (a later key cancels this worker)."""
        if typing:
            await asyncio.sleep(TYPING_PAUSE)
        typed = self.query_one("#filter", Input).value
        try:
            search = parse_search(typed)
        except InputError as exc:
            self._show([], typed, None, note=str(exc))
            return
        limit = None if search.empty else LISTED_AT_MOST
        found = await attempt(self, self.gateway.read(lambda tx: tx.search.sessions(search, limit)))
        if found is not None:
            more = limit is not None and len(found) == limit
            note = f"The newest {counted(limit or 0, 'session')} found; type more to narrow."
            note = note if more else ""
            # A new filter starts at the top (its newest match), not where the cursor was.
            keep = select_id if select_id is not None or typing else self.selected_id
            self._show([(m.session, m.hit) for m in found], typed, keep, note=note)

    def _show(
        self,
        rows: list[tuple[ListedSession, SearchHit | None]],
        query: str,
        select_id: int | None,
        *,
        note: str = "",
    ) -> None:
        table = self.query_one(SessionTable)
        keep = select_id
        widest = max((len(str(row.id)) for row, _ in rows), default=2)
        if widest != self._id_width:
            # As wide as the longest id: #10000 must not wrap into "1000" and "0".
            self._id_width = widest
            table.set_columns(_columns(widest))
        table.fit_columns()
        self.sessions = [row for row, _ in rows]
        self.hits = {row.id or 0: hit for row, hit in rows if hit and hit.kind != TITLE}
        self._added = 0
        at = next((i for i, r in enumerate(self.sessions) if r.id == keep), None)
        self._add_rows((at or 0) + 2 * self._screenful())
        if at is not None:
            table.move_cursor(row=at, animate=False)
        if not self._prepared:
            self._prepared = True
            self.set_timer(PREPARE_AFTER, self._prepare_follow_ups)
            # The ORM is loaded by the first list: move it, Textual and the list out of the
            # collector's way, or each full collection (one in every few reads of a team's
            # 10,000 sessions) walks them all and holds the list up by 100 ms.
            freeze_long_lived()
        empty = self.query_one("#list-empty", Static)
        self._note = note
        if note:  # a malformed filter word, or the list cut short
            empty.update(literal(note))
        elif rows:
            empty.update("")
        elif query:
            empty.update(Text(f"No session matches {query!r}. Esc clears the filter."))
        else:
            empty.update("No sessions yet. Press n to create one, or run `debrief demo`.")
        self.refresh_bindings()

    def _screenful(self) -> int:
        return max(self.query_one(SessionTable).size.height, 10)

    def _add_rows(self, upto: int) -> None:
        """Lay out the rows up to `upto`: a row takes a millisecond or more (its title
        wrapped), so a team's 10,000 sessions are laid out a page at a time as the cursor
        nears the last one laid out, not all before the list shows."""
        table = self.query_one(SessionTable)
        now, targets = self.clock(), review_targets()
        for row in self.sessions[self._added : upto]:
            started = format_input(row.started_at, row.timezone)[:10] if row.started_at else "—"
            table.add_fitted(
                (
                    Text(str(row.id)),
                    Text(row.severity),
                    Text(started),
                    Text(row.status),
                    self._review_mark(row, now, targets),
                    self._title(row),
                ),
                key=str(row.id),
            )
        self._added = max(self._added, min(upto, len(self.sessions)))

    def action_last_row(self) -> None:
        """End: the oldest session, once the rows not yet laid out are."""
        go_to_last_row(self, self.query_one(SessionTable), lambda: self.sessions, self._add_rows)

    @on(DataTable.RowHighlighted, "#sessions")
    def _moved(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row + self._screenful() >= self._added:
            self._add_rows(max(self._added + PAGE, event.cursor_row + 2 * self._screenful()))

    def _review_mark(
        self, row: ListedSession, now: datetime, targets: dict[str, ReviewTarget]
    ) -> Text:
        """`late` or `overdue` in the warning colour, `due 2d` quietly, or nothing."""
        start = row.first_run
        # A day's end comes at a quarter hour in every zone: a mark is at most that stale.
        quarter = now.replace(minute=now.minute // 15 * 15, second=0, microsecond=0)
        key = (row.severity, row.resolved_at, row.review_at, row.timezone, start, quarter)
        mark = self._reviews.get(key)
        if mark is None:
            timing = session_timeliness(row, start, now, targets)
            style = tone(self, WARNING) if timing.flagged else "dim"
            mark = self._reviews[key] = Text(timing.flag, style=style)
        return mark.copy()

    def _title(self, row: ListedSession) -> Text:
        """The title cell: the title, and under it where the search found the session when
        that was not its title (`minute: …the words around it…`)."""
        title = literal(row.title)
        hit = self.hits.get(row.id or 0)
        if hit is not None:
            title.append(f"\n{hit.where}: ", style=tone(self, LABEL))
            title.append_text(literal(hit.snippet))
        return title

    @property
    def selected_id(self) -> int | None:
        """The id of the session under the cursor, if any."""
        table = self.query_one("#sessions", DataTable)
        if not self.sessions or table.cursor_row < 0 or table.cursor_row >= len(self.sessions):
            return None
        key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
        return int(key) if key is not None else None

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self.reload(typing=True)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.set_focus(self.query_one("#sessions", DataTable))

    @on(DataTable.RowSelected, "#sessions")
    async def _row_clicked(self) -> None:
        # Keyboard Enter is the table's own binding; this is a mouse click on a row.
        await self.action_open_session()

    def action_focus_filter(self) -> None:
        """Move to the filter box."""
        self.set_focus(self.query_one("#filter", Input))

    def action_clear_filter(self) -> None:
        """Empty the filter and go back to the table."""
        box = self.query_one("#filter", Input)
        box.value = ""
        self.set_focus(self.query_one("#sessions", DataTable))

    async def action_open_session(self) -> None:
        """Open the selected session's meeting, on the stage it was on."""
        session_id = self.selected_id
        if session_id is None:
            return
        try:
            await self.gateway.read(lambda tx: tx.sessions.get(session_id))
        except NotFound:
            self.notify("That session no longer exists.", severity="warning")
            self.reload()
            return
        self.post_message(self.OpenSession(session_id))

    def action_follow_ups(self) -> None:
        """Every action of every session, to follow up (Esc comes back here). The screen is
        kept: shown again, it reads the actions again only if they changed meanwhile."""
        self.app.push_screen(self._follow_ups())

    def _follow_ups(self) -> FollowUpsScreen:
        from debrief_tui.ui.screens.follow_ups import FollowUpsScreen

        if not self.app.is_screen_installed(FOLLOW_UPS):
            self.app.install_screen(FollowUpsScreen(self.gateway, self.clock), FOLLOW_UPS)
        screen = self.app.get_screen(FOLLOW_UPS)
        assert isinstance(screen, FollowUpsScreen)
        return screen

    def _prepare_follow_ups(self) -> None:
        # Once the list is drawn and the first keys have had their turn: the read takes the
        # database thread for most of a second at a team's scale.
        self.run_worker(self._follow_ups().prepare(), group="follow-ups-ahead", exclusive=True)

    def action_new_session(self) -> None:
        """Ask for the new session's title, severity and zone, then open it."""
        from debrief_tui.ui.screens.session_setup import SessionSetupScreen

        async def created(session_id: int | None) -> None:
            if session_id is None:
                return
            session = await attempt(self, self.gateway.read(lambda tx: tx.sessions.get(session_id)))
            if session is not None:
                self.app.push_screen(SessionSetupScreen(self.gateway, session, None, self.clock))

        self.app.push_screen(NewSessionDialog(self.gateway), created)

    def action_trends(self) -> None:
        """Open the Trends screen: charts across every incident."""
        from debrief_tui.ui.screens.trends import TrendsScreen

        self.app.push_screen(TrendsScreen(self.gateway, self.clock))

    def action_delete_session(self) -> None:
        """Delete the selected session after confirmation."""
        session_id = self.selected_id
        if session_id is None:
            return
        row = next(r for r in self.sessions if r.id == session_id)
        question = Text.assemble(
            "Delete session ",
            (f"#{session_id}", "bold"),
            " ",
            literal(row.title, "italic"),
            "?\nIts facts, attendees, timeline and minutes are removed for good.",
        )

        async def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            if not await removed(
                self, self.gateway.write(lambda tx: tx.sessions.delete(session_id))
            ):
                return
            self.notify(f"Deleted session #{session_id}.")
            self.reload()

        self.app.push_screen(ConfirmDialog(question, confirm_label="Delete"), confirmed)
