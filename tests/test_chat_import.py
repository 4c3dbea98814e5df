"""Importing an incident channel from a Slack export: the reader (choices, threads, markup,
authors, refusals), the markup cleaner's properties, and `debrief import ... --channel` run
the way a user runs it, through export and load."""

from __future__ import annotations

import json
import os
import sqlite3
import zipfile
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from debrief_tui.core.errors import InputError
from debrief_tui.core.persistence.engine import open_engine
from debrief_tui.core.persistence.unit import Database
from debrief_tui.core.timeline import (
    ChatChoice,
    attendee_for,
    chat_rows,
    clean_markup,
    read_chat_export,
)
from tests.helpers import old_database
from tests.slack_export import (
    Msg,
    at,
    incident_channel,
    ts_of,
    write_export,
    zip_export,
)
from tests.test_cli import run

EXAMPLE = Path(__file__).resolve().parent / "examples" / "slack" / "acme-export"
EXAMPLE_CHANNEL = "inc-2025-03-21-checkout"
CHANNEL = "incident-checkout"
PROPERTY = settings(max_examples=300, deadline=None, derandomize=bool(os.environ.get("CI")))


@pytest.fixture
def export(tmp_path: Path) -> Path:
    """The spec's incident channel (and an empty #general) as an export folder."""
    return write_export(tmp_path / "export", {CHANNEL: incident_channel(), "general": []})


def _texts(path: Path, mode: str, reaction: str | None = None, **window: datetime) -> list[str]:
    read = read_chat_export(path, ChatChoice(CHANNEL, mode, reaction, **window))
    return [m.text for m in read.messages]


# Choosing messages -------------------------------------------------------------------------


def test_pinned_messages_become_events_with_their_authors_and_clean_text(export: Path) -> None:
    read = read_chat_export(export, ChatChoice(CHANNEL, "pinned"))
    assert [(m.at, m.author, m.text) for m in read.messages] == [
        (at("2025-03-21 09:37"), "Priya Raman",
         "Checkout errors spiking, José Álvarez can you look? :fire:"),
        (at("2025-03-21 09:42"), "José Álvarez", "Found it: deploy 4411 & config <v2>"),
        (at("2025-03-21 10:05"), "Priya Raman", "Resolved: error rate back to normal :tada:"),
    ]  # fmt: skip
    assert read.messages[1].names == ("José Álvarez", "José", "jose.alvarez")
    assert [m.kind for m in read.messages] == ["observation", "action", "resolution"]
    assert read.passed_over == 5


def test_a_reaction_chooses_messages_and_a_reply_follows_its_parent_marked(export: Path) -> None:
    expected = [
        "Found it: deploy 4411 & config <v2>",
        "↳ I'll post on the status page",
        "Resolved: error rate back to normal :tada:",
    ]
    assert _texts(export, "reaction", "pushpin") == expected
    assert _texts(export, "reaction", ":pushpin:") == expected
    assert _texts(export, "reaction", "eyes") == [
        "Looking. Dashboard: checkout latency",
    ]


def test_all_takes_every_message_joins_too_and_threads_flattened_under_parents(
    tmp_path: Path,
) -> None:
    # The reply to 09:00 comes at 09:30, after a message of 09:10: it is listed under its
    # parent all the same (the timeline sorts by time, the preview reads as the thread).
    export = write_export(
        tmp_path / "e",
        {
            CHANNEL: [
                Msg(at("2025-03-21 09:00"), "U01PRIYA", "parent"),
                Msg(at("2025-03-21 09:10"), "U03SAM", "other"),
                Msg(at("2025-03-21 09:30"), "U02JOSE", "late reply",
                    reply_to=at("2025-03-21 09:00")),
                Msg(at("2025-03-21 09:40"), "U04MEI", "", subtype="channel_leave",
                    extra={"text": "<@U04MEI> has left the channel"}),
            ]
        },
    )  # fmt: skip
    assert _texts(export, "all") == [
        "parent",
        "↳ late reply",
        "other",
        "Mei Chen has left the channel",
    ]


