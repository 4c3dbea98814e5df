"""Writing the export in each format from the JSON export's data.

`md` and `minutes` come from Jinja2 templates in `data/templates/` (or a team's own, through
`--template`); `html` is the Markdown document rendered by a CommonMark parser with raw HTML
turned off, inside one self-contained page; `csv`, `gh` and `ics` are written here. Every
format escapes user text for itself (`core/escaping.py`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from debrief_tui.core.errors import InputError
from debrief_tui.core.export.context import build_context, minutes_text, shown_time
from debrief_tui.core.export.escaping import csv_cell, ics_fold, ics_text, md, plain, shell
from debrief_tui.core.export.json_export import render_json
from debrief_tui.paths import data_path

if TYPE_CHECKING:
    import jinja2

    from debrief_tui.core.meeting.agenda import Agenda

FORMATS = ("md", "html", "minutes", "json", "csv", "gh", "ics")
"""Every export format, in the order `--format all` writes them."""
LAYOUTS = ("debrief", "google", "pagerduty", "atlassian")
"""Built-in Markdown layouts: debrief's own (every section), and the order and headings of
the Google SRE, PagerDuty and Atlassian templates."""
EXTENSIONS = {
    "md": "md",
    "html": "html",
    "minutes": "minutes.md",
    "json": "json",
    "csv": "csv",
    "gh": "gh.sh",
    "ics": "ics",
}


def _day(iso: str | None) -> str:
    return iso[:10] if iso else ""


def _clock(iso: str | None) -> str:
    return datetime.fromisoformat(iso).strftime("%H:%M") if iso else ""


def preorder(node: dict[str, Any] | None) -> list[dict[str, Any]]:
    """A tree's nodes in reading order (each before its answers), without recursion: a chain
    of whys hundreds deep is drawn as surely as a short one."""
    out: list[dict[str, Any]] = []
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(reversed(current["children"]))
    return out


@cache
def _environment() -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(data_path("templates"))),
        autoescape=False,  # Markdown: user text is escaped by the `md` filter instead
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )

    @jinja2.pass_context
    def when(context: Any, iso: str | None) -> str:
        return shown_time(iso, context["session"]["timezone"])

    env.filters.update(
        md=lambda value: md(str(value)) if value not in (None, "") else "",
        when=when,
        day=_day,
        clock=_clock,
        duration=minutes_text,
        preorder=preorder,
    )
    return env


def _template(name: str, template: Path | None) -> jinja2.Template:
    import jinja2

    env = _environment()
    if template is None:
        return env.get_template(name)
    try:
        return env.from_string(template.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read the template {template}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise InputError(f"the template {template} is not UTF-8 text") from None
    except jinja2.TemplateSyntaxError as exc:
        raise InputError(f"{template}, line {exc.lineno}: {exc.message}") from None


def _line_of(exc: BaseException) -> str:
    """ ", line N" of the template line an error was raised on, when Jinja's traceback says."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename in (
            "<template>",
        ) or tb.tb_frame.f_code.co_filename.endswith(".j2"):
            line = tb.tb_lineno
        tb = tb.tb_next
    return f", line {line}" if line is not None else ""


def _render(template: jinja2.Template, context: dict[str, Any], where: str) -> str:
    import jinja2

    try:
        text = template.render(**context)
    except jinja2.TemplateError as exc:
        raise InputError(f"{where}{_line_of(exc)}: {exc}") from None
    except (ArithmeticError, LookupError, TypeError, ValueError, AttributeError) as exc:
        # A team's own template can ask for something the data does not hold, or divide by 0.
        raise InputError(f"{where}{_line_of(exc)}: {type(exc).__name__}: {exc}") from None
    except RecursionError:
        raise InputError(f"{where}: a macro calls itself without end") from None
    # Blank lines between blocks collapse to one: templates stay readable, output tidy.
    out: list[str] = []
    blank = False
    lines = text.splitlines()
    for line in lines:
        if not line.strip():
            if not blank and out:
                out.append("")
            blank = True
            continue
        out.append(line.rstrip())
        blank = False
    return "\n".join(out).rstrip() + "\n"


