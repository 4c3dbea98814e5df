"""The gateway: one database thread, jobs in the order they came, nothing lost at the edges."""

from __future__ import annotations

import asyncio
import threading

import pytest

from debrief_tui.core.errors import InputError, Unavailable
from debrief_tui.core.persistence import Gateway, Job
from debrief_tui.core.persistence.models import PostmortemSession
from debrief_tui.core.persistence.unit import Database, Unit
from tests.helpers import LoopGuard, running


def _session(db: Database) -> int:
    row = db.write(lambda tx: tx.sessions.create("Gateway", "SEV3"))
    assert row.id is not None
    return row.id


async def test_jobs_run_on_one_thread_in_the_order_they_were_submitted(db: Database) -> None:
    sid = _session(db)
    gateway = Gateway(lambda: db, closes_database=False)
    gateway.start()
    threads: set[str] = set()

    def add(text: str) -> Job[object]:
        def job(tx: Unit) -> object:
            threads.add(threading.current_thread().name)
            return tx.minutes.add(sid, "ground-rules", [(None, text)], db.clock())

        return job

    futures = [gateway.submit(add(f"line {n}"), write=True) for n in range(50)]
    await asyncio.wrap_future(futures[-1])
    rows = await gateway.read(lambda tx: tx.minutes.of(sid))
    gateway.close()
    assert [m.text for m in rows] == [f"line {n}" for n in range(50)]
    assert threads == {"debrief-database"}


async def test_jobs_before_the_database_opens_wait_for_it(db: Database) -> None:
    sid = _session(db)
    opened = threading.Event()

    def opener() -> Database:
        opened.wait(5)
        return db

    gateway = Gateway(opener, closes_database=False)
    gateway.start()
    early = gateway.submit(
        lambda tx: tx.parking.add(sid, "asked early", "ground-rules"), write=True
    )
    assert not early.done()
    opened.set()
    assert (await asyncio.wrap_future(early)).text == "asked early"
    gateway.close()


async def test_a_refusal_comes_back_to_the_caller_and_the_next_job_still_runs(
    db: Database,
) -> None:
    sid = _session(db)
    gateway = Gateway(lambda: db, closes_database=False)
    gateway.start()
    with pytest.raises(InputError):
        await gateway.write(lambda tx: tx.lessons.add(sid, "meh", "text"))
    assert (await gateway.write(lambda tx: tx.lessons.add(sid, "lucky", "still works"))).id
    gateway.close()


def test_closing_writes_what_was_queued_even_before_the_thread_started(db: Database) -> None:
    sid = _session(db)
    gateway = Gateway(lambda: db, closes_database=False)
    queued = gateway.submit(lambda tx: tx.parking.add(sid, "typed, then quit", "x"), write=True)
    gateway.close()  # quitting within the first frame: the thread never started
    assert queued.result(timeout=5).text == "typed, then quit"
    late = gateway.submit(lambda tx: tx.parking.of(sid), write=False)
    with pytest.raises(Unavailable):
        late.result(timeout=5)


async def test_sql_run_on_the_event_loop_while_the_app_runs_fails_the_test(
    db: Database, demo: PostmortemSession, no_sql_on_the_event_loop: LoopGuard
) -> None:
    """The guard every Pilot test runs with: it does catch SQL on the event loop's thread."""
    assert demo.id is not None
    session_id = demo.id
    async with running(db, session_id, size=(80, 24)):
        with pytest.raises(Exception, match="event loop"):
            db.read(lambda tx: tx.sessions.get(session_id))
    assert no_sql_on_the_event_loop.offences
    no_sql_on_the_event_loop.offences.clear()  # caused on purpose, not a failure here
