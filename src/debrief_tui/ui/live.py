"""This seat among others on one meeting: who sits where, and catching up with what the other
seats commit.

The gateway's watcher hands over the change-log rows other seats wrote (`Changed`); each says
which kind of item changed, so this seat reloads only that: the minutes it lacks, the session's
facts, the stage screen on show (keeping its selection), or the room. A facilitator's move to
another stage is followed here; the note-taker's own moves stay its own.
"""

from __future__ import annotations

import getpass
import os
import socket
from typing import TYPE_CHECKING

from textual.message import Message

from debrief_tui.core.errors import Unavailable
from debrief_tui.core.meeting import FACILITATOR, NOTE_TAKER, QuietLog, spent_by_stage
from debrief_tui.core.persistence import GatewayStageLog
from debrief_tui.ui.refusal import attempt

if TYPE_CHECKING:
    from textual.worker import Worker

    from debrief_tui.core.meeting import StageLog
    from debrief_tui.core.persistence import Change, Seat, Unit
    from debrief_tui.ui.app import DebriefApp


def seat_name() -> str:
    """How this seat is named to the others: `DEBRIEF_SEAT`, else user@host."""
    named = os.environ.get("DEBRIEF_SEAT", "").strip()
    if named:
        return named[:60]
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container)
        user = "someone"
    return f"{user}@{socket.gethostname()}"


class Changed(Message):
    """Other seats committed these changes (posted from the watcher's thread)."""

    def __init__(self, changes: list[Change]) -> None:
        super().__init__()
        self.changes = changes


