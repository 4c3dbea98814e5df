"""Issue 18 at a team's scale: a database of 10,000 sessions, 1,000,000 minutes and 50,000
actions (`scale_data.py`), on SQLite and on the PostgreSQL server when there is one.

- `debrief actions --overdue` and `debrief report`: the whole command, process start to exit,
  against `debrief --version` (the same process start, doing nothing) in the same run.
- Search: `tx.search.find` for words of the generated text, one read each.
- The session list: the read and the table filled, from asking to the frame that shows it;
  typing in its filter, from the key to the frame that shows the letter (against a bare app
  repainting on a key) and to the frame that shows the sessions it matches.
- The Follow-ups screen: from its key on the session list to the frame that shows the actions.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Any

from bench.stats import Figure
from bench.timeline import _floor, _press
from bench.timing import timed

QUERIES = (
    "certificate", "rollback", "canary", "runbook", "dashboard", "webhooks", "checkout",
    "latency", "customers reported", "status page", "failover", "databa", "kafka queue",
)  # fmt: skip
"""Words of the generated text (and a prefix, as typed), each found in thousands of rows."""


def _debrief() -> str:
    return str(Path(sys.executable).parent / "debrief")


def _run(argv: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{argv} failed: {done.stderr[-400:]}")
    return elapsed


def measure_commands(url: str, runs: int, workdir: Path) -> dict[str, list[float]]:
    """Seconds for `actions --overdue` and `report`, interleaved with the process floor."""
    out: dict[str, list[float]] = {"floor": [], "actions": [], "report": []}
    report = workdir / "report.html"
    for _ in range(runs):
        out["floor"].append(_run([_debrief(), "--version"]))
        out["actions"].append(_run([_debrief(), "--db", url, "actions", "--overdue"]))
        out["report"].append(
            _run([_debrief(), "--db", url, "report", "--out", str(report), "--force"])
        )
    return out


def _find(tx: Any, query: str) -> Any:
    from debrief_tui.core.sessions import parse_search

    return tx.search.find(parse_search(query))


def measure_seen_before(url: str, runs: int) -> list[float]:
    """Milliseconds for "have we seen this before?" of one session, with the past sessions'
    actions (the wrap-up's `s`, setup's `f4`)."""
    import random

    from debrief_tui.core.persistence import open_database

    rng = random.Random(7)
    database = open_database(url)
    try:
        samples = []
        for _ in range(runs):
            session_id = rng.randint(1, 10_000)
            start = time.perf_counter()
            database.read(partial(_seen, session_id=session_id))
            samples.append((time.perf_counter() - start) * 1000)
        return samples
    finally:
        database.dispose()


def _seen(tx: Any, session_id: int) -> Any:
    return tx.history.seen_before(session_id)


def _nothing(tx: Any) -> None:
    return None


def measure_search(url: str, rounds: int) -> tuple[list[float], list[float]]:
    """Milliseconds per search (a read transaction each, as the session list makes one), and
    per empty read transaction (the floor)."""
    from debrief_tui.core.persistence import open_database

    database = open_database(url)
    try:
        samples, floor = [], []
        for _ in range(rounds):
            for query in QUERIES:
                start = time.perf_counter()
                database.read(_nothing)
                floor.append((time.perf_counter() - start) * 1000)
                start = time.perf_counter()
                database.read(partial(_find, query=query))
                samples.append((time.perf_counter() - start) * 1000)
        return samples, floor
    finally:
        database.dispose()


async def _list_and_follow_ups(url: str, samples: int) -> dict[str, list[float]]:
    from textual.widgets import Input

    from debrief_tui.core.persistence import open_database
    from debrief_tui.startup import create_app
    from debrief_tui.ui.screens.session_list import SessionListScreen, SessionTable

    database = open_database(url)
    app = create_app(database)
    out: dict[str, list[float]] = {"open": [], "key": [], "result": [], "follow-ups": []}
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionListScreen)
        table = screen.query_one(SessionTable)
        for _ in range(samples):
            shown = screen.sessions

            def reloaded(previous: Any = shown) -> bool:
                return screen.sessions is not previous and table.row_count > 0

            out["open"].append(await timed(app, screen.reload, reloaded))
        box = screen.query_one("#filter", Input)
        screen.set_focus(box)
        await pilot.pause()
        for n in range(2 * samples):
            # A word typed a letter at a time, the box emptied between words; even keys are
            # timed to the letter's frame, odd ones to the frame with the sessions it finds.
            word = QUERIES[(n // 6) % len(QUERIES)]
            if n % 6 == 0:
                box.value = ""
                await app.workers.wait_for_complete()
                await pilot.pause()
            typed = box.value + word[len(box.value) % len(word)]
            press = _press(app, typed[-1])
            if n % 2 == 0:
                out["key"].append(await timed(app, press, partial(_holds, box, typed)))
            else:
                out["result"].append(
                    await timed(app, press, partial(_changed, screen, screen.sessions))
                )
            await app.workers.wait_for_complete()
            await pilot.pause()
        box.value = ""
        await app.workers.wait_for_complete()
        screen.set_focus(table)
        await pilot.pause()
        out["follow-ups"] = await _follow_ups(app, pilot, samples // 10 or 1)
    database.dispose()
    return out


async def _follow_ups(app: Any, pilot: Any, samples: int) -> list[float]:
    """Milliseconds from the Follow-ups key on the session list to the frame that shows its
    actions: the first time (read from the database) and each time after (kept, and read
    again only when the change log says an action changed)."""
    from textual.widgets import DataTable

    from debrief_tui.ui.screens.follow_ups import FollowUpsScreen

    def shown() -> bool:
        screen = app.screen
        return isinstance(screen, FollowUpsScreen) and screen.query_one(DataTable).row_count > 0

    out = []
    for _ in range(samples):
        out.append(await timed(app, _press(app, "a"), shown))
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
    return out


def _holds(box: Any, typed: str) -> bool:
    return bool(box.value == typed)


def _changed(screen: Any, before: object) -> bool:
    return screen.sessions is not before


def measure_screens(url: str, samples: int) -> dict[str, list[float]]:
    """The session list (open, filter key, filter result), the Follow-ups screen, the floor."""
    found = asyncio.run(_list_and_follow_ups(url, samples))
    found["floor"] = asyncio.run(_floor(samples))  # the timeline's: a bare app's repaint
    return found


def build(url: str, today: date) -> dict[str, int]:
    """Generate the database (see `scale_data`)."""
    from bench.scale_data import populate

    return populate(url, today)


def figures(workdir: Path, postgres: str | None, *, quick: bool = False) -> list[Figure]:
    """Every scale figure, on SQLite and (with a server) on PostgreSQL."""
    urls = {"sqlite": str(workdir / "scale.db")}
    if postgres is not None:
        urls["postgresql"] = postgres
    runs, rounds, samples = (3, 2, 20) if quick else (7, 8, 60)
    found: list[Figure] = []
    for backend, url in urls.items():
        build(url, datetime.now(UTC).date())
        commands = measure_commands(url, runs, workdir)
        search, reads = measure_search(url, rounds)
        seen = measure_seen_before(url, 5 * runs)
        screens = measure_screens(url, samples)
        where = f"{backend}, 10,000 sessions"
        found += [
            Figure(
                f"{where}: search every text (p95)",
                "ms",
                search,
                "an empty read transaction",
                reads,
                goal_max=100,
            ),
            Figure(
                f"{where}: seen before, one session with the past ones' actions",
                "ms",
                seen,
                "an empty read transaction",
                reads,
            ),
            Figure(
                f"{where}: `debrief actions --overdue`, start to exit",
                "s",
                commands["actions"],
                "`debrief --version`",
                commands["floor"],
                goal_max=0.5,
            ),
            Figure(
                f"{where}: `debrief report`, start to exit",
                "s",
                commands["report"],
                "`debrief --version`",
                commands["floor"],
                goal_max=2.0,
            ),
            Figure(
                f"{where}: session list read and shown",
                "ms",
                screens["open"],
                "bare app repainting a Static on a key",
                screens["floor"],
                goal_max=300,
            ),
            Figure(
                f"{where}: filter, key to the letter's frame (p95)",
                "ms",
                screens["key"],
                "bare app repainting a Static on a key (p95)",
                screens["floor"],
                goal_ratio=1.5,
                by="p95",
            ),
            Figure(
                f"{where}: filter, key to the matching sessions' frame",
                "ms",
                screens["result"],
                "bare app repainting a Static on a key",
                screens["floor"],
            ),
        ]
        if screens["follow-ups"]:
            found.append(
                Figure(
                    f"{where}: Follow-ups screen, key to the actions shown",
                    "ms",
                    screens["follow-ups"],
                    "bare app repainting a Static on a key",
                    screens["floor"],
                    goal_max=300,
                )
            )
    return found


def main() -> int:
    """`python -m bench.scale [--quick]`: the scale figures alone, printed and written to
    bench/results-scale.md."""
    import tempfile

    from bench.seats import postgres_database
    from bench.stats import HEADER

    with tempfile.TemporaryDirectory() as tmp, postgres_database() as postgres:
        found = figures(Path(tmp), postgres, quick="--quick" in sys.argv)
    text = "\n".join(
        [
            "# Scale benchmark results",
            "",
            f"{datetime.now(UTC):%Y-%m-%d} · 10,000 sessions, 1,000,000 minutes, 50,000 "
            "actions (generated, bench/scale_data.py). Every floor is measured in the same run.",
            "",
            HEADER,
            *(f.row() for f in found),
            "",
        ]
    )
    print(text)
    Path(__file__).with_name("results-scale.md").write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
