"""Pilot tests for the lessons, actions and wrap-up stages, driven by their documented keys."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from textual.app import App
from textual.widgets import Checkbox, Input

from debrief_tui.core.actions.items import ActionLinks, ActionRow
from debrief_tui.core.persistence.models import PostmortemSession
from debrief_tui.core.persistence.unit import Database
from debrief_tui.ui.dialogs.action_dialog import ActionDialog
from debrief_tui.ui.dialogs.choice_text import ChoiceTextDialog
from debrief_tui.ui.dialogs.confirm import ConfirmDialog
from debrief_tui.ui.dialogs.export_dialog import ExportDialog
from debrief_tui.ui.dialogs.summary import SummaryDialog
from debrief_tui.ui.screens.actions import ActionsScreen, ActionTable
from debrief_tui.ui.screens.factors import FactorsScreen
from debrief_tui.ui.screens.lessons import LessonsScreen
from debrief_tui.ui.screens.stage import StageScreen
from debrief_tui.ui.screens.whys import WhysScreen
from debrief_tui.ui.screens.wrap_up import CheckTable, WrapUpScreen
from debrief_tui.ui.widgets.why_tree import WhyTreeView
from tests.full_session import add_root_cause
from tests.helpers import answer, read, run_command, screen_text, settle, stage, type_text


def shown(app: App[Any]) -> object:
    """The screen on top now (typed loosely: mypy would keep an earlier narrowing)."""
    return app.screen


async def test_lessons_three_lists_by_keyboard(db: Database, bare_demo: PostmortemSession) -> None:
    # From an empty stage: the lists below are exactly the lessons typed here.
    assert bare_demo.id is not None
    demo_id = bare_demo.id
    async with stage(db, bare_demo, "lessons") as (app, pilot, screen):
        assert isinstance(screen, LessonsScreen)
        for text in ("Rollback took two minutes", "Status page was up fast"):
            await pilot.press("a")
            await settle(pilot)
            assert isinstance(shown(app), ChoiceTextDialog)
            await type_text(pilot, text)
            await pilot.press("enter")
            await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await type_text(pilot, "Priya should have checked the bundle")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("c")  # to "went wrong"
        await settle(pilot)
        lessons = await read(pilot, lambda tx: tx.lessons.of(demo_id))
        assert [(x.kind, x.text[:8]) for x in lessons] == [
            ("went well", "Rollback"),
            ("went well", "Status p"),
            ("went wrong", "Priya sh"),
        ]
        text = screen_text(app)
        assert "went wrong" in text
        assert "⚠" in text  # the blameless wording check applies
        assert "should have" in text
        # Reorder within a list, then delete and undo.
        await pilot.press("up")  # "Status page…"
        await pilot.press("shift+up")
        await settle(pilot)
        assert (await read(pilot, lambda tx: tx.lessons.of(demo_id)))[
            0
        ].text == "Status page was up fast"
        await pilot.press("d")
        await settle(pilot)
        assert len(await read(pilot, lambda tx: tx.lessons.of(demo_id))) == 2
        await pilot.press("u")
        await settle(pilot)
        assert (await read(pilot, lambda tx: tx.lessons.of(demo_id)))[
            0
        ].text == "Status page was up fast"


async def test_actions_from_a_why_node_and_a_factor(
    db: Database, bare_demo: PostmortemSession
) -> None:
    # From empty stages: the first why, the first factor and the first two actions.
    assert bare_demo.id is not None
    demo_id = bare_demo.id
    async with stage(db, bare_demo, "whys") as (app, pilot, screen):
        assert isinstance(screen, WhysScreen)
        await answer(pilot, "a", "The new chain was missing from our pinned bundle")
        await pilot.press("r")
        await pilot.press("n")  # an action for this root cause
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ActionDialog)
        assert "Answers why #1" in screen_text(app)
        await type_text(pilot, "Add an alert when a pinned CA expires within 30 days")
        await pilot.press("tab")
        await type_text(pilot, "Mei Lin")
        await pilot.press("tab")
        due_box = dialog.query_one("#action-due", Input)
        due_box.value = ""
        await type_text(pilot, "someday")
        await settle(pilot)
        assert "cannot read 'someday'" in screen_text(app)
        await pilot.press("enter")  # refused: the dialog stays, saying why
        await settle(pilot)
        assert app.screen is dialog
        assert await read(pilot, lambda tx: tx.actions.of(demo_id)) == []
        due_box.value = ""
        await type_text(pilot, "+2w")
        await settle(pilot)
        assert "→ " in screen_text(app)
        await pilot.press("ctrl+s")  # Enter here moves on to the priority; ctrl+s saves
        await settle(pilot)
        assert isinstance(shown(app), WhysScreen)
        (action,) = await read(pilot, lambda tx: tx.actions.of(demo_id))
        assert action.owner == "Mei Lin"
        assert action.due_date is not None
        node = next(n for n in await read(pilot, lambda tx: tx.whys.of(demo_id)) if n.root_cause)
        assert (await read(pilot, lambda tx: tx.actions.links(demo_id)))[
            action.id or 0
        ] == ActionLinks((), (node.id or 0,))
        assert "✓ action" in screen_text(app)

        # Promote the node to a factor, then an action straight from the factor.
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        factors = shown(app)
        assert isinstance(factors, FactorsScreen)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(shown(app), ActionDialog)
        assert "Answers factor" in screen_text(app)
        await type_text(pilot, "Improve certificate handling")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(shown(app), FactorsScreen)
        factor = (await read(pilot, lambda tx: tx.factors.of(demo_id)))[0]
        links = await read(pilot, lambda tx: tx.actions.links(demo_id))
        assert any(link.factor_ids == (factor.id,) for link in links.values())
        # Two: the action on the why-node it was promoted from answers it too.
        assert "✓ 2" in screen_text(app)

        # The actions stage lists both, with the SMART marks and the proportion hint.
        await pilot.press("f8", "f8")
        await settle(pilot)
        screen_now = shown(app)
        assert isinstance(screen_now, ActionsScreen)
        text = screen_text(app)
        assert "2 · 1 SMART" in text
        assert "usually wants at least one detect action" in text
        table = screen_now.query_one(ActionTable)
        table.move_cursor(row=1)
        await settle(pilot)
        text = screen_text(app)
        assert "no owner" in text  # explained for the selected action
        assert "vague" in text
        await pilot.press("p")  # a proposal for the owning team
        await settle(pilot)
        assert (await read(pilot, lambda tx: tx.actions.of(demo_id)))[1].proposal
        await pilot.press("s")
        await settle(pilot)
        assert (await read(pilot, lambda tx: tx.actions.of(demo_id)))[1].status == "in progress"


async def test_wrap_up_checklist_jumps_to_what_is_missing(
    db: Database, bare_demo: PostmortemSession
) -> None:
    # The checklist of exactly one root cause and one action (the demo's own is tested below).
    assert bare_demo.id is not None
    demo_id = bare_demo.id
    root = db.write(lambda tx: tx.whys.ensure_root(demo_id))
    cause = add_root_cause(db, root.id or 0, "Nothing checks pinned bundles before rotation")
    db.write(lambda tx: tx.actions.add(demo_id, ActionRow("Improve things", "", date(2030, 1, 1))))
    async with stage(db, bare_demo, "wrap-up") as (app, pilot, screen):
        assert isinstance(screen, WrapUpScreen)
        assert screen.focused is screen.query_one(CheckTable)
        text = screen_text(app)
        assert "Before we leave" in text
        assert "Nothing checks pinned bundles" in text
        assert "Do other services pin CA bundles" in text  # the topic column takes the width
        assert "no owner, vague" in text
        # Each line jumps where it points: the first is the root cause without an action.
        assert "Root cause" in screen.lines[0].text
        await pilot.press("enter")
        await settle(pilot)
        whys = app.screen
        assert isinstance(whys, WhysScreen)
        assert whys.query_one(WhyTreeView).selected == cause.id
        assert whys.focused is whys.query_one(WhyTreeView)
        # Accept it with a note: the line is done.
        await pilot.press("x")
        await settle(pilot)
        await type_text(pilot, "The vendor is being replaced next quarter")
        await pilot.press("enter")
        await settle(pilot)
        await run_command(pilot, "Wrap-up")
        wrap = app.screen
        assert isinstance(wrap, WrapUpScreen)
        assert "Every root cause (1) has an action or an accepted note" in screen_text(app)
        # The status moves on, with its date.
        assert (await read(pilot, lambda tx: tx.sessions.get(demo_id))).status == "in review"
        # Past review with a line still open asks first, naming what is open; n keeps it.
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        asked = " ".join(screen_text(app).split())
        # Open: the vague action and the parked topic without an owner (the demo has a
        # review date).
        assert "Mark it reviewed with 2 checklist lines still open?" in asked
        assert "Improve things" in asked
        await pilot.press("n")
        await settle(pilot)
        assert (await read(pilot, lambda tx: tx.sessions.get(demo_id))).status == "in review"
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        session = await read(pilot, lambda tx: tx.sessions.get(demo_id))
        assert session.status == "reviewed"
        assert session.status_changed_at is not None
        assert "Status: reviewed since" in screen_text(app)
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(shown(app), SummaryDialog)
        assert "Actions by type: prevent 1" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        # The action line jumps to the action in its stage.
        line = next(i for i, c in enumerate(wrap.lines) if c.target.kind == "action")
        wrap.query_one(CheckTable).move_cursor(row=line)
        await pilot.press("enter")
        await settle(pilot)
        actions = app.screen
        assert isinstance(actions, ActionsScreen)
        assert actions.focused is actions.query_one(ActionTable)


async def test_export_dialog_from_the_wrap_up_writes_files_and_shows_where(
    db: Database, demo: PostmortemSession, tmp_path: Path
) -> None:
    assert demo.id is not None
    demo_id = demo.id
    async with stage(db, demo, "wrap-up") as (app, pilot, screen):
        titles = {c.title for c in app.get_system_commands(screen)}
        assert "Export" in titles  # in the command palette too
        await pilot.press("x")
        await settle(pilot)
        dialog = shown(app)
        assert isinstance(dialog, ExportDialog)
        dialog.query_one("#export-folder", Input).value = str(tmp_path)
        dialog.query_one("#export-gh", Checkbox).value = False
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await settle(pilot)
        written = sorted(p.name for p in tmp_path.iterdir())
        assert written == sorted(
            f"incident-{demo_id}.{ext}"
            for ext in ("md", "html", "minutes.md", "json", "csv", "ics")
        )
        text = screen_text(app)
        assert "Wrote 6 files" in text
        assert f"incident-{demo_id}.html" in text
        # Again: refused, since the files exist and "replace" is off; nothing is touched.
        before = (tmp_path / f"incident-{demo_id}.md").stat().st_mtime_ns
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert "already exists" in screen_text(app)
        assert (tmp_path / f"incident-{demo_id}.md").stat().st_mtime_ns == before


async def test_wrap_up_lists_decisions_and_turns_a_mentioned_action_into_one(
    db: Database, demo: PostmortemSession
) -> None:
    from datetime import UTC, datetime

    from debrief_tui.ui.screens.wrap_up import MarksTable

    assert demo.id is not None
    demo_id = demo.id
    db.write(
        lambda tx: tx.minutes.add(
            demo_id,
            "actions",
            [
                (None, "Decision: rotate the CA bundle weekly"),
                ("Ade", "Action: add an expiry alert for pinned CA bundles"),
            ],
            datetime(2025, 3, 25, 10, 0, tzinfo=UTC),
        )
    )
    async with stage(db, demo, "wrap-up", size=(100, 30)) as (app, pilot, screen):
        assert isinstance(screen, WrapUpScreen)
        text = " ".join(screen_text(app).split())
        # The demo's minutes hold three decisions and one action not yet made an item.
        assert "From the minutes 4 decisions · 2 actions not yet created (n makes one)" in text
        assert "rotate the CA bundle weekly" in text
        marks = screen.query_one(MarksTable)
        marks.focus()
        marks.move_cursor(row=5)  # the decisions first, then the actions, each in time order
        await pilot.press("n")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ActionDialog)
        assert dialog.query_one("#action-text", Input).value == (
            "add an expiry alert for pinned CA bundles"
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        actions = await read(pilot, lambda tx: tx.actions.of(demo_id))
        assert [a.text for a in actions][-1] == "add an expiry alert for pinned CA bundles"
        assert len(actions) == 9  # the demo's eight and this one
        text = " ".join(screen_text(app).split())
        assert "4 decisions · 1 action not yet created (n makes one)" in text
        # Gone from the list of mentioned actions (its minute stays in the minutes).
        assert [m.text for _, m in screen.marks if "expiry" in m.text] == []


async def test_tab_takes_the_owner_a_box_offers_then_moves_on(
    db: Database, demo: PostmortemSession
) -> None:
    """In the action dialog (and the parking lot's): the completion shown is taken by Tab."""
    async with stage(db, demo, "actions", size=(100, 30)) as (app, pilot, _screen):
        await pilot.press("a")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ActionDialog)
        owner = dialog.query_one("#action-owner", Input)
        owner.focus()
        await settle(pilot)
        await type_text(pilot, "pri")
        await settle(pilot)
        await pilot.press("tab")
        await settle(pilot)
        assert owner.value == "Priya Raman"
        assert dialog.focused is owner
        await pilot.press("tab")
        await settle(pilot)
        assert dialog.focused is not owner


