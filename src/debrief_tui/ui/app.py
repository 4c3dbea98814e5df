"""The debrief Textual app: wires the store into the screens and builds the command palette.

A session opens straight onto its current stage, drawn from a peek at the file; the ORM and the
store load in a worker after that first frame, and the meeting starts writing once they are
there. Screens get what they need handed down (a MeetingContext); they ask the app for
navigation with messages.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.reactive import Reactive
from textual.screen import Screen
from textual.theme import Theme

from debrief_tui.core.clock import Clock, utc_now
from debrief_tui.core.meeting.agenda import Agenda, AgendaError, load_agenda
from debrief_tui.core.meeting.meeting import BEAT_SECONDS, Meeting
from debrief_tui.paths import styles_path
from debrief_tui.ui.first_frame import after_first_frame
from debrief_tui.ui.meeting_context import MeetingContext
from debrief_tui.ui.minute_book import MinuteBook
from debrief_tui.ui.screens.stage import StageScreen

if TYPE_CHECKING:
    from debrief_tui.core.persistence.db import SessionPeek
    from debrief_tui.core.persistence.models import Attendee, Minute, StageRun
    from debrief_tui.core.persistence.store import Store
    from debrief_tui.ui.screens.session_list import SessionListScreen

# Palette entries that Textual already offers itself.
_BUILTIN_ACTIONS = frozenset({"command_palette", "quit", "app.quit", "app.command_palette"})

DARK = Theme(
    name="debrief-dark",
    primary="#3d8bfd",
    secondary="#7aa2f7",
    accent="#ffb000",
    warning="#ffb000",
    error="#ff5f56",
    success="#3fb950",
    foreground="#f0f0f0",
    background="#0d1117",
    surface="#161b22",
    panel="#21262d",
    dark=True,
)
LIGHT = Theme(
    name="debrief-light",
    primary="#0550ae",
    secondary="#1f6feb",
    accent="#9a6700",
    warning="#9a6700",
    error="#cf222e",
    success="#1a7f37",
    foreground="#111111",
    background="#ffffff",
    surface="#f3f4f6",
    panel="#e5e7eb",
    dark=False,
)


class _SessionData(NamedTuple):
    """What a meeting needs from the database beyond the first frame's peek."""

    minutes: list[Minute]
    people: list[Attendee]
    runs: list[StageRun]


def _read_session(store: Store, session_id: int) -> _SessionData:
    return _SessionData(
        store.list_minutes(session_id),
        store.list_attendees(session_id),
        store.list_stage_runs(session_id),
    )


# Stages with their own screen, by the key they have in the agenda: (module, class), imported
# on first visit so start-up does not pay for screens it does not show. The agenda's last
# stage (or the one keyed "wrap-up") gets the wrap-up screen.
_STAGE_SCREENS = {
    "timeline": ("timeline", "TimelineScreen"),
    "whys": ("whys", "WhysScreen"),
    "factors": ("factors", "FactorsScreen"),
    "lessons": ("lessons", "LessonsScreen"),
    "actions": ("actions", "ActionsScreen"),
}
_WRAP_UP_SCREEN = ("wrap_up", "WrapUpScreen")


