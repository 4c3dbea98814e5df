"""`debrief load FILE`: the document is checked whole before anything is written. Each refusal
is one line naming the file and the path of the first problem, exits 1, and creates nothing;
nothing a file holds ends in a traceback."""

from __future__ import annotations

import contextlib
import copy
import io
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from debrief_tui.cli import main
from debrief_tui.core.persistence.engine import open_engine
from debrief_tui.core.persistence.unit import Database
from debrief_tui.paths import data_path
from tests.full_session import build_full_session

Doc = dict[str, Any]


def debrief(db: Path, *args: str, stdin: str = "") -> tuple[int, str, str]:
    """Run the command in this process on the database `db`: exit code, stdout, stderr. An
    exception no command turns into a message escapes, failing the test with its traceback."""
    out, err = io.StringIO(), io.StringIO()
    with (
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
        _stdin(stdin),
    ):
        code = main(["--db", str(db), *args])
    return code, out.getvalue(), err.getvalue()


@contextlib.contextmanager
def _stdin(text: str) -> Iterator[None]:
    saved = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8")
    try:
        yield
    finally:
        sys.stdin = saved


def sessions(db: Path) -> list[dict[str, Any]]:
    code, out, err = debrief(db, "list", "--json")
    assert (code, err) == (0, "")
    listed: list[dict[str, Any]] = json.loads(out)
    return listed


def _export(db: Path, session_id: str, *extra: str) -> Doc:
    code, out, err = debrief(db, "export", session_id, "--format", "json", *extra)
    assert (code, err) == (0, ""), err
    document: Doc = json.loads(out)
    return document


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Doc]:
    """Valid documents to spoil: a full export (with and without hostile text), its public
    version, and the demo as shipped."""
    path = tmp_path_factory.mktemp("source") / "source.db"
    database = Database(open_engine(str(path)))
    full = str(build_full_session(database))
    hostile = str(build_full_session(database, hostile=True))
    database.engine.dispose()
    return {
        "full": _export(path, full),
        "hostile": _export(path, hostile),
        "public": _export(path, full, "--public"),
        "demo": json.loads(data_path("demo.json").read_text(encoding="utf-8")),
    }


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "load.db"


def refused(db: Path, tmp_path: Path, document: Doc | str, *expected: str) -> str:
    """Load `document` (a value, or the text of a file) and check the refusal: exit 1, one line
    naming the file and each of `expected`, no traceback, no session. Gives the line."""
    path = tmp_path / "doc.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    code, out, err = debrief(db, "load", str(path))
    assert (code, out) == (1, ""), err
    assert "Traceback" not in err
    assert len(err.splitlines()) == 1, err
    line = err.strip()
    assert line.startswith(f"debrief: {path}"), line
    for part in expected:
        assert part in line, line
    assert sessions(db) == []
    return line


def _spoiled(document: Doc, change: Callable[[Doc], object]) -> Doc:
    spoiled = copy.deepcopy(document)
    change(spoiled)
    return spoiled


# Shapes that ended in a traceback ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"session": "x"}', "doc.json: session: must be an object, not text"),
        ('{"session": [1]}', "doc.json: session: must be an object, not a list"),
        ('{"session": {"title": "x"}}', "doc.json: session.severity: missing"),
        ("[]", "doc.json: document: must be an object, not a list"),
    ],
)
def test_a_session_that_is_not_an_object_is_refused(
    db: Path, tmp_path: Path, text: str, expected: str
) -> None:
    refused(db, tmp_path, text, expected)


def test_facts_as_a_list_are_refused(db: Path, tmp_path: Path, exports: dict[str, Doc]) -> None:
    document = _spoiled(exports["full"], lambda d: d.update(facts=[["users_affected", 3]]))
    refused(db, tmp_path, document, "doc.json: facts: must be an object, not a list")


def test_attendees_as_a_number_are_refused(
    db: Path, tmp_path: Path, exports: dict[str, Doc]
) -> None:
    document = _spoiled(exports["full"], lambda d: d.update(attendees=3))
    refused(db, tmp_path, document, "doc.json: attendees: must be a list, not 3")


def test_an_id_listed_twice_is_named_with_its_place(
    db: Path, tmp_path: Path, exports: dict[str, Doc]
) -> None:
    why = exports["full"]["whys"][1]["id"]
    document = _spoiled(exports["full"], lambda d: d["actions"][0].update(why_ids=[why, why]))
    refused(db, tmp_path, document, f"doc.json: actions[0].why_ids[1]: {why} is listed twice")