def test_joins_and_leaves_are_left_out_unless_all(tmp_path: Path) -> None:
    export = write_export(
        tmp_path / "e",
        {CHANNEL: [Msg(at("2025-03-21 09:00"), "U01PRIYA", "<@U01PRIYA> has joined the channel",
                       subtype="channel_join", pinned=True)]},
    )  # fmt: skip
    assert _texts(export, "pinned") == []
    assert _texts(export, "all") == ["Priya Raman has joined the channel"]


def test_pins_listed_in_channels_json_count_as_pinned(tmp_path: Path) -> None:
    export = write_export(
        tmp_path / "e",
        {CHANNEL: [Msg(at("2025-03-21 09:00"), "U01PRIYA", "a"),
                   Msg(at("2025-03-21 09:01"), "U01PRIYA", "b")]},
        pins={CHANNEL: [at("2025-03-21 09:01")]},
    )  # fmt: skip
    assert _texts(export, "pinned") == ["b"]


def test_from_and_to_keep_the_window_both_ends_included(export: Path) -> None:
    assert _texts(export, "all", since=at("2025-03-21 09:42"), until=at("2025-03-21 09:45")) == [
        "Found it: deploy 4411 & config <v2>",
        "↳ I'll post on the status page",
        "↳ rolling back now, see #general",
    ]


def test_times_keep_their_microseconds_and_messages_come_in_time_order(tmp_path: Path) -> None:
    moment = datetime(2025, 3, 21, 23, 59, 59, 999999, tzinfo=UTC)
    spec = [Msg(at("2025-03-22 00:00"), "U03SAM", "second"), Msg(moment, "U03SAM", "first")]
    export = write_export(tmp_path / "e", {CHANNEL: spec})
    read = read_chat_export(export, ChatChoice(CHANNEL, "all"))
    assert [(m.at, m.text) for m in read.messages] == [(moment, "first"), (spec[0].at, "second")]


def test_bots_files_and_unknown_people(tmp_path: Path) -> None:
    export = write_export(
        tmp_path / "e",
        {CHANNEL: [
            Msg(at("2025-03-21 09:00"), None, "", subtype="bot_message",
                extra={"username": "PagerDuty", "bot_id": "B1",
                       "attachments": [{"fallback": "Triggered #12: api down"}]}),
            Msg(at("2025-03-21 09:01"), "U03SAM", "", subtype="file_share",
                extra={"files": [{"name": "graph.png", "title": "error graph"}]}),
            Msg(at("2025-03-21 09:02"), "U09GONE", "hi <@U09GONE> and <@U08X|old.name>"),
            Msg(at("2025-03-21 09:03"), "U09NEW", "from the profile",
                extra={"user_profile": {"real_name": "Ana Lima", "display_name": "ana"}}),
            Msg(at("2025-03-21 09:04"), "U03SAM", "   "),
        ]},
    )  # fmt: skip
    read = read_chat_export(export, ChatChoice(CHANNEL, "all"))
    assert [(m.author, m.text) for m in read.messages] == [
        ("PagerDuty", "Triggered #12: api down"),
        ("Sam Okafor", "[file: error graph]"),
        (None, "hi @U09GONE and @old.name"),
        ("Ana Lima", "from the profile"),
    ]
    assert read.passed_over == 1  # the blank one


def test_a_message_longer_than_an_event_is_cut_with_a_note(tmp_path: Path) -> None:
    export = write_export(
        tmp_path / "e", {CHANNEL: [Msg(at("2025-03-21 09:00"), "U03SAM", "x" * 5000)]}
    )
    read = read_chat_export(export, ChatChoice(CHANNEL, "all"))
    assert len(read.messages[0].text) == 2000
    assert read.messages[0].text.endswith("…")
    assert read.notes == ["1 long message(s) cut to 2,000 characters"]


