"""Exporting a session: one format to text, or several to files in a folder, with the checks
that go with it (blameless wording left in the text; internal names left in a public version).
The command line and the TUI's export dialog both come through here."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any, NamedTuple

from debrief_tui.core.errors import InputError
from debrief_tui.core.export.files import write_atomic
from debrief_tui.core.export.formats import EXTENSIONS, render, render_all
from debrief_tui.core.export.json_export import ExportSource, build_export
from debrief_tui.core.export.public import leaks, make_public
from debrief_tui.core.meeting.agenda import Agenda, AgendaError, load_agenda
from debrief_tui.core.wording import check_wording

# Where people write in their own words: the wording check reads these.
_WORDED = ("summary", "text", "no_action_note")


class ExportOptions(NamedTuple):
    """How to export: layout and template for the document, the public version or not."""

    layout: str = "debrief"
    template: Path | None = None
    public: bool = False
    agenda: str | None = None  # an agenda file for sessions without their own
    today: date | None = None  # "past due" is judged against this (default: today)
    now: datetime | None = None  # the calendar's time stamp (default: now)


class Exported(NamedTuple):
    """A session's export in one format, and what the checks found (for standard error)."""

    text: str
    warnings: list[str]


def session_agenda(own: str | None, fallback: str | None = None) -> Agenda:
    """The agenda the session's meeting ran on: its own file, the fallback, or the default."""
    path = own or fallback
    try:
        return load_agenda(path)
    except AgendaError:
        return load_agenda()


def export_data(source: ExportSource, options: ExportOptions) -> tuple[dict[str, Any], list[str]]:
    """The export's data (the public version when asked) and the warnings to show."""
    export = build_export(source, today=options.today)
    warnings = wording_warnings(export)
    if options.public:
        attendees = export["attendees"]
        export = make_public(export)
        warnings += [f"public: still internal? {leak}" for leak in leaks(export, attendees)]
    return export, warnings


def wording_warnings(export: dict[str, Any]) -> list[str]:
    """Blameless-wording hits left in the document's text, each with where it is."""
    people = [a["name"] for a in export["attendees"]]
    found = []
    for where, text in _worded(export):
        for hit in check_wording(text, people):
            found.append(f"wording: {where}: “{hit.phrase}” — {hit.suggestion}")
    return found


def _worded(export: dict[str, Any]) -> list[tuple[str, str]]:
    out = [("session.summary", export["session"]["summary"])]
    for part in ("timeline", "whys", "factors", "lessons", "actions"):
        for index, item in enumerate(export[part]):
            for key in _WORDED:
                if item.get(key):
                    out.append((f"{part}[{index}].{key}", item[key]))
    return out


def export_one(source: ExportSource, fmt: str, options: ExportOptions) -> Exported:
    """One format's text and the warnings."""
    export, warnings = export_data(source, options)
    agenda = session_agenda(source.session.agenda_path, options.agenda)
    text = render(
        fmt, export, agenda, layout=options.layout, template=options.template, now=options.now
    )
    return Exported(text, warnings)


def export_files(
    source: ExportSource,
    formats: list[str],
    folder: Path,
    options: ExportOptions,
    *,
    force: bool = False,
) -> tuple[list[Path], list[str]]:
    """Write each format to `folder` as `incident-ID.EXT` (`-public` before the extension for
    the public version). Every text is made before any file is written, and no file is
    replaced without `force`: a problem leaves the folder as it was."""
    export, warnings = export_data(source, options)
    agenda = session_agenda(source.session.agenda_path, options.agenda)
    session_id = source.session.id
    suffix = "-public" if options.public else ""
    paths = {fmt: folder / f"incident-{session_id}{suffix}.{EXTENSIONS[fmt]}" for fmt in formats}
    for path in paths.values():
        if path.exists() and not force:
            raise InputError(f"{path} already exists; use --force to replace it")
    texts = render_all(
        formats, export, agenda, layout=options.layout, template=options.template, now=options.now
    )
    planned = [(paths[fmt], texts[fmt]) for fmt in formats]
    if not folder.is_dir():
        raise InputError(f"the folder {folder} does not exist")
    for path, text in planned:
        write_atomic(path, text, force=force)
    return [path for path, _ in planned], warnings