def test_a_list_in_place_of_an_id_is_refused(
    db: Path, tmp_path: Path, exports: dict[str, Doc]
) -> None:
    why = exports["full"]["whys"][1]["id"]
    document = _spoiled(exports["full"], lambda d: d["actions"][0].update(why_ids=[[why]]))
    refused(db, tmp_path, document, "actions[0].why_ids[0]: must be a whole number, not a list")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["facts"].update(users_affected=10**30), "facts.users_affected: must be at"),
        (lambda d: d["whys"][0].update(id=10**30), "whys[0].id: must be at most"),
        (lambda d: d["actions"][0].update(factor_ids=[10**30]), "actions[0].factor_ids[0]"),
        (lambda d: d["session"].update(title=10**30), "session.title: must be text"),
    ],
    ids=["count", "why-id", "reference", "title"],
)
def test_a_number_of_31_digits_is_refused_with_its_path(
    db: Path,
    tmp_path: Path,
    exports: dict[str, Doc],
    change: Callable[[Doc], object],
    expected: str,
) -> None:
    line = refused(db, tmp_path, _spoiled(exports["full"], change), expected)
    assert "a number with 31 digits" in line  # not the digits themselves


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '{"session": {"title": "x", "severity": "SEV2"}, "facts": {"users_affected": NaN}}',
            "NaN",
        ),
        (
            '{"session": {"title": "x", "severity": "SEV2", "id": ' + "9" * 5000 + "}}",
            "5000 digits",
        ),
    ],
    ids=["nan", "5000-digits"],
)
def test_numbers_json_does_not_have_are_refused(
    db: Path, tmp_path: Path, text: str, expected: str
) -> None:
    refused(db, tmp_path, text, "is not JSON debrief reads", expected)


# What was accepted in silence ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        (2, "schema_version: 2 is not a version this debrief reads (it reads 1)"),
        (999, "schema_version: 999 is not a version this debrief reads (it reads 1)"),
        ("1", "schema_version: must be a whole number (this debrief reads 1), not '1'"),
        (True, "schema_version: must be a whole number (this debrief reads 1), not true"),
    ],
)
def test_an_unknown_schema_version_says_which_this_debrief_reads(
    db: Path, tmp_path: Path, exports: dict[str, Doc], version: object, expected: str
) -> None:
    document = _spoiled(exports["full"], lambda d: d.update(schema_version=version))
    refused(db, tmp_path, document, expected)


def test_an_unknown_timeline_kind_is_refused(
    db: Path, tmp_path: Path, exports: dict[str, Doc]
) -> None:
    document = _spoiled(exports["full"], lambda d: d["timeline"][1].update(kind="zebra"))
    refused(db, tmp_path, document, "timeline[1].kind: unknown kind 'zebra' (one of ", "alert")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["minutes"][0].update(text=""), "minutes[0].text: must not be blank"),
        (lambda d: d["timeline"][2].update(text=" \t\n"), "timeline[2].text: must not be blank"),
        (lambda d: d["session"].update(title="  "), "session.title: must not be blank"),
        (lambda d: d["whys"][3].update(text="\u3000"), "whys[3].text: must not be blank"),
        (lambda d: d["attendees"][1].update(name=""), "attendees[1].name: must not be blank"),
        (lambda d: d["actions"][2].update(text=" "), "actions[2].text: must not be blank"),
    ],
    ids=["minute", "event", "title", "why", "attendee", "action"],
)
def test_blank_text_is_refused_with_its_path(
    db: Path,
    tmp_path: Path,
    exports: dict[str, Doc],
    change: Callable[[Doc], object],
    expected: str,
) -> None:
    refused(db, tmp_path, _spoiled(exports["full"], change), f"doc.json: {expected}")


# Depth, text and time ------------------------------------------------------------------------

DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize(
    "text",
    [
        DEEP,
        '{"session": ' + DEEP + "}",
        "[" * 100_000,
        '{"session": {"title": ' + "[" * 40 + "]" * 40 + "}}",
    ],
    ids=["list", "in-session", "unclosed", "40-deep"],
)
def test_deep_nesting_is_refused_in_one_line(db: Path, tmp_path: Path, text: str) -> None:
    refused(db, tmp_path, text, "nested more than 32 levels deep")


