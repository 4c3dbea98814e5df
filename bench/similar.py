"""Learning across incidents at size: "have we seen this before?" for one session, and the
review timing of every session (the session list's Review column, `debrief list`), on a
generated database of 10,000 sessions, 50,000 actions, 20,000 factors and 10,000 root causes.

Run `python -m bench.similar [--postgres URL]`; it prints the median and p95 of each in ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import SQLModel

import debrief_tui.core.persistence.models  # noqa: F401 - the tables, in the metadata
from debrief_tui.core.persistence import open_database
from debrief_tui.core.persistence.unit import Database
from debrief_tui.core.sessions import session_timeliness

SESSIONS, ACTIONS_EACH, FACTORS_EACH = 10_000, 5, 2
SERVICES = [f"svc-{n}" for n in range(120)]
CATEGORIES = ["technical", "process", "people and organisation", "external", "response"]
WORDS = [f"word{n}" for n in range(300)]
"""Root causes and titles draw 5 and 3 words from 300; sessions differ as real ones do."""
START = datetime(2022, 1, 3, 9, 0, tzinfo=UTC)


def generate(db: Database, seed: int = 18) -> None:
    """Fill `db` with the generated sessions, in a few bulk inserts."""
    rng = random.Random(seed)
    sessions, actions, factors, whys, runs = [], [], [], [], []
    for n in range(1, SESSIONS + 1):
        started = START + timedelta(hours=7 * n)
        sessions.append(
            {
                "id": n,
                "title": f"Incident {n}: {' '.join(rng.sample(WORDS, 3))}",
                "severity": rng.choice(["SEV1", "SEV2", "SEV3", "SEV4"]),
                "status": "published",
                "timezone": rng.choice(["UTC", "Europe/Amsterdam", "Pacific/Auckland"]),
                "summary": "",
                "created_at": started,
                "updated_at": started,
                "started_at": started,
                "resolved_at": started + timedelta(hours=3),
                "services_affected": ", ".join(rng.sample(SERVICES, 2)),
            }
        )
        for k in range(ACTIONS_EACH):
            actions.append(
                {
                    "session_id": n,
                    "text": f"Action {k} of {n}",
                    "owner": "SRE",
                    "priority": "P2",
                    "type": "prevent",
                    "status": rng.choice(["open", "done", "done"]),
                    "ticket": "",
                    "proposal": False,
                }
            )
        for k in range(FACTORS_EACH):
            factors.append(
                {"session_id": n, "category": rng.choice(CATEGORIES), "text": "f", "position": k}
            )
        whys.append(
            {
                "id": n,
                "session_id": n,
                "parent_id": None,
                "position": 0,
                "text": " ".join(rng.sample(WORDS, 5)),
                "root_cause": True,
            }
        )
        if rng.random() < 0.8:
            held = started + timedelta(days=rng.randint(0, 9))
            runs.append({"session_id": n, "stage": "ground-rules", "started_at": held})
    with db.engine.begin() as conn:
        tables = SQLModel.metadata.tables
        for table, rows in (
            ("session", sessions),
            ("action", actions),
            ("factor", factors),
            ("why_node", whys),
            ("stage_run", runs),
        ):
            conn.execute(sa.insert(tables[table]), rows)
        if conn.dialect.name == "postgresql":  # ids were given: move the sequences past them
            for table in ("session", "why_node"):
                conn.execute(
                    sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
                )


def timed(job: Callable[[], Any], runs: int) -> tuple[float, float]:
    """Median and p95 of `job`'s time in ms."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        job()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))]


def measure(db: Database, runs: int = 15) -> dict[str, tuple[float, float]]:
    """The figures for one backend."""
    rng = random.Random(7)
    now = datetime.now(UTC)

    def seen_before() -> None:
        session_id = rng.randint(1, SESSIONS)
        db.read(lambda tx: tx.history.seen_before(session_id))

    def review_column() -> None:
        rows, starts = db.read(lambda tx: (tx.sessions.matching(), tx.history.meeting_starts()))
        for row in rows:
            session_timeliness(row, starts.get(row.id or 0), now)

    return {
        "seen before (one session, with its actions)": timed(seen_before, runs),
        "meeting starts of every session": timed(
            lambda: db.read(lambda tx: tx.history.meeting_starts()), runs
        ),
        "list + review timing of every session": timed(review_column, runs),
    }


def main() -> None:
    """Generate, measure, print."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", metavar="URL", help="an empty PostgreSQL database")
    args = parser.parse_args()
    targets: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        targets.append(("SQLite", str(Path(tmp) / "bench.db")))
        if args.postgres:
            targets.append(("PostgreSQL", args.postgres))
        for name, url in targets:
            db = open_database(url)
            started = time.perf_counter()
            generate(db)
            print(f"{name}: generated in {time.perf_counter() - started:.1f} s")
            for figure, (median, p95) in measure(db).items():
                print(f"  {figure}: median {median:.0f} ms, p95 {p95:.0f} ms")
            db.dispose()


if __name__ == "__main__":
    main()
