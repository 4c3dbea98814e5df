"""Starting debrief: the shortest road from the command line to the first frame.

`debrief [--db X] [--agenda Y] open ID` is read here without loading click, the ORM or
anything the first frame does not need; every other command line goes to `debrief_tui.cli`.
The pieces shared with the full CLI (errors, opening the store, starting the app) live here.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from debrief_tui.core.persistence.store import Store

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
    from debrief_tui.core.meeting.agenda import AgendaError, load_agenda

    try:
        load_agenda(path)
    except AgendaError as exc:
        fail(str(exc))
    return str(Path(path).expanduser().resolve())


def store_for(target: Any) -> Store:
    """Open (creating or upgrading) the database and wrap it in a store, or refuse."""
    from debrief_tui.core.persistence.db import DatabaseRefused, open_engine
    from debrief_tui.core.persistence.store import Store

    try:
        engine = open_engine(target)
    except DatabaseRefused as exc:
        fail(str(exc), EXIT_REFUSED)
    return Store(engine)


def start_app(
    store: Store | None, session_id: int | None, agenda: str | None, **kwargs: Any
) -> None:
    """Run the TUI."""
    from debrief_tui.ui.app import DebriefApp

    DebriefApp(store, session_id=session_id, agenda_path=agenda, **kwargs).run()


def open_session(db: str | None, agenda: str | None, session_id: int) -> None:
    """Open a session's meeting: first frame from a peek at the file, the ORM after it."""
    from debrief_tui.core.persistence.db import DatabaseRefused, check_file, peek_session, resolve

    try:
        target = resolve(db)
        check_file(target)
    except DatabaseRefused as exc:
        fail(str(exc), EXIT_REFUSED)
    peek = peek_session(target, session_id)
    if peek is None:
        from debrief_tui.core.errors import NotFound

        store = store_for(target)
        try:
            store.get_session(session_id)
        except NotFound as exc:
            fail(str(exc))
        start_app(store, session_id, agenda)
        return
    start_app(None, session_id, agenda, store_loader=lambda: store_for(target), peek=peek)


def _plain_open(argv: list[str]) -> tuple[str | None, str | None, int] | None:
    """(db, agenda, id) for `[--db X] [--agenda Y] open ID`; None for anything else."""
    options: dict[str, str] = {}
    rest = list(argv)
    while len(rest) >= 2 and rest[0] in ("--db", "--agenda") and rest[0] not in options:
        options[rest[0]] = rest[1]
        rest = rest[2:]
    if len(rest) != 2 or rest[0] != "open" or not (rest[1].isascii() and rest[1].isdigit()):
        return None
    return options.get("--db"), options.get("--agenda"), int(rest[1])


def run() -> None:
    """Console-script entry point."""
    argv = sys.argv[1:]
    plain = _plain_open(argv)
    if plain is None:
        from debrief_tui.cli import main

        sys.exit(main(argv))
    import os

    db, agenda, session_id = plain
    try:
        open_session(db or os.environ.get("DEBRIEF_DB") or None, check_agenda(agenda), session_id)
    except CliError as exc:
        print(f"debrief: {exc}", file=sys.stderr)
        sys.exit(exc.code)
    except KeyboardInterrupt:
        sys.exit(130)
