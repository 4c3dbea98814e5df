"""The 5 Whys tree in the store and its hints, without a terminal."""

from __future__ import annotations

import pytest

from debrief_tui.core.errors import InputError
from debrief_tui.core.persistence.store import Store
from debrief_tui.core.whys.tree import WhyTree, hints


def _session(store: Store, summary: str = "Checkout failed for EU shoppers") -> int:
    row = store.create_session("Whys", "SEV2", "UTC", summary=summary)
    assert row.id is not None
    return row.id


def test_root_is_the_problem_statement_from_the_summary_and_editing_it_updates_the_session(
    store: Store,
) -> None:
    session = _session(store)
    root = store.problem_statement(session)
    assert (root.parent_id, root.text) == (None, "Checkout failed for EU shoppers")
    assert store.problem_statement(session).id == root.id  # created once
    assert root.id is not None
    store.edit_why(root.id, "  EU card payments failed  ")
    assert store.get_session(session).problem_statement == "EU card payments failed"


def test_children_siblings_reorder_and_depth(store: Store) -> None:
    session = _session(store)
    root = store.problem_statement(session)
    assert root.id is not None
    a = store.add_why(root.id, "gateway rejected our TLS handshake")
    c = store.add_why(root.id, "retries hid the errors")
    assert a.id is not None
    assert c.id is not None
    b = store.add_why(root.id, "no alert on handshake errors", after=a.id)
    deep = store.add_why(a.id, "CA bundle was stale")
    assert deep.id is not None
    assert b.id is not None
    tree = WhyTree(store.list_whys(session))
    assert tree.children[root.id] == [a.id, b.id, c.id]
    assert tree.depth(deep.id) == 2
    assert tree.path(deep.id) == [root.id, a.id, deep.id]
    assert store.move_why(c.id, -1)
    assert WhyTree(store.list_whys(session)).children[root.id] == [a.id, c.id, b.id]
    assert not store.move_why(a.id, -1)  # already first


def test_delete_takes_the_subtree_and_undo_restores_ids_and_links(store: Store) -> None:
    session = _session(store)
    root = store.problem_statement(session)
    assert root.id is not None
    a = store.add_why(root.id, "a")
    assert a.id is not None
    b = store.add_why(a.id, "b")
    assert b.id is not None
    factor, created = store.promote_why(b.id)
    assert created
    before = [(n.id, n.parent_id, n.text) for n in store.list_whys(session)]
    saved = store.delete_why(a.id)
    assert [n.text for n in store.list_whys(session)] == [root.text]
    assert store.factor_links(session) == {}
    store.restore_why(saved)
    assert [(n.id, n.parent_id, n.text) for n in store.list_whys(session)] == before
    assert store.factor_links(session) == {factor.id: [b.id]}


def test_promote_is_idempotent_and_links_survive_edits(store: Store) -> None:
    session = _session(store)
    root = store.problem_statement(session)
    assert root.id is not None
    node = store.add_why(root.id, "no alert on handshake errors")
    assert node.id is not None
    factor, created = store.promote_why(node.id, "detection and observability")
    again, created_again = store.promote_why(node.id)
    assert (created, created_again, again.id) == (True, False, factor.id)
    assert factor.id is not None
    store.edit_why(node.id, "no alert on TLS handshake errors")
    store.update_factor(factor.id, "process", "alerting review missed TLS")
    assert store.factor_links(session) == {factor.id: [node.id]}
    assert store.answered_whys(session) == {node.id}


def test_bad_input_is_refused(store: Store) -> None:
    session = _session(store)
    root = store.problem_statement(session)
    assert root.id is not None
    with pytest.raises(InputError, match="needs some text"):
        store.add_why(root.id, "   ")
    with pytest.raises(InputError, match="cannot be deleted"):
        store.delete_why(root.id)
    with pytest.raises(InputError, match="cannot be a root cause"):
        store.set_root_cause(root.id, True)
    with pytest.raises(InputError, match="unknown category"):
        store.add_factor(session, "astrology", "x")


def test_hints_for_short_branches_blame_and_unanswered_root_causes(store: Store) -> None:
    session = _session(store)
    root = store.problem_statement(session)
    assert root.id is not None
    short = store.add_why(root.id, "Priya should have checked the bundle")
    assert short.id is not None
    node = root
    for depth in range(1, 6):
        assert node.id is not None
        node = store.add_why(node.id, f"cause {depth}")
    assert node.id is not None
    store.set_root_cause(node.id, True)
    tree = WhyTree(store.list_whys(session))
    found = hints(tree, answered=set(), attendees=["Priya Raman"])
    by_node = {(h.node_id, h.text.split(":")[0].split(" ")[0]) for h in found}
    assert any(h.node_id == short.id and "stops at why #1" in h.text for h in found)
    assert any(h.node_id == short.id and "reasonable at the time" in h.text for h in found)
    assert any(h.node_id == node.id and "no contributing factor" in h.text for h in found)
    assert not any(h.node_id == node.id and "stops at" in h.text for h in found)
    assert by_node
    assert not any("no contributing factor" in h.text for h in hints(tree, answered={node.id}))
