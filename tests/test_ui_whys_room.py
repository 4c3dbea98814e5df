"""Pilot tests for giving the 5 Whys tree the room (issue 17): `z` zooms the tree to the whole
body at 80x24, the minutes come back for every way of typing one, and the tree never scrolls
past its last row."""

from __future__ import annotations

from typing import Any

from debrief_tui.core.actions import ActionLinks, ActionRow
from debrief_tui.core.persistence.models import PostmortemSession
from debrief_tui.core.persistence.unit import Database, Unit
from debrief_tui.ui.screens.whys import WhysScreen
from debrief_tui.ui.widgets.why_tree import WhyTreeView
from tests.helpers import answer, read, run_command, screen_text, settle, stage, type_text

SMALL = (80, 24)

CHAIN = [
    "Checkout rejected the gateway's new certificate chain",
    "The chain was not in the CA bundle pinned into the image",
    "The bundle is only refreshed when the image is rebuilt",
    "Nobody owns rebuilding images that have no code changes",
    "Vendor rotation notices go to a mailbox nobody reads",
]
"""A five-deep chain, why #1 first."""


def bare_tree(db: Database, demo: PostmortemSession) -> int:
    """The demo's problem statement with no answers under it (whatever the demo ships), so
    the test decides what the tree holds; returns the root's id."""
    assert demo.id is not None
    session_id = demo.id
    root = db.write(lambda tx: tx.whys.ensure_root(session_id))
    assert root.id is not None
    root_id = root.id
    answers = [n.id for n in db.read(lambda tx: tx.whys.of(session_id)) if n.parent_id == root_id]
    db.write(lambda tx: [tx.whys.delete(node_id) for node_id in answers if node_id is not None])
    return root_id


def five_deep(db: Database, demo: PostmortemSession) -> list[int]:
    """The chain under the problem statement with a mark of each kind along it: why #3 a
    process factor, why #4 accepted with no action, why #5 a root cause with an action."""
    assert demo.id is not None
    session_id = demo.id
    parent = bare_tree(db, demo)
    ids: list[int] = []

    def chain(tx: Unit) -> None:
        below = parent
        for text in CHAIN:
            node = tx.whys.add(below, text)
            assert node.id is not None
            below = node.id
            ids.append(below)

    db.write(chain)
    db.write(lambda tx: tx.factors.promote(ids[2], "process"))
    db.write(lambda tx: tx.whys.set_no_action_note(ids[3], "A rebuild a month covers it"))
    db.write(lambda tx: tx.whys.set_root_cause(ids[4], True))
    db.write(
        lambda tx: tx.actions.add(
            session_id, ActionRow("Route vendor notices to on-call"), ActionLinks((), (ids[4],))
        )
    )
    return ids


MARKS = ("→ process", "accepted, no action", "◉ root cause", "✓ action")


def zoomed(screen: WhysScreen) -> bool:
    """Whether the tree has the body to itself now (read afresh after each key)."""
    return screen.zoomed


def footer(app: Any) -> str:
    """The footer's line."""
    return screen_text(app).splitlines()[-1]


def tree_lines(app: Any, screen: WhysScreen) -> list[str]:
    """The lines of the screen the tree takes."""
    region = screen.query_one(WhyTreeView).region
    return screen_text(app).splitlines()[region.y : region.bottom]