def render_markdown(
    export: dict[str, Any], agenda: Agenda, layout: str = "debrief", template: Path | None = None
) -> str:
    """The postmortem document in Markdown (CommonMark with GitHub tables)."""
    if layout not in LAYOUTS:
        raise InputError(f"unknown layout {layout!r} (one of {', '.join(LAYOUTS)})")
    chosen = _template(f"{layout}.md.j2", template)
    return _render(chosen, build_context(export, agenda), str(template or layout))


def render_minutes(export: dict[str, Any], agenda: Agenda) -> str:
    """The minutes in Markdown, by stage, each line with its time and speaker."""
    return _render(_template("minutes.md.j2", None), build_context(export, agenda), "minutes")


def render_html(markdown: str, title: str) -> str:
    """The Markdown document as one self-contained HTML page (inline CSS, print styles)."""
    from markdown_it import MarkdownIt

    # CommonMark with raw HTML off: nothing typed can become a tag, a script or an attribute.
    # The rules our documents never need (user text is escaped, so it forms no link, image,
    # code span, entity or HTML) are off too: parsing is most of the time of a large export.
    # Links stay on for the supporting links, written by the template as `[name](<url>)`
    # (only http, https and mailto are ever kept; markdown-it refuses others again).
    parser = (
        # Nesting room for the 5 Whys' 30 indented levels (the preset's 20 dropped deeper
        # answers from the page without a word).
        MarkdownIt("commonmark", {"html": False, "linkify": False, "maxNesting": 100})
        .enable("table")
        .disable(["code", "fence", "hr", "reference", "html_block", "lheading"])
        .disable(["backticks", "image", "autolink", "html_inline", "entity"])
    )
    body = parser.render(markdown)
    css = data_path("templates/document.css").read_text(encoding="utf-8")
    safe_title = plain(title).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{safe_title}</title>\n<style>\n{css}</style>\n</head>\n"
        f'<body>\n<main dir="auto">\n{body}</main>\n</body>\n</html>\n'
    )


CSV_COLUMNS = (
    "Summary",
    "Description",
    "Assignee",
    "Due date",
    "Priority",
    "Labels",
    "Status",
    "Issue type",
    "Ticket",
)


def _action_description(export: dict[str, Any], action: dict[str, Any]) -> str:
    whys = {w["id"]: w["text"] for w in export["whys"]}
    factors = {f["id"]: f["text"] for f in export["factors"]}
    session = export["session"]
    lines = [f"From the postmortem of incident #{session['id']}: {session['title']}"]
    lines += [f"Answers the cause: {whys[i]}" for i in action["why_ids"] if i in whys]
    lines += [f"Answers the factor: {factors[i]}" for i in action["factor_ids"] if i in factors]
    if action["owner"]:
        lines.append(f"Owner: {action['owner']}")
    if action["proposal"]:
        lines.append("Proposal: for the owning team to weigh before committing.")
    return "\n".join(lines)


def _labels(export: dict[str, Any], action: dict[str, Any]) -> list[str]:
    labels = ["postmortem", f"incident-{export['session']['id']}", action["type"]]
    return labels + (["proposal"] if action["proposal"] else [])


