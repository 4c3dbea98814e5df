"""The `debrief` command line.

Only click is imported up front: `--help` and `--version` stay instant, and the ORM and Textual
are loaded by the commands that need them.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

import click

from debrief_tui import __version__
from debrief_tui.core.errors import DatabaseRefused, Refusal, Unavailable
from debrief_tui.startup import (
    EXIT_REFUSED,
    CliError,
    check_agenda,
    create_app,
    database_for,
    fail,
    open_session,
    run_app,
)

if TYPE_CHECKING:
    from datetime import date

    from debrief_tui.core.actions import Tracked
    from debrief_tui.core.persistence import Database
    from debrief_tui.core.sessions import SearchHit

DEMO_SOURCE = "demo"


def _open_database(ctx: click.Context, *, read_only: bool = False) -> Database:
    database = database_for(ctx.obj["db"], read_only=read_only)
    # Closed when the command ends, also when `main` is called again in one process.
    ctx.call_on_close(database.dispose)
    return database


def _tracked(ctx: click.Context, *, closed: bool, due_by: date | None) -> list[Tracked]:
    """Every action (see `everywhere`): straight from a SQLite file when it can be read so
    (loading the ORM takes longer than the read), else through the database."""
    from debrief_tui.core.persistence import resolve, tracked_directly

    found = tracked_directly(resolve(ctx.obj["db"]), closed=closed, due_by=due_by)
    if found is not None:
        return found
    database = _open_database(ctx, read_only=True)
    return database.read(lambda tx: tx.actions.everywhere(closed=closed, due_by=due_by))


def _run_tui(ctx: click.Context, database: Database, session_id: int | None) -> None:
    run_app(create_app(database, session_id=session_id, agenda=ctx.obj["agenda"]))


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    metavar="PATH|URL",
    envvar="DEBRIEF_DB",
    help="Database file or SQLAlchemy URL (default: a file in your user data directory).",
)
@click.option(
    "--agenda",
    metavar="PATH",
    help="Agenda file (TOML) for sessions that have none of their own.",
)
@click.version_option(__version__, prog_name="debrief", message="%(prog)s %(version)s")
@click.pass_context
def cli(ctx: click.Context, db: str | None, agenda: str | None) -> None:
    """Run an incident postmortem meeting from the terminal.

    Without a command, opens the session list.
    """
    ctx.ensure_object(dict)
    ctx.obj["db"] = db
    ctx.obj["agenda"] = check_agenda(agenda)
    if ctx.invoked_subcommand is None:
        _run_tui(ctx, _open_database(ctx), None)


@cli.command("open")
@click.argument("session_id", type=int, metavar="ID")
@click.option(
    "--role",
    type=click.Choice(["facilitator", "note-taker"]),
    default="facilitator",
    show_default=True,
    help="The note-taker's seat keeps the minutes box focused and follows the facilitator.",
)
@click.pass_context
def open_cmd(ctx: click.Context, session_id: int, role: str) -> None:
    """Open one session in the TUI, on the stage it was on."""
    open_session(ctx.obj["db"], ctx.obj["agenda"], session_id, role)


@cli.command("demo")
@click.option("--no-open", is_flag=True, help="Only create the demo session and print its id.")
@click.pass_context
def demo_cmd(ctx: click.Context, no_open: bool) -> None:
    """Create the demo incident (once) and open it."""
    from datetime import UTC, datetime

    from debrief_tui.core.errors import InputError
    from debrief_tui.core.export import load_demo_file
    from debrief_tui.paths import data_path

    database = _open_database(ctx)
    existing = database.read(lambda tx: tx.sessions.find_by_source(DEMO_SOURCE))
    if existing is None:
        try:
            # Held this week: its actions are due in the weeks ahead, as a real one's would be.
            today = datetime.now(UTC).date()
            document = load_demo_file(data_path("demo.json"), DEMO_SOURCE, today)
            existing = database.write(lambda tx: tx.documents.create(document))
        except InputError as exc:
            fail(f"the demo incident in data/ is broken: {exc}")
    assert existing.id is not None
    if no_open:
        click.echo(existing.id)
        return
    _run_tui(ctx, database, existing.id)


@cli.command("load")
@click.argument("file", metavar="FILE")
@click.pass_context
def load_cmd(ctx: click.Context, file: str) -> None:
    """Create a new session from a JSON export (FILE, or - for standard input); prints its id.

    The whole document is checked (data/export.schema.json, then ids, links and times) before
    anything is written: a refusal names the first problem's path and creates nothing.
    """
    from debrief_tui.core.errors import InputError
    from debrief_tui.core.export import read_document_text

    database = _open_database(ctx)  # a file that cannot be written is refused before the input
    text = _read_input(file)
    try:
        document = read_document_text(text, file)
    except InputError as exc:
        fail(str(exc))
    try:
        session = database.write(lambda tx: tx.documents.create(document))
    except InputError as exc:  # what only the database can refuse (PostgreSQL stores no NUL)
        fail(f"{file}: {exc}")
    click.echo(session.id)


def _machine_zone() -> str:
    from debrief_tui.core.timeline import machine_zone

    return machine_zone()


_WHEN_HELP = "ISO-8601, 'YYYY-MM-DD HH:MM[:SS] [ZONE]' or 'yesterday 14:05'"


def _milestone_options(func: Any) -> Any:
    """An option per milestone fact (`started_at` is `--started`), in the facts' order."""
    from debrief_tui.core.timeline import MILESTONES

    for fact, label in reversed(MILESTONES):
        func = click.option(
            "--" + fact.removesuffix("_at").replace("_", "-"),
            metavar="WHEN",
            help=f"When it was {label}: {_WHEN_HELP}.",
        )(func)
    return func