def _build_stage_screen(
    spec: tuple[str, str] | None, context: MeetingContext, index: int
) -> StageScreen:
    if spec is None:
        return StageScreen(context, index)
    module = importlib.import_module(f"debrief_tui.ui.screens.{spec[0]}")
    screen: StageScreen = getattr(module, spec[1])(context, index)
    return screen


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
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True, show=False),
        # Priority: focus moves in the app's own queue, before the next key is routed.
        # Otherwise keys typed right after Tab (a fast typist, a script) still go to the
        # box being left, because the app routes each key by the focus it sees then.
        Binding("tab", "focus_next", "Next field", show=False, priority=True),
        Binding("shift+tab", "focus_previous", "Previous field", show=False, priority=True),
    ]

    def __init__(
        self,
        store: Store | None = None,
        *,
        session_id: int | None = None,
        clock: Clock = utc_now,
        store_loader: Callable[[], Store] | None = None,
        peek: SessionPeek | None = None,
        agenda_path: str | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.clock = clock
        self._store_loader = store_loader
        self._initial_session = session_id
        self._peek = peek
        self._agenda_override = agenda_path
        self.context: MeetingContext | None = None
        self.register_theme(DARK)
        self.register_theme(LIGHT)

    # Start-up -----------------------------------------------------------------------------

    def on_mount(self) -> None:
        """Show the session (or the list), then load the store once the frame is up."""
        if self._initial_session is not None:
            self.open_meeting(self._initial_session, self._peek)
        else:
            self._show_session_list()
        if self.store is None and self._store_loader is not None:
            after_first_frame(self, self._load_store)
        self.set_interval(1, self._tick)
        self.set_interval(BEAT_SECONDS, self._beat)

    @work(thread=True, exclusive=True, group="store")
    def _load_store(self) -> None:
        """Import the ORM, open (and if needed upgrade) the database, read the session."""
        assert self._store_loader is not None
        store = self._store_loader()
        context = self.context
        data = _read_session(store, context.session_id) if context is not None else None
        self.call_from_thread(self._store_ready, store, data)

    def _store_ready(self, store: Store, data: _SessionData | None) -> None:
        self.store = store
        if self.context is not None and data is not None:
            self._hand_over_store(self.context, store, data)

    def _hand_over_store(self, context: MeetingContext, store: Store, data: _SessionData) -> None:
        context.store = store
        context.people = [(p.name, p.role) for p in data.people]
        context.meeting.attach(store, data.runs)
        context.book.load(store, data.minutes, [p.name for p in data.people])
        if isinstance(self.screen, StageScreen):
            self.screen.refresh_view()

    def on_session_list_screen_open_session(self, event: SessionListScreen.OpenSession) -> None:
        """A session was chosen in the list: open its meeting."""
        self.close_meeting()
        self.open_meeting(event.session_id)

    # Meetings -----------------------------------------------------------------------------

    def open_meeting(self, session_id: int, peek: SessionPeek | None = None) -> None:
        """Open a session on the stage it was on, with the time already spent."""
        if peek is None:
            assert self.store is not None, "a session needs the store or a peek"
            row = self.store.get_session(session_id)
            title, zone_name = row.title, row.timezone
            current, agenda_path, spent = row.current_stage, row.agenda_path, None
        else:
            title, zone_name = peek.title, peek.timezone
            current, agenda_path, spent = peek.current_stage, peek.agenda_path, peek.spent_by_stage
        agenda = self._agenda_for(agenda_path)
        meeting = Meeting(session_id, agenda, self.clock, current_stage=current, spent=spent)
        self.context = MeetingContext(session_id, title, zone_name, meeting, MinuteBook(session_id))
        self._uninstall_stage_screens()
        self.push_screen(self._stage_screen(meeting.index))
        if self.store is not None:
            self._hand_over_store(self.context, self.store, _read_session(self.store, session_id))

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
            stages = self.context.meeting.agenda.stages
            keys = [s.key for s in stages]
            wrap = keys.index("wrap-up") if "wrap-up" in keys else len(stages) - 1
            spec = _WRAP_UP_SCREEN if index == wrap else _STAGE_SCREENS.get(stages[index].key)
            self.install_screen(_build_stage_screen(spec, self.context, index), name)
        screen = self.get_screen(name)
        assert isinstance(screen, StageScreen)
        return screen

    def _uninstall_stage_screens(self) -> None:
        for name in [n for n in self._installed_screens if n.startswith("stage-")]:
            if self.get_screen(name) not in self.screen_stack:
                self.uninstall_screen(name)

    @staticmethod
    def _stage_screen_name(index: int) -> str:
        return f"stage-{index}"

    @on(StageScreen.GoToStage)
    def show_stage(self, event: StageScreen.GoToStage) -> None:
        """Move the meeting to another stage and show its screen."""
        context = self.context
        if context is None:
            return
        index = event.index if event.step is None else context.meeting.index + event.step
        if index != context.meeting.index and not context.meeting.go_to(index):
            return
        old = self.screen
        new = self._stage_screen(index)
        if isinstance(old, StageScreen) and isinstance(new, StageScreen):
            if new is not old:
                old.hand_draft_to(new)
                self.switch_screen(new)
            if event.item is not None:
                new.show_item(*event.item)

    def go_to_stage(self, index: int) -> None:
        """Palette entry: jump to a stage by its position."""
        self.post_message(StageScreen.GoToStage(index))

    def _once_store_ready(self, callback: Callable[[], object]) -> None:
        """Run `callback` now, or once the store has loaded (the first moments after start).

        The wait runs as its own task: a message handler that awaited it would hold up the
        app's queue, and with it the timer that starts loading the store.
        """
        context = self.context
        if self.store is not None or context is None:
            callback()
            return

        async def wait() -> None:
            await context.book.ready.wait()
            callback()

        self.run_worker(wait(), group="after-store")

    @on(StageScreen.OpenExport)
    def _open_export(self) -> None:
        self._once_store_ready(self._show_export)

    def _show_export(self) -> None:
        from pathlib import Path

        from debrief_tui.ui.dialogs.export_dialog import ExportDialog

        if self.store is None or self.context is None:
            return
        self.push_screen(
            ExportDialog(self.store, self.context.session_id, Path.cwd(), self._agenda_override)
        )

    @on(StageScreen.OpenSetup)
    def _open_setup(self, event: StageScreen.OpenSetup) -> None:
        self._once_store_ready(partial(self._show_setup, event.focus))

    def _show_setup(self, focus: str | None = None) -> None:
        from debrief_tui.ui.screens.session_setup import SessionSetupScreen

        if self.store is None or self.context is None:
            return
        self.push_screen(
            SessionSetupScreen(self.store, self.context.session_id, focus),
            self._back_from_setup,
        )

    def _back_from_setup(self, _result: object = None) -> None:
        context, store = self.context, self.store
        if context is None or store is None:
            return
        row = store.get_session(context.session_id)
        people = store.list_attendees(context.session_id)
        context.title, context.zone_name = row.title, row.timezone
        context.people = [(p.name, p.role) for p in people]
        context.book.set_attendees([p.name for p in people])
        if isinstance(self.screen, StageScreen):
            self.screen.refresh_view()

    def _tick(self) -> None:
        if self._terminal_gone():
            # The window was closed under us. Its terminal now reads as endless end-of-file,
            # and Textual's input thread would spin on it for ever: record the stage's time
            # and leave.
            self.close_meeting()
            self.exit()
            return
        # The clock's timer can fire while the app is closing, with no screen left.
        if self.screen_stack and isinstance(self.screen, StageScreen):
            self.screen.tick()

    def _terminal_gone(self) -> bool:
        """True when the terminal we draw on has hung up (its size can no longer be read)."""
        out = sys.__stdout__
        if self.is_headless or out is None:
            return False
        try:
            os.get_terminal_size(out.fileno())
        except (OSError, ValueError):
            return True
        return False

    def _beat(self) -> None:
        if self.context is not None:
            self.context.meeting.beat()

    def close_meeting(self) -> None:
        """Record the time of the stage under way and forget the meeting."""
        if self.context is not None:
            self.context.meeting.close()
            self.context = None

    async def action_quit(self) -> None:
        """Record the running stage's time, then quit."""
        self.close_meeting()
        self.exit()

    def action_toggle_dark(self) -> None:
        """Switch between the light and the dark theme."""
        self.theme = LIGHT.name if self.theme == DARK.name else DARK.name

    def action_sessions(self) -> None:
        """Leave the meeting for the list of sessions."""
        self._once_store_ready(self._leave_for_sessions)

    def _leave_for_sessions(self) -> None:
        if self.store is None:
            return
        self.close_meeting()
        self._show_session_list(replace=True)

    def _show_session_list(self, replace: bool = False) -> None:
        from debrief_tui.ui.screens.session_list import SessionListScreen

        assert self.store is not None, "the session list needs the store"
        screen = SessionListScreen(self.store)
        if replace:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    # Palette ------------------------------------------------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Every key binding active on the screen is also a command in the palette, and in a
        meeting each stage is one entry, named by its title."""
        yield from super().get_system_commands(screen)
        seen: set[str] = set()
        for key, active in screen.active_bindings.items():
            binding = active.binding
            if not binding.description or binding.action in _BUILTIN_ACTIONS:
                continue
            if binding.description in seen or not active.enabled:
                continue
            seen.add(binding.description)
            help_text = binding.tooltip or f"Key: {self.get_key_display(binding) or key}"
            yield SystemCommand(
                binding.description,
                help_text,
                partial(self.run_action, binding.action, active.node),
            )
        if isinstance(screen, StageScreen) and self.context is not None:
            stages = self.context.meeting.agenda.stages
            for index, stage in enumerate(stages):
                yield SystemCommand(
                    stage.title,
                    f"Go to stage {index + 1}/{len(stages)} ({stage.timebox_minutes} min)",
                    partial(self.go_to_stage, index),
                )
            yield SystemCommand(
                "Sessions", "Leave this meeting for the session list", self.action_sessions
            )
