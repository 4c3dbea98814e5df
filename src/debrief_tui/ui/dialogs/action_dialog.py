"""Add or edit an action item: what, who, by when, how urgent, what kind, where it stands."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.suggester import SuggestFromList
from textual.widgets import Checkbox, Footer, Input, Label, Select, Static

from debrief_tui.core.actions import (
    ActionLinks,
    ActionRow,
    default_due,
    owners_of,
    parse_due,
    smart_gaps,
)
from debrief_tui.core.clock import today_in
from debrief_tui.core.errors import InputError, Refusal
from debrief_tui.core.reference import ACTION_PRIORITIES, ACTION_STATUSES, ACTION_TYPES
from debrief_tui.core.text import printable
from debrief_tui.ui.dialogs.form import FormDialog, SaveHook, form_hint
from debrief_tui.ui.literal import literal
from debrief_tui.ui.tones import ERROR, WARNING, tone
from debrief_tui.ui.widgets.safe_input import SafeInput
from debrief_tui.ui.widgets.tick_box import TickBox

if TYPE_CHECKING:
    from textual.screen import Screen
    from textual.widget import Widget

    from debrief_tui.core.persistence import Action, Attendee, PostmortemSession, Unit
    from debrief_tui.ui.meeting_context import MeetingContext

_HELP = form_hint()


def show_date(day: date) -> str:
    """`Fri 13 Feb 2026`: the weekday helps the room check it is the day they meant."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def read_due(
    said: str,
    today: date,
    shown: Static,
    *,
    empty: str,
    note: Callable[[date], str] = lambda _due: "",
) -> tuple[date | None, bool]:
    """Read a due-date box as it is typed, showing under it (in `shown`) the date it names,
    `empty` for a blank box, or why it cannot be read; gives (the date, whether it could be
    read). The action dialog and the Follow-ups screen's due dialog read alike."""
    if not said.strip():
        shown.update(Text(empty, style="dim"))
        return None, True
    try:
        due = parse_due(said, today)
    except InputError as exc:
        shown.update(Text(f"✗ {exc}", style=tone(shown, ERROR)))
        return None, False
    past = "  (in the past)" if due < today else ""
    shown.update(Text(f"→ {show_date(due)}{past}{note(due)}", style="dim"))
    return due, True


