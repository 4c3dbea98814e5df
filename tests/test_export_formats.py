"""Exports: the JSON that rebuilds a session, and each document format."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from debrief_tui.core.actions.items import ActionRow
from debrief_tui.core.errors import InputError
from debrief_tui.core.export import escaping
from debrief_tui.core.export.document import read_document
from debrief_tui.core.export.exporting import ExportOptions, export_one
from debrief_tui.core.export.formats import EXTENSIONS, FORMATS
from debrief_tui.core.export.json_export import build_export, render_json
from debrief_tui.core.persistence.unit import Database, Unit
from tests.full_session import TODAY, build_full_session, without_ids
from tests.helpers import DEFAULT_STAGES
from tests.postgres import both_backends


def _export(db: Database, session_id: int) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(
        render_json(build_export(db.read(lambda tx: tx.snapshots.export(session_id)), today=TODAY))
    )
    return document


@both_backends
@pytest.mark.parametrize("hostile", [False, True])
def test_json_load_json_round_trip(db: Database, hostile: bool) -> None:
    first = _export(db, build_full_session(db, hostile))
    loaded = db.write(lambda tx: tx.documents.create(read_document(first)))
    assert loaded.id is not None
    loaded_id = loaded.id
    second = _export(db, loaded_id)
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
    db: Database, change: object, message: str
) -> None:
    document = _export(db, build_full_session(db))
    before = len(db.read(lambda tx: tx.sessions.matching()))
    change(document)  # type: ignore[operator]
    with pytest.raises(InputError) as caught:
        db.write(lambda tx: tx.documents.create(read_document(document)))
    assert message in str(caught.value)
    assert len(db.read(lambda tx: tx.sessions.matching())) == before


# Every format, on a fixed session -----------------------------------------------------------

GOLDEN = Path(__file__).parent / "golden"
NOW = datetime(2025, 3, 24, 12, 0, tzinfo=UTC)


def _options(**changes: Any) -> ExportOptions:
    return ExportOptions(today=TODAY, now=NOW)._replace(**changes)


def _text(db: Database, session_id: int, fmt: str, **changes: Any) -> str:
    return export_one(
        db.read(lambda tx: tx.snapshots.export(session_id)), fmt, _options(**changes)
    ).text


@both_backends  # what is read back from PostgreSQL exports the same, byte for byte
@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_matches_its_reviewed_golden_file(db: Database, fmt: str) -> None:
    """The golden files were read by eye once; regenerate with UPDATE_GOLDEN=1 and review
    the diff when a change to a format is meant."""
    text = _text(db, build_full_session(db), fmt)
    golden = GOLDEN / f"incident.{EXTENSIONS[fmt]}"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_bytes(text.encode("utf-8"))
    assert text == golden.read_bytes().decode("utf-8")


def _outline(markdown: str) -> list[tuple[int, str]]:
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    return [
        (int(tok.tag[1]), tokens[i + 1].content)
        for i, tok in enumerate(tokens)
        if tok.type == "heading_open"
    ]


@pytest.mark.parametrize(
    ("layout", "expected"),
    [
        (
            "debrief",
            [
                "Summary",
                "Impact",
                "Timeline",
                "Detection",
                "Response",
                "Recovery",
                "Trigger",
                "5 Whys",
                "Root causes",
                "Contributing factors",
                "Lessons",
                "Action items",
                "Parking lot",
                "Supporting links",
                "Internal message (draft)",
                "External message (draft)",
            ],
        ),
        (
            "google",
            [
                "Summary",
                "Impact",
                "Root Causes",
                "Trigger",
                "Resolution",
                "Detection",
                "Action Items",
                "Lessons Learned",
                "Timeline",
                "Supporting information",
            ],
        ),
        (
            "pagerduty",
            [
                "Overview",
                "What Happened",
                "Contributing Factors",
                "Resolution",
                "Impact",
                "Responders",
                "Timeline",
                "How'd We Do?",
                "Action Items",
                "Parking lot",
                "Supporting links",
                "Messaging",
            ],
        ),
        (
            "atlassian",
            [
                "Incident summary",
                "Leadup",
                "Fault",
                "Impact",
                "Detection",
                "Response",
                "Recovery",
                "Timeline",
                "Five whys",
                "Root cause",
                "Backlog check",
                "Related incidents",
                "Lessons learned",
                "Follow-up tasks",
                "Supporting links",
                "Internal message (draft)",
                "External message (draft)",
            ],
        ),
    ],
)
def test_markdown_heading_outline_per_layout(
    db: Database, layout: str, expected: list[str]
) -> None:
    outline = _outline(_text(db, build_full_session(db), "md", layout=layout))
    assert outline[0][0] == 1
    assert [title for level, title in outline if level == 2] == expected


def test_empty_sections_say_so_in_one_line(db: Database) -> None:
    session = db.write(lambda tx: tx.sessions.create("Quiet incident", "SEV4", "UTC"))
    text = _text(db, session.id or 0, "md")
    for line in (
        "_No timeline yet._",
        "_No root cause marked._",
        "_No contributing factors recorded._",
        "_No action items._",
        "_Nothing was parked._",
    ):
        assert line in text
    assert len(_outline(text)) > 10  # the sections are all there


def test_a_team_template_gets_the_same_data(db: Database, tmp_path: Path) -> None:
    template = tmp_path / "ours.md.j2"
    template.write_text(
        '{% import "_sections.md.j2" as s with context %}# {{ session.title | md }}\n\n'
        "{{ actions | length }} actions, {{ root_causes | length }} root causes\n\n"
        "{{ s.actions_section() }}\n",
        encoding="utf-8",
    )
    text = _text(db, build_full_session(db), "md", template=template)
    assert text.startswith("# Checkout failed for EU shoppers\n")
    assert "3 actions, 3 root causes" in text
    broken = tmp_path / "broken.md.j2"
    broken.write_text("{% if %}", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        _text(db, build_full_session(db), "md", template=broken)
    assert "broken.md.j2, line 1" in str(caught.value)


# Hostile text through every format --------------------------------------------------------


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.handlers: list[str] = []
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.handlers += [name for name, _ in attrs if name.startswith("on")]
        self.urls += [v or "" for name, v in attrs if name in ("href", "src")]


def test_hostile_text_cannot_become_markup_in_markdown_or_html(db: Database) -> None:
    sid = build_full_session(db, hostile=True)
    markdown = _text(db, sid, "md")
    outline = _outline(markdown)
    assert [t for level, t in outline if level == 2][:3] == ["Summary", "Impact", "Timeline"]
    assert "\x1b" not in markdown
    assert "\\x1b" in markdown  # written out, visibly
    page = _text(db, sid, "html")
    parser = _Tags()
    parser.feed(page)
    assert "script" not in parser.tags
    assert parser.handlers == []
    assert parser.urls == []  # no link, image or external request at all
    assert "&lt;script&gt;" in page
    assert "<style>" in page
    assert "@media print" in page


def test_hostile_text_in_csv_reads_back_and_never_starts_a_formula(db: Database) -> None:
    sid = build_full_session(db, hostile=True)
    db.write(lambda tx: tx.actions.add(sid, ActionRow('=HYPERLINK("http://x")', "@owner", None)))
    text = _text(db, sid, "csv")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:6] == ["Summary", "Description", "Assignee", "Due date", "Priority", "Labels"]
    assert len(rows) == 1 + 4
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), cell
    assert rows[4][0] == '\'=HYPERLINK("http://x")'
    assert rows[4][2] == "'@owner"
    assert "incident-1" in rows[1][5]
    assert "detect" in rows[1][5].split()


def test_gh_script_runs_with_a_fake_gh_and_passes_text_unchanged(
    db: Database, tmp_path: Path
) -> None:
    sid = build_full_session(db, hostile=True)
    script = tmp_path / "actions.sh"
    script.write_text(_text(db, sid, "gh"), encoding="utf-8")
    record = tmp_path / "calls.jsonl"
    fake = tmp_path / "bin" / "gh"
    fake.parent.mkdir()
    fake.write_text(
        f"#!{sys.executable}\nimport json, sys\n"
        f"open({str(record)!r}, 'a').write(json.dumps(sys.argv[1:]) + '\\n')\n",
        encoding="utf-8",
    )
    fake.chmod(0o755)
    canary = tmp_path / "pwned"
    env = {
        **os.environ,
        "PATH": f"{fake.parent}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(tmp_path),
    }
    subprocess.run(["sh", str(script)], check=True, env=env, cwd=tmp_path)
    calls = [json.loads(line) for line in record.read_text(encoding="utf-8").splitlines()]
    assert len(calls) == 3
    first = calls[0]
    assert first[:2] == ["issue", "create"]
    title = first[first.index("--title") + 1]
    assert title.startswith("Alert when a pinned CA expires within 30 days [bold]x[/]")
    assert "$(touch pwned)" in title  # passed as text, never run
    assert "`touch pwned`" in title
    assert "\\x1b" in title
    assert not canary.exists()
    assert first[first.index("detect") - 1 : first.index("detect") + 1] == ["--label", "detect"]


def test_ics_escapes_and_folds(db: Database) -> None:
    sid = build_full_session(db, hostile=True)
    text = _text(db, sid, "ics")
    lines = text.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR"
    assert text.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    unfolded = text.replace("\r\n ", "")
    assert "DTSTART:20250328T140000Z" in unfolded
    assert "DTSTART;VALUE=DATE:20250418" in unfolded
    summaries = [line for line in unfolded.split("\r\n") if line.startswith("SUMMARY:")]
    assert any("\\;" in line and "\\," in line for line in summaries) or any(
        "\\;" in line for line in summaries
    )
    assert "\x1b" not in text
    assert unfolded.count("BEGIN:VEVENT") == 3  # the review and two dated actions


def test_minutes_by_stage_with_time_and_speaker(db: Database) -> None:
    text = _text(db, build_full_session(db), "minutes")
    outline = [t for level, t in _outline(text) if level == 2]
    assert outline == list(DEFAULT_STAGES)
    assert "- 10:09 **Sofia Marques:** Alert was late" in text
    assert "| Ground rules | 08:00 | 05:00 | 1 |" in text


def test_public_version_names_roles_and_leaves_internal_things_out(db: Database) -> None:
    sid = build_full_session(db)
    db.write(
        lambda tx: tx.lessons.add(
            sid, "went wrong", "Sofia paged db-1.corp and mail went to ops@example.com"
        )
    )
    result = export_one(db.read(lambda tx: tx.snapshots.export(sid)), "md", _options(public=True))
    assert "Sofia Marques" not in result.text
    assert "the incident commander" in result.text
    assert "PAY-123" not in result.text
    assert "Do other services pin" not in result.text  # the parking lot stays inside
    warnings = "\n".join(result.warnings)
    assert "internal host db-1.corp" in warnings
    # The warning says where, never the address: stderr is often a shared terminal or a log.
    assert "lessons[2].text: an e-mail address was left out" in warnings
    assert "example.com" not in warnings
    assert "ops@example.com" not in result.text
    minutes = export_one(
        db.read(lambda tx: tx.snapshots.export(sid)), "minutes", _options(public=True)
    ).text
    assert "Alert was late" not in minutes


def test_wording_hits_are_reported_never_changed(db: Database) -> None:
    sid = build_full_session(db)
    db.write(lambda tx: tx.lessons.add(sid, "went wrong", "Human error on the deploy"))
    result = export_one(db.read(lambda tx: tx.snapshots.export(sid)), "md", _options())
    assert "Human error on the deploy" in result.text
    assert any("human error" in w for w in result.warnings)


@pytest.mark.parametrize("fmt", FORMATS)
def test_hostile_text_through_every_format(db: Database, fmt: str) -> None:
    """No raw escape code or direction override reaches any document; JSON keeps the text
    as data (escaped by JSON itself) and loads back to the same text."""
    sid = build_full_session(db, hostile=True)
    text = _text(db, sid, fmt)
    assert "\x1b" not in text
    assert "\x07" not in text
    if fmt == "json":
        assert json.loads(text)["session"]["title"].endswith("\x1b[31m\x07")
        return
    assert "\u202e" not in text
    assert "🔥" in text  # emoji and right-to-left script pass through as they are
    assert "مرحبا" in text


@pytest.mark.parametrize("public", [False, True])
def test_the_export_follows_its_json_schema_in_data(db: Database, public: bool) -> None:
    import jsonschema

    from debrief_tui.paths import data_path

    schema = json.loads(data_path("export.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    document = json.loads(_text(db, build_full_session(db, hostile=True), "json", public=public))
    jsonschema.Draft202012Validator(schema).validate(document)
    empty = db.write(lambda tx: tx.sessions.create("Quiet", "SEV4", "UTC"))
    jsonschema.Draft202012Validator(schema).validate(json.loads(_text(db, empty.id or 0, "json")))


@settings(max_examples=1000, deadline=None)
@given(st.text(max_size=60))
def test_markdown_escaping_fast_path_is_exact(text: str) -> None:
    """Text with nothing to escape skips the escaping; the result must be the same."""
    full = escaping._MD_SPECIAL.sub(r"\\\1", escaping.plain(text))
    full = escaping._MD_LINE_START.sub(lambda m: m[1] + "\\" + m[2], full, count=1)
    assert escaping.md(text) == full


def test_an_export_replaces_only_a_regular_file_and_follows_the_umask(tmp_path: Path) -> None:
    import os
    import stat

    from debrief_tui.core.errors import InputError
    from debrief_tui.core.export import write_atomic

    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        write_atomic(fifo, "x", force=True)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    target = tmp_path / "real.md"
    target.write_text("kept")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    with pytest.raises(InputError, match="not a regular file"):
        write_atomic(link, "x", force=True)
    assert target.read_text() == "kept"
    old = os.umask(0o077)
    try:
        write_atomic(tmp_path / "private.md", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "private.md").st_mode) == 0o600


def test_a_temporary_file_left_by_a_killed_export_goes_with_the_next_one(tmp_path: Path) -> None:
    import subprocess
    import sys

    from debrief_tui.core.export import write_atomic

    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    left = tmp_path / f".incident-1.md.{dead}.abc123.tmp"
    left.write_text("half an export")
    running = tmp_path / f".incident-1.md.{os.getpid()}.def456.tmp"  # this process: alive
    running.write_text("being written")
    write_atomic(tmp_path / "incident-1.md", "whole")
    assert not left.exists()
    assert running.exists()
    assert (tmp_path / "incident-1.md").read_text() == "whole"


def test_a_chain_of_whys_250_deep_exports_in_every_format(db: Database) -> None:
    session = db.write(lambda tx: tx.sessions.create("Deep", "SEV3"))
    sid = session.id or 0

    def chain(tx: Unit) -> None:
        parent = tx.whys.ensure_root(sid).id or 0
        for depth in range(1, 251):
            parent = tx.whys.add(parent, f"because of level {depth}").id or 0

    db.write(chain)
    for fmt in ("md", "html", "json"):  # the formats that show the 5 Whys
        text = _text(db, sid, fmt)
        assert "because of level 250" in text, fmt


def test_a_direction_override_is_written_out_in_json_as_in_every_format(db: Database) -> None:
    import json

    session = db.write(lambda tx: tx.sessions.create("Mirror \u202etxt.exe", "SEV3"))
    sid = session.id or 0
    for fmt in ("md", "html", "json", "csv", "minutes"):
        text = _text(db, sid, fmt)
        assert "\u202e" not in text, fmt
    exported = json.loads(_text(db, sid, "json"))
    assert exported["session"]["title"] == "Mirror \u202etxt.exe"  # the same text, read back


def test_the_minutes_list_shows_a_direction_override_written_out() -> None:
    from debrief_tui.core.text import printable

    assert printable("Ann: \u202etxt.exe") == "Ann: \\u202etxt.exe"


def test_decisions_have_a_section_in_the_document_and_the_minutes(db: Database) -> None:
    session_id = build_full_session(db)
    before = _text(db, session_id, "md")
    assert "## Decisions" not in before  # no decisions, no section (the golden files hold)
    at = datetime(2025, 3, 24, 10, 40, tzinfo=UTC)
    db.write(
        lambda tx: tx.minutes.add(
            session_id,
            "whys",
            [
                (None, "Decision: every image refreshes its CA bundle at build"),
                ("Mei Lin", "Decision: rotation gets an owner"),
                (None, "Action: alarm on certificate expiry"),
            ],
            at,
        )
    )
    document = _text(db, session_id, "md")
    section = document.split("## Decisions\n", 1)[1].split("\n## ", 1)[0]
    assert "- every image refreshes its CA bundle at build — 5 Whys, 11:40" in section
    assert "- rotation gets an owner — 5 Whys, 11:40, Mei Lin" in section
    assert "alarm" not in section
    assert document.index("## Decisions") < document.index("## Action items")
    minutes = _text(db, session_id, "minutes")
    decisions = minutes.split("## Decisions\n", 1)[1].split("\n## ", 1)[0]
    assert "- 11:40 every image refreshes its CA bundle at build (5 Whys)" in decisions
    assert "- 11:40 rotation gets an owner (5 Whys, Mei Lin)" in decisions
    assert "**Mei Lin:** **Decision:** rotation gets an owner" in minutes
    assert "**Action:** alarm on certificate expiry" in minutes
    assert "<h2>Decisions</h2>" in _text(db, session_id, "html")