def test_a_zip_reads_like_its_folder_also_inside_one_more_folder(
    export: Path, tmp_path: Path
) -> None:
    folder = _texts(export, "all")
    assert _texts(zip_export(export, tmp_path / "a.zip"), "all") == folder
    assert _texts(zip_export(export, tmp_path / "b.zip", inside="Acme export/"), "all") == folder


def test_channels_under_a_channels_folder_are_found(export: Path) -> None:
    (export / "channels").mkdir()
    (export / CHANNEL).rename(export / "channels" / CHANNEL)
    assert len(_texts(export, "all")) == 8


def test_the_example_export_reads_as_its_readme_says() -> None:
    def read(mode: str, reaction: str | None = None) -> list[tuple[str, str | None, str]]:
        found = read_chat_export(EXAMPLE, ChatChoice(EXAMPLE_CHANNEL, mode, reaction))
        return [(m.at.strftime("%H:%M:%S"), m.author, m.text) for m in found.messages]

    assert read("pinned") == [
        ("23:41:30", "PagerDuty", "Triggered #4411: checkout-api error rate > 5% (critical)"),
        ("23:43:10", "Priya Raman", "I'm IC. @here checkout is failing for ~8% of requests, "
         "José Álvarez can you take point on checkout-api? :rotating_light:"),
        ("23:47:05", "José Álvarez", "Found it: config push 2025-03-21-7 set payments timeout to "
         "200ms (was 2000ms) & retries to 0 <- that's the trigger"),
        ("23:56:41", "José Álvarez", "Reverted config to 2025-03-21-6, rolling restart of "
         "payments-gw in progress. See #general for the customer note"),
        ("00:06:30", "José Álvarez", "Error rate back under 0.1%, watching for 15 min "
         ":crossed_fingers:"),
        ("00:22:15", "Priya Raman", "Resolved. All clear: checkout back to normal. Thanks "
         "José Álvarez & Sam Okafor! Postmortem Tuesday :tada:"),
    ]  # fmt: skip
    pushpin = read("reaction", "pushpin")
    assert [t for t, _, _ in pushpin] == [
        "23:43:10",
        "23:47:05",
        "23:49:30",
        "00:06:30",
        "00:22:15",
    ]
    assert pushpin[2][1:] == (
        "Sam Okafor",
        "↳ Status page updated: investigating elevated checkout errors",
    )
    assert read("reaction", "+1")[0][0] == "23:47:05"  # skin tones aside
    every = read("all")
    assert len(every) == 14
    assert ("23:45:02", "José Álvarez", "on it. Dashboard: checkout errors — 5xx from "
            "payments-gw only") in every  # fmt: skip
    assert ("23:58:03", "Sam Okafor", "[file: error rate after revert]") in every


# Refusals ----------------------------------------------------------------------------------


def _refusal(path: Path, channel: str = CHANNEL) -> str:
    with pytest.raises(InputError) as info:
        read_chat_export(path, ChatChoice(channel, "all"))
    message = str(info.value)
    assert "\n" not in message
    return message


def test_no_such_channel_lists_the_channels_there_are(export: Path) -> None:
    assert _refusal(export, "incident") == (
        f'{export}: no channel "incident" (its channels: general, incident-checkout)'
    )
    assert len(_texts(export, "all")) == 8  # and the right name works, with or without #
    assert read_chat_export(export, ChatChoice("#Incident-Checkout", "pinned")).messages


def test_not_an_export(tmp_path: Path) -> None:
    text = tmp_path / "notes.zip"
    text.write_text("just text")
    assert "not a zip file or a folder" in _refusal(text)
    assert "no such file or folder" in _refusal(tmp_path / "missing.zip")
    assert "has no channels.json" in _refusal(tmp_path)
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x05\x06" + b"\0" * 18)  # an empty zip's end record, nothing else
    assert _refusal(broken)


