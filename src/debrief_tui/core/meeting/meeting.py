"""The running meeting: which stage it is on, its timer, and the stage runs that record it.

Knows nothing of the terminal. Works before the store is ready (the first frame is drawn from
a peek at the file): what happens meanwhile is kept and written once `attach` hands it the
store, so no meeting time is lost to start-up.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from debrief_tui.core.clock import Clock
from debrief_tui.core.meeting.agenda import Agenda, Stage
from debrief_tui.core.meeting.timer import RunLike, StageClock, spent_by_stage

if TYPE_CHECKING:
    from debrief_tui.core.persistence.store import Store

BEAT_SECONDS = 5
"""How often the running stage's end is written forward (the most a crash can lose)."""


class Meeting:
    """The agenda position and timer of one session's meeting."""

    def __init__(
        self,
        session_id: int,
        agenda: Agenda,
        clock: Clock,
        *,
        current_stage: str | None = None,
        spent: dict[str, float] | None = None,
    ) -> None:
        self.session_id = session_id
        self.agenda = agenda
        self.clock = clock
        self.index = agenda.index_of(current_stage)
        self.paused = False
        self._recorded: dict[str, float] = dict(spent or {})
        self._run_started: datetime | None = clock()
        self._run_id: int | None = None
        self._store: Store | None = None

    # Wiring -------------------------------------------------------------------------------

    def attach(self, store: Store, runs: Iterable[RunLike] | None = None) -> None:
        """Start writing to the store: take the recorded time (`runs`, read here when not
        given) and open the run under way."""
        self._store = store
        if runs is None:
            runs = store.list_stage_runs(self.session_id)
        self._recorded = spent_by_stage(runs)
        store.set_meeting_state(self.session_id, current_stage=self.stage.key)
        if self._run_started is not None:
            self._open_run(self._run_started)
            self.beat()

    # Where we are -------------------------------------------------------------------------

    @property
    def stage(self) -> Stage:
        """The stage the meeting is on."""
        return self.agenda.stages[self.index]

    @property
    def position(self) -> str:
        """`3/7`."""
        return f"{self.index + 1}/{len(self.agenda.stages)}"

    def go_to(self, index: int) -> bool:
        """Move to stage `index`; returns False when there is no such stage or we are there."""
        if not 0 <= index < len(self.agenda.stages) or index == self.index:
            return False
        now = self.clock()
        self._close_run(now)
        self.index = index
        if self._store is not None:
            self._store.set_meeting_state(self.session_id, current_stage=self.stage.key)
        if not self.paused:
            self._run_started = now
            self._open_run(now)
        return True

    # Timer --------------------------------------------------------------------------------

    def pause(self) -> None:
        """Stop the clock; time spent so far stays recorded."""
        if not self.paused:
            self._close_run(self.clock())
            self.paused = True

    def resume(self) -> None:
        """Start the clock again on the current stage."""
        if self.paused:
            self.paused = False
            now = self.clock()
            self._run_started = now
            self._open_run(now)

    def beat(self) -> None:
        """Write the running stage's time so far (called every BEAT_SECONDS)."""
        if self._store is not None and self._run_id is not None:
            self._store.touch_stage_run(self._run_id, self.clock())

    def close(self) -> None:
        """Record the running stage's time up to now (leaving the meeting)."""
        self._close_run(self.clock())

    def spent(self, stage_key: str) -> float:
        """Seconds spent in a stage, the run under way included."""
        total = self._recorded.get(stage_key, 0.0)
        if self._run_started is not None and stage_key == self.stage.key:
            total += max(0.0, (self.clock() - self._run_started).total_seconds())
        return total

    def stage_clock(self, index: int | None = None) -> StageClock:
        """The countdown of a stage (the current one by default)."""
        stage = self.agenda.stages[self.index if index is None else index]
        return StageClock(self.spent(stage.key), stage.timebox_seconds)

    def total_spent(self) -> float:
        """Seconds spent in the whole meeting."""
        return sum(self.spent(stage.key) for stage in self.agenda.stages)

    # Runs ---------------------------------------------------------------------------------

    def _open_run(self, at: datetime) -> None:
        if self._store is not None:
            run = self._store.start_stage_run(self.session_id, self.stage.key, at)
            self._run_id = run.id

    def _close_run(self, at: datetime) -> None:
        if self._run_started is None:
            return
        seconds = max(0.0, (at - self._run_started).total_seconds())
        self._recorded[self.stage.key] = self._recorded.get(self.stage.key, 0.0) + seconds
        if self._store is not None and self._run_id is not None:
            self._store.touch_stage_run(self._run_id, at)
        self._run_started = None
        self._run_id = None
