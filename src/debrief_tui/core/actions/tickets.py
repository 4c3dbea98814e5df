"""Ticket status from a tracker's export, without tokens or network (`debrief sync-tickets`).

Two shapes are read: Jira's CSV export (the issue navigator's "Export > CSV", whose header has
`Issue key` and `Status`, often `Resolution` and `Status Category`), and the JSON array that
`gh issue list --state all --json number,title,state,url` prints. Each ticket's state becomes
an action status: closed is done (won't do when Jira's resolution or GitHub's state reason says
it was dropped), in progress stays in progress, and a ticket open again reopens a closed action.
An action whose status already says as much is left alone.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from debrief_tui.core.actions.follow_ups import CLOSED, Tracked
from debrief_tui.core.errors import InputError

_DROPPED = frozenset(
    {"won't do", "won't fix", "wontfix", "declined", "duplicate", "cannot reproduce", "not planned"}
)
"""Resolutions (and GitHub's NOT_PLANNED) that close a ticket without doing it."""
_JIRA_DONE = frozenset({"done", "closed", "resolved", "complete", "completed"})
_JIRA_MOVING = frozenset({"in progress", "in review", "in development", "review", "testing"})
_BROWSE = re.compile(r"/browse/([A-Za-z][A-Za-z0-9_]*-\d+)/?$")
_GITHUB = re.compile(r"github\.com/([^/\s]+/[^/\s]+)/(?:issues|pull)/(\d+)/?$", re.IGNORECASE)
_REPO_REF = re.compile(r"^([^/\s#]+/[^/\s#]+)#(\d+)$")
_NUMBER = re.compile(r"^#?(\d+)$")


@dataclass(frozen=True)
class Ticket:
    """A ticket as the export has it: its key, its state as the tracker words it, and the
    action status that state means."""

    key: str
    shown: str
    status: str


@dataclass(frozen=True)
class StatusChange:
    """An action whose ticket says another status."""

    action: Tracked
    ticket: Ticket
    status: str


@dataclass(frozen=True)
class TicketSync:
    """What an export means for the actions: the changes, the actions already in step, and the
    tickets of actions the export does not hold."""

    changes: list[StatusChange]
    in_step: int
    unmatched: list[Tracked]


class TrackerExport:
    """The tickets of an export, found by the ways an action's ticket field names them."""

    def __init__(self, tickets: Iterable[tuple[Sequence[str], Ticket]]) -> None:
        self._by_ref: dict[str, Ticket] = {}
        self.count = 0
        for refs, ticket in tickets:
            self.count += 1
            for ref in refs:
                self._by_ref.setdefault(ref.casefold(), ticket)

    def find(self, ticket_field: str) -> Ticket | None:
        """The ticket an action's ticket field names (`PAY-123`, a Jira or GitHub URL,
        `owner/repo#12`, `#12`), if the export holds it."""
        said = ticket_field.strip().rstrip("/")
        if not said:
            return None
        for pattern in (_BROWSE, _GITHUB):
            found = pattern.search(said)
            if found:
                said = "/".join(found.groups()) if pattern is _GITHUB else found.group(1)
                break
        number = _NUMBER.match(said)
        return self._by_ref.get(("#" + number.group(1)) if number else said.casefold())


def read_tracker_export(text: str, name: str) -> TrackerExport:
    """Read a Jira CSV export or `gh issue list` JSON; InputError names `name` and what is
    wrong when it is neither."""
    stripped = text.lstrip("\ufeff").lstrip()
    if stripped.startswith("["):
        return _github(stripped, name)
    return _jira(text.lstrip("\ufeff"), name)


def _github(text: str, name: str) -> TrackerExport:
    try:
        items = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise InputError(f"{name}: not JSON ({exc})") from None
    if not isinstance(items, list):
        raise InputError(f"{name}: expected the array `gh issue list --json` prints")
    repos: set[str] = set()
    read: list[tuple[str | None, int, str, Ticket]] = []
    for index, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("number"), int):
            raise InputError(f"{name}: item {index} has no issue number (gh ... --json number,…)")
        state = item.get("state")
        if not isinstance(state, str):
            raise InputError(f"{name}: item {index} has no state (gh ... --json state,…)")
        given = item.get("url")
        url = given if isinstance(given, str) else ""
        found = _GITHUB.search(url)
        repo = found.group(1) if found else None
        if repo:
            repos.add(repo.casefold())
        reason = str(item.get("stateReason") or "").replace("_", " ").casefold()
        status = (
            ("won't do" if reason in _DROPPED else "done") if state.upper() == "CLOSED" else "open"
        )
        number: int = item["number"]
        read.append((repo, number, url, Ticket(f"#{number}", state.lower(), status)))
    one_repo = len(repos) <= 1
    tickets = []
    for repo, number, url, ticket in read:
        refs = [url.rstrip("/")] if url else []
        if repo:
            refs.append(f"{repo}/{number}")
            refs.append(f"{repo}#{number}")
        if one_repo:
            refs.append(f"#{number}")
        shown = f"{repo}#{number}" if repo and not one_repo else ticket.key
        tickets.append((refs, Ticket(shown, ticket.shown, ticket.status)))
    return TrackerExport(tickets)


def _jira(text: str, name: str) -> TrackerExport:
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise InputError(f"{name}: not CSV ({exc})") from None
    if not rows:
        raise InputError(f"{name}: empty; expected a Jira CSV export or gh issue list JSON")
    header = [cell.strip().casefold() for cell in rows[0]]
    if "issue key" not in header or "status" not in header:
        raise InputError(
            f"{name}: neither a Jira CSV export (its header names Issue key and Status) nor "
            "the JSON `gh issue list --state all --json number,title,state,url` prints"
        )
    key_at, status_at = header.index("issue key"), header.index("status")
    resolution_at = header.index("resolution") if "resolution" in header else None
    category_at = header.index("status category") if "status category" in header else None
    tickets = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) <= max(key_at, status_at):
            raise InputError(f"{name}: line {line} has {len(row)} cells, fewer than its header")
        key, state = row[key_at].strip(), row[status_at].strip()
        resolution = _cell(row, resolution_at).casefold()
        if resolution == "unresolved":  # what Jira shows for an open issue's resolution
            resolution = ""
        category = _cell(row, category_at).casefold()
        tickets.append(([key], Ticket(key, state, _jira_status(state, category, resolution))))
    return TrackerExport(tickets)


def _cell(row: Sequence[str], index: int | None) -> str:
    return row[index].strip() if index is not None and index < len(row) else ""


def _jira_status(state: str, category: str, resolution: str) -> str:
    said = state.casefold()
    if category == "done" or said in _JIRA_DONE or (resolution and not category):
        return "won't do" if resolution in _DROPPED or said in _DROPPED else "done"
    if category == "in progress" or said in _JIRA_MOVING:
        return "in progress"
    return "open"


def sync_plan(actions: Iterable[Tracked], export: TrackerExport) -> TicketSync:
    """What the export changes: each action with a ticket it holds and another status gets
    that status, except that a ticket merely open leaves an action in progress as it is."""
    changes: list[StatusChange] = []
    in_step = 0
    unmatched: list[Tracked] = []
    for action in actions:
        if not action.ticket.strip():
            continue
        ticket = export.find(action.ticket)
        if ticket is None:
            unmatched.append(action)
            continue
        status = ticket.status
        if status == "open" and action.status not in CLOSED:
            status = action.status  # open or in progress: the tracker says no more than that
        if status == action.status:
            in_step += 1
        else:
            changes.append(StatusChange(action, ticket, status))
    return TicketSync(changes, in_step, unmatched)