def test_missing_users_json(tmp_path: Path) -> None:
    export = write_export(tmp_path / "e", {CHANNEL: incident_channel()}, users=False)
    assert "has no users.json" in _refusal(export)


def test_malformed_json_names_the_file_and_line(export: Path) -> None:
    day = export / CHANNEL / "2025-03-21.json"
    day.write_text('[\n  {"ts": "1.0", "text": "a"},\n  oops\n]')
    assert _refusal(export).endswith(
        f"{CHANNEL}/2025-03-21.json is not valid JSON (line 3: Expecting value)"
    )
    day.write_text('{"not": "a list"}')
    assert "should hold a list of messages" in _refusal(export)
    day.write_text('[{"type": "message", "text": "no time"}]')
    assert "message 1 has no time (ts)" in _refusal(export)
    (export / "users.json").write_bytes(b"\xff\xfe not utf-8")
    assert "users.json is not UTF-8 text" in _refusal(export)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(export: Path, tmp_path: Path) -> None:
    bomb = zip_export(export, tmp_path / "bomb.zip")
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{CHANNEL}/2025-03-22.json", b" " * (50 * 1024 * 1024))
    assert "a zip bomb, not read" in _refusal(bomb)


def test_a_path_climbing_out_of_the_zip_is_refused(export: Path, tmp_path: Path) -> None:
    for name in ("../evil.json", "/etc/evil.json", f"{CHANNEL}/../../x.json", "C:\\x.json"):
        archive_path = zip_export(export, tmp_path / "t.zip")
        with zipfile.ZipFile(archive_path, "a") as archive:
            archive.writestr(name, "[]")
        assert "holds a path outside the export" in _refusal(archive_path)
        archive_path.unlink()


def test_a_member_larger_than_it_says_is_refused(export: Path, tmp_path: Path) -> None:
    archive_path = zip_export(export, tmp_path / "t.zip")
    data = bytearray(archive_path.read_bytes())
    # Corrupt the stored text of the first member: its check sum no longer matches.
    with zipfile.ZipFile(archive_path) as archive:
        info = archive.infolist()[0]
    start = info.header_offset + 30 + len(info.filename.encode()) + 2
    data[start] ^= 0xFF
    archive_path.write_bytes(bytes(data))
    assert _refusal(archive_path)


# Authors and attendees ---------------------------------------------------------------------


def test_authors_are_linked_to_attendees_accents_and_case_aside(export: Path) -> None:
    read = read_chat_export(export, ChatChoice(CHANNEL, "all"))
    rows = chat_rows(read.messages, ["jose alvarez", "PRIYA RAMAN", "sam.o"])
    assert {row.author for row in rows} == {"jose alvarez", "PRIYA RAMAN", "sam.o", "Mei Chen"}
    assert attendee_for(("Zoë Ångström",), ["zoe angstrom"]) == "zoe angstrom"
    assert attendee_for(("Sam",), ["Sam Okafor"]) is None  # a first name alone is not enough


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
_fields = st.fixed_dictionaries(
    {},
    optional={
        "ts": st.one_of(st.sampled_from(["1742600000.000100", "99999999999999", "1.5"]), _json),
        "user": st.one_of(st.sampled_from(["U01PRIYA", "U0NOBODY"]), _json),
        "text": st.one_of(st.text(max_size=30), _json),
        "subtype": st.one_of(st.sampled_from(["channel_join", "bot_message", "tombstone"]), _json),
        "thread_ts": _json, "reactions": _json, "pinned_to": _json, "files": _json,
        "attachments": _json, "user_profile": _json, "bot_profile": _json, "username": _json,
        "hidden": _json,
    },
)  # fmt: skip


