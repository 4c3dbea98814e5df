"""Have we seen this before? Past sessions like this one, why each is listed, and how far
their actions got; opened from the wrap-up (s) and from setup (f4)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from debrief_tui.core.text import counted
from debrief_tui.core.timeline import format_input
from debrief_tui.paths import styles_path
from debrief_tui.ui.literal import literal
from debrief_tui.ui.tones import LABEL, OK, WARNING, Tone, toner

if TYPE_CHECKING:
    from debrief_tui.core.sessions import Match

LISTED_ACTIONS = 6
"""Actions listed per past session; the rest are counted."""


def seen_before_summary(matches: list[Match]) -> Text:
    """One line: `Seen before: #12 Checkout 502s (shares service api) and 2 more`."""
    text = Text("Seen before: ", style="bold")
    if not matches:
        text.append("no past session shares a service, categories or root cause", style="dim")
        return text
    first = matches[0]
    text.append(f"#{first.past.session_id} ")
    text.append(literal(first.past.title))
    text.append(f" ({first.why()}; {first.progress()})", style="dim")
    if len(matches) > 1:
        text.append(f" and {len(matches) - 1} more")
    return text


def seen_before_body(matches: list[Match], tone: Tone) -> Text:
    """Each past session: its id, severity, start and title; why it is listed; its actions
    with a mark for done ones, and how many are done."""
    body = Text()
    if not matches:
        body.append(
            "No past session shares a service, two factor categories or a root cause with "
            "this one yet. Services affected (setup, f2) and root causes (5 Whys) find them."
        )
        return body
    for number, match in enumerate(matches):
        past = match.past
        if number:
            body.append("\n\n")
        started = format_input(past.started_at, past.zone)[:10] if past.started_at else "—"
        body.append(f"#{past.session_id} ", style=tone(LABEL))
        body.append(f"{past.severity} · {started} · ", style="dim")
        body.append(literal(past.title, "bold"))
        body.append("\n  ")
        body.append(literal(match.why(), "italic"))
        done, total = match.done_count
        body.append("\n  ")
        if not total:
            body.append("no actions were recorded", style=tone(WARNING))
            continue
        style = tone(OK) if done == total else tone(WARNING)
        body.append(f"{done}/{total} actions done", style=style)
        for action in match.actions[:LISTED_ACTIONS]:
            body.append("\n   ")
            body.append("✓ " if action.done else "· ", style=tone(OK) if action.done else "")
            body.append(literal(action.text))
            details = f"{action.owner}, {action.status}" if action.owner else action.status
            body.append(" (", style="dim")
            body.append(literal(details, "dim"))
            body.append(")", style="dim")
        if total > LISTED_ACTIONS:
            body.append(f"\n   … and {counted(total - LISTED_ACTIONS, 'more action')}", style="dim")
    return body


class SeenBeforeDialog(ModalScreen[None]):
    """The past sessions like this one; Escape closes it."""

    CSS_PATH: ClassVar = [styles_path("dialogs.tcss"), styles_path("seen_before.tcss")]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="close"),
    ]

    def __init__(self, session_id: int, matches: list[Match]) -> None:
        super().__init__()
        self.session_id = session_id
        self.matches = matches

    def compose(self) -> ComposeResult:
        """Title and the list, scrollable when it is taller than the screen."""
        with VerticalScroll(classes="dialog", id="seen-box"):
            yield Static(
                f"Seen before? Past sessions like #{self.session_id}", classes="dialog-title"
            )
            yield Static(seen_before_body(self.matches, toner(self)), id="seen-body")
        yield Footer()

    def on_mount(self) -> None:
        """Focus the scrolling box, so arrows scroll it."""
        self.set_focus(self.query_one("#seen-box"))

    def action_close(self) -> None:
        """Close."""
        self.dismiss(None)