def test_deep_nesting_in_a_real_process_prints_no_traceback(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text(DEEP)
    result = subprocess.run(
        [sys.executable, "-m", "debrief_tui", "--db", str(tmp_path / "x.db"), "load", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 1
    assert result.stderr == f"debrief: {path}: nested more than 32 levels deep\n"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["attendees"][2].update(name="Luca \ud800"), "attendees[2].name"),
        (lambda d: d["timeline"][0].update(text="\udfff"), "timeline[0].text"),
        (lambda d: d["metrics"].update(note="\ud83d"), "metrics.note"),  # ignored, still refused
        (lambda d: d["session"].update({"\udc80": 1}), "session: has a key"),
    ],
    ids=["attendee", "event", "ignored-part", "key"],
)
def test_a_lone_surrogate_is_refused_with_its_path(
    db: Path,
    tmp_path: Path,
    exports: dict[str, Doc],
    change: Callable[[Doc], object],
    expected: str,
) -> None:
    line = refused(db, tmp_path, _spoiled(exports["full"], change), f"doc.json: {expected}")
    assert line.endswith("not valid Unicode text")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["actions"][0].update(due="9999-12-31"),
            "actions[0].due: '9999-12-31' is outside the years debrief keeps (1970 to 9998)",
        ),
        (
            lambda d: d["actions"][1].update(due="1969-12-31"),
            "actions[1].due: '1969-12-31' is outside the years",
        ),
        (lambda d: d["actions"][1].update(due="2025-W16-5"), "actions[1].due: not a date"),
        (
            lambda d: d["timeline"][0].update(at="0001-01-01T00:00:00+14:00"),
            "timeline[0].at: '0001-01-01T00:00:00+14:00' is outside the years",
        ),
        (
            lambda d: d["facts"].update(started_at="0001-01-01T00:00:00+14:00"),
            "facts.started_at: '0001-01-01T00:00:00+14:00' is outside the years",
        ),
        (
            lambda d: d["minutes"][1].update(at="9999-12-31T23:00:00-10:00"),
            "minutes[1].at: '9999-12-31T23:00:00-10:00' is outside the years",
        ),
        (
            lambda d: d["stage_time"][0].update(ended_at="1969-12-31T23:59:59Z"),
            "stage_time[0].ended_at: '1969-12-31T23:59:59Z' is outside the years",
        ),
        (
            lambda d: d["session"].update(status_changed_at="9999-12-31T23:59:59Z"),
            "session.status_changed_at: '9999-12-31T23:59:59Z'",
        ),
    ],
    ids=["due-9999", "due-1969", "due-week", "event", "fact", "minute", "stage", "status"],
)
def test_a_time_outside_the_years_kept_is_named_with_its_value(
    db: Path,
    tmp_path: Path,
    exports: dict[str, Doc],
    change: Callable[[Doc], object],
    expected: str,
) -> None:
    refused(db, tmp_path, _spoiled(exports["full"], change), f"doc.json: {expected}")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["whys"][2].update(id=d["whys"][1]["id"]), "whys[2].id: "),
        (lambda d: d["whys"][0].update(parent_id=d["whys"][1]["id"]), "go round in a circle"),
        (lambda d: d["whys"].append({**d["whys"][0], "id": 77}), "whys[5].parent_id: 2 nodes"),
        (lambda d: d["factors"][0].update(category="vibes"), "factors[0].category: unknown"),
        (lambda d: d["actions"][0].update(factor_ids=[4242]), "actions[0].factor_ids: no such"),
        (lambda d: d["session"].update(timezone="Mars/Olympus"), "session.timezone: unknown"),
        (lambda d: d["facts"].update(agenda_path="/etc/passwd"), "facts.agenda_path: not a key"),
        (lambda d: d["lessons"][0].update(kind="meh"), "lessons[0].kind: unknown list 'meh'"),
    ],
    ids=["why-id-twice", "circle", "two-problems", "category", "link", "zone", "agenda", "list"],
)
def test_rules_the_schema_cannot_state_name_the_path(
    db: Path,
    tmp_path: Path,
    exports: dict[str, Doc],
    change: Callable[[Doc], object],
    expected: str,
) -> None:
    refused(db, tmp_path, _spoiled(exports["full"], change), expected)


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        ("x" * 100_000, "timeline[0].at: cannot read 'xxxx"),
        ("2025-03-21 10:00 A/" + "b" * 100_000, "timeline[0].at: unknown time zone 'A/bbbb"),
    ],
    ids=["value", "zone-in-value"],
)
def test_a_long_value_is_cut_short_in_the_message(
    db: Path, tmp_path: Path, exports: dict[str, Doc], at: str, expected: str
) -> None:
    document = _spoiled(exports["full"], lambda d: d["timeline"][0].update(at=at))
    line = refused(db, tmp_path, document, expected)
    assert len(line) < 300


# What loads ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["full", "hostile", "public", "demo"])
def test_every_document_we_write_or_ship_loads(
    db: Path, tmp_path: Path, exports: dict[str, Doc], name: str
) -> None:
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(exports[name]))
    code, out, err = debrief(db, "load", str(path))
    assert (code, err) == (0, "")
    assert [s["id"] for s in sessions(db)] == [int(out)]


def test_the_demo_file_loads_as_shipped(db: Path) -> None:
    code, out, err = debrief(db, "load", str(data_path("demo.json")))
    assert (code, out.strip(), err) == (0, "1", "")


