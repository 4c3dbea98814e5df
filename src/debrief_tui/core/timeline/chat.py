"""Reading an incident channel from a chat export into timeline events.

The export is the one every Slack workspace admin can download (Slack's help article "How to
read Slack data exports", https://slack.com/help/articles/220556107): a zip, or the folder it
unpacks to, holding `channels.json` (`groups.json` for private channels: each channel's `id`,
`name` and its `pins`), `users.json` (`org_users.json` on Enterprise Grid: each member's `id`,
`name`, `real_name` and `profile.display_name`) and a folder per channel with one file of
messages per day, `<name>/<YYYY-MM-DD>.json` (some tools write `channels/<name>/...`). Each
message has `type`, `user`, `text` and `ts` (the posting time, seconds since 1970 in UTC with
microseconds, which also names the message), and may have a `subtype`, `thread_ts`,
`reactions`, `pinned_to`, `files` and `attachments` (Slack's `message` event reference,
https://docs.slack.dev/reference/events/message). The text is Slack's markup ("Formatting
message text", https://docs.slack.dev/messaging/formatting-message-text/): `<@U123>` a
person, `<#C123|name>` a channel, `<!here>` a group, `<https://…|label>` a link, and `&`, `<`,
`>` written `&amp;`, `&lt;`, `&gt;`.

`read_chat_export` reads the whole choice before anything is returned, and refuses in one line
what it cannot use: nothing here writes, and a refusal leaves nothing half read. A zip is read
in place (nothing is unpacked) and is refused when a name in it climbs out of it or it would
unpack to far more than it holds.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from debrief_tui.core.clock import FIRST_YEAR, LAST_YEAR
from debrief_tui.core.errors import InputError
from debrief_tui.core.text import one_line
from debrief_tui.core.timeline.chat_files import ExportFiles, items, reason
from debrief_tui.core.timeline.events import MAX_AUTHOR_CHARS, MAX_EVENT_CHARS, TimelineRow
from debrief_tui.core.timeline.kinds import guess_kind

PINNED, REACTION, ALL = "pinned", "reaction", "all"
"""Which messages of the channel become events: pinned ones, those with a reaction, all."""
CHAT_CHOICES = (PINNED, REACTION, ALL)

REPLY_MARK = "↳ "
"""What a thread reply's text starts with: it follows its parent in the timeline."""


_NOISE = frozenset(
    {
        "channel_join",
        "channel_leave",
        "group_join",
        "group_leave",
        "channel_topic",
        "channel_purpose",
        "channel_name",
        "group_topic",
        "group_purpose",
        "group_name",
        "channel_archive",
        "channel_unarchive",
        "group_archive",
        "group_unarchive",
        "channel_posting_permissions",
        "channel_convert_to_private",
        "channel_convert_to_public",
        "pinned_item",
        "unpinned_item",
        "bot_add",
        "bot_remove",
        "bot_enable",
        "bot_disable",
        "reminder_add",
        "reminder_delete",
        "joiner_notification",
        "app_conversation_join",
        "app_conversation_leave",
        "sh_room_created",
        "huddle_thread",
    }
)
"""Subtypes that say who came and went or what the channel is called, not what happened:
left out unless every message is asked for."""
_NOT_MESSAGES = frozenset({"message_changed", "message_deleted", "message_replied", "tombstone"})
"""Notices about other messages (an edit, a deletion, a deleted thread's stand-in): never
events."""

_TS = re.compile(r"(\d{1,12})(?:\.(\d{1,6})\d*)?")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MARKUP = re.compile(r"<([^<>]*)>|&(amp|lt|gt);")
_ENTITY = re.compile(r"&(amp|lt|gt);")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">"}
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")  # NUL (PostgreSQL stores none), lone halves
_SKIN_TONE = re.compile(r"::skin-tone-\d$")


@dataclass(frozen=True)
class ChatChoice:
    """Which messages of which channel: `mode` is PINNED, REACTION (with `reaction`) or ALL,
    between `since` and `until` (UTC, both included) when given."""

    channel: str
    mode: str
    reaction: str | None = None
    since: datetime | None = None
    until: datetime | None = None


class ChatMessage(NamedTuple):
    """One message chosen from the channel, ready to become an event."""

    at: datetime
    author: str | None
    """The name shown for who wrote it: their real name, else display name, else user name."""
    names: tuple[str, ...]
    """Every name they go by in the chat, to find them among the attendees."""
    body: str
    """The text, markup cleaned, on one line, without the reply mark."""
    kind: str
    kind_guessed: bool
    reply: bool
    """A reply in a thread: it follows its parent."""

    @property
    def text(self) -> str:
        """The event's text: a reply is marked as one."""
        return REPLY_MARK + self.body if self.reply else self.body


