"""One seat in a process of its own, typing minutes as fast as it is able: the full-speed test
runs two of these at once, each on its own core, as two terminals would.

`python -m tests.seat_process URL SESSION_ID ROLE PREFIX COUNT TOTAL`: opens the meeting
headless, says READY, waits for a line on stdin, enters COUNT minutes PREFIX0, PREFIX1, ...
without waiting for any, then waits until its minutes list holds TOTAL minutes (its own and the
other seat's) and prints the list as JSON. Anything shown about a locked database is printed
too, so the test can see it.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

from textual import events

from debrief_tui.core.persistence import resolve
from debrief_tui.startup import create_app
from debrief_tui.ui.widgets.minutes_list import MinutesList

DEADLINE = 120.0


async def main(url: str, session_id: int, role: str, prefix: str, count: int, total: int) -> int:
    """Run the seat; 0 when its list held `total` minutes in time."""
    app = create_app(resolve(url), session_id=session_id, role=role)
    async with app.run_test(size=(60, 16), notifications=True) as pilot:
        while not app.screen.query(MinutesList):
            await pilot.pause()
        assert app.context is not None
        book = app.context.book
        print("READY", flush=True)
        await asyncio.to_thread(sys.stdin.readline)
        for number in range(count):
            app.post_message(events.Paste(f"{prefix}{number}"))
            app.post_message(events.Key("enter", None))
        began = time.monotonic()
        while len(book.minutes) < total and time.monotonic() - began < DEADLINE:
            await asyncio.sleep(0.05)
        notes = [note.message for note in app._notifications]
        print(json.dumps({"minutes": [m.text for m in book.minutes], "notes": notes}), flush=True)
        return 0 if len(book.minutes) >= total else 1


if __name__ == "__main__":
    url, session, role, prefix, count, total = sys.argv[1:]
    sys.exit(asyncio.run(main(url, int(session), role, prefix, int(count), int(total))))
