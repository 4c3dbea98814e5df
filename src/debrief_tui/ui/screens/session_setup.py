"""Session setup: the incident's facts and the attendees with their roles.

Every confirmed edit (Enter in a box, leaving a changed box, picking from a list) is validated
and committed at once; invalid input shows a message next to the field and saves nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    DataTable,
    Footer,
    Input,
    Label,
    Select,
    Static,
    TabbedContent,
    TabPane,
)

from debrief_tui.core.errors import InputError, NotFound, Refusal
from debrief_tui.core.reference import DETECTION_METHODS, STATUSES, severities
from debrief_tui.core.sessions import FACT_FIELDS, FIELDS_BY_NAME, FactField, parse_fact
from debrief_tui.core.text import escape_controls
from debrief_tui.core.timeline import (
    format_input,
    format_links,
    format_when,
    parse_links,
    zone_abbreviation,
)
from debrief_tui.paths import styles_path
from debrief_tui.ui.dialogs.attendee import AttendeeDialog, AttendeeValues
from debrief_tui.ui.dialogs.confirm import ConfirmDialog
from debrief_tui.ui.dialogs.seen_before import SeenBeforeDialog, seen_before_summary
from debrief_tui.ui.literal import literal
from debrief_tui.ui.refusal import attempt, removed
from debrief_tui.ui.tones import HEADER_MUTED, OK, tone
from debrief_tui.ui.widgets.safe_input import SafeInput

if TYPE_CHECKING:
    from debrief_tui.core.clock import Clock
    from debrief_tui.core.persistence import Attendee, Gateway, PostmortemSession
    from debrief_tui.core.sessions import Match
    from debrief_tui.core.timeline import LinkRow


_CHOICES: dict[str, list[tuple[str, str]]] = {
    "status": [(s, s) for s in STATUSES],
    "detection_method": [(d, d) for d in DETECTION_METHODS],
}


def _display(row: PostmortemSession, field: FactField) -> str:
    """A fact's value as it appears in its input box."""
    value = getattr(row, field.name)
    if value is None:
        return ""
    if field.kind == "time":
        return format_input(value, row.timezone)
    # As SafeInput shows it, so an untouched box compares equal and is never re-saved.
    return escape_controls(str(value))


_LABEL_WIDTH = max(cell_len(field.label) for field in FACT_FIELDS) + 1
"""The labels' column: the longest label and a space, so that no label is cut (the labels
come from the fact list, which teams may extend)."""


