"""The one way the screens reach the data: every job on one database thread, in order.

The gateway exists from the app's start, before the database is open: jobs submitted early wait
in its queue, and the thread opens the database before it runs the first of them, so readiness
is awaited in this one place. Jobs run one at a time in the order they were submitted (a minute
confirmed before an edit is written before it), each in its own transaction (`Database.read` or
`Database.write`), so nothing the event loop runs ever waits on SQL. Results and refusals come
back as futures the UI awaits without blocking.

Standard library only: the app holds a gateway before the ORM is imported, on the database
thread, by the opener.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, TypeVar

from debrief_tui.core.errors import Unavailable

if TYPE_CHECKING:
    from debrief_tui.core.persistence.unit import Database, Unit
    from debrief_tui.core.persistence.watcher import Deliver, Watcher

_T = TypeVar("_T")
Job = Callable[["Unit"], _T]
"""Work on the data: called with a unit of work, inside its transaction."""


class Gateway:
    """A database thread and its queue of jobs."""

    def __init__(
        self,
        opener: Callable[[], Database],
        *,
        closes_database: bool = True,
        seat: str | None = None,
    ) -> None:
        self._opener = opener
        self._closes = closes_database
        self.seat = seat
        """This seat's name in the change log: other seats see what it wrote, it does not."""
        self._deliver: Deliver | None = None
        self._watcher: Watcher | None = None
        self._on_error: Callable[[BaseException], object] | None = None
        self._jobs: queue.SimpleQueue[tuple[Future[Any], Job[Any], bool] | None] = (
            queue.SimpleQueue()
        )
        self._thread: threading.Thread | None = None
        self._opened: Future[Database] = Future()
        self._go = threading.Event()
        self._wait = 0.0
        self._pending = 0
        self._count = threading.Lock()
        self._closed = False

    def start(self, *, wait_for_go: float = 0.0) -> None:
        """Start the database thread: it opens the database, then runs the jobs queued so far
        and every job after them.

        With `wait_for_go`, the thread first waits (up to that many seconds) for `go()`: the
        app starts it at once and says go once its first frame is out, so importing the ORM
        does not hold up that frame, and a job awaited meanwhile waits at most that long.
        """
        if self._thread is None:
            if not wait_for_go:
                self._go.set()
            self._wait = wait_for_go
            self._thread = threading.Thread(target=self._run, name="debrief-database", daemon=True)
            self._thread.start()

    def go(self) -> None:
        """Let a thread started with `wait_for_go` open the database now."""
        self._go.set()

    def submit(self, job: Job[_T], *, write: bool) -> Future[_T]:
        """Queue `job`; its future holds the result or the refusal."""
        future: Future[_T] = Future()
        with self._count:
            if self._closed:
                future.set_exception(Unavailable("the database is closed: debrief is quitting"))
                return future
            self._pending += 1
            self._jobs.put((future, job, write))
        return future

    @property
    def busy(self) -> bool:
        """Whether any job is queued or running (tests wait for the queue to empty)."""
        return self._pending > 0

    async def read(self, job: Job[_T]) -> _T:
        """Run `job` in a read transaction, after every job queued before it."""
        return await asyncio.wrap_future(self.submit(job, write=False))

    async def write(self, job: Job[_T]) -> _T:
        """Run `job` in a write transaction, committed before this returns."""
        return await asyncio.wrap_future(self.submit(job, write=True))

    def watch(self, deliver: Deliver) -> None:
        """Hand `deliver` (on another thread) every change other seats commit, from the moment
        the database opens, before any job queued here runs; call before `start`."""
        self._deliver = deliver

    def report_to(self, on_error: Callable[[BaseException], object]) -> None:
        """Who hears of a refused write that nobody waits for; called on the database
        thread, so it must only hand the news over (post a message)."""
        self._on_error = on_error

    def record(self, job: Job[object]) -> None:
        """Queue a write nobody waits for (the meeting's clock); a refusal goes to the
        `report_to` callback."""
        self.submit(job, write=True).add_done_callback(self._report)

    def _report(self, future: Future[Any]) -> None:
        error = None if future.cancelled() else future.exception()
        if error is not None and self._on_error is not None:
            self._on_error(error)

    def close(self) -> None:
        """Run what is queued, then stop the thread (and close the database, unless it was
        told the database is someone else's)."""
        with self._count:
            if self._closed:
                return
            self._closed = True
            self._jobs.put(None)
            queued = self._pending
        if self._thread is None:
            if not queued:
                return
            self.start()  # quitting before the database opened: what was typed is written
        self._go.set()
        assert self._thread is not None
        self._thread.join()
        self._thread = None

    def _run(self) -> None:
        self._go.wait(self._wait)
        try:
            database = self._opener()
        except BaseException as exc:  # every job after this gets the same refusal
            self._opened.set_exception(exc)
        else:
            database.seat = self.seat
            if self._deliver is not None:
                # Before the first job: whatever a job reads, a change after it is heard.
                self._watcher = database.watch(self._deliver)
            self._opened.set_result(database)
        while (item := self._jobs.get()) is not None:
            future, job, write = item
            try:
                if not future.set_running_or_notify_cancel():
                    continue  # cancelled while it waited
                database = self._opened.result()
                result = database.write(job) if write else database.read(job)
            except BaseException as exc:
                future.set_exception(exc)
            else:
                future.set_result(result)
            finally:
                with self._count:
                    self._pending -= 1
        if self._watcher is not None:
            self._watcher.stop()
        if self._closes and self._opened.exception() is None:
            self._opened.result().dispose()
