"""Pilot tests for the 5 Whys and contributing factors stages, driven by their documented keys."""

from __future__ import annotations

import json
import textwrap
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from debrief_tui.core.export.json_export import build_export
from debrief_tui.core.persistence.models import PostmortemSession
from debrief_tui.core.persistence.unit import Database
from debrief_tui.core.whys.tree import WhyTree
from debrief_tui.ui.dialogs.choice_text import ChoiceTextDialog
from debrief_tui.ui.screens.factors import FactorsScreen, FactorTable
from debrief_tui.ui.screens.whys import WhysScreen
from debrief_tui.ui.widgets.why_tree import WhyTreeView, wrap_answer
from tests.helpers import answer, read, screen_text, settle, stage, type_text

SIZE = (100, 34)


async def tree_of(pilot: Any, session_id: int) -> WhyTree:
    """The tree as stored, once the app has settled."""
    return WhyTree(await read(pilot, lambda tx: tx.whys.of(session_id)))


async def test_three_branches_five_deep_root_causes_reorder_delete_undo_promote(
    db: Database, bare_demo: PostmortemSession
) -> None:
    # From an empty tree: the problem statement comes from the summary, the branches are
    # exactly the ones typed here.
    assert bare_demo.id is not None
    demo_id = bare_demo.id
    async with stage(db, bare_demo, "whys") as (app, pilot, screen):
        assert isinstance(screen, WhysScreen)
        view = screen.query_one(WhyTreeView)
        assert screen.focused is view
        root = (await tree_of(pilot, demo_id)).root
        assert view.selected == root  # the stage opens on the problem statement
        assert "Problem: For 2 h 27 min" in screen_text(app)
        # Branch A, five deep: a keeps going one level deeper from the saved node.
        for depth in range(1, 6):
            await answer(pilot, "a", f"A{depth}")
        # Branch B: from why #1 of A, a sibling, then four deeper.
        for _ in range(4):
            await pilot.press("up")  # A5 -> A4 -> ... -> A1
        await settle(pilot)
        await answer(pilot, "s", "B1")
        for depth in range(2, 6):
            await answer(pilot, "a", f"B{depth}")
        await pilot.press("r")  # B5 is a root cause
        await settle(pilot)
        # Branch C beside B, five deep.
        await pilot.press("left", "left")  # B5 has no answers: to B4; B4 folds away
        await settle(pilot)
        assert "B5" not in screen_text(app)
        await pilot.press("right")  # and opens again
        await settle(pilot)
        assert "B5" in screen_text(app)
        for _ in range(3):
            await pilot.press("up")  # B4 -> B1
        await answer(pilot, "s", "C1")
        for depth in range(2, 6):
            await answer(pilot, "a", f"C{depth}")
        await pilot.press("r")
        await pilot.press("f")  # C5 becomes a contributing factor
        await settle(pilot)

        tree = await tree_of(pilot, demo_id)
        assert root is not None
        level1 = [tree.nodes[i].text for i in tree.children[root]]
        assert level1 == ["A1", "B1", "C1"]
        texts = {n.text: n for n in tree.nodes.values()}
        for branch in "ABC":
            assert tree.depth(texts[f"{branch}5"].id or 0) == 5
        assert [n.text for n in tree.nodes.values() if n.root_cause] == ["B5", "C5"]
        text = screen_text(app)
        assert "why #5" in text
        assert "◉ root cause" in text
        assert "→ technical" in text

        # Reorder: C1 moves above B1.
        view.select(texts["C1"].id)
        await pilot.press("shift+up")
        await settle(pilot)
        tree = await tree_of(pilot, demo_id)
        assert [tree.nodes[i].text for i in tree.children[root]] == ["A1", "C1", "B1"]

        # Delete B1 and its subtree, then undo.
        view.select(texts["B1"].id)
        await pilot.press("d")
        await settle(pilot)
        assert {n.text for n in await read(pilot, lambda tx: tx.whys.of(demo_id))}.isdisjoint(
            {"B1", "B5"}
        )
        assert "B3" not in screen_text(app)
        await pilot.press("u")
        await settle(pilot)
        after_undo = await tree_of(pilot, demo_id)
        assert [after_undo.nodes[i].text for i in after_undo.children[root]] == ["A1", "C1", "B1"]
        assert {n.id for n in after_undo.nodes.values()} == set(tree.nodes)

        # Edit with Enter keeps the node selected; Escape cancels an edit.
        view.select(texts["A5"].id)
        await pilot.press("enter")
        await settle(pilot)
        await type_text(pilot, " cert")
        await pilot.press("enter")
        await settle(pilot)
        assert view.selected == texts["A5"].id
        assert (await read(pilot, lambda tx: tx.whys.of(demo_id)))[0].session_id == demo_id
        assert any(n.text == "A5 cert" for n in await read(pilot, lambda tx: tx.whys.of(demo_id)))
        await pilot.press("a")
        await type_text(pilot, "never saved")
        await pilot.press("escape")
        await settle(pilot)
        assert not any(
            n.text == "never saved" for n in await read(pilot, lambda tx: tx.whys.of(demo_id))
        )
        assert screen.focused is view

    export = json.loads(json.dumps(build_export(db.read(lambda tx: tx.snapshots.export(demo_id)))))
    whys = export["whys"]
    by_id = {w["id"]: w for w in whys}
    problem = [w for w in whys if w["parent_id"] is None]
    assert len(problem) == 1
    assert problem[0]["text"].startswith("For 2 h 27 min")
    assert {w["text"] for w in whys if w["root_cause"]} == {"B5", "C5"}
    assert sorted(w["position"] for w in whys if w["parent_id"] == problem[0]["id"]) == [0, 1, 2]
    (factor,) = export["factors"]
    assert factor["category"] == "technical"
    assert [by_id[i]["text"] for i in factor["why_ids"]] == ["C5"]


