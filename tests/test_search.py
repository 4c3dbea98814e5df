"""Search across every session (issue 18): the query typed made safe, the index kept in step
by the triggers after adds, edits, deletes and undo, the filters, `debrief search`, the
upgrade of a version 4 database, and the session list's filter searching every text."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from debrief_tui.core.actions.items import ActionRow
from debrief_tui.core.errors import InputError
from debrief_tui.core.persistence import open_database, schema
from debrief_tui.core.persistence.engine import migrate
from debrief_tui.core.persistence.unit import Database
from debrief_tui.core.sessions import SearchFilters, SearchHit, parse_search
from debrief_tui.core.sessions.search import fts5_match, snippet, tsquery_text
from debrief_tui.core.timeline import TimelineRow
from tests.helpers import app_for, fixed_clock, screen_text, settle, type_text
from tests.postgres import both_backends
from tests.test_cli import run

pytestmark = both_backends

AT = datetime(2025, 3, 21, 9, 30, tzinfo=UTC)
HOSTILE = [
    '"',
    '"""',
    "*",
    "-",
    "- -x",
    "NEAR(",
    "NEAR(a b",
    "a AND",
    "OR",
    "NOT x",
    "^start",
    "col:umn",
    "body:x",
    "'",
    "\\",
    "a & b | !c <-> d:*",
    "(((",
    "🔥 database 🔥",
    "\x00\x01\x1b[31m",
    "\u202ebidi",
    "x" * 10_000,
    "word " * 2_000,
    "_ __ ___",
    "١٢٣ 日本語 Ελληνικά",
]


def where(hits: list[SearchHit]) -> list[tuple[str, str]]:
    """(where, snippet) of each hit, in order."""
    return [(hit.where, hit.snippet) for hit in hits]


def find(db: Database, text: str, **filters: Any) -> list[SearchHit]:
    query = parse_search(text, filters=SearchFilters(**filters))
    return db.read(lambda tx: tx.search.find(query))


def listed(db: Database, text: str) -> list[tuple[int, str | None]]:
    """The session list for `text`: each session's id and where it was found."""
    query = parse_search(text)
    return [
        (m.session.id or 0, m.hit.where if m.hit else None)
        for m in db.read(lambda tx: tx.search.sessions(query))
    ]


def session(db: Database, title: str, severity: str = "SEV2", **facts: Any) -> int:
    row = db.write(lambda tx: tx.sessions.create(title, severity, **facts))
    assert row.id is not None
    return row.id


# The query typed ------------------------------------------------------------------------------