async def test_zoom_shows_a_five_deep_chain_and_its_marks_at_80x24(
    db: Database, demo: PostmortemSession
) -> None:
    assert demo.id is not None
    session_id = demo.id
    five_deep(db, demo)
    (problem,) = [n.text for n in db.read(lambda tx: tx.whys.of(session_id)) if not n.parent_id]
    async with stage(db, demo, "whys", size=SMALL) as (app, pilot, screen):
        assert isinstance(screen, WhysScreen)
        await pilot.pause(0.3)  # the footer settles
        text = screen_text(app)
        # The room's problem: unzoomed, the chain does not fit under the prompts.
        assert not all(why in text for why in CHAIN)
        assert "Why did this happen?" in text
        assert "Type a minute" in text
        assert "z Zoom" in footer(app)

        await pilot.press("z")
        await settle(pilot)
        await pilot.pause(0.3)
        text = screen_text(app)
        for depth, why in enumerate(CHAIN, 1):
            assert f"why #{depth}  {why}" in text
        for mark in MARKS:
            assert mark in text, mark
        assert f"Problem: {problem.split()[0]} {problem.split()[1]}" in text
        assert "5 Whys" in text.splitlines()[0]  # the header stays
        assert "Why did this happen?" not in text  # the prompts step aside
        assert "Type a minute" not in text  # and the minutes
        assert "z or Esc brings them back" in text
        assert "z Unzoom" in footer(app)

        await pilot.press("z")  # z again: back
        await settle(pilot)
        await pilot.pause(0.3)
        text = screen_text(app)
        assert "Why did this happen?" in text
        assert "Type a minute" in text
        assert "z Zoom" in footer(app)

        await pilot.press("z")
        await settle(pilot)
        await pilot.press("escape")  # Esc, zoomed, is back too
        await settle(pilot)
        assert "Type a minute" in screen_text(app)
        assert not zoomed(screen)
        await pilot.press("escape")  # and does nothing more unzoomed
        await settle(pilot)
        assert not zoomed(screen)
        assert screen.focused is screen.query_one(WhyTreeView)


async def test_the_palette_and_the_help_name_the_zoom(
    db: Database, demo: PostmortemSession
) -> None:
    from debrief_tui.ui.screens.help import HelpScreen

    five_deep(db, demo)
    async with stage(db, demo, "whys", size=SMALL) as (app, pilot, screen):
        assert isinstance(screen, WhysScreen)
        await run_command(pilot, "Zoom")
        assert zoomed(screen)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        # The help lists the keys as they are now: zoomed, z is the way back.
        assert "Bring the prompts and the minutes back" in text
        assert "Give the tree the whole screen" not in text
        await pilot.press("escape")
        await settle(pilot)
        assert zoomed(screen)  # Esc closed the help, and only the help
        await run_command(pilot, "Unzoom")
        assert not zoomed(screen)


async def test_the_tree_keys_work_while_zoomed(db: Database, demo: PostmortemSession) -> None:
    assert demo.id is not None
    session_id = demo.id
    ids = five_deep(db, demo)
    async with stage(db, demo, "whys", size=SMALL) as (app, pilot, screen):
        assert isinstance(screen, WhysScreen)
        view = screen.query_one(WhyTreeView)
        await pilot.press("z")
        await settle(pilot)
        assert zoomed(screen)
        await pilot.press("end")  # why #5
        await answer(pilot, "a", "Sixth: the mailbox filter was set years ago")
        await pilot.press("r")
        await settle(pilot)
        view.select(ids[0])
        await answer(pilot, "s", "Alerts on handshake errors were missing")
        await pilot.press("e")
        await settle(pilot)
        await type_text(pilot, " too")
        await pilot.press("enter")
        await settle(pilot)
        assert zoomed(screen)  # none of that brought the minutes back
        nodes = {n.text: n for n in await read(pilot, lambda tx: tx.whys.of(session_id))}
        sixth = nodes["Sixth: the mailbox filter was set years ago"]
        assert sixth.parent_id == ids[4]
        assert sixth.root_cause
        assert nodes["Alerts on handshake errors were missing too"].parent_id is not None
        text = screen_text(app)
        assert "why #6  Sixth: the mailbox filter" in text
        assert "why #1  Alerts on handshake errors were missing too" in text
        assert "Type a minute" not in text


async def test_a_minute_typed_with_ctrl_n_while_zoomed_is_saved_and_shown(
    db: Database, demo: PostmortemSession
) -> None:
    assert demo.id is not None
    session_id = demo.id
    five_deep(db, demo)
    async with stage(db, demo, "whys", size=SMALL) as (app, pilot, screen):
        assert isinstance(screen, WhysScreen)
        await pilot.press("z")
        await settle(pilot)
        assert "Type a minute" not in screen_text(app)
        await pilot.press("ctrl+n")
        await type_text(pilot, "Mei Lin: the chain fits on screen now")
        await settle(pilot)
        assert not zoomed(screen)  # the box is in sight while the minute is typed
        assert "the chain fits on screen now" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        minutes = await read(pilot, lambda tx: tx.minutes.of(session_id))
        assert ("Mei Lin", "the chain fits on screen now", "whys") in [
            (m.author, m.text, m.stage) for m in minutes
        ]
        assert "Mei Lin: the chain fits on screen now" in screen_text(app)


