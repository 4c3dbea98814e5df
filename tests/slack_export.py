"""Slack workspace exports built from a small spec, in the documented format.

The format (Slack's help article "How to read Slack data exports",
https://slack.com/help/articles/220556107, and the `message` event reference,
https://docs.slack.dev/reference/events/message): `channels.json` and `users.json` at the top,
and a folder per channel holding one JSON list of messages per day, `<name>/<YYYY-MM-DD>.json`.
A message has `type`, `user`, `text` and `ts` (seconds since 1970, UTC, with microseconds); a
pinned one lists the channel in `pinned_to`, a reacted one has `reactions`, a thread reply has
the parent's `ts` as its `thread_ts`. tests/examples/slack/ is a small one written by hand.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

PEOPLE: dict[str, tuple[str, str, str]] = {
    "U01PRIYA": ("priya", "Priya Raman", "priya"),
    "U02JOSE": ("jose.alvarez", "José Álvarez", "José"),
    "U03SAM": ("sam", "Sam Okafor", "sam.o"),
    "U04MEI": ("mei", "Mei Chen", ""),
}
"""user id -> (name, real_name, display_name)."""

CHANNEL_IDS = {"incident-checkout": "C0INC1", "general": "C0GEN1", "random": "C0RND1"}


def ts_of(moment: datetime, serial: int = 0) -> str:
    """Slack's `ts` for a moment (microseconds `serial` apart keep messages of one second
    apart, as Slack's do)."""
    moment = moment.astimezone(UTC)
    seconds = int(moment.replace(microsecond=0).timestamp())
    return f"{seconds}.{moment.microsecond + serial:06d}"


@dataclass
class Msg:
    """One message of the spec: when, who (a user id), what; and its marks."""

    at: datetime
    user: str | None
    text: str
    pinned: bool = False
    reactions: tuple[str, ...] = ()
    reply_to: datetime | None = None
    """The parent's time, for a thread reply."""
    subtype: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def ts(self) -> str:
        return ts_of(self.at)


def message(spec: Msg, channel_id: str) -> dict[str, Any]:
    """The message as an export writes it."""
    item: dict[str, Any] = {"type": "message", "text": spec.text, "ts": spec.ts()}
    if spec.user is not None:
        item["user"] = spec.user
        item["team"] = "T0ACME"
    if spec.subtype is not None:
        item["subtype"] = spec.subtype
    if spec.pinned:
        item["pinned_to"] = [channel_id]
    if spec.reactions:
        item["reactions"] = [
            {"name": name, "users": ["U03SAM"], "count": 1} for name in spec.reactions
        ]
    if spec.reply_to is not None:
        item["thread_ts"] = ts_of(spec.reply_to)
        item["parent_user_id"] = "U01PRIYA"
    item.update(spec.extra)
    return item


def users_json(people: dict[str, tuple[str, str, str]] = PEOPLE) -> list[dict[str, Any]]:
    """users.json for `people`."""
    return [
        {
            "id": user_id,
            "team_id": "T0ACME",
            "name": name,
            "deleted": False,
            "real_name": real,
            "tz": "Europe/London",
            "profile": {
                "real_name": real,
                "display_name": display,
                "real_name_normalized": real,
                "display_name_normalized": display,
            },
            "is_bot": False,
        }
        for user_id, (name, real, display) in people.items()
    ]


def write_export(
    root: Path,
    channels: dict[str, list[Msg]],
    *,
    people: dict[str, tuple[str, str, str]] = PEOPLE,
    users: bool = True,
    pins: dict[str, list[datetime]] | None = None,
) -> Path:
    """A Slack export folder at `root` with these channels' messages (each in the day file
    of its UTC date); `pins` adds channels.json pins by message time."""
    root.mkdir(parents=True, exist_ok=True)
    listed = []
    for name in channels:
        channel_id = CHANNEL_IDS.get(name, "C0" + name.upper()[:8])
        entry: dict[str, Any] = {
            "id": channel_id,
            "name": name,
            "created": 1700000000,
            "creator": "U01PRIYA",
            "is_archived": False,
            "is_general": name == "general",
            "members": list(people),
            "topic": {"value": "", "creator": "", "last_set": 0},
            "purpose": {"value": "", "creator": "", "last_set": 0},
        }
        if pins and name in pins:
            entry["pins"] = [
                {"id": ts_of(at), "type": "C", "created": 1700000000, "user": "U01PRIYA"}
                for at in pins[name]
            ]
        listed.append(entry)
    (root / "channels.json").write_text(json.dumps(listed, indent=4), encoding="utf-8")
    if users:
        (root / "users.json").write_text(json.dumps(users_json(people), indent=4), "utf-8")
    for name, specs in channels.items():
        channel_id = CHANNEL_IDS.get(name, "C0" + name.upper()[:8])
        days: dict[str, list[dict[str, Any]]] = {}
        for spec in specs:
            days.setdefault(spec.at.astimezone(UTC).date().isoformat(), []).append(
                message(spec, channel_id)
            )
        folder = root / name
        folder.mkdir(exist_ok=True)
        for day, items in days.items():
            items.sort(key=lambda m: float(m["ts"]))
            (folder / f"{day}.json").write_text(
                json.dumps(items, indent=4, ensure_ascii=False), encoding="utf-8"
            )
    return root


def zip_export(folder: Path, target: Path, *, inside: str = "") -> Path:
    """The export folder zipped as Slack hands it out (or inside one more folder)."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, inside + path.relative_to(folder).as_posix())
    return target


def at(text: str) -> datetime:
    """`2025-03-21 09:40[:05]` in UTC."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def incident_channel() -> list[Msg]:
    """A short incident channel: a join, pinned and reacted messages, a thread, markup, a bot."""
    return [
        Msg(at("2025-03-21 09:30"), "U01PRIYA", "", subtype="channel_join",
            extra={"text": "<@U01PRIYA> has joined the channel"}),
        Msg(at("2025-03-21 09:37"), "U01PRIYA",
            "Checkout errors spiking, <@U02JOSE> can you look? :fire:", pinned=True),
        Msg(at("2025-03-21 09:40"), "U02JOSE",
            "Looking. Dashboard: <https://grafana.example.com/d/abc|checkout latency>",
            reactions=("eyes",)),
        Msg(at("2025-03-21 09:42"), "U02JOSE", "Found it: deploy 4411 &amp; config &lt;v2&gt;",
            pinned=True, reactions=("pushpin",)),
        Msg(at("2025-03-21 09:44"), "U03SAM", "I'll post on the status page",
            reply_to=at("2025-03-21 09:42"), reactions=("pushpin",)),
        Msg(at("2025-03-21 09:45"), "U01PRIYA", "rolling back now, see <#C0GEN1|general>",
            reply_to=at("2025-03-21 09:42")),
        Msg(at("2025-03-21 09:50"), "U04MEI", "lunch?"),
        Msg(at("2025-03-21 10:05"), "U01PRIYA", "Resolved: error rate back to normal :tada:",
            pinned=True, reactions=("pushpin", "white_check_mark")),
    ]  # fmt: skip
