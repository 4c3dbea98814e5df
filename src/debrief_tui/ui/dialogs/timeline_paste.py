"""The paste box: a timeline pasted as text, read as it is pasted, saved once confirmed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Footer, Static, TextArea

from debrief_tui.core.text import counted, one_line
from debrief_tui.core.timeline import (
    ImportedEvent,
    ImportResult,
    IncidentWindow,
    Note,
    already_on_timeline,
    far_outside,
    read_timeline,
    zone,
)
from debrief_tui.paths import styles_path
from debrief_tui.ui.dialogs.form import NEW_LINE, NEW_LINE_HINT
from debrief_tui.ui.literal import literal
from debrief_tui.ui.tones import LABEL, WARNING, tone

if TYPE_CHECKING:
    from debrief_tui.core.timeline.duplicates import Dated

_PREVIEW_ROWS = 200


class TimelinePaste(ModalScreen[list[ImportedEvent] | None]):
    """Paste, check the events read from it, then import (all, or the readable ones)."""

    CSS_PATH = styles_path("dialogs.tcss")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel"),
        Binding("ctrl+s", "import_all", "Import", id="import"),
        Binding("ctrl+r", "import_readable", "Import readable lines", id="import-skip"),
        NEW_LINE,
    ]

    def __init__(
        self,
        zone_name: str,
        start_day: date | None,
        result: ImportResult | None = None,
        *,
        window: IncidentWindow | None = None,
        existing: Sequence[Dated] = (),
    ) -> None:
        super().__init__()
        self.existing = existing
        """The events on the timeline: one read again is shown, counted and not added."""
        self.already: frozenset[int] = frozenset()
        """The lines of the events read that the timeline already holds."""
        self.zone_name = zone_name
        self.start_day = start_day
        # The incident as known before the paste: a time far outside it is flagged.
        self.window = window or IncidentWindow()
        # `result`: events already read elsewhere (a chat export's), shown for confirming.
        self.result = result if result is not None else ImportResult([], [])
        self._pending: Timer | None = None

    def compose(self) -> ComposeResult:
        """Box, preview, status."""
        with Vertical(classes="dialog paste"):
            yield Static("Paste a timeline", classes="dialog-title")
            yield Static(
                Text(
                    f"One event a line; Markdown lists and tables work. Times without a zone are"
                    f" {self.zone_name}. {NEW_LINE_HINT} · ctrl+s imports · Esc cancels",
                    style="dim",
                )
            )
            yield TextArea(id="paste-box", soft_wrap=False, show_line_numbers=True)
            # Focusable (Tab from the box): ↑ ↓ and page keys read every event and note.
            with VerticalScroll(id="paste-scroll"):
                yield Static(id="paste-preview")
            yield Static(id="paste-status")
        yield Footer()

    def on_mount(self) -> None:
        """Ready for ctrl+v / the terminal's paste."""
        self.set_focus(self.query_one("#paste-box", TextArea))
        self._show()

    @on(TextArea.Changed, "#paste-box")
    def _changed(self) -> None:
        # Read once typing pauses: a long paste arrives as one change, but typing in a big
        # box should not re-read it on every key.
        if self._pending is not None:
            self._pending.stop()
        self._pending = self.set_timer(0.15, self._read)

    def _read(self) -> None:
        self._pending = None
        text = self.query_one("#paste-box", TextArea).text
        self.result = read_timeline(text, "md", self.zone_name, self.start_day)
        self._show()

    def _show(self) -> None:
        events, bad = self.result.events, self.result.bad
        self.already = self.already_there()
        # Each event's distance from the incident, worked out once for its row and the count.
        checked = ((e.line, far_outside(e.at, self.window, self.zone_name)) for e in events)
        far = {line: why for line, why in checked if why}
        preview = self._preview(events, self.result.notes, far)
        self.query_one("#paste-preview", Static).update(preview)
        # Once something is read, the preview takes the room and the box keeps a few lines.
        self.query_one(".dialog.paste").set_class(bool(events or bad), "-read")
        status = Text()
        if events:
            status.append(f"{len(events)} events read", style=tone(self, "bold $text-success"))
            status.append("  (kind? is a guess from the words; edit it after import)", style="dim")
        if self.already:
            every = len(self.already) == len(events)
            status.append(
                ("\n= all of them are" if every else f"\n= {len(self.already)} of them are")
                + " already on the timeline: they are not added again",
                style=tone(self, WARNING),
            )
        if self.result.notes:
            status.append(
                f"\n{counted(len(self.result.notes), 'note')}: what was assumed (↳), under the"
                " lines it applies to; check before importing",
                style=tone(self, WARNING),
            )
        if far:
            status.append(
                f"\n⚠ {counted(len(far), 'event')} far outside the incident: a wrong date or zone?",
                style=tone(self, WARNING),
            )
        for line in bad[:5]:
            status.append("\n✗ " + line.describe(), style=tone(self, "$text-error"))
        if len(bad) > 5:
            status.append(
                f"\n✗ … {len(bad) - 5} more lines cannot be read", style=tone(self, "$text-error")
            )
        if bad:
            status.append(
                "\nctrl+s imports nothing while a line is bad; ctrl+r imports the readable lines"
            )
        if not events and not bad:
            empty = "No events read: no line starts with a time." if self.result.notes else ""
            status.append(empty or "Nothing pasted yet.", style="dim")
        self.query_one("#paste-status", Static).update(status)

    def _preview(
        self, events: list[ImportedEvent], notes: tuple[Note, ...], far_from: dict[int, str]
    ) -> Text:
        """One row per event, each note under the event of its first line (a note on lines
        that are not events, such as a zone note, under the event after it)."""
        tz = zone(self.zone_name)
        days = {e.at.astimezone(tz).date() for e in events}
        fmt = "%Y-%m-%d %H:%M" if len(days) > 1 else "%H:%M"
        lines = sorted(e.line for e in events)
        under: dict[int, list[Note]] = {}
        for note in notes:
            first = note.lines[0]
            after = next((line for line in lines if line >= first), lines[-1] if lines else 0)
            under.setdefault(after, []).append(note)
        preview = Text(no_wrap=True, overflow="ellipsis")
        rows = 0
        for event in events:
            if rows >= _PREVIEW_ROWS:
                break
            far = far_from.get(event.line)
            mine = under.pop(event.line, [])
            for note in [n for n in mine if n.lines[0] < event.line]:  # a note on a line above
                rows += self._note_row(preview, note)
            if len(preview):
                preview.append("\n")
            local = event.at.astimezone(tz)
            there = event.line in self.already
            mark = "=" if there else "⚠" if far else ("~" if event.approximate else " ")
            preview.append(f"{mark}{local:{fmt}} ", style=tone(self, WARNING) if far else "bold")
            kind = event.kind + ("?" if event.kind_guessed else "")
            preview.append(f"{kind:<13}", style=tone(self, LABEL))
            if there:
                preview.append("(already on the timeline) ", style=tone(self, WARNING))
            preview.append_text(literal(one_line(event.text), "dim" if there else ""))
            rows += 1
            if far:
                preview.append(f"\n    ⚠ {far}", style=tone(self, WARNING))
                rows += 1
            for note in [n for n in mine if n.lines[0] >= event.line]:
                rows += self._note_row(preview, note)
        for left in under.values():  # notes of a paste with no events yet
            for note in left:
                rows += self._note_row(preview, note)
        if len(events) > _PREVIEW_ROWS or rows > _PREVIEW_ROWS:
            preview.append("\n… and more below the limit of the preview", style="dim")
        return preview

    def _note_row(self, preview: Text, note: Note) -> int:
        if len(preview):
            preview.append("\n")
        preview.append(f"    ↳ {note.describe()}", style="dim")
        return 1

    def action_import_all(self) -> None:
        """Import every event; refused while any line cannot be read."""
        if self._pending is not None:
            self._read()
        if self.result.bad:
            self.notify(
                f"{len(self.result.bad)} line(s) cannot be read: fix them, or ctrl+r"
                " imports the rest.",
                severity="warning",
            )
            return
        self._finish()

    def action_import_readable(self) -> None:
        """Import the events that could be read; the bad lines are left out."""
        self._finish()

    def _finish(self) -> None:
        if self._pending is not None:
            self._read()  # confirmed before the pause: read what is there now
        if not self.result.events:
            self.notify("Nothing to import yet: paste a timeline first.", severity="warning")
            return
        new = [e for e in self.result.events if e.line not in self.already]
        if not new:
            self.notify(
                "Nothing new to import: every event read is already on the timeline.",
                severity="warning",
            )
            return
        self.dismiss(new)

    def already_there(self) -> frozenset[int]:
        """The lines of the events read that the timeline already holds."""
        events = self.result.events
        found = already_on_timeline(events, self.existing)
        return frozenset(events[index].line for index in found)

    def action_cancel(self) -> None:
        """Close without importing."""
        self.dismiss(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """ "New line" is in the footer only while the paste box has focus."""
        if action == "new_line":
            return isinstance(self.focused, TextArea)
        return super().check_action(action, parameters)

    def action_new_line(self) -> None:
        """Nothing more to do: the paste box took Enter itself and started a new line."""