@cli.command("new")
@click.option("--title", required=True, help="Short title of the incident.")
@click.option("--severity", required=True, help="Severity key from data/ (SEV1-SEV4).")
@click.option(
    "--timezone",
    "zone",
    default=_machine_zone,
    show_default="this machine's zone",
    help="IANA time zone.",
)
@click.option("--summary", default="", help="A short summary (tl;dr).")
@click.option("--agenda", "agenda", metavar="PATH", help="This session's own agenda file.")
@_milestone_options
@click.pass_context
def new_cmd(
    ctx: click.Context,
    /,
    title: str,
    severity: str,
    zone: str,
    summary: str,
    agenda: str | None,
    **milestones: str | None,
) -> None:
    """Create a session and print its id."""
    from debrief_tui.core.errors import InputError
    from debrief_tui.core.sessions import parse_fact

    try:
        zone_name = str(parse_fact("timezone", zone, "UTC"))
        values: dict[str, Any] = {
            "title": parse_fact("title", title, zone_name),
            "severity": parse_fact("severity", severity, zone_name),
            "summary": summary,
        }
        if agenda is not None:
            values["agenda_path"] = parse_fact("agenda_path", agenda, zone_name)
        for option, text in milestones.items():
            if text is not None:
                try:
                    values[f"{option}_at"] = parse_fact(f"{option}_at", text, zone_name)
                except InputError as exc:
                    raise InputError(f"--{option.replace('_', '-')}: {exc}") from None
    except InputError as exc:
        fail(str(exc))
    title, severity = values.pop("title"), values.pop("severity")
    row = _open_database(ctx).write(
        lambda tx: tx.sessions.create(title, severity, zone_name, **values)
    )
    click.echo(row.id)


