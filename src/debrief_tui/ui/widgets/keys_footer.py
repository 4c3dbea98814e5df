"""The footer of the meeting screens: Textual's Footer keys, each set of keys built once."""

from __future__ import annotations

from collections import OrderedDict

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.screen import Screen
from textual.widgets import Footer

from debrief_tui.ui.compat import FooterKey

# How long the keys must stay the same before the footer changes.
SETTLE_SECONDS = 0.1
# Key sets kept built: a stage switches between a few (its list, its boxes, a panel).
KEPT_SETS = 6

_Keys = tuple[tuple[str, str, str, bool, str], ...]

WHEN_ROOM = ("help", "setup", "theme", "room", "export", "quit")
"""Ids of the meeting-wide keys that the footer adds, in this order, while they fit its width
(at 80 columns the stage's own keys need the row; f1 lists them all in any case). When not
even the stage's keys fit, the row keeps those that fit whole (`_keys`)."""
PALETTE_ROOM = 12
"""Columns kept for the palette key docked at the right."""


class KeySet(HorizontalGroup):
    """One set of keys, shown while the focused widget offers exactly those (styled in
    meeting.tcss)."""


class KeysFooter(Footer):
    """A Footer that keeps each set of keys it has shown and swaps between them.

    Textual's Footer rebuilds a widget per key on every bindings signal. Focus moving from
    the 5 Whys tree to the answer box and back sends one each way, and each rebuild of some
    twenty keys held the app for 40 ms, long enough to delay the next keys typed. Here the
    keys settle first, a set seen before is shown again as it was, and only a new set is
    built.
    """

    def __init__(self, *, compact: bool = False) -> None:
        super().__init__(compact=compact)
        self._sets: OrderedDict[_Keys, KeySet] = OrderedDict()
        self._shown: _Keys | None = None
        self._palette: tuple[str, str, str, bool, str] | None = None
        self._pending = False

    def compose(self) -> ComposeResult:
        """Nothing until the screen's keys are known."""
        return iter(())

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Show the screen's keys once they have settled (at once the first time)."""
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        if self._pending or _keys(screen, self._room()) == self._shown:
            return
        self._pending = True
        if self._shown is None:
            self.call_after_refresh(self._show_keys)
        else:
            self.set_timer(SETTLE_SECONDS, self._show_keys)

    async def _show_keys(self) -> None:
        self._pending = False
        if not self.is_attached:
            return
        keys = _keys(self.screen, self._room())
        if keys == self._shown:
            return
        await self._show_palette_key()
        wanted = self._sets.get(keys)
        if wanted is None:
            wanted = KeySet(*(self._key(*key) for key in keys))
            self._sets[keys] = wanted
            await self.mount(wanted, before=0)
        self._sets.move_to_end(keys)
        for shown in self._sets.values():
            shown.display = shown is wanted
        while len(self._sets) > KEPT_SETS:
            _, oldest = self._sets.popitem(last=False)
            await oldest.remove()
        self._shown = keys

    def _room(self) -> int:
        """The columns the keys may take (the app's width before the footer is laid out)."""
        return (self.size.width or self.app.size.width) - PALETTE_ROOM

    def on_resize(self) -> None:
        """Wider or narrower: the meeting-wide keys come or go."""
        if self.is_attached:
            self.bindings_changed(self.screen)

    async def _show_palette_key(self) -> None:
        """The command palette's key, docked right, the same for every set of keys."""
        app = self.app
        if not (self.show_command_palette and app.ENABLE_COMMAND_PALETTE):
            return
        found = self.screen.active_bindings.get(app.COMMAND_PALETTE_BINDING)
        if found is None:
            return
        _, binding, enabled, tooltip = found
        display = app.get_key_display(binding)
        palette = (binding.key, display, binding.description, enabled, binding.action)
        if palette == self._palette:
            return
        self._palette = palette
        await self.query(".-command-palette").remove()
        await self.mount(
            self._key(*palette, classes="-command-palette", tooltip=tooltip or binding.description)
        )

    def _key(
        self,
        key: str,
        display: str,
        description: str,
        enabled: bool,
        action: str,
        classes: str = "",
        tooltip: str = "",
    ) -> FooterKey:
        return FooterKey(
            key,
            display,
            description,
            action,
            disabled=not enabled,
            tooltip=tooltip,
            classes=classes,
        ).data_bind(compact=Footer.compact)


def _keys(screen: Screen[object], room: int) -> _Keys:
    """The keys the footer shows for `screen` now, one per action (the first key bound), and
    the meeting-wide keys that fit in `room` columns after them."""
    app = screen.app
    seen: dict[str, tuple[str, str, str, bool, str]] = {}
    extra: dict[str, tuple[str, str, str, bool, str]] = {}
    for _, binding, enabled, _ in screen.active_bindings.values():
        if binding.action in seen:
            continue
        key = (binding.key, app.get_key_display(binding), binding.description, enabled)
        if binding.show:
            seen[binding.action] = (*key, binding.action)
        elif binding.id in WHEN_ROOM and binding.description:
            extra[binding.id] = (*key, binding.action)
    used = sum(_width(key) for key in seen.values())
    if used > room:
        # Not every key fits (the timeline's ten at 80 columns): the first ones are kept
        # whole, in their order, rather than the row being cut mid-word at the palette key;
        # f1 follows if it fits. The ones left out are in f1's list and the palette (^p).
        kept: list[tuple[str, str, str, bool, str]] = []
        used = 0
        for first in seen.values():
            if used + _width(first) > room:
                break
            kept.append(first)
            used += _width(first)
        help_key = extra.get("help")
        if help_key is not None and used + _width(help_key) <= room:
            kept.append(help_key)
        return tuple(kept)
    for wanted in WHEN_ROOM:
        found = extra.get(wanted)
        if found is None or found[4] in seen:
            continue
        if used + _width(found) > room:
            break
        seen[found[4]] = found
        used += _width(found)
    return tuple(seen.values())


def _width(key: tuple[str, str, str, bool, str]) -> int:
    """Columns a compact footer key takes: its key, a space, its description, a space."""
    return cell_len(key[1]) + cell_len(key[2]) + 2
