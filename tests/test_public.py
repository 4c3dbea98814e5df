"""The external version (`export --public`): no part of an attendee's name leaves in any
format, however it is typed, unless the check warns where it is; e-mail addresses leave
neither the document nor the warnings."""

from __future__ import annotations

import html
import re
import tomllib
import unicodedata
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import cache

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from debrief_tui.core.actions.items import ActionLinks, ActionRow
from debrief_tui.core.export.exporting import ExportOptions, export_one
from debrief_tui.core.export.formats import FORMATS
from debrief_tui.core.persistence.unit import Database, Unit
from debrief_tui.core.timeline.events import TimelineRow
from debrief_tui.paths import data_path
from tests.full_session import T0, TODAY

NOW = datetime(2025, 3, 24, 12, 0, tzinfo=UTC)
PEOPLE = (
    ("José Álvarez", "responder"),
    ("Priya Raman", "facilitator"),
    ("Ana Marques", "incident commander"),
    ("Siobhán Ó Briain", "stakeholder"),
    ("Nguyễn Văn An", "postmortem owner"),
)
FIELDS = (
    "title",
    "summary",
    "services",
    "team",
    "timeline",
    "problem",
    "why",
    "why note",
    "factor",
    "factor note",
    "lesson",
    "action",
    "owner",
    "ticket",
    "parking",
    "parking owner",
    "minute",
    "minute author",
)
"""Every field a person writes in, as `build` plants them."""