async def test_hints_are_shown_and_never_block(db: Database, demo: PostmortemSession) -> None:
    assert demo.id is not None
    demo_id = demo.id
    async with stage(db, demo, "whys") as (app, pilot, _screen):
        await answer(pilot, "a", "Priya should have checked the bundle")
        text = screen_text(app)
        assert "stops at why #1 without a root cause" in text
        assert "reasonable at the time" in text
        await pilot.press("r")
        await settle(pilot)
        assert "no contributing factor or action yet" in screen_text(app)
        assert any(n.root_cause for n in await read(pilot, lambda tx: tx.whys.of(demo_id)))


async def test_long_answers_wrap_and_the_problem_statement_stays(
    db: Database, demo: PostmortemSession
) -> None:
    assert demo.id is not None
    demo_id = demo.id
    long = "because " + " ".join(f"word{i}" for i in range(40))
    async with stage(db, demo, "whys", size=(80, 24)) as (app, pilot, screen):
        await answer(pilot, "a", long)
        text = screen_text(app)
        assert "word0" in text
        assert "word39" in text  # wrapped onto further lines, not cut
        await pilot.press("d")  # a fresh node can go
        await settle(pilot)
        await pilot.press("home", "d")  # the problem statement cannot
        await settle(pilot)
        assert (await tree_of(pilot, demo_id)).root is not None
        assert isinstance(screen, WhysScreen)


async def test_a_tree_taller_than_the_screen_wraps_beside_its_scrollbar(
    db: Database, demo: PostmortemSession
) -> None:
    """With more answers than lines, answers wrap to the width left beside the scrollbar:
    no word runs under it and nothing scrolls sideways."""
    import re

    assert demo.id is not None
    demo_id = demo.id
    root = db.write(lambda tx: tx.whys.ensure_root(demo_id)).id
    assert root is not None
    db.write(lambda tx: [tx.whys.add(root, f"filler {n}") for n in range(40)])
    words = [f"w{i:02d}" for i in range(30)]
    db.write(lambda tx: tx.whys.add(root, "because " + " ".join(words)))
    async with stage(db, demo, "whys", size=(80, 24)) as (app, pilot, screen):
        view = screen.query_one(WhyTreeView)
        await pilot.press("end")  # the long answer, last in the tree
        for width, height in ((80, 24), (60, 24), (110, 30)):  # and after the window resizes
            await pilot.resize_terminal(width, height)
            await settle(pilot)
            assert view.show_vertical_scrollbar
            assert not view.show_horizontal_scrollbar
            assert re.findall(r"\bw\d\d\b", screen_text(app)) == words, width


