"""Several seats on one live meeting: what one confirms, the others show, without a key
pressed there and without disturbing what they are doing."""

from __future__ import annotations

from pathlib import Path

import pytest

from debrief_tui.core.export import load_document_file
from debrief_tui.core.persistence import open_database
from debrief_tui.paths import data_path
from tests.helpers import type_text
from tests.seats import seats, settle_all, until


@pytest.fixture
def meeting(tmp_path: Path) -> tuple[str, int]:
    """A database file with the demo incident, minutes and all: (its path, the session id)."""
    path = str(tmp_path / "meeting.db")
    db = open_database(path)
    document = load_document_file(data_path("demo.json"), "demo")
    session = db.write(lambda tx: tx.documents.create(document))
    db.dispose()
    assert session.id is not None
    return path, session.id


async def test_a_minute_typed_in_one_seat_shows_in_the_other(meeting: tuple[str, int]) -> None:
    path, session_id = meeting
    async with seats(path, session_id, "facilitator", "note-taker") as (a, b):
        before = len(b.app.context.book.minutes)
        await type_text(a.pilot, "Ann: the pager went off at 09:12")
        await a.pilot.press("enter")
        await settle_all(a)
        book = b.app.context.book
        await until(lambda: len(book.minutes) == before + 1, a, b)
        assert book.minutes[-1].text == "the pager went off at 09:12"
