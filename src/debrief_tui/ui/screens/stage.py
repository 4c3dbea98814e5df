"""A stage of the meeting: header, the facilitator's prompts, the stage's content, the minutes.

One screen per agenda stage. Stage navigation, the timer, parking and the presenter view are
priority keys, so they work while a minute is being typed.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Static, TextArea

from debrief_tui.core.meeting import NOTE_TAKER
from debrief_tui.ui.first_frame import after_first_frame
from debrief_tui.ui.literal import literal
from debrief_tui.ui.screens.meeting_keys import MEETING_KEYS
from debrief_tui.ui.screens.stage_data import StageData
from debrief_tui.ui.screens.typing_guard import Held, KeyBurst
from debrief_tui.ui.widgets.meeting_header import MeetingHeader
from debrief_tui.ui.widgets.minutes_list import MinutesList
from debrief_tui.ui.widgets.minutes_pane import MinutesPane

if TYPE_CHECKING:
    from debrief_tui.core.meeting import Stage
    from debrief_tui.ui.meeting_context import MeetingContext


SHORT_BELOW = 32
"""Fewer rows than this and a stage screen is short (class `-short`)."""


class StageScreen(StageData):
    """One agenda stage: its prompts and the minutes, under the meeting header."""

    BINDINGS: ClassVar[list[BindingType]] = MEETING_KEYS
    LIVE_KINDS: ClassVar[frozenset[str]] = frozenset()
    """The kinds of change (another seat's) that this stage shows and reloads for."""

    class GoToStage(Message):
        """Ask the app to show another stage: stage `index`, or `step` stages on from the one
        the meeting is on when the app gets to this message."""

        def __init__(
            self, index: int = 0, step: int | None = None, item: tuple[str, int] | None = None
        ) -> None:
            super().__init__()
            self.index = index
            self.step = step
            self.item = item  # (kind, row id) to select there, as a checklist line asks

    class OpenSetup(Message):
        """Ask the app to show the session setup (on a fact, or the attendees)."""

        def __init__(self, focus: str | None = None) -> None:
            super().__init__()
            self.focus = focus

    class OpenExport(Message):
        """Ask the app to show the export dialog."""

    class Parked(Message):
        """A topic went to the parking lot."""

    def __init__(self, context: MeetingContext, index: int) -> None:
        super().__init__()
        self.context = context
        self.index = index
        self.stage: Stage = context.meeting.agenda.stages[index]
        self._draft = ""
        self._burst = KeyBurst()

    # Layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """Header, prompts, the stage's content and the minutes; the footer and the room panel
        (docked right) are added when first needed."""
        yield MeetingHeader(self.context.meeting, self.context.title, id="meeting-header")
        yield Static(self._prompts(), id="prompts")
        yield from self.compose_content()
        yield MinutesPane(self.context.book, self.stage.key, self.context.zone_name, id="minutes")

    def compose_content(self) -> ComposeResult:
        """The stage's own content between the prompts and the minutes (none by default)."""
        yield from ()

    def _prompts(self) -> Text:
        text = Text()
        # Spaced out when projected on a stage of prompts only: each reads as its own line
        # from the back (a stage with a table needs the rows).
        gap = "\n\n" if self.context.presenter and self.has_class("-no-content") else "\n"
        for prompt in self.stage.prompts:
            text.append("▸ ", style="bold")
            text.append_text(literal(prompt))
            text.append(gap)
        text.rstrip()
        return text or Text("(no prompts for this stage)", style="dim")

    def main_widget(self) -> Widget:
        """What gets focus when the stage opens: the minutes box by default."""
        return self.query_one(MinutesPane).input

    def focus_target(self) -> Widget:
        """Where the cursor goes when the stage shows: the note-taker's seat keeps typing in
        the minutes box (a letter never lands in a list by mistake); else the main widget."""
        live = self.context.live
        if live is not None and live.role == NOTE_TAKER:
            return self.query_one(MinutesPane).input
        return self.main_widget()

    def prepare_content(self) -> None:
        """Set up the stage's own content before its first snapshot; called once, as the
        screen mounts.

        Stages override this rather than `on_mount`: Textual calls the `on_mount` of every
        class in the hierarchy, so an override calling `super()` would run it twice.
        """

    def on_mount(self) -> None:
        """Prepare the content, then focus the main widget at once, so keys typed right away
        are not lost."""
        # A stage of prompts and minutes only (Ground rules): the presenter view gives the
        # prompts the room a stage's table would have.
        self.set_class(type(self).compose_content is StageScreen.compose_content, "-no-content")
        self._mark_short(self.app.size.height)
        if not self.query(MinutesPane):
            # Mounted as the app closes, its parts never composed (seen at a test's end, a
            # seat following a stage move while it quit): nothing to prepare or show.
            return
        self.prepare_content()
        self._prepared = True
        self.set_focus(self.focus_target())
        self.show_wanted()
        # The footer builds a widget per key and rebuilds when focus settles; mounted just
        # after the first frame, it is built once and the session shows sooner.
        after_first_frame(self, self._mount_footer)

    async def _mount_footer(self) -> None:
        from debrief_tui.ui.widgets.keys_footer import KeysFooter

        if not self.is_attached:
            return  # the app is closing

        await self.mount(KeysFooter(compact=True))
        # The footer draws its keys when the screen announces its bindings; they were
        # announced before it existed, so announce them again.
        self.refresh_bindings()

    def hand_draft_to(self, other: StageScreen) -> None:
        """Move a half-typed minute to the stage the meeting moves to.

        Runs in the box's own queue, after any keys already on their way to it, so those
        come along too and in order.
        """
        box = self.query_one(MinutesPane).input

        def move() -> None:
            if box.value:
                other.take_draft(box.value)
                box.value = ""

        box.call_later(move)

    def take_draft(self, text: str) -> None:
        """Put a half-typed minute in front of whatever is in this stage's box."""
        self._draft += text
        # After the next refresh: a screen shown for the first time is still mounting its
        # box, and the box would reset a value set before it is ready.
        self.call_after_refresh(self._apply_draft)

    def _apply_draft(self) -> None:
        if not self._draft:
            return
        box = self.query_one(MinutesPane).input
        box.value = self._draft + box.value
        box.cursor_position = len(box.value)
        self._draft = ""
        # Whoever was typing keeps typing: the box, not the stage's own main widget, has focus.
        self.set_focus(box)

    def on_screen_resume(self) -> None:
        """Read the stage's snapshot for this visit, and catch up with the meeting."""
        self._apply_presenter()
        self.refresh_view()
        if not self._covered or self.focused is None:
            # Back from a dialog, the cursor goes back where it was (editing a minute from the
            # list leaves it in the list, not in a table a next key would act on).
            self.set_focus(self.focus_target())
        self._covered = False
        self.load()

    def _header(self) -> MeetingHeader | None:
        """The header once the screen has composed it. A tick or the meeting's data can
        arrive between a screen being pushed and its compose (it may already count as
        mounted then), so callers that can come early ask here."""
        found = self.query(MeetingHeader)
        return found.first() if found else None

    def restyle(self) -> None:
        """Draw everything again in the theme shown now (after f3)."""
        self.refresh_view()
        self.query_one(MinutesPane).restyle()
        self.load()

    def refresh_view(self) -> None:
        """Redraw the header and the room panel (once the screen has been composed)."""
        header = self._header()
        if header is None:
            return
        header.session_title = self.context.title
        header.update_view()
        # The session's zone may have been changed in setup: minute times follow it.
        minutes = self.query_one(MinutesPane).list
        if minutes is not None and minutes.zone_name != self.context.zone_name:
            minutes.set_zone(self.context.zone_name)
        self.update_room()

    def tick(self) -> None:
        """Called every second by the app: the timer moves."""
        header = self._header()
        if header is not None:
            header.update_view()

    def update_room(self) -> None:
        from debrief_tui.ui.widgets.room import RoomPanel

        rooms = self.query(RoomPanel)
        if rooms and rooms.first().display:
            live = self.context.live
            seats = [(s.role, s.name, s.id == live.id) for s in live.seats] if live else []
            rooms.first().show_room(
                self.context.people,
                self.context.book.spoken(self.stage.key),
                seats,
                self.context.voices,
            )

    # Minutes ------------------------------------------------------------------------------

    @on(MinutesPane.Saved)
    def _minutes_saved(self) -> None:
        self.update_room()

    @on(MinutesList.EditRequested)
    def _edit_minute(self, event: MinutesList.EditRequested) -> None:
        from debrief_tui.ui.dialogs.text_prompt import TextPrompt

        book, minute = self.context.book, event.minute
        current = f"{minute.author}: {minute.text}" if minute.author else minute.text

        async def save(value: str) -> None:
            await book.edit(minute, value)
            self.update_room()

        self.app.push_screen(
            TextPrompt("Edit minute", "Name: text  (the speaker is optional)", current, save=save)
        )

    @on(MinutesList.DeleteRequested)
    async def _delete_minute(self, event: MinutesList.DeleteRequested) -> None:
        removed = await self.attempt(self.context.book.delete(event.minute))
        if removed is None:
            return
        self.context.undo.push(self.stage.key, removed)
        self.notify("Minute deleted. Press u in the list to undo.", timeout=5)
        self.update_room()

    # Typing into a list -------------------------------------------------------------------

    async def on_key(self, event: events.Key) -> None:
        """A sentence typed while a list or tree has the focus goes to the minutes box; a
        command key is held a moment to tell the two apart (the rules and why: typing_guard).

        Keys reach here after the focused widget had them and before the stage's bindings
        run; a box takes every printable key itself, so those never come here."""
        box = self.query_one(MinutesPane).input
        character = event.character
        if not (event.is_printable and character):
            if self._burst.held:
                await self._run_held()  # in the order pressed: held keys first
            return
        focused = self.focused
        if focused is not box and isinstance(focused, (Input, TextArea)):
            return
        event.stop()
        event.prevent_default()
        if focused is box:
            # Sent to the list just before the box took the focus: it follows the others.
            self._type_into(box, character)
            return
        bound = self.active_bindings.get(event.key)
        if bound is None or not bound.enabled:
            # Nothing here uses it: it starts (or goes on with) a minute.
            self._type_into(box, self._burst.text() + character)
            return
        self._burst.hold(Held(character, bound.binding.action, bound.node))
        if len(self._burst.held) == 1:
            self._run_after_burst()

    def _type_into(self, box: Input, text: str) -> None:
        """Put `text` in the minutes box where its cursor is, and the focus with it; a draft
        left there gets a space before the new words, so two sentences never run together."""
        if self.focused is not box:  # the first key of the burst: the rest follow it
            before = box.value[: box.cursor_position]
            if before and not before[-1].isspace() and not text[:1].isspace():
                text = " " + text
        self.set_focus(box)
        box.insert_text_at_cursor(text)

    @work(group="held-keys")
    async def _run_after_burst(self) -> None:
        """Run the held command keys once the keyboard has been quiet for a burst."""
        while self._burst.held and (wait := self._burst.quiet_for()) > 0:
            await asyncio.sleep(wait)
        await self._run_held()

    async def _run_held(self) -> None:
        for key in self._burst.take():
            await self.app.run_action(key.action, key.namespace)

    def on_screen_suspend(self) -> None:
        """Keys held when the stage is left (f8 right after a letter) are dropped: they
        belonged to this stage's list, and would act on it unseen."""
        self._burst.take()

    # Keys ---------------------------------------------------------------------------------

    def action_focus_minutes(self) -> None:
        """Put the cursor in the minutes box, from anywhere."""
        self.set_focus(self.query_one(MinutesPane).input)

    def action_leave_minutes(self) -> None:
        """From the minutes box back to the stage's own list or tree (a half-typed minute
        stays in the box)."""
        self.set_focus(self.main_widget())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Escape leaves the minutes box only on stages that have something else to go to."""
        if action == "leave_minutes":
            return self.main_widget() is not self.query_one(MinutesPane).input
        meeting = self.context.meeting
        if action == "start_clock":
            return not meeting.started
        if action == "toggle_timer":
            return meeting.started and not meeting.paused
        if action == "resume_timer":
            return meeting.started and meeting.paused
        return super().check_action(action, parameters)

    def action_step(self, step: int) -> None:
        """Go to the previous or next stage."""
        # Relative to where the meeting is when the app handles it: two quick presses of f8
        # go two stages on, even if the second arrives before this screen has been replaced.
        self.post_message(self.GoToStage(step=step))

    def action_start_clock(self) -> None:
        """Start the meeting's clock (a session opened to prepare it waits until then)."""
        if self.context.meeting.start():
            self.notify("Meeting started: the clock is running.", timeout=2)
        self._timer_changed()

    def action_toggle_timer(self) -> None:
        """Pause the stage timer (or resume it, when called from the palette while paused)."""
        meeting = self.context.meeting
        if meeting.paused:
            self.action_resume_timer()
            return
        meeting.pause()
        self.notify("Timer paused. f5 resumes.", timeout=3)
        self._timer_changed()

    def action_resume_timer(self) -> None:
        """Run the stage timer again."""
        self.context.meeting.resume()
        self.notify("Timer running.", timeout=2)
        self._timer_changed()

    def _timer_changed(self) -> None:
        self.query_one(MeetingHeader).update_view()
        self.refresh_bindings()  # f5 now says what it does next

    def action_toggle_room(self) -> None:
        """Show or hide who has spoken in this stage."""
        from debrief_tui.ui.widgets.room import RoomPanel

        rooms = self.query(RoomPanel)
        if not rooms:
            # Built on first use: most stages never open it.
            # Beside the minutes: the header and the prompts keep the full width.
            self.query_one(MinutesPane).mount(RoomPanel(id="room"))
            self.call_after_refresh(self.update_room)
            return
        room = rooms.first()
        room.display = not room.display
        self.update_room()

    @property
    def room_shown(self) -> bool:
        """Whether the room panel (f6) is on screen."""
        from debrief_tui.ui.widgets.room import RoomPanel

        rooms = self.query(RoomPanel)
        return bool(rooms) and rooms.first().display

    def action_toggle_presenter(self) -> None:
        """Switch between the presenter view and the working view (all stages follow)."""
        self.context.presenter = not self.context.presenter
        self._apply_presenter()

    def on_resize(self, event: events.Resize) -> None:
        """Follow the window's height (see `_mark_short`)."""
        self._mark_short(event.size.height)

    def _mark_short(self, height: int) -> None:
        # A short window (80x24) gives the prompts and hints fewer rows, the stage's rows
        # first. Set here, before the first layout, rather than by Textual's breakpoints,
        # which add the class after it and lay the whole screen out again at start-up.
        self.set_class(height < SHORT_BELOW, "-short")

    def _apply_presenter(self) -> None:
        if self.context.presenter:
            self.query_one(MeetingHeader).show_big()
        if self.has_class("-presenter") != self.context.presenter:
            self.query_one("#prompts", Static).update(self._prompts())
        self.set_class(self.context.presenter, "-presenter")

    def action_setup(self) -> None:
        """Edit the session's facts and attendees."""
        self.post_message(self.OpenSetup())

    def action_export(self) -> None:
        """Export the session: the postmortem, the minutes, the actions, the calendar."""
        self.post_message(self.OpenExport())

    def selected_topic(self) -> str | None:
        """The selected item of the stage's content, offered (selected, so typing replaces it)
        when f9 asks for a topic; none by default."""
        return None

    def action_park(self) -> None:
        """Park the line being typed, or the selected minute while the list has focus; with
        neither, ask for the topic (as the README says).

        The highlighted row of the stage's own table is never parked without asking: it is
        only offered in the question, so a stray f9 cannot park an event nobody meant.
        """
        from debrief_tui.ui.dialogs.text_prompt import TextPrompt

        box = self.query_one(MinutesPane).input
        topic = box.value.strip()
        if topic:
            box.value = ""
        else:
            focused = self.focused
            selected = focused.selected() if isinstance(focused, MinutesList) else None
            topic = selected.text if selected else ""
        if topic:
            self.call_later(self._park, topic)
            return

        def asked(text: str | None) -> None:
            if text:
                self.call_later(self._park, text)

        offered = "" if isinstance(self.focused, MinutesList) else self.selected_topic() or ""
        self.app.push_screen(
            TextPrompt(
                "Park a topic", "What should the room come back to later?", offered, select=True
            ),
            asked,
        )

    async def _park(self, topic: str) -> None:
        session_id, stage = self.context.session_id, self.stage.key
        if await self.write(lambda tx: tx.parking.add(session_id, topic, stage)) is None:
            return
        self.notify(Text.assemble("Parked: ", literal(topic)).plain, markup=False, timeout=4)
        self.post_message(self.Parked())