async def test_factors_by_category_add_recategorise_edit_delete_undo(
    db: Database, bare_demo: PostmortemSession
) -> None:
    # From an empty stage: the one promoted factor, then the first one added here.
    assert bare_demo.id is not None
    demo_id = bare_demo.id
    root = db.write(lambda tx: tx.whys.ensure_root(demo_id))
    assert root.id is not None
    root_id = root.id
    node = db.write(lambda tx: tx.whys.add(root_id, "No alert on TLS handshake errors"))
    assert node.id is not None
    node_id = node.id
    db.write(lambda tx: tx.factors.promote(node_id, "technical"))
    async with stage(db, bare_demo, "factors") as (app, pilot, screen):
        assert isinstance(screen, FactorsScreen)
        table = screen.query_one(FactorTable)
        assert screen.focused is table
        text = screen_text(app)
        assert "What slowed us down" in text  # the response prompts
        assert "why #1 No alert on" in text  # the link, seen from the factor
        await pilot.press("c")  # technical -> process
        await settle(pilot)
        (factor,) = await read(pilot, lambda tx: tx.factors.of(demo_id))
        assert factor.category == "process"
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceTextDialog)
        await type_text(pilot, "Certificate rotations are not announced to us")
        await pilot.press("enter")
        await settle(pilot)
        texts = [(f.category, f.text) for f in await read(pilot, lambda tx: tx.factors.of(demo_id))]
        assert ("process", "Certificate rotations are not announced to us") in texts
        # The link survives the recategorising and shows in the 5 Whys too.
        assert await read(pilot, lambda tx: tx.factors.links(demo_id)) == {factor.id: [node_id]}
        table.move_cursor(row=0)
        await pilot.press("d")
        await settle(pilot)
        assert len(await read(pilot, lambda tx: tx.factors.of(demo_id))) == 1
        await pilot.press("u")
        await settle(pilot)
        assert len(await read(pilot, lambda tx: tx.factors.of(demo_id))) == 2
        assert await read(pilot, lambda tx: tx.factors.links(demo_id)) == {factor.id: [node_id]}
        await pilot.press("f7")  # to the 5 Whys: the node shows its factor
        await settle(pilot)
        await settle(pilot)
        assert "→ process" in screen_text(app)


async def test_every_stage_opens_directly_with_one_footer(
    db: Database, demo: PostmortemSession
) -> None:
    """A session reopened on any stage (the database already open) draws it once, keys and all."""
    from textual.widgets import Footer

    for key in ("ground-rules", "timeline", "whys", "factors", "lessons", "actions", "wrap-up"):
        async with stage(db, demo, key) as (_app, pilot, screen):
            await settle(pilot)
            assert screen.stage.key == key
            assert len(screen.query(Footer)) == 1, key
            assert screen.focused is screen.main_widget(), key


async def test_the_footer_follows_the_focus_between_tree_and_answer_box(
    db: Database, demo: PostmortemSession
) -> None:
    """The footer names the tree's keys, then the answer box's while typing, then the
    tree's again (each set of keys is built once and shown again as it was)."""

    def footer() -> str:
        return screen_text(app).splitlines()[-1]

    async with stage(db, demo, "whys", size=(80, 24)) as (app, pilot, _screen):
        for _ in range(2):
            await pilot.pause(0.3)  # the keys settle before the footer changes
            assert "a Ask why" in footer()
            assert "Cancel" not in footer()
            await pilot.press("a")
            await pilot.pause(0.3)
            assert "esc Cancel" in footer()
            assert "Ask why" not in footer()
            assert footer().endswith("^p palette")  # in the last column, nothing after it
            await type_text(pilot, "the check ran early")
            await pilot.press("enter")
        await pilot.pause(0.3)
        assert "a Ask why" in footer()
        assert len(app.screen.query(".-command-palette")) == 1