def test_standard_input_is_named_dash(db: Path, exports: dict[str, Doc]) -> None:
    code, out, err = debrief(db, "load", "-", stdin='{"session": {}}')
    assert (code, out, err) == (1, "", "debrief: -: session.title: missing\n")


def test_jsonschema_is_not_imported_at_start_up() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import sys, debrief_tui.cli; print('jsonschema' in sys.modules)"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.strip() == "False"


# The timeline import reads JSON too -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (DEEP, "line 1: nested more than 32 levels deep"),
        ('{"timeline": ' + DEEP + "}", "line 1: nested more than 32 levels deep"),
        ('[{"at": "2025-03-21 09:00", "text": ' + "[" * 40 + "]" * 40 + "}]", "item 1: text"),
        ('[{"at": "2025-03-21 09:00", "text": "a\\ud800"}]', "item 1: text: not valid Unicode"),
        ('[{"at": "2025-03-21 09:00", "text": "a", "x": {"\\udc00": 1}}]', "item 1: x: has a key"),
        ('[{"at": "2025-03-21 09:00", "text": "a", "n": ' + "1" * 5000 + "}]", "5000 digits"),
    ],
    ids=["deep", "deep-timeline", "deep-item", "surrogate", "surrogate-key", "digits"],
)
def test_a_timeline_import_refuses_the_same_in_one_line_each(
    db: Path, tmp_path: Path, text: str, expected: str
) -> None:
    code, session, _ = debrief(db, "new", "--title", "Checkout down", "--severity", "SEV2")
    assert code == 0
    path = tmp_path / "events.json"
    path.write_text(text)
    code, _, err = debrief(db, "import", session.strip(), str(path))
    assert code == 1
    assert "Traceback" not in err
    assert expected in err.splitlines()[0]
    assert err.splitlines()[-1].startswith("debrief: nothing imported")
    assert _export(db, session.strip())["timeline"] == []


# Whatever a document holds -------------------------------------------------------------------

_SURROGATES = st.integers(0xD800, 0xDFFF).map(chr)
_TEXT = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", " ", "zebra", "SEV9", "9999-12-31", "0001-01-01T00:00:00+14:00"]),
    st.builds(lambda a, s, b: a + s + b, st.text(max_size=4), _SURROGATES, st.text(max_size=4)),
)
_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**35), 10**35)
    | st.sampled_from([0, 1, 2, 2**31, 2**63, -1])
    | st.floats()
    | _TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=6,
)
_KEYS = st.sampled_from(
    ["id", "text", "at", "kind", "why_ids", "parent_id", "schema_version", "title", "due"]
)


def _places(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _places(item, (*path, index))


def _at(document: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        document = document[part]
    return document


def _mutate(data: st.DataObject, document: Doc) -> None:
    """Drop a key or item, put another value (of any type) in a place, or add one."""
    places = list(_places(document))
    how = data.draw(st.sampled_from(["drop", "replace", "add"]))
    if how == "drop" and len(places) > 1:
        path = data.draw(st.sampled_from(places[1:]))
        del _at(document, path[:-1])[path[-1]]
        return
    path = data.draw(st.sampled_from(places))
    if how == "replace" and path:
        _at(document, path[:-1])[path[-1]] = data.draw(_JSON)
        return
    target = _at(document, path)
    if isinstance(target, dict):
        target[data.draw(_KEYS | _TEXT)] = data.draw(_JSON)
    elif isinstance(target, list):
        target.insert(data.draw(st.integers(0, len(target))), data.draw(_JSON))


@settings(
    max_examples=120,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),  # the same examples in CI; new ones elsewhere
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_a_spoiled_document_loads_whole_or_is_refused_in_one_line(
    tmp_path: Path, exports: dict[str, Doc], data: st.DataObject
) -> None:
    """Whatever is done to a valid document, load creates a whole session that exports and
    loads again, or refuses in one line and creates nothing; never a traceback."""
    db = tmp_path / "spoiled.db"
    document = copy.deepcopy(exports[data.draw(st.sampled_from(sorted(exports)))])
    for _ in range(data.draw(st.integers(1, 3))):
        _mutate(data, document)
    path = tmp_path / "spoiled.json"
    path.write_text(json.dumps(document))
    before = sessions(db)
    code, out, err = debrief(db, "load", str(path))
    event("loaded" if code == 0 else "refused")
    if code == 0:
        assert err == ""
        assert len(sessions(db)) == len(before) + 1
        again = tmp_path / "again.json"
        again.write_text(json.dumps(_export(db, out.strip())))
        assert debrief(db, "load", str(again))[0] == 0
    else:
        assert code == 1
        assert len(err.splitlines()) == 1, err
        assert err.startswith(f"debrief: {path}")
        assert sessions(db) == before
