"""What the fast launcher and the full command line share: one-line errors, checking an agenda,
opening the database, and the app factory that starts the TUI.

Nothing heavy at import: `launch.py` reads `debrief open ID` with only this module loaded.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from debrief_tui.core.clock import Clock
    from debrief_tui.core.persistence import Database, SessionPeek, Target
    from debrief_tui.ui.app import DebriefApp

EXIT_INPUT = 1
EXIT_REFUSED = 2


class CliError(Exception):
    """A problem to report to the user as one line, with an exit code."""

    def __init__(self, message: str, code: int = EXIT_INPUT) -> None:
        super().__init__(message)
        self.code = code


def fail(message: str, code: int = EXIT_INPUT) -> NoReturn:
    """Stop with a one-line message for the user."""
    raise CliError(message, code)


def check_agenda(path: str | None) -> str | None:
    """The absolute path of a valid agenda file; CliError naming the line and problem."""
    if path is None:
        return None
    from debrief_tui.core.meeting import AgendaError, load_agenda

    try:
        load_agenda(path)
    except AgendaError as exc:
        fail(str(exc))
    return str(Path(path).expanduser().resolve())


def database_for(target: Target | str | None, *, read_only: bool = False) -> Database:
    """Open (creating or upgrading) the database, or refuse with exit code 2; `read_only`
    for a command that only reads, which may then read a file it cannot write."""
    from debrief_tui.core.errors import DatabaseRefused
    from debrief_tui.core.persistence import open_database

    try:
        return open_database(target, read_only=read_only)
    except DatabaseRefused as exc:
        fail(str(exc), EXIT_REFUSED)


def create_app(
    database: Database | Target,
    *,
    session_id: int | None = None,
    peek: SessionPeek | None = None,
    agenda: str | None = None,
    clock: Clock | None = None,
    role: str = "facilitator",
) -> DebriefApp:
    """The app factory: a DebriefApp whose gateway uses `database` (or opens the target on
    its database thread, after the first frame), seated in `role` among the meeting's seats."""
    import uuid

    from debrief_tui.core.clock import utc_now
    from debrief_tui.core.persistence import Gateway, Target, open_database
    from debrief_tui.ui.app import DebriefApp

    time = clock or utc_now
    seat = uuid.uuid4().hex[:12]  # names this seat's writes in the change log
    if isinstance(database, Target):
        target = database
        gateway = Gateway(lambda: open_database(target, time), seat=seat)
    else:
        opened = database
        gateway = Gateway(lambda: opened, seat=seat)
    return DebriefApp(
        gateway, session_id=session_id, clock=time, peek=peek, agenda_path=agenda, role=role
    )


def run_app(app: DebriefApp) -> None:
    """Run the TUI; what it queued for the database is written before this returns."""
    try:
        app.run()
    finally:
        app.gateway.close()


def open_session(
    db: str | None, agenda: str | None, session_id: int, role: str = "facilitator"
) -> None:
    """Open a session's meeting: first frame from a peek at the file, the database after it."""
    from debrief_tui.core.errors import DatabaseRefused, NotFound
    from debrief_tui.core.persistence import check_file, peek_session, resolve

    try:
        target = resolve(db)
        check_file(target)
    except DatabaseRefused as exc:
        fail(str(exc), EXIT_REFUSED)
    peek = peek_session(target, session_id)
    if peek is None:
        database = database_for(target)
        try:
            database.read(lambda tx: tx.sessions.get(session_id))
        except NotFound as exc:
            database.dispose()
            fail(str(exc))
        run_app(create_app(database, session_id=session_id, agenda=agenda, role=role))
        return
    run_app(create_app(target, session_id=session_id, peek=peek, agenda=agenda, role=role))
