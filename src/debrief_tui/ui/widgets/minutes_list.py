"""The minutes list: every line of the minutes, drawn only where it is visible.

A Line API view over the shared MinuteBook. Appending a minute adds its rows and repaints;
nothing is re-queried or rebuilt, so it keeps up at tens of thousands of lines. Lines wrap
instead of being cut; the selected minute can be edited, deleted (undo with u) or parked.

Where the stage changes from one minute to the next, a separator line names the new stage;
when the minutes span more than one day (a review that went on the next morning), each
separator and each change of day also carries the date.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from debrief_tui.core.meeting import minute_kind
from debrief_tui.core.text import printable
from debrief_tui.ui.compat import grow_without_layout
from debrief_tui.ui.widgets.wrapping import wrap_cells

if TYPE_CHECKING:
    from datetime import datetime

    from debrief_tui.core.persistence import Minute
    from debrief_tui.ui.minute_book import MinuteBook

_TIME_WIDTH = 7  # "HH:MM  "
# What a row of the list is: the first row of a minute, a row it wrapped onto, or a separator
# (a new stage, a new day) before a minute.
_FIRST, _MORE, _SEPARATOR = 0, 1, 2
_MUTED = Style(dim=True, italic=True)
# A decision, an action or a question is marked by a sign and its label in bold (not colour).
KIND_MARKS = {"decision": "◆ Decision:", "action": "→ Action:", "question": "? Question:"}
_OTHER_STAGE = Style(dim=True)  # minutes of other stages stay readable but step back


class MinutesList(ScrollView, can_focus=True):
    """Minutes, newest at the bottom, with the time in the session's zone."""

    # The stage separators stand out by weight, not colour (the theme's text colour keeps
    # its contrast); the stage stylesheets may add more.
    DEFAULT_CSS = """
    MinutesList > .minutes-list--stage {
        text-style: bold;
    }
    MinutesList > .minutes-list--kind {
        text-style: bold;
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "minutes-list--time",
        "minutes-list--author",
        "minutes-list--cursor",
        "minutes-list--stage",
        "minutes-list--kind",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "cursor(-10)", "Page up", show=False),
        Binding("pagedown", "cursor(10)", "Page down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("e,enter", "edit", "Edit minute", id="edit-minute"),
        Binding("d,delete", "delete", "Delete minute", id="delete-minute"),
        Binding("u", "screen.undo", "Undo delete", id="undo-minute"),
        Binding("escape", "leave", "Back to typing", show=False),
    ]

    cursor: reactive[int] = reactive(-1, repaint=False)
    """The selected minute's index, or -1 when none is selected."""

    class EditRequested(Message):
        """The user asked to edit the selected minute."""

        def __init__(self, minute: Minute) -> None:
            super().__init__()
            self.minute = minute

    class DeleteRequested(Message):
        """The user asked to delete the selected minute."""

        def __init__(self, minute: Minute) -> None:
            super().__init__()
            self.minute = minute

    class LeaveRequested(Message):
        """The user is done browsing and wants to type again."""

    def __init__(self, book: MinuteBook, stage_key: str, zone_name: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.book = book
        self.stage_key = stage_key
        self.zone_name = zone_name
        self._rows: list[tuple[int, str, int]] = []  # (minute index, text, what row it is)
        self._first_row: list[int] = []  # row index where each minute starts (its separator)
        self._span_days = False  # the minutes span more than one day: separators show dates
        self._wrap_width = 0
        self._times: dict[int, str] = {}

    # Keeping up with the book ------------------------------------------------------------

    def on_mount(self) -> None:
        """Follow the book from now on."""
        self.book.subscribe(self._book_changed)
        self._rebuild()

    def on_unmount(self) -> None:
        """Stop following the book."""
        self.book.unsubscribe(self._book_changed)

    def on_resize(self) -> None:
        """Re-wrap when the width changes; keep the newest line in view when the height
        does (the presenter view, a first layout that settles late, a smaller window)."""
        if self._text_width() != self._wrap_width:
            self._rebuild()
        elif self.cursor < 0:
            self._scroll_to_newest()

    def _book_changed(self, first: int) -> None:
        if (
            self._wrap_width != self._text_width()
            or first > len(self._first_row)
            or self._spans_days() != self._span_days
        ):
            self._rebuild()
            return
        if first < len(self._first_row):
            # A change inside the list (an edit, a deletion, another seat's minute put in its
            # place by time): only the minutes from there on are wrapped again, usually a few
            # at the end, not the whole meeting.
            del self._rows[self._first_row[first] :]
            del self._first_row[first:]
            for index in [i for i in self._times if i >= first]:
                del self._times[index]
            if self.cursor >= len(self.book.minutes):
                self.cursor = len(self.book.minutes) - 1
        self._append_from(first)

    def _text_width(self) -> int:
        return max(10, self.scrollable_content_region.width - _TIME_WIDTH)

    def _rebuild(self) -> None:
        self._rows.clear()
        self._first_row.clear()
        self._times.clear()
        self._wrap_width = self._text_width()
        self._span_days = self._spans_days()
        self._append_from(0)
        if self.cursor >= len(self.book.minutes):
            self.cursor = len(self.book.minutes) - 1

    def _append_from(self, first: int) -> None:
        # With no minute selected the list follows the newest line, as a note-taker expects.
        following = self.cursor < 0
        minutes = self.book.minutes
        for index in range(first, len(minutes)):
            self._first_row.append(len(self._rows))
            separator = self._separator(index)
            if separator:
                self._rows.append((index, separator, _SEPARATOR))
            # In cells: a line of wide (CJK) characters wrapped by characters ran past the
            # edge, and what ran past was cut off.
            pieces = wrap_cells(
                self._display(minutes[index]),
                self._wrap_width,
                break_on_hyphens=False,
            ) or [""]
            self._rows.extend(
                (index, piece, _MORE if n else _FIRST) for n, piece in enumerate(pieces)
            )
        grow_without_layout(self, Size(self.scrollable_content_region.width, len(self._rows)))
        if following:
            # set_scroll, not scroll_to: scroll_to ignores a widget that had no scrollbar
            # until this append, and the new line must be visible in the very next frame.
            self._scroll_to_newest()
        self.refresh()

    def _separator(self, index: int) -> str:
        """The line before minute `index`: the stage it starts (and the date, when the minutes
        span days and this is the first minute or the first of a day); "" when none."""
        minutes = self.book.minutes
        minute = minutes[index]
        before = minutes[index - 1] if index else None
        new_stage = before is None or before.stage != minute.stage
        day = ""
        if self._span_days:
            day = f"{self._local(minute):%a %d %b %Y}"
            if before is not None and f"{self._local(before):%a %d %b %Y}" == day:
                day = ""
        if not (new_stage or day):
            return ""
        title = printable(self.book.stage_title(minute.stage))
        label = f"{title} · {day}" if day else title
        return f"── {label} ".ljust(self._wrap_width + _TIME_WIDTH, "─")

    def _spans_days(self) -> bool:
        """Whether the first and the newest minute fall on different days (in the zone)."""
        minutes = self.book.minutes
        if len(minutes) < 2:
            return False
        return self._local(minutes[0]).date() != self._local(minutes[-1]).date()

    def _local(self, minute: Minute) -> datetime:
        # Imported here: zoneinfo is not needed for the first frame, which has no minutes.
        from debrief_tui.core.timeline import zone

        return minute.at.astimezone(zone(self.zone_name))

    @staticmethod
    def _display(minute: Minute) -> str:
        kinded = minute_kind(minute.text)
        text = " ".join(printable(kinded.text).split())
        if kinded.kind is not None:
            text = f"{KIND_MARKS[kinded.kind]} {text}"
        return f"{printable(minute.author)}: {text}" if minute.author else text

    # Drawing ------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        """One row of the list."""
        width = self.scrollable_content_region.width
        row_index = self.scroll_offset.y + y
        if not self._rows:
            if y == 0:
                text = (
                    "No minutes yet. Type below; Enter saves the line."
                    if self.book.loaded
                    else "Loading minutes…"
                )
                style = self.rich_style + _MUTED
                return Strip([Segment(text, style)]).crop_extend(0, width, style)
            return Strip.blank(width, self.rich_style)
        if row_index >= len(self._rows):
            return Strip.blank(width, self.rich_style)
        index, text, kind = self._rows[row_index]
        minute = self.book.minutes[index]
        base = self.rich_style
        if kind == _SEPARATOR:
            style = base + self.get_component_rich_style("minutes-list--stage", partial=True)
            return Strip([Segment(text, style)]).crop_extend(0, width, base)
        first = kind == _FIRST
        if minute.stage != self.stage_key:
            base += _OTHER_STAGE
        if index == self.cursor:
            base += self.get_component_rich_style("minutes-list--cursor")
        time_style = base + self.get_component_rich_style("minutes-list--time", partial=True)
        segments = [Segment(self._time(index) if first else " " * _TIME_WIDTH, time_style)]
        if first and minute.author:
            cut = len(printable(minute.author)) + 1
            author_style = base + self.get_component_rich_style(
                "minutes-list--author", partial=True
            )
            segments.append(Segment(text[:cut], author_style))
            text = text[cut:]
        label = minute_kind(minute.text).kind if first else None
        mark = KIND_MARKS[label] if label is not None else ""
        if mark and text.lstrip().startswith(mark):
            cut = text.find(mark) + len(mark)
            kind_style = base + self.get_component_rich_style("minutes-list--kind", partial=True)
            segments.append(Segment(text[:cut], kind_style))
            text = text[cut:]
        segments.append(Segment(text, base))
        return Strip(segments).crop_extend(0, width, base)

    def _time(self, index: int) -> str:
        if index not in self._times:
            self._times[index] = f"{self._local(self.book.minutes[index]):%H:%M}  "
        return self._times[index]

    def watch_cursor(self, old: int, new: int) -> None:
        """Repaint the two minutes whose highlight changed, and keep the cursor in view."""
        if 0 <= new < len(self._first_row):
            top = self._first_row[new]
            end = self._first_row[new + 1] if new + 1 < len(self._first_row) else len(self._rows)
            self.scroll_to_region_rows(top, end)
        self.refresh()

    def scroll_to_region_rows(self, top: int, end: int) -> None:
        """Scroll so rows top..end are visible."""
        height = self.scrollable_content_region.height
        y = self.scroll_offset.y
        if top < y:
            self.scroll_to(y=top, animate=False, immediate=True)
        elif end > y + height:
            self.scroll_to(y=end - height, animate=False, immediate=True)

    def set_zone(self, zone_name: str) -> None:
        """Show times in another zone."""
        self.zone_name = zone_name
        self._times.clear()
        self._rebuild()  # the days (and so the separators) may differ in the new zone

    # Keys ---------------------------------------------------------------------------------

    def action_cursor(self, step: int) -> None:
        """Move the selection by `step` minutes."""
        count = len(self.book.minutes)
        if not count:
            return
        start = count if self.cursor < 0 else self.cursor
        self.cursor = min(count - 1, max(0, start + step))

    def action_first(self) -> None:
        """Select the first minute."""
        if self.book.minutes:
            self.cursor = 0

    def action_last(self) -> None:
        """Select the newest minute."""
        if self.book.minutes:
            self.cursor = len(self.book.minutes) - 1

    def action_edit(self) -> None:
        """Ask to edit the selected minute."""
        minute = self.selected()
        if minute is not None:
            self.post_message(self.EditRequested(minute))

    def action_delete(self) -> None:
        """Ask to delete the selected minute."""
        minute = self.selected()
        if minute is not None:
            self.post_message(self.DeleteRequested(minute))

    def action_leave(self) -> None:
        """Deselect and go back to typing (the list follows new lines again)."""
        self.cursor = -1
        self._scroll_to_newest()
        self.post_message(self.LeaveRequested())

    def _scroll_to_newest(self) -> None:
        self._scroll_rows_to(max(0, len(self._rows) - self.scrollable_content_region.height))
        # Once layout has caught up (a first scrollbar, a re-wrap), settle on the true end.
        self.call_after_refresh(self._settle_on_newest)

    def _settle_on_newest(self) -> None:
        if self.cursor < 0:
            self._scroll_rows_to(self.max_scroll_y)

    def _scroll_rows_to(self, y: int) -> None:
        # set_scroll skips the watchers, so nothing repaints by itself: a frame drawn before
        # the move would stay on screen, one row short of the newest line.
        if y != self.scroll_offset.y:
            self.set_scroll(None, y)
            if self.show_vertical_scrollbar:
                self.vertical_scrollbar.position = y
            self.refresh()

    def selected(self) -> Minute | None:
        """The selected minute, if any."""
        if 0 <= self.cursor < len(self.book.minutes):
            return self.book.minutes[self.cursor]
        return None

    def on_blur(self) -> None:
        """Without focus there is nothing selected; new lines are followed again."""
        self.cursor = -1
        self._scroll_to_newest()