async def test_a_sentence_starting_with_z_goes_to_the_minutes_zoomed_or_not(
    db: Database, demo: PostmortemSession
) -> None:
    """`z` is a command letter on the tree: as the first letter of a sentence it is recovered
    into the minute, and nothing zooms; typed on the zoomed tree, the minutes come back."""
    assert demo.id is not None
    session_id = demo.id
    five_deep(db, demo)
    async with stage(db, demo, "whys", size=SMALL) as (app, pilot, screen):
        assert isinstance(screen, WhysScreen)
        whys_before = len(await read(pilot, lambda tx: tx.whys.of(session_id)))
        await type_text(pilot, "zero alerts fired that night")
        await pilot.press("enter")
        await settle(pilot)
        assert not zoomed(screen)
        await pilot.press("escape")  # from the minutes box back to the tree
        await pilot.press("z")
        await settle(pilot)
        assert zoomed(screen)
        await type_text(pilot, "zones were all affected")
        await settle(pilot)
        assert not zoomed(screen)
        assert "zones were all affected" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        texts = [m.text for m in await read(pilot, lambda tx: tx.minutes.of(session_id))]
        assert "zero alerts fired that night" in texts
        assert "zones were all affected" in texts
        assert len(await read(pilot, lambda tx: tx.whys.of(session_id))) == whys_before


async def test_the_zoom_stays_with_the_stage_across_visits(
    db: Database, demo: PostmortemSession
) -> None:
    five_deep(db, demo)
    async with stage(db, demo, "whys", size=SMALL) as (app, pilot, screen):
        await pilot.press("z")
        await settle(pilot)
        await pilot.press("f8")  # to Contributing factors: its minutes are shown
        await settle(pilot)
        assert app.screen is not screen
        assert "Type a minute" in screen_text(app)
        await pilot.press("f7")  # back: the tree as it was left
        await settle(pilot)
        assert app.screen is screen
        text = screen_text(app)
        assert all(why in text for why in CHAIN)
        assert "Type a minute" not in text


async def test_no_blank_rows_when_answering_at_the_bottom_of_a_long_tree(
    db: Database, demo: PostmortemSession
) -> None:
    """Scrolled to the end of a tree taller than the view, answering, deleting, zooming and
    unzooming keep the view full down to the last row (a view past the end drew blank rows)."""
    root = bare_tree(db, demo)
    db.write(lambda tx: [tx.whys.add(root, f"filler {n}") for n in range(30)])
    async with stage(db, demo, "whys", size=SMALL) as (app, pilot, screen):
        assert isinstance(screen, WhysScreen)

        def full_down_to(last: str) -> None:
            lines = tree_lines(app, screen)
            assert all(line.strip() for line in lines), lines
            assert last in lines[-1] or last in lines[-2], lines  # (marks may wrap below it)

        await pilot.press("end")
        await settle(pilot)
        full_down_to("filler 29")
        await answer(pilot, "a", "the last answer, saved with Enter")
        full_down_to("the last answer, saved with Enter")
        await pilot.press("r")  # its hint shrinks to one line: the tree grows a row taller
        await settle(pilot)
        full_down_to("the last answer, saved with Enter")
        await answer(pilot, "s", "and one more beside it")
        full_down_to("and one more beside it")
        await pilot.press("d")  # the tree one row shorter; its parent is selected
        await settle(pilot)
        assert all(line.strip() for line in tree_lines(app, screen))
        await pilot.press("end")
        await settle(pilot)
        full_down_to("the last answer, saved with Enter")
        await pilot.press("z")
        await settle(pilot)
        full_down_to("the last answer, saved with Enter")
        await pilot.press("z")
        await settle(pilot)
        full_down_to("the last answer, saved with Enter")
        await pilot.press("enter")  # edit the last answer onto fewer rows
        await settle(pilot)
        for _ in range(len("the last answer, saved with Enter")):
            await pilot.press("backspace")
        await type_text(pilot, "short")
        await pilot.press("enter")
        await settle(pilot)
        full_down_to("short")