async def test_answers_added_in_place_show_as_a_fresh_drawing_would(
    db: Database, demo: PostmortemSession
) -> None:
    """A new answer is drawn without re-laying out the rest of the tree; wherever it lands
    (under the problem, between siblings, under a deep branch, after a fold), the rows on
    screen are the ones a full drawing gives."""
    async with stage(db, demo, "whys") as (app, pilot, screen):
        assert isinstance(screen, WhysScreen)
        view = screen.query_one(WhyTreeView)
        demo_nodes = set(screen.whys.nodes)  # the demo's tree, drawn before these answers

        def rows() -> list[tuple[object, ...]]:
            return [tuple(row) for row in view._rows]

        def check() -> None:
            shown, first, order = rows(), dict(view._first_row), list(view._order)
            view._layout()
            assert rows() == shown
            assert view._first_row == first
            assert view._order == order

        for depth in range(1, 4):
            await answer(pilot, "a", f"A{depth}")
            check()
        await pilot.press("up", "up")  # A1
        await answer(pilot, "s", "B1 " + "long " * 30)  # wraps over several rows
        check()
        await pilot.press("up")  # back on A1, whose subtree is below it
        await answer(pilot, "a", "A1b")  # lands after A2's branch, before B1
        check()
        await pilot.press("home")
        await answer(pilot, "a", "C1")  # the problem's last answer, at the very end
        check()
        view.select(next(n for n, v in screen.whys.nodes.items() if v.text == "A1"))
        await pilot.press("left")  # fold A1
        await settle(pilot)
        await answer(pilot, "s", "A1 sibling")
        check()
        assert "A1 sibling" in screen_text(app)
        names = [screen.whys.nodes[n].text for n in view._order if n not in demo_nodes]
        assert names[:2] == ["A1", "A1 sibling"]  # A1 folded: its answers are not drawn
        assert names[2].startswith("B1")
        assert names[3:] == ["C1"]


@settings(max_examples=500, deadline=None)
@given(
    st.text(st.characters().filter(lambda c: cell_len(c) == 1), max_size=80), st.integers(10, 60)
)
def test_answers_wrap_exactly_as_textwrap_does(text: str, width: int) -> None:
    """For text of one-cell characters (wide ones wrap by the cells they take)."""
    assert wrap_answer(text, width) == (textwrap.wrap(text, width) or [""])


async def test_the_tree_is_drawn_in_the_theme_colours(
    db: Database, demo: PostmortemSession
) -> None:
    """Every segment of the tree sits on the widget's own colours from the theme, in both
    themes, rather than the terminal's defaults."""
    async with stage(db, demo, "whys") as (_app, pilot, screen):
        view = screen.query_one(WhyTreeView)
        for _ in range(2):
            background = view.rich_style.bgcolor
            assert background is not None
            assert all(
                segment.style and segment.style.bgcolor == background
                for segment in view.render_line(0)
            )
            await pilot.press("f3")
            await settle(pilot)


MARKS = [("◉ root cause", "a"), ("→ process", "b"), ("✓ action", "c"), ("⚠ 2 hints", "d")]


@settings(max_examples=300, deadline=None)
@given(
    st.text(st.characters(categories=("L", "N", "Zs", "P")), max_size=120),
    st.integers(0, 6),
    st.lists(st.sampled_from(MARKS), max_size=4, unique=True),
    st.integers(40, 120),  # (the tree at 80 columns is about 76 wide)
)
def test_an_answers_marks_are_never_cut_off(
    text: str, depth: int, marks: list[tuple[str, str]], width: int
) -> None:
    """Marks that do not fit beside the last line of an answer go on rows of their own."""
    from debrief_tui.ui.widgets.why_tree import WhyTreeView

    rows = WhyTreeView._node_lines(None, 1, text, depth, "▾ ", "", tuple(marks), width)  # type: ignore[arg-type]
    drawn = [m for row in rows for m in row.marks]
    assert drawn == marks
    for row in rows:
        used = cell_len(row.indent + row.label + row.text)
        used += sum(2 + cell_len(mark) for mark, _ in row.marks)
        assert used <= width or (row.marks and not row.text and len(row.marks) == 1)