async def test_the_demo_shows_every_stage_with_something_real(
    db: Database, demo: PostmortemSession
) -> None:
    """Walking the demo with f8, every stage after the ground rules has its own content, and
    the wrap-up checklist is part done: some lines hold, some are still open."""
    from debrief_tui.core.actions.smart import owners_of, smart_gaps
    from debrief_tui.core.whys.tree import WhyTree

    assert demo.id is not None
    demo_id = demo.id
    tree = WhyTree(db.read(lambda tx: tx.whys.of(demo_id)))
    assert tree.root is not None
    branches = tree.children[tree.root]
    assert len(branches) == 3
    assert max(tree.depth(n) for n in tree.nodes) == 5
    assert sum(n.root_cause for n in tree.nodes.values()) == 3
    # On the meeting day, one or two committed actions have SMART gaps, one is a proposal.
    actions = db.read(lambda tx: tx.actions.of(demo_id))
    people = owners_of(db.read(lambda tx: tx.attendees.of(demo_id)))
    gaps = {
        a.text: [g.code for g in smart_gaps(a, date(2025, 3, 24), people)]
        for a in actions
        if not a.proposal
    }
    assert sorted(codes for codes in gaps.values() if codes) == [
        ["no_due_date"],
        ["no_owner", "vague"],
    ]
    assert [a.proposal for a in actions].count(True) == 1

    async with stage(db, demo, "ground-rules", size=(120, 40)) as (app, pilot, _screen):
        seen: dict[str, str] = {}
        for _ in range(6):
            await pilot.press("f8")
            await settle(pilot)
            shown_now = app.screen
            assert isinstance(shown_now, StageScreen)
            seen[shown_now.stage.key] = " ".join(screen_text(app).split())
        wrap = app.screen
        assert isinstance(wrap, WrapUpScreen)
        # The whole checklist, as its table holds it (taller than the screen: it scrolls).
        checklist = [("✓" if line.ok else "✗") + " " + line.text for line in wrap.lines]
    assert "why #5 Shared build inputs have no owner or refresh cycle ◉ root cause" in seen["whys"]
    assert "why #3 Vendor contacts are registered per person" in seen["whys"]
    assert "why #3 The runbook has no path for third-party" in seen["whys"]
    assert "→ people and organisation" in seen["whys"]  # promoted to a factor
    assert "Contributing factors 7 in 6 categories" in seen["factors"]
    assert "Lessons 3 went well · 4 went wrong · 3 lucky" in seen["lessons"]
    assert "Actions 8 ·" in seen["actions"]
    assert "1 proposal" in seen["actions"]
    assert "Before we leave ✗ Action" in seen["wrap-up"]  # the open lines come first
    assert "3 decisions · 1 action not yet created (n makes one)" in seen["wrap-up"]
    for holds in (
        "✓ Every root cause (3) has an action or an accepted note",
        "✓ Every factor (7) has an action or an accepted note",
        "✓ Postmortem owner: Mei Lin",
        "✓ Impact facts are filled in",
        "✓ Review meeting date is set",
    ):
        assert holds in checklist
    # Still open whatever today is: the two SMART gaps and the parked topic without an owner
    # (the due dates are in 2025: run later, the other actions are marked past due too), each
    # quoted whole now that the checklist wraps.
    assert "✗ Action “Add a third-party failure path to the checkout runbook”: no due date" in (
        checklist
    )
    assert any(
        line.startswith("✗ Action “Look into resubmitting") and "no owner" in line
        for line in checklist
    )
    assert (
        "✗ Parked “Should the gateway provider's rotation e-mails go to a shared inbox?” "
        "has no owner"
    ) in checklist
