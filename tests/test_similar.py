"""Have we seen this before? Past sessions ranked by shared services, factor categories and
root-cause wording, each with why it was listed and how far its actions got: in the core, read
from the database in a few queries whatever the number of sessions, in `debrief similar`, in
the wrap-up (s) and in setup once services are typed (f4)."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from debrief_tui.cli import main
from debrief_tui.core.actions import ActionRow
from debrief_tui.core.persistence import open_database
from debrief_tui.core.persistence.unit import Database, Unit
from debrief_tui.core.sessions import SessionFacts, similar_sessions
from debrief_tui.core.sessions.similar import likeness, service_names, words
from debrief_tui.ui.dialogs.seen_before import SeenBeforeDialog
from debrief_tui.ui.screens.session_setup import SessionSetupScreen
from tests.helpers import app_for, fixed_clock, opened, screen_text, settle, stage, type_text
from tests.postgres import both_backends

THIS = SessionFacts(
    1,
    "Checkout returned 502s",
    services="api, Cache",
    categories=("monitoring", "process"),
    root_causes=("Cache entries all expired at the same moment after the deploy",),
)


def past(session_id: int, **facts: Any) -> SessionFacts:
    """A past session with a neutral title unless told."""
    return SessionFacts(session_id, facts.pop("title", f"Incident {session_id}"), **facts)


# The rules ----------------------------------------------------------------------------------


def test_words_leave_out_common_words_and_plurals() -> None:
    assert words("The caches were NOT warmed, so all entries expired") == {
        "cache",
        "warmed",
        "entrie",
        "expired",
    }
    assert service_names(" api ,API; web / payments-gw |") == {
        "api": "api",
        "web": "web",
        "payments-gw": "payments-gw",
    }
    # One shared word says too little; two in a short text say a lot.
    assert likeness(words("database failover"), words("database upgrade")) == 0.0
    assert likeness(words("cache expiry storm"), words("a storm of cache expiry")) == 1.0


def test_ranking_and_explanations_on_a_generated_set() -> None:
    rng = random.Random(18)
    noise = [
        past(
            100 + n,
            services=rng.choice(["web", "search", "billing", "auth"]),
            categories=(rng.choice(["people", "external", "technical"]),),
            root_causes=(rng.choice(["disk filled up", "expired TLS certificate on the edge"]),),
            started_at=datetime(2024, 1, 1, tzinfo=UTC) + timedelta(days=n),
        )
        for n in range(300)
    ]
    same_cause = past(7, root_causes=("all cache entries expire together after a deploy",))
    service_and_category = past(8, services="API", categories=("monitoring", "technical"))
    two_categories = past(9, categories=("Monitoring", "process"))
    one_category = past(10, categories=("monitoring",))
    everything = past(
        11,
        services="cache; api",
        categories=("process",),
        root_causes=("Cache entries expired at once after a deploy",),
    )
    found = similar_sessions(
        THIS,
        [*noise, same_cause, service_and_category, two_categories, one_category, everything, THIS],
        limit=10,
    )
    # A shared service (3) and a category (1) outweigh three of five root-cause words (4 x 0.6).
    assert [m.past.session_id for m in found] == [11, 8, 7, 9]
    assert [m.why() for m in found] == [
        "shares services cache, api · factor category process · root cause "
        "'Cache entries expired at once after a d…'",
        "shares service API · factor category monitoring",
        "root cause 'all cache entries expire together after…'",
        "factor categories Monitoring, process",
    ]
    # A single shared category (most sessions have one) lists nothing.
    assert all(m.past.session_id != 10 for m in found)
    assert [
        m.past.session_id
        for m in similar_sessions(THIS, [*noise, *(m.past for m in found)], limit=2)
    ] == [
        11,
        8,
    ]


def test_a_new_session_is_matched_by_its_title_and_ties_go_to_the_most_recent() -> None:
    new = SessionFacts(50, "Checkout payments failing in EU")
    older = past(
        1, title="EU checkout payments failing", started_at=datetime(2024, 1, 1, tzinfo=UTC)
    )
    newer = past(2, title="Checkout payments slow", started_at=datetime(2025, 1, 1, tzinfo=UTC))
    found = similar_sessions(new, [older, newer])
    assert [m.past.session_id for m in found] == [1, 2]  # all four words beat two of three
    assert found[0].why() == "title 'EU checkout payments failing'"
    same = similar_sessions(new, [older, past(3, title=older.title, started_at=newer.started_at)])
    assert [m.past.session_id for m in same] == [3, 1]


@given(st.lists(st.text(max_size=40), max_size=6), st.text(max_size=60))
def test_any_text_gives_a_ranking_never_an_error(services: list[str], cause: str) -> None:
    others = [past(n + 2, services=s, root_causes=(cause,)) for n, s in enumerate(services)]
    this = SessionFacts(1, cause, services=",".join(services), root_causes=(cause,))
    found = similar_sessions(this, others)
    assert len(found) <= 5
    assert all(m.why() for m in found)


# The database ---------------------------------------------------------------------------------


def build_history(tx: Unit) -> dict[str, int]:
    """Three past incidents and the one being reviewed."""
    ids: dict[str, int] = {}

    def session(key: str, title: str, services: str, cause: str, categories: list[str]) -> int:
        row = tx.sessions.create(title, "SEV2", "Europe/Amsterdam", services_affected=services)
        assert row.id is not None
        sid = ids[key] = row.id
        problem = tx.whys.ensure_root(sid)
        if cause:
            assert problem.id is not None
            node = tx.whys.add(problem.id, cause)
            assert node.id is not None
            tx.whys.set_root_cause(node.id, True)
        for category in categories:
            tx.factors.add(sid, category, f"{category} factor")
        return sid

    old = session("old", "Cache stampede", "api, cache", "cache keys expire together", ["process"])
    tx.actions.add(old, ActionRow(text="Jitter cache expiry", owner="Ana", status="done"))
    tx.actions.add(old, ActionRow(text="Alert on cache misses", owner="SRE", status="open"))
    session("other", "Login slow", "auth", "", ["people and organisation"])
    session("gateway", "Card gateway down", "payments", "vendor outage", [])
    session("now", "502s at checkout", "API", "cache keys all expire together", ["process"])
    return ids


@both_backends
def test_seen_before_reads_every_session_in_a_few_queries(db: Database) -> None:
    ids = db.write(build_history)

    def fillers(tx: Unit) -> None:
        for n in range(40):  # more sessions must not mean more queries
            tx.sessions.create(f"Filler {n}", "SEV3", services_affected="x")

    db.write(fillers)
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        found = db.read(lambda tx: tx.history.seen_before(ids["now"]))
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) <= 6
    assert [m.past.session_id for m in found] == [ids["old"]]
    match = found[0]
    assert match.why() == (
        "shares service api · factor category process · root cause 'cache keys expire together'"
    )
    assert [(a.text, a.done) for a in match.actions] == [
        ("Jitter cache expiry", True),
        ("Alert on cache misses", False),
    ]
    assert match.progress() == "1/2 done"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_debrief_similar_lines_json_and_a_missing_session(capsys, db_file: Path) -> None:
    db = open_database(str(db_file), fixed_clock)
    ids = db.write(build_history)
    db.dispose()
    code, out, _ = run(capsys, "similar", str(ids["now"]))
    assert code == 0
    assert out.splitlines() == [
        f"#{ids['old']}\tSEV2\t1/2 done\tCache stampede",
        "\tshares service api · factor category process · root cause 'cache keys expire together'",
        "\t  ✓ Jitter cache expiry (Ana): done",
        "\t  · Alert on cache misses (SRE): open",
    ]
    code, out, _ = run(capsys, "similar", str(ids["now"]), "--json")
    [item] = json.loads(out)
    assert item["id"] == ids["old"]
    assert item["services"] == ["api"]
    assert item["root_cause"] == "cache keys expire together"
    assert item["actions"][0] == {"text": "Jitter cache expiry", "owner": "Ana", "status": "done"}
    code, out, _ = run(capsys, "similar", str(ids["gateway"]))
    assert (code, out.strip()) == (
        0,
        f"No past session shares a service, factor categories or root cause with "
        f"#{ids['gateway']}.",
    )
    code, out, err = run(capsys, "similar", "999")
    assert (code, out, err.strip()) == (1, "", "debrief: no session with id 999")


# The screens ----------------------------------------------------------------------------------


async def test_the_wrap_up_counts_past_sessions_and_s_lists_them_with_their_actions(
    db: Database, demo
) -> None:
    def older(tx: Unit) -> None:
        row = tx.sessions.create(
            "[b]Earlier[/b] certificate outage",
            "SEV1",
            services_affected="checkout-api, search",
        )
        assert row.id is not None
        tx.actions.add(row.id, ActionRow(text="Rotate certs by script", owner="Ops", status="done"))
        tx.actions.add(row.id, ActionRow(text="Watch expiry dates", status="open"))

    db.write(older)
    async with stage(db, demo, "wrap-up", size=(80, 24)) as (app, pilot, _screen):
        await settle(pilot)
        assert "seen before: 1 past session (s)" in screen_text(app)
        await pilot.press("s")
        dialog = await opened(app, pilot, SeenBeforeDialog)
        await settle(pilot)
        text = screen_text(app)
        assert "[b]Earlier[/b] certificate outage" in text
        assert "shares service checkout-api" in text
        assert "1/2 actions done" in text
        assert "✓ Rotate certs by script (Ops, done)" in text
        assert "· Watch expiry dates (open)" in text
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is not dialog


async def test_setup_lists_past_sessions_once_services_are_typed(db: Database) -> None:
    def build(tx: Unit) -> int:
        old = tx.sessions.create("Search index full", "SEV3", services_affected="search, api")
        assert old.id is not None
        tx.actions.add(old.id, ActionRow(text="Alert on index size", status="done"))
        new = tx.sessions.create("Slow pages", "SEV2")
        assert new.id is not None
        return new.id

    new_id = db.write(build)
    app = app_for(db, clock=fixed_clock, session_id=new_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        setup = await opened(app, pilot, SessionSetupScreen)
        assert "Seen before:" not in screen_text(app)
        setup.set_focus(setup.query_one("#fact-services_affected"))
        await type_text(pilot, "Search")
        await pilot.press("enter")
        await settle(pilot)
        assert "Seen before: #1 Search index full (shares service search" in screen_text(app)
        await pilot.press("f4")
        await opened(app, pilot, SeenBeforeDialog)
        await settle(pilot)
        assert "1/1 actions done" in screen_text(app)