def render_csv(export: dict[str, Any]) -> str:
    """The action items, with columns Jira's CSV import and GitHub tooling can map."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for action in export["actions"]:
        writer.writerow(
            [
                csv_cell(action["text"]),
                csv_cell(_action_description(export, action)),
                csv_cell(action["owner"]),
                action["due"] or "",
                action["priority"],
                " ".join(_labels(export, action)),
                action["status"],
                "Task",
                csv_cell(action["ticket"]),
            ]
        )
    return buffer.getvalue()


def render_gh(export: dict[str, Any]) -> str:
    """A shell script of `gh issue create` commands, one per action, every value quoted."""
    lines = [
        "#!/bin/sh",
        f"# Action items of incident #{export['session']['id']}, written by debrief.",
        "# Run it in the repository's folder, or with GH_REPO=owner/name set.",
        "# The labels must exist in the repository (gh label create NAME).",
        "set -eu",
        "",
    ]
    for action in export["actions"]:
        body = _action_description(export, action)
        if action["due"]:
            body += f"\nDue: {action['due']}"
        command = ["gh issue create", f"--title {shell(action['text'])}", f"--body {shell(body)}"]
        command += [f"--label {shell(label)}" for label in _labels(export, action)]
        lines.append(" \\\n  ".join(command))
    return "\n".join(lines) + "\n"


def render_ics(export: dict[str, Any], now: datetime | None = None) -> str:
    """A calendar with the review meeting (one hour) and each action's due date."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    incident = export["session"]["id"]
    title = export["session"]["title"]
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//debrief//postmortem//EN",
        "CALSCALE:GREGORIAN",
    ]

    def event(uid: str, start: list[str], summary: str, description: str) -> None:
        lines.extend(
            [
                "BEGIN:VEVENT",
                f"UID:{uid}",
                f"DTSTAMP:{stamp}",
                *start,
                f"SUMMARY:{ics_text(summary)}",
                f"DESCRIPTION:{ics_text(description)}",
                "END:VEVENT",
            ]
        )

    review = export["facts"].get("review_at")
    if review:
        begins = datetime.fromisoformat(review).astimezone(UTC)
        ends = begins + timedelta(hours=1)
        event(
            f"debrief-{incident}-review@debrief",
            [f"DTSTART:{begins:%Y%m%dT%H%M%SZ}", f"DTEND:{ends:%Y%m%dT%H%M%SZ}"],
            f"Postmortem review: {title}",
            f"Review of the postmortem of incident #{incident}.",
        )
    for action in export["actions"]:
        if not action["due"]:
            continue
        due = date.fromisoformat(action["due"])
        days = [f"DTSTART;VALUE=DATE:{due:%Y%m%d}"]
        if due < date.max:  # (a date with no day after it is a one-day event without DTEND)
            days.append(f"DTEND;VALUE=DATE:{due + timedelta(days=1):%Y%m%d}")
        event(
            f"debrief-{incident}-action-{action['id']}@debrief",
            days,
            f"Due: {action['text']}",
            _action_description(export, action),
        )
    lines.append("END:VCALENDAR")
    return "\r\n".join(ics_fold(line) for line in lines) + "\r\n"


def render_all(
    formats: list[str],
    export: dict[str, Any],
    agenda: Agenda,
    *,
    layout: str = "debrief",
    template: Path | None = None,
    now: datetime | None = None,
) -> dict[str, str]:
    """Each format's text; `template` applies to `md` and `html`, which share one rendering
    of the document."""
    unknown = [fmt for fmt in formats if fmt not in FORMATS]
    if unknown:
        raise InputError(f"unknown format {unknown[0]!r} (one of {', '.join(FORMATS)})")
    document: list[str] = []

    def markdown() -> str:
        if not document:
            document.append(render_markdown(export, agenda, layout, template))
        return document[0]

    writers: dict[str, Callable[[], str]] = {
        "md": markdown,
        "html": lambda: render_html(markdown(), export["session"]["title"]),
        "minutes": lambda: render_minutes(export, agenda),
        "json": lambda: render_json(export),
        "csv": lambda: render_csv(export),
        "gh": lambda: render_gh(export),
        "ics": lambda: render_ics(export, now),
    }
    return {fmt: writers[fmt]() for fmt in formats}


def render(
    fmt: str,
    export: dict[str, Any],
    agenda: Agenda,
    *,
    layout: str = "debrief",
    template: Path | None = None,
    now: datetime | None = None,
) -> str:
    """One format's text. `template` applies to `md` and `html`."""
    texts = render_all([fmt], export, agenda, layout=layout, template=template, now=now)
    return texts[fmt]
