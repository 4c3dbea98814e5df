"""How a stage reaches its data: reads and writes through the gateway (never SQL on the event
loop), the one way a refusal is shown, the meeting's one undo, and selecting a row a checklist
line points at once the stage has loaded it."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual import work
from textual.css.query import NoMatches
from textual.screen import Screen

from debrief_tui.ui.refusal import attempt
from debrief_tui.ui.undo import ImportedEvents, MilestoneChange
from debrief_tui.ui.widgets.minutes_pane import MinutesPane

if TYPE_CHECKING:
    from debrief_tui.core.meeting import Stage
    from debrief_tui.core.persistence import Job, Minute, Removed
    from debrief_tui.ui.meeting_context import MeetingContext

_T = TypeVar("_T")


class StageData(Screen[None]):
    """The data side of a stage screen (StageScreen is the rest)."""

    context: MeetingContext
    stage: Stage
    _wanted: tuple[str, int] | None = None
    _prepared = False
    _prefetched: Future[Any] | None = None

    async def attempt(self, work: Awaitable[_T]) -> _T | None:
        """Wait for a change the user asked for; a refusal (bad input, a row deleted
        meanwhile, a database that cannot take it) is shown as a message and gives None."""
        return await attempt(self, work)

    async def write(self, job: Job[_T]) -> _T | None:
        """Run a change on the database thread; None (and a message) when it is refused."""
        return await self.attempt(self.context.gateway.write(job))

    async def read(self, job: Job[_T]) -> _T | None:
        """Read on the database thread; None (and a message) when it cannot be read."""
        return await self.attempt(self.context.gateway.read(job))

    def ask_no_action_note(self, what: str, row_id: int, note: str | None) -> None:
        """Ask why a cause or factor (`what`: "why" or "factor") needs no action and save the
        note (an empty one takes the acceptance back); then show the stage again."""
        from debrief_tui.ui.dialogs.text_prompt import no_action_prompt

        gateway = self.context.gateway

        async def save(text: str) -> None:
            if what == "why":
                await gateway.write(lambda tx: tx.whys.set_no_action_note(row_id, text))
            else:
                await gateway.write(lambda tx: tx.factors.set_no_action_note(row_id, text))
            await self.reload(select=row_id)

        self.app.push_screen(no_action_prompt(note, save))

    @property
    def ready(self) -> bool:
        """Whether the stage's content is set up (a screen being switched to is not yet; it
        reads its data when it shows)."""
        return self._prepared

    def show_item(self, kind: str, row_id: int) -> None:
        """Select a row of this stage (a why-node, a factor, an action, a parked topic): now
        if it is shown, else as soon as the stage has loaded it."""
        self._wanted = (kind, row_id)
        self.show_wanted()

    def show_wanted(self) -> None:
        """Select the row asked for, if there is one and it is shown by now. Stages call
        this once their rows are loaded."""
        if self._wanted is None or not self._prepared:
            return
        try:
            done = self.select_row(*self._wanted)
        except NoMatches:
            return  # not composed yet: the stage's load calls this again
        if done:
            self._wanted = None

    def select_row(self, kind: str, row_id: int) -> bool:
        """Select the row of `kind` with `row_id` and focus its table; True when done. Stages
        with rows override this."""
        return True

    def snapshot_job(self) -> tuple[Job[Any], bool] | None:
        """What the stage reads on each visit, in one transaction, and whether that job also
        writes; None for a stage with no content of its own."""
        return None

    def show_snapshot(self, snapshot: Any, select: int | None) -> None:
        """Show what `snapshot_job` read, selecting the row with id `select`."""

    def prefetch(self) -> None:
        """Start reading this visit's snapshot now, while the screen is still being shown:
        the database thread reads while the event loop lays the screen out."""
        planned = self.snapshot_job()
        if planned is not None:
            self._prefetched = self.context.gateway.submit(planned[0], write=planned[1])

    async def prefetched(self, timeout: float) -> None:
        """Wait (at most `timeout` seconds) for the snapshot `prefetch` asked for; what it
        holds, or why it was refused, is taken by `reload`."""
        if self._prefetched is None:
            return
        with contextlib.suppress(Exception):  # a refusal is shown by `reload`, a wait ends
            await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(self._prefetched)), timeout)

    _covered = False
    """Whether the stage was left for a dialog over it (and not for another stage)."""

    def on_screen_suspend(self) -> None:
        """A snapshot read for a visit that did not happen is not used for the next one."""
        self._prefetched = None
        top = self.app.screen if self.app.screen_stack else None
        self._covered = top is not None and top is not self and top.is_modal

    async def reload(self, select: int | None = None) -> None:
        """Read the stage's snapshot (one job on the database thread, the one prefetched for
        this visit if there is one) and show it."""
        future, self._prefetched = self._prefetched, None
        if future is None:
            planned = self.snapshot_job()
            if planned is None:
                return
            future = self.context.gateway.submit(planned[0], write=planned[1])
        snapshot = await self.attempt(asyncio.wrap_future(future))
        if snapshot is not None:
            self.show_snapshot(snapshot, select)

    @work(group="load", exclusive=True)
    async def load(self) -> None:
        """Read and show the stage's content in a worker: the screen stays live meanwhile,
        and a newer load replaces one still under way."""
        await self.reload()

    async def action_undo(self) -> None:
        """Take back the newest change made on this stage: a deletion comes back as it was,
        a milestone gets its previous value."""
        removed = self.context.undo.pop(self.stage.key)
        if removed is None:
            self.notify("Nothing to undo.", timeout=3)
            return
        if isinstance(removed, MilestoneChange | ImportedEvents):
            await self.take_back(removed)
            return
        row = await self.write(lambda tx: tx.removals.restore(removed))
        if row is None:
            return
        if removed.kind == "minute":
            index = self.context.book.restored(cast("Minute", row))
            minutes = self.query_one(MinutesPane).list
            if minutes is not None:
                minutes.cursor = index
            self.update_room()
            return
        await self.restored(removed, row)

    def update_room(self) -> None:
        """Redraw who has spoken (the room panel is the stage screen's)."""

    async def take_back(self, change: MilestoneChange | ImportedEvents) -> None:
        """Undo a milestone change or an import (only the timeline makes them)."""

    async def restored(self, removed: Removed, row: object) -> None:
        """Show what undo brought back, `row` being the one the user had deleted (under its
        id, or a new one); stages with deletable rows say how."""
        await self.reload(select=getattr(row, "id", None))