@cli.command("import")
@click.argument("session_id", type=int, metavar="ID")
@click.argument("file", metavar="FILE")
@click.option("--timezone", "zone", help="Zone for times that name none (default: the session's).")
@click.option(
    "--format", "fmt", type=click.Choice(["txt", "md", "csv", "json"]), help="Default: from FILE."
)
@click.option("--skip-bad", is_flag=True, help="Import the lines that can be read; list the rest.")
@click.option(
    "--channel", metavar="NAME", help="FILE is a Slack export (zip or folder): its channel."
)
@click.option("--pinned", is_flag=True, help="The channel's pinned messages.")
@click.option(
    "--reaction", metavar="NAME", help="The channel's messages with this reaction (pushpin)."
)
@click.option("--all", "every", is_flag=True, help="Every message of the channel.")
@click.option("--from", "since", metavar="WHEN", help="Only messages from then on.")
@click.option("--to", "until", metavar="WHEN", help="Only messages until then.")
@click.pass_context
def import_cmd(
    ctx: click.Context,
    /,
    session_id: int,
    file: str,
    zone: str | None,
    fmt: str | None,
    skip_bad: bool,
    **chat: Any,
) -> None:
    """Add timeline events from FILE (- reads standard input): text, Markdown, CSV or JSON;
    or, with --channel, a channel's messages from a Slack export (a zip or its folder).

    Nothing is imported when any line cannot be read, unless --skip-bad is given.
    """
    if chat["channel"] is not None or _is_chat_export(file):
        if fmt is not None or skip_bad:
            fail("--format and --skip-bad are for text timelines, not a chat export")
        _import_chat(ctx, session_id, file, zone, **chat)
        return
    if any(value not in (None, False) for value in chat.values()):
        fail(
            "--pinned, --reaction, --all, --from and --to choose a chat export's messages: "
            "give its --channel NAME"
        )
    from debrief_tui.core.errors import InputError, NotFound
    from debrief_tui.core.timeline import (
        TimelineRow,
        TimeParseError,
        format_for,
        read_timeline,
        validate_timezone,
    )

    text = _read_input(file)
    database = _open_database(ctx)
    try:
        session = database.read(lambda tx: tx.sessions.get(session_id))
        zone_name = validate_timezone(zone) if zone else session.timezone
    except (NotFound, TimeParseError) as exc:
        fail(str(exc))
    start = session.started_at.astimezone(_zone(zone_name)).date() if session.started_at else None
    result = read_timeline(text, format_for(file, fmt), zone_name, start)
    for bad in result.bad:
        prefix = "skipped " if skip_bad else ""
        click.echo(f"{prefix}{bad.describe(result.unit)}", err=True)
    for note in result.notes:  # what was assumed (a zone, a day, an order), as the preview says
        click.echo(f"note: {note.describe()}", err=True)
    for line, why in _far_outside(database, session, result.events, zone_name):
        click.echo(f"note: line {line}: {why}: a wrong date or zone?", err=True)
    if result.bad and not skip_bad:
        fail(f"nothing imported: {len(result.bad)} {result.unit}(s) could not be read")
    if not result.events:
        fail(f"nothing imported: no timed lines in {file}")
    rows = [
        TimelineRow(
            e.at, e.text, e.kind, key_event=e.key_event, approximate=e.approximate, author=e.author
        )
        for e in result.events
    ]
    try:
        count, skipped = database.write(lambda tx: _add_new(tx, session_id, rows))
    except (InputError, NotFound) as exc:  # PostgreSQL stores no NUL; the session deleted
        fail(f"nothing imported: {exc}")
    from debrief_tui.core.text import counted

    click.echo(f"imported {counted(count, 'event')}" + _skipped(skipped))


def _add_new(tx: Any, session_id: int, rows: Any) -> tuple[int, int]:
    """Add the rows the timeline does not hold yet (an export imported again adds nothing);
    gives how many were added and how many were already there."""
    from debrief_tui.core.timeline import new_events

    new, skipped = new_events(rows, tx.timeline.of(session_id))
    return tx.timeline.add_many(session_id, new), skipped


def _skipped(count: int) -> str:
    return f" ({count} already on the timeline, skipped)" if count else ""


def _far_outside(
    database: Database, session: Any, events: Any, zone_name: str
) -> list[tuple[int, str]]:
    """The events far outside the incident (as the paste preview flags them), by line: checked
    against its milestones, else the events it already has."""
    from debrief_tui.core.timeline import IncidentWindow, far_outside, milestone_facts

    session_id = session.id
    milestones = milestone_facts(session).values()
    known = [] if any(milestones) else database.read(lambda tx: tx.timeline.of(session_id))
    window = IncidentWindow.of_incident(milestones, (e.at for e in known))
    found = [(e.line, far_outside(e.at, window, zone_name)) for e in events]
    return [(line, why) for line, why in found if why]


def _is_chat_export(file: str) -> bool:
    """Whether FILE looks like a chat export (a folder or a zip) rather than a text timeline."""
    from pathlib import Path

    path = Path(file)
    return file != "-" and (path.is_dir() or (path.suffix.lower() == ".zip" and path.is_file()))


