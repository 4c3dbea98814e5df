"""Meeting time: how long each stage has run, what is left of its timebox, and how it reads.

Time spent is the sum of the stage's recorded runs (`StageRun`), plus the run under way. The
run under way has its end moved forward as the meeting goes, so a crash loses at most the
time since the last beat.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Literal, NamedTuple, Protocol

TimerState = Literal["ok", "warning", "overrun"]


class RunLike(Protocol):
    """What the clock needs of a stage run (a stored row or a plain `Run`)."""

    @property
    def stage(self) -> str: ...
    @property
    def started_at(self) -> datetime: ...
    @property
    def ended_at(self) -> datetime | None: ...


class Run(NamedTuple):
    """A stage run as plain values (read without the ORM)."""

    stage: str
    started_at: datetime
    ended_at: datetime | None


def spent_by_stage(runs: Iterable[RunLike]) -> dict[str, float]:
    """Seconds recorded per stage key (a run with no end counts as zero).

    Time two seats recorded at once (two facilitators' terminals on one meeting) counts once:
    the runs of a stage are merged where they overlap.
    """
    spans: dict[str, list[tuple[datetime, datetime]]] = {}
    for run in runs:
        if run.ended_at is not None and run.ended_at > run.started_at:
            spans.setdefault(run.stage, []).append((run.started_at, run.ended_at))
    spent: dict[str, float] = {}
    for stage, stage_spans in spans.items():
        total, reach = 0.0, None
        for start, end in sorted(stage_spans):
            if reach is not None and start < reach:
                start = reach  # the overlap was counted with the run before
            if end > start:
                total += (end - start).total_seconds()
            reach = end if reach is None else max(reach, end)
        spent[stage] = total
    return spent


def warning_seconds(timebox_seconds: int) -> int:
    """How close to the end of its timebox a stage turns to a warning."""
    return max(60, timebox_seconds // 5)


class StageClock(NamedTuple):
    """The countdown of one stage."""

    spent: float
    timebox: int

    @property
    def remaining(self) -> float:
        """Seconds left (negative once over)."""
        return self.timebox - self.spent

    @property
    def state(self) -> TimerState:
        """ok, warning near the end, or overrun."""
        if self.remaining < 0:
            return "overrun"
        if self.remaining <= warning_seconds(self.timebox):
            return "warning"
        return "ok"

    def countdown(self) -> str:
        """`12:34` left, or `+01:05` over."""
        if self.remaining < 0:
            return "+" + format_duration(-self.remaining)
        return format_duration(self.remaining)


def format_duration(seconds: float, *, hours: bool = False) -> str:
    """`MM:SS`, or `H:MM:SS` from an hour up (or always, with `hours`: beside a total of an
    hour or more, `0:01:04 / 1:15:00` reads as a minute, where `01:04` looked like an hour);
    whole seconds, rounded down."""
    total = int(max(0.0, seconds))
    whole_hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if whole_hours or hours:
        return f"{whole_hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes:02d}:{secs:02d}"
