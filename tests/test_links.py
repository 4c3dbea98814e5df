"""Links on a session and on timeline events: typed, kept, opened, exported and loaded back."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from textual.widgets import Input

from debrief_tui.core.errors import InputError
from debrief_tui.core.export import ExportOptions, export_one, load_document_file
from debrief_tui.core.persistence.models import PostmortemSession
from debrief_tui.core.persistence.unit import Database
from debrief_tui.core.timeline import LinkRow, TimelineRow, format_links, link_name, parse_links
from debrief_tui.ui.dialogs.event_dialog import EventDialog
from debrief_tui.ui.dialogs.link_picker import LinkPicker
from debrief_tui.ui.screens.session_setup import SessionSetupScreen
from debrief_tui.ui.screens.timeline import TimelineScreen
from debrief_tui.ui.widgets.event_table import EventTable
from tests.helpers import (
    FakeClock,
    app_for,
    old_database,
    opened,
    read,
    screen_text,
    settle,
    start,
    type_text,
)
from tests.postgres import BACKENDS
from tests.test_ui_timeline import timeline

GRAFANA = "https://grafana.example.com/d/api-latency?from=now-6h&to=now"
ZOOM = "https://zoom.us/rec/share/abc123"
CHANNEL = "https://example.slack.com/archives/C024BE91L"


# Typing links ---------------------------------------------------------------------------


def test_a_box_of_links_reads_each_after_the_words_that_name_it() -> None:
    assert parse_links(f"Grafana latency {GRAFANA}  {ZOOM}\n incident channel {CHANNEL}") == (
        LinkRow(GRAFANA, "Grafana latency"),
        LinkRow(ZOOM, ""),
        LinkRow(CHANNEL, "incident channel"),
    )
    assert parse_links("   ") == ()


def test_a_link_nobody_named_is_shown_by_what_it_points_at() -> None:
    assert link_name(LinkRow(GRAFANA)) == "dashboard"
    assert link_name(LinkRow(ZOOM)) == "recording"
    assert link_name(LinkRow(CHANNEL)) == "chat"
    assert link_name(LinkRow("https://acme.atlassian.net/browse/OPS-12")) == "ticket"
    assert link_name(LinkRow("https://www.example.org/x")) == "example.org"
    assert link_name(LinkRow("mailto:oncall@example.com")) == "mail"
    assert link_name(LinkRow(GRAFANA, "p99")) == "p99"


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("javascript:alert(1)", "javascript: links are not kept"),
        ("file:///etc/passwd", "file: links are not kept"),
        ("data:text/html,<b>x</b>", "data: links are not kept"),
        ("https:nohost", "names no host"),
        (f"{GRAFANA} the dashboard", "'the dashboard' names no link"),
        ('https://example.com/"onmouseover=x', "write it %-encoded"),
        ("https://example.com/<script>", "write it %-encoded"),
        ("https://example.com/" + "a" * 2001, "at most 2,000 characters"),
        (" ".join(f"https://e.com/{i}" for i in range(21)), "at most 20 links"),
    ],
)
def test_a_link_that_could_run_or_read_something_is_refused_with_a_reason(
    typed: str, said: str
) -> None:
    with pytest.raises(InputError, match=re.escape(said)):
        parse_links(typed)


_labels = st.lists(
    st.sampled_from(["Grafana", "p99", "the", "chat", "ünïcode", "日本"]), max_size=3
)
_urls = st.from_regex(
    r"https://[a-z]{1,8}\.example\.com/[A-Za-z0-9_~%/?=&.-]{0,30}", fullmatch=True
)


@given(st.lists(st.tuples(_labels, _urls), max_size=6))
def test_links_written_back_to_a_box_read_the_same(pairs: list[tuple[list[str], str]]) -> None:
    links = tuple(dict.fromkeys(LinkRow(url, " ".join(words)) for words, url in pairs))
    assert parse_links(format_links(links)) == links


# Keeping them ---------------------------------------------------------------------------


def _event(text: str, links: tuple[LinkRow, ...] | None) -> TimelineRow:
    return TimelineRow(datetime(2025, 3, 21, 9, 0, tzinfo=UTC), text, links=links)


@pytest.mark.backends(*BACKENDS)
def test_an_events_links_are_kept_replaced_and_come_back_with_it_on_undo(db: Database) -> None:
    session = db.write(lambda tx: tx.sessions.create("Checkout down", "SEV2", "UTC"))
    sid = session.id
    assert sid is not None
    grafana = LinkRow(GRAFANA, "Grafana")
    event = db.write(lambda tx: tx.timeline.add(sid, _event("p99 climbs", (grafana,))))
    eid = event.id
    assert eid is not None
    assert db.read(lambda tx: tx.links.by_event(sid)) == {eid: [grafana]}
    # An edit that does not say (None) keeps them; one that does replaces them, in its order.
    db.write(lambda tx: tx.timeline.update(eid, _event("p99 climbs fast", None)))
    assert db.read(lambda tx: tx.links.by_event(sid)) == {eid: [grafana]}
    both = (LinkRow(ZOOM), grafana)
    db.write(lambda tx: tx.timeline.update(eid, _event("p99 climbs fast", both)))
    assert db.read(lambda tx: tx.links.by_event(sid)) == {eid: list(both)}
    removed = db.write(lambda tx: tx.timeline.delete(eid))
    assert db.read(lambda tx: tx.links.by_event(sid)) == {}
    back = db.write(lambda tx: tx.removals.restore(removed))
    assert db.read(lambda tx: tx.links.by_event(sid)) == {getattr(back, "id", 0): list(both)}
    # The session's own links are apart from its events'.
    db.write(lambda tx: tx.links.set_for_session(sid, [LinkRow(CHANNEL, "channel")]))
    assert db.read(lambda tx: tx.links.of_session(sid)) == [LinkRow(CHANNEL, "channel")]
    with pytest.raises(InputError, match="not kept"):
        db.write(lambda tx: tx.links.set_for_session(sid, [LinkRow("javascript:x")]))
    db.write(lambda tx: tx.sessions.delete(sid))
    assert db.read(lambda tx: tx.links.of(sid)) == []


def test_links_are_exported_and_loaded_back(db: Database, tmp_path: Path) -> None:
    session = db.write(lambda tx: tx.sessions.create("Checkout <down>", "SEV2", "Europe/Berlin"))
    sid = session.id
    assert sid is not None
    db.write(lambda tx: tx.links.set_for_session(sid, [LinkRow(CHANNEL, "the *channel*")]))
    db.write(lambda tx: tx.timeline.add(sid, _event("p99 climbs", (LinkRow(GRAFANA),))))
    source = db.read(lambda tx: tx.snapshots.export(sid))
    text = {fmt: export_one(source, fmt, ExportOptions()).text for fmt in ("json", "md", "html")}
    (tmp_path / "doc.json").write_text(text["json"])
    document = json.loads(text["json"])
    assert document["links"] == [{"label": "the *channel*", "url": CHANNEL}]
    assert document["timeline"][0]["links"] == [{"label": "", "url": GRAFANA}]
    section = text["md"].split("## Supporting links", 1)[1]
    # One link a line: the session's, then each event's with its time and text.
    assert section.splitlines()[2:4] == [
        f"- [the \\*channel\\*](<{CHANNEL}>)",
        f"- [dashboard](<{GRAFANA}>) — 2025-03-21 10:00 CET: p99 climbs",
    ]
    public = export_one(source, "json", ExportOptions(public=True)).text
    assert CHANNEL not in public
    assert GRAFANA not in public
    hrefs = _hrefs(text["html"])
    assert CHANNEL in hrefs
    assert GRAFANA in hrefs
    # Loaded back, the new session has the same links.
    loaded = db.write(lambda tx: tx.documents.create(load_document_file(tmp_path / "doc.json")))
    new_id = loaded.id
    assert new_id is not None
    assert db.read(lambda tx: tx.links.of_session(new_id)) == [LinkRow(CHANNEL, "the *channel*")]
    assert list(db.read(lambda tx: tx.links.by_event(new_id)).values()) == [[LinkRow(GRAFANA)]]


def test_a_document_with_a_link_we_do_not_keep_is_refused_saying_where(tmp_path: Path) -> None:
    path = tmp_path / "doc.json"
    path.write_text(
        json.dumps(
            {
                "session": {"title": "x", "severity": "SEV2", "timezone": "UTC"},
                "timeline": [
                    {
                        "at": "2025-03-21T09:00:00+00:00",
                        "text": "y",
                        "links": [{"url": "https://ok.example.com"}, {"url": "http:x"}],
                    }
                ],
            }
        )
    )
    with pytest.raises(InputError, match=r"timeline\[0\]\.links\[1\]: .*names no host"):
        load_document_file(path)


def _hrefs(html: str) -> list[str]:
    found: list[str] = []

    class Links(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "a":
                found.extend(value or "" for name, value in attrs if name == "href")

    Links().feed(html)
    return found


# On screen ------------------------------------------------------------------------------


async def test_an_event_gets_links_in_its_dialog_shows_a_mark_and_o_opens_them(
    db: Database, demo: PostmortemSession, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    demo_id = demo.id
    assert demo_id is not None
    async with timeline(db, demo, clock) as (app, pilot, screen):
        copied: list[str] = []
        monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
        await pilot.press("a")
        dialog = await opened(app, pilot, EventDialog)
        await type_text(pilot, "23:40")
        await pilot.press("enter")
        await type_text(pilot, "Latency dashboard shared")
        # The links box is after the usual fields: Enter in the text would save, Tab reaches it.
        dialog.set_focus(dialog.query_one("#event-links", Input))
        await type_text(pilot, f"javascript:alert(1) Grafana {GRAFANA}")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog  # refused, and everything typed is still there
        assert "javascript: links are not kept" in screen_text(app)
        box = dialog.query_one("#event-links", Input)
        box.value = f"Grafana {GRAFANA} {ZOOM}"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TimelineScreen)
        stored = await read(pilot, lambda tx: tx.links.by_event(demo_id))
        added = [e for e in screen.events if e.text == "Latency dashboard shared"]
        assert stored[added[0].id or 0] == [LinkRow(GRAFANA, "Grafana"), LinkRow(ZOOM)]
        assert "↗2 Latency dashboard shared" in screen_text(app)
        await pilot.press("o")
        picker = await opened(app, pilot, LinkPicker)
        assert "Grafana" in screen_text(app)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.screen is not picker
        assert copied == [ZOOM]
        # An event without links says how to add one.
        screen.query_one(EventTable).move_cursor(row=0)
        await pilot.press("o")
        await settle(pilot)
        assert copied == [ZOOM]


async def test_setup_keeps_the_sessions_links_and_refuses_a_bad_one(
    db: Database, demo: PostmortemSession, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo_id = demo.id
    assert demo_id is not None
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    app = app_for(db, session_id=demo_id, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        copied: list[str] = []
        monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
        await pilot.press("f2")
        await settle(pilot)
        await pilot.pause(0.3)  # the tabs' underline slides in before the facts are drawn
        screen = app.screen
        assert isinstance(screen, SessionSetupScreen)
        box = screen.query_one("#fact-links", Input)
        assert not box.disabled
        screen.set_focus(box)
        await type_text(pilot, "file:///etc/passwd")
        await pilot.press("enter")
        await settle(pilot)
        assert "✗ file: links are not kept" in screen_text(app)
        # The demo's three links are as they were: nothing was saved.
        assert len(await read(pilot, lambda tx: tx.links.of_session(demo_id))) == 3
        box.value = f"channel {CHANNEL}"
        await pilot.press("enter")
        await settle(pilot)
        assert await read(pilot, lambda tx: tx.links.of_session(demo_id)) == [
            LinkRow(CHANNEL, "channel")
        ]
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert copied == [CHANNEL]


def test_a_database_from_before_links_upgrades_and_keeps_its_events(tmp_path: Path) -> None:
    from debrief_tui.core.persistence import open_database

    path = tmp_path / "v4.db"
    old_database(
        f"sqlite:///{path}",
        4,
        "INSERT INTO timeline_event (id, session_id, at, text, kind, key_event, approximate)"
        " VALUES (7, 1, '2024-05-01 09:00:00', 'typed', 'observation', 0, 0)",
    )
    database = open_database(str(path))
    try:
        assert database.read(lambda tx: tx.links.by_event(1)) == {}
        database.write(lambda tx: tx.links.set_for_event(7, [LinkRow(GRAFANA)]))
        assert database.read(lambda tx: tx.links.by_event(1)) == {7: [LinkRow(GRAFANA)]}
        assert [e.text for e in database.read(lambda tx: tx.timeline.of(1))] == ["typed"]
    finally:
        database.dispose()
