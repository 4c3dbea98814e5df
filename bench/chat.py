"""Importing an incident channel at size: 50,000 messages from a Slack export, read whole (every
day file parsed, markup cleaned, authors resolved, threads put under their parents) and
committed in one transaction, against the floor of parsing the same files with `json.loads`
and a plain sqlite3 executemany of the same rows.
"""

from __future__ import annotations

import json
import sqlite3
import time
import zipfile
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from debrief_tui.core.persistence.unit import Unit
    from debrief_tui.core.timeline.chat import ChatMessage

START = datetime(2025, 3, 21, 8, 0, tzinfo=UTC)
CHANNEL = "incident-checkout"
PEOPLE = [(f"U{n:04d}", f"person{n}", f"Person {n} Surname{n % 7}") for n in range(40)]


def build_export(root: Path, messages: int, *, zipped: bool = True) -> Path:
    """A Slack export of one channel with `messages` messages (one every 5 s, over days):
    mentions, links, escapes and emoji in the text, reactions, pins, threads, joins."""
    root.mkdir(parents=True, exist_ok=True)
    users = [
        {"id": uid, "name": name, "real_name": real, "profile": {"display_name": name}}
        for uid, name, real in PEOPLE
    ]
    channels = [{"id": "C0BENCH", "name": CHANNEL, "members": [p[0] for p in PEOPLE]}]
    days: dict[str, list[dict[str, Any]]] = {}
    parent = ""
    for n in range(messages):
        moment = START + timedelta(seconds=5 * n)
        uid = PEOPLE[n % len(PEOPLE)][0]
        ts = f"{int(moment.timestamp())}.{n % 1000:06d}"
        item: dict[str, Any] = {
            "type": "message",
            "user": uid,
            "ts": ts,
            "text": (
                f"<@{PEOPLE[(n + 3) % len(PEOPLE)][0]}> p99 latency on checkout &gt; 2s again "
                f"({n}), see <https://grafana.example.com/d/{n}|the dashboard> :fire:"
            ),
        }
        if n % 10 == 0:
            parent = ts
            item["reply_count"] = 3
        elif n % 10 < 4:
            item["thread_ts"] = parent
        if n % 25 == 0:
            item["pinned_to"] = ["C0BENCH"]
        if n % 7 == 0:
            item["reactions"] = [{"name": "pushpin", "users": [uid], "count": 1}]
        if n % 500 == 0:
            item = {"type": "message", "subtype": "channel_join", "user": uid, "ts": ts,
                    "text": f"<@{uid}> has joined the channel"}  # fmt: skip
        days.setdefault(moment.date().isoformat(), []).append(item)
    files = {"channels.json": channels, "users.json": users}
    files |= {f"{CHANNEL}/{day}.json": items for day, items in days.items()}
    if not zipped:
        for name, value in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(json.dumps(value, indent=4))
        return root
    target = root / "export.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, value in files.items():
            archive.writestr(name, json.dumps(value, indent=4))
    return target


def _add(tx: Unit, session_id: int, messages: list[ChatMessage]) -> int:
    from debrief_tui.core.timeline.chat import chat_rows

    people = [person.name for person in tx.attendees.of(session_id)]
    return tx.timeline.add_many(session_id, chat_rows(messages, people))


def measure_import(
    runs: int, workdir: Path, messages: int = 50_000
) -> tuple[list[float], list[float]]:
    """Seconds from the export on disk to the channel's events committed (`debrief import ID
    EXPORT.zip --channel NAME --all`); the floor's seconds for the same files and rows."""
    from debrief_tui.core.persistence.engine import open_engine
    from debrief_tui.core.persistence.unit import Database
    from debrief_tui.core.timeline.chat import ALL, ChatChoice, read_chat_export

    export = build_export(workdir / "chat-export", messages)
    ours, floor = [], []
    for run in range(runs):
        database = Database(open_engine(str(workdir / f"chat-{run}.db")))
        session = database.write(lambda tx: tx.sessions.create("Bench", "SEV2"))
        assert session.id is not None
        database.write(partial(_attendees, session_id=session.id))
        start = time.perf_counter()
        read = read_chat_export(export, ChatChoice(CHANNEL, ALL))
        count = database.write(partial(_add, session_id=session.id, messages=read.messages))
        ours.append(time.perf_counter() - start)
        database.dispose()
        assert count == messages, count
        start = time.perf_counter()
        with zipfile.ZipFile(export) as archive:
            values = [
                (item["ts"], item["user"], item["text"])
                for name in archive.namelist()
                if name.startswith(CHANNEL + "/")
                for item in json.loads(archive.read(name))
            ]
        plain = sqlite3.connect(workdir / f"chat-plain-{run}.db")
        plain.execute("PRAGMA synchronous=FULL")
        plain.execute("CREATE TABLE t (at TEXT, author TEXT, text TEXT)")
        with plain:
            plain.executemany("INSERT INTO t VALUES (?, ?, ?)", values)
        plain.close()
        floor.append(time.perf_counter() - start)
    return ours, floor


def _attendees(tx: Unit, session_id: int) -> None:
    for _uid, _name, real in PEOPLE[:8]:
        tx.attendees.add(session_id, real)


if __name__ == "__main__":  # a quick look: python -m bench.chat
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        ours, floor = measure_import(3, Path(tmp))
        print(f"ours {[round(s, 3) for s in ours]} s, floor {[round(s, 3) for s in floor]} s")
