"""Import an incident channel from a chat export (Slack's zip or its folder): choose the export,
the channel and which messages; the messages read are shown in the paste box's preview, and
nothing is saved until the import is confirmed there.

The export is read in a thread worker (a 50,000-message channel takes a second or two): the
meeting keeps drawing. A refusal (no such file, no such channel, a file that is not JSON) is
shown in the dialog, which keeps everything as typed.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Input, Label, Select, Static

from debrief_tui.core.errors import Refusal
from debrief_tui.core.timeline import (
    ChatChoice,
    ChatMessage,
    ChatRead,
    ImportedEvent,
    ImportResult,
    IncidentWindow,
    TimeParseError,
    already_on_timeline,
    attendee_for,
    chat_rows,
    parse_when,
    read_chat_export,
)
from debrief_tui.ui.dialogs.form import FormDialog, SaveHook, enter_bindings, form_hint
from debrief_tui.ui.dialogs.timeline_paste import TimelinePaste
from debrief_tui.ui.literal import literal
from debrief_tui.ui.tones import ERROR, tone
from debrief_tui.ui.widgets.safe_input import SafeInput

if TYPE_CHECKING:
    from collections.abc import Sequence

    from debrief_tui.core.timeline.duplicates import Dated

_CHOICES = [
    ("Pinned messages", "pinned"),
    ("Messages with a reaction", "reaction"),
    ("Every message", "all"),
]


class ChatPreview(TimelinePaste):
    """The paste box's preview, opened on messages already read: no box to paste into."""

    def __init__(
        self,
        zone_name: str,
        start_day: date | None,
        result: ImportResult,
        title: str,
        window: IncidentWindow | None = None,
        already: frozenset[int] = frozenset(),
    ) -> None:
        super().__init__(zone_name, start_day, result=result, window=window)
        self.title_text = title
        self._already = already

    def already_there(self) -> frozenset[int]:
        """The messages found on the timeline by the form, which knows who wrote them."""
        return self._already

    def on_mount(self) -> None:
        """Hide the paste box and its hints, and say where the messages come from."""
        for box in self.query("#paste-box"):
            box.display = False
            box.disabled = True  # never focused: nothing typed can replace what was read
        for note in self.query(".paste > Static").results(Static):
            if note.has_class("dialog-title"):
                note.update(Text(self.title_text))
            elif note.id is None:
                note.display = False  # how to paste: not what this shows

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Every message was read: there are no unreadable lines to leave out."""
        if action == "import_readable":
            return False
        return super().check_action(action, parameters)


def preview_events(messages: Sequence[ChatMessage], attendees: Sequence[str]) -> ImportResult:
    """The messages as the preview shows them: each with its author (the attendee they are,
    when they are one), a reply marked and after its parent. `line` is the message's place."""
    events = []
    for number, message in enumerate(messages, start=1):
        author = attendee_for(message.names, attendees) or message.author
        said = f"{author}: {message.body}" if author else message.body
        events.append(
            ImportedEvent(
                line=number,
                at=message.at,
                text=("↳ " if message.reply else "") + said,
                kind=message.kind,
                approximate=False,
                kind_guessed=message.kind_guessed,
            )
        )
    return ImportResult(events, [])


