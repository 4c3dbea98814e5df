"""The meeting header: session title, stage and position, countdown, total time, progress."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from debrief_tui.core.meeting import format_duration
from debrief_tui.ui.literal import literal
from debrief_tui.ui.tones import (
    ALARM,
    CAUTION,
    HEADER_MUTED,
    PROGRESS_DONE,
    PROGRESS_NOW,
    tone,
)
from debrief_tui.ui.widgets.big_title import big_lines, font_loaded, load_font

if TYPE_CHECKING:
    from debrief_tui.core.meeting import Meeting

_STATE_STYLE = {"ok": "bold", "warning": CAUTION, "overrun": ALARM}


class MeetingHeader(Vertical):
    """Two lines on a normal screen; a large timer and stage title in presenter view."""

    def __init__(self, meeting: Meeting, title: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.meeting = meeting
        self.session_title = title

    def compose(self) -> ComposeResult:
        """Title line, progress line, and the presenter's big stage title and timer."""
        yield Static(id="header-lines")

    def show_big(self) -> None:
        """Add the presenter's large stage title and timer (built on first use)."""
        if not self.query("#header-big"):
            from textual.widgets import Digits

            self.mount(Horizontal(Static(id="big-stage"), Digits(id="big-timer"), id="header-big"))
            self.call_after_refresh(self.update_view)
        if not font_loaded():
            # The title shows as bold text until the large letters' font is read.
            self.run_worker(self._load_font, thread=True, group="big-title", exclusive=True)

    def _load_font(self) -> None:
        load_font()
        self.app.call_from_thread(self.update_view)

    def on_mount(self) -> None:
        """Draw once mounted."""
        self.update_view()

    def on_resize(self) -> None:
        """The title line is fitted to the width, so redraw when it changes."""
        self.update_view()

    def update_view(self) -> None:
        """Redraw from the meeting's state (called every second and on every change); does
        nothing until the header has composed its lines."""
        lines = self.query("#header-lines")
        if not lines:
            return
        meeting = self.meeting
        clock = meeting.stage_clock()
        state = "paused" if meeting.paused else clock.state
        timer = clock.countdown() + (" ⏸" if meeting.paused else "")
        if clock.state == "overrun":
            timer += " over"
        line = Text.assemble(
            (f"{meeting.position} ", tone(self, HEADER_MUTED)),
            (meeting.stage.title, "bold"),
            ("  ·  ", tone(self, HEADER_MUTED)),
            literal(self.session_title),
            overflow="ellipsis",
            no_wrap=True,
        )
        style = tone(self, _STATE_STYLE[clock.state])
        right = Text(f" {timer} ", style=style)
        progress = Text(no_wrap=True, overflow="ellipsis")
        for i, _stage in enumerate(meeting.agenda.stages):
            if i < meeting.index:
                progress.append("■", style=tone(self, PROGRESS_DONE))
            elif i == meeting.index:
                current = _STATE_STYLE[clock.state] if clock.state != "ok" else PROGRESS_NOW
                progress.append("■", style=tone(self, current))
            else:
                progress.append("□", style="dim")
        planned = meeting.agenda.total_seconds
        long = planned >= 3600  # both in hours, so the two read alike
        progress.append(
            f"  meeting {format_duration(meeting.total_spent(), hours=long)}"
            f" / {format_duration(planned, hours=long)}",
            style=tone(self, HEADER_MUTED),
        )
        if not meeting.started:
            progress.append("  not started (f5 starts it)", style="bold")
        elif meeting.paused:
            progress.append("  timer paused (f5 resumes)", style="bold")
        # Two lines, always (TCSS fixes the height): no need to lay the screen out again, which
        # every second would cost the typist more than drawing the clock.
        lines.first(Static).update(
            Text("\n").join([self._justify(line, right), progress]), layout=False
        )
        self.set_class(meeting.paused, "-paused")
        if not self.query("#big-timer"):
            return
        big_stage = self.query_one("#big-stage", Static)
        drawn = big_lines(meeting.stage.title, big_stage.size.width) if font_loaded() else None
        big_stage.update(
            Text("\n".join(drawn), style="bold", no_wrap=True)
            if drawn
            else Text.assemble(
                (meeting.stage.title, "bold"), (f"\n{meeting.position}", tone(self, HEADER_MUTED))
            )
        )
        from textual.widgets import Digits

        big = self.query_one("#big-timer", Digits)
        big.update(clock.countdown())
        big.set_class(state == "warning", "-warning")
        big.set_class(state == "overrun", "-overrun")

    def _justify(self, left: Text, right: Text) -> Text:
        width = max(10, self.size.width - 2)
        room = max(1, width - right.cell_len)
        left.truncate(room, overflow="ellipsis", pad=True)
        return Text.assemble(left, right)