def test_the_last_word_is_a_prefix_while_typing_and_filter_words_are_taken_out() -> None:
    query = parse_search('Database time sev:SEV1 status:"in review" service:api until:2025-06-30')
    assert query.terms == ("database", "time")
    assert query.prefix
    assert query.filters == SearchFilters(
        severity="SEV1", status="in review", service="api", until=date(2025, 6, 30)
    )
    assert fts5_match(query) == '"database" "time"*'
    assert tsquery_text(query) == "'database' & 'time':*"
    # A space after the last word ends it; a single letter is never a prefix (too many words).
    assert not parse_search("time ").prefix
    assert not parse_search("t").prefix
    # Words that are not filter keys stay words; punctuation separates words, as in the index.
    assert parse_search("error:timeout user_id").terms == ("error", "timeout", "user", "id")
    assert parse_search("").empty


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("since:2025-13-01", "since:2025-13-01 is not a date; write it as YYYY-MM-DD"),
        ("until:yesterday", "until:yesterday is not a date"),
        ("sev:", "sev: needs a value, as in sev:SEV1"),
        ('status:""', "status: needs a value"),
        ("since:2025-06-01 until:2025-01-01", "since:2025-06-01 is after until:2025-01-01"),
    ],
)
def test_a_malformed_filter_word_is_said_in_one_line(typed: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        parse_search(typed)
    assert "\n" not in str(info.value)


@given(st.text(max_size=300))
@settings(max_examples=200, deadline=None)
def test_any_text_is_a_query_or_a_one_line_refusal(text: str) -> None:
    try:
        query = parse_search(text)
    except InputError as exc:
        refusal = str(exc)
        query = None
    if query is None:
        assert "\n" not in refusal
        return
    for term in query.terms:
        assert term.isalnum()  # no quote, star, colon or space left to be syntax
    assert fts5_match(query).count('"') == 2 * len(query.terms)


def test_the_snippet_is_the_words_around_the_match_cut_at_spaces() -> None:
    text = "A " * 40 + "the payment gateway rotated its certificate onto a new chain " + "B " * 40
    cut = snippet(text, parse_search("certif"))
    assert cut.startswith("…")
    assert cut.endswith("…")
    assert "certificate" in cut
    assert len(cut) <= 62
    assert snippet("short\ntext", parse_search("text")) == "short text"
    assert snippet("Café crème", parse_search("creme")) == "Café crème"


# The index kept in step ----------------------------------------------------------------------


def test_every_text_of_a_session_is_found_and_says_where(db: Database) -> None:
    sid = session(db, "Checkout outage", summary="alpha summary", services_affected="charlie-api")
    db.write(lambda tx: tx.minutes.add(sid, "Ground rules", [("Priya", "delta minute")], AT))
    db.write(lambda tx: tx.timeline.add(sid, TimelineRow(AT, "echo event", author="José")))
    root = db.write(lambda tx: tx.whys.ensure_root(sid))
    db.write(lambda tx: tx.whys.edit(root.id or 0, "bravo problem"))  # the problem statement
    db.write(lambda tx: tx.whys.add(root.id or 0, "foxtrot why"))
    db.write(lambda tx: tx.factors.add(sid, "technical", "golf factor"))
    db.write(lambda tx: tx.lessons.add(sid, "went well", "hotel lesson"))
    db.write(lambda tx: tx.actions.add(sid, ActionRow("india action", "Mei Lin", ticket="PAY-77")))
    db.write(lambda tx: tx.parking.add(sid, "juliet parked", "Ground rules"))
    expected = {
        "checkout": "title",
        "alpha": "summary",
        "charlie": "services",
        "delta": "minute",
        "echo": "timeline event",
        "foxtrot": "5 Whys",
        "golf": "contributing factor",
        "hotel": "lesson",
        "india": "action",
        "juliet": "parking lot",
        "pay 77": "action",  # the ticket
        "mei": "action",  # the owner
        "jose": "timeline event",  # the author, without its accent
        "priya": "minute",
    }
    for word, place in expected.items():
        hits = find(db, word)
        assert [hit.where for hit in hits] == [place], word
        assert hits[0].session_id == sid
    # The problem statement is the session's and the 5 Whys' root's.
    assert sorted(hit.where for hit in find(db, "bravo")) == ["5 Whys", "problem statement"]
    (minute,) = find(db, "delta")
    assert minute.at == AT
    assert minute.title == "Checkout outage"
    assert minute.snippet == "delta minute"


def test_edits_deletes_and_undo_keep_the_index_in_step(db: Database) -> None:
    sid = session(db, "Queue backlog")
    (line,) = db.write(lambda tx: tx.minutes.add(sid, "Ground rules", [(None, "kafka lag")], AT))
    assert where(find(db, "kafka")) == [("minute", "kafka lag")]
    db.write(lambda tx: tx.minutes.update(line.id or 0, None, "rabbit lag"))
    assert find(db, "kafka") == []
    assert where(find(db, "rabbit")) == [("minute", "rabbit lag")]
    removed = db.write(lambda tx: tx.minutes.delete(line.id or 0))
    assert find(db, "rabbit") == []
    db.write(lambda tx: tx.removals.restore(removed))
    assert where(find(db, "rabbit")) == [("minute", "rabbit lag")]

    action = db.write(lambda tx: tx.actions.add(sid, ActionRow("Add a lag alert", "Ann")))
    db.write(lambda tx: tx.actions.update(action.id or 0, ActionRow("Add a depth alert", "Bo")))
    assert (find(db, "lag alert"), find(db, "ann")) == ([], [])
    assert [h.row_id for h in find(db, "depth")] == [action.id]
    removed = db.write(lambda tx: tx.actions.delete(action.id or 0))
    assert find(db, "depth") == []
    db.write(lambda tx: tx.removals.restore(removed))
    assert [h.where for h in find(db, "depth bo")] == ["action"]

    db.write(lambda tx: tx.sessions.update(sid, title="Topic backlog", summary="consumer stall"))
    assert [h.where for h in find(db, "topic")] == ["title"]
    assert [h.where for h in find(db, "consumer")] == ["summary"]
    assert find(db, "queue") == []


def test_a_deleted_session_leaves_nothing_in_the_index(db: Database) -> None:
    sid = session(db, "Deleted one", summary="zulu")
    kept = session(db, "Kept one")
    db.write(lambda tx: tx.minutes.add(sid, "Ground rules", [(None, "zulu minute")], AT))
    root = db.write(lambda tx: tx.whys.ensure_root(sid))
    db.write(lambda tx: tx.whys.add(root.id or 0, "zulu why"))
    db.write(lambda tx: tx.minutes.add(kept, "Ground rules", [(None, "zulu kept")], AT))
    db.write(lambda tx: tx.sessions.delete(sid))
    assert [(h.session_id, h.where) for h in find(db, "zulu")] == [(kept, "minute")]
    with db.engine.connect() as conn:
        left = conn.execute(
            sa.text("SELECT count(*) FROM search_index WHERE session_id = :s"), {"s": sid}
        )
        assert left.scalar() == 0


def test_a_why_deleted_with_its_answers_comes_back_with_them(db: Database) -> None:
    sid = session(db, "Tree")
    root = db.write(lambda tx: tx.whys.ensure_root(sid))
    parent = db.write(lambda tx: tx.whys.add(root.id or 0, "oscar parent"))
    db.write(lambda tx: tx.whys.add(parent.id or 0, "oscar child"))
    removed = db.write(lambda tx: tx.whys.delete(parent.id or 0))
    assert find(db, "oscar") == []
    db.write(lambda tx: tx.removals.restore(removed))
    assert sorted(h.snippet for h in find(db, "oscar")) == ["oscar child", "oscar parent"]


# Ranking, filters, the session list -----------------------------------------------------------


def test_the_best_match_comes_first_and_the_limit_holds(db: Database) -> None:
    sid = session(db, "Ranked")
    db.write(
        lambda tx: tx.minutes.add(
            sid,
            "Ground rules",
            [
                (None, "one mention of latency among many other words here"),
                *((None, f"filler {n}") for n in range(5)),
                (None, "latency latency latency"),
            ],
            AT,
        )
    )
    hits = find(db, "latency")
    assert [h.snippet for h in hits] == [
        "latency latency latency",
        "one mention of latency among many other words here",
    ]
    query = parse_search("filler")
    assert len(db.read(lambda tx: tx.search.find(query, 3))) == 3


def test_a_word_in_very_many_texts_is_ranked_among_the_newest(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from debrief_tui.core.persistence.repositories import search

    monkeypatch.setattr(search, "RANKED_AT_MOST", 2)
    sid = session(db, "Many")
    lines: list[tuple[str | None, str]] = [
        (None, "kilo kilo kilo oldest"),
        (None, "kilo older"),
        (None, "kilo newer words"),
        (None, "kilo kilo newest"),
    ]
    db.write(lambda tx: tx.minutes.add(sid, "Ground rules", lines, AT))
    # The oldest, though it says it most, does not come first: past the cap SQLite ranks only
    # the newest (kilo kilo newest first), PostgreSQL lists the newest first.
    newest = ["kilo kilo newest", "kilo newer words"]
    assert [h.snippet for h in find(db, "kilo")][:2] == newest
    assert [h.snippet for h in find(db, "kilo", severity="sev2")][:2] == newest


def test_filters_narrow_by_severity_status_service_and_dates(db: Database) -> None:
    old = session(
        db,
        "Old",
        "SEV1",
        started_at=datetime(2024, 12, 31, 23, tzinfo=UTC),
        services_affected="api",
    )
    new = session(
        db, "New", "SEV3", started_at=datetime(2025, 2, 1, 8, tzinfo=UTC), services_affected="web"
    )
    db.write(lambda tx: tx.sessions.update(new, status="in review"))
    db.write(
        lambda tx: [tx.minutes.add(s, "Ground rules", [(None, "romeo")], AT) for s in (old, new)]
    )

    def ids(text: str, **filters: Any) -> list[int]:
        return [hit.session_id for hit in find(db, text, **filters)]

    assert sorted(ids("romeo")) == sorted([old, new])
    assert ids("romeo sev:sev1") == [old]
    assert ids("romeo", severity="SEV3") == [new]
    assert ids('romeo status:"in review"') == [new]
    assert ids("romeo service:API") == [old]
    assert ids("romeo since:2025-01-01") == [new]
    assert ids("romeo until:2024-12-31") == [old]
    assert ids("romeo since:2025-01-01 until:2025-01-31") == []
    # Only filters: the session list shows the sessions they allow.
    assert listed(db, "sev:SEV3") == [(new, None)]


def test_the_session_list_says_where_each_session_was_found(db: Database) -> None:
    by_title = session(db, "Sierra outage", started_at=datetime(2025, 1, 2, tzinfo=UTC))
    by_minute = session(db, "Other", started_at=datetime(2025, 1, 3, tzinfo=UTC))
    db.write(lambda tx: tx.minutes.add(by_minute, "Ground rules", [(None, "sierra said")], AT))
    db.write(lambda tx: tx.minutes.add(by_title, "Ground rules", [(None, "sierra again")], AT))
    assert listed(db, "sierr") == [(by_minute, "minute"), (by_title, "title")]
    every = db.read(lambda tx: tx.sessions.matching())
    assert listed(db, "") == [(row.id, None) for row in every]
    assert listed(db, "sev1") == []  # the severity is searched with the title
    assert listed(db, "sev2") == [(by_minute, "title"), (by_title, "title")]


def test_a_search_lists_at_most_the_newest_sessions_asked_for(db: Database) -> None:
    ids = [
        session(db, f"Papa {n}", started_at=datetime(2025, 1, 1 + n, tzinfo=UTC)) for n in range(4)
    ]
    query = parse_search("papa")
    found = db.read(lambda tx: tx.search.sessions(query, 2))
    assert [m.session.id for m in found] == [ids[3], ids[2]]
    only_filters = parse_search("sev:SEV2")
    assert len(db.read(lambda tx: tx.search.sessions(only_filters, 3))) == 3


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_queries_never_fail(db: Database, text: str) -> None:
    sid = session(db, "Hostile")
    db.write(lambda tx: tx.minutes.add(sid, "Ground rules", [(None, "database word")], AT))
    query = parse_search(text)
    db.read(lambda tx: tx.search.find(query))
    db.read(lambda tx: tx.search.sessions(query))
    if "database" in text:
        assert [h.where for h in find(db, text)] == ["minute"]


_HYPOTHESIS_DB: dict[str, Database] = {}


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=80))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_typed_query_runs_on_sqlite(text: str) -> None:
    if "db" not in _HYPOTHESIS_DB:
        _HYPOTHESIS_DB["db"] = open_database("sqlite://", fixed_clock)
        _HYPOTHESIS_DB["db"].write(lambda tx: tx.sessions.create("Any text", "SEV2"))
    db = _HYPOTHESIS_DB["db"]
    try:
        query = parse_search(text)
    except InputError:
        return
    db.read(lambda tx: tx.search.find(query))
    db.read(lambda tx: tx.search.sessions(query))


