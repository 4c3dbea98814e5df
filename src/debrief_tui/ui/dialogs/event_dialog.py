"""Add or edit one timeline event: time, kind, text, key-event and approximate marks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Checkbox, Footer, Input, Label, Select, Static

from debrief_tui.core.errors import InputError
from debrief_tui.core.reference import event_kind_keys
from debrief_tui.core.timeline import (
    IncidentWindow,
    LinkRow,
    TimelineRow,
    TimeParseError,
    format_input,
    format_links,
    format_when,
    guess_kind,
    parse_links,
    placed_event_time,
)
from debrief_tui.ui.dialogs.form import EXTRA, FormDialog, SaveHook, form_hint
from debrief_tui.ui.tones import ERROR, tone
from debrief_tui.ui.widgets.safe_input import SafeInput
from debrief_tui.ui.widgets.tick_box import TickBox

if TYPE_CHECKING:
    from textual.widget import Widget

    from debrief_tui.core.persistence import TimelineEvent

_HELP = form_hint()


class EventDialog(FormDialog[TimelineRow]):
    """Dismisses with the event as typed (times read in the session's zone), or None."""

    def __init__(
        self,
        zone_name: str,
        window: IncidentWindow,
        event: TimelineEvent | None = None,
        save: SaveHook[TimelineRow] | None = None,
        links: list[LinkRow] | None = None,
    ) -> None:
        super().__init__(save)
        self.links = links or []
        self.zone_name = zone_name
        self.window = window
        """Where a time typed without a date is placed (the incident, next to its neighbour)."""
        self.event = event
        self._kind_chosen = event is not None

    def compose(self) -> ComposeResult:
        """Time, kind, text, the two marks, links and a message line."""
        event = self.event
        with Vertical(classes="dialog form"):
            yield Static("Edit event" if event else "Add event", classes="dialog-title")
            yield Label(f"Time ({self.zone_name} unless you name a zone; ~ marks it approximate)")
            yield SafeInput(
                format_input(event.at, self.zone_name) if event else "",
                hint="09:37 · 2025-03-21 09:37 · 9:37pm PDT",
                id="event-time",
                compact=True,
            )
            yield Label("What happened")
            yield SafeInput(event.text if event else "", id="event-text", compact=True)
            yield Label("Kind")
            yield Select(
                [(k, k) for k in event_kind_keys()],
                value=event.kind if event else "observation",
                allow_blank=False,
                id="event-kind",
                compact=True,
            )
            with Horizontal(classes="dialog-row"):
                yield TickBox("Key event", event.key_event if event else False, id="event-key")
                yield TickBox(
                    "Approximate", event.approximate if event else False, id="event-approx"
                )
            yield Label("Links (optional, Tab to it): each after the words that name it")
            yield SafeInput(
                format_links(self.links),
                hint="Grafana https://grafana.example/d/api  recording https://…",
                id="event-links",
                compact=True,
                classes=EXTRA,
            )
            yield Static(Text(_HELP, style="dim"), id="event-error")
        yield Footer()

    def on_mount(self) -> None:
        """Start in the time box."""
        self.set_focus(self.query_one("#event-time", Input))

    def leave_field(self, field: Widget) -> bool:
        """Enter leaves the time box only when the time can be read, and the links box only
        when its links can."""
        if field.id in ("event-time", "event-links"):
            return self._read(need_text=False) is not None
        return True

    @on(Input.Changed, "#event-time")
    def _show_date(self, event: Input.Changed) -> None:
        """The full date and time the typed time stands for, as it is typed: a time without
        a date is placed by the dialog, and the room should see where before it is saved."""
        shown = self.query_one("#event-error", Static)
        try:
            at, _ = placed_event_time(event.value, self.zone_name, self.window)
        except TimeParseError:
            shown.update(Text(_HELP, style="dim"))
            return
        shown.update(Text(f"→ {format_when(at, self.zone_name)}", style="dim"))

    @on(Input.Changed, "#event-text")
    def _guess(self, event: Input.Changed) -> None:
        """Until the kind is picked by hand, it follows the words typed."""
        if not self._kind_chosen:
            self.query_one("#event-kind", Select).value = guess_kind(event.value) or "observation"

    def picked(self, select: Select[object]) -> None:
        """A kind picked by hand stays: the words typed no longer change it."""
        if select.id == "event-kind":
            self._kind_chosen = True

    async def action_save(self) -> None:
        """Check the fields, save the event and close."""
        row = self._read(need_text=True)
        if row is not None:
            await self.submit(row)

    def _read(self, *, need_text: bool) -> TimelineRow | None:
        error = self.query_one("#event-error", Static)
        try:
            at, approximate = placed_event_time(
                self.query_one("#event-time", Input).value, self.zone_name, self.window
            )
        except TimeParseError as exc:
            error.update(Text(f"✗ {exc}", style=tone(self, ERROR)))
            self.set_focus(self.query_one("#event-time", Input))
            return None
        text = self.query_one("#event-text", Input).value.strip()
        if not text and need_text:
            error.update(Text("✗ say what happened", style=tone(self, ERROR)))
            self.set_focus(self.query_one("#event-text", Input))
            return None
        links_box = self.query_one("#event-links", Input)
        try:
            links = parse_links(links_box.value)
        except InputError as exc:
            error.update(Text(f"✗ links: {exc}", style=tone(self, ERROR)))
            self.set_focus(links_box)
            return None
        error.update(Text(_HELP, style="dim"))
        approx_box = self.query_one("#event-approx", Checkbox)
        if approximate:
            approx_box.value = True
        return TimelineRow(
            at,
            text,
            str(self.query_one("#event-kind", Select).value),
            key_event=self.query_one("#event-key", Checkbox).value,
            approximate=approx_box.value,
            links=links,
        )
