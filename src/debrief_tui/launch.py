"""Starting debrief: the shortest road from the command line to the first frame.

`debrief [--db X] [--agenda Y] open ID [--role R]` is read here without loading click, the ORM
or anything the first frame does not need; every other command line goes to `debrief_tui.cli`.
What both share (errors, opening the database, the app factory) is in `debrief_tui.startup`.
"""

from __future__ import annotations

import os
import sys

from debrief_tui.core.meeting.roles import ROLES
from debrief_tui.startup import CliError, check_agenda, open_session


def _plain_open(argv: list[str]) -> tuple[str | None, str | None, int, str] | None:
    """(db, agenda, id, role) for `[--db X] [--agenda Y] open ID [--role R]`; None for
    anything else (click reads it, and explains what is wrong)."""
    options: dict[str, str] = {}
    rest = list(argv)
    while len(rest) >= 2 and rest[0] in ("--db", "--agenda") and rest[0] not in options:
        options[rest[0]] = rest[1]
        rest = rest[2:]
    role = "facilitator"
    if len(rest) == 4 and rest[2] == "--role" and rest[3] in ROLES:
        role, rest = rest[3], rest[:2]
    if len(rest) != 2 or rest[0] != "open" or not (rest[1].isascii() and rest[1].isdigit()):
        return None
    return options.get("--db"), options.get("--agenda"), int(rest[1]), role


def run() -> None:
    """Console-script entry point."""
    argv = sys.argv[1:]
    plain = _plain_open(argv)
    if plain is None:
        from debrief_tui.cli import main

        sys.exit(main(argv))
    db, agenda, session_id, role = plain
    try:
        database = db or os.environ.get("DEBRIEF_DB") or None
        open_session(database, check_agenda(agenda), session_id, role)
    except CliError as exc:
        print(f"debrief: {exc}", file=sys.stderr)
        sys.exit(exc.code)
    except KeyboardInterrupt:
        sys.exit(130)
