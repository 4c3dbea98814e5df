"""The 5 Whys stage at size: a tree of 1,000 nodes against one of 10, and the floor.

Each sample runs from the key (or the confirmed answer) to the first refresh that shows it.
Adding a node is timed from Enter in the answer box: committed, laid out and shown (the
answer is typed 0.3 s before Enter, as a person would). The floor
is the bare Textual app of `bench.timeline` repainting a Static on a key. Opening the stage
is timed from the key that moves the meeting to it to the first refresh showing the tree.
"""

from __future__ import annotations

import asyncio
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events

from bench.timeline import _floor, _grew, _press
from bench.timing import timed

if TYPE_CHECKING:
    from debrief_tui.core.persistence.unit import Unit


def _grow(database: Any, session_id: int, nodes: int) -> None:
    """A tree of `nodes` answers: branches five deep, fanning out."""
    database.write(partial(_grow_in, session_id=session_id, nodes=nodes))


def _grow_in(tx: Unit, session_id: int, nodes: int) -> None:
    parents = [tx.whys.ensure_root(session_id).id or 0]
    made = 0
    while made < nodes:
        next_parents = []
        for parent in parents:
            for branch in range(3):
                if made >= nodes:
                    break
                text = f"cause {made}: the check ran before the data {branch}"
                next_parents.append(tx.whys.add(parent, text).id or 0)
                made += 1
        parents = next_parents[-50:] or parents


def _prepare(nodes: int, workdir: Path) -> tuple[Path, int]:
    from debrief_tui.core.persistence.engine import open_engine
    from debrief_tui.core.persistence.unit import Database

    db = workdir / f"whys-{nodes}.db"
    database = Database(open_engine(str(db)))
    session = database.write(
        lambda tx: tx.sessions.create("Bench", "SEV2", summary="Checkout failed")
    )
    assert session.id is not None
    if nodes:
        _grow(database, session.id, nodes)
    database.engine.dispose()
    return db, session.id


async def _stage(samples: int, db: Path, session_id: int) -> dict[str, list[float]]:
    from debrief_tui.core.persistence.engine import open_engine
    from debrief_tui.core.persistence.unit import Database
    from debrief_tui.startup import create_app
    from debrief_tui.ui.screens.whys import WhysScreen
    from debrief_tui.ui.widgets.why_tree import WhyTreeView

    database = Database(open_engine(str(db)))
    database.write(lambda tx: tx.meeting.set_state(session_id, current_stage="timeline"))
    app = create_app(database, session_id=session_id)

    def tree_shown() -> bool:
        screen = app.screen
        return (
            isinstance(screen, WhysScreen)
            and bool(screen.query(WhyTreeView))
            and bool(screen.query_one(WhyTreeView)._order)
        )

    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        opened = [await timed(app, _press(app, "f8"), tree_shown)]
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WhysScreen)
        view = screen.query_one(WhyTreeView)
        view.action_last()
        await pilot.pause()
        keys = []
        for n in range(samples if len(view._order) > 1 else 0):
            before = view.selected or 0
            key = "up" if n % 2 == 0 else "down"
            keys.append(await timed(app, _press(app, key), _sel_moved(view, before)))
        adds = []
        for n in range(samples):
            view.action_first()
            await pilot.pause()
            screen.action_ask_why()
            await pilot.pause()
            box = screen.query_one("#why-input")
            box.value = f"answer {n}"  # type: ignore[attr-defined]
            await asyncio.sleep(0.3)  # a person pauses at least this long before Enter
            await pilot.pause()
            count = len(screen.whys.nodes)
            adds.append(
                await timed(
                    app,
                    lambda: app.post_message(events.Key("enter", "\r")),
                    _grew(lambda: len(screen.whys.nodes), count),
                )
            )
        await app.gateway.write(
            lambda tx: tx.meeting.set_state(session_id, current_stage="timeline")
        )
        return {"open": opened, "key": keys, "add": adds}


def _sel_moved(view: Any, before: int) -> Any:
    return lambda: view.selected != before


def measure(samples: int, workdir: Path, rounds: int = 10) -> dict[str, list[float]]:
    """Milliseconds per key and per added node with 10 and 1,000 nodes; the floor; and the
    time to open the stage with 1,000 nodes and with none (one opening per round)."""
    dbs = {nodes: _prepare(nodes, workdir) for nodes in (0, 10, 1000)}
    out: dict[str, list[float]] = {}
    per_round = max(1, samples // rounds)
    for _ in range(rounds):
        out.setdefault("floor", []).extend(asyncio.run(_floor(per_round)))
        for nodes, (db, session_id) in dbs.items():
            got = asyncio.run(_stage(per_round, db, session_id))
            for name, values in got.items():
                out.setdefault(f"{name}-{nodes}", []).extend(values)
    return out
