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
from pathlib import Path


def _prepare(scale: int, workdir: Path) -> tuple[Path, int]:
    from debrief_tui.core.persistence.db import open_engine
    from debrief_tui.core.persistence.store import Store
    from debrief_tui.core.store_types import ActionLinks, ActionRow, TimelineRow

    db = workdir / f"export-{scale}.db"
    store = Store(open_engine(str(db)))
    start = datetime(2025, 3, 21, 9, tzinfo=UTC)
    session = store.create_session("Bench export", "SEV2", "Europe/Berlin", summary="Big one")
    sid = session.id
    assert sid is not None
    store.update_session(sid, started_at=start, resolved_at=start + timedelta(hours=5))
    store.add_attendee(sid, "Mei Lin", "payments", "postmortem owner")
    events = [
        TimelineRow(start + timedelta(seconds=15 * i), f"event {i}: the queue grew", "observation")
        for i in range(100 * scale)
    ]
    store.add_timeline_events(sid, events)
    for chunk in range(10 * scale):
        lines: list[tuple[str | None, str]] = [
            (None, f"minute {chunk}-{i}: we looked at the dashboards") for i in range(100)
        ]
        store.add_minutes(sid, "timeline", lines, start + timedelta(days=1, seconds=chunk))
    root = store.problem_statement(sid)
    parents = [root.id or 0]
    made: list[int] = []
    while len(made) < 50 * scale:
        parent = parents[len(made) % len(parents)]
        node = store.add_why(parent, f"cause {len(made)}: the check ran before the data")
        made.append(node.id or 0)
        if len(made) % 3 == 0:
            parents.append(node.id or 0)
    for i in range(20 * scale):
        store.add_action(
            sid,
            ActionRow(f"Add an alert for case {i}", "Mei Lin", date(2025, 5, 1), "P2", "detect"),
            ActionLinks((), (made[i % len(made)],)),
        )
    store.engine.dispose()
    return db, sid


def measure(samples: int, workdir: Path) -> dict[str, list[float]]:
    """Seconds to write every format for the large (`10`) and the small (`1`) session, and
    the floor (json.dumps of the large export)."""
    from debrief_tui.core.export.exporting import ExportOptions, export_files
    from debrief_tui.core.export.formats import FORMATS
    from debrief_tui.core.export.json_export import build_export
    from debrief_tui.core.persistence.db import open_engine
    from debrief_tui.core.persistence.store import Store

    out: dict[str, list[float]] = {"10": [], "1": [], "floor": []}
    prepared = {scale: _prepare(scale, workdir) for scale in (10, 1)}
    options = ExportOptions(today=date(2025, 3, 24))
    for _ in range(samples):
        for scale, (db, sid) in prepared.items():
            store = Store(open_engine(str(db)))
            folder = workdir / f"out-{scale}"
            folder.mkdir(exist_ok=True)
            began = time.perf_counter()
            export_files(store, sid, list(FORMATS), folder, options, force=True)
            out[str(scale)].append(time.perf_counter() - began)
            if scale == 10:
                data = build_export(store, sid, today=options.today)
                began = time.perf_counter()
                json.dumps(data, ensure_ascii=False)
                out["floor"].append(time.perf_counter() - began)
            store.engine.dispose()
    return out
