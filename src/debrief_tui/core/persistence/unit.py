"""Units of work: one transaction, and the repositories that work inside it.

`Database.read(job)` and `Database.write(job)` run `job(unit)` in one transaction and commit it
before they return, so what a user confirmed is on disk when the UI shows it. A job may call
several repositories: they share the transaction (a stage's snapshot is one read). Rows come
back detached and fully loaded, safe to hand to the UI thread.

This is the synchronous side, used by the command line and by the gateway's database thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from functools import cached_property
from pathlib import Path
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.pool import StaticPool
from sqlmodel import Session

from debrief_tui.core.clock import Clock, utc_now
from debrief_tui.core.errors import DatabaseRefused, Unavailable, first_line
from debrief_tui.core.persistence.changes import write_log
from debrief_tui.core.persistence.engine import WRITE
from debrief_tui.core.persistence.repositories.actions import ActionRepository
from debrief_tui.core.persistence.repositories.attendees import AttendeeRepository
from debrief_tui.core.persistence.repositories.base import Repository
from debrief_tui.core.persistence.repositories.documents import DocumentRepository
from debrief_tui.core.persistence.repositories.factors import FactorRepository
from debrief_tui.core.persistence.repositories.history import HistoryRepository
from debrief_tui.core.persistence.repositories.lessons import LessonRepository
from debrief_tui.core.persistence.repositories.links import LinkRepository
from debrief_tui.core.persistence.repositories.meeting import MeetingRepository
from debrief_tui.core.persistence.repositories.minutes import MinuteRepository
from debrief_tui.core.persistence.repositories.parking import ParkingRepository
from debrief_tui.core.persistence.repositories.removal import RemovalRepository
from debrief_tui.core.persistence.repositories.search import SearchRepository
from debrief_tui.core.persistence.repositories.seats import SeatRepository
from debrief_tui.core.persistence.repositories.sessions import SessionRepository
from debrief_tui.core.persistence.repositories.snapshots import SnapshotRepository
from debrief_tui.core.persistence.repositories.timeline import TimelineRepository
from debrief_tui.core.persistence.repositories.trends import TrendRepository
from debrief_tui.core.persistence.repositories.whys import WhyRepository
from debrief_tui.core.persistence.schema import BUSY_TIMEOUT_MS
from debrief_tui.core.persistence.watcher import Deliver, Watcher

_T = TypeVar("_T")
_R = TypeVar("_R", bound=Repository)


class Unit:
    """One open transaction; each feature's repository is an attribute, made on first use."""

    def __init__(self, db: Session, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def _repo(self, kind: type[_R]) -> _R:
        return kind(self.db, self.clock)

    @cached_property
    def sessions(self) -> SessionRepository:
        """Sessions and their facts."""
        return self._repo(SessionRepository)

    @cached_property
    def attendees(self) -> AttendeeRepository:
        """The people in the meeting."""
        return self._repo(AttendeeRepository)

    @cached_property
    def timeline(self) -> TimelineRepository:
        """Timeline events and milestones."""
        return self._repo(TimelineRepository)

    @cached_property
    def links(self) -> LinkRepository:
        """Links on the session and on its timeline events."""
        return self._repo(LinkRepository)

    @cached_property
    def whys(self) -> WhyRepository:
        """The 5 Whys tree."""
        return self._repo(WhyRepository)

    @cached_property
    def factors(self) -> FactorRepository:
        """Contributing factors and their links to why-nodes."""
        return self._repo(FactorRepository)

    @cached_property
    def lessons(self) -> LessonRepository:
        """Lessons, in three lists."""
        return self._repo(LessonRepository)

    @cached_property
    def actions(self) -> ActionRepository:
        """Action items and what they answer."""
        return self._repo(ActionRepository)

    @cached_property
    def meeting(self) -> MeetingRepository:
        """The meeting's stage and the time spent per stage."""
        return self._repo(MeetingRepository)

    @cached_property
    def minutes(self) -> MinuteRepository:
        """The minutes."""
        return self._repo(MinuteRepository)

    @cached_property
    def parking(self) -> ParkingRepository:
        """The parking lot."""
        return self._repo(ParkingRepository)

    @cached_property
    def documents(self) -> DocumentRepository:
        """Whole sessions from documents (the demo, `debrief load`)."""
        return self._repo(DocumentRepository)

    @cached_property
    def removals(self) -> RemovalRepository:
        """Bringing back what was deleted (undo)."""
        return self._repo(RemovalRepository)

    @cached_property
    def seats(self) -> SeatRepository:
        """Who is connected to which meeting, in which role."""
        return self._repo(SeatRepository)

    @cached_property
    def trends(self) -> TrendRepository:
        """The facts of every session the trends across incidents need."""
        return self._repo(TrendRepository)

    @cached_property
    def history(self) -> HistoryRepository:
        """Across sessions: similar past sessions, when each meeting was first held."""
        return self._repo(HistoryRepository)

    @cached_property
    def search(self) -> SearchRepository:
        """Full-text search across every session."""
        return self._repo(SearchRepository)

    @cached_property
    def snapshots(self) -> SnapshotRepository:
        """What each stage shows, read together."""
        return self._repo(SnapshotRepository)


def _unavailable(cause: str) -> str:
    """What to tell the user when the database could not take a change."""
    if "locked" in cause or "lock timeout" in cause:
        seconds = BUSY_TIMEOUT_MS // 1000
        return f"the database is busy: another seat held it for {seconds} s; nothing was saved"
    return f"the database could not be written: {cause}"


class Database:
    """An open debrief database: units of work over its engine, on the caller's thread."""

    def __init__(self, engine: sa.Engine, clock: Clock = utc_now) -> None:
        self.engine = engine
        self.clock = clock
        self.seat: str | None = None
        """The seat whose writes these are, named in the change log (None: the command line)."""
        self._writer = engine.execution_options(**{WRITE: True})
        # An engine with one shared connection (an in-memory database) cannot run two
        # transactions at once, so units from different threads take turns.
        shared = isinstance(engine.pool, StaticPool)
        self._turn: AbstractContextManager[object] = threading.Lock() if shared else nullcontext()

    @contextmanager
    def unit(self, *, write: bool) -> Iterator[Unit]:
        """A unit of work, committed on leaving (rolled back on an error)."""
        bind = self._writer if write else self.engine
        with self._turn, Session(bind, expire_on_commit=False) as db:
            try:
                yield Unit(db, self.clock)
                if write:
                    write_log(db, self.seat, self.clock)
                db.commit()
            except sa.exc.OperationalError as exc:
                db.rollback()
                # Busy past the timeout, read-only, the disk gone: one line, nothing written.
                raise Unavailable(_unavailable(first_line(exc))) from exc
            except sa.exc.DatabaseError as exc:
                db.rollback()
                cause = first_line(exc)
                if "malformed" not in cause and "not a database" not in cause:
                    raise
                # Damaged on disk (a bad sector, a copy taken mid-write, a stray -wal): say so
                # and write nothing more to it.
                url = self.engine.url
                sqlite = url.get_backend_name() == "sqlite"
                where = url.database if sqlite else url.render_as_string(hide_password=True)
                raise DatabaseRefused(
                    f"{where} is damaged ({cause}); restore it from a backup. It was left as is"
                ) from exc
            except BaseException:
                db.rollback()
                raise

    def read(self, job: Callable[[Unit], _T]) -> _T:
        """Run `job` in one read transaction and give its result."""
        with self.unit(write=False) as unit:
            return job(unit)

    def write(self, job: Callable[[Unit], _T]) -> _T:
        """Run `job` in one write transaction, committed before this returns."""
        with self.unit(write=True) as unit:
            return job(unit)

    def watch(self, deliver: Deliver) -> Watcher | None:
        """Start a watcher that hands `deliver` the changes other seats commit from now on;
        None for a database only this process can see (in memory)."""
        from debrief_tui.core.persistence.changes import NOTIFY_CHANNEL
        from debrief_tui.core.persistence.watcher import PostgresWatcher, SQLiteWatcher

        url = self.engine.url
        watcher: Watcher
        if url.get_backend_name() == "postgresql":
            conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
            watcher = PostgresWatcher(conninfo, deliver, self.seat, NOTIFY_CHANNEL)
        elif url.database and url.database != ":memory:":
            watcher = SQLiteWatcher(Path(url.database), deliver, self.seat)
        else:
            return None
        watcher.start()
        return watcher

    def dispose(self) -> None:
        """Close every connection."""
        self.engine.dispose()
