"""Where debrief leans on Textual (or the runtime) beyond its public API, in one place.

Each workaround says why it is here; `tests/test_compat.py` pins the behaviour it relies on, so
a Textual upgrade that changes it fails there, by name, rather than somewhere in a screen.
Textual is pinned to the minor version those tests pass on (`pyproject.toml`).
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from textual.geometry import Size
from textual.reactive import Reactive
from textual.scroll_view import ScrollView

# The footer keeps each set of keys it has built (ui/widgets/keys_footer.py) and so builds the
# keys itself, with the widget Textual's Footer uses; Textual does not export it from
# `textual.widgets`.
from textual.widgets._footer import FooterKey

if TYPE_CHECKING:
    from textual.widget import Widget

__all__ = [
    "FooterKey",
    "focus_without_repaint",
    "freeze_long_lived",
    "grow_without_layout",
    "size_without_layout",
]


def focus_without_repaint() -> Reactive[Widget | None]:
    """A replacement for `Screen.focused` that does not repaint the whole screen.

    Textual repaints the screen when focus moves. The 5 Whys stage moves focus from the answer
    box back to the tree on every saved answer, and that repaint was the largest part of an
    add; the two widgets repaint themselves (their :focus styles change), which is all that
    changes on screen.
    """
    return Reactive(None, repaint=False)


def size_without_layout() -> Reactive[Size]:
    """A replacement for `Widget.virtual_size` in one-line boxes that never size to their text.

    Textual's Input keeps its scrollable width equal to its text, and that size is declared to
    need a layout: every key typed re-laid out the whole screen. Our boxes never size to their
    text (no `width: auto` in styles/), so a repaint is enough.
    """
    return Reactive(Size(0, 0), layout=False)


def grow_without_layout(view: ScrollView, size: Size) -> None:
    """Give a scroll view a new virtual size, laying the screen out only when its scrollbar
    appears or goes.

    `virtual_size` is declared to need a layout, and a layout of the whole screen was most of
    the cost of each new minute (from this seat or another one). While the scrollbar stays as
    it is, updating the scroll range and the scrollbar's thumb (`_scroll_update`, what layout
    calls) and repainting is all that changes on screen.
    """
    before = view.show_vertical_scrollbar
    view.set_reactive(ScrollView.virtual_size, size)
    view._refresh_scrollbars()
    if view.show_vertical_scrollbar != before or not view.size:
        view.refresh(layout=True)
        return
    view._scroll_update(size)
    view.refresh()


def freeze_long_lived() -> None:
    """Move everything alive now out of the garbage collector's generations.

    A stage with thousands of rows keeps them for as long as it is open, and the session list
    loads the ORM with its first read; each full collection walked all of them and paused an
    edit or a reload by 100 ms or more. Frozen objects are never collected, so this is called
    once each, after a stage's first large load and after the list's first read.
    """
    gc.freeze()