def _import_chat(
    ctx: click.Context,
    session_id: int,
    export: str,
    zone: str | None,
    *,
    channel: str | None,
    pinned: bool,
    reaction: str | None,
    every: bool,
    since: str | None,
    until: str | None,
) -> None:
    """`import` from a chat export: the chosen messages of one channel, each with its author,
    read whole before anything is written, then added in one transaction."""
    from pathlib import Path

    from debrief_tui.core.errors import InputError, NotFound
    from debrief_tui.core.timeline import (
        ChatChoice,
        TimeParseError,
        chat_rows,
        parse_when,
        read_chat_export,
        validate_timezone,
    )

    if channel is None:
        fail(f"{export} is a chat export: name its channel with --channel NAME")
    modes = [
        m
        for m, on in (("pinned", pinned), ("reaction", reaction is not None), ("all", every))
        if on
    ]
    if len(modes) != 1:
        fail(
            "choose the messages: one of --pinned, --reaction NAME (e.g. pushpin) or --all"
            + (f" (not {' and '.join('--' + m for m in modes)} together)" if modes else "")
        )
    database = _open_database(ctx)
    try:
        session = database.read(lambda tx: tx.sessions.get(session_id))
        zone_name = validate_timezone(zone) if zone else session.timezone
    except (NotFound, TimeParseError) as exc:
        fail(str(exc))
    window: dict[str, Any] = {}
    for option, text in (("--from", since), ("--to", until)):
        try:
            window[option] = parse_when(text, zone_name) if text is not None else None
        except TimeParseError as exc:
            fail(f"{option}: {exc}")
    if window["--from"] and window["--to"] and window["--from"] > window["--to"]:
        fail("--from is after --to: no message is both")
    choice = ChatChoice(channel, modes[0], reaction, window["--from"], window["--to"])
    try:
        read = read_chat_export(Path(export), choice)
    except InputError as exc:
        fail(str(exc))
    for note in read.notes:
        click.echo(f"note: {note}", err=True)
    if not read.messages:
        chosen = {"pinned": "pinned messages", "reaction": f"messages with :{reaction}:"}
        fail(
            f"nothing imported: no {chosen.get(modes[0], 'messages')} in #{read.channel}"
            + (" between --from and --to" if since or until else "")
        )

    def job(tx: Any) -> tuple[tuple[int, int], set[str]]:
        people = [person.name for person in tx.attendees.of(session_id)]
        rows = chat_rows(read.messages, people)
        authors = {row.author for row in rows if row.author is not None}
        return _add_new(tx, session_id, rows), authors & set(people)

    try:
        (count, skipped), linked = database.write(job)
    except (InputError, NotFound) as exc:  # PostgreSQL stores no NUL; the session deleted
        fail(f"nothing imported: {exc}")
    if linked:
        click.echo(f"note: written by attendees: {', '.join(sorted(linked))}", err=True)
    click.echo(f"imported {count} events from #{read.channel}" + _skipped(skipped))


def _zone(name: str) -> Any:
    from debrief_tui.core.timeline import zone

    return zone(name)


def _read_input(file: str) -> str:
    """The text of FILE, or of standard input for `-`; CliError when it cannot be read."""
    import sys
    from pathlib import Path

    from debrief_tui.core.timeline import MAX_IMPORT_BYTES

    try:
        if file == "-":
            data = sys.stdin.buffer.read(MAX_IMPORT_BYTES + 1)
        else:
            with Path(file).open("rb") as handle:
                data = handle.read(MAX_IMPORT_BYTES + 1)
    except OSError as exc:
        fail(f"cannot read {file}: {exc.strerror or exc}")
    if len(data) > MAX_IMPORT_BYTES:
        fail(f"{file} is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB; split it up")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        fail(f"{file} is not UTF-8 text (byte {exc.start} cannot be read)")


@cli.command("export")
@click.argument("session_id", type=int, metavar="ID")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "html", "minutes", "json", "csv", "gh", "ics", "all"]),
    required=True,
    help="md postmortem · html page · minutes · json (load rebuilds it) · csv and gh actions · "
    "ics calendar · all (needs --out FOLDER).",
)
@click.option("--out", metavar="PATH", help="File to write (a folder for all; default: stdout).")
@click.option("--force", is_flag=True, help="Replace files that exist.")
@click.option(
    "--layout",
    type=click.Choice(["debrief", "google", "pagerduty", "atlassian"]),
    default="debrief",
    show_default=True,
    help="Section order and headings of md and html.",
)
@click.option("--template", metavar="PATH", help="Your own Jinja2 template for md and html.")
@click.option("--public", is_flag=True, help="The external version: roles for names, no minutes.")
@click.pass_context
def export_cmd(
    ctx: click.Context,
    session_id: int,
    fmt: str,
    out: str | None,
    force: bool,
    layout: str,
    template: str | None,
    public: bool,
) -> None:
    """Export a session: the postmortem, the minutes, the actions, the calendar."""
    from pathlib import Path

    from debrief_tui.core.errors import InputError, NotFound
    from debrief_tui.core.export import (
        FORMATS,
        ExportOptions,
        export_files,
        export_one,
        write_atomic,
    )

    database = _open_database(ctx, read_only=True)
    options = ExportOptions(layout, Path(template) if template else None, public, ctx.obj["agenda"])
    try:
        source = database.read(lambda tx: tx.snapshots.export(session_id))
        if fmt == "all":
            if out is None:
                fail("--format all writes one file per format: give --out FOLDER")
            paths, warnings = export_files(source, list(FORMATS), Path(out), options, force=force)
            for warning in warnings:
                click.echo(warning, err=True)
            for path in paths:
                click.echo(f"wrote {path}", err=True)
            return
        text, warnings = export_one(source, fmt, options)
        for warning in warnings:
            click.echo(warning, err=True)
        if out is None:
            click.echo(text, nl=False)
            return
        write_atomic(Path(out), text, force=force)
    except (NotFound, InputError) as exc:
        fail(str(exc))
    click.echo(f"wrote {out}", err=True)


@cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array instead of lines.")
@click.pass_context
def list_cmd(ctx: click.Context, as_json: bool) -> None:
    """List sessions: id, start date, severity, status, review timing, title.

    The review column flags a meeting held after its target (`late`), one not held and past
    it (`overdue`), or says when one not yet held is due (`due 2d`); targets per severity are
    in data/review_targets.toml.
    """
    from datetime import UTC, datetime

    from debrief_tui.core.sessions import session_timeliness
    from debrief_tui.core.text import one_line
    from debrief_tui.core.timeline import format_input

    rows = _open_database(ctx, read_only=True).read(lambda tx: tx.sessions.listed())
    now = datetime.now(UTC)
    reviews = {r.id: session_timeliness(r, r.first_run, now) for r in rows}

    def review_of(session_id: int) -> dict[str, str | None]:
        timing = reviews[session_id]
        due = timing.due.isoformat() if timing.due else None
        return {"state": timing.state.value, "due": due, "text": timing.describe()}

    if as_json:
        items = [
            {
                "id": r.id,
                "title": r.title,
                "severity": r.severity,
                "status": r.status,
                "timezone": r.timezone,
                "started_at": r.started_at.isoformat() if r.started_at else None,
                "review": review_of(r.id),
            }
            for r in rows
        ]
        click.echo(json.dumps(items, ensure_ascii=False, indent=2))
        return
    for r in rows:
        started = format_input(r.started_at, r.timezone)[:10] if r.started_at else "-"
        review = reviews[r.id].flag or "-"
        click.echo(f"{r.id}\t{started}\t{r.severity}\t{r.status}\t{review}\t{one_line(r.title)}")


