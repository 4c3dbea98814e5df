"""The debrief Textual app: wires the gateway into the screens and builds the command palette.

A session opens straight onto its current stage, drawn from a peek at the file; the gateway's
database thread opens the database right after that first frame, and everything asked of it
before then waits in its queue. Screens get what they need handed down (a MeetingContext); they
ask the app for navigation with messages.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import Reactive
from textual.screen import Screen

from debrief_tui.core.clock import Clock, utc_now
from debrief_tui.core.meeting import (
    BEAT_SECONDS,
    FACILITATOR,
    NOTE_TAKER,
    Agenda,
    AgendaError,
    Meeting,
    load_agenda,
    spent_by_stage,
)
from debrief_tui.core.persistence import SEAT_BEAT_SECONDS, SessionPeek
from debrief_tui.core.text import printable
from debrief_tui.paths import styles_path
from debrief_tui.ui.first_frame import after_first_frame
from debrief_tui.ui.live import Changed, LiveSeat
from debrief_tui.ui.meeting_context import MeetingContext
from debrief_tui.ui.minute_book import MinuteBook
from debrief_tui.ui.palette import key_commands, shown_builtin, stage_commands
from debrief_tui.ui.refusal import attempt
from debrief_tui.ui.screens.stage import StageScreen
from debrief_tui.ui.stages import stage_screen
from debrief_tui.ui.themes import DARK, LIGHT

if TYPE_CHECKING:
    from debrief_tui.core.persistence import (
        Attendee,
        Change,
        Gateway,
        MeetingSnapshot,
        PostmortemSession,
        Unit,
    )
    from debrief_tui.ui.screens.session_list import SessionListScreen

STAGE_DATA_WAIT = 0.25
"""How long a move to another stage waits for that stage's data before showing it without:
one frame drawn with the data beats an empty one first (and the database thread reads faster
while the screen is not being laid out at the same moment)."""


class DebriefApp(App[None]):
    """The debrief terminal app."""

    TITLE = "debrief"
    # Each screen brings its own stylesheet (Screen.CSS_PATH), so start-up parses only what
    # the first frame needs.
    CSS_PATH: ClassVar = [styles_path("base.tcss"), styles_path("meeting.tcss")]
    # Ours from the start rather than set in __init__: changing the theme re-parses every
    # stylesheet, which the first frame would wait for.
    theme: Reactive[str] = Reactive(DARK.name)

    BINDINGS: ClassVar[list[BindingType]] = [
        # Not in the footer, which the meeting keys need; the palette lists Quit.
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            id="quit",
            priority=True,
            show=False,
            tooltip="Record the stage's time and leave debrief",
        ),
        # f1 works while typing; ? only where it is not typed (a box takes its own ?).
        Binding(
            "f1",
            "help",
            "Keys",
            id="help",
            priority=True,
            show=False,  # the footer adds it when there is room
            tooltip="Every key of this stage and of the meeting",
        ),
        Binding(
            "question_mark",
            "help",
            "Keys",
            id="help-question",
            show=False,
            tooltip="Every key of this stage and of the meeting",
        ),
        # Priority: focus moves in the app's own queue, before the next key is routed.
        # Otherwise keys typed right after Tab (a fast typist, a script) still go to the
        # box being left, because the app routes each key by the focus it sees then.
        Binding("tab", "focus_next", "Next field", show=False, priority=True),
        Binding("shift+tab", "focus_previous", "Previous field", show=False, priority=True),
    ]

    def action_focus_next(self) -> None:
        """Tab: take the completion a box offers (an owner's name), else the next field."""
        from debrief_tui.ui.widgets.safe_input import SafeInput

        focused = self.focused
        if isinstance(focused, SafeInput) and focused.accept_suggestion():
            return
        super().action_focus_next()

    def __init__(
        self,
        gateway: Gateway,
        *,
        session_id: int | None = None,
        clock: Clock = utc_now,
        peek: SessionPeek | None = None,
        agenda_path: str | None = None,
        role: str = FACILITATOR,
    ) -> None:
        super().__init__()
        self.gateway = gateway
        self.clock = clock
        self._initial_session = session_id
        self._peek = peek
        self._agenda_override = agenda_path
        self.context: MeetingContext | None = None
        self._stage_names: set[str] = set()
        gateway.report_to(lambda error: self.post_message(self.RecordRefused(error)))
        self.live = LiveSeat(self, gateway.seat or "", role)
        gateway.watch(self._changed_elsewhere)
        self.register_theme(DARK)
        self.register_theme(LIGHT)
        # App.__init__ made the stylesheet before our themes were registered, so it holds
        # Textual's own dark colours; give it ours before any CSS is read.
        self.stylesheet.set_variables(self.get_css_variables())

    class RecordRefused(Message):
        """A write nobody waited for (the meeting's stage and time) was refused."""

        def __init__(self, error: BaseException) -> None:
            super().__init__()
            self.error = error

    def on_debrief_app_record_refused(self, event: RecordRefused) -> None:
        """Say that the meeting's time could not be recorded (the meeting goes on)."""
        self.notify(
            f"The meeting's time could not be recorded: {printable(str(event.error))}",
            severity="error",
            markup=False,
        )

    # Start-up -----------------------------------------------------------------------------

    def on_mount(self) -> None:
        """Show the session (or the list), then open the database once the frame is up."""
        if self._initial_session is None:
            self._show_session_list()
        elif self._peek is not None:
            self.open_meeting(self._peek)
        else:
            self.run_worker(self._open_session(self._initial_session), group="open")
        # The database opens on its own thread once the first frame is out (the ORM's import
        # would hold that frame up); a job awaited before then waits half a second at most.
        self.gateway.start(wait_for_go=0.5)
        after_first_frame(self, self.gateway.go)
        self.set_interval(1, self._tick)
        self.set_interval(BEAT_SECONDS, self._beat)
        self.set_interval(SEAT_BEAT_SECONDS, self.live.beat)

    async def _open_session(self, session_id: int) -> None:
        """Read a session's meeting and open it on the stage it was on."""
        snapshot = await attempt(
            self, self.gateway.read(lambda tx: tx.snapshots.meeting(session_id))
        )
        if snapshot is None:
            return
        session = snapshot.session
        peek = SessionPeek(
            session_id,
            session.title,
            session.timezone,
            session.current_stage,
            session.agenda_path,
            spent_by_stage(snapshot.runs),
            session.status,
        )
        self.close_meeting()
        self.open_meeting(peek, snapshot)

    async def _read_meeting(self, context: MeetingContext) -> None:
        """The minutes and people of a meeting opened from a peek (queued while the database
        opens)."""
        session_id = context.session_id
        snapshot = await attempt(
            self, self.gateway.read(lambda tx: tx.snapshots.meeting(session_id))
        )
        if snapshot is not None:
            self._take_snapshot(context, snapshot)

    def _take_snapshot(self, context: MeetingContext, snapshot: MeetingSnapshot) -> None:
        people = snapshot.attendees
        context.people = [(p.name, p.role) for p in people]
        context.book.load(snapshot.minutes, [p.name for p in people])
        if isinstance(self.screen, StageScreen):
            self.screen.refresh_view()

    def _changed_elsewhere(self, changes: list[Change]) -> None:
        # On the watcher's thread: only hand the news over.
        self.post_message(Changed(changes))

    def on_changed(self, event: Changed) -> None:
        """Other seats committed changes: show them here."""
        self.live.heard(event.changes)

    def on_session_list_screen_open_session(self, event: SessionListScreen.OpenSession) -> None:
        """A session was chosen in the list: open its meeting."""
        self.run_worker(self._open_session(event.session_id), group="open")

    # Meetings -----------------------------------------------------------------------------

    def open_meeting(self, peek: SessionPeek, snapshot: MeetingSnapshot | None = None) -> None:
        """Open a session on the stage it was on, with the time already spent."""
        agenda = self._agenda_for(peek.agenda_path)
        meeting = Meeting(
            peek.session_id,
            agenda,
            self.clock,
            self.live.stage_log(),
            current_stage=peek.current_stage,
            spent=peek.spent_by_stage,
            # Reviewed or published: the meeting was held, and is read again, not resumed.
            held=peek.status in ("reviewed", "published"),
        )
        titles = {stage.key: stage.title for stage in agenda.stages}
        book = MinuteBook(peek.session_id, self.gateway, self.clock, titles)
        context = MeetingContext(
            peek.session_id, peek.title, peek.timezone, meeting, book, self.gateway, self.clock
        )
        context.live = self.live
        self.context = context
        self.live.sit(peek.session_id)
        self._uninstall_stage_screens()
        screen = self._stage_screen(meeting.index)
        screen.prefetch()
        self.push_screen(screen)
        if snapshot is None:
            self.run_worker(self._read_meeting(context), group="open")
        else:
            self._take_snapshot(context, snapshot)

    def _agenda_for(self, session_agenda: str | None) -> Agenda:
        path = session_agenda or self._agenda_override
        try:
            return load_agenda(path)
        except AgendaError as exc:
            self.notify(f"{exc}. Using the default agenda.", severity="error", markup=False)
            return load_agenda()

    def _stage_screen(self, index: int) -> StageScreen:
        """The screen of stage `index`, built and installed the first time it is shown, so
        start-up builds one screen, and each keeps its state afterwards."""
        assert self.context is not None
        name = self._stage_screen_name(index)
        if not self.is_screen_installed(name):
            self.install_screen(stage_screen(self.context, index), name)
            self._stage_names.add(name)
        screen = self.get_screen(name)
        assert isinstance(screen, StageScreen)
        return screen

    def _uninstall_stage_screens(self) -> None:
        """Forget the stage screens of the meeting before (those no longer shown)."""
        for name in list(self._stage_names):
            if self.get_screen(name) not in self.screen_stack:
                self.uninstall_screen(name)
                self._stage_names.discard(name)

    @staticmethod
    def _stage_screen_name(index: int) -> str:
        return f"stage-{index}"

    @on(StageScreen.GoToStage)
    async def show_stage(self, event: StageScreen.GoToStage) -> None:
        """Move the meeting to another stage and show its screen, with its data when that
        comes within a moment (else the screen shows and its data follows)."""
        context = self.context
        if context is None:
            return
        meeting = context.meeting
        index = event.index if event.step is None else meeting.index + event.step
        if not 0 <= index < len(meeting.agenda.stages):
            return
        old = self.screen
        new = self._stage_screen(index)
        if new is not old:
            # The new stage's snapshot is read first, ahead of the meeting's own records of
            # the move, while the screen is being laid out.
            new.prefetch()
        meeting.go_to(index)  # records the move (nothing when the meeting is there already)
        if isinstance(old, StageScreen) and isinstance(new, StageScreen):
            if new is not old:
                await new.prefetched(STAGE_DATA_WAIT)
                old.hand_draft_to(new)
                self.switch_screen(new)
            if event.item is not None:
                new.show_item(*event.item)

    def go_to_stage(self, index: int) -> None:
        """Palette entry: jump to a stage by its position."""
        self.post_message(StageScreen.GoToStage(index))

    @on(StageScreen.OpenExport)
    def _open_export(self) -> None:
        from pathlib import Path

        from debrief_tui.ui.dialogs.export_dialog import ExportDialog

        if self.context is not None:
            self.push_screen(
                ExportDialog(
                    self.gateway, self.context.session_id, Path.cwd(), self._agenda_override
                )
            )

    @on(StageScreen.OpenSetup)
    async def _open_setup(self, event: StageScreen.OpenSetup) -> None:
        from debrief_tui.ui.screens.session_setup import SessionSetupScreen

        context = self.context
        if context is None:
            return
        session_id = context.session_id
        session = await attempt(self, self.gateway.read(lambda tx: tx.sessions.get(session_id)))
        if session is None:
            return
        self.push_screen(
            SessionSetupScreen(self.gateway, session, event.focus, self.clock, from_meeting=True),
            self._back_from_setup,
        )

    async def _back_from_setup(self, _result: object = None) -> None:
        await self.refresh_facts()
        if isinstance(self.screen, StageScreen):
            self.screen.load()

    async def refresh_facts(self) -> None:
        """Read the session's title, zone and people again (changed in setup, here or in
        another seat) and redraw what shows them."""
        context = self.context
        if context is None:
            return
        session_id = context.session_id

        def facts(tx: Unit) -> tuple[PostmortemSession, list[Attendee]]:
            return tx.sessions.get(session_id), tx.attendees.of(session_id)

        read = await attempt(self, self.gateway.read(facts))
        if read is None:
            return
        row, people = read
        context.title, context.zone_name = row.title, row.timezone
        context.people = [(p.name, p.role) for p in people]
        context.book.set_attendees([p.name for p in people])
        if isinstance(self.screen, StageScreen):
            self.screen.refresh_view()

    def redraw_room(self) -> None:
        """Redraw the room panel of the stage on show (who is here, who has spoken)."""
        if self.screen_stack and isinstance(self.screen, StageScreen):
            self.screen.update_room()

    def _tick(self) -> None:
        if self._terminal_gone():
            # The window was closed under us. Its terminal now reads as endless end-of-file,
            # and Textual's input thread would spin on it for ever: record the stage's time
            # and leave.
            self.close_meeting()
            self.exit()
            return
        # The clock's timer can fire while the app is closing, with no screen left. The stage
        # under a dialog or the palette ticks too: the room still sees its header's timer.
        stage = next((s for s in reversed(self.screen_stack) if isinstance(s, StageScreen)), None)
        if stage is not None:
            stage.tick()
            if stage is self.screen and self.live.following:
                self.run_worker(self.live.follow_now(), group="follow")

    def _terminal_gone(self) -> bool:
        """True when the terminal we draw on has hung up (its size can no longer be read)."""
        out = sys.__stdout__
        if self.is_headless or self.is_web or out is None:  # a browser's seat has no tty
            return False
        try:
            os.get_terminal_size(out.fileno())
        except (OSError, ValueError):
            return True
        return False

    def _beat(self) -> None:
        if self.context is not None:
            self.context.meeting.beat()

    async def on_unmount(self) -> None:
        """Leaving: what is queued for the database is written before the app is gone."""
        self.live.leave()
        await asyncio.to_thread(self.gateway.close)

    def close_meeting(self) -> None:
        """Record the time of the stage under way and forget the meeting."""
        if self.context is not None:
            self.context.meeting.close()
            self.context = None

    async def action_quit(self) -> None:
        """Record the running stage's time, then quit."""
        self.close_meeting()
        self.exit()

    def action_help(self) -> None:
        """Show every key of the screen on show and of the meeting (f1, ?); f1 again hides it."""
        from debrief_tui.ui.screens.help import HelpScreen

        below = self.screen
        if isinstance(below, HelpScreen):  # f1 again closes it
            below.dismiss(None)
            return
        title = below.stage.title if isinstance(below, StageScreen) else (below.title or "debrief")
        self.push_screen(HelpScreen(below, str(title)))

    def action_toggle_dark(self) -> None:
        """Switch between the light and the dark theme; the stage redraws in the new one."""
        self.theme = LIGHT.name if self.theme == DARK.name else DARK.name
        if isinstance(self.screen, StageScreen):
            self.call_after_refresh(self.screen.restyle)

    def action_sessions(self) -> None:
        """Leave the meeting for the list of sessions."""
        self.close_meeting()
        self._show_session_list(replace=True)

    def _show_session_list(self, replace: bool = False) -> None:
        from debrief_tui.ui.screens.session_list import SessionListScreen

        screen = SessionListScreen(self.gateway, self.clock)
        self.live.sit(None)
        if replace:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    # Palette ------------------------------------------------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Every key binding active on the screen is also a command in the palette, and in a
        meeting each stage is one entry, named by its title."""
        yield from filter(shown_builtin, super().get_system_commands(screen))
        yield from key_commands(self, screen)
        if isinstance(screen, StageScreen) and self.context is not None:
            yield from stage_commands(self.context.meeting.agenda, self.go_to_stage)
            yield SystemCommand(
                "Sessions", "Leave this meeting for the session list", self.action_sessions
            )
            other = FACILITATOR if self.live.role == NOTE_TAKER else NOTE_TAKER
            yield SystemCommand(
                f"Sit as {other}",
                "Change this seat's role (a browser's seat opens as facilitator)",
                lambda: self.live.sit_as(other),
            )
