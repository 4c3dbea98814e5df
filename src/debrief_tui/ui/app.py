"""The debrief Textual app: wires the store into the screens and builds the command palette."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from debrief_tui.core.store import Clock, Store, utc_now
from debrief_tui.paths import styles_path
from debrief_tui.ui.screens.session_list import SessionListScreen
from debrief_tui.ui.screens.session_setup import SessionSetupScreen

# Palette entries that Textual already offers itself.
_BUILTIN_ACTIONS = frozenset({"command_palette", "quit", "app.quit", "app.command_palette"})


class DebriefApp(App[None]):
    """The debrief terminal app."""

    TITLE = "debrief"
    CSS_PATH: ClassVar = [
        styles_path("base.tcss"),
        styles_path("session_list.tcss"),
        styles_path("session_setup.tcss"),
        styles_path("dialogs.tcss"),
    ]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
        # Priority: focus moves in the app's own queue, before the next key is routed.
        # Otherwise keys typed right after Tab (a fast typist, a script) still go to the
        # box being left, because the app routes each key by the focus it sees then.
        Binding("tab", "focus_next", "Next field", show=False, priority=True),
        Binding("shift+tab", "focus_previous", "Previous field", show=False, priority=True),
    ]

    def __init__(self, store: Store, *, session_id: int | None = None, clock: Clock = utc_now):
        super().__init__()
        self.store = store
        self.clock = clock
        self._initial_session = session_id

    def on_mount(self) -> None:
        """Show the session list, and the requested session on top of it."""
        self.push_screen(SessionListScreen(self.store))
        if self._initial_session is not None:
            self.push_screen(SessionSetupScreen(self.store, self._initial_session))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Every key binding active on the screen is also a command in the palette."""
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