class ChatRead(NamedTuple):
    """What was read: the chosen messages (each thread's replies after their parent), the
    channel's name, how many of its messages were not chosen, and notes to show."""

    messages: list[ChatMessage]
    channel: str
    passed_over: int
    notes: list[str]


# The markup ---------------------------------------------------------------------------------


def clean_markup(text: str, users: Mapping[str, str], channels: Mapping[str, str]) -> str:
    """`text` without Slack's markup: a mention becomes the person's name (from `users`, by
    id), a channel `#name`, a link its label (or its address), `<!here>` `@here`; `&amp;`,
    `&lt;` and `&gt;` their characters; `:emoji:` stays as written. Never raises."""

    def token(match: re.Match[str]) -> str:
        entity = match.group(2)
        if entity is not None:
            return _ENTITIES[entity]
        target, _, label = match.group(1).partition("|")
        label = _ENTITY.sub(lambda m: _ENTITIES[m.group(1)], label)
        if target.startswith("@"):
            name = users.get(target[1:])
            if name:
                return name
            return "@" + (label.lstrip("@") or target[1:])
        if target.startswith("#"):
            name = channels.get(target[1:]) or label or target[1:]
            return "#" + name.lstrip("#")
        if target.startswith("!"):
            if label:  # a group's handle (`@sre`), a date's fallback text
                return label
            return "@" + target[1:].split("^")[0]
        if label:
            return label
        address = _ENTITY.sub(lambda m: _ENTITIES[m.group(1)], target)
        return address.removeprefix("mailto:")

    return _MARKUP.sub(token, text)


# Names --------------------------------------------------------------------------------------


def fold_name(name: str) -> str:
    """A name as people are matched: accents, case and spacing left out ("José  Álvarez" and
    "jose alvarez" are one)."""
    decomposed = unicodedata.normalize("NFKD", name)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(kept.casefold().split())


def attendee_for(names: Iterable[str], attendees: Iterable[str]) -> str | None:
    """The attendee (as the session spells the name) that one of `names` is, or None."""
    known: dict[str, str] = {}
    for person in attendees:
        known.setdefault(fold_name(person), person)
    return next((known[f] for f in map(fold_name, names) if f in known), None)


def chat_rows(messages: Iterable[ChatMessage], attendees: Iterable[str]) -> list[TimelineRow]:
    """The events to save: each message's author is the attendee they are (by any of their
    names, accents and case aside), else their name in the chat."""
    people = list(attendees)
    linked: dict[tuple[str, ...], str | None] = {}
    rows = []
    for message in messages:
        if message.names not in linked:  # a few people write most of a channel
            linked[message.names] = attendee_for(message.names, people) or message.author
        rows.append(
            TimelineRow(message.at, message.text, message.kind, author=linked[message.names])
        )
    return rows


# Reading the export -------------------------------------------------------------------------


def _text_of(value: object) -> str:
    return value if isinstance(value, str) else ""


def _list(value: object) -> list[Any]:
    """A list in the export, or none where something else stands (a hand-edited file)."""
    return value if isinstance(value, list) else []


class _People:
    """users.json: each member's shown name and every name they go by, by id."""

    def __init__(self, members: list[dict[str, Any]]) -> None:
        self.shown: dict[str, str] = {}
        self.names: dict[str, tuple[str, ...]] = {}
        for member in members:
            user_id = member.get("id")
            if isinstance(user_id, str):
                self.add(user_id, member)

    def add(self, user_id: str, member: Mapping[str, Any]) -> None:
        """Take a member's names (from users.json, or a message's own `user_profile`)."""
        profile = member.get("profile")
        profile = profile if isinstance(profile, dict) else {}
        found = [
            _text_of(member.get("real_name")),
            _text_of(profile.get("real_name")),
            _text_of(profile.get("display_name")),
            _text_of(member.get("display_name")),
            _text_of(member.get("name")),
            _text_of(profile.get("real_name_normalized")),
            _text_of(profile.get("display_name_normalized")),
        ]
        names = tuple(
            dict.fromkeys(n for n in (_one_line(f)[:MAX_AUTHOR_CHARS] for f in found) if n)
        )
        if names:
            self.shown[user_id] = names[0]
            self.names[user_id] = names


def _one_line(text: str) -> str:
    return " ".join(_UNSTORABLE.sub("\ufffd", text).split())