class LiveSeat:
    """This seat: its id, role and name, its place in the room, and catching up."""

    def __init__(self, app: DebriefApp, seat_id: str, role: str) -> None:
        self.app = app
        self.id = seat_id
        self.role = role
        self.name = seat_name()
        self.seats: list[Seat] = []
        """Who is at this meeting, this seat included, as last read."""
        self._follow: int | None = None
        self._heard: list[Change] = []
        self._catching_up: Worker[None] | None = None

    # Sitting down ------------------------------------------------------------------------

    def sit(self, session_id: int | None) -> None:
        """Say where this seat is (a meeting, or the session list), then read who else is."""
        seat_id, role, name = self.id, self.role, self.name
        self.app.gateway.record(lambda tx: tx.seats.join(seat_id, session_id, role, name))
        if session_id is not None:
            self.app.run_worker(self.read_room(session_id), group="room")

    def beat(self) -> None:
        """Say this seat is still here (every SEAT_BEAT_SECONDS); with the room shown, read
        who else still is (a seat that stopped saying so, its process killed, drops off)."""
        from debrief_tui.ui.screens.stage import StageScreen

        seat_id, app = self.id, self.app
        app.gateway.record(lambda tx: tx.seats.beat(seat_id))
        screen = app.screen if app.screen_stack else None
        if app.context is not None and isinstance(screen, StageScreen) and screen.room_shown:
            app.run_worker(self.read_room(app.context.session_id), group="room")

    def stage_log(self) -> StageLog:
        """Where this seat records the meeting's stage and time: the facilitator's seat
        records them; the note-taker's follows and records nothing."""
        if self.role == NOTE_TAKER:
            return QuietLog()
        return GatewayStageLog(self.app.gateway)

    def sit_as(self, role: str) -> None:
        """Change this seat's role (from the palette: a browser's seat opens as facilitator)."""
        from debrief_tui.ui.screens.stage import StageScreen

        self.role, app, context = role, self.app, self.app.context
        if context is None:
            return
        context.meeting.record_with(self.stage_log())
        self.sit(context.session_id)
        if isinstance(app.screen, StageScreen):
            app.screen.set_focus(app.screen.focus_target())
        app.notify(f"This seat is the {role} now.", timeout=3, markup=False)

    def leave(self) -> None:
        """Get up (queued: the gateway writes it before it closes)."""
        seat_id = self.id
        self.app.gateway.record(lambda tx: tx.seats.leave(seat_id))

    async def read_room(self, session_id: int) -> None:
        """Read who is at the meeting (and who spoke during the incident, from the timeline)
        and redraw the room panel."""

        def room(tx: Unit) -> tuple[list[Seat], dict[str, int]]:
            return tx.seats.present(session_id), tx.timeline.voices(session_id)

        read = await attempt(self.app, self.app.gateway.read(room))
        if read is not None:
            self.seats, voices = read
            context = self.app.context
            if context is not None and context.session_id == session_id:
                context.voices = voices
            self.app.redraw_room()

    async def keep_as_minute(self, text: str) -> bool:
        """Save text as a minute of the stage on show (what was typed into an item another
        seat deleted meanwhile); True once it is saved."""
        context = self.app.context
        if context is None:
            raise Unavailable("no meeting is open to take the minute")
        await context.book.add(context.meeting.stage.key, [text])
        self.app.redraw_room()
        return True

    # Catching up -------------------------------------------------------------------------

    def heard(self, changes: list[Change]) -> None:
        """Take changes other seats made, to show them in order, in a worker of their own:
        the app's queue (the keys typed here) never waits on a catch-up's read, and changes
        that arrive during one are caught up with together."""
        self._heard.extend(changes)
        if self._catching_up is None or self._catching_up.is_finished:
            self._catching_up = self.app.run_worker(self._catch_up_all(), group="catch-up")

    async def _catch_up_all(self) -> None:
        while self._heard:
            changes, self._heard = self._heard, []
            await self.catch_up(changes)

    async def catch_up(self, changes: list[Change]) -> None:
        """Show what other seats changed: reload only the kinds of item they touched."""
        from debrief_tui.ui.screens.stage import StageScreen

        app, context = self.app, self.app.context
        if not app.screen_stack:
            return  # quitting
        if context is None:
            await self._refresh_list(changes)
            return
        session_id = context.session_id
        mine = [c for c in changes if c.session_id in (None, session_id)]
        kinds = {change.kind for change in mine}
        if not kinds:
            return
        if any(c.kind == "session" and c.op == "delete" and c.row_id == session_id for c in mine):
            app.notify("This session was deleted in another seat.", severity="error", timeout=8)
            app.action_sessions()
            return
        if "minute" in kinds:
            ids = {c.row_id for c in mine if c.kind == "minute"}
            changed = None if None in ids else {i for i in ids if i is not None}
            await attempt(app, context.book.catch_up(changed))
            app.redraw_room()
        if kinds & {"session", "attendee"}:
            await app.refresh_facts()
        if kinds & {"seat", "timeline"}:  # the timeline says who spoke in the incident
            await self.read_room(session_id)
        if "stage" in kinds:
            await self._stage_moved([c for c in mine if c.kind == "stage"][-1])
        screen = app.screen if app.screen_stack else None
        if isinstance(screen, StageScreen) and screen.ready and kinds & screen.LIVE_KINDS:
            screen.load()

    async def _refresh_list(self, changes: list[Change]) -> None:
        from debrief_tui.ui.screens.follow_ups import FollowUpsScreen
        from debrief_tui.ui.screens.session_list import SessionListScreen

        screen = self.app.screen
        if isinstance(screen, SessionListScreen) and any(c.kind == "session" for c in changes):
            screen.reload()
        if isinstance(screen, FollowUpsScreen) and {c.kind for c in changes} & screen.LIVE_KINDS:
            screen.reload()

    async def _stage_moved(self, change: Change) -> None:
        """A seat moved the meeting: follow a facilitator (the note-taker's moves are its own)."""
        context = self.app.context
        assert context is not None
        session_id = context.session_id

        def where(tx: Unit) -> tuple[str | None, str | None, dict[str, float]]:
            stage = tx.sessions.get(session_id).current_stage
            return stage, tx.seats.role_of(change.seat), spent_by_stage(tx.meeting.runs(session_id))

        found = await attempt(self.app, self.app.gateway.read(where))
        if found is None or found[1] != FACILITATOR or self.app.context is not context:
            return
        stage, _role, spent = found
        meeting = context.meeting
        index = meeting.agenda.index_of(stage)
        if index != meeting.index:
            self._follow = index
            await self.follow_now()
            title = meeting.agenda.stages[index].title
            who = "Facilitator" if self.role == NOTE_TAKER else "The other facilitator"
            # Short: a facilitator stepping through stages would stack them over the screen.
            self.app.notify(f"{who} moved to {title}.", timeout=2, markup=False)
        if self.role == NOTE_TAKER:
            meeting.catch_up(spent)

    @property
    def following(self) -> bool:
        """Whether a facilitator's move waits to be followed (a dialog was open)."""
        return self._follow is not None

    async def follow_now(self) -> None:
        """Go to the stage a facilitator moved to, once no dialog is open over the stage
        (the app asks again every second until then)."""
        from debrief_tui.ui.screens.stage import StageScreen

        index, context = self._follow, self.app.context
        if index is None or context is None or not isinstance(self.app.screen, StageScreen):
            return
        self._follow = None
        await self.app.show_stage(StageScreen.GoToStage(index))
