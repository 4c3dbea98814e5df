"""Exporting a large session in every format, and a tenth of it (growth must be linear).

The large session has 10,000 minutes, 1,000 timeline events, 500 why-nodes and 200 actions;
the small one a tenth of each. Each sample writes all formats to a folder (reading the session
from the database included), as `debrief export ID --format all` does. The floor is
`json.dumps` of the same export data: the least any writer could do.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from debrief_tui.core.export import ExportSource
    from debrief_tui.core.persistence.unit import Unit


def _prepare(scale: int, workdir: Path) -> tuple[Path, int]:
    from debrief_tui.core.actions.items import ActionLinks, ActionRow
    from debrief_tui.core.persistence.engine import open_engine
    from debrief_tui.core.persistence.unit import Database
    from debrief_tui.core.timeline.events import TimelineRow

    db = workdir / f"export-{scale}.db"
    database = Database(open_engine(str(db)))
    start = datetime(2025, 3, 21, 9, tzinfo=UTC)
    session = database.write(
        lambda tx: tx.sessions.create("Bench export", "SEV2", "Europe/Berlin", summary="Big one")
    )
    sid = session.id
    assert sid is not None
    database.write(
        lambda tx: tx.sessions.update(sid, started_at=start, resolved_at=start + timedelta(hours=5))
    )
    database.write(lambda tx: tx.attendees.add(sid, "Mei Lin", "payments", "postmortem owner"))
    events = [
        TimelineRow(start + timedelta(seconds=15 * i), f"event {i}: the queue grew", "observation")
        for i in range(100 * scale)
    ]
    database.write(lambda tx: tx.timeline.add_many(sid, events))

    def fill(tx: Unit) -> None:
        for chunk in range(10 * scale):
            lines: list[tuple[str | None, str]] = [
                (None, f"minute {chunk}-{i}: we looked at the dashboards") for i in range(100)
            ]
            tx.minutes.add(sid, "timeline", lines, start + timedelta(days=1, seconds=chunk))
        parents = [tx.whys.ensure_root(sid).id or 0]
        made: list[int] = []
        while len(made) < 50 * scale:
            parent = parents[len(made) % len(parents)]
            node = tx.whys.add(parent, f"cause {len(made)}: the check ran before the data")
            made.append(node.id or 0)
            if len(made) % 3 == 0:
                parents.append(node.id or 0)
        for i in range(20 * scale):
            tx.actions.add(
                sid,
                ActionRow(
                    f"Add an alert for case {i}", "Mei Lin", date(2025, 5, 1), "P2", "detect"
                ),
                ActionLinks((), (made[i % len(made)],)),
            )

    database.write(fill)
    database.engine.dispose()
    return db, sid


def _export_source(tx: Unit, session_id: int) -> ExportSource:
    return tx.snapshots.export(session_id)


def measure(samples: int, workdir: Path) -> dict[str, list[float]]:
    """Seconds to write every format for the large (`10`) and the small (`1`) session, and
    the floor (json.dumps of the large export)."""
    from debrief_tui.core.export.exporting import ExportOptions, export_files
    from debrief_tui.core.export.formats import FORMATS
    from debrief_tui.core.export.json_export import build_export
    from debrief_tui.core.persistence.engine import open_engine
    from debrief_tui.core.persistence.unit import Database

    out: dict[str, list[float]] = {"10": [], "1": [], "floor": []}
    prepared = {scale: _prepare(scale, workdir) for scale in (10, 1)}
    options = ExportOptions(today=date(2025, 3, 24))
    for _ in range(samples):
        for scale, (db, sid) in prepared.items():
            database = Database(open_engine(str(db)))
            folder = workdir / f"out-{scale}"
            folder.mkdir(exist_ok=True)
            began = time.perf_counter()
            source = database.read(partial(_export_source, session_id=sid))
            export_files(source, list(FORMATS), folder, options, force=True)
            out[str(scale)].append(time.perf_counter() - began)
            if scale == 10:
                data = build_export(source, today=options.today)
                began = time.perf_counter()
                json.dumps(data, ensure_ascii=False)
                out["floor"].append(time.perf_counter() - began)
            database.engine.dispose()
    return out