def test_any_typed_query_runs_on_postgresql(pg_migrated_url: str) -> None:
    database = open_database(pg_migrated_url, fixed_clock)
    database.write(lambda tx: tx.sessions.create("Any text", "SEV2"))

    @given(st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=80))
    @settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    def check(text: str) -> None:
        try:
            query = parse_search(text)
        except InputError:
            return
        database.read(lambda tx: tx.search.find(query))
        database.read(lambda tx: tx.search.sessions(query))

    try:
        check()
    finally:
        database.dispose()


# Upgrading a version 4 database ---------------------------------------------------------------


def _version_4(url: str) -> None:
    """A database as version 4 wrote it, with a session, a minute and an action in it."""
    engine = sa.create_engine(url)
    migrate(engine, "old", target_version=4)
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO session (id, title, severity, status, timezone, summary, created_at,"
                " updated_at, services_affected) VALUES (3, 'Legacy outage', 'SEV2', 'draft',"
                " 'UTC', 'tango summary', '2024-05-01 10:00:00+00', '2024-05-01 10:00:00+00',"
                " '')"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO minute (session_id, at, stage, author, text) VALUES"
                " (3, '2024-05-01 11:00:00+00', 'Ground rules', NULL, 'uniform minute')"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO action (session_id, text, owner, priority, type, status, ticket,"
                " proposal) VALUES (3, 'victor action', 'Ann', 'P2', 'detect', 'open', '', false)"
            )
        )
    engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_version_4_database_upgrades_with_its_texts_in_the_index(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if backend == "postgresql":
        url = request.getfixturevalue("pg_url")
    else:
        url = f"sqlite:///{tmp_path / 'v4.db'}"
    _version_4(url)
    database = open_database(url, fixed_clock)
    with database.engine.connect() as conn:
        from debrief_tui.core.persistence import migrations

        assert migrations.read_version(conn) == schema.SCHEMA_HEAD
    assert where(find(database, "legacy")) == [("title", "Legacy outage")]
    assert where(find(database, "tango")) == [("summary", "tango summary")]
    assert where(find(database, "uniform")) == [("minute", "uniform minute")]
    assert where(find(database, "victor")) == [("action", "victor action")]
    (minute,) = find(database, "uniform")
    assert minute.at == datetime(2024, 5, 1, 11, tzinfo=UTC)
    # And the triggers follow what is written after the upgrade.
    database.write(lambda tx: tx.minutes.add(3, "Ground rules", [(None, "whiskey")], AT))
    assert [h.where for h in find(database, "whiskey")] == ["minute"]
    database.dispose()


# debrief search -------------------------------------------------------------------------------


@pytest.fixture
def searched(db_file: Path) -> Path:
    """A database file with two sessions whose texts the command searches."""
    database = open_database(str(db_file), fixed_clock)
    first = database.write(
        lambda tx: tx.sessions.create(
            "Payments down \x1b[31m[bold]", "SEV1", started_at=datetime(2025, 3, 1, tzinfo=UTC)
        )
    )
    other = database.write(
        lambda tx: tx.sessions.create(
            "Search slow",
            "SEV3",
            timezone="Europe/Berlin",
            started_at=datetime(2025, 4, 1, tzinfo=UTC),
        )
    )
    assert first.id
    assert other.id
    database.write(
        lambda tx: tx.minutes.add(first.id or 0, "Timeline review", [(None, "the\tcache died")], AT)
    )
    database.write(
        lambda tx: tx.actions.add(other.id or 0, ActionRow("Warm the cache on deploy", "Ann"))
    )
    database.dispose()
    return db_file


def test_the_command_prints_matches_under_their_session_literally(
    searched: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "search", "cache")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert "#1\tSEV1\tdraft\tPayments down \\x1b[31m[bold]" in lines
    assert "\tminute\t2025-03-21 09:30\tthe cache died" in lines
    assert "#2\tSEV3\tdraft\tSearch slow" in lines
    assert "\taction\t-\tWarm the cache on deploy" in lines
    assert "\x1b" not in out
    code, out, _ = run(capsys, "search", "cache", "--severity", "sev3")
    assert (code, out.splitlines()[0]) == (0, "#2\tSEV3\tdraft\tSearch slow")
    assert "Payments" not in out


def test_the_command_json_is_a_stable_shape(
    searched: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "search", "cach", "--json", "--since", "2025-03-01")
    assert code == 0
    items = json.loads(out)
    assert [item["session_id"] for item in items] == [1, 2] or [i["session_id"] for i in items] == [
        2,
        1,
    ]
    by_id = {item["session_id"]: item for item in items}
    assert by_id[1] == {
        "session_id": 1,
        "title": "Payments down \x1b[31m[bold]",
        "severity": "SEV1",
        "status": "draft",
        "matches": [
            {
                "where": "minute",
                "item_id": 1,
                "at": "2025-03-21T09:30:00+00:00",
                "snippet": "the cache died",
            }
        ],
    }
    assert by_id[2]["matches"][0]["where"] == "action"


def test_no_match_says_so_and_a_bad_filter_exits_2(
    searched: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "search", "nothing-like-it") == (0, "", "no session matches\n")
    assert run(capsys, "search", "--json", "nothing") == (0, "[]\n", "")
    code, out, err = run(capsys, "search", "cache", "since:2025-02-30")
    assert (code, out) == (2, "")
    assert err == "debrief: since:2025-02-30 is not a date; write it as YYYY-MM-DD\n"
    code, _, err = run(capsys, "search", "cache", "--until", "soon")
    assert code == 2
    assert err.count("\n") == 1
    assert "'soon' is not a date" in err
    for text in HOSTILE[:12]:
        code, _, err = run(capsys, "search", "--", text)
        assert code == 0
        assert "Traceback" not in err


# The session list's filter --------------------------------------------------------------------


async def test_the_filter_finds_a_word_said_only_in_a_minute(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from debrief_tui.ui.screens import session_list

    monkeypatch.setattr(session_list, "LISTED_AT_MOST", 1)
    sid = session(db, "Disk full on the primary", started_at=datetime(2025, 1, 1, tzinfo=UTC))
    session(db, "Checkout failed", started_at=datetime(2025, 2, 1, tzinfo=UTC))
    db.write(
        lambda tx: tx.minutes.add(sid, "Ground rules", [("Ann", "the vacuum never finished")], AT)
    )
    app = app_for(db, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "Search every text" in screen_text(app)
        await pilot.press("slash")
        await type_text(pilot, "vacu")
        await settle(pilot)
        text = screen_text(app)
        assert "Disk full on the primary" in text
        # Under the title, wrapped to its column at 80 (the Review column beside it).
        assert "minute: the vacuum never" in text
        assert "finished" in text
        assert "Checkout failed" not in text
        await type_text(pilot, " since:2025-13")
        await settle(pilot)
        assert "since:2025-13 is not a date" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        text = screen_text(app)
        assert "Checkout failed" in text
        assert "Disk full" in text
        assert "minute:" not in text
        await pilot.press("slash")
        await type_text(pilot, "sev:SEV2")
        await settle(pilot)
        text = screen_text(app)
        assert "The newest 1 session found; type more to narrow." in text
        assert "Checkout failed" in text
        assert "Disk full" not in text