class ChatImport(FormDialog[list[ChatMessage]]):
    """Choose a chat export's channel and messages, preview them, import them (through the
    `save` hook, which writes them); dismisses with the messages imported, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel"),
        Binding("ctrl+s", "save", "Read and preview", id="save"),
        *enter_bindings("Read and preview"),
    ]

    def __init__(
        self,
        zone_name: str,
        start_day: date | None,
        attendees: Sequence[str],
        save: SaveHook[list[ChatMessage]],
        window: IncidentWindow | None = None,
        existing: Sequence[Dated] = (),
    ) -> None:
        super().__init__(save)
        self.zone_name = zone_name
        self.start_day = start_day
        self.attendees = list(attendees)
        self.window = window
        """The incident as known: a message far outside it is flagged in the preview."""
        self.existing = existing
        """The events on the timeline: a message imported before is not added again."""
        self.reading = False

    def compose(self) -> ComposeResult:
        """Export, channel, which messages, the window; a message line."""
        with Vertical(classes="dialog form", id="chat-form"):
            yield Static("Import a chat export", classes="dialog-title")
            yield Label("Slack export (a .zip or its folder)")
            yield SafeInput(id="chat-path", hint="~/Downloads/Acme Slack export.zip", compact=True)
            with Horizontal(classes="dialog-row"):
                with Vertical(classes="dialog-cell"):
                    yield Label("Channel")
                    yield SafeInput(id="chat-channel", hint="incident-1234", compact=True)
                with Vertical(classes="dialog-cell"):
                    yield Label("Which messages")
                    yield Select(
                        _CHOICES, value="pinned", allow_blank=False, id="chat-mode", compact=True
                    )
            with Horizontal(classes="dialog-row"):
                with Vertical(classes="dialog-cell"):
                    yield Label("Reaction")
                    yield SafeInput("pushpin", id="chat-reaction", compact=True)
                with Vertical(classes="dialog-cell"):
                    yield Label(f"From ({self.zone_name})")
                    yield SafeInput(id="chat-from", hint="optional", compact=True)
                with Vertical(classes="dialog-cell"):
                    yield Label("To")
                    yield SafeInput(id="chat-to", hint="optional", compact=True)
            yield Static(
                Text(form_hint("reads the export") + "; nothing is saved before you see it", "dim"),
                id="chat-message",
            )
        yield Footer()

    def on_mount(self) -> None:
        """Start in the export box."""
        self.set_focus(self.query_one("#chat-path", Input))

    def _value(self, box: str) -> str:
        return self.query_one(f"#{box}", Input).value.strip()

    async def action_save(self) -> None:
        """Read the chosen messages (in a worker), then preview them."""
        if self.reading:
            return
        path, channel = self._value("chat-path"), self._value("chat-channel")
        if not path:
            self._show_error("Give the export: a .zip or the folder it unpacks to.")
            return
        if not channel:
            self._show_error("Give the channel's name (without #).")
            return
        mode = str(self.query_one("#chat-mode", Select).value)
        reaction = self._value("chat-reaction") if mode == "reaction" else None
        window: list[datetime | None] = []
        for box, label in (("chat-from", "From"), ("chat-to", "To")):
            text = self._value(box)
            try:
                window.append(parse_when(text, self.zone_name) if text else None)
            except TimeParseError as exc:
                self._show_error(f"{label}: {exc}")
                return
        if window[0] and window[1] and window[0] > window[1]:
            self._show_error("From is after To: no message is both.")
            return
        choice = ChatChoice(channel, mode, reaction, window[0], window[1])
        self.reading = True
        self.query_one("#chat-message", Static).update(Text("Reading…", style="dim"))
        self._read(Path(path).expanduser(), choice)

    @work(thread=True, exclusive=True, group="chat-read")
    def _read(self, path: Path, choice: ChatChoice) -> None:
        # Unzipping and parsing a busy channel takes a second or two, and is not database
        # work: a worker of its own, so the meeting keeps drawing.
        try:
            read = read_chat_export(path, choice)
        except Refusal as exc:
            self.app.call_from_thread(self._show_error, str(exc))
            return
        self.app.call_from_thread(self._preview, read, choice)

    def _show_error(self, text: str) -> None:
        self.reading = False
        if not self.is_attached:
            return  # closed while the export was being read
        self.query_one("#chat-message", Static).update(
            Text("✗ ", style=tone(self, ERROR)) + literal(text)
        )

    def _preview(self, read: ChatRead, choice: ChatChoice) -> None:
        self.reading = False
        if not self.is_attached:
            return
        if not read.messages:
            what = {"pinned": "pinned messages", "reaction": f"messages with :{choice.reaction}:"}
            self._show_error(
                f"No {what.get(choice.mode, 'messages')} in #{read.channel}"
                + (" in that window" if choice.since or choice.until else "")
                + f" ({read.passed_over} other messages there)."
            )
            return
        note = "; ".join(read.notes)
        self.query_one("#chat-message", Static).update(
            Text(
                f"Read {len(read.messages)} messages from #{read.channel}"
                + (f" ({note})" if note else "")
                + ". ctrl+s reads again.",
                style="dim",
            )
        )
        messages = read.messages
        shown = preview_events(messages, self.attendees)
        # Matched as they would be saved: the text without the author, the author linked.
        there = already_on_timeline(chat_rows(messages, self.attendees), self.existing)
        title = f"{len(messages)} messages from #{read.channel}: check them, then ctrl+s imports"

        async def confirmed(events: list[ImportedEvent] | None) -> None:
            if not events:
                return  # back to the form, everything as typed
            chosen = [messages[event.line - 1] for event in events]
            await self.submit(chosen)

        self.app.push_screen(
            ChatPreview(
                self.zone_name,
                self.start_day,
                shown,
                title,
                self.window,
                frozenset(index + 1 for index in there),  # an event's line: its place, from 1
            ),
            confirmed,
        )
