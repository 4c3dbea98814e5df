"""The running meeting: which stage it is on, its timer, and the stage runs that record it.

A session opened to prepare it is not yet a meeting: its clock waits until the meeting moves
to another stage, or is started by hand, so preparing the timeline the day before does not eat
the Ground rules' timebox. Once any time is recorded, the meeting has started for good.

Knows nothing of the terminal or of the database: it tells a `StageLog` what to record, in
order, and never waits for it (in the app, the log queues the writes on the database thread,
which may still be opening the file while the first frame is up).
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from debrief_tui.core.clock import Clock
from debrief_tui.core.meeting.agenda import Agenda, Stage
from debrief_tui.core.meeting.timer import StageClock

BEAT_SECONDS = 5
"""How often the running stage's end is written forward (the most a crash can lose)."""


class OpenRun:
    """A stage run under way; `id` is set by the log once the run is stored."""

    def __init__(self, session_id: int, stage: str, started_at: datetime) -> None:
        self.session_id = session_id
        self.stage = stage
        self.started_at = started_at
        self.id: int | None = None


class StageLog(Protocol):
    """Where a meeting records its stage and time, in the order it says them."""

    def stage(self, session_id: int, stage: str) -> None:
        """The meeting is now on `stage`."""

    def run_started(self, run: OpenRun) -> None:
        """A stage run began (store it and set its id)."""

    def run_moved(self, run: OpenRun, at: datetime) -> None:
        """A stage run has lasted until `at`."""


class QuietLog:
    """The `StageLog` of a seat that follows the meeting (the note-taker's): its stage moves
    are its own view, and the meeting's time is the facilitator's to record."""

    def stage(self, session_id: int, stage: str) -> None:
        """Nothing to record."""

    def run_started(self, run: OpenRun) -> None:
        """Nothing to record."""

    def run_moved(self, run: OpenRun, at: datetime) -> None:
        """Nothing to record."""


class Meeting:
    """The agenda position and timer of one session's meeting."""

    def __init__(
        self,
        session_id: int,
        agenda: Agenda,
        clock: Clock,
        log: StageLog,
        *,
        current_stage: str | None = None,
        spent: dict[str, float] | None = None,
        held: bool = False,
    ) -> None:
        self.session_id = session_id
        self.agenda = agenda
        self.clock = clock
        self.index = agenda.index_of(current_stage)
        self.paused = False
        self._log = log
        self._recorded: dict[str, float] = dict(spent or {})
        self._run: OpenRun | None = None
        self.started = self.index != 0 or any(s > 0 for s in self._recorded.values())
        log.stage(session_id, self.stage.key)
        # A meeting already held (its postmortem reviewed or published) opens paused: reading
        # it again later is not more meeting time (f5 resumes it).
        self.paused = self.started and held
        if self.started and not self.paused:
            self._open_run(clock())

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
        self.started = True  # moving on from the first stage is the meeting under way
        self._log.stage(self.session_id, self.stage.key)
        if not self.paused:
            self._open_run(now)
        return True

    # Timer --------------------------------------------------------------------------------

    def start(self) -> bool:
        """Start the meeting's clock on the stage it is on; False when it runs already."""
        if self.started:
            return False
        self.started = True
        self.paused = False
        self._open_run(self.clock())
        return True

    def pause(self) -> None:
        """Stop the clock; time spent so far stays recorded."""
        if not self.started:
            return
        if not self.paused:
            self._close_run(self.clock())
            self.paused = True

    def resume(self) -> None:
        """Start the clock again on the current stage."""
        if not self.started:
            self.start()
        elif self.paused:
            self.paused = False
            self._open_run(self.clock())

    def beat(self) -> None:
        """Write the running stage's time so far (called every BEAT_SECONDS)."""
        if self._run is not None:
            self._log.run_moved(self._run, self.clock())

    def close(self) -> None:
        """Record the running stage's time up to now (leaving the meeting)."""
        self._close_run(self.clock())

    def record_with(self, log: StageLog) -> None:
        """Record from now on in `log` (a seat taking or handing over the facilitator's role):
        the run under way ends in the old log and goes on in the new one."""
        now = self.clock()
        self._close_run(now)
        self._log = log
        log.stage(self.session_id, self.stage.key)
        if self.started and not self.paused:
            self._open_run(now)

    def spent(self, stage_key: str) -> float:
        """Seconds spent in a stage, the run under way included."""
        total = self._recorded.get(stage_key, 0.0)
        if self._run is not None and stage_key == self.stage.key:
            total += max(0.0, (self.clock() - self._run.started_at).total_seconds())
        return total

    def catch_up(self, spent: dict[str, float]) -> None:
        """Take the time the meeting has recorded (by another seat) as this seat's own, the
        stage under way counting on from now (and once the meeting has recorded time, its
        clock runs here too)."""
        self._recorded = dict(spent)
        if self._run is not None:
            self._run.started_at = self.clock()
        elif not self.started and any(s > 0 for s in spent.values()):
            self.start()

    def stage_clock(self, index: int | None = None) -> StageClock:
        """The countdown of a stage (the current one by default)."""
        stage = self.agenda.stages[self.index if index is None else index]
        return StageClock(self.spent(stage.key), stage.timebox_seconds)

    def total_spent(self) -> float:
        """Seconds spent in the whole meeting."""
        return sum(self.spent(stage.key) for stage in self.agenda.stages)

    # Runs ---------------------------------------------------------------------------------

    def _open_run(self, at: datetime) -> None:
        self._run = OpenRun(self.session_id, self.stage.key, at)
        self._log.run_started(self._run)

    def _close_run(self, at: datetime) -> None:
        run, self._run = self._run, None
        if run is None:
            return
        seconds = max(0.0, (at - run.started_at).total_seconds())
        self._recorded[run.stage] = self._recorded.get(run.stage, 0.0) + seconds
        self._log.run_moved(run, at)