def _moment(ts: object) -> tuple[tuple[int, int], datetime] | None:
    """A message's `ts` as a sort key and a UTC moment; None when it is not one."""
    if isinstance(ts, bool) or not isinstance(ts, str | int):
        return None
    match = _TS.fullmatch(str(ts))
    if match is None:
        return None
    seconds, fraction = int(match.group(1)), match.group(2) or ""
    micros = int(fraction.ljust(6, "0")) if fraction else 0
    try:
        moment = _EPOCH + timedelta(seconds=seconds, microseconds=micros)
    except OverflowError:  # past the year 9999
        return None
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        return None
    return (seconds, micros), moment


def _reaction_name(name: str) -> str:
    """A reaction as compared: without colons around it or a skin tone after it."""
    return _SKIN_TONE.sub("", name.strip().strip(":")).casefold()


def _fallback_text(message: Mapping[str, Any]) -> str:
    """What a message without text shows: its files' titles, its attachments' text."""
    parts = []
    for item in _list(message.get("files")):
        if isinstance(item, dict):
            title = _text_of(item.get("title")) or _text_of(item.get("name"))
            if title:
                parts.append(f"[file: {title}]")
    for item in _list(message.get("attachments")):
        if isinstance(item, dict):
            text = (
                _text_of(item.get("fallback"))
                or _text_of(item.get("text"))
                or _text_of(item.get("title"))
            )
            if text:
                parts.append(text)
    return " ".join(parts)


def _channels(export: ExportFiles) -> list[tuple[str, dict[str, Any]]]:
    found = [name for name in ("channels.json", "groups.json") if export.has(name)]
    if not found:
        raise export._refuse("has no channels.json: not a Slack workspace export")
    channels = []
    for name in found:
        for item in items(export, name, "channels"):
            if isinstance(item.get("name"), str) and item["name"]:
                channels.append((item["name"], item))
    return channels


def read_chat_export(path: Path, choice: ChatChoice) -> ChatRead:
    """Read the chosen messages of one channel of the export at `path` (a zip or a folder).

    Raises InputError, in one line, when the export cannot be used: not a zip or a folder, no
    such channel (the message lists those there are), no users.json, a file that is not
    JSON, a path outside the export or a zip bomb.
    """
    if choice.mode not in CHAT_CHOICES:
        raise InputError(f"choose the messages: one of {', '.join(CHAT_CHOICES)}")
    if choice.mode == REACTION and not _reaction_name(choice.reaction or ""):
        raise InputError("name the reaction, e.g. pushpin")
    try:
        export = ExportFiles(path)
        try:
            return _read(export, choice)
        finally:
            export.close()
    except OSError as exc:  # a folder that cannot be listed
        raise InputError(f"{one_line(str(path))}: cannot be read ({reason(exc)})") from None


def _read(export: ExportFiles, choice: ChatChoice) -> ChatRead:
    channels = _channels(export)
    wanted = choice.channel.strip().removeprefix("#")
    match = [item for name, item in channels if name == wanted] or [
        item for name, item in channels if name.casefold() == wanted.casefold()
    ]
    if not match:
        names = sorted(one_line(name) for name, _ in channels)
        listed = ", ".join(names[:20]) + (f" and {len(names) - 20} more" if len(names) > 20 else "")
        raise export._refuse(
            f'no channel "{one_line(wanted)[:60]}" (its channels: {listed or "none"})'
        )
    channel = match[0]
    name = str(channel["name"])
    if "/" in name or "\\" in name or name in (".", "..") or "\0" in name:
        raise export._refuse(f'the channel name "{one_line(name)[:60]}" cannot be a folder')
    users_file = next((n for n in ("users.json", "org_users.json") if export.has(n)), None)
    if users_file is None:
        raise export._refuse("has no users.json, so no one's name can be read")
    people = _People(items(export, users_file, "members"))
    channel_ids = {str(item["id"]): n for n, item in channels if isinstance(item.get("id"), str)}
    channel_id = str(channel.get("id") or "")
    pins = {
        str(pin.get("id"))
        for pin in _list(channel.get("pins"))
        if isinstance(pin, dict) and pin.get("id") is not None
    }
    folder = next((f for f in (name, f"channels/{name}") if export.has_folder(f)), None)
    if folder is None:
        raise export._refuse(f"has no folder of messages for #{name}")
    messages = _messages(export, folder, choice)
    return _choose(messages, choice, people, channel_ids, channel_id, pins, name)


