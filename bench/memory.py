"""Peak memory: debrief with 10,000 minutes loaded, against a bare Textual app.

Each runs headless in a fresh process that reports its peak resident set size (VmHWM: the
kernel's ru_maxrss survives exec, so a child would report its parent's peak).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

_BARE = """
import asyncio
from textual.app import App
from textual.widgets import Static
class Bare(App):
    def compose(self):
        yield Static("FLOOR")
async def main():
    async with Bare().run_test(size=(80, 24)) as pilot:
        await pilot.pause()
asyncio.run(main())
print(open("/proc/self/status").read().split("VmHWM:")[1].split()[0])
"""

_OURS = """
import asyncio, sys
from datetime import UTC, datetime
from debrief_tui.core.persistence import resolve
from debrief_tui.startup import create_app
async def main():
    app = create_app(resolve(sys.argv[1]), session_id=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(app.context.book.minutes) == 10_000
asyncio.run(main())
print(open("/proc/self/status").read().split("VmHWM:")[1].split()[0])
"""


def _prepare(db: Path) -> None:
    from datetime import UTC, datetime

    from debrief_tui.core.persistence.engine import open_engine
    from debrief_tui.core.persistence.unit import Database

    engine = open_engine(str(db))
    database = Database(engine)
    row = database.write(lambda tx: tx.sessions.create("Memory", "SEV2"))
    assert row.id == 1
    lines = [
        ("Priya Raman", f"minute number {n}: the room said something worth keeping")
        for n in range(10_000)
    ]
    database.write(
        lambda tx: tx.minutes.add(1, "ground-rules", [(a, t) for a, t in lines], datetime.now(UTC))
    )
    engine.dispose()


def _peak_mb(code: str, *args: str) -> float:
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"memory probe failed:\n{done.stderr[-2000:]}")
    return int(done.stdout.split()[-1]) / 1024


def measure(runs: int, workdir: Path) -> tuple[list[float], list[float]]:
    """Peak RSS in MB of the bare app and of debrief with 10,000 minutes, `runs` times each."""
    db = workdir / "memory.db"
    _prepare(db)
    bare = [_peak_mb(_BARE) for _ in range(runs)]
    ours = [_peak_mb(_OURS, str(db)) for _ in range(runs)]
    return bare, ours
