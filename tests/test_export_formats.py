"""Exports: the JSON that rebuilds a session, and each document format."""

from __future__ import annotations

import json
from typing import Any

import pytest

from debrief_tui.core.document import read_document
from debrief_tui.core.errors import InputError
from debrief_tui.core.export_json import build_export, render_json
from debrief_tui.core.store import Store
from tests.full_session import TODAY, build_full_session, without_ids


def _export(store: Store, session_id: int) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(render_json(build_export(store, session_id, today=TODAY)))
    return document


@pytest.mark.parametrize("hostile", [False, True])
def test_json_load_json_round_trip(store: Store, hostile: bool) -> None:
    first = _export(store, build_full_session(store, hostile))
    loaded = store.create_from_document(read_document(first))
    assert loaded.id is not None
    second = _export(store, loaded.id)
    assert without_ids(second) == without_ids(first)
    assert len(first["whys"]) == 5
    assert first["minutes"]
    assert first["stage_time"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["whys"].append({**d["whys"][1], "id": 999, "parent_id": 998}),
            "no such id 998",
        ),
        (lambda d: d["whys"].append({**d["whys"][0], "id": 999}), "2 nodes without a parent"),
        (lambda d: d["factors"][0].update(why_ids=[12345]), "factors[0].why_ids: no such id"),
        (lambda d: d["actions"][0].update(due="next week"), "actions[0].due: not a date"),
        (lambda d: d["actions"][1].update(type="fix"), "actions[1].type: unknown type"),
        (lambda d: d["lessons"][0].update(kind="meh"), "lessons[0].kind: unknown list"),
    ],
)
def test_a_bad_document_is_refused_whole_with_the_path(
    store: Store, change: object, message: str
) -> None:
    document = _export(store, build_full_session(store))
    before = len(store.list_sessions())
    change(document)  # type: ignore[operator]
    with pytest.raises(InputError) as caught:
        store.create_from_document(read_document(document))
    assert message in str(caught.value)
    assert len(store.list_sessions()) == before