class AttendeeTable(DataTable[Text]):
    """The attendee list; its keys only apply while it has focus."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "screen.add_attendee", "Add attendee", id="add-attendee"),
        Binding("e", "screen.edit_attendee", "Edit attendee", id="edit-attendee"),
        Binding("enter", "screen.edit_attendee", "Edit attendee", show=False),
        Binding("d", "screen.delete_attendee", "Remove attendee", id="delete-attendee"),
    ]


class SessionSetupScreen(Screen[None]):
    """Edit one session's incident facts and attendees."""

    CSS_PATH = styles_path("session_setup.tcss")

    BINDINGS: ClassVar[list[BindingType]] = [
        # Esc goes back where setup was opened from; the footer names that place.
        Binding("escape", "back", "Sessions", id="back"),
        Binding("escape", "back_to_meeting", "Meeting", id="back-to-meeting"),
        Binding("f2", "show_tab('tab-facts')", "Facts", id="facts", priority=True),
        Binding("f3", "show_tab('tab-attendees')", "Attendees", id="attendees", priority=True),
        Binding("ctrl+o", "open_links", "Open link", id="open-session-link"),
        Binding("f4", "seen_before", "Seen before", id="setup-seen-before", priority=True),
    ]

    def __init__(
        self,
        gateway: Gateway,
        session: PostmortemSession,
        focus: str | None,
        clock: Clock,
        *,
        from_meeting: bool = False,
    ) -> None:
        super().__init__()
        self.from_meeting = from_meeting
        """Opened with f2 from a meeting (Esc goes back to it), not from the session list."""
        assert session.id is not None
        self.gateway = gateway
        self.session_id = session.id
        self.focus_on = focus  # "attendees" or a fact's name: where a checklist line sent us
        self.session = session
        self.clock = clock
        self.attendees: list[Attendee] = []
        self.links: list[LinkRow] = []
        """The session's own links, as stored."""
        self.seen: list[Match] = []
        """Past sessions like this one (by services affected and title), for the f4 list."""

    def compose(self) -> ComposeResult:
        """Title bar, the two tabs, a status line and the footer."""
        yield Static(id="setup-title")
        with TabbedContent(id="setup-tabs"):
            with TabPane("Facts (f2)", id="tab-facts"), VerticalScroll(id="facts"):
                for field in FACT_FIELDS:
                    yield from self._fact_row(field)
                yield from self._links_row()
            with TabPane("Attendees (f3)", id="tab-attendees"):
                yield AttendeeTable(id="attendees", cursor_type="row", zebra_stripes=True)
                yield Static("", id="attendees-empty")
        yield Static("", id="setup-seen")
        yield Static("", id="setup-status")
        yield Footer()

    def _fact_row(self, field: FactField) -> ComposeResult:
        with Horizontal(classes="fact-row"):
            label = Label(field.label, classes="fact-label")
            label.styles.width = _LABEL_WIDTH
            yield label
            value = _display(self.session, field)
            widget: Input | Select[str]
            if field.name == "severity":
                widget = Select(
                    [(f"{s.key} · {s.name}", s.key) for s in severities()],
                    value=value,
                    allow_blank=False,
                    compact=True,
                )
            elif field.name in _CHOICES:
                widget = Select(
                    _CHOICES[field.name],
                    value=value or Select.NULL,
                    allow_blank=field.name == "detection_method",
                    compact=True,
                )
            else:
                widget = SafeInput(value, compact=True, hint=self._hint_text(field))
            widget.id = f"fact-{field.name}"
            yield widget
            yield Static(self._hint(field), id=f"hint-{field.name}", classes="fact-hint")
        error = Static("", id=f"err-{field.name}", classes="field-error")
        error.styles.padding = (0, 0, 0, _LABEL_WIDTH)  # under the box, not the label
        yield error

    def _links_row(self) -> ComposeResult:
        """The session's links: dashboards, recordings, the chat channel (ctrl+o opens)."""
        with Horizontal(classes="fact-row"):
            label = Label("Links", classes="fact-label")
            label.styles.width = _LABEL_WIDTH
            yield label
            # Read with the attendees: until then nothing typed here could replace them.
            box = SafeInput(compact=True, hint="Grafana https://…  chat https://…", id="fact-links")
            box.disabled = True
            yield box
            yield Static("", id="hint-links", classes="fact-hint")
        error = Static("", id="err-links", classes="field-error")
        error.styles.padding = (0, 0, 0, _LABEL_WIDTH)
        yield error

    def _hint_text(self, field: FactField) -> str:
        if field.kind == "time":
            return "YYYY-MM-DD HH:MM [ZONE]"
        if field.kind == "count":
            return "a whole number"
        return ""

    def _hint(self, field: FactField) -> Text:
        if field.kind == "time":
            # The zone's abbreviation at that moment (CET or CEST), or now for an empty box.
            moment = getattr(self.session, field.name) or self.clock()
            return Text(zone_abbreviation(moment, self.session.timezone), style="dim")
        return Text("")

    def on_mount(self) -> None:
        """Fill the title bar and the attendee table; start in the first fact."""
        table = self.query_one(AttendeeTable)
        table.add_column("Name", key="name")
        table.add_column("Team", key="team")
        table.add_column("Role", key="role", width=18)
        self._update_title()
        self.run_worker(self._load_attendees(), group="attendees", exclusive=True)
        self.run_worker(self._load_links(), group="links", exclusive=True)
        self._read_seen_before()
        # The facts panel, not a box inside it: the values read from their start, and Tab
        # enters the first box. Focus is set at once so keys typed ahead are not misrouted.
        self.set_focus(self.query_one("#facts", VerticalScroll))
        if self.focus_on == "attendees":
            self.action_show_tab("tab-attendees")
        elif self.focus_on and self.query(f"#fact-{self.focus_on}"):
            self.set_focus(self.query_one(f"#fact-{self.focus_on}"))

    def _update_title(self) -> None:
        row = self.session
        muted = tone(self, HEADER_MUTED)
        self.query_one("#setup-title", Static).update(
            Text.assemble(
                (f"#{row.id} ", muted),
                (row.severity, "bold"),
                (" · ", muted),
                row.status,
                (" · ", muted),
                literal(row.title, "bold"),
                overflow="ellipsis",
                no_wrap=True,
            )
        )

    # Facts --------------------------------------------------------------------------------

    @on(Input.Submitted, ".fact-row Input")
    async def _fact_submitted(self, event: Input.Submitted) -> None:
        box = event.input
        await self._save_fact(box, quiet_if_unchanged=True)
        # Enter saves the fact and moves to the next one, as Enter walks every form; a value
        # refused keeps the cursor where it can be put right.
        name = (box.id or "").removeprefix("fact-")
        fields = list(self.query(".fact-row Input, .fact-row Select"))
        refused = self.query_one(f"#err-{name}").has_class("-shown")
        if not refused and self.focused is box and box in fields[:-1]:
            self.set_focus(fields[fields.index(box) + 1])

    @on(Input.Blurred, ".fact-row Input")
    async def _fact_blurred(self, event: Input.Blurred) -> None:
        # Leaving a box with a change counts as confirming it, so nothing typed is lost.
        await self._save_fact(event.input, quiet_if_unchanged=True)
        # Show a long value from its start again once the cursor has left it.
        event.input.cursor_position = 0

    @on(Select.Changed, ".fact-row Select")
    async def _choice_changed(self, event: Select.Changed) -> None:
        name = (event.select.id or "").removeprefix("fact-")
        value = "" if event.value is Select.NULL else str(event.value)
        if value != (getattr(self.session, name) or ""):
            await self._commit(name, value)

    async def _save_fact(self, box: Input, quiet_if_unchanged: bool = False) -> None:
        name = (box.id or "").removeprefix("fact-")
        if name == "links":
            await self._save_links(box)
            return
        field = FIELDS_BY_NAME[name]
        if quiet_if_unchanged and box.value == _display(self.session, field):
            self._clear_error(name)
            return
        await self._commit(name, box.value)

    async def _commit(self, name: str, text: str) -> None:
        field = FIELDS_BY_NAME[name]
        error = self.query_one(f"#err-{name}", Static)
        try:
            value = parse_fact(name, text, self.session.timezone)
            session_id = self.session_id
            self.session = await self.gateway.write(
                lambda tx: tx.sessions.update(session_id, **{name: value})
            )
        except NotFound:
            self.notify("This session was deleted elsewhere.", severity="error")
            return
        except Refusal as exc:
            error.update(Text(f"  ✗ {exc} — not saved"))
            error.add_class("-shown")
            return
        self._clear_error(name)
        self._refresh_after_save(field)
        shown = _display(self.session, field)
        if field.kind == "time" and shown:
            shown = format_when(getattr(self.session, name), self.session.timezone)
        self.query_one("#setup-status", Static).update(
            Text.assemble(
                ("✓ saved ", tone(self, OK)), field.label, ": ", literal(shown or "(empty)")
            )
        )

    @work(group="seen-before", exclusive=True)
    async def _read_seen_before(self) -> None:
        """Past sessions sharing this one's services or title words, in one line (f4 lists
        them): whoever types the services affected sees at once what happened before."""
        session_id = self.session_id
        seen = await attempt(self, self.gateway.read(lambda tx: tx.history.seen_before(session_id)))
        if seen is None:
            return
        self.seen = seen
        line = self.query_one("#setup-seen", Static)
        if seen:
            line.update(seen_before_summary(seen).append(" · f4 lists them", style="dim"))
        line.display = bool(seen)

    def action_seen_before(self) -> None:
        """List the past sessions like this one, with their actions."""
        self.app.push_screen(SeenBeforeDialog(self.session_id, self.seen))

    def _clear_error(self, name: str) -> None:
        error = self.query_one(f"#err-{name}", Static)
        error.update("")
        error.remove_class("-shown")

    def _refresh_after_save(self, field: FactField) -> None:
        if field.name in ("title", "services_affected"):
            self._read_seen_before()
        if field.name in ("title", "severity", "status", "timezone"):
            self._update_title()
        # A new zone changes how every time reads; otherwise only the saved box changes.
        fields = [f for f in FACT_FIELDS if f.kind == "time"] if field.kind == "zone" else [field]
        for each in fields:
            widget = self.query_one(f"#fact-{each.name}")
            if isinstance(widget, Input):
                widget.value = _display(self.session, each)
            self.query_one(f"#hint-{each.name}", Static).update(self._hint(each))

    # Links --------------------------------------------------------------------------------

    async def _load_links(self) -> None:
        session_id = self.session_id
        links = await attempt(self, self.gateway.read(lambda tx: tx.links.of_session(session_id)))
        if links is None:
            return
        self.links = links
        box = self.query_one("#fact-links", Input)
        box.value = format_links(links)
        box.cursor_position = 0
        box.disabled = False

    async def _save_links(self, box: Input) -> None:
        error = self.query_one("#err-links", Static)
        try:
            links = parse_links(box.value)
        except InputError as exc:
            error.update(Text(f"  ✗ {exc} — not saved"))
            error.add_class("-shown")
            error.scroll_visible()  # the last row: its message is below the fold
            return
        if list(links) == self.links:
            self._clear_error("links")
            return
        session_id = self.session_id
        done = await attempt(
            self, self.gateway.write(lambda tx: tx.links.set_for_session(session_id, links))
        )
        if done is None:
            return  # refused: shown, and the box keeps what was typed
        self.links = list(links)
        self._clear_error("links")
        box.value = format_links(self.links)
        self.query_one("#setup-status", Static).update(
            Text.assemble(("✓ saved ", tone(self, OK)), f"Links: {len(links)}")
        )

    def action_open_links(self) -> None:
        """Open one of the session's links (and copy it)."""
        from debrief_tui.ui.dialogs.link_picker import LinkPicker
        from debrief_tui.ui.links import open_link

        if not self.links:
            self.notify("No links yet: type them in the Links box (a dashboard, the chat…).")
            return

        def chosen(url: str | None) -> None:
            if url:
                self.notify(f"{open_link(self.app, url)}: {url}", markup=False)

        if len(self.links) == 1:
            chosen(self.links[0].url)
        else:
            self.app.push_screen(LinkPicker("Links of this incident", self.links), chosen)

    # Attendees ----------------------------------------------------------------------------

    async def _load_attendees(self, select_id: int | None = None) -> None:
        session_id = self.session_id
        people = await attempt(self, self.gateway.read(lambda tx: tx.attendees.of(session_id)))
        if people is None:
            return
        self.attendees = people
        table = self.query_one(AttendeeTable)
        table.clear()
        for person in self.attendees:
            table.add_row(
                literal(person.name), literal(person.team), Text(person.role), key=str(person.id)
            )
        if select_id is not None:
            table.move_cursor(row=table.get_row_index(str(select_id)))
        self.query_one("#attendees-empty", Static).update(
            "" if self.attendees else "No attendees yet. Press a to add the first one."
        )
        self.refresh_bindings()

    def _selected_attendee(self) -> Attendee | None:
        table = self.query_one(AttendeeTable)
        if not self.attendees or not 0 <= table.cursor_row < len(self.attendees):
            return None
        return self.attendees[table.cursor_row]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Editing and removing need an attendee under the cursor; Esc is named for where it
        goes back to."""
        if action in ("edit_attendee", "delete_attendee"):
            return self._selected_attendee() is not None or None
        if action in ("back", "back_to_meeting"):
            return (action == "back_to_meeting") == self._from_meeting()
        return True

    def _from_meeting(self) -> bool:
        """Whether setup was opened from a meeting (f2) rather than the session list."""
        return self.from_meeting

    async def action_back_to_meeting(self) -> None:
        """Back to the meeting (saving the box being edited first)."""
        await self.action_back()

    @on(DataTable.RowSelected, "#attendees")
    def _attendee_clicked(self) -> None:
        # Keyboard Enter is the table's own binding; this is a mouse click on a row.
        self.action_edit_attendee()

    def action_add_attendee(self) -> None:
        """Ask for a new attendee and save them."""
        self.action_show_tab("tab-attendees")

        session_id = self.session_id

        async def save(values: AttendeeValues) -> None:
            person = await self.gateway.write(
                lambda tx: tx.attendees.add(session_id, values.name, values.team, values.role)
            )
            await self._load_attendees(person.id)
            self.query_one("#setup-status", Static).update(
                Text.assemble(
                    ("✓ added ", tone(self, OK)), literal(values.name), f" ({values.role})"
                )
            )

        self.app.push_screen(AttendeeDialog("Add attendee", save=save))

    def action_edit_attendee(self) -> None:
        """Edit the selected attendee."""
        person = self._selected_attendee()
        if person is None or person.id is None:
            return
        person_id = person.id

        async def save(values: AttendeeValues) -> None:
            await self.gateway.write(
                lambda tx: tx.attendees.update(person_id, values.name, values.team, values.role)
            )
            await self._load_attendees(person_id)
            self.query_one("#setup-status", Static).update(
                Text.assemble(("✓ saved ", tone(self, OK)), literal(values.name))
            )

        initial = AttendeeValues(person.name, person.team, person.role)
        self.app.push_screen(AttendeeDialog("Edit attendee", initial, save))

    def action_delete_attendee(self) -> None:
        """Remove the selected attendee after confirmation."""
        person = self._selected_attendee()
        if person is None or person.id is None:
            return
        person_id, name = person.id, person.name

        async def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            if not await removed(
                self, self.gateway.write(lambda tx: tx.attendees.delete(person_id))
            ):
                return
            await self._load_attendees()
            self.query_one("#setup-status", Static).update(
                Text.assemble(("✓ removed ", tone(self, OK)), literal(name))
            )

        question = Text.assemble("Remove ", literal(name, "bold"), " from this session?")
        self.app.push_screen(ConfirmDialog(question, confirm_label="Remove"), confirmed)

    # Navigation ---------------------------------------------------------------------------

    def action_show_tab(self, tab: str) -> None:
        """Switch to the facts or the attendees tab and focus its content."""
        self.query_one(TabbedContent).active = tab
        if tab == "tab-attendees":
            self.set_focus(self.query_one(AttendeeTable))
        else:
            self.set_focus(self.query_one("#facts", VerticalScroll))

    async def action_back(self) -> None:
        """Back to where setup was opened from (saving the box being edited first); the
        caller decides what to show then."""
        focused = self.focused
        if isinstance(focused, Input) and focused.id and focused.id.startswith("fact-"):
            await self._save_fact(focused, quiet_if_unchanged=True)
        self.dismiss(None)