def _messages(export: ExportFiles, folder: str, choice: ChatChoice) -> list[dict[str, Any]]:
    """The channel's messages, each once, in time order (with its time under `_at`)."""
    first = (choice.since - timedelta(days=2)).date().isoformat() if choice.since else None
    last = (choice.until + timedelta(days=2)).date().isoformat() if choice.until else None
    seen: dict[tuple[int, int], dict[str, Any]] = {}
    for day, file in export.day_files(folder):
        # Day files are named by the workspace's day: those two days or more outside the
        # window hold nothing inside it.
        if (first and day < first) or (last and day > last):
            continue
        value = export.json(file)
        if not isinstance(value, list):
            raise export._refuse(f"{file} should hold a list of messages")
        for index, message in enumerate(value, start=1):
            if not isinstance(message, dict):
                raise export._refuse(f"{file}: message {index} is not an object")
            when = _moment(message.get("ts"))
            if when is None:
                raise export._refuse(f"{file}: message {index} has no time (ts) debrief reads")
            message["_key"], message["_at"] = when
            seen.setdefault(when[0], message)
    return [seen[key] for key in sorted(seen)]


def _choose(
    messages: list[dict[str, Any]],
    choice: ChatChoice,
    people: _People,
    channel_ids: dict[str, str],
    channel_id: str,
    pins: set[str],
    channel: str,
) -> ChatRead:
    reaction = _reaction_name(choice.reaction or "")
    chosen: list[tuple[tuple[tuple[int, int], int, tuple[int, int]], ChatMessage]] = []
    keys = {str(m.get("ts")): m["_key"] for m in messages}
    cut = 0
    for message in messages:
        subtype = _text_of(message.get("subtype"))
        if subtype in _NOT_MESSAGES or message.get("hidden") is True:
            continue
        if subtype in _NOISE and choice.mode != ALL:
            continue
        at: datetime = message["_at"]
        if (choice.since and at < choice.since) or (choice.until and at > choice.until):
            continue
        if not _picked(message, choice.mode, reaction, channel_id, pins):
            continue
        made = _message(message, people, channel_ids)
        if made is None:
            continue
        if len(made.text) > MAX_EVENT_CHARS:
            room = MAX_EVENT_CHARS - len(made.text) + len(made.body) - 1
            made = made._replace(body=made.body[:room] + "…")
            cut += 1
        # Replies follow their parent: sorted by the parent's time, then their own.
        parent = keys.get(str(message.get("thread_ts"))) if made.reply else None
        order = (parent, 1, message["_key"]) if parent else (message["_key"], 0, message["_key"])
        chosen.append((order, made))
    chosen.sort(key=lambda pair: pair[0])
    picked = [made for _, made in chosen]
    notes = []
    if cut:
        notes.append(f"{cut} long message(s) cut to {MAX_EVENT_CHARS:,} characters")
    return ChatRead(picked, channel, len(messages) - len(picked), notes)


def _picked(
    message: Mapping[str, Any], mode: str, reaction: str, channel_id: str, pins: set[str]
) -> bool:
    if mode == ALL:
        return True
    if mode == PINNED:
        pinned_to = message.get("pinned_to")
        return (
            isinstance(pinned_to, list) and bool(channel_id) and channel_id in pinned_to
        ) or str(message.get("ts")) in pins
    for item in _list(message.get("reactions")):
        if isinstance(item, dict) and _reaction_name(_text_of(item.get("name"))) == reaction:
            return True
    return False


def _message(
    message: Mapping[str, Any], people: _People, channel_ids: dict[str, str]
) -> ChatMessage | None:
    """The event a message makes (None when it has nothing to say)."""
    user = message.get("user")
    author: str | None = None
    names: tuple[str, ...] = ()
    if isinstance(user, str) and user in people.shown:
        author, names = people.shown[user], people.names[user]
    elif isinstance(user, str) and isinstance(message.get("user_profile"), dict):
        people.add(user, message["user_profile"])
        author, names = people.shown.get(user), people.names.get(user, ())
    if author is None:  # a bot, an app, an integration
        bot = message.get("bot_profile")
        bot_name = bot.get("name") if isinstance(bot, dict) else None
        for candidate in (message.get("username"), bot_name):
            if isinstance(candidate, str) and _one_line(candidate):
                author = _one_line(candidate)[:MAX_AUTHOR_CHARS]
                names = (author,)
                break
    text = clean_markup(_text_of(message.get("text")), people.shown, channel_ids)
    body = _one_line(text) or _one_line(clean_markup(_fallback_text(message), people.shown, {}))
    if not body:
        return None
    thread = message.get("thread_ts")
    reply = thread is not None and str(thread) != str(message.get("ts"))
    guessed = guess_kind(body)
    return ChatMessage(message["_at"], author, names, body, guessed or "observation", True, reply)
