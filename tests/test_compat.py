"""The Textual behaviour debrief's workarounds (ui/compat.py) rely on, pinned: an upgrade that
changes any of it fails here, by name."""

from __future__ import annotations

import inspect

from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Input

from debrief_tui.ui.compat import FooterKey, focus_without_repaint, size_without_layout
from debrief_tui.ui.screens.whys import WhysScreen
from debrief_tui.ui.widgets.keys_footer import KeysFooter
from debrief_tui.ui.widgets.safe_input import SafeInput


def test_screen_focus_is_a_reactive_that_repaints_and_ours_does_not() -> None:
    # We replace Screen.focused on the 5 Whys stage; it must still be the reactive that
    # Textual sets when focus moves, or the replacement would be a dead attribute.
    base = Screen.__dict__["focused"]
    assert isinstance(base, Reactive)
    assert base._repaint is True
    ours = WhysScreen.__dict__["focused"]
    assert isinstance(ours, Reactive)
    assert ours._repaint is False
    assert focus_without_repaint()._repaint is False


def test_widget_virtual_size_asks_for_a_layout_and_our_boxes_do_not() -> None:
    base = Widget.__dict__["virtual_size"]
    assert isinstance(base, Reactive)
    assert base._layout is True
    assert "virtual_size" not in Input.__dict__  # Input sets it on every key, from Widget's
    ours = SafeInput.__dict__["virtual_size"]
    assert ours._layout is False
    assert size_without_layout()._layout is False


def test_footer_keys_are_built_as_textual_builds_them() -> None:
    # KeysFooter builds FooterKey widgets itself and is told of new keys by bindings_changed.
    params = list(inspect.signature(FooterKey.__init__).parameters)
    assert params[1:5] == ["key", "key_display", "description", "action"]
    assert {"disabled", "tooltip", "classes"} <= set(params)
    assert hasattr(FooterKey, "compact")  # bound to Footer.compact with data_bind
    assert "bindings_changed" in Footer.__dict__
    assert "bindings_changed" in KeysFooter.__dict__


async def test_a_scroll_view_grown_without_layout_scrolls_and_shows_its_scrollbar() -> None:
    # grow_without_layout calls what a layout would (_refresh_scrollbars, _scroll_update):
    # the scroll range and the scrollbar must follow the new size as after a layout.
    from textual.app import App, ComposeResult
    from textual.geometry import Size
    from textual.scroll_view import ScrollView

    from debrief_tui.ui.compat import grow_without_layout

    class Grows(App[None]):
        def compose(self) -> ComposeResult:
            yield ScrollView()

    app = Grows()
    async with app.run_test(size=(40, 10)) as pilot:
        view = app.query_one(ScrollView)
        grow_without_layout(view, Size(38, 5))
        await pilot.pause()
        assert (view.max_scroll_y, view.show_vertical_scrollbar) == (0, False)
        grow_without_layout(view, Size(38, 30))  # the scrollbar appears: a layout
        await pilot.pause()
        assert view.show_vertical_scrollbar
        rows = view.scrollable_content_region.height
        assert view.max_scroll_y == 30 - rows
        grow_without_layout(view, Size(38, 50))  # it stays: no layout, the range follows
        assert view.max_scroll_y == 50 - rows
        assert view.vertical_scrollbar.window_virtual_size == 50


def test_an_inputs_shown_completion_is_where_tab_reads_it() -> None:
    """SafeInput.accept_suggestion reads Textual's `_suggestion`, the completion it draws."""
    from textual.widgets import Input

    assert "_suggestion" in Input._reactives