@cli.command("similar")
@click.argument("session_id", type=int, metavar="ID")
@click.option(
    "--limit",
    type=click.IntRange(1, 100),
    default=5,
    show_default=True,
    help="How many past sessions to list.",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array instead of lines.")
@click.pass_context
def similar_cmd(ctx: click.Context, session_id: int, limit: int, as_json: bool) -> None:
    """Have we seen this before? Past sessions sharing services, factor categories or
    root-cause wording with session ID, best first: why each is listed, and its actions."""
    from debrief_tui.core.text import one_line

    matches = _open_database(ctx, read_only=True).read(
        lambda tx: tx.history.seen_before(session_id, limit)
    )
    if as_json:
        items = [
            {
                "id": m.past.session_id,
                "title": m.past.title,
                "severity": m.past.severity,
                "status": m.past.status,
                "started_at": m.past.started_at.isoformat() if m.past.started_at else None,
                "score": round(m.score, 2),
                "why": m.why(),
                "services": list(m.services),
                "categories": list(m.categories),
                "root_cause": m.root_cause or None,
                "actions": [
                    {"text": a.text, "owner": a.owner, "status": a.status} for a in m.actions
                ],
            }
            for m in matches
        ]
        click.echo(json.dumps(items, ensure_ascii=False, indent=2))
        return
    if not matches:
        click.echo(
            f"No past session shares a service, factor categories or root cause with #{session_id}."
        )
        return
    for m in matches:
        click.echo(
            f"#{m.past.session_id}\t{m.past.severity}\t{m.progress()}\t{one_line(m.past.title)}"
        )
        click.echo(f"\t{one_line(m.why())}")
        for a in m.actions:
            mark = "✓" if a.done else "·"
            owner = f" ({one_line(a.owner)})" if a.owner else ""
            click.echo(f"\t  {mark} {one_line(a.text)}{owner}: {a.status}")


@cli.command("actions")
@click.option("--overdue", is_flag=True, help="Only open actions past their due date.")
@click.option(
    "--due-within",
    type=click.IntRange(min=0, max=36_500),
    metavar="DAYS",
    help="Only open actions due within DAYS days (overdue ones included).",
)
@click.option("--owner", metavar="NAME", help="Only actions this person or team owns.")
@click.option(
    "--status",
    type=click.Choice(["open", "in progress", "done", "won't do"]),
    help="Only actions with this status.",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array instead of lines.")
@click.pass_context
def actions_cmd(
    ctx: click.Context,
    overdue: bool,
    due_within: int | None,
    owner: str | None,
    status: str | None,
    as_json: bool,
) -> None:
    """Every action of every session, overdue first: when it is due, its status, owner,
    ticket, incident, text and SMART gaps."""
    from datetime import UTC, datetime, timedelta

    from debrief_tui.core.actions import due_phrase, to_follow_up
    from debrief_tui.core.text import one_line

    now = datetime.now(UTC)
    # Overdue, or due within DAYS, somewhere on Earth: open, and due by tomorrow (UTC) plus
    # those days. The rules below judge each in its own zone; this only reads less.
    narrow = overdue or due_within is not None
    ahead = 1 if overdue else (due_within or 0) + 1
    due_by = (now + timedelta(days=ahead)).date() if narrow else None
    tracked = _tracked(ctx, closed=not narrow, due_by=due_by)
    items = to_follow_up(
        tracked,
        now,
        overdue=overdue,
        due_within=due_within,
        owner=owner,
        status=status,
    )
    if as_json:
        rows = [
            {
                "session_id": i.action.session_id,
                "incident": i.action.incident,
                "severity": i.action.severity,
                "action_id": i.action.action_id,
                "text": i.action.text,
                "owner": i.action.owner,
                "due": i.action.due_date.isoformat() if i.action.due_date else None,
                "days_overdue": i.days_overdue,
                "priority": i.action.priority,
                "type": i.action.type,
                "status": i.action.status,
                "ticket": i.action.ticket,
                "proposal": i.action.proposal,
                "smart_gaps": list(i.gaps),
            }
            for i in items
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not items:
        click.echo("no actions match", err=True)
        return
    lines = []
    for i in items:
        a = i.action
        fields = [
            due_phrase(i),  # as the Follow-ups screen says it
            a.due_date.isoformat() if a.due_date else "-",
            a.status,
            one_line(a.owner) or "-",
            one_line(a.ticket) or "-",
            f"#{a.session_id} {one_line(a.incident)}",
            one_line(a.text),
            ", ".join(i.gaps) or "SMART",
        ]
        lines.append("\t".join(fields))
    click.echo("\n".join(lines))  # one write: a team's list runs to thousands of lines


@cli.command("search")
@click.argument("words", nargs=-1, required=True, metavar="QUERY")
@click.option("--severity", metavar="S", help="Only sessions of this severity (SEV1-SEV4).")
@click.option("--status", metavar="S", help="Only sessions with this status (draft, ...).")
@click.option("--service", metavar="NAME", help="Only sessions whose services name this.")
@click.option("--since", metavar="DATE", help="Only incidents from this day on (YYYY-MM-DD).")
@click.option("--until", metavar="DATE", help="Only incidents until this day (YYYY-MM-DD).")
@click.option(
    "--limit",
    type=click.IntRange(min=1, max=10_000),
    default=50,
    show_default=True,
    metavar="N",
    help="Show at most N matches.",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array instead of lines.")
@click.pass_context
def search_cmd(
    ctx: click.Context,
    words: tuple[str, ...],
    severity: str | None,
    status: str | None,
    service: str | None,
    since: str | None,
    until: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """Search every text of every session (titles, summaries, minutes, timeline, whys,
    factors, lessons, actions, parked topics): the matches, best first, under their session,
    each with where it is. QUERY may hold filter words too: sev:SEV1 status:draft
    service:api since:2025-01-01 until:2025-06-30. The last word also matches as the start of
    a word."""
    from debrief_tui.core.errors import InputError
    from debrief_tui.core.sessions import SearchFilters, by_session, parse_day, parse_search
    from debrief_tui.core.text import one_line
    from debrief_tui.core.timeline import format_input

    days = {}
    for name, value in (("since", since), ("until", until)):
        if value is not None:
            try:
                days[name] = parse_day(name, value)
            except InputError:
                message = f"{value!r} is not a date; write it as YYYY-MM-DD"
                raise click.BadParameter(message, param_hint=f"'--{name}'") from None
    given = SearchFilters(severity=severity, status=status, service=service, **days)
    try:
        query = parse_search(" ".join(words), filters=given)
    except InputError as exc:
        raise click.UsageError(str(exc)) from None
    database = _open_database(ctx, read_only=True)
    found: list[tuple[tuple[int, str, str, str], list[SearchHit]]]
    if query.has_text:
        hits = database.read(lambda tx: tx.search.find(query, limit))
        found = [
            ((g[0].session_id, g[0].title, g[0].severity, g[0].status), g) for g in by_session(hits)
        ]
    else:
        # Only filters: the sessions they allow, newest first, as `debrief list` has them.
        matched = database.read(lambda tx: tx.search.sessions(query))[:limit]
        found = [
            ((m.session.id or 0, m.session.title, m.session.severity, m.session.status), [])
            for m in matched
        ]
    if as_json:
        items = [
            {
                "session_id": session_id,
                "title": title,
                "severity": severity,
                "status": status,
                "matches": [
                    {
                        "where": hit.where,
                        "item_id": hit.row_id,
                        "at": hit.at.isoformat() if hit.at else None,
                        "snippet": hit.snippet,
                    }
                    for hit in group
                ],
            }
            for (session_id, title, severity, status), group in found
        ]
        click.echo(json.dumps(items, ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo("no session matches", err=True)
        return
    for (session_id, title, severity, status), group in found:
        click.echo(f"#{session_id}\t{severity}\t{status}\t{one_line(title)}")
        for hit in group:
            when = format_input(hit.at, hit.zone) if hit.at else "-"
            click.echo(f"\t{hit.where}\t{when}\t{one_line(hit.snippet)}")
    shown = sum(len(group) for _, group in found) if query.has_text else len(found)
    if shown >= limit:
        # Said apart from the matches (standard error), so scripts reading them are not misled.
        click.echo(f"(the first {limit} matches; --limit N for more)", err=True)


@cli.command("remind")
@click.option(
    "--within",
    type=click.IntRange(min=0, max=36_500),
    default=7,
    show_default=True,
    metavar="DAYS",
    help="Actions due within DAYS days (and every overdue one).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "text", "json"]),
    default="md",
    show_default=True,
    help="Markdown for chat, plain text for mail, or JSON.",
)
@click.pass_context
def remind_cmd(ctx: click.Context, within: int, fmt: str) -> None:
    """A digest per owner of the actions overdue or due soon, across every incident, to
    paste into chat or mail (or to send from cron). Exits 0, saying so when nothing is due."""
    from datetime import UTC, datetime, timedelta

    from debrief_tui.core.actions import to_follow_up
    from debrief_tui.core.export import reminder_digest

    now = datetime.now(UTC)
    due_by = (now + timedelta(days=within + 1)).date()  # due within DAYS in any zone
    tracked = _tracked(ctx, closed=False, due_by=due_by)
    items = to_follow_up(tracked, now, due_within=within)
    click.echo(reminder_digest(items, now.date(), within, fmt), nl=False)


def _since_date(text: str | None) -> date | None:
    """`--since` as a date; a one-line error for anything but YYYY-MM-DD."""
    from datetime import date

    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        fail(f"--since: {text!r} is not a date; write it as YYYY-MM-DD (e.g. 2026-01-31)")


@cli.command("report")
@click.option("--out", metavar="FILE.html", required=True, help="The HTML file to write.")
@click.option("--since", metavar="DATE", help="Only incidents from this day on (YYYY-MM-DD).")
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
@click.pass_context
def report_cmd(ctx: click.Context, out: str, since: str | None, force: bool) -> None:
    """Trends across incidents as one self-contained HTML page: incidents per month by
    severity, times to detect, mitigate and resolve, downtime against the SLA budget, factor
    categories, actions done and overdue, and who noticed first."""
    from datetime import UTC, datetime
    from pathlib import Path

    from debrief_tui.core.errors import InputError
    from debrief_tui.core.export import compute_trends, render_report, write_atomic

    first = _since_date(since)
    now = datetime.now(UTC)
    facts = _open_database(ctx, read_only=True).read(lambda tx: tx.trends.facts(first, now))
    trends = compute_trends(facts, now, first)
    try:
        write_atomic(Path(out), render_report(trends), force=force)
    except InputError as exc:
        fail(str(exc))
    from debrief_tui.core.text import counted

    click.echo(f"wrote {out} ({counted(trends.incidents, 'incident')})", err=True)


@cli.command("sync-tickets")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--dry-run", is_flag=True, help="Say what would change; change nothing.")
@click.pass_context
def sync_tickets_cmd(ctx: click.Context, file: str, dry_run: bool) -> None:
    """Bring actions' status in step with their tickets, from a tracker's export (FILE, or -
    for standard input): Jira's CSV export, or `gh issue list --state all --json
    number,title,state,url`. Prints what changed and the tickets it could not find; nothing
    but the status of matched actions is touched."""
    from debrief_tui.core.actions import read_tracker_export, sync_plan
    from debrief_tui.core.errors import InputError
    from debrief_tui.core.text import counted, one_line, shorten

    text = _read_input(file)
    try:
        export = read_tracker_export(text, "standard input" if file == "-" else file)
    except InputError as exc:
        fail(str(exc))
    database = _open_database(ctx, read_only=dry_run)
    plan = sync_plan(database.read(lambda tx: tx.actions.everywhere()), export)
    if plan.changes and not dry_run:
        statuses = {c.action.action_id: c.status for c in plan.changes}
        database.write(lambda tx: tx.actions.set_statuses(statuses))
    for change in plan.changes:
        a = change.action
        click.echo(
            f"{one_line(change.ticket.key)}\t{a.status} → {change.status}\t"
            f"{shorten(a.text, 60)}\t#{a.session_id} {shorten(a.incident, 40)}"
        )
    verb = "would change" if dry_run else "changed"
    summary = [
        f"{counted(len(plan.changes), 'action')} {verb}",
        f"{plan.in_step} already in step",
        f"{counted(export.count, 'ticket')} read",
    ]
    click.echo(", ".join(summary), err=True)
    if plan.unmatched:
        tickets = sorted({one_line(a.ticket) for a in plan.unmatched})
        click.echo(
            f"not in {file}: {', '.join(tickets)} ({counted(len(plan.unmatched), 'action')} "
            f"left as {'it was' if len(plan.unmatched) == 1 else 'they were'})",
            err=True,
        )


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port to listen on (0: any free port).",
)
@click.pass_context
def serve_cmd(ctx: click.Context, host: str, port: int) -> None:
    """Serve the app to browsers: each tab gets its own seat on the session list.

    Prints the URL to open. Any host but loopback needs the access token that URL carries.
    """
    from debrief_tui.serve import serve

    serve(ctx.obj["db"], ctx.obj["agenda"], host, port)


def _shown_bytes(arg: str) -> str:
    """An argument that is not valid UTF-8, its bad bytes written out (`bad\\xff`)."""
    try:
        # Bytes the OS passed that are not UTF-8 (Python holds them as U+DC80-U+DCFF).
        return arg.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # another lone surrogate, from a program calling `main`
        return arg.encode("utf-8", "backslashreplace").decode("utf-8")


def _check_text(argv: list[str]) -> None:
    """Refuse an argument that is not valid UTF-8 (Python keeps its bad bytes as surrogates,
    which nothing can store or print)."""
    for number, arg in enumerate(argv, start=1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            fail(f'argument {number} is not valid UTF-8 text: "{_shown_bytes(arg)}"')
        if "\0" in arg:  # (a shell cannot pass one; a program calling `main` can)
            fail(f"argument {number} holds a NUL character, which no name or text may")


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `debrief` script; returns the exit code."""
    try:
        _check_text(sys.argv[1:] if argv is None else argv)
        result = cli.main(args=argv, prog_name="debrief", standalone_mode=False)
    except CliError as exc:
        click.echo(f"debrief: {exc}", err=True)
        return exc.code
    except Refusal as exc:  # met past a command's own checks: a damaged or busy database
        click.echo(f"debrief: {exc}", err=True)
        return EXIT_REFUSED if isinstance(exc, DatabaseRefused | Unavailable) else 1
    except click.exceptions.Abort:
        click.echo("debrief: aborted", err=True)
        return 1
    except click.ClickException as exc:
        # One line, like every other refusal (click lists a choice's values one per line).
        click.echo(f"debrief: {' '.join(exc.format_message().split())}", err=True)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    return result if isinstance(result, int) else 0
