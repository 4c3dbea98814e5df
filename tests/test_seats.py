"""Several seats on one live meeting: what one confirms, the others show, without a key
pressed there and without disturbing what they are doing."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from debrief_tui.core.actions import ActionRow
from debrief_tui.core.export import load_document_file
from debrief_tui.core.persistence import SEAT_BEAT_SECONDS, open_database
from debrief_tui.core.persistence.unit import Unit
from debrief_tui.core.timeline import TimelineRow
from debrief_tui.paths import data_path
from debrief_tui.ui.dialogs.deleted_meanwhile import DeletedMeanwhile
from debrief_tui.ui.widgets.minute_input import MinuteInput
from tests.helpers import FakeClock, run_command, screen_text, settle, type_text
from tests.postgres import BACKENDS
from tests.seats import Seat, seats, settle_all, until

AT = datetime(2025, 3, 21, 9, 30, tzinfo=UTC)


@pytest.fixture(params=BACKENDS)
def meeting(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, int]:
    """A database with the demo incident, a file or a team database: (where, the session id)."""
    if request.param == "postgresql":
        path = request.getfixturevalue("pg_url")
    else:
        path = str(tmp_path / "meeting.db")
    db = open_database(path)
    document = load_document_file(data_path("demo.json"), "demo")
    session = db.write(lambda tx: tx.documents.create(document))
    db.dispose()
    assert session.id is not None
    return path, session.id


async def test_a_minute_in_one_seat_shows_in_the_other_without_disturbing_its_typing(
    meeting: tuple[str, int],
) -> None:
    path, session_id = meeting
    async with seats(path, session_id, "facilitator", "note-taker") as (a, b):
        before = len(b.book.minutes)
        await type_text(b.pilot, "half a thou")
        box = b.app.screen.query_one(MinuteInput)
        await type_text(a.pilot, "Ann: the pager went off at 09:12")
        await a.pilot.press("enter")
        await until(lambda: len(b.book.minutes) == before + 1, a, b)
        assert b.book.minutes[-1].text == "the pager went off at 09:12"
        assert b.book.minutes[-1].author == "Ann"
        assert (box.value, b.app.focused) == ("half a thou", box)


async def test_every_kind_of_item_and_the_stage_reach_the_other_seat(
    meeting: tuple[str, int],
) -> None:
    path, session_id = meeting
    async with seats(path, session_id, "facilitator", "note-taker") as (a, b):

        async def move_to(key: str) -> None:
            index = a.app.context.meeting.agenda.index_of(key) if a.app.context else 0
            # Posted, not called: each app handles its own messages (in its own context).
            a.app.post_message(type(a.screen).GoToStage(index))
            await settle(a.pilot)
            await until(lambda: b.screen.stage.key == key, a, b)
            # The note-taker types on: the new stage's minutes box has the cursor.
            await until(lambda: isinstance(b.app.focused, MinuteInput), a, b)

        async def confirm(job: Any) -> Any:
            return await a.app.gateway.write(job)

        await move_to("timeline")
        await settle(b.pilot)
        assert "Facilitator moved to Timeline review" in screen_text(b.app)
        event = await confirm(lambda tx: tx.timeline.add(session_id, TimelineRow(AT, "Pager")))
        await until(lambda: event.id in [e.id for e in b.screen.events], a, b)  # type: ignore[attr-defined]
        await confirm(lambda tx: tx.sessions.set_milestone(session_id, "detected_at", AT))
        await until(lambda: b.screen.session.detected_at == AT, a, b)  # type: ignore[attr-defined]

        await move_to("whys")
        root = await a.app.gateway.read(lambda tx: tx.whys.ensure_root(session_id))
        why = await confirm(lambda tx: tx.whys.add(root.id, "The deploy skipped canary"))
        await until(lambda: why.id in b.screen.whys.nodes, a, b)  # type: ignore[attr-defined]

        await move_to("factors")
        factor = await confirm(lambda tx: tx.factors.add(session_id, "process", "No canary"))
        await until(lambda: factor.id in [r.id for r in b.screen.rows], a, b)  # type: ignore[attr-defined]

        await move_to("lessons")
        lesson = await confirm(lambda tx: tx.lessons.add(session_id, "went well", "Paging"))
        await until(lambda: lesson.id in [r.id for r in b.screen.rows], a, b)  # type: ignore[attr-defined]

        await move_to("actions")
        action = await confirm(lambda tx: tx.actions.add(session_id, ActionRow("Add canary")))
        await until(lambda: action.id in [r.id for r in b.screen.actions], a, b)  # type: ignore[attr-defined]

        parked = await confirm(lambda tx: tx.parking.add(session_id, "Budget", "actions"))
        await move_to("wrap-up")
        await until(lambda: parked.id in [p.id for p in b.screen.items], a, b)  # type: ignore[attr-defined]


async def test_the_note_takers_own_moves_stay_its_own(meeting: tuple[str, int]) -> None:
    path, session_id = meeting
    async with seats(path, session_id, "facilitator", "note-taker") as (a, b):
        first = a.screen.stage.key
        await b.pilot.press("f8")
        await settle_all(a, b)
        assert b.screen.stage.key != first
        await b.pilot.pause(0.3)
        assert a.screen.stage.key == first
        stored = await a.app.gateway.read(lambda tx: tx.sessions.get(session_id).current_stage)
        assert stored == first


async def test_the_room_panel_shows_who_is_connected_in_which_role(
    meeting: tuple[str, int],
) -> None:
    path, session_id = meeting
    async with seats(path, session_id, "facilitator", "note-taker") as (a, b):
        await a.pilot.press("f6")
        await until(lambda: len(a.app.live.seats) == 2, a, b)
        await settle(a.pilot)
        text = screen_text(a.app)
        assert "Connected" in text
        assert "facilitator (you)" in text
        assert "note-taker" in text
    # Both have left: nobody is connected any more.
    db = open_database(path)
    try:
        assert db.read(lambda tx: tx.seats.present(session_id)) == []
    finally:
        db.dispose()


def test_two_seats_typing_at_full_speed_lose_duplicate_and_reorder_nothing(
    meeting: tuple[str, int],
) -> None:
    path, session_id = meeting
    lines = 2000
    db = open_database(path)
    try:
        before = len(db.read(lambda tx: tx.minutes.of(session_id)))
    finally:
        db.dispose()
    total = before + 2 * lines
    # Two processes, as two terminals: each app on a core of its own.
    runs = [
        subprocess.Popen(
            [
                *(sys.executable, "-m", "tests.seat_process", path, str(session_id), role),
                *(prefix, str(lines), str(total)),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
        for role, prefix in (("facilitator", "a"), ("note-taker", "b"))
    ]
    for run in runs:
        assert run.stdout is not None
        assert run.stdout.readline().strip() == "READY", run.stderr
    for run in runs:  # both at once
        assert run.stdin is not None
        run.stdin.write("go\n")
        run.stdin.flush()
    shown = []
    for run in runs:
        out, err = run.communicate(timeout=180)
        assert run.returncode == 0, err[-2000:]
        seen = json.loads(out.strip().splitlines()[-1])
        assert not [note for note in seen["notes"] if "locked" in note or "could not" in note]
        shown.append(seen["minutes"][before:])

    def stored(tx: Unit) -> list[str]:
        return [m.text for m in tx.minutes.of(session_id)]

    db = open_database(path)
    try:
        texts = db.read(stored)[before:]
    finally:
        db.dispose()
    assert len(texts) == len(set(texts)) == 2 * lines
    for prefix in ("a", "b"):
        expected = [f"{prefix}{n}" for n in range(lines)]
        assert [t for t in texts if t.startswith(prefix)] == expected
        for seat in shown:
            assert [t for t in seat if t.startswith(prefix)] == expected


async def test_the_later_edit_wins_and_both_seats_show_it(meeting: tuple[str, int]) -> None:
    path, session_id = meeting
    async with seats(path, session_id, "facilitator", "facilitator") as (a, b):
        action = await a.app.gateway.write(
            lambda tx: tx.actions.add(session_id, ActionRow("Add canary"))
        )
        assert action.id is not None
        action_id = action.id
        for seat in (a, b):
            seat.app.post_message(type(seat.screen).GoToStage(5))
        await settle_all(a, b)
        await a.app.gateway.write(lambda tx: tx.actions.update(action_id, ActionRow("First")))
        await b.app.gateway.write(lambda tx: tx.actions.update(action_id, ActionRow("Later")))

        def shown(seat: Seat) -> str | None:
            found = [r.text for r in seat.screen.actions if r.id == action_id]  # type: ignore[attr-defined]
            return found[0] if found else None

        await until(lambda: shown(a) == shown(b) == "Later", a, b)


@pytest.mark.parametrize(("key", "kept"), [("m", "minute"), ("n", "action")])
async def test_an_action_deleted_while_edited_elsewhere_keeps_the_typed_text(
    meeting: tuple[str, int], key: str, kept: str
) -> None:
    path, session_id = meeting
    async with seats(path, session_id, "facilitator", "facilitator") as (a, b):
        action = await a.app.gateway.write(
            lambda tx: tx.actions.add(session_id, ActionRow("Add canary"))
        )
        action_id = action.id
        assert action_id is not None
        b.app.post_message(type(b.screen).GoToStage(5))
        await settle(b.pilot)
        await until(lambda: action_id in [r.id for r in b.screen.actions], a, b)  # type: ignore[attr-defined]
        b.screen.select_row("action", action_id)
        await b.pilot.press("e")
        await settle(b.pilot)
        await a.app.gateway.write(lambda tx: tx.actions.delete(action_id))
        box = b.app.screen.query_one("#action-text")
        box.value = "Add a canary stage to every deploy"  # type: ignore[attr-defined]
        await b.pilot.press("ctrl+s")
        await settle(b.pilot)
        assert isinstance(b.app.screen, DeletedMeanwhile)
        assert "This action was deleted" in screen_text(b.app)
        await b.pilot.press(key)
        await settle(b.pilot)

        def kept_where(tx: Unit) -> tuple[list[str], list[str]]:
            return (
                [m.text for m in tx.minutes.of(session_id)],
                [r.text for r in tx.actions.of(session_id)],
            )

        minutes, actions = await b.app.gateway.read(kept_where)
        typed = "Add a canary stage to every deploy"
        assert (typed in minutes, typed in actions) == (kept == "minute", kept == "action")


def test_two_processes_importing_20_timelines_each_into_one_session_all_succeed(
    meeting: tuple[str, int], tmp_path: Path
) -> None:
    path, session_id = meeting
    example = Path(__file__).parent / "examples" / "aws-s3-2017-02-28-us-east-1.timeline.txt"
    lines = example.read_text().splitlines()
    files = []
    for number in range(40):
        file = tmp_path / f"part-{number}.txt"
        file.write_text("\n".join(f"{line} (file {number})" for line in lines) + "\n")
        files.append(str(file))
    script = (
        "import sys\n"
        "from debrief_tui.cli import main\n"
        "db, sid, *files = sys.argv[1:]\n"
        "codes = [main(['--db', db, 'import', sid, f]) for f in files]\n"
        "sys.exit(max(codes))\n"
    )
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", script, path, str(session_id), *files[half::2]],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for half in (0, 1)
    ]
    results = [(*run.communicate(timeout=120), run.returncode) for run in runs]
    for out, err, code in results:
        assert code == 0, err
        assert "locked" not in out + err
    db = open_database(path)
    try:
        texts = db.read(lambda tx: [e.text for e in tx.timeline.of(session_id)])
    finally:
        db.dispose()
    for number in range(40):
        assert sum(text.endswith(f"(file {number})") for text in texts) == len(lines)


async def test_an_answer_deleted_while_being_answered_elsewhere_keeps_the_typed_text(
    meeting: tuple[str, int],
) -> None:
    path, session_id = meeting
    async with seats(path, session_id, "facilitator", "facilitator") as (a, b):
        root = await a.app.gateway.write(lambda tx: tx.whys.ensure_root(session_id))
        why = await a.app.gateway.write(lambda tx: tx.whys.add(root.id or 0, "No canary"))
        b.app.post_message(type(b.screen).GoToStage(2))
        await settle(b.pilot)
        await until(lambda: why.id in b.screen.whys.nodes, a, b)  # type: ignore[attr-defined]
        b.screen.select_row("why", why.id or 0)
        await b.pilot.press("a")  # ask why again, under the answer about to be deleted
        await settle(b.pilot)
        await a.app.gateway.write(lambda tx: tx.whys.delete(why.id or 0))
        await until(lambda: why.id not in b.screen.whys.nodes, a, b)  # type: ignore[attr-defined]
        await type_text(b.pilot, "Because the pipeline has no canary stage")
        await b.pilot.press("enter")
        await settle(b.pilot)
        assert isinstance(b.app.screen, DeletedMeanwhile)
        await b.pilot.press("m")
        await settle(b.pilot)
        minutes = await b.app.gateway.read(lambda tx: [m.text for m in tx.minutes.of(session_id)])
        assert "Because the pipeline has no canary stage" in minutes


def test_a_seat_not_heard_from_for_three_beats_has_left_the_room(
    meeting: tuple[str, int],
) -> None:
    path, session_id = meeting
    clock = FakeClock()
    db = open_database(path, clock)
    try:
        db.write(lambda tx: tx.seats.join("killed", session_id, "note-taker", "ann@laptop"))
        db.write(lambda tx: tx.seats.join("alive", session_id, "facilitator", "bo@desk"))
        for _ in range(3):
            clock.advance(seconds=SEAT_BEAT_SECONDS)
            db.write(lambda tx: tx.seats.beat("alive"))  # the killed one says nothing
        clock.advance(seconds=1)
        present = db.read(lambda tx: tx.seats.present(session_id))
        assert [(seat.id, seat.role) for seat in present] == [("alive", "facilitator")]
    finally:
        db.dispose()


async def test_a_seat_changes_role_from_the_palette(meeting: tuple[str, int]) -> None:
    path, session_id = meeting
    async with seats(path, session_id, "facilitator", "facilitator") as (a, b):
        await run_command(b.pilot, "Sit as note-taker")
        await until(lambda: isinstance(b.app.focused, MinuteInput), a, b)
        assert b.app.live.role == "note-taker"
        assert "This seat is the note-taker now" in screen_text(b.app)

        def roles(tx: Unit) -> list[str]:
            return sorted(seat.role for seat in tx.seats.present(session_id))

        assert await a.app.gateway.read(roles) == ["facilitator", "note-taker"]
        a.app.post_message(type(a.screen).GoToStage(2))  # b follows a facilitator now
        await until(lambda: b.screen.stage.key == "whys", a, b)