@settings(max_examples=150, deadline=None, derandomize=bool(os.environ.get("CI")))
@given(st.lists(st.one_of(_fields, _json), max_size=6), st.sampled_from(["all", "pinned"]))
def test_any_messages_are_read_or_refused_in_one_line(messages: list[Any], mode: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        export = write_export(Path(tmp) / "e", {CHANNEL: []})
        (export / CHANNEL / "2025-03-21.json").write_text(json.dumps(messages))
        try:
            read = read_chat_export(export, ChatChoice(CHANNEL, mode))
        except InputError as exc:
            refusal = str(exc)
        else:
            refusal = ""
            for message in read.messages:
                assert message.text.strip()
                assert len(message.text) <= 2000
        assert "\n" not in refusal


# The markup cleaner ------------------------------------------------------------------------

USERS = {"U01PRIYA": "Priya Raman", "W02ENT": "Ann Enterprise"}
CHANNELS = {"C0GEN1": "general"}


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("<@U01PRIYA> look", "Priya Raman look"),
        ("<@W02ENT|ann>", "Ann Enterprise"),
        ("<@U0NOBODY>", "@U0NOBODY"),
        ("<#C0GEN1|general> and <#C0GEN1>", "#general and #general"),
        ("<#C0OTHER|ops>", "#ops"),
        ("<https://x.example/a?b=1&amp;c=2|the graph>", "the graph"),
        ("<https://x.example/a?b=1&amp;c=2>", "https://x.example/a?b=1&c=2"),
        ("<mailto:ops@example.com|ops@example.com>", "ops@example.com"),
        ("<!here> <!channel> <!subteam^S012|@sre-team>", "@here @channel @sre-team"),
        ("<!date^1392734382^{date}|Feb 18, 2014>", "Feb 18, 2014"),
        ("a &lt; b &amp;&amp; c &gt; d, &amp;lt;", "a < b && c > d, &lt;"),
        (":fire: :+1::skin-tone-2:", ":fire: :+1::skin-tone-2:"),
        ("[bold]x[/bold] \x1b[31m", "[bold]x[/bold] \x1b[31m"),
    ],
)
def test_markup_is_cleaned(raw: str, clean: str) -> None:
    assert clean_markup(raw, USERS, CHANNELS) == clean


_pieces = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["<@U01PRIYA>", "<@W02ENT|ann>", "<#C0GEN1|general>", "<", ">", "&amp;",
                     "&lt;", "<https://a.example|a>", "|", "<!here>", "<@", "<<@U01PRIYA>>"]),
)  # fmt: skip


@PROPERTY
@given(st.text())
def test_the_cleaner_never_raises(text: str) -> None:
    assert isinstance(clean_markup(text, USERS, CHANNELS), str)


@PROPERTY
@given(st.lists(_pieces, max_size=12))
def test_a_known_person_is_never_left_as_markup(pieces: list[str]) -> None:
    raw = "".join(pieces)
    clean = clean_markup(raw, USERS, CHANNELS)
    if "&lt;" not in raw:  # `&lt;@U01PRIYA&gt;` is someone typing the characters themselves
        assert "<@U01PRIYA>" not in clean
        assert "<@W02ENT" not in clean
    assert clean.count("Priya Raman") >= raw.count("<@U01PRIYA>")


@PROPERTY
# The command line --------------------------------------------------------------------------


def _session(capsys: pytest.CaptureFixture[str], zone: str = "Europe/London") -> str:
    code, out, _ = run(capsys, "new", "--title", "Checkout", "--severity", "SEV2",
                       "--timezone", zone)  # fmt: skip
    assert code == 0
    return out.strip()


def _events(db_file: Path) -> list[tuple[str, str, str | None]]:
    with sqlite3.connect(db_file) as conn:
        return list(conn.execute("SELECT at, text, author FROM timeline_event ORDER BY at, id"))


def _attend(tx: Any, session_id: int, name: str) -> None:
    tx.attendees.add(session_id, name)


