"""The footer of the meeting screens: Textual's Footer, rebuilt only when its keys change."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer

# How long the keys must stay the same before the footer is rebuilt.
SETTLE_SECONDS = 0.1


class KeysFooter(Footer):
    """A Footer that rebuilds once the keys have settled, and only if they changed.

    Textual's Footer rebuilds a widget per key on every bindings signal, and a single action
    (focus moving from a list to a box and back, a panel shown) can send several; each rebuild
    costs more than drawing the change the user made, so it waits until that is on screen.
    """

    _shown: tuple[tuple[str, str, bool], ...] | None = None
    _pending = False

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Rebuild (once, after the next refresh) only if the keys to show differ."""
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        if self._pending or _keys(screen) == self._shown:
            return
        self._pending = True
        if self._shown is None:
            self.call_after_refresh(self._rebuild)  # the first keys: show them at once
        else:
            self.set_timer(SETTLE_SECONDS, self._rebuild)

    async def _rebuild(self) -> None:
        self._pending = False
        if not self.is_attached:
            return
        self._shown = _keys(self.screen)
        await self.recompose()


def _keys(screen: Screen[object]) -> tuple[tuple[str, str, bool], ...]:
    return tuple(
        (binding.key, binding.description, enabled)
        for _, binding, enabled, _ in screen.active_bindings.values()
        if binding.show
    )