class ActionDialog(FormDialog[ActionRow]):
    """Dismisses with the action's fields as typed and checked, or None."""

    def __init__(
        self,
        *,
        today: date,
        severity: str,
        owners: Sequence[str],
        action: Action | None = None,
        text: str = "",
        answers: Text | None = None,
        save: SaveHook[ActionRow] | None = None,
    ) -> None:
        super().__init__(save)
        self.today = today
        self.severity = severity
        self.owners = list(owners)
        self.action = action
        self.initial_text = action.text if action else text
        self.answers = answers
        self._default_due: date | None = None

    def compose(self) -> ComposeResult:
        """The fields, two or three to a row so the dialog fits a 24-line screen."""
        action = self.action
        with Vertical(classes="dialog form", id="action-form"):
            yield Static("Edit action" if action else "Add an action", classes="dialog-title")
            if self.answers is not None:
                yield Static(self.answers, id="action-answers")
            yield Label("What will be done, and how we will know it is done")
            yield SafeInput(self.initial_text, id="action-text", compact=True)
            with Horizontal(classes="dialog-row"):
                with Vertical(classes="dialog-cell"):
                    yield Label("Owner (one person or team)")
                    yield SafeInput(
                        action.owner if action else "",
                        id="action-owner",
                        compact=True,
                        suggester=SuggestFromList(self.owners, case_sensitive=False),
                    )
                with Vertical(classes="dialog-cell"):
                    yield Label("Due (fri, +2w, end of month…)")
                    yield SafeInput(
                        action.due_date.isoformat() if action and action.due_date else "",
                        id="action-due",
                        compact=True,
                    )
            yield Static("", id="action-due-read")
            with Horizontal(classes="dialog-row"):
                yield self._select("Priority", "action-priority", ACTION_PRIORITIES, "P2")
                yield self._select("Type", "action-type", ACTION_TYPES, "prevent")
                yield self._select("Status", "action-status", ACTION_STATUSES, "open")
            with Horizontal(classes="dialog-row"):
                with Vertical(classes="dialog-cell"):
                    yield Label("Ticket (id or URL)")
                    yield SafeInput(
                        action.ticket if action else "", id="action-ticket", compact=True
                    )
                yield TickBox(
                    "Proposal for the owning team",  # whole in the 80-column form
                    action.proposal if action else False,
                    id="action-proposal",
                    compact=True,
                )
            yield Static(Text(_HELP, style="dim"), id="action-message")
        yield Footer()

    def _select(self, label: str, widget_id: str, values: Sequence[str], default: str) -> Vertical:
        current = getattr(self.action, widget_id.removeprefix("action-"), default)
        return Vertical(
            Label(label),
            Select(
                [(v, v) for v in values],
                value=current,
                allow_blank=False,
                id=widget_id,
                compact=True,
            ),
            classes="dialog-cell",
        )

    def on_mount(self) -> None:
        """Start in the description; a new action gets the severity's default due date."""
        if self.action is None:
            self._apply_default_due()
        self._read_due()
        self.set_focus(self.query_one("#action-text", Input))

    def _apply_default_due(self) -> None:
        priority = str(self.query_one("#action-priority", Select).value)
        due_box = self.query_one("#action-due", Input)
        new_default = default_due(self.severity, priority, self.today)
        # Only replace what the dialog put there itself: a date someone typed stays.
        if due_box.value in ("", self._default_due.isoformat() if self._default_due else ""):
            due_box.value = new_default.isoformat() if new_default else ""
        self._default_due = new_default

    @on(Select.Changed, "#action-priority")
    def _priority_changed(self) -> None:
        if self.action is None:
            self._apply_default_due()

    @on(Input.Changed, "#action-due")
    def _due_changed(self) -> None:
        self._read_due()

    def _read_due(self) -> tuple[date | None, bool]:
        """Show the date the due box names, or why it cannot be read; returns (the date,
        whether the box could be read)."""
        default = self._default_due
        return read_due(
            self.query_one("#action-due", Input).value,
            self.today,
            self.query_one("#action-due-read", Static),
            empty="no due date yet",
            note=lambda due: "  (the default for this priority)" if due == default else "",
        )

    def leave_field(self, field: Widget) -> bool:
        """Enter leaves the description only when it says something, and the due box only
        when its date can be read: the mistake is shown where it was made."""
        if field.id == "action-due":
            return self._due_or_say()[1]
        if field.id == "action-text":
            return self._text_or_say() is not None
        return True

    def _due_or_say(self) -> tuple[date | None, bool]:
        due, readable = self._read_due()
        if not readable:
            self.set_focus(self.query_one("#action-due", Input))
            self.query_one("#action-message", Static).update(
                Text("✗ the due date cannot be read (see above)", style=tone(self, ERROR))
            )
        return due, readable

    def _text_or_say(self) -> str | None:
        text = self.query_one("#action-text", Input).value.strip()
        if not text:
            self.set_focus(self.query_one("#action-text", Input))
            self.query_one("#action-message", Static).update(
                Text("✗ say what will be done", style=tone(self, ERROR))
            )
            return None
        return text

    async def action_save(self) -> None:
        """Check every field and dismiss with them; a bad field keeps the dialog open."""
        due, readable = self._due_or_say()
        if not readable:
            return
        text = self._text_or_say()
        if text is None:
            return
        row = ActionRow(
            text=text,
            owner=self.query_one("#action-owner", Input).value.strip(),
            due_date=due,
            priority=str(self.query_one("#action-priority", Select).value),
            type=str(self.query_one("#action-type", Select).value),
            status=str(self.query_one("#action-status", Select).value),
            ticket=self.query_one("#action-ticket", Input).value.strip(),
            proposal=self.query_one("#action-proposal", Checkbox).value,
        )
        await self.submit(row)

    @on(Input.Changed, "#action-text")
    @on(Input.Changed, "#action-owner")
    def _check_smart(self) -> None:
        """Say as it is typed what the SMART check will mark (it never blocks)."""
        due, _ = self._read_due()
        probe = ActionRow(
            text=self.query_one("#action-text", Input).value,
            owner=self.query_one("#action-owner", Input).value,
            due_date=due,
        )
        gaps = [g for g in smart_gaps(probe, self.today, self.owners) if g.code != "no_due_date"]
        message = Text(_HELP, style="dim")
        if gaps:
            message = Text("⚠ ", style=tone(self, WARNING))
            message.append_text(literal(gaps[0].explain))
        self.query_one("#action-message", Static).update(message)


async def new_action(
    screen: Screen[Any],
    context: MeetingContext,
    links: ActionLinks,
    answers: Text,
    then: Callable[[Action], Awaitable[object]],
) -> None:
    """Ask for a new action answering `links` (a why-node or a factor), save it, then call
    `then` with it: the 5 Whys and factors stages' one-key "new action"."""
    gateway, session_id = context.gateway, context.session_id

    def facts(tx: Unit) -> tuple[PostmortemSession, list[Attendee]]:
        return tx.sessions.get(session_id), tx.attendees.of(session_id)

    try:
        session, people = await gateway.read(facts)
    except Refusal as exc:
        screen.notify(printable(str(exc)), severity="error", markup=False)
        return

    async def save(row: ActionRow) -> None:
        await then(await gateway.write(lambda tx: tx.actions.add(session_id, row, links)))

    screen.app.push_screen(
        ActionDialog(
            today=today_in(session.timezone, context.clock()),
            severity=session.severity,
            owners=owners_of(people),
            answers=answers,
            save=save,
        )
    )