def test_cli_imports_the_pinned_messages_with_attendees_linked(capsys, db_file: Path) -> None:
    session = _session(capsys)
    code, out, err = run(capsys, "import", session, str(EXAMPLE), "--channel",
                         EXAMPLE_CHANNEL, "--pinned")  # fmt: skip
    assert (code, out) == (0, f"imported 6 events from #{EXAMPLE_CHANNEL}\n")
    assert err == ""
    # With attendees, their names as the session spells them.
    other = _session(capsys)
    database = Database(open_engine(str(db_file)))
    for name in ("jose alvarez", "Priya RAMAN"):
        database.write(partial(_attend, session_id=int(other), name=name))
    database.dispose()
    code, out, err = run(capsys, "import", other, str(EXAMPLE), "--channel",
                         EXAMPLE_CHANNEL, "--reaction", "pushpin")  # fmt: skip
    assert (code, out) == (0, f"imported 5 events from #{EXAMPLE_CHANNEL}\n")
    assert err == "note: written by attendees: Priya RAMAN, jose alvarez\n"
    with sqlite3.connect(db_file) as conn:
        rows = list(conn.execute(
            "SELECT text, author FROM timeline_event WHERE session_id = ? ORDER BY at", (other,)
        ))  # fmt: skip
    assert [author for _, author in rows] == [
        "Priya RAMAN", "jose alvarez", "Sam Okafor", "jose alvarez", "Priya RAMAN",
    ]  # fmt: skip
    assert rows[2][0] == "↳ Status page updated: investigating elevated checkout errors"


def test_cli_chat_import_then_export_and_load_keep_the_authors(
    capsys, db_file: Path, tmp_path: Path
) -> None:
    session = _session(capsys)
    archive = zip_export(EXAMPLE, tmp_path / "Acme Slack export Mar 22 2025.zip")
    code, _, _ = run(capsys, "import", session, str(archive), "--channel", EXAMPLE_CHANNEL,
                     "--all", "--from", "2025-03-21 23:47", "--to", "2025-03-22 00:10")  # fmt: skip
    assert code == 0
    code, out, _ = run(capsys, "export", session, "--format", "json")
    timeline = json.loads(out)["timeline"]
    # The window is read in the session's zone (London is on GMT in March): 23:47 to 00:10.
    assert [(e["at"][11:19], e.get("author")) for e in timeline] == [
        ("23:47:05", "José Álvarez"),
        ("23:48:12", "Priya Raman"),
        ("23:49:30", "Sam Okafor"),
        ("23:52:00", "Mei Chen"),
        ("23:56:41", "José Álvarez"),
        ("23:58:03", "Sam Okafor"),
        ("00:06:30", "José Álvarez"),
    ]
    document = tmp_path / "doc.json"
    document.write_text(out)
    code, loaded, _ = run(capsys, "load", str(document))
    assert code == 0
    again = json.loads(run(capsys, "export", loaded.strip(), "--format", "json")[1])
    assert again["timeline"] == timeline
    md = run(capsys, "export", session, "--format", "md")[1]
    assert "| Found it: config push 2025-03-21-7 set payments timeout to 200ms (was 2000ms) & " \
        "retries to 0 <- that's the trigger — José Álvarez |" in md.replace("\\", "")  # fmt: skip


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "choose the messages: one of --pinned, --reaction NAME (e.g. pushpin) or --all"),
        (("--pinned", "--all"), "(not --pinned and --all together)"),
        (("--all", "--skip-bad"), "--format and --skip-bad are for text timelines"),
        (("--all", "--from", "yesterday-ish"), "--from: "),
        (("--all", "--from", "2025-03-22 10:00", "--to", "2025-03-21 10:00"), "--from is after"),
        (("--reaction", "tada"), "nothing imported: no messages with :tada: in #"),
    ],
)
def test_cli_chat_refusals_are_one_line_and_import_nothing(
    capsys, db_file: Path, args: tuple[str, ...], message: str
) -> None:
    session = _session(capsys)
    code, out, err = run(capsys, "import", session, str(EXAMPLE), "--channel",
                         EXAMPLE_CHANNEL, *args)  # fmt: skip
    assert (code, out) == (1, "")
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert _events(db_file) == []


