"""The 5 Whys tree as stored and its hints, without a terminal."""

from __future__ import annotations

import pytest

from debrief_tui.core.errors import InputError
from debrief_tui.core.persistence.unit import Database, Unit
from debrief_tui.core.whys.tree import WhyTree, hints
from tests.postgres import both_backends

pytestmark = both_backends


def _session(db: Database, summary: str = "Checkout failed for EU shoppers") -> int:
    row = db.write(lambda tx: tx.sessions.create("Whys", "SEV2", "UTC", summary=summary))
    assert row.id is not None
    row_id = row.id
    return row_id


def test_root_is_the_problem_statement_from_the_summary_and_editing_it_updates_the_session(
    db: Database,
) -> None:
    session = _session(db)
    root = db.write(lambda tx: tx.whys.ensure_root(session))
    assert (root.parent_id, root.text) == (None, "Checkout failed for EU shoppers")
    assert db.write(lambda tx: tx.whys.ensure_root(session)).id == root.id  # created once
    assert root.id is not None
    root_id = root.id
    db.write(lambda tx: tx.whys.edit(root_id, "  EU card payments failed  "))
    assert (
        db.read(lambda tx: tx.sessions.get(session)).problem_statement == "EU card payments failed"
    )


def test_children_siblings_reorder_and_depth(db: Database) -> None:
    session = _session(db)
    root = db.write(lambda tx: tx.whys.ensure_root(session))
    assert root.id is not None
    root_id = root.id
    a = db.write(lambda tx: tx.whys.add(root_id, "gateway rejected our TLS handshake"))
    c = db.write(lambda tx: tx.whys.add(root_id, "retries hid the errors"))
    assert a.id is not None
    a_id = a.id
    assert c.id is not None
    c_id = c.id
    b = db.write(lambda tx: tx.whys.add(root_id, "no alert on handshake errors", after=a_id))
    deep = db.write(lambda tx: tx.whys.add(a_id, "CA bundle was stale"))
    assert deep.id is not None
    deep_id = deep.id
    assert b.id is not None
    b_id = b.id
    tree = WhyTree(db.read(lambda tx: tx.whys.of(session)))
    assert tree.children[root_id] == [a_id, b_id, c_id]
    assert tree.depth(deep_id) == 2
    assert tree.path(deep_id) == [root_id, a_id, deep_id]
    assert db.write(lambda tx: tx.whys.move(c_id, -1))
    assert WhyTree(db.read(lambda tx: tx.whys.of(session))).children[root_id] == [a_id, c_id, b_id]
    assert not db.write(lambda tx: tx.whys.move(a_id, -1))  # already first


def test_delete_takes_the_subtree_and_undo_restores_ids_and_links(db: Database) -> None:
    session = _session(db)
    root = db.write(lambda tx: tx.whys.ensure_root(session))
    assert root.id is not None
    root_id = root.id
    a = db.write(lambda tx: tx.whys.add(root_id, "a"))
    assert a.id is not None
    a_id = a.id
    b = db.write(lambda tx: tx.whys.add(a_id, "b"))
    assert b.id is not None
    b_id = b.id
    factor, created = db.write(lambda tx: tx.factors.promote(b_id))
    assert created
    before = [(n.id, n.parent_id, n.text) for n in db.read(lambda tx: tx.whys.of(session))]
    saved = db.write(lambda tx: tx.whys.delete(a_id))
    assert [n.text for n in db.read(lambda tx: tx.whys.of(session))] == [root.text]
    assert db.read(lambda tx: tx.factors.links(session)) == {}
    db.write(lambda tx: tx.removals.restore(saved))
    assert [(n.id, n.parent_id, n.text) for n in db.read(lambda tx: tx.whys.of(session))] == before
    assert db.read(lambda tx: tx.factors.links(session)) == {factor.id: [b_id]}


def test_promote_is_idempotent_and_links_survive_edits(db: Database) -> None:
    session = _session(db)
    root = db.write(lambda tx: tx.whys.ensure_root(session))
    assert root.id is not None
    root_id = root.id
    node = db.write(lambda tx: tx.whys.add(root_id, "no alert on handshake errors"))
    assert node.id is not None
    node_id = node.id
    factor, created = db.write(
        lambda tx: tx.factors.promote(node_id, "detection and observability")
    )
    again, created_again = db.write(lambda tx: tx.factors.promote(node_id))
    assert (created, created_again, again.id) == (True, False, factor.id)
    assert factor.id is not None
    factor_id = factor.id
    db.write(lambda tx: tx.whys.edit(node_id, "no alert on TLS handshake errors"))
    db.write(lambda tx: tx.factors.update(factor_id, "process", "alerting review missed TLS"))
    assert db.read(lambda tx: tx.factors.links(session)) == {factor_id: [node_id]}
    assert db.read(lambda tx: tx.whys.answered(session)) == {node_id}


def test_bad_input_is_refused(db: Database) -> None:
    session = _session(db)
    root = db.write(lambda tx: tx.whys.ensure_root(session))
    assert root.id is not None
    root_id = root.id
    with pytest.raises(InputError, match="needs some text"):
        db.write(lambda tx: tx.whys.add(root_id, "   "))
    with pytest.raises(InputError, match="cannot be deleted"):
        db.write(lambda tx: tx.whys.delete(root_id))
    with pytest.raises(InputError, match="cannot be a root cause"):
        db.write(lambda tx: tx.whys.set_root_cause(root_id, True))
    with pytest.raises(InputError, match="unknown category"):
        db.write(lambda tx: tx.factors.add(session, "astrology", "x"))


def test_hints_for_short_branches_blame_and_unanswered_root_causes(db: Database) -> None:
    session = _session(db)
    root = db.write(lambda tx: tx.whys.ensure_root(session))
    assert root.id is not None
    root_id = root.id
    short = db.write(lambda tx: tx.whys.add(root_id, "Priya should have checked the bundle"))
    assert short.id is not None
    short_id = short.id

    def five_deep(tx: Unit) -> int:
        parent = root_id
        for depth in range(1, 6):
            parent = tx.whys.add(parent, f"cause {depth}").id or 0
        return parent

    node_id = db.write(five_deep)
    db.write(lambda tx: tx.whys.set_root_cause(node_id, True))
    tree = WhyTree(db.read(lambda tx: tx.whys.of(session)))
    found = hints(tree, answered=set(), attendees=["Priya Raman"])
    by_node = {(h.node_id, h.text.split(":")[0].split(" ")[0]) for h in found}
    assert any(h.node_id == short_id and "stops at why #1" in h.text for h in found)
    assert any(h.node_id == short_id and "reasonable at the time" in h.text for h in found)
    assert any(h.node_id == node_id and "no contributing factor" in h.text for h in found)
    assert not any(h.node_id == node_id and "stops at" in h.text for h in found)
    assert by_node
    assert not any("no contributing factor" in h.text for h in hints(tree, answered={node_id}))
