"""The meeting's stage and stage runs, written through the gateway in the order they happen."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from debrief_tui.core.meeting.meeting import OpenRun

if TYPE_CHECKING:
    from debrief_tui.core.persistence.gateway import Gateway
    from debrief_tui.core.persistence.unit import Unit


class GatewayStageLog:
    """A `StageLog` whose writes queue on the database thread; nothing waits for them."""

    def __init__(self, gateway: Gateway) -> None:
        self._gateway = gateway

    def stage(self, session_id: int, stage: str) -> None:
        """Remember the stage the meeting is on."""
        self._gateway.record(lambda tx: tx.meeting.set_state(session_id, current_stage=stage))

    def run_started(self, run: OpenRun) -> None:
        """Store a new stage run; its id is set on the database thread, where the jobs that
        move it run later (in order)."""

        def start(tx: Unit) -> None:
            run.id = tx.meeting.start_run(run.session_id, run.stage, run.started_at).id

        self._gateway.record(start)

    def run_moved(self, run: OpenRun, at: datetime) -> None:
        """Move a stage run's end to `at`."""

        def move(tx: Unit) -> None:
            if run.id is not None:
                tx.meeting.touch_run(run.id, at, run.session_id)

        self._gateway.record(move)