def test_cli_bad_exports_are_refused_in_one_line(capsys, db_file: Path, tmp_path: Path) -> None:
    session = _session(capsys)
    not_zip = tmp_path / "export.zip"
    not_zip.write_text("hello")
    bomb = zip_export(EXAMPLE, tmp_path / "bomb.zip")
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{EXAMPLE_CHANNEL}/2025-03-23.json", b"[" + b" " * (40 * 2**20) + b"]")
    climbing = zip_export(EXAMPLE, tmp_path / "climbing.zip")
    with zipfile.ZipFile(climbing, "a") as archive:
        archive.writestr("../../home/user/.bashrc", "echo hi")
    no_users = tmp_path / "no-users"
    write_export(no_users, {EXAMPLE_CHANNEL: incident_channel()}, users=False)
    cases = [
        (not_zip, EXAMPLE_CHANNEL, "not a zip file or a folder"),
        (EXAMPLE, "incident", "its channels: general, inc-2025-03-21-checkout"),
        (bomb, EXAMPLE_CHANNEL, "a zip bomb"),
        (climbing, EXAMPLE_CHANNEL, "a path outside the export"),
        (no_users, EXAMPLE_CHANNEL, "has no users.json"),
        (tmp_path / "nowhere.zip", EXAMPLE_CHANNEL, "no such file or folder"),
    ]
    for path, channel, message in cases:
        code, out, err = run(capsys, "import", session, str(path), "--channel", channel, "--all")
        assert (code, out) == (1, ""), err
        assert message in err
        assert len(err.strip().splitlines()) == 1
    code, out, err = run(capsys, "import", session, str(EXAMPLE))
    assert (code, err) == (1, f"debrief: {EXAMPLE} is a chat export: name its channel with "
                              "--channel NAME\n")  # fmt: skip
    text = tmp_path / "timeline.txt"
    text.write_text("09:00 something\n")
    code, _, err = run(capsys, "import", session, str(text), "--pinned")
    assert (code, err) == (1, "debrief: --pinned, --reaction, --all, --from and --to choose a "
                              "chat export's messages: give its --channel NAME\n")  # fmt: skip
    code, _, err = run(capsys, "import", session, str(tmp_path / "gone.zip"))
    assert code == 1
    assert "cannot read" in err
    code, _, err = run(capsys, "import", "999", str(EXAMPLE), "--channel", "x", "--all")
    assert code == 1
    assert "no session with id 999" in err
    assert _events(db_file) == []


def test_a_message_postgresql_cannot_store_is_kept_readable(tmp_path: Path) -> None:
    export = write_export(tmp_path / "e", {CHANNEL: [Msg(at("2025-03-21 09:00"), "U03SAM", "")]})
    day = export / CHANNEL / "2025-03-21.json"
    items = json.loads(day.read_text())
    items[0]["text"] = "nul \x00 and half \ud800 here"
    day.write_text(json.dumps(items))  # escaped: a lone half cannot be written as UTF-8
    read = read_chat_export(export, ChatChoice(CHANNEL, "all"))
    assert read.messages[0].text == "nul \ufffd and half \ufffd here"


def test_ts_of_matches_the_documented_shape() -> None:
    assert ts_of(at("2012-12-14 20:38:43").replace(microsecond=5)) == "1355517523.000005"


# Storing authors ---------------------------------------------------------------------------