def folded(text: str) -> str:
    """Without accents (NFKD, combining marks dropped) or case: how names are compared."""
    kept = (c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return "".join(kept).casefold()


def words(text: str) -> set[str]:
    return set(re.findall(r"[^\W_]+", folded(text)))


@cache
def common() -> frozenset[str]:
    with data_path("public.toml").open("rb") as fh:
        return frozenset(tomllib.load(fh)["common_words"])


def name_parts(name: str) -> set[str]:
    """The parts of a name the public version must never let out: three letters or more
    and not an ordinary word."""
    return {p for p in words(name) if len(p) >= 3 and p not in common()}


def build(db: Database, people: list[tuple[str, str]], text: Callable[[str], str]) -> int:
    """A session with `text(field)` in every field a person writes in, the attendees, and an
    action whose text was copied from an answer of the 5 Whys (and links to it)."""
    session = db.write(
        lambda tx: tx.sessions.create(text("title"), "SEV2", "UTC", summary=text("summary"))
    )
    sid = session.id or 0
    db.write(
        lambda tx: tx.sessions.update(
            sid,
            started_at=T0,
            resolved_at=T0 + timedelta(hours=2),
            services_affected=text("services"),
            review_at=datetime(2025, 3, 28, 14, tzinfo=UTC),
        )
    )

    def attendees(tx: Unit) -> None:
        for name, role in people:
            tx.attendees.add(sid, name, text("team"), role)

    db.write(attendees)
    db.write(lambda tx: tx.timeline.add_many(sid, [TimelineRow(T0, text("timeline"), "action")]))
    root = db.write(lambda tx: tx.whys.ensure_root(sid))
    db.write(lambda tx: tx.whys.edit(root.id or 0, text("problem")))
    why = db.write(lambda tx: tx.whys.add(root.id or 0, text("why")))
    why_id = why.id or 0
    db.write(lambda tx: tx.whys.set_root_cause(why_id, True))
    db.write(lambda tx: tx.whys.set_no_action_note(why_id, text("why note")))
    factor = db.write(lambda tx: tx.factors.add(sid, "technical", text("factor"), [why_id]))
    db.write(lambda tx: tx.factors.set_no_action_note(factor.id or 0, text("factor note")))
    db.write(lambda tx: tx.lessons.add(sid, "went wrong", text("lesson")))
    due = date(2025, 4, 18)

    def actions(tx: Unit) -> None:
        row = ActionRow(text("action"), text("owner"), due, ticket=text("ticket"))
        tx.actions.add(sid, row, ActionLinks((factor.id or 0,), ()))
        # The 5 Whys answer copied into an action, as people do.
        row = ActionRow(f"Fix: {text('why')}", text("owner"), due)
        tx.actions.add(sid, row, ActionLinks((), (why_id,)))

    db.write(actions)
    item = db.write(lambda tx: tx.parking.add(sid, text("parking"), "whys"))
    db.write(lambda tx: tx.parking.update(item.id or 0, item.text, text("parking owner")))
    db.write(
        lambda tx: tx.minutes.add(
            sid, "whys", [(text("minute author"), text("minute"))], T0 + timedelta(days=3)
        )
    )
    return sid


def export_all(db: Database, sid: int) -> tuple[dict[str, str], list[str]]:
    """Each format of the public version, as a reader sees its text, and the check's
    warnings (the same for every format)."""
    source = db.read(lambda tx: tx.snapshots.export(sid))
    options = ExportOptions(public=True, today=TODAY, now=NOW)
    texts, warnings = {}, []
    for fmt in FORMATS:
        exported = export_one(source, fmt, options)
        texts[fmt] = readable(fmt, exported.text)
        warnings = [w for w in exported.warnings if w.startswith("public:")]
    return texts, warnings


def readable(fmt: str, text: str) -> str:
    """The text as a reader (or a grep) sees it: calendar lines unfolded, HTML unescaped,
    the shell's quoting of an apostrophe undone."""
    if fmt == "ics":
        return text.replace("\r\n ", "")
    if fmt == "gh":
        return text.replace("'\"'\"'", "'")
    return html.unescape(text) if fmt == "html" else text


# Real names, planted everywhere -------------------------------------------------------------

EVERYWHERE = (
    "José Álvarez and Priya Raman paged Ana Marques; Siobhán Ó Briain and Nguyễn Văn An "
    "watched. Raman's script, Marques' fix, JOSE ALVAREZ, Jose Alvarez, siobhan o briain, "
    "Ó Briain, Nguyen and Van An agreed."
)


@pytest.fixture
def everywhere(db: Database) -> tuple[dict[str, str], list[str]]:
    sid = build(db, list(PEOPLE), lambda field: f"{field}: {EVERYWHERE}")
    return export_all(db, sid)


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_part_of_any_name_is_in_any_format(
    everywhere: tuple[dict[str, str], list[str]], fmt: str
) -> None:
    texts, warnings = everywhere
    parts = set().union(*(words(name) for name, _ in PEOPLE))  # "o", "van", "an" too
    assert parts & words(texts[fmt]) <= {"an"}  # "an" is English ("an attendee")
    assert not [w for w in warnings if "a name" in w]  # every part was sure: none is left


def test_every_field_a_person_writes_in_reaches_some_format(db: Database) -> None:
    """The test above means something: each planted field is shown somewhere, unless the
    public version leaves it out on purpose."""
    sid = build(db, list(PEOPLE), lambda field: f"marker{FIELDS.index(field)}x")
    texts, _ = export_all(db, sid)
    shown = set().union(*(words(t) for t in texts.values()))
    left_out = {"why note", "factor note", "ticket", "parking", "parking owner", "minute"}
    left_out |= {"minute author"}
    for index, field in enumerate(FIELDS):
        assert (f"marker{index}x" in shown) == (field not in left_out), field


def test_names_become_roles(everywhere: tuple[dict[str, str], list[str]]) -> None:
    md = everywhere[0]["md"]
    summary = md.split("## Summary\n\n")[1].split("\n")[0]
    assert summary == (
        "summary: the responder and the facilitator paged the incident commander; the "
        "stakeholder and the postmortem owner watched. The facilitator's script, the incident "
        "commander' fix, the responder, the responder, the stakeholder, the stakeholder, the "
        "postmortem owner and the postmortem owner agreed."
    )


def test_a_name_typed_without_its_accents_is_replaced(db: Database) -> None:
    def text(field: str) -> str:
        return "Jose Alvarez" if field == "owner" else "Jose Alvarez and nguyen van an rolled back"

    sid = build(db, list(PEOPLE), text)
    texts, warnings = export_all(db, sid)
    for out in texts.values():
        assert "Alvarez" not in out
        assert not re.search("(?i)nguyen|van an", out)
    assert "The responder and the postmortem owner rolled back" in texts["md"]
    assert not warnings


def test_a_surname_alone_is_replaced(db: Database) -> None:
    sid = build(db, list(PEOPLE), lambda field: "Raman asked Marques; RAMAN's laptop")
    texts, _ = export_all(db, sid)
    for fmt in ("md", "csv", "gh", "ics", "json"):
        assert "raman" not in words(texts[fmt]), fmt
        assert "Marques" not in texts[fmt], fmt
    assert "The facilitator asked the incident commander; the facilitator's laptop" in texts["md"]


def test_5_whys_text_copied_into_an_action_is_replaced_in_the_action_formats(
    db: Database,
) -> None:
    """csv, gh and ics carry the actions with the causes they answer, word for word."""

    def text(field: str) -> str:
        return "Ó Briain's deploy skipped Raman's check" if field == "why" else "Deploy"

    texts, _ = export_all(db, build(db, list(PEOPLE), text))
    for fmt in ("csv", "gh", "ics"):
        assert "Fix: the stakeholder's deploy skipped the facilitator's check" in texts[fmt]
        assert "Answers the cause: The stakeholder's deploy" in texts[fmt]
        assert not {"briain", "raman", "o"} & words(texts[fmt]), fmt


def test_an_owner_who_is_an_attendee_becomes_the_role(db: Database) -> None:
    def text(field: str) -> str:
        return {"owner": "jose alvarez"}.get(field, "Deploy")

    texts, warnings = export_all(db, build(db, list(PEOPLE), text))
    assert "Owner: the responder" in texts["csv"]
    assert "| the responder |" in texts["md"]
    assert not warnings


def test_an_owner_who_is_not_an_attendee_is_warned_about(db: Database) -> None:
    def text(field: str) -> str:
        return {"owner": "Bob Jones", "team": "payments"}.get(field, "Deploy")

    _, warnings = export_all(db, build(db, list(PEOPLE), text))
    assert 'public: still internal? actions[0].owner: "Bob Jones" is not an attendee' in "\n".join(
        warnings
    )
    # What goes to the terminal has its control characters written out.
    sid = build(db, list(PEOPLE), lambda field: "Bob \x1b[2J Jones" if field == "owner" else "x")
    _, warnings = export_all(db, sid)
    assert '"Bob \\x1b[2J Jones" is not an attendee' in "\n".join(warnings)
    assert not [w for w in warnings if "\x1b" in w]
    # A team of the attendees is not a person.
    _, warnings = export_all(db, build(db, list(PEOPLE), lambda f: "payments"))
    assert not [w for w in warnings if ".owner" in w]


def test_an_email_address_leaves_neither_the_text_nor_the_warning(db: Database) -> None:
    def text(field: str) -> str:
        return "Write to ops-team@pay.example.com or priya.raman@corp.example.org"

    texts, warnings = export_all(db, build(db, list(PEOPLE), text))
    for fmt, out in texts.items():
        assert "example" not in out, fmt
        assert not {"ops", "pay", "priya", "raman", "corp"} & words(out), fmt
    assert "Write to [e-mail address] or [e-mail address]" in texts["json"]
    assert "public: still internal? actions[0].text: an e-mail address was left out" in warnings
    for warning in warnings:
        assert "example" not in warning
        assert "@" not in warning
        assert "ops-team" not in warning


def test_a_name_part_that_is_a_common_word_is_left_in_with_a_warning(db: Database) -> None:
    """A lone "Will" may be the verb: it stays, and the check says where; next to another
    part of the name it is replaced."""
    people = [*PEOPLE, ("Will Smith", "responder")]
    sid = build(db, people, lambda field: "Restart the gateway")
    row = ActionRow("Will checks the runbook; will Smith rehearse?", "Will Smith")
    db.write(lambda tx: tx.actions.add(sid, row))
    db.write(lambda tx: tx.lessons.add(sid, "lucky", "Will Smith's pager worked"))
    texts, warnings = export_all(db, sid)
    assert (
        'public: still internal? actions[2].text: "Will" may be a name (attendee Will Smith)'
        in (warnings)
    )
    assert "Will checks the runbook; will the responder 2 rehearse?" in texts["md"]
    assert "The responder 2's pager worked" in texts["md"]
    assert "smith" not in words(texts["md"])
    assert len([w for w in warnings if "a name" in w]) == 1


def test_a_short_part_alone_is_warned_about_with_its_place(db: Database) -> None:
    sid = build(db, list(PEOPLE), lambda field: "Restart the gateway")
    db.write(lambda tx: tx.lessons.add(sid, "lucky", "An was near; Ó Briain too"))
    texts, warnings = export_all(db, sid)
    assert (
        'public: still internal? lessons[1].text: "An" may be a name (attendee Nguyễn Văn An)'
        in (warnings)
    )
    assert "An was near; the stakeholder too" in texts["md"]


def test_names_typed_together_decomposed_or_in_a_script_without_spaces(db: Database) -> None:
    people = [("Seán O'Brien", "responder"), ("山田 太郎", "facilitator")]
    typed = "obrien and OBrien's fix; Sea\u0301n O\u0301'Brien; 山田さんが確認した; 山田太郎"
    sid = build(db, people, lambda field: typed)
    texts, _ = export_all(db, sid)
    assert (
        "the responder and the responder's fix; the responder; the facilitatorさんが確認した; "
        "the facilitator"
    ) in texts["md"]
    for fmt, out in texts.items():
        assert not {"sean", "obrien", "brien"} & words(out), fmt
        assert "山田" not in out, fmt
        assert "太郎" not in out, fmt


def test_the_command_line_prints_the_warnings_and_not_the_names(
    capsys: pytest.CaptureFixture[str],
    tmp_path: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from debrief_tui.cli import main
    from debrief_tui.core.persistence.engine import open_engine

    path = f"{tmp_path}/cli.db"
    monkeypatch.setenv("DEBRIEF_DB", path)
    database = Database(open_engine(path))
    sid = build(
        database, [*PEOPLE, ("Will Smith", "responder")], lambda f: f"Will and {EVERYWHERE}"
    )
    database.engine.dispose()
    assert main(["export", str(sid), "--public", "--format", "gh"]) == 0
    out, err = capsys.readouterr()
    assert not {"raman", "alvarez", "smith", "nguyen", "briain"} & words(out)
    assert '"Will" may be a name (attendee Will Smith)' in err


# Any names, anywhere ------------------------------------------------------------------------

_LETTERS = "abcdefghijklmnopqrstuvwxyzáàâãäåçéèêëíìîïñóòôõöúùûüýăđễơưőűşţ"
_PART = st.text(st.sampled_from(_LETTERS), min_size=1, max_size=9).map(str.capitalize)
_NAME = st.lists(_PART, min_size=1, max_size=3).map(" ".join)
_ROLES = ("responder", "facilitator", "stakeholder", "note-taker")
_FORMS: dict[str, Callable[[str], str]] = {
    "as written": lambda name: name,
    "without accents": folded,
    "in capitals": str.upper,
    "surname": lambda name: name.split()[-1],
    "first name": lambda name: name.split()[0],
    "possessive": lambda name: f"{name.split()[-1]}'s",
}
_FILLER = "Deploy paused; checked"


@cache
def _ordinary_words() -> frozenset[str]:
    """Every word the public documents hold without any name in them."""
    from debrief_tui.core.persistence import open_database
    from tests.helpers import fixed_clock

    db = open_database("sqlite://", fixed_clock)
    try:
        sid = build(db, [("Person", role) for role in _ROLES], lambda field: _FILLER)
        texts, _ = export_all(db, sid)
        empty = db.write(lambda tx: tx.sessions.create("Quiet", "SEV2", "UTC")).id or 0
        quiet, _ = export_all(db, empty)
        return frozenset(set().union(*(words(t) for t in [*texts.values(), *quiet.values()])))
    finally:
        db.dispose()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    names=st.lists(_NAME, min_size=1, max_size=4),
    plants=st.dictionaries(
        st.sampled_from(FIELDS),
        st.lists(
            st.tuples(st.integers(0, 3), st.sampled_from(sorted(_FORMS))), min_size=1, max_size=3
        ),
        min_size=1,
    ),
)
def test_any_name_planted_anywhere_is_replaced_or_warned_about(
    db: Database, names: list[str], plants: dict[str, list[tuple[int, str]]]
) -> None:
    parts = {p for name in names for p in name_parts(name)}
    assume(not parts & _ordinary_words())
    people = [(name, _ROLES[i]) for i, name in enumerate(names)]

    def text(field: str) -> str:
        planted = [_FORMS[form](names[who % len(names)]) for who, form in plants.get(field, [])]
        return " and ".join([_FILLER, *planted])

    texts, warnings = export_all(db, build(db, people, text))
    warned = folded("\n".join(warnings))
    for fmt, out in texts.items():
        for part in parts & words(out):
            assert part in warned, (fmt, part, out)