def test_a_version_3_database_upgrades_with_events_keeping_no_author(tmp_path: Path) -> None:
    from debrief_tui.core.persistence import migrations, schema

    path = tmp_path / "v3.db"
    old_database(
        f"sqlite:///{path}",
        3,
        "INSERT INTO timeline_event (session_id, at, text, kind, key_event, approximate)"
        " VALUES (1, '2024-05-01 09:00:00', 'typed by hand', 'observation', 0, 0)",
    )
    database = Database(open_engine(str(path)))
    with database.engine.connect() as conn:
        assert migrations.read_version(conn) == schema.SCHEMA_HEAD
    assert [e.author for e in database.read(lambda tx: tx.timeline.of(1))] == [None]
    read = read_chat_export(EXAMPLE, ChatChoice(EXAMPLE_CHANNEL, "pinned"))
    database.write(lambda tx: tx.timeline.add_many(1, chat_rows(read.messages, [])))
    assert database.read(lambda tx: tx.timeline.voices(1)) == {
        "José Álvarez": 3,
        "Priya Raman": 2,
        "PagerDuty": 1,
    }
    database.dispose()


def test_an_edit_keeps_the_author_and_undo_brings_it_back(db: Database) -> None:
    from debrief_tui.core.timeline import TimelineRow

    session = db.write(lambda tx: tx.sessions.create("S", "SEV2"))
    assert session.id is not None
    session_id = session.id
    row = TimelineRow(at("2025-03-21 09:00"), "hello", author="  Priya   Raman ")
    event = db.write(lambda tx: tx.timeline.add(session_id, row))
    assert event.author == "Priya Raman"
    assert event.id is not None
    event_id = event.id
    edited = TimelineRow(at("2025-03-21 09:05"), "hello again", "action", key_event=True)
    assert db.write(lambda tx: tx.timeline.update(event_id, edited)).author == "Priya Raman"
    removed = db.write(lambda tx: tx.timeline.delete(event_id))
    db.write(lambda tx: tx.removals.restore(removed))
    assert [e.author for e in db.read(lambda tx: tx.timeline.of(session_id))] == ["Priya Raman"]
    with pytest.raises(InputError, match="an author's name takes at most 200 characters"):
        db.write(lambda tx: tx.timeline.add(session_id, TimelineRow(row.at, "x", author="y" * 201)))


def test_the_public_version_gives_an_attendee_authors_role_and_leaves_others_out() -> None:
    from debrief_tui.core.export.public import make_public

    export: dict[str, Any] = {
        "attendees": [{"name": "Priya Raman", "team": "SRE", "role": "incident commander"}],
        "timeline": [
            {"at": "x", "text": "a", "author": "Priya Raman"},
            {"at": "x", "text": "b", "author": "Someone Else"},
            {"at": "x", "text": "c"},
        ],
        "whys": [], "factors": [], "actions": [], "minutes": [], "parking_lot": [],
        "stage_time": [], "session": {"title": "t", "summary": ""}, "facts": {},
        "lessons": [],
    }  # fmt: skip
    public = make_public(export)
    assert [e.get("author") for e in public["timeline"]] == ["the incident commander", None, None]
    assert "author" not in public["timeline"][1]


def test_the_bench_export_reads_whole(tmp_path: Path) -> None:
    from bench.chat import CHANNEL as BENCH_CHANNEL
    from bench.chat import build_export

    read = read_chat_export(build_export(tmp_path, 1000), ChatChoice(BENCH_CHANNEL, "all"))
    assert len(read.messages) == 1000
    assert sum(m.reply for m in read.messages) == 300
    assert read.messages[1].text.startswith("↳ Person 4 Surname4 p99 latency on checkout > 2s")


def test_a_member_in_a_compression_python_cannot_unpack_is_refused(
    export: Path, tmp_path: Path
) -> None:
    """Some archivers write Deflate64 (method 9), which the standard library cannot read."""
    archive = zip_export(export, tmp_path / "deflate64.zip")
    data = bytearray(archive.read_bytes())
    # Every member's method, in its local header (offset 8) and its central entry (offset 10).
    for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        start = data.find(signature)
        while start != -1:
            data[start + offset : start + offset + 2] = (9).to_bytes(2, "little")
            start = data.find(signature, start + 4)
    archive.write_bytes(bytes(data))
    refused = _refusal(archive)
    assert "a compression zipfile cannot unpack" in refused
    assert "\n" not in refused.strip()
